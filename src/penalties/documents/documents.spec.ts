import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sampleDecision, sampleNoticeContents } from '../../../test/penalty-document-fixtures.js';
import { commitmentLetterDocument, COMMITMENT_ITEMS } from './commitment-letter.js';
import { authorityName, decisionDocument } from './decision-document.js';
import { documentHtml } from './document-html.js';
import { documentDate, documentTexts, yuanCapital, yuanText } from './document-model.js';
import { MissingGlyphError, documentPdf, missingGlyph, printableInDocuments } from './document-pdf.js';
import { OUTCOME_LABELS, checkPenaltyDecision } from '../rules/penalty-decision-input.js';
import { repairNoticeDocument } from './repair-notice-document.js';
import type { RepairNoticeContents } from '../rules/notice-contents.js';

const J = { city: '上海市', district: '杨浦区' };
const textOf = (d: ReturnType<typeof decisionDocument>) =>
  documentTexts(d)
    .map((t) => t.text)
    .join('\n');

describe('amounts and dates as documents write them', () => {
  it('writes fen as yuan with grouping, and in capitals', () => {
    expect(yuanText(5_000_000)).toBe('人民币50,000.00元');
    expect(yuanText(123_456)).toBe('人民币1,234.56元');
    expect(yuanText(5)).toBe('人民币0.05元');
    expect(yuanCapital(5_000_000)).toBe('伍万元整');
    expect(yuanCapital(123_456)).toBe('壹仟贰佰叁拾肆元伍角陆分');
    expect(yuanCapital(1_234_500)).toBe('壹万贰仟叁佰肆拾伍元整');
    expect(yuanCapital(100_001)).toBe('壹仟元零壹分');
    expect(yuanCapital(10_000_000_00)).toBe('壹仟万元整');
    expect(yuanCapital(1_000_500_00)).toBe('壹佰万零伍佰元整');
    expect(yuanCapital(0)).toBe('零元整');
    expect(() => yuanText(-1)).toThrow(RangeError);
    expect(() => yuanCapital(1.5)).toThrow(RangeError);
  });

  it('dates a document 2026年3月5日 and refuses anything else', () => {
    expect(documentDate('2026-03-05')).toBe('2026年3月5日');
    expect(() => documentDate('2026-3-5')).toThrow(RangeError);
  });

  it('names the authority with its city, once', () => {
    expect(authorityName('杨浦区市场监督管理局', J)).toBe('上海市杨浦区市场监督管理局');
    expect(authorityName('上海市杨浦区市场监督管理局', J)).toBe('上海市杨浦区市场监督管理局');
  });
});

describe('the penalty decision (行政处罚决定书)', () => {
  const d = sampleDecision();
  const doc = decisionDocument(d, J);
  const text = textOf(doc);

  it('shows every field of the recorded decision', () => {
    expect(doc.title).toBe('行政处罚决定书');
    expect(doc.number).toBe(d.decisionNo);
    expect(doc.issuer).toBe('上海市杨浦区市场监督管理局');
    for (const part of [
      d.enterprise.name,
      d.enterprise.uscc,
      d.enterprise.address!,
      d.violation,
      d.legalBasis,
      '罚款、没收违法所得、没收非法财物',
      '人民币50,000.00元（大写：伍万元整）',
      '人民币1,234.56元（大写：壹仟贰佰叁拾肆元伍角陆分）',
      '普通程序',
      '十五日内',
      '六十日内向上海市杨浦区人民政府申请行政复议',
      '六个月内',
      '行政诉讼',
      '第七十三条',
      '2025年6月30日',
      `《信用修复告知书》（${d.notice!.noticeNo}）同日送达`,
    ])
      expect(text).toContain(part);
    expect(doc.info.date).toBe('2025-06-30');
  });

  it('states the publication dates of its periods', () => {
    expect(text).toContain('公示期自2025年6月30日起至2028年6月30日止');
    expect(text).toContain('自2026年7月1日起可依法申请信用修复');
  });

  it('says why a decision under the summary procedure is not published and gets no notice', () => {
    const summary = sampleDecision({ procedure: 'summary', penaltyTypes: ['fine'], fineFen: 20_000 });
    const t = textOf(decisionDocument(summary, J));
    expect(summary.noticeRequired).toBe(false);
    expect(t).toContain('本决定信息不予公示：适用简易程序作出的行政处罚信息不予公示');
    expect(t).toContain('本决定无需送达信用修复告知书：适用简易程序');
    expect(t).not.toContain('同日送达');
  });

  it('for 首违不罚 shows the education given and no penalty', () => {
    const first = {
      ...sampleDecision(),
      outcome: 'first_offence' as const,
      educationGiven: '当场宣讲食品安全法',
    };
    const t = textOf(decisionDocument(first, J));
    expect(t).toContain('首违不罚');
    expect(t).toContain('已对当事人进行教育：当场宣讲食品安全法');
    expect(t).not.toContain('处罚种类');
    expect(t).not.toContain('履行方式和期限');
  });

  it('never-ended-early types say so', () => {
    const revoked = sampleDecision({ penaltyTypes: ['fine', 'licence_revocation'] });
    expect(textOf(decisionDocument(revoked, J))).toContain('不得提前停止公示，不予信用修复');
  });
});

