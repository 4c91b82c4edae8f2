import { describe, expect, it } from '@jest/globals';
import { buildUscc } from '../../common/uscc.js';
import { lenientMatterProblem, lenientMattersInForce } from './lenient-lists.js';
import { measuresInForce } from './dishonesty-measures.js';
import {
  checkLaterDelivery,
  checkPenaltyDecision,
  decisionFacts,
  noticeRequirement,
} from './penalty-decision-input.js';
import { PUBLICATION_REGIMES, publicationPeriods, regimeFor } from './publication-regimes.js';

const today = '2026-12-01';
const uscc = buildUscc('91', '310110', 'MA1G8N5Y');
const base = {
  decisionNo: '沪市监杨处〔2026〕101号',
  enterpriseUscc: uscc,
  partyType: 'organisation',
  decisionDate: '2026-11-20',
  procedure: 'general',
  penaltyTypes: ['fine'],
  fineFen: 20_000_000,
  domain: 'general',
  violation: '销售不合格商品',
  legalBasis: '《中华人民共和国产品质量法》第四十九条',
  delivery: { channel: 'in_person', recipient: '张三' },
};
const fields = (r: ReturnType<typeof checkPenaltyDecision>) =>
  r.ok ? [] : r.errors.map((e) => e.field).sort();

