import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import iconv from 'iconv-lite';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CsvHeaderError } from '../src/common/csv-source.js';
import { RecordImportService } from '../src/credit/import/record-import.service.js';
import { RegisterImportService } from '../src/enterprises/import/register-import.service.js';
import { buildUscc } from '../src/common/uscc.js';
import { TestApp, createTestApp } from './helpers.js';

const A = '91310115MA1FL8Q20P';
const B = '91350200776049653A';
const C = '91310110MA00000154';
const D = buildUscc('91', '310110', 'CAP00001');
const E = buildUscc('91', '310110', 'CAP00002');

describe('CSV import of the register and of credit records', () => {
  let t: TestApp;
  let dir: string;
  let register: RegisterImportService;
  let records: RecordImportService;
  const file = (name: string, text: string, encoding = 'utf-8') => {
    const p = path.join(dir, name);
    writeFileSync(p, encoding === 'utf-8' ? text : iconv.encode(text, encoding));
    return p;
  };
  const count = async (table: string) =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

  beforeAll(async () => {
    t = await createTestApp();
    dir = mkdtempSync(path.join(tmpdir(), 'import-test-'));
    register = t.app.get(RegisterImportService);
    records = t.app.get(RecordImportService);
  });
  afterAll(() => t.close());

  it('refuses a register file with wrong columns before writing anything', async () => {
    const f = file('bad-header.csv', `uscc,company_name\n${A},x\n`);
    await expect(register.importFile(f)).rejects.toThrow(CsvHeaderError);
    await expect(register.importFile(f)).rejects.toThrow(
      /missing column\(s\) name; unknown column\(s\) company_name/,
    );
    expect(await count('enterprise')).toBe(0);
  });

  it('imports valid rows and reports every rejected row with its line and reason', async () => {
    const f = file(
      'register.csv',
      [
        'uscc,name,status,established_on,division_code,prepaid_issuer',
        `${A},上海甲健身有限公司,存续,2019-05-20,310110,是`,
        `91310115MA1FL8Q20Q,坏代码公司,存续,,310110,否`,
        `${B},厦门乙公司,注销,2010-01-01,350200,false`,
        `${A.toLowerCase()},重复公司,active,,310110,0`,
        `${C},,active,2019-02-30,31011,maybe`,
        `${C},"有,逗号的公司",active`,
      ].join('\n') + '\n',
    );
    const rejects = path.join(dir, 'rejects.csv');
    const r = await register.importFile(f, { rejectsFile: rejects });
    expect(r).toMatchObject({
      rows: 6,
      inserted: 2,
      updated: 0,
      unchanged: 0,
      rejected: 4,
      encoding: 'utf-8',
    });
    expect(r.firstRejected.map((x) => [x.line, x.field])).toEqual([
      [3, 'uscc'],
      [6, 'name'],
      [6, 'division_code'],
      [6, 'established_on'],
      [6, 'prepaid_issuer'],
      [7, '(row)'],
      [5, 'uscc'],
    ]);
    expect(r.firstRejected[0]!.reason).toContain('position 18');
    expect(r.firstRejected[6]!.reason).toContain('already given at line 2');
    const written = readFileSync(rejects, 'utf8').trim().split('\n');
    expect(written[0]).toBe('line,field,reason');
    expect(written).toHaveLength(8);
    const [a] = await t.dataSource.query(
      `SELECT status, prepaid_issuer, established_on FROM enterprise WHERE uscc = $1`,
      [A],
    );
    expect(a).toEqual({ status: 'active', prepaid_issuer: true, established_on: '2019-05-20' });
  });

  it('re-importing the same file duplicates nothing; a changed row updates', async () => {
    const f = path.join(dir, 'register.csv');
    const again = await register.importFile(f);
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    expect(await count('enterprise')).toBe(2);
    const changed = file('register2.csv', `uscc,name,status\n${B},厦门乙公司,吊销\n`);
    expect(await register.importFile(changed)).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
  });

  it('an update changes only the columns the file carries', async () => {
    const full = file(
      'full.csv',
      `uscc,name,status,industry_code,street\n${B},厦门乙公司,revoked,R8930,五角场街道\n`,
    );
    await register.importFile(full);
    const nameOnly = file('name-only.csv', `uscc,name\n${B},厦门乙公司(更名)\n`);
    expect(await register.importFile(nameOnly)).toMatchObject({ updated: 1 });
    const [b] = await t.dataSource.query(
      `SELECT name, status, industry_code, street FROM enterprise WHERE uscc = $1`,
      [B],
    );
    expect(b).toEqual({
      name: '厦门乙公司(更名)',
      status: 'revoked',
      industry_code: 'R8930',
      street: '五角场街道',
    });
  });

  it('reads a GB18030 file', async () => {
    const f = file('gbk.csv', `uscc,name,street\n${C},上海丙餐饮有限公司,五角场街道\n`, 'gb18030');
    const r = await register.importFile(f);
    expect(r).toMatchObject({ encoding: 'gb18030', inserted: 1 });
    const [c] = await t.dataSource.query(`SELECT name, street FROM enterprise WHERE uscc = $1`, [C]);
    expect(c).toEqual({ name: '上海丙餐饮有限公司', street: '五角场街道' });
  });

  it('reads a UTF-16 file (Excel "Unicode text" saves UTF-16LE with a BOM), updating as UTF-8 would', async () => {
    const p = path.join(dir, 'utf16.csv');
    writeFileSync(
      p,
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(`uscc,name\n${C},上海丙餐饮有限公司（UTF-16）\n`, 'utf16le'),
      ]),
    );
    const r = await register.importFile(p);
    expect(r).toMatchObject({ encoding: 'utf-16le', updated: 1 });
    const [c] = await t.dataSource.query(`SELECT name FROM enterprise WHERE uscc = $1`, [C]);
    expect(c).toEqual({ name: '上海丙餐饮有限公司（UTF-16）' });
  });

  it('imports credit records, rejecting unknown enterprises and bad fields by line; re-import adds nothing', async () => {
    const f = file(
      'records.csv',
      [
        'uscc,kind,record_date,source_department,decision_no,procedure,penalty_types,fine_fen,list_type,listed_on,outcome,channel,subject',
        `${A},administrative_penalty,2026-03-01,区市场监管局,沪市监杨处〔2026〕9号,general,fine;confiscation,500000,,,,,`,
        `${A},complaint,2026-04-01,12315,,,,,,,,12315,预付卡退费纠纷`,
        `${A},complaint,2026-04-01,12315,,,,,,,,12315,预付卡退费纠纷`,
        `91310110MA0000023Y,complaint,2026-04-01,12315,,,,,,,,12315,x`,
        `${B},listing,,区市场监管局,,,,,anomaly,2025-07-01,,,`,
        `${B},inspection_result,2026-05-01,区市场监管局,,,,,,,passed,,`,
        `${B},administrative_penalty,2026-05-01,区市场监管局,,general,fine,12.5,,,,,`,
      ].join('\n') + '\n',
    );
    const r = await records.importFile(f);
    expect(r).toMatchObject({ rows: 7, inserted: 3, unchanged: 0, rejected: 4 }); // line 4 repeats line 3
    const lines = r.firstRejected.map((x) => `${x.line}:${x.field}`);
    expect(lines).toEqual(expect.arrayContaining(['7:outcome', '8:fine_fen', '8:decision_no', '5:uscc']));
    expect(r.firstRejected.find((x) => x.line === 5)!.reason).toBe(
      'enterprise 91310110MA0000023Y is not in the register',
    );
    const again = await records.importFile(f);
    expect(again).toMatchObject({ inserted: 0, unchanged: 3, rejected: 4 });
    expect(await count('credit_record')).toBe(3);
  });

  it('refuses a record file with wrong columns before writing anything', async () => {
    const f = file('bad-records.csv', `uscc,kind,record_date\n${A},complaint,2026-01-01\n`);
    await expect(records.importFile(f)).rejects.toThrow(/missing column\(s\) source_department/);
    expect(await count('credit_record')).toBe(3);
  });

  it('writes nothing when the load fails half-way (one transaction)', async () => {
    // valid by the row check, but refused by the database: the whole file rolls back
    await t.dataSource.query(
      `ALTER TABLE credit_record ADD CONSTRAINT test_no_referrals CHECK (kind <> 'referral')`,
    );
    try {
      const f = file(
        'half.csv',
        `uscc,kind,record_date,source_department,channel\n${A},complaint,2026-06-01,x,12345\n${A},referral,2026-06-02,x,公安\n`,
      );
      await expect(records.importFile(f)).rejects.toThrow(/test_no_referrals/);
      expect(await count('credit_record')).toBe(3);
    } finally {
      await t.dataSource.query(`ALTER TABLE credit_record DROP CONSTRAINT test_no_referrals`);
    }
  });
  it('imports registered capital (fen) and registration changes, refusing bad values by line', async () => {
    const reg = file(
      'capital.csv',
      `uscc,name,entity_type,registered_capital_fen\n${D},上海资本甲有限公司,company,5000000\n${E},上海资本乙有限公司,company,12.5\n${E},上海资本乙有限公司,company,-1\n`,
    );
    const r = await register.importFile(reg);
    expect(r).toMatchObject({ inserted: 1, rejected: 2 });
    expect(r.firstRejected.map((x) => `${x.line}:${x.field}`)).toEqual([
      '3:registered_capital_fen',
      '4:registered_capital_fen',
    ]);
    expect(r.firstRejected[0]!.reason).toMatch(/'12.5' is not a whole number of fen/);
    const rec = file(
      'changes.csv',
      `uscc,kind,record_date,source_department,change_item\n${D},registration_change,2026-03-01,区市场监管局,legal_representative\n${D},registration_change,2026-04-01,区市场监管局,\n${D},registration_change,2026-04-01,区市场监管局,ceo\n`,
    );
    const x = await records.importFile(rec);
    expect(x).toMatchObject({ inserted: 1, rejected: 2 });
    expect(x.firstRejected.map((f) => `${f.line}:${f.field}`)).toEqual(['3:change_item', '4:change_item']);
    const [stored] = await t.dataSource.query(
      `SELECT e.registered_capital_fen::int AS fen, r.change_item, r.polarity FROM enterprise e
       JOIN credit_record r ON r.enterprise_id = e.id WHERE e.uscc = $1`,
      [D],
    );
    expect(stored).toEqual({ fen: 5000000, change_item: 'legal_representative', polarity: 'neutral' });
    // the database refuses what the checks refuse, whoever writes
    await expect(
      t.dataSource.query(`UPDATE credit_record SET change_item = 'ceo' WHERE change_item IS NOT NULL`),
    ).rejects.toThrow(/credit_record_change_item/);
    await expect(
      t.dataSource.query(`UPDATE enterprise SET registered_capital_fen = -1 WHERE uscc = $1`, [D]),
    ).rejects.toThrow(/enterprise_registered_capital_range/);
  });
});