describe('the credit-repair notice (信用修复告知书)', () => {
  const d = sampleDecision();
  const c = sampleNoticeContents(d);
  const doc = repairNoticeDocument(c);
  const text = textOf(doc);

  it('shows every field of the notice contents', () => {
    expect(doc.title).toBe('信用修复告知书');
    expect(doc.number).toBe(c.noticeNo);
    const parts = [
      c.authority,
      c.enterprise.name,
      c.enterprise.uscc,
      c.decision.decisionNo,
      '2025年6月30日',
      '予以公示',
      ...c.publishedWhere,
      c.publicationLength!,
      '2028年6月30日',
      '2026年7月1日',
      '是：符合条件的可申请提前停止公示',
      c.regime.name,
      c.regime.code,
      ...c.conditions,
      ...c.materials,
      ...c.howToApply,
      ...c.rights,
      ...c.advice,
      ...c.rules.map((r) => r.text),
      ...c.rules.map((r) => r.document),
      '相关惩戒措施',
      '人民币50,000.00元',
    ];
    for (const part of parts) expect(text).toContain(part);
    // provisional dates (2028 is not in the holiday calendar yet) are flagged
    expect(c.provisional).toBe(true);
    expect(text).toContain('相关日期为暂定');
  });

  it('a light record (ends by itself, no repair) says so once: 是否可提前修复 否, no conditions nor materials', () => {
    const light = sampleDecision({ penaltyTypes: ['fine'], fineFen: 500_000 });
    expect(light.periods!.earliestRepairOn).toBeNull();
    // as the builder now freezes it (no conditions) and as a notice frozen before (one sentence)
    for (const conditions of [[], ['公示期满自动停止公示，无需申请信用修复']]) {
      const t = textOf(repairNoticeDocument({ ...sampleNoticeContents(light), conditions, materials: [] }));
      expect(t).toContain('最早可申请修复日期\n不适用（公示期满自动停止公示）');
      expect(t).toContain('是否可提前修复\n否（期满自动停止公示，无需申请）');
      expect(t).not.toContain('是：符合条件');
      expect(t).not.toContain('申请修复应当同时符合的条件');
      expect(t).not.toContain('申请材料');
      // the sections numbered without a gap
      expect(t).toMatch(/三、信用修复[\s\S]*四、咨询方式[\s\S]*五、权利告知[\s\S]*八、各日期的依据/);
    }
    // never ended early: 否 for its own reason, no conditions either
    const never = sampleDecision({ penaltyTypes: ['fine', 'licence_revocation'] });
    const nt = textOf(
      repairNoticeDocument({ ...sampleNoticeContents(never), conditions: [], materials: [] }),
    );
    expect(nt).toContain('是否可提前修复\n否：公示期内不得提前停止公示');
    expect(nt).not.toContain('申请修复应当同时符合的条件');
  });

  it('names the outcome with the same term as the list and the form (给予行政处罚)', () => {
    expect(OUTCOME_LABELS.penalty).toBe('给予行政处罚');
    expect(textOf(decisionDocument(d, J))).toContain(`处理结果\n${OUTCOME_LABELS.penalty}`);
  });

  it('cites every rule as one document followed by its own article', () => {
    expect(text).toContain(
      '（依据：市场监督管理行政处罚信息公示规定（国家市场监督管理总局令第45号）第十四条第二款；中华人民共和国民法典第二百零一条至第二百零三条）',
    );
    // food under SH-2023: Order 58's article 11
    expect(text).toContain('（国家发展和改革委员会令第58号）第十一条）');
    expect(text).not.toMatch(/；第[一二三四五六七八九十百]+条/);
  });

  it('lists the measures when there are any, and says so when none', () => {
    expect(text).toMatch(/相关惩戒措施\n无。/);
    const listed: RepairNoticeContents = { ...c, measures: ['限制参加政府采购'] };
    expect(textOf(repairNoticeDocument(listed))).toContain('限制参加政府采购');
  });

  it('shows the same decision number, dates and periods as the decision', () => {
    const decisionText = textOf(decisionDocument(d, J));
    for (const same of [
      d.decisionNo,
      c.noticeNo,
      documentDate(d.decisionDate),
      documentDate(d.periods!.publicationStart!),
      documentDate(d.periods!.publicationLastDay!),
      documentDate(d.periods!.earliestRepairOn!),
    ]) {
      expect(decisionText).toContain(same);
      expect(text).toContain(same);
    }
  });

  it('a never-repairable record has no earliest date', () => {
    const never: RepairNoticeContents = { ...c, neverEndedEarly: true, earliestRepairOn: null };
    const t = textOf(repairNoticeDocument(never));
    expect(t).toContain('不适用（不得提前停止公示，不予信用修复）');
    expect(t).toContain('否：公示期内不得提前停止公示');
  });
});