describe('checkPenaltyDecision', () => {
  it('normalises a plain penalty, defaulting kind, outcome and the delivery day', () => {
    const r = checkPenaltyDecision(base, today);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.decision).toMatchObject({
      kind: 'penalty',
      outcome: 'penalty',
      enterpriseUscc: uscc,
      penaltyTypes: ['fine'],
      fineFen: 20_000_000,
      delivery: { channel: 'in_person', deliveredOn: today, withNotice: true, recipient: '张三' },
    });
  });

  it('reads Chinese labels and a CSV list of types, and dates in Chinese', () => {
    const r = checkPenaltyDecision(
      {
        ...base,
        procedure: '普通程序',
        partyType: '单位',
        domain: '食品',
        penaltyTypes: '罚款；没收违法所得',
        decisionDate: '2026年11月20日',
        fineFen: '500000',
        delivery: { channel: '邮寄送达', deliveredOn: '2026-11-21' },
      },
      today,
    );
    expect(r.ok && r.decision).toMatchObject({
      procedure: 'general',
      domain: 'food',
      penaltyTypes: ['fine', 'confiscation'],
      decisionDate: '2026-11-20',
      fineFen: 500000,
      delivery: { channel: 'post', deliveredOn: '2026-11-21' },
    });
  });

  it('reads the outcome by its code, its name 给予行政处罚, or the earlier 予以处罚', () => {
    for (const outcome of ['penalty', '给予行政处罚', '予以处罚'])
      expect([outcome, checkPenaltyDecision({ ...base, outcome }, today).ok]).toEqual([outcome, true]);
  });

  it('names every field at fault', () => {
    const r = checkPenaltyDecision(
      {
        decisionNo: 'ab',
        enterpriseUscc: '91310110MA1G8N5YX0',
        partyType: 'company',
        decisionDate: '2026-12-02',
        procedure: 'fast',
        penaltyTypes: ['fine', 'flogging', '罚金'],
        fineFen: -5,
        domain: 'space',
        violation: ' ',
        delivery: { channel: 'pigeon' },
      },
      today,
    );
    expect(fields(r)).toEqual([
      'decisionDate',
      'decisionNo',
      'delivery.channel',
      'domain',
      'enterpriseUscc',
      'fineFen',
      'legalBasis',
      'partyType',
      'penaltyTypes',
      'procedure',
      'violation',
    ]);
    if (r.ok) return;
    expect(r.errors.find((e) => e.field === 'penaltyTypes')!.reason).toContain('flogging、罚金');
    expect(r.errors.find((e) => e.field === 'decisionDate')!.reason).toContain('晚于今天');
  });

  it('requires the fine with a fine, and at least one type for a penalty', () => {
    expect(fields(checkPenaltyDecision({ ...base, fineFen: undefined }, today))).toEqual(['fineFen']);
    expect(fields(checkPenaltyDecision({ ...base, penaltyTypes: [] }, today))).toEqual(['penaltyTypes']);
    // zero fen is a whole non-negative amount
    expect(checkPenaltyDecision({ ...base, fineFen: 0 }, today).ok).toBe(true);
    expect(fields(checkPenaltyDecision({ ...base, fineFen: 1.5 }, today))).toEqual(['fineFen']);
  });

  it('a decision of today is fine, tomorrow is not; a month alone is not a day', () => {
    expect(checkPenaltyDecision({ ...base, decisionDate: today }, today).ok).toBe(true);
    expect(fields(checkPenaltyDecision({ ...base, decisionDate: '2026-12-02' }, today))).toEqual([
      'decisionDate',
    ]);
    expect(fields(checkPenaltyDecision({ ...base, decisionDate: '2026-11' }, today))).toEqual([
      'decisionDate',
    ]);
  });

  it('a delivery before the decision or after today is refused', () => {
    expect(
      fields(
        checkPenaltyDecision({ ...base, delivery: { channel: 'post', deliveredOn: '2026-11-19' } }, today),
      ),
    ).toEqual(['delivery.deliveredOn']);
    expect(
      fields(
        checkPenaltyDecision({ ...base, delivery: { channel: 'post', deliveredOn: '2026-12-05' } }, today),
      ),
    ).toEqual(['delivery.deliveredOn']);
  });

  it('a delivery without the notice needs its reason', () => {
    expect(
      fields(checkPenaltyDecision({ ...base, delivery: { channel: 'post', withNotice: false } }, today)),
    ).toEqual(['delivery.exceptionReason']);
    const r = checkPenaltyDecision(
      { ...base, delivery: { channel: 'post', withNotice: false, exceptionReason: '当事人拒收告知书' } },
      today,
    );
    expect(r.ok && r.decision.delivery).toMatchObject({
      withNotice: false,
      exceptionReason: '当事人拒收告知书',
    });
  });

  it('首违不罚 needs a first-offence matter in force and the education given, and no penalty', () => {
    const fo = { ...base, outcome: 'first_offence', penaltyTypes: [], fineFen: undefined };
    expect(fields(checkPenaltyDecision(fo, today))).toEqual(['educationGiven', 'lenientMatterCode']);
    const ok = checkPenaltyDecision(
      { ...fo, lenientMatterCode: 'SH-FO-2021-01', educationGiven: '当场批评教育，责令删除广告用语' },
      today,
    );
    expect(ok.ok).toBe(true);
    // a no-penalty matter is not of the first-offence list
    const wrongList = checkPenaltyDecision(
      { ...fo, lenientMatterCode: 'SH-NP-2021-01', educationGiven: '批评教育' },
      today,
    );
    expect(!wrongList.ok && wrongList.errors[0]).toMatchObject({ field: 'lenientMatterCode' });
    expect(!wrongList.ok && wrongList.errors[0]!.reason).toContain('不予行政处罚清单');
    // with a fine it is not 首违不罚
    expect(
      fields(
        checkPenaltyDecision(
          {
            ...fo,
            lenientMatterCode: 'SH-FO-2021-01',
            educationGiven: '批评教育',
            penaltyTypes: ['fine'],
            fineFen: 100,
          },
          today,
        ),
      ),
    ).toEqual(['fineFen', 'penaltyTypes']);
  });

  it('the lenient matter must be in force on the decision date', () => {
    // SH-NP-2019-01 ran until 2021-07-14; SH-NP-2021-01 from 2021-07-15
    expect(lenientMatterProblem('SH-NP-2019-01', 'no_penalty', '2021-07-14')).toBeNull();
    expect(lenientMatterProblem('SH-NP-2019-01', 'no_penalty', '2021-07-15')).toContain('不在施行期内');
    expect(lenientMatterProblem('SH-NP-2021-01', 'no_penalty', '2021-07-14')).toContain('不在施行期内');
    expect(lenientMatterProblem('SH-NP-2021-01', 'no_penalty', '2021-07-15')).toBeNull();
    expect(lenientMatterProblem('NOPE', 'no_penalty', '2021-07-15')).toContain('不是');
    expect(lenientMattersInForce('2021-07-14', 'no_penalty').map((m) => m.code)).toEqual(['SH-NP-2019-01']);
  });

  it('减轻 keeps its penalty and names its matter; a plain penalty names none', () => {
    const r = checkPenaltyDecision(
      { ...base, outcome: 'mitigated', lenientMatterCode: 'SH-MT-2022-01' },
      today,
    );
    expect(r.ok && r.decision.penaltyTypes).toEqual(['fine']);
    expect(fields(checkPenaltyDecision({ ...base, outcome: 'mitigated' }, today))).toEqual([
      'lenientMatterCode',
    ]);
    expect(fields(checkPenaltyDecision({ ...base, lenientMatterCode: 'SH-MT-2022-01' }, today))).toEqual([
      'lenientMatterCode',
    ]);
  });

  it('a serious listing: general procedure, no lenient outcome, no types kept', () => {
    const listing = { ...base, kind: 'serious_listing', penaltyTypes: [], fineFen: undefined };
    const r = checkPenaltyDecision(listing, today);
    expect(r.ok && r.decision.penaltyTypes).toEqual([]);
    expect(
      fields(
        checkPenaltyDecision(
          {
            ...listing,
            kind: 'serious_listing',
            procedure: 'summary',
            outcome: 'lighter',
            lenientMatterCode: 'SH-LT-2022-01',
          },
          today,
        ),
      ),
    ).toEqual(['outcome', 'procedure']);
  });

  it('a serious listing takes no penalty types, fine or confiscation: refused, not dropped', () => {
    const r = checkPenaltyDecision(
      { ...base, kind: 'serious_listing', penaltyTypes: ['fine', 'confiscation'], confiscatedFen: 100 },
      today,
    );
    expect(fields(r)).toEqual(['confiscatedFen', 'fineFen', 'penaltyTypes']);
    expect(!r.ok && r.errors.find((e) => e.field === 'penaltyTypes')!.reason).toContain('不填处罚种类');
  });

  it('an amount only with its type: fineFen with fine, confiscatedFen with confiscation', () => {
    const warning = checkPenaltyDecision({ ...base, penaltyTypes: ['warning'], fineFen: 99_999_999 }, today);
    expect(fields(warning)).toEqual(['fineFen']);
    expect(!warning.ok && warning.errors[0]!.reason).toContain('不含罚款');
    expect(fields(checkPenaltyDecision({ ...base, confiscatedFen: 500 }, today))).toEqual(['confiscatedFen']);
    const both = checkPenaltyDecision(
      { ...base, penaltyTypes: ['fine', 'confiscation'], confiscatedFen: '500' },
      today,
    );
    expect(both.ok && [both.decision.fineFen, both.decision.confiscatedFen]).toEqual([20_000_000, 500]);
    // 首违不罚 carries no confiscation either
    expect(
      fields(
        checkPenaltyDecision(
          {
            ...base,
            outcome: 'first_offence',
            lenientMatterCode: 'SH-FO-2021-01',
            educationGiven: '批评教育',
            penaltyTypes: [],
            fineFen: undefined,
            confiscatedFen: 1,
          },
          today,
        ),
      ),
    ).toEqual(['confiscatedFen']);
  });

  it('amounts are plain decimal whole numbers of fen, at most 10^12 fen (100亿元)', () => {
    for (const bad of [
      '0x10',
      '5e5',
      '1_000',
      '12.50',
      '+3',
      '-1',
      '1 000',
      'Infinity',
      9007199254740991,
      1e13,
    ])
      expect([bad, fields(checkPenaltyDecision({ ...base, fineFen: bad }, today))]).toEqual([
        bad,
        ['fineFen'],
      ]);
    const hex = checkPenaltyDecision({ ...base, fineFen: '0x10' }, today);
    expect(!hex.ok && hex.errors[0]!.reason).toContain('十进制');
    const big = checkPenaltyDecision({ ...base, fineFen: 1_000_000_000_001 }, today);
    expect(!big.ok && big.errors[0]!.reason).toContain('一百亿元');
    const top = checkPenaltyDecision({ ...base, fineFen: ' 1000000000000 ' }, today);
    expect(top.ok && top.decision.fineFen).toBe(1_000_000_000_000);
    expect(
      fields(
        checkPenaltyDecision(
          { ...base, penaltyTypes: ['confiscation'], fineFen: undefined, confiscatedFen: '0x10' },
          today,
        ),
      ),
    ).toEqual(['confiscatedFen']);
  });
});