describe('the direct COPY path of large files, and its fallback', () => {
  let t: TestApp;
  let dir: string;
  const direct = { directCopyMinBytes: 0 }; // every file takes the direct path first
  const count = async (table: string) =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  beforeAll(async () => {
    t = await createTestApp();
    dir = mkdtempSync(path.join(tmpdir(), 'import-direct-'));
  });
  afterAll(() => t.close());

  it('loads new enterprises and records directly, reporting bad rows by line', async () => {
    const reg = path.join(dir, 'reg.csv');
    writeFileSync(reg, `uscc,name\n${A},甲\n${B},乙\n91310115MA1FL8Q20Q,坏\n`);
    const r = await t.app.get(RegisterImportService).importFile(reg, direct);
    expect(r).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, rejected: 1 });
    const rec = path.join(dir, 'rec.csv');
    writeFileSync(
      rec,
      `uscc,kind,record_date,source_department,outcome,source_key\n${A},inspection_result,2026-01-01,x,no_problem,k1\n${C},inspection_result,2026-01-01,x,no_problem,k2\n${B},inspection_result,2026-01-01,x,bad,k3\n${B},complaint,2026-01-02,x,,k4\n`,
    );
    const x = await t.app.get(RecordImportService).importFile(rec, direct);
    expect(x).toMatchObject({ inserted: 2, unchanged: 0, rejected: 2 });
    expect(x.firstRejected.map((f) => `${f.line}:${f.field}`).sort()).toEqual(['3:uscc', '4:outcome']);
    // records refer to enterprises that can never be deleted
    await expect(t.dataSource.query(`DELETE FROM enterprise WHERE uscc = $1`, [A])).rejects.toThrow(
      /never deleted/,
    );
  });

  it('falls back to the staging path when keys are already stored, with the same result', async () => {
    const reg = path.join(dir, 'reg.csv');
    expect(await t.app.get(RegisterImportService).importFile(reg, direct)).toMatchObject({
      inserted: 0,
      unchanged: 2,
      rejected: 1,
    });
    const rec = path.join(dir, 'rec.csv');
    const again = await t.app.get(RecordImportService).importFile(rec, direct);
    expect(again).toMatchObject({ inserted: 0, unchanged: 2, rejected: 2 });
    expect(await count('credit_record')).toBe(2);
    expect(await count('enterprise')).toBe(2);
  });

  it('loads registered capital and registration changes on the direct path too', async () => {
    const reg = path.join(dir, 'capital.csv');
    writeFileSync(reg, `uscc,name,registered_capital_fen\n${D},上海资本甲有限公司,5000000\n`);
    expect(await t.app.get(RegisterImportService).importFile(reg, direct)).toMatchObject({ inserted: 1 });
    const rec = path.join(dir, 'changes.csv');
    writeFileSync(
      rec,
      `uscc,kind,record_date,source_department,change_item,source_key\n${D},registration_change,2026-03-01,x,address,c1\n`,
    );
    expect(await t.app.get(RecordImportService).importFile(rec, direct)).toMatchObject({ inserted: 1 });
    const [stored] = await t.dataSource.query(
      `SELECT e.registered_capital_fen::int AS fen, r.change_item FROM enterprise e
       JOIN credit_record r ON r.enterprise_id = e.id WHERE e.uscc = $1`,
      [D],
    );
    expect(stored).toEqual({ fen: 5000000, change_item: 'address' });
  });

  it('falls back when a key repeats inside the file, and refuses the repeat by line', async () => {
    const rec = path.join(dir, 'rep.csv');
    writeFileSync(
      rec,
      `uscc,kind,record_date,source_department,source_key\n${A},complaint,2026-02-01,x,r1\n${A},complaint,2026-02-01,x,r1\n`,
    );
    const r = await t.app.get(RecordImportService).importFile(rec, direct);
    expect(r).toMatchObject({ inserted: 1, unchanged: 0, rejected: 1 });
    expect(r.firstRejected[0]).toMatchObject({
      line: 3,
      field: 'source_key',
      reason: 'source key already given at line 2',
    });
  });
});