describe('the commitment letter template (信用承诺书)', () => {
  it('has every undertaking and the lines to sign', () => {
    const t = textOf(commitmentLetterDocument('上海市杨浦区市场监督管理局', '2025-12-15'));
    for (const item of COMMITMENT_ITEMS) expect(t).toContain(item);
    for (const blank of ['承诺单位（盖章）', '法定代表人（负责人）签字', '统一社会信用代码'])
      expect(t).toContain(blank);
  });
});

describe('HTML', () => {
  it('escapes every value (a name with markup stays text)', () => {
    const evil = sampleDecision({
      enterpriseName: '<script>alert(1)</script>&"公司"',
      violation: '<img src=x onerror=alert(1)>',
    });
    const page = documentHtml(decisionDocument(evil, J));
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;公司&quot;');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('is a whole A4 page with the title, number and every field', () => {
    const d = sampleDecision();
    const page = documentHtml(repairNoticeDocument(sampleNoticeContents(d)));
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('@page { size: A4');
    expect(page).toContain('<h1>信用修复告知书</h1>');
    expect(page).toContain(d.decisionNo);
    expect(page).not.toMatch(/<script/i);
  });
});

describe('PDF', () => {
  it('refuses a character the font lacks, naming it and its field', async () => {
    const rare = sampleDecision({ enterpriseName: '上海𠀀记食品有限公司' });
    const doc = decisionDocument(rare, J);
    expect(missingGlyph(doc, [{ familyName: 'all', hasGlyphForCodePoint: () => true }])).toBeNull();
    await expect(async () => documentPdf(doc)).rejects.toThrow(MissingGlyphError);
    try {
      await documentPdf(doc);
    } catch (e) {
      expect((e as MissingGlyphError).field).toBe('enterprise.name');
      expect((e as MissingGlyphError).character).toBe('𠀀');
      expect((e as MissingGlyphError).codePoint).toBe('U+20000');
    }
  });

  it("printableInDocuments is the writer's own check: what it accepts the PDF draws, what it refuses the PDF refuses", async () => {
    const printable = printableInDocuments();
    for (const ch of ['销', '售', '（', '〔', '。', '、', 'A', '1', '\n', '\t'])
      expect([ch, printable(ch)]).toEqual([ch, true]);
    for (const ch of ['𠀀', '𪚥', '😀', '\u2028', 'ع', '\u01C4'])
      expect([ch, printable(ch)]).toEqual([ch, false]);
    for (const ch of ['𠀀', '😀', '\u2028', 'ع', '\u01C4']) {
      const doc = decisionDocument(sampleDecision({ violation: `销售${ch}过期食品` }), J);
      await expect(async () => documentPdf(doc)).rejects.toThrow(MissingGlyphError);
    }
  });

  it("the decision input refuses, with the writer's check, what the PDF could not print", () => {
    const r = checkPenaltyDecision(
      {
        decisionNo: '沪市监杨处〔2026〕101号',
        enterpriseUscc: '91310110MA1G8N5Y0C',
        partyType: 'organisation',
        decisionDate: '2026-11-20',
        procedure: 'general',
        penaltyTypes: ['fine'],
        fineFen: 100,
        domain: 'general',
        violation: '销售𠀀𪚥过期食品😀',
        legalBasis: '《中华人民共和国食品安全法》第三十四条',
        delivery: { channel: 'post', recipient: 'عمر' },
      },
      '2026-12-01',
      undefined,
      printableInDocuments(),
    );
    expect(!r.ok && r.errors.filter((e) => e.field !== 'enterpriseUscc')).toEqual([
      { field: 'violation', reason: expect.stringContaining('第3个字符“𠀀”（U+20000）') },
      { field: 'delivery.recipient', reason: expect.stringContaining('“ع”（U+0639）') },
    ]);
  });

  const POPPLER = existsSync('/usr/bin/pdftotext') || existsSync('/usr/local/bin/pdftotext');
  (POPPLER ? it : it.skip)(
    'the signature block (authority, date) never stands alone on the last page (rendered, read back with pdftotext)',
    async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'signature-'));
      const facts = '当事人销售超过保质期的预包装食品。';
      try {
        // the demo-like decision (a short violation) filled page 1 up to the signature, which went alone to page 2
        const docs = [0, 10, 20, 35, 50, 80, 140, 400].flatMap((n) => [
          decisionDocument(sampleDecision({ violation: facts.repeat(40).slice(0, 12 + n) }), J),
          repairNoticeDocument(
            sampleNoticeContents(sampleDecision({ violation: facts.repeat(40).slice(0, 12 + n) })),
          ),
        ]);
        for (const [i, doc] of docs.entries()) {
          const file = path.join(dir, `${i}.pdf`);
          writeFileSync(file, await documentPdf(doc));
          const pages = Number(
            /Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1],
          );
          const last = execFileSync(
            'pdftotext',
            ['-f', String(pages), '-l', String(pages), '-enc', 'UTF-8', file, '-'],
            {
              encoding: 'utf8',
            },
          ).replace(/\s+/g, '');
          const signature = doc.blocks.find((b) => b.kind === 'signature')!;
          const lines = signature.kind === 'signature' ? signature.lines.map((l) => l.text) : [];
          const rest = lines.reduce((t, l) => t.replace(l, ''), last).replace(/第\d+页共\d+页/, '');
          expect([doc.kind, i, last.includes(lines[0]!)]).toEqual([doc.kind, i, true]);
          // more than the signature and the page number: the last paragraph came with it
          expect([doc.kind, i, rest.length > 10]).toEqual([doc.kind, i, true]);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );

  it('is the same bytes for the same rows (dates from the decision, not the clock)', async () => {
    const doc = decisionDocument(sampleDecision(), J);
    const a = await documentPdf(doc);
    const b = await documentPdf(doc);
    expect(a.subarray(0, 5).toString()).toBe('%PDF-');
    expect(a.equals(b)).toBe(true);
    // CreationDate and ModDate: the decision's day, 00:00 in Shanghai
    expect(a.toString('latin1').match(/\(D:(\d{14})Z\)/g)).toEqual([
      '(D:20250629160000Z)',
      '(D:20250629160000Z)',
    ]);
  });
});
