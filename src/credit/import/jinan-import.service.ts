import { Injectable } from '@nestjs/common';
import path from 'node:path';
import { parseSourceDate } from '../../common/chinese-date.js';
import { CsvHeaderError, openCsv } from '../../common/csv-source.js';
import { ImportReport } from '../../common/import-report.js';
import { deriveUsccFromDigest } from '../../common/uscc.js';
import { RegisterImportService, RegisterInput } from '../../enterprises/import/register-import.service.js';
import { placeholderRegisterRow } from '../../enterprises/register-row.js';
import { CreditRecordInput, FieldError, checkCreditRecord } from '../rules/credit-record-input.js';
import { RecordImportService, RecordInput } from './record-import.service.js';

/** Jinan is GB/T 2260 division 370100; derived codes carry it in positions 3-8. */
export const JINAN_DIVISION = '370100';
export const JINAN_SOURCE = 'jinan-a10';

interface TableSpec {
  file: string;
  columns: string[];
  /** what the table becomes */
  mapsTo: string;
}

/** Every table of the published Jinan set (shared/data/README.md) and what the import makes of it. */
export const JINAN_TABLES: TableSpec[] = [
  {
    file: 'jn_credit_info.csv',
    columns: ['entname', 'credit_grade'],
    mapsTo: 'register (grade kept for evaluation only)',
  },
  { file: 'exception_list.csv', columns: ['entname', 'is_except'], mapsTo: 'listing/anomaly x count' },
  {
    file: 'business_risk_abnormal.csv',
    columns: ['entname', 'is_bra'],
    mapsTo: 'listing/anomaly x count (max with exception_list)',
  },
  {
    file: 'administrative_punishment.csv',
    columns: ['entname', 'is_punish'],
    mapsTo: 'administrative_penalty x count',
  },
  {
    file: 'business_risk_all_punish.csv',
    columns: ['entname', 'is_brap'],
    mapsTo: 'administrative_penalty x count (max with administrative_punishment)',
  },
  {
    file: 'business_risk_taxunpaid.csv',
    columns: ['entname', 'taxunpaidnum'],
    mapsTo: 'unpaid_tax (yuan -> fen)',
  },
  { file: 'justice_credit.csv', columns: ['entname', 'is_justice_credit'], mapsTo: 'judgment_defaulter' },
  {
    file: 'justice_credit_aic.csv',
    columns: ['entname', 'is_justice_creditaic'],
    mapsTo: 'judgment_defaulter (same record as justice_credit)',
  },
  {
    file: 'justice_enforced.csv',
    columns: ['entname', 'record_date', 'enforce_amount'],
    mapsTo: 'judicial_case/enforcement',
  },
  {
    file: 'justice_declare.csv',
    columns: ['entname', 'declaredate', 'appellant', 'defendant', 'declarestyle'],
    mapsTo: 'judicial_case/announcement',
  },
  {
    file: 'justice_judge_new.csv',
    columns: ['entname', 'time', 'casetype', 'casecause', 'courtrank', 'datatype'],
    mapsTo: 'judicial_case/judgment',
  },
  {
    file: 'product_checkinfo_connect.csv',
    columns: ['entname', 'passpercent'],
    mapsTo: 'product_spot_check (failed below 100%)',
  },
  {
    file: 'enterprise_keep_contract.csv',
    columns: ['entname', 'is_kcont'],
    mapsTo: 'commendation 守合同重信用',
  },
  {
    file: 'ent_bid.csv',
    columns: ['entname', 'bidnum'],
    mapsTo: 'register only (bids won: not a credit record)',
  },
  {
    file: 'ent_branch.csv',
    columns: ['entname', 'branchnum'],
    mapsTo: 'register only (branches: not a credit record)',
  },
  {
    file: 'intangible_patent.csv',
    columns: ['entname', 'ipat_num'],
    mapsTo: 'register only (patents: not a credit record)',
  },
  {
    file: 'trademark_infob.csv',
    columns: ['entname', 'is_infob'],
    mapsTo: 'register only (trademarks: not a credit record)',
  },
];

