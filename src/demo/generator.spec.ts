import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isIsoDate } from '../common/clock.js';
import { isValidUscc } from '../common/uscc.js';
import { checkCreditRecord } from '../credit/rules/credit-record-input.js';
import { CREDIT_RECORD_KINDS } from '../credit/rules/record-kinds.js';
import { DemoOptions, RECORDS_HEADER, REGISTER_HEADER, writeDemoCsv } from './generator.js';

const REGISTER_COLUMNS =
  'uscc,name,entity_type,industry_code,division_code,street,address,established_on,status,prepaid_issuer,registered_capital_fen';
const RECORD_COLUMNS =
  'uscc,kind,record_date,source_department,valid_until,decision_no,procedure,penalty_types,fine_fen,list_type,' +
  'listing_reason,listed_on,removed_on,channel,subject,outcome,amount_fen,case_type,change_item,source_system,source_key';

const BASE: DemoOptions = { enterprises: 3000, recordsPerEnterprise: 5, seed: 'demo-1', asOf: '2025-06-30' };

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'demo-gen-'));
}

async function generate(opts: DemoOptions) {
  const dir = tempDir();
  const files = await writeDemoCsv(join(dir, 'out'), opts); // the directory does not exist yet
  const register = readFileSync(files.registerFile);
  const records = readFileSync(files.recordsFile);
  rmSync(dir, { recursive: true, force: true });
  return { files, register, records };
}

const rows = (buf: Buffer) => parse(buf, { columns: true }) as Record<string, string>[];

