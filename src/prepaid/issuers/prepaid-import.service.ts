import { ConflictException, HttpException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../audit/actor.js';
import { appendAudit, sqlOf } from '../../audit/audit-writer.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { todayInShanghai } from '../../common/clock.js';
import { CsvFileError, CsvHeaderError } from '../../common/csv-source.js';
import { UsccError, parseUscc } from '../../common/uscc.js';
import {
  fileRefused,
  importRefused,
  readCatalogCsv,
  Rejections,
} from '../../inspections/catalog/catalog-csv.js';
import {
  type FieldError,
  type NormalisedIssuer,
  type NormalisedReport,
  type NormalisedSignal,
  type NormalisedStore,
  checkIssuer,
  checkReport,
  checkSignal,
  checkStore,
} from './prepaid-input.js';
import { PrepaidIssuersService, notAnIssuerReason, sameSignalReason } from './prepaid-issuers.service.js';

export const PREPAID_IMPORT_KINDS = ['issuers', 'stores', 'reports', 'signals'] as const;
export type PrepaidImportKind = (typeof PREPAID_IMPORT_KINDS)[number];

/** Columns of each CSV (docs/import-formats.md "Prepaid ..."): required, optional. */
export const PREPAID_CSV_COLUMNS: Record<PrepaidImportKind, { required: string[]; optional: string[] }> = {
  issuers: {
    required: ['uscc', 'sector'],
    optional: ['guarantee_kind', 'escrow_bank', 'platform_registered_on', 'platform_code', 'selling_since'],
  },
  stores: {
    required: ['uscc', 'name', 'address'],
    optional: ['street', 'opened_on', 'lease_ends_on', 'closed_on'],
  },
  reports: {
    required: [
      'uscc',
      'period_kind',
      'period_start',
      'balance_fen',
      'cards_sold_count',
      'cards_sold_fen',
      'redemptions_fen',
    ],
    optional: [
      'period_end',
      'submitted_on',
      'max_card_fen',
      'anonymous_over_limit',
      'registered_over_limit',
      'longest_term_months',
      'deepest_discount_pct',
      'refunds_fen',
      'escrow_balance_fen',
      'insurance_cover_fen',
      'revenue_last_year_fen',
      'correction_reason',
      'source_key',
    ],
  },
  signals: {
    required: ['uscc', 'kind', 'occurred_on', 'summary'],
    optional: [
      'received_on',
      'amount_fen',
      'effective_on',
      'discount_pct',
      'term_months',
      'source_ref',
      'source_key',
    ],
  },
};
/** Rows of one file at most (as the other catalog-style imports). */
export const PREPAID_CSV_MAX_ROWS = 5000;

/** The CSV column of an input field: camelCase -> snake_case (correction.reason -> correction_reason). */
export const columnOf = (field: string) =>
  field === 'correction.reason' ? 'correction_reason' : field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export interface PrepaidImportReport {
  kind: PrepaidImportKind;
  encoding: string;
  rows: number;
  inserted: number;
  /** reports that corrected the one in force (kept with superseded_by) */
  corrected: number;
  rejected: number;
  rejections: { line: number; field: string; reason: string }[];
  /** ids stored, in file order (issuers: the enterprise ids) */
  ids: number[];
}

type Good =
  | { kind: 'issuers'; line: number; v: NormalisedIssuer }
  | { kind: 'stores'; line: number; enterpriseId: number; v: NormalisedStore }
  | { kind: 'reports'; line: number; enterpriseId: number; v: NormalisedReport; corrects: boolean }
  | { kind: 'signals'; line: number; enterpriseId: number; v: NormalisedSignal };

/** The reason an HttpException carries (its message). */
const reasonOf = (e: HttpException) => {
  const body = e.getResponse() as { message?: unknown; errors?: FieldError[] };
  return body.errors ?? [{ field: '(row)', reason: String(body.message ?? e.message) }];
};

/**
 * The CSV imports of prepaid issuers' data (POST /api/prepaid/import/{issuers|stores|reports|signals},
 * `supervision prepaid import <kind> <file>`): every row through the one normalisation
 * (prepaid-input.ts) and the same checks as the API (the register, a registered issuer, a report in
 * force for the period without correction_reason, a duplicated period or source key in the file or
 * stored), then ALL rows written in one transaction through PrepaidIssuersService's *In methods
 * (each with its audit entry) and one import entry. All or nothing: a file with any rejected row
 * stores nothing and the 422 lists every rejection as rows[<line>].<column>. At most 5,000 rows;
 * UTF-8 or GB18030 (common/csv-source.ts).
 */
@Injectable()
export class PrepaidImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly issuers: PrepaidIssuersService,
  ) {}

  /**
   * Imports one file of `kind` (a path: the upload written to a private temporary file).
   * @throws 422 (file) unreadable or wrong columns; 422 rows[<line>].<column> for every rejected row;
   *   403 (audited) not a writer
   */
  async importFile(
    kind: PrepaidImportKind,
    file: string,
    user: AuthUser,
    actor: Actor,
    today = todayInShanghai(),
  ): Promise<PrepaidImportReport> {
    await this.issuers.mayWrite(user, actor);
    const started = Date.now();
    const cols = PREPAID_CSV_COLUMNS[kind];
    let csv;
    try {
      csv = await readCatalogCsv(file, cols.required, cols.optional, PREPAID_CSV_MAX_ROWS);
    } catch (e) {
      if (e instanceof CsvHeaderError || e instanceof CsvFileError || e instanceof RangeError)
        throw fileRefused(e.message.replace(file, 'upload.csv'));
      throw e;
    }
    const rejections = new Rejections();
    const good: Good[] = [];
    const issuerIds = new Map<string, number | null>();
    const issuerOf = async (raw: string | undefined): Promise<{ id: number } | FieldError> => {
      let uscc: string;
      try {
        uscc = parseUscc(raw ?? '');
      } catch (e) {
        if (e instanceof UsccError) return { field: 'uscc', reason: `统一社会信用代码无效：${e.message}` };
        throw e;
      }
      if (!issuerIds.has(uscc)) issuerIds.set(uscc, await this.issuers.issuerIdIn(this.dataSource, uscc));
      const id = issuerIds.get(uscc)!;
      return id === null ? { field: 'uscc', reason: notAnIssuerReason(uscc) } : { id };
    };
    const seen = new Map<string, number>();
    const once = (key: string, line: number, field: string, what: string): FieldError | null => {
      const earlier = seen.get(key);
      if (earlier !== undefined) return { field, reason: `与第${earlier}行的${what}重复` };
      seen.set(key, line);
      return null;
    };
    for (const row of csv.rows) {
      if (row.fieldCountError) {
        rejections.add(row.line, [row.fieldError ?? { field: '(row)', reason: row.fieldCountError }]);
        continue;
      }
      const v = row.values;
      const problems: FieldError[] = [];
      const mapErrors = (es: FieldError[]) => es.map((e) => ({ field: columnOf(e.field), reason: e.reason }));
      if (kind === 'issuers') {
        const c = checkIssuer(
          {
            uscc: v.uscc,
            sector: v.sector,
            guaranteeKind: v.guarantee_kind,
            escrowBank: v.escrow_bank,
            platformRegisteredOn: v.platform_registered_on,
            platformCode: v.platform_code,
            sellingSince: v.selling_since,
          },
          today,
        );
        if (!c.ok) problems.push(...mapErrors(c.errors));
        else {
          const dup = once(c.value.uscc, row.line, 'uscc', '统一社会信用代码');
          if (dup) problems.push(dup);
          const [e] = await this.dataSource.query(
            `SELECT e.name, i.enterprise_id IS NOT NULL AS issuer FROM enterprise e
               LEFT JOIN prepaid_issuer i ON i.enterprise_id = e.id WHERE e.uscc = $1`,
            [c.value.uscc],
          );
          if (!e)
            problems.push({
              field: 'uscc',
              reason: `${c.value.uscc}不在市场主体名录中：须先登记（导入）该市场主体，再登记为预付卡经营者`,
            });
          else if (e.issuer)
            problems.push({ field: 'uscc', reason: `${e.name}（${c.value.uscc}）已登记为预付卡经营者` });
          if (!problems.length) good.push({ kind, line: row.line, v: c.value });
        }
      } else {
        const issuer = await issuerOf(v.uscc);
        if ('field' in issuer) problems.push(issuer);
        if (kind === 'stores') {
          const c = checkStore(
            {
              name: v.name,
              address: v.address,
              street: v.street,
              openedOn: v.opened_on,
              leaseEndsOn: v.lease_ends_on,
              closedOn: v.closed_on,
            },
            today,
          );
          if (!c.ok) problems.push(...mapErrors(c.errors));
          else if ('id' in issuer && !problems.length)
            good.push({ kind, line: row.line, enterpriseId: issuer.id, v: c.value });
        } else if (kind === 'reports') {
          const c = checkReport(
            {
              periodKind: v.period_kind,
              periodStart: v.period_start,
              periodEnd: v.period_end,
              submittedOn: v.submitted_on,
              balanceFen: v.balance_fen,
              cardsSoldCount: v.cards_sold_count,
              cardsSoldFen: v.cards_sold_fen,
              maxCardFen: v.max_card_fen,
              anonymousOverLimit: v.anonymous_over_limit,
              registeredOverLimit: v.registered_over_limit,
              longestTermMonths: v.longest_term_months,
              deepestDiscountPct: v.deepest_discount_pct,
              redemptionsFen: v.redemptions_fen,
              refundsFen: v.refunds_fen,
              escrowBalanceFen: v.escrow_balance_fen,
              insuranceCoverFen: v.insurance_cover_fen,
              revenueLastYearFen: v.revenue_last_year_fen,
              sourceKey: v.source_key,
              correction: v.correction_reason?.trim() ? { reason: v.correction_reason } : undefined,
            },
            today,
          );
          if (!c.ok) problems.push(...mapErrors(c.errors));
          else if ('id' in issuer) {
            const n = c.value;
            const dup = once(
              `r:${issuer.id}:${n.periodKind}:${n.periodStart}`,
              row.line,
              'period_start',
              '报送期间',
            );
            if (dup) problems.push(dup);
            if (n.sourceKey) {
              const k = once(`rk:${n.sourceKey}`, row.line, 'source_key', '来源编号');
              if (k) problems.push(k);
              const [stored] = await this.dataSource.query(
                `SELECT id FROM prepaid_report WHERE source_system = 'csv' AND source_key = $1`,
                [n.sourceKey],
              );
              if (stored)
                problems.push({
                  field: 'source_key',
                  reason: `来源编号${n.sourceKey}已导入（报送#${stored.id}）`,
                });
            }
            const inForce = await this.issuers.reportInForce(
              this.dataSource,
              issuer.id,
              n.periodKind,
              n.periodStart,
            );
            if (inForce && !n.correctionReason)
              problems.push({
                field: 'period_start',
                reason: this.issuers.duplicateReportReason(n, inForce),
              });
            if (!problems.length)
              good.push({ kind, line: row.line, enterpriseId: issuer.id, v: n, corrects: inForce !== null });
          }
        } else {
          const c = checkSignal(
            {
              kind: v.kind,
              occurredOn: v.occurred_on,
              receivedOn: v.received_on,
              amountFen: v.amount_fen,
              effectiveOn: v.effective_on,
              discountPct: v.discount_pct,
              termMonths: v.term_months,
              summary: v.summary,
              sourceRef: v.source_ref,
              sourceKey: v.source_key,
            },
            today,
          );
          if (!c.ok) problems.push(...mapErrors(c.errors));
          else if ('id' in issuer) {
            const n = c.value;
            if (n.sourceKey) {
              const k = once(`sk:${n.sourceKey}`, row.line, 'source_key', '来源编号');
              if (k) problems.push(k);
              const [stored] = await this.dataSource.query(
                `SELECT id FROM prepaid_signal WHERE source_system = 'csv' AND source_key = $1`,
                [n.sourceKey],
              );
              if (stored)
                problems.push({
                  field: 'source_key',
                  reason: `来源编号${n.sourceKey}已导入（信号#${stored.id}）`,
                });
            }
            const k = once(
              n.sourceRef
                ? `sr:${issuer.id}:${n.kind}:${n.sourceRef}`
                : `sg:${JSON.stringify([issuer.id, n.kind, n.occurredOn, n.receivedOn, n.amountFen, n.effectiveOn, n.summary])}`,
              row.line,
              n.sourceRef ? 'source_ref' : 'summary',
              '信号',
            );
            if (k) problems.push(k);
            const same = await this.issuers.sameSignal(this.dataSource, issuer.id, n);
            if (same !== null)
              problems.push({
                field: n.sourceRef ? 'source_ref' : 'summary',
                reason: sameSignalReason(n, same),
              });
            if (!problems.length) good.push({ kind, line: row.line, enterpriseId: issuer.id, v: n });
          }
        }
      }
      if (problems.length) rejections.add(row.line, problems);
    }
    const base = {
      file,
      encoding: csv.encoding,
      rows: csv.rows.length,
      rejectsFile: null,
      elapsedMs: 0,
      inserted: 0,
      updated: 0,
      unchanged: 0,
    };
    if (rejections.rows)
      throw importRefused({
        ...base,
        rejected: rejections.rows,
        rejections: rejections.all,
        elapsedMs: Date.now() - started,
      });
    const ids = await this.dataSource.transaction(async (m) => {
      const ids: number[] = [];
      for (const g of good) {
        try {
          if (g.kind === 'issuers') {
            await this.issuers.registerIn(m, g.v, user, actor, 'csv', null);
            const [e] = await m.query(`SELECT id FROM enterprise WHERE uscc = $1`, [g.v.uscc]);
            ids.push(Number(e.id));
          } else if (g.kind === 'stores')
            ids.push(await this.issuers.addStoreIn(m, g.enterpriseId, g.v, actor));
          else if (g.kind === 'reports')
            ids.push(await this.issuers.submitReportIn(m, g.enterpriseId, g.v, user, actor, 'csv'));
          else ids.push(await this.issuers.addSignalIn(m, g.enterpriseId, g.v, user, actor, 'csv'));
        } catch (e) {
          // a concurrent writer got there between the checks and the transaction: the whole file is refused
          if (e instanceof ConflictException || e instanceof NotFoundException || e instanceof HttpException)
            throw importRefused({
              ...base,
              rejected: 1,
              rejections: reasonOf(e).map((x) => ({
                line: g.line,
                field: columnOf(x.field),
                reason: x.reason,
              })),
            });
          throw e;
        }
      }
      await appendAudit(sqlOf(m), actor, {
        action: 'prepaid.import',
        entityType: `prepaid_${kind === 'issuers' ? 'issuer' : kind.slice(0, -1)}`,
        entityId: null,
        after: { kind, rows: csv.rows.length, ids },
      });
      return ids;
    });
    return {
      kind,
      encoding: csv.encoding,
      rows: csv.rows.length,
      inserted: ids.length,
      corrected: good.filter((g) => g.kind === 'reports' && g.corrects).length,
      rejected: 0,
      rejections: [],
      ids,
    };
  }
}