describe("the documents' glyph check (printable passed in)", () => {
  // a stand-in for the font: no CJK Extension B, no emoji, no Arabic, no U+2028, no U+01C4
  const printable = (ch: string) =>
    !/[\u{20000}-\u{2FFFF}\u{1F000}-\u{1FFFF}\u0600-\u06FF\u2028\u01C4]/u.test(ch);
  const check = (input: Record<string, unknown>) =>
    checkPenaltyDecision({ ...base, ...input }, today, undefined, printable);
  it('names the field and the character of every printed text the font lacks', () => {
    const r = check({
      decisionNo: '沪市监杨处〔2026〕😀号',
      violation: '销售𠀀𪚥过期食品😀',
      legalBasis: '《食品安全法》\u2028第三十四条',
      delivery: { channel: 'post', recipient: 'عمر', withNotice: false, exceptionReason: '\u01C4' },
    });
    expect(!r.ok && r.errors).toEqual([
      { field: 'decisionNo', reason: expect.stringContaining('第12个字符“😀”（U+1F600）') },
      { field: 'violation', reason: expect.stringContaining('第3个字符“𠀀”（U+20000）') },
      { field: 'legalBasis', reason: expect.stringContaining('第8个字符（U+2028）') },
      { field: 'delivery.recipient', reason: expect.stringContaining('“ع”（U+0639）') },
      { field: 'delivery.exceptionReason', reason: expect.stringContaining('“Ǆ”（U+01C4）') },
    ]);
    expect(!r.ok && r.errors[1]!.reason).toContain('无法打印');
    const fo = check({
      outcome: 'first_offence',
      lenientMatterCode: 'SH-FO-2021-01',
      penaltyTypes: [],
      fineFen: undefined,
      educationGiven: '批评教育😀',
    });
    expect(fields(fo)).toEqual(['educationGiven']);
  });
  it('line breaks and tabs are layout; without the predicate nothing is checked', () => {
    expect(check({ violation: '销售过期食品\n\t共12件' }).ok).toBe(true);
    expect(checkPenaltyDecision({ ...base, violation: '销售𠀀' }, today).ok).toBe(true);
  });
  it('a later delivery is checked the same way', () => {
    const r = checkLaterDelivery(
      { documents: ['decision'], channel: 'post', recipient: '张😀' },
      { today, decisionDate: '2026-11-20', hasNotice: true, noticeServed: true, printable },
    );
    expect(!r.ok && r.errors).toEqual([{ field: 'recipient', reason: expect.stringContaining('“😀”') }]);
  });
});