export interface JinanTableReport {
  file: string;
  encoding: string;
  rows: number;
  companies: number;
  mapsTo: string;
  rejected: { line: number; field: string; reason: string }[];
}

export interface JinanReport {
  snapshotDate: string;
  tables: JinanTableReport[];
  enterprises: ImportReport;
  records: ImportReport;
}

/**
 * Most records made from one count cell (records per company per table). The largest counts in
 * the data are 24 (defaulter cases, kept as a detail) and 7 (anomaly listings); the cap only
 * guards against a corrupt cell creating millions of rows.
 */
const COUNT_CAP = 20;

/**
 * Imports the Jinan enterprise credit data set (2020 A10 competition; shared/data/README.md) as
 * published: every table, UTF-8 and GB18030, ISO and Chinese-numeral dates. The source has no
 * USCC: each company gets a stable valid placeholder code derived from its MD5 name hash
 * (deriveUsccFromDigest, marked `uscc_derived`; the hash is kept as source key). A company in one
 * table only is a company with no records in the others. Undated facts get the snapshot date and
 * `date_estimated`. Where two tables count the same fact (anomaly listings; penalties), the larger
 * count is used, not the sum.
 */
@Injectable()
export class JinanImportService {
  constructor(
    private readonly register: RegisterImportService,
    private readonly records: RecordImportService,
  ) {}

