import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { type InsertedDecision, insertDecision } from './penalty-document-fixtures.js';
import { type Agent, type TestApp, createTestApp } from './helpers.js';

/** Reads a binary answer (a PDF) into a Buffer. */
function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

const get = (a: Agent, url: string) =>
  a
    .get(url)
    .buffer(true)
    .parse(binary as never);

const POPPLER = existsSync('/usr/bin/pdftoppm') || existsSync('/usr/local/bin/pdftoppm');

/**
 * The dual documents end to end (issue 13 "The dual documents"): rows inserted with plain SQL into
 * the scaffold's tables, the documents read through the HTTP API by each kind of caller; each PDF
 * rendered to an image (pdftoppm) and read back (pdftotext, pdffonts).
 */
describe('penalty decision documents', () => {
  let t: TestApp;
  let published: InsertedDecision;
  let summary: InsertedDecision;
  let regulator: Agent;
  let inspector: Agent;
  let own: Agent;
  let other: Agent;

  beforeAll(async () => {
    t = await createTestApp();
    published = await insertDecision(t.dataSource, { decisionNo: '沪市监杨处〔2025〕3101号' });
    summary = await insertDecision(t.dataSource, {
      decisionNo: '沪市监杨简处〔2025〕3102号',
      procedure: 'summary',
      penaltyTypes: ['fine'],
      fineFen: 20_000,
      enterpriseId: published.enterprise.id,
    });
    const otherEnterprise = await insertDecision(t.dataSource, { decisionNo: '沪市监杨处〔2025〕3103号' });
    ({ agent: regulator } = await t.signIn('regulator', { department: 'health' }));
    ({ agent: inspector } = await t.signIn('inspector'));
    ({ agent: own } = await t.signIn('enterprise', { uscc: published.enterprise.uscc }));
    ({ agent: other } = await t.signIn('enterprise', { uscc: otherEnterprise.enterprise.uscc }));
  });
  afterAll(() => t.close());

  const base = (id: number) => `/api/penalty-decisions/${id}/documents`;

  it('serves the decision and its notice as HTML, with the same number and dates', async () => {
    const d = await get(t.admin, `${base(published.id)}/decision.html`).expect(200);
    expect(d.headers['content-type']).toBe('text/html; charset=utf-8');
    const n = await get(t.admin, `${base(published.id)}/repair-notice.html`).expect(200);
    const decision = d.body.toString('utf8');
    const notice = n.body.toString('utf8');
    for (const same of [
      '沪市监杨处〔2025〕3101号',
      published.noticeNo!,
      '2025年6月30日',
      '2028年6月30日',
      '2026年7月1日',
      published.enterprise.name,
    ]) {
      expect(decision).toContain(same);
      expect(notice).toContain(same);
    }
    expect(decision).toContain('<h1>行政处罚决定书</h1>');
    expect(notice).toContain('<h1>信用修复告知书</h1>');
    expect(d.headers['cache-control']).toBe('private, no-store');
  });

  it('names the files in Chinese (RFC 5987) with an ASCII fallback', async () => {
    const res = await get(t.admin, `${base(published.id)}/decision.pdf`).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const cd = res.headers['content-disposition'] as string;
    expect(cd).toContain(`filename="decision-${published.id}.pdf"`);
    const star = /filename\*=UTF-8''([^;]+)/.exec(cd)?.[1];
    expect(decodeURIComponent(star!)).toBe('行政处罚决定书-沪市监杨处〔2025〕3101号.pdf');
    expect(star).not.toMatch(/[()'*]/);
  });

  it('answers 404 for the notice of a decision that needs none, saying why', async () => {
    await get(t.admin, `${base(summary.id)}/decision.html`).expect(200);
    const res = await t.admin.get(`${base(summary.id)}/repair-notice.html`).expect(404);
    expect(res.body.message).toContain('needs no credit-repair notice');
    expect(res.body.message).toContain('适用简易程序');
    await t.admin.get(`${base(summary.id)}/repair-notice.pdf`).expect(404);
  });

  it('lets every regulator and inspector read; an enterprise only its own (others 404, audited)', async () => {
    await get(regulator, `${base(published.id)}/decision.html`).expect(200);
    await get(inspector, `${base(published.id)}/repair-notice.html`).expect(200);
    await get(own, `${base(published.id)}/decision.pdf`).expect(200);
    await get(own, `${base(published.id)}/repair-notice.pdf`).expect(200);
    const refused = await other.get(`${base(published.id)}/decision.html`).expect(404);
    const unknown = await other.get(`${base(99_999_999)}/decision.html`).expect(404);
    expect(refused.body.message).toBe(`no penalty decision ${published.id}`);
    expect(unknown.body.message).toBe('no penalty decision 99999999');
    const [denied] = await t.dataSource.query(
      `SELECT entity_id, after FROM audit_log WHERE action = 'access.denied' AND entity_type = 'penalty_decision'`,
    );
    expect(denied.entity_id).toBe(String(published.id));
    await request(t.http)
      .get(`${base(published.id)}/decision.html`)
      .expect(401);
  });

  it('refuses an id that is not a positive whole number (IdParam)', async () => {
    for (const bad of ['0', '4.0', '1e3', 'abc']) {
      const res = await t.admin.get(`/api/penalty-decisions/${bad}/documents/decision.html`).expect(422);
      expect(res.body.message).toContain('id must be a positive whole number');
    }
  });

  it('a character the PDF font lacks is a 422 naming the field and the character; the HTML still shows it', async () => {
    await t.dataSource.query(`UPDATE enterprise SET name = '上海𠀀记食品有限公司' WHERE id = $1`, [
      published.enterprise.id,
    ]);
    try {
      const res = await t.admin.get(`${base(published.id)}/decision.pdf`).expect(422);
      expect(res.body.errors).toEqual([
        { field: 'enterprise.name', reason: expect.stringContaining("the character '𠀀' (U+20000)") },
      ]);
      const html = await get(t.admin, `${base(published.id)}/decision.html`).expect(200);
      expect(html.body.toString('utf8')).toContain('上海𠀀记食品有限公司');
    } finally {
      await t.dataSource.query(`UPDATE enterprise SET name = $2 WHERE id = $1`, [
        published.enterprise.id,
        published.enterprise.name,
      ]);
    }
  });

  it('serves the 信用承诺书 template to any signed-in user', async () => {
    const html = await get(own, '/api/credit-repair/commitment-letter.html').expect(200);
    expect(html.body.toString('utf8')).toContain('<h1>信用承诺书</h1>');
    const pdf = await get(own, '/api/credit-repair/commitment-letter.pdf').expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
  });

  describe('the PDFs read back (poppler-utils)', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'penalty-pdf-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const cases = [
      { name: 'decision', url: () => `${base(published.id)}/decision.pdf`, title: '行政处罚决定书' },
      {
        name: 'repair-notice',
        url: () => `${base(published.id)}/repair-notice.pdf`,
        title: '信用修复告知书',
      },
      {
        name: 'commitment-letter',
        url: () => '/api/credit-repair/commitment-letter.pdf',
        title: '信用承诺书',
      },
    ];
    for (const c of cases)
      (POPPLER ? it : it.skip)(
        `${c.name}: renders to a non-blank image, gives its Chinese text back and embeds its font${POPPLER ? '' : ' (SKIPPED: pdftoppm not installed; apt-get install poppler-utils)'}`,
        async () => {
          const res = await get(t.admin, c.url()).expect(200);
          const file = path.join(dir, `${c.name}.pdf`);
          writeFileSync(file, res.body);
          // (a) the first page as an image is not blank: many pixels far from white
          execFileSync('pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', '1', file, path.join(dir, c.name)]);
          const png = readdirSync(dir).find((f) => f.startsWith(`${c.name}-`) && f.endsWith('.png'))!;
          expect(png).toBeDefined();
          execFileSync('pdftoppm', [
            '-r',
            '60',
            '-gray',
            '-f',
            '1',
            '-l',
            '1',
            file,
            path.join(dir, `${c.name}-gray`),
          ]);
          const pgm = readFileSync(
            path.join(
              dir,
              readdirSync(dir).find((f) => f.startsWith(`${c.name}-gray`) && f.endsWith('.pgm'))!,
            ),
          );
          const pixels = pgmPixels(pgm);
          const dark = pixels.filter((v) => v < 128).length;
          expect(dark / pixels.length).toBeGreaterThan(0.01);
          expect(readFileSync(path.join(dir, png)).subarray(1, 4).toString()).toBe('PNG');
          // (b) the text comes back in Chinese
          const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
          const flat = text.replace(/\s+/g, '');
          expect(flat).toContain(c.title);
          if (c.name !== 'commitment-letter') {
            for (const part of ['沪市监杨处〔2025〕3101号', '2025年6月30日', '2028年6月30日', '2026年7月1日'])
              expect(flat).toContain(part);
          }
          if (c.name === 'repair-notice') expect(flat).toContain(published.noticeNo!);
          // (c) the font embedded (a subset), no Type 3 font, nothing missing
          const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
          expect(fonts.length).toBeGreaterThan(0);
          for (const line of fonts) {
            expect(line).toMatch(/NotoSansSC/);
            expect(line).not.toMatch(/Type 3/);
            expect(line).toMatch(/CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
          }
          // the metadata dated by the document, not the clock
          const info = execFileSync('pdfinfo', ['-isodates', file], { encoding: 'utf8' });
          if (c.name !== 'commitment-letter') expect(info).toMatch(/CreationDate:\s+2025-06-29T16:00:00Z/);
          expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
        },
      );
  });
});

/** The gray values of a binary PGM (P5, 8-bit) image. */
function pgmPixels(pgm: Buffer): number[] {
  // header: P5\n<w> <h>\n<max>\n
  let pos = 0;
  const fields: string[] = [];
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(pgm[pos]!))) pos++;
    let s = '';
    while (!/\s/.test(String.fromCharCode(pgm[pos]!))) s += String.fromCharCode(pgm[pos++]!);
    fields.push(s);
  }
  pos++;
  if (fields[0] !== 'P5') throw new Error(`not a binary PGM: ${fields[0]}`);
  return [...pgm.subarray(pos)];
}