describe('noticeRequirement', () => {
  const t = { organisationFen: 10_000_000, naturalPersonFen: 1_000_000 };
  const periodsOf = (input: Record<string, unknown>) => {
    const r = checkPenaltyDecision({ ...base, ...input }, today);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const regime = regimeFor(r.decision.decisionDate, PUBLICATION_REGIMES);
    return { d: r.decision, p: publicationPeriods(decisionFacts(r.decision), regime, t) };
  };
  it('a published fine needs a notice', () => {
    const { d, p } = periodsOf({});
    expect(noticeRequirement(d, p)).toEqual({ required: true, reason: null });
  });
  it('summary procedure and warning-only need none, and say why', () => {
    const s = periodsOf({ procedure: 'summary' });
    expect(noticeRequirement(s.d, s.p)).toEqual({
      required: false,
      reason: expect.stringContaining('简易程序'),
    });
    const w = periodsOf({ penaltyTypes: ['warning'], fineFen: undefined });
    expect(noticeRequirement(w.d, w.p).reason).toContain('仅受到警告');
  });
  it('no penalty needs none', () => {
    expect(
      noticeRequirement({ outcome: 'no_penalty' }, { published: false, notPublishedReason: null }).reason,
    ).toContain('不予处罚');
  });
  it('a serious listing needs one', () => {
    const { d, p } = periodsOf({ kind: 'serious_listing', penaltyTypes: [], fineFen: undefined });
    expect(noticeRequirement(d, p).required).toBe(true);
  });
});