  /**
   * @param folder the folder holding the published CSV files
   * @param snapshotDate date given to undated facts (YYYY-MM-DD); the data runs to mid-2018
   * @throws CsvHeaderError when a table is missing or has other columns (nothing written then)
   */
  async importFolder(
    folder: string,
    snapshotDate: string,
    rejectsDir: string | null = null,
  ): Promise<JinanReport> {
    const tables: JinanTableReport[] = [];
    const names = new Set<string>();
    const data = new Map<string, { line: number; v: Record<string, string> }[]>();
    for (const spec of JINAN_TABLES) {
      const file = path.join(folder, spec.file);
      let csv;
      try {
        csv = await openCsv(file, spec.columns, []);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new CsvHeaderError(file, 'file not found');
        throw e;
      }
      const report: JinanTableReport = {
        file: spec.file,
        encoding: csv.encoding,
        rows: 0,
        companies: 0,
        mapsTo: spec.mapsTo,
        rejected: [],
      };
      const rows: { line: number; v: Record<string, string> }[] = [];
      const seen = new Set<string>();
      for await (const r of csv.rows) {
        report.rows++;
        const name = (r.values.entname ?? '').trim().toLowerCase();
        if (!/^[0-9a-f]{32}$/.test(name)) {
          report.rejected.push({
            line: r.line,
            field: 'entname',
            reason: `'${r.values.entname}' is not an MD5 name hash`,
          });
          continue;
        }
        if (r.fieldCountError) {
          report.rejected.push({ line: r.line, field: '(row)', reason: r.fieldCountError });
          continue;
        }
        if (seen.has(name) && !spec.file.startsWith('justice_')) {
          const first = rows.find((x) => x.v.entname === name)!;
          report.rejected.push({
            line: r.line,
            field: 'entname',
            reason: `company already listed at line ${first.line} of this table`,
          });
          continue;
        }
        if (!seen.has(name)) {
          seen.add(name);
          names.add(name);
        }
        rows.push({ line: r.line, v: { ...r.values, entname: name } });
      }
      report.companies = seen.size;
      data.set(spec.file, rows);
      tables.push(report);
    }
    const tableReport = (file: string) => tables.find((t) => t.file === file)!;

    // register: every company seen anywhere
    const sorted = [...names].sort();
    const registerRows = sorted.map((hash, i): RegisterInput => ({
      line: i + 1,
      usccDerived: true,
      row: placeholderRegisterRow({
        uscc: deriveUsccFromDigest(hash, JINAN_DIVISION),
        name: hash,
        divisionCode: JINAN_DIVISION,
        sourceSystem: JINAN_SOURCE,
        sourceKey: hash,
      }),
    }));
    const enterprises = await this.register.load(`${folder} (all tables)`, 'mixed', [registerRows], {
      rejectsFile: rejectsDir ? path.join(rejectsDir, 'jinan-register.rejects.csv') : null,
    });

    // records
    const out: RecordInput[] = [];
    const usccOf = (h: string) => deriveUsccFromDigest(h, JINAN_DIVISION);
    const reject = (file: string, line: number, field: string, reason: string) =>
      tableReport(file).rejected.push({ line, field, reason });
    const keys = new Set<string>();
    // penalties get their publication window as on every path (none before the first regime, 2021-09-01)
    const periods = await this.records.periodInputs();
    const add = (file: string, line: number, hash: string, key: string, input: CreditRecordInput) => {
      if (keys.has(key)) return; // the same fact from a second table (defaulters are in two)
      keys.add(key);
      const check = checkCreditRecord({ sourceDepartment: departmentOf(file), ...input }, undefined, {
        periods,
      });
      if (!check.ok) {
        for (const e of check.errors) reject(file, line, e.field, e.reason);
        return;
      }
      out.push({
        line,
        uscc: usccOf(hash),
        record: check.record,
        sourceSystem: JINAN_SOURCE,
        sourceKey: key,
      });
    };
    const undated = { recordDate: snapshotDate, dateEstimated: true };
    const count = (file: string, line: number, field: string, raw: string): number | null => {
      const n = Number(raw);
      if (!Number.isFinite(n) || n < 0) {
        reject(file, line, field, `'${raw}' is not a count`);
        return null;
      }
      return Math.min(COUNT_CAP, Math.round(n));
    };
    /**
     * An amount in yuan as the source writes it (`48,151.71`), in fen; empty or a dash (`——`, the
     * source's "not given") is null; anything else refuses the row (false).
     */
    const fen = (
      file: string,
      line: number,
      field: string,
      raw: string | undefined,
    ): number | null | false => {
      if (!raw || /^[\s\-—–]*$/.test(raw)) return null;
      const yuan = Number(raw.replace(/,/g, ''));
      if (Number.isFinite(yuan) && yuan >= 0) return Math.round(yuan * 100);
      reject(file, line, field, `'${raw}' is not an amount in yuan`);
      return false;
    };
    const maxCounts = (pairs: [string, string][]) => {
      const m = new Map<string, { n: number; file: string; line: number }>();
      for (const [file, field] of pairs) {
        for (const r of data.get(file)!) {
          const n = count(file, r.line, field, r.v[field]!);
          if (n === null) continue;
          const prev = m.get(r.v.entname!);
          if (!prev || n > prev.n) m.set(r.v.entname!, { n, file, line: r.line });
        }
      }
      return m;
    };
    for (const [hash, c] of maxCounts([
      ['exception_list.csv', 'is_except'],
      ['business_risk_abnormal.csv', 'is_bra'],
    ])) {
      for (let i = 1; i <= c.n; i++) {
        add(c.file, c.line, hash, `anomaly:${hash}:${i}`, {
          kind: 'listing',
          listType: 'anomaly',
          listedOn: snapshotDate,
          ...undated,
          details: { table: c.file },
        });
      }
    }
    for (const [hash, c] of maxCounts([
      ['administrative_punishment.csv', 'is_punish'],
      ['business_risk_all_punish.csv', 'is_brap'],
    ])) {
      for (let i = 1; i <= c.n; i++) {
        add(c.file, c.line, hash, `penalty:${hash}:${i}`, {
          kind: 'administrative_penalty',
          decisionNo: '(未公开)',
          procedure: 'general',
          penaltyTypes: ['other'],
          ...undated,
          details: { table: c.file, note: 'type and amount not published in the source' },
        });
      }
    }
    for (const r of data.get('business_risk_taxunpaid.csv')!) {
      const amountFen = fen('business_risk_taxunpaid.csv', r.line, 'taxunpaidnum', r.v.taxunpaidnum);
      if (amountFen === false) continue;
      add('business_risk_taxunpaid.csv', r.line, r.v.entname!, `tax:${r.v.entname}`, {
        kind: 'unpaid_tax',
        amountFen,
        ...undated,
      });
    }
    for (const [file, field] of [
      ['justice_credit.csv', 'is_justice_credit'],
      ['justice_credit_aic.csv', 'is_justice_creditaic'],
    ] as const) {
      for (const r of data.get(file)!) {
        const n = count(file, r.line, field, r.v[field]!);
        if (n)
          add(file, r.line, r.v.entname!, `defaulter:${r.v.entname}`, {
            kind: 'judgment_defaulter',
            ...undated,
            details: { table: file, cases: n },
          });
      }
    }
    const dated = (file: string, line: number, field: string, raw: string | undefined) => {
      try {
        const d = parseSourceDate(raw);
        return d ? { recordDate: d, dateEstimated: false } : undated;
      } catch (e) {
        reject(file, line, field, (e as Error).message);
        return null;
      }
    };
    // court tables: one judicial case per row, dated (ISO or Chinese numerals) where the source has a date
    const judicial: {
      file: string;
      key: string;
      dateField: string;
      caseType: string;
      extra: (v: Record<string, string>, line: number) => Partial<CreditRecordInput> | false;
    }[] = [
      {
        file: 'justice_enforced.csv',
        key: 'enforced',
        dateField: 'record_date',
        caseType: 'enforcement',
        extra: (v, line) => {
          const amountFen = fen('justice_enforced.csv', line, 'enforce_amount', v.enforce_amount);
          return amountFen === false ? false : { amountFen };
        },
      },
      {
        file: 'justice_declare.csv',
        key: 'declare',
        dateField: 'declaredate',
        caseType: 'announcement',
        extra: (v) => ({
          subject: v.declarestyle || null,
          details: { appellant: v.appellant, defendant: v.defendant },
        }),
      },
      {
        file: 'justice_judge_new.csv',
        key: 'judge',
        dateField: 'time',
        caseType: 'judgment',
        extra: (v) => ({ subject: v.casecause || null, details: { casetype: v.casetype } }),
      },
    ];
    for (const t of judicial) {
      for (const r of data.get(t.file)!) {
        const d = dated(t.file, r.line, t.dateField, r.v[t.dateField]);
        const extra = d && t.extra(r.v, r.line);
        if (!d || !extra) continue;
        add(t.file, r.line, r.v.entname!, `${t.key}:${r.line}:${r.v.entname}`, {
          kind: 'judicial_case',
          caseType: t.caseType,
          ...d,
          ...extra,
        });
      }
    }
    for (const r of data.get('product_checkinfo_connect.csv')!) {
      const p = Number(r.v.passpercent);
      if (!Number.isFinite(p) || p < 0 || p > 1) {
        reject(
          'product_checkinfo_connect.csv',
          r.line,
          'passpercent',
          `'${r.v.passpercent}' is not a share in [0, 1]`,
        );
        continue;
      }
      add('product_checkinfo_connect.csv', r.line, r.v.entname!, `spotcheck:${r.v.entname}`, {
        kind: 'product_spot_check',
        outcome: p >= 1 ? 'passed' : 'failed',
        ...undated,
        details: { passShare: p },
      });
    }
    for (const r of data.get('enterprise_keep_contract.csv')!) {
      const n = count('enterprise_keep_contract.csv', r.line, 'is_kcont', r.v.is_kcont!);
      if (n)
        add('enterprise_keep_contract.csv', r.line, r.v.entname!, `kcont:${r.v.entname}`, {
          kind: 'commendation',
          subject: '守合同重信用企业',
          ...undated,
        });
    }
    const records = await this.records.load(`${folder} (all tables)`, 'mixed', [out], {
      rejectsFile: rejectsDir ? path.join(rejectsDir, 'jinan-records.rejects.csv') : null,
    });
    return { snapshotDate, tables, enterprises, records };
  }
}

function departmentOf(file: string): string {
  if (file.startsWith('justice')) return '人民法院 (司法信息)';
  if (file.includes('tax')) return '税务部门';
  if (file.startsWith('product')) return '市场监管部门 (产品质量抽检)';
  return '市场监管部门';
}

export type { FieldError };
