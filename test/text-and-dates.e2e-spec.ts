import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import iconv from 'iconv-lite';
import { createWriteStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { CsvFileError } from '../src/common/csv-source.js';
import { buildUscc } from '../src/common/uscc.js';
import { RecordImportService } from '../src/credit/import/record-import.service.js';
import { RegisterImportService } from '../src/enterprises/import/register-import.service.js';
import { TestApp, createTestApp } from './helpers.js';

const A = buildUscc('91', '310110', 'TXT00001');
const B = buildUscc('91', '310110', 'TXT00002');
const LATE = buildUscc('91', '310110', 'TXT00003'); // established 2020-06-15
const MONTH = buildUscc('91', '310110', 'TXT00004'); // established 2015年08月

describe('text and dates: one parser, one text check, on every path (issue 9)', () => {
  let t: TestApp;
  let dir: string;
  let register: RegisterImportService;
  let records: RecordImportService;
  const file = (name: string, text: string | Buffer) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const stored = async (sourceKey: string) =>
    (
      await t.dataSource.query(
        `SELECT record_date, date_estimated FROM credit_record WHERE source_key = $1`,
        [sourceKey],
      )
    )[0];

  beforeAll(async () => {
    t = await createTestApp();
    dir = mkdtempSync(path.join(tmpdir(), 'text-dates-'));
    register = t.app.get(RegisterImportService);
    records = t.app.get(RecordImportService);
    const r = await register.importFile(
      file(
        'register.csv',
        'uscc,name,established_on,uscc_derived\n' +
          `${A},甲公司,2001-01-01,\n${B},乙公司,,\n${LATE},丙公司,2020年6月15日,否\n${MONTH},丁公司,2015年08月,1\n`,
      ),
    );
    expect(r).toMatchObject({ inserted: 4, rejected: 0 });
  });
  afterAll(() => t.close());

  describe('dates', () => {
    const forms: [string, string, string, boolean][] = [
      ['iso', '2023-05-01', '2023-05-01', false],
      ['compact', '20230502', '2023-05-02', false],
      ['arabic-zh', '2023年5月3日', '2023-05-03', false],
      ['numeral-zh', '二〇二三年五月四日', '2023-05-04', false],
      ['offset', '2023-05-05T20:00:00-05:00', '2023-05-06', false], // 09:00 next day in Shanghai
      ['zulu-before-midnight', '2023-05-06T15:59:59Z', '2023-05-06', false],
      ['serial', '45055', '2023-05-09', false],
      ['month', '2023-04', '2023-04-01', true],
      ['month-zh', '2023年03月', '2023-03-01', true],
      ['marked', '2023-05-10', '2023-05-10', true], // date_estimated column
    ];
    const csv = (prefix: string) =>
      'uscc,kind,record_date,source_department,source_key,date_estimated\n' +
      forms
        .map(
          ([key, raw, , est]) =>
            `${A},complaint,${raw},12315,${prefix}-${key},${key === 'marked' && est ? '是' : ''}`,
        )
        .join('\n') +
      `\n${A},complaint,2023-02-30,12315,${prefix}-bad-day,\n${A},complaint,60,12315,${prefix}-fake-leap,\n${A},complaint,2023-05,12315,${prefix}-bad-flag,maybe\n`;

    it.each([
      ['staging path', 'st', {}],
      ['direct COPY path', 'dc', { directCopyMinBytes: 0 }],
    ])('the records import reads every date form (%s)', async (_path, prefix, opts) => {
      const r = await records.importFile(file(`dates-${prefix}.csv`, csv(prefix)), opts);
      expect(r).toMatchObject({ rows: forms.length + 3, inserted: forms.length, rejected: 3 });
      for (const [key, , date, estimated] of forms)
        expect([key, await stored(`${prefix}-${key}`)]).toEqual([
          key,
          { record_date: date, date_estimated: estimated },
        ]);
      const bad = Object.fromEntries(r.firstRejected.map((x) => [x.line, `${x.field}: ${x.reason}`]));
      expect(bad[forms.length + 2]).toMatch(
        /^record_date: '2023-02-30' is not a date: no such day 2023-2-30/,
      );
      expect(bad[forms.length + 3]).toMatch(
        /^record_date: '60' is not a date: Excel serial 60 is Excel's 1900-02-29/,
      );
      expect(bad[forms.length + 4]).toMatch(/^date_estimated: 'maybe' is not true\/false/);
    });

    it('the API reads the same forms (no serials) and shows the estimated flags', async () => {
      const post = (body: Record<string, unknown>) =>
        t.admin
          .post(`/api/enterprises/${B}/credit-records`)
          .send({ kind: 'complaint', sourceDepartment: '12315', ...body });
      const a = await post({ recordDate: '二〇二三年五月四日', sourceKey: 'api-zh' }).expect(201);
      expect(a.body.record).toMatchObject({ recordDate: '2023-05-04', dateEstimated: false });
      const b = await post({ recordDate: '2023-05-01T00:30:00+09:00', sourceKey: 'api-offset' }).expect(201);
      expect(b.body.record.recordDate).toBe('2023-04-30'); // 23:30 in Shanghai, not cut at the T
      const c = await post({ recordDate: '2023年04月', sourceKey: 'api-month' }).expect(201);
      expect(c.body.record).toMatchObject({ recordDate: '2023-04-01', dateEstimated: true });
      const serial = await post({ recordDate: '45055', sourceKey: 'api-serial' }).expect(422);
      expect(serial.body.errors).toEqual([
        { field: 'recordDate', reason: expect.stringMatching(/a number, not a date/) },
      ]);
      const list = await t.admin.get(`/api/enterprises/${B}/credit-records`).expect(200);
      expect(
        list.body.find((x: { sourceKey: string }) => x.sourceKey === 'api-month')?.dateEstimated ??
          list.body.items?.find((x: { sourceKey: string }) => x.sourceKey === 'api-month')?.dateEstimated,
      ).toBe(true);
    });

    it('register: a month-only establishment date is its first day, estimated; uscc_derived marks a placeholder', async () => {
      const m = await t.admin.get(`/api/enterprises/${MONTH}`).expect(200);
      expect(m.body).toMatchObject({
        establishedOn: '2015-08-01',
        establishedOnEstimated: true,
        usccDerived: true,
      });
      const l = await t.admin.get(`/api/enterprises/${LATE}`).expect(200);
      expect(l.body).toMatchObject({
        establishedOn: '2020-06-15',
        establishedOnEstimated: false,
        usccDerived: false,
      });
      const api = await t.admin
        .post('/api/enterprises')
        .send({ uscc: buildUscc('91', '310110', 'TXT00009'), name: '戊公司', establishedOn: '2019年05月' })
        .expect(201);
      expect(api.body).toMatchObject({ establishedOn: '2019-05-01', establishedOnEstimated: true });
    });
  });

  describe('records dated before the enterprise was established are refused', () => {
    it.each([
      ['staging path', 'st', {}],
      ['direct COPY path', 'dc', { directCopyMinBytes: 0 }],
    ])('by the CSV import (%s), with line and field', async (_p, prefix, opts) => {
      const f = file(
        `early-${prefix}.csv`,
        'uscc,kind,record_date,source_department,source_key\n' +
          `${LATE},complaint,2020-06-14,12315,${prefix}-early\n${LATE},complaint,2020-06-15,12315,${prefix}-same-day\n` +
          `${MONTH},complaint,2015-08-01,12315,${prefix}-month-start\n${B},complaint,1990-01-01,12315,${prefix}-unknown-established\n`,
      );
      const r = await records.importFile(f, opts);
      expect(r).toMatchObject({ inserted: 3, rejected: 1 });
      expect(r.firstRejected).toEqual([
        {
          line: 2,
          field: 'record_date',
          reason: '2020-06-14 is before the enterprise was established (2020-06-15)',
        },
      ]);
    });

    it('by the API (422 naming recordDate), nothing stored', async () => {
      const res = await t.admin
        .post(`/api/enterprises/${LATE}/credit-records`)
        .send({
          kind: 'complaint',
          recordDate: '2019-12-31',
          sourceDepartment: '12315',
          sourceKey: 'api-early',
        })
        .expect(422);
      expect(res.body.errors).toEqual([
        { field: 'recordDate', reason: '2019-12-31 is before the enterprise was established (2020-06-15)' },
      ]);
      expect(await stored('api-early')).toBeUndefined();
    });
  });

  describe('unstorable characters', () => {
    it.each([
      ['a NUL', { subject: 'a\u0000b' }, 'subject', /NUL character/],
      ['a lone surrogate', { subject: 'x\ud800' }, 'subject', /lone surrogate \(U\+D800\)/],
      ['U+FFFE', { channel: '\ufffe' }, 'channel', /noncharacter U\+FFFE/],
      [
        'a NUL in a details key',
        { details: { 'k\u0000': 1 } },
        'details.k\u0000',
        /field name contains a NUL/,
      ],
      ['a NUL in a details value', { details: { note: ['ok', 'a\u0000'] } }, 'details.note[1]', /NUL/],
    ])('%s answers 422 naming the field, never the database text', async (_w, extra, field, reason) => {
      const res = await t.admin
        .post(`/api/enterprises/${A}/credit-records`)
        .send({ kind: 'complaint', recordDate: '2024-01-01', sourceDepartment: '12315', ...extra })
        .expect(422);
      expect(res.body.errors).toEqual([{ field, reason: expect.stringMatching(reason) }]);
      expect(res.body.message).not.toMatch(/invalid byte sequence|unsupported Unicode|0x00/);
    });

    it('a NUL in a query parameter answers 422 naming it', async () => {
      const res = await t.admin.get('/api/enterprises').query({ name: 'a\u0000' }).expect(422);
      expect(res.body.errors).toEqual([{ field: 'name', reason: expect.stringMatching(/NUL/) }]);
    });

    it('the CSV import rejects such a row with its line and column; the other rows are stored', async () => {
      const good = buildUscc('91', '310110', 'TXT00005');
      const bytes = Buffer.concat([
        Buffer.from(`uscc,name,address\n${good},好公司,杨浦区\n${buildUscc('91', '310110', 'TXT00006')},坏`),
        Buffer.from([0xff]), // not UTF-8: decoded as U+FFFD
        Buffer.from(
          `公司,x\n${buildUscc('91', '310110', 'TXT00007')},名,a\u0000b\n${buildUscc('91', '310110', 'TXT00008')},名,\ud800\n`,
        ),
      ]);
      const r = await register.importFile(file('unstorable.csv', bytes));
      expect(r).toMatchObject({ inserted: 1, rejected: 3 });
      expect(r.firstRejected.map((x) => [x.line, x.field, x.reason.replace(/ \(.*|at .*/, '')])).toEqual([
        [3, 'name', 'contains an undecodable byte'],
        [4, 'address', 'contains a NUL character'],
        [5, 'address', 'contains an undecodable byte'], // a lone surrogate written as UTF-8 is not UTF-8
      ]);
    });

    it('GB18030: a 4-byte character across the 64 KiB read boundary reads right; one cut at the end of the file rejects its row', async () => {
      const head = iconv.encode('uscc,name,address\n', 'gb18030');
      const first = buildUscc('91', '310110', 'TXT00013');
      const before = iconv.encode(`${first},${'杨'.repeat(10)}`, 'gb18030');
      // blank lines (skipped, but counted) so that U+20000 (95 32 82 36) starts 2 bytes before offset 65536
      const blank = 65536 - 2 - head.length - before.length;
      const bytes = Buffer.concat([
        head,
        Buffer.alloc(blank, 0x0a),
        before,
        iconv.encode('𠀀公司,a\n', 'gb18030'),
        iconv
          .encode(`${buildUscc('91', '310110', 'TXT00014')},${'浦'.repeat(3)},杨浦区`, 'gb18030')
          .subarray(0, -1), // cut inside 区
      ]);
      expect(bytes.subarray(65534, 65538)).toEqual(Buffer.from([0x95, 0x32, 0x82, 0x36]));
      const r = await register.importFile(file('gb-boundary.csv', bytes));
      expect(r).toMatchObject({ encoding: 'gb18030', inserted: 1, rejected: 1 });
      expect(r.firstRejected[0]).toMatchObject({
        line: 3 + blank,
        field: 'address',
        reason: expect.stringMatching(/undecodable byte/),
      });
      expect((await t.admin.get(`/api/enterprises/${first}`).expect(200)).body.name).toBe(
        `${'杨'.repeat(10)}𠀀公司`,
      );
    });

    it('a GB18030 file whose bytes happen to be valid UTF-8 is read as GB18030', async () => {
      let name = '';
      for (let lead = 0xc2; lead <= 0xd7; lead += 3)
        name += iconv.decode(Buffer.from([lead, 0xa5]), 'gb18030');
      const uscc = buildUscc('91', '310110', 'TXT00010');
      const bytes = iconv.encode(`uscc,name\n${uscc},${name}\n`, 'gb18030');
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).not.toThrow();
      const r = await register.importFile(file('lookalike.csv', bytes));
      expect(r).toMatchObject({ encoding: 'gb18030', inserted: 1 });
      expect((await t.admin.get(`/api/enterprises/${uscc}`).expect(200)).body.name).toBe(name);
    });
  });

  describe('limits', () => {
    it("the CSV import applies the API's limits with the API's reason", async () => {
      const subject = '诉'.repeat(501);
      const api = await t.admin
        .post(`/api/enterprises/${A}/credit-records`)
        .send({ kind: 'complaint', recordDate: '2024-01-01', sourceDepartment: '12315', subject })
        .expect(422);
      expect(api.body.errors).toEqual([
        { field: 'subject', reason: 'subject is longer than 500 characters (501)' },
      ]);
      const r = await records.importFile(
        file(
          'long.csv',
          `uscc,kind,record_date,source_department,subject,source_key\n${A},complaint,2024-01-01,12315,${subject},long-1\n` +
            `${A},complaint,2024-01-01,${'部'.repeat(101)},x,long-2\n${A},complaint,2024-01-01,12315,x,${'k'.repeat(201)}\n` +
            `${A},complaint,2024-01-01,12315,${'诉'.repeat(500)},long-ok\n`,
        ),
      );
      expect(r).toMatchObject({ inserted: 1, rejected: 3 });
      expect(r.firstRejected).toEqual([
        { line: 2, field: 'subject', reason: 'longer than 500 characters (501)' },
        { line: 3, field: 'source_department', reason: 'longer than 100 characters (101)' },
        { line: 4, field: 'source_key', reason: 'longer than 200 characters (201)' },
      ]);
      const reg = await register.importFile(
        file(
          'long-register.csv',
          `uscc,name,street\n${buildUscc('91', '310110', 'TXT00011')},${'名'.repeat(201)},${'街'.repeat(101)}\n${A},甲公司,x\n`,
        ),
      );
      expect(reg.firstRejected.map((x) => `${x.field}: ${x.reason}`)).toEqual([
        'name: longer than 200 characters (201)',
        'street: longer than 100 characters (101)',
      ]);
    });

    it('a 40 MB field is refused as the file streams, without buffering it; nothing stored', async () => {
      const p = path.join(dir, 'huge.csv');
      const w = createWriteStream(p);
      w.write(`uscc,name,address\n${buildUscc('91', '310110', 'TXT00012')},大公司,"`);
      const block = '杨'.repeat(1 << 16); // 192 KiB of UTF-8
      for (let i = 0; i < 210; i++) if (!w.write(block)) await once(w, 'drain');
      w.end('"\n');
      await once(w, 'finish');
      global.gc?.();
      const before = process.memoryUsage();
      let peak = 0;
      const timer = setInterval(
        () => (peak = Math.max(peak, process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers)),
        5,
      );
      const err = await register.importFile(p).catch((e: unknown) => e);
      clearInterval(timer);
      expect(err).toBeInstanceOf(CsvFileError);
      expect((err as Error).message).toMatch(/line 2, column address: a field longer than 65536 characters/);
      // the old parser held the whole field (40 MB of UTF-8, 26 MB of UTF-16 at least) in memory
      expect(peak - (before.heapUsed + before.arrayBuffers)).toBeLessThan(16 * 1024 * 1024);
      expect(
        (await t.dataSource.query(`SELECT count(*)::int AS n FROM enterprise WHERE name = '大公司'`))[0].n,
      ).toBe(0);
    });

    it('a row of commas counts toward the row bound: refused within its first MiB', async () => {
      const p = file(
        'commas.csv',
        `uscc,name,address\n${buildUscc('91', '310110', 'TXT00013')},逗号,a${','.repeat(3 << 20)}\n`,
      );
      const err = await register.importFile(p).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CsvFileError);
      expect((err as Error).message).toMatch(/line 2: a row longer than 1048576 characters: refused/);
    });

    it('classic Mac line ends (CR only): a file over 1 MiB imports row by row; a cut one is refused as truncated', async () => {
      const rows = Array.from(
        { length: 15000 },
        (_, i) =>
          `${buildUscc('91', '310110', `CR${String(i).padStart(6, '0')}`)},回车公司${i},上海市杨浦区国权路${i}号`,
      );
      const text = `uscc,name,address\r${rows.join('\r')}\r`;
      expect(Buffer.byteLength(text)).toBeGreaterThan(1 << 20);
      const r = await register.importFile(file('cr.csv', text));
      expect(r).toMatchObject({ rows: 15000, inserted: 15000, rejected: 0 });
      const cut = `uscc,name,address\r${buildUscc('91', '310110', 'CRCUT001')},回车,a\r${buildUscc('91', '310110', 'CRCUT002')},回车截断`;
      const err = await register.importFile(file('cr-cut.csv', cut)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CsvFileError);
      expect((err as Error).message).toMatch(/ends inside a row \(line 3 has 2 of the header's 3 fields/);
    });
  });
});