describe('checkLaterDelivery', () => {
  const ctx = { today, decisionDate: '2026-11-20', hasNotice: true, noticeServed: false };
  it('serving the notice late needs the reason; the decision again does not', () => {
    const late = checkLaterDelivery({ documents: ['repair_notice'], channel: 'post' }, ctx);
    expect(!late.ok && late.errors.map((e) => e.field)).toEqual(['exceptionReason']);
    const ok = checkLaterDelivery(
      { documents: ['repair_notice'], channel: '邮寄送达', exceptionReason: '次日补送' },
      ctx,
    );
    expect(ok.ok && ok.delivery).toEqual({
      documents: ['repair_notice'],
      channel: 'post',
      deliveredOn: today,
      recipient: null,
      exceptionReason: '次日补送',
    });
    expect(checkLaterDelivery({ documents: ['decision'], channel: 'post' }, ctx).ok).toBe(true);
  });
  it('refuses no documents, unknown ones, a notice the decision has not, and a day before the decision', () => {
    const r = checkLaterDelivery(
      { documents: ['verdict'], channel: 'pigeon', deliveredOn: '2026-11-19' },
      { ...ctx, hasNotice: false },
    );
    expect(!r.ok && r.errors.map((e) => e.field).sort()).toEqual(['channel', 'deliveredOn', 'documents']);
    const none = checkLaterDelivery({ documents: [], channel: 'post' }, ctx);
    expect(!none.ok && none.errors[0]!.field).toBe('documents');
    const noNotice = checkLaterDelivery(
      { documents: ['repair_notice'], channel: 'post', exceptionReason: 'x' },
      {
        ...ctx,
        hasNotice: false,
      },
    );
    expect(!noNotice.ok && noNotice.errors[0]!.reason).toContain('无需信用修复告知书');
  });
  it('never before the decision, also when today (the default day) is before it; never an empty refusal', () => {
    const early = { ...ctx, today: '2026-11-10' };
    const r = checkLaterDelivery({ documents: ['decision'], channel: 'post' }, early);
    expect(!r.ok && r.errors).toEqual([
      { field: 'deliveredOn', reason: '送达日期2026-11-10早于决定日期2026-11-20' },
    ]);
    const given = checkLaterDelivery(
      { documents: ['decision'], channel: 'post', deliveredOn: '2026-11-05' },
      early,
    );
    expect(!given.ok && given.errors.map((e) => e.field)).toEqual(['deliveredOn']);
    const sameDay = checkLaterDelivery(
      { documents: ['decision'], channel: 'post', deliveredOn: '2026-11-20' },
      ctx,
    );
    expect(sameDay.ok && sameDay.delivery.deliveredOn).toBe('2026-11-20');
  });
});

describe('measuresInForce', () => {
  it('gives each list its measures, dated', () => {
    expect(measuresInForce('2026-01-01', 'serious_list').length).toBeGreaterThan(2);
    expect(measuresInForce('2021-08-31', 'serious_list')).toEqual([]);
    expect(
      measuresInForce('2026-01-01', 'judgment_defaulter').every((m) => m.source.includes('最高人民法院')),
    ).toBe(true);
  });
});