describe('writeDemoCsv', () => {
  it('same options give byte-identical files; another seed gives different ones', async () => {
    const opts = { ...BASE, enterprises: 20_000 }; // several chunks per file
    const a = await generate(opts);
    const b = await generate(opts);
    expect(a.records.length).toBeGreaterThan(2 << 20);
    expect(b.register.equals(a.register)).toBe(true);
    expect(b.records.equals(a.records)).toBe(true);
    expect(b.files.records).toBe(a.files.records);
    const c = await generate({ ...opts, seed: 'demo-2' });
    expect(c.register.equals(a.register)).toBe(false);
    expect(c.records.equals(a.records)).toBe(false);
  });

  describe('content', () => {
    const made = generate(BASE);

    it('writes the exact headers', async () => {
      const { register, records } = await made;
      expect(REGISTER_HEADER).toBe(REGISTER_COLUMNS);
      expect(RECORDS_HEADER).toBe(RECORD_COLUMNS);
      expect(register.toString('utf8').split('\n', 1)[0]).toBe(REGISTER_COLUMNS);
      expect(records.toString('utf8').split('\n', 1)[0]).toBe(RECORD_COLUMNS);
    });

    it('register: valid unique USCCs and well-formed fields', async () => {
      const { register, files } = await made;
      const reg = rows(register);
      expect(reg).toHaveLength(BASE.enterprises);
      expect(files.enterprises).toBe(BASE.enterprises);
      expect(new Set(reg.map((r) => r.uscc)).size).toBe(reg.length);
      const ok = (r: Record<string, string>) =>
        isValidUscc(r.uscc!) &&
        r.uscc!.slice(2, 8) === '310110' &&
        r.division_code === '310110' &&
        /^上海.+/.test(r.name!) &&
        ['company', 'sole_trader', 'branch'].includes(r.entity_type!) &&
        /^[A-T]([0-9]{2,4})?$/.test(r.industry_code!) &&
        /街道$/.test(r.street!) &&
        /^上海市杨浦区.+路\d+号$/.test(r.address!) &&
        isIsoDate(r.established_on!) &&
        r.established_on! >= '2000-01-01' &&
        r.established_on! <= BASE.asOf &&
        ['active', 'deregistered', 'revoked'].includes(r.status!) &&
        ['true', 'false'].includes(r.prepaid_issuer!) &&
        (r.entity_type === 'company'
          ? /^[1-9][0-9]*$/.test(r.registered_capital_fen!) &&
            +r.registered_capital_fen! >= 1_000_000 &&
            +r.registered_capital_fen! <= 5_000_000_000
          : r.registered_capital_fen === '');
      expect(reg.filter((r) => !ok(r))).toEqual([]);
      const share = (f: (r: Record<string, string>) => boolean) => reg.filter(f).length / reg.length;
      expect(share((r) => r.entity_type === 'sole_trader')).toBeGreaterThan(0.15);
      expect(share((r) => r.entity_type === 'sole_trader')).toBeLessThan(0.25);
      expect(share((r) => r.status === 'active')).toBeGreaterThan(0.93);
    });

    it('records: count near enterprises * recordsPerEnterprise, all linked to the register', async () => {
      const { register, records, files } = await made;
      const reg = new Set(rows(register).map((r) => r.uscc));
      const rec = rows(records);
      expect(rec).toHaveLength(files.records);
      const expected = BASE.enterprises * BASE.recordsPerEnterprise;
      expect(rec.length).toBeGreaterThan(expected * 0.8);
      expect(rec.length).toBeLessThan(expected * 1.2);
      expect(rec.filter((r) => !reg.has(r.uscc))).toEqual([]);
      expect(new Set(rec.map((r) => r.source_key)).size).toBe(rec.length);
      // uneven: many enterprises with none, some with many
      const perEnterprise = new Map<string, number>();
      for (const r of rec) perEnterprise.set(r.uscc!, (perEnterprise.get(r.uscc!) ?? 0) + 1);
      expect(reg.size - perEnterprise.size).toBeGreaterThan(reg.size * 0.1);
      expect([...perEnterprise.values()].filter((c) => c >= 20).length).toBeGreaterThan(10);
    });

    it('records: known kinds, dates in the 3-year window, fines with penalties', async () => {
      const { records, register } = await made;
      const established = new Map(rows(register).map((r) => [r.uscc, r.established_on]));
      const rec = rows(records);
      const kinds = new Set<string>(CREDIT_RECORD_KINDS);
      const positive = /^[1-9][0-9]*$/;
      const ok = (r: Record<string, string>) =>
        kinds.has(r.kind!) &&
        isIsoDate(r.record_date!) &&
        r.record_date! >= '2022-06-30' &&
        r.record_date! <= BASE.asOf &&
        r.record_date! >= established.get(r.uscc)! &&
        r.valid_until === '' &&
        r.source_system === 'demo' &&
        (r.kind !== 'administrative_penalty' ||
          (/^[^,]+〔[0-9]{4}〕[0-9]+号$/.test(r.decision_no!) &&
            (r.penalty_types!.split(';').includes('fine')
              ? positive.test(r.fine_fen!)
              : r.fine_fen === ''))) &&
        (r.kind !== 'listing' ||
          (r.listed_on === r.record_date &&
            (r.removed_on === '' || (r.removed_on! > r.listed_on! && r.removed_on! <= BASE.asOf)))) &&
        (r.kind !== 'unpaid_tax' || positive.test(r.amount_fen!)) &&
        (r.kind === 'registration_change') === (r.change_item !== '');
      expect(rec.filter((r) => !ok(r))).toEqual([]);
      expect(
        rec.filter((r) => r.kind === 'administrative_penalty' && r.penalty_types!.includes('fine')).length,
      ).toBeGreaterThan(100);
      // regulatory_measure (监管措施) is written only by disposing of and closing a prepaid-risk alert (issue 14)
      for (const k of CREDIT_RECORD_KINDS.filter((k) => k !== 'regulatory_measure'))
        expect(rec.some((r) => r.kind === k)).toBe(true);
    });

    it('records: every row passes the importer rules', async () => {
      const { records } = await made;
      const num = (s: string | undefined) => (s ? Number(s) : null);
      for (const r of rows(records)) {
        const check = checkCreditRecord({
          kind: r.kind,
          recordDate: r.record_date,
          sourceDepartment: r.source_department,
          validUntil: r.valid_until,
          decisionNo: r.decision_no,
          procedure: r.procedure,
          penaltyTypes: r.penalty_types ? r.penalty_types.split(';') : null,
          fineFen: num(r.fine_fen),
          listType: r.list_type,
          listingReason: r.listing_reason,
          listedOn: r.listed_on,
          removedOn: r.removed_on,
          channel: r.channel,
          subject: r.subject,
          outcome: r.outcome,
          amountFen: num(r.amount_fen),
          caseType: r.case_type,
          changeItem: r.change_item,
        });
        if (!check.ok) throw new Error(`${JSON.stringify(r)}: ${JSON.stringify(check.errors)}`);
      }
    });
  });

  it('copes with enterprises holding more records than one chunk', async () => {
    const { records, files } = await generate({ ...BASE, enterprises: 30, recordsPerEnterprise: 3000 });
    const rec = rows(records);
    expect(rec).toHaveLength(files.records);
    expect(rec.length).toBeGreaterThan(30 * 3000 * 0.5);
    const bytes = new Map<string, number>(); // UTF-8 bytes of each enterprise's lines
    for (const line of records.toString('utf8').split('\n').slice(1)) {
      const uscc = line.slice(0, 18);
      bytes.set(uscc, (bytes.get(uscc) ?? 0) + Buffer.byteLength(line) + 1);
    }
    expect(Math.max(...bytes.values())).toBeGreaterThan(1 << 20); // more than one chunk
    expect(new Set(rec.map((r) => r.source_key)).size).toBe(rec.length);
  });

  it('zero enterprises gives the headers only; bad options are refused', async () => {
    const { register, records, files } = await generate({ ...BASE, enterprises: 0 });
    expect(register.toString()).toBe(REGISTER_COLUMNS + '\n');
    expect(records.toString()).toBe(RECORD_COLUMNS + '\n');
    expect(files.records).toBe(0);
    const dir = tempDir();
    try {
      await expect(writeDemoCsv(dir, { ...BASE, asOf: '2025-02-30' })).rejects.toThrow(RangeError);
      await expect(writeDemoCsv(dir, { ...BASE, enterprises: -1 })).rejects.toThrow(RangeError);
      await expect(writeDemoCsv(dir, { ...BASE, division: '31011' })).rejects.toThrow(RangeError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
