import { todayInShanghai } from '../common/clock.js';
import { spreadsheetText } from '../common/spreadsheet-cell.js';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Actor } from '../audit/actor.js';
import { readSourceDate } from '../common/chinese-date.js';
import { appendAudit, sqlOf } from '../audit/audit-writer.js';
import { unprocessable } from '../http/api-errors.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { stringify } from 'csv-stringify';
import { Readable } from 'node:stream';
import QueryStream from 'pg-query-stream';
import { findDivision } from '../common/division.js';
import { pgPool } from '../database/pg-pool.js';
import {
  CreateEnterpriseDto,
  REVIEW_FLAGS,
  EnterpriseFacets,
  EnterprisePage,
  EnterpriseSort,
  EnterpriseView,
  ExportEnterprisesQuery,
  ListEnterprisesQuery,
  SortOrder,
} from './dto/enterprise.dto.js';
import { Enterprise, EntityType, STATUS_LABELS } from './entities/enterprise.entity.js';
import { capitalBand } from './rules/capital-band.js';
import { API_FIELDS, checkRegisterIdentity } from './rules/register-identity.js';

const VIEW_COLUMNS = `e.uscc, e.registration_no, e.uscc_check_char_failed, e.division_mismatch, e.uscc_derived, e.name, e.entity_type, e.industry_code, e.division_code, e.street, e.address,
  e.established_on, e.established_on_estimated, e.status, e.prepaid_issuer, e.registered_capital_fen, e.source_system, e.source_key, s.tier, s.score`;

/** The list's sort keys as SQL columns (a whitelist: only these reach the statement). */
const SORT_SQL: Record<EnterpriseSort, string> = {
  uscc: 'e.uscc',
  name: 'e.name',
  score: 's.score',
  tier: 's.tier',
  establishedOn: 'e.established_on',
};

/** ORDER BY of the list: the sort column in its order, missing values last, ties by USCC ascending. */
function orderBy(q: { sort?: EnterpriseSort; order?: SortOrder }): string {
  const column = SORT_SQL[q.sort ?? 'uscc'] ?? SORT_SQL.uscc;
  const dir = q.order === 'desc' ? 'DESC' : 'ASC';
  if (column === SORT_SQL.uscc) return `e.uscc ${dir}`;
  return `${column} ${dir} NULLS LAST, e.uscc ASC`;
}

/** Header of the register's CSV export, in its column order. */
export const EXPORT_COLUMNS = [
  '统一社会信用代码',
  '企业名称',
  '街道',
  '行政区划',
  '行业代码',
  '登记状态',
  '预付卡发卡',
  '风险分类',
  '信用分',
] as const;

/** Rows of VIEW_COLUMNS as export rows (EXPORT_COLUMNS order). */
async function* exportRecords(rows: AsyncIterable<Record<string, unknown>>): AsyncGenerator<unknown[]> {
  for await (const r of rows) {
    const v = toView(r);
    yield [
      v.uscc,
      spreadsheetText(v.name),
      spreadsheetText(v.street),
      v.divisionCode ?? '',
      v.industryCode ?? '',
      v.statusLabel,
      v.prepaidIssuer ? '是' : '否',
      v.tier ?? '',
      v.score ?? '',
    ];
  }
}

/** The filters of the list and the export. */
type EnterpriseFilter = Omit<ListEnterprisesQuery, 'page' | 'pageSize'>;

/** An enterprise as the API shows it (EnterpriseView) from a row of VIEW_COLUMNS. */
export function toView(r: Record<string, unknown>): EnterpriseView {
  const capital = r.registered_capital_fen === null ? null : Number(r.registered_capital_fen);
  return {
    uscc: r.uscc as string,
    registrationNo: (r.registration_no as string | null) ?? null,
    reviewFlags: REVIEW_FLAGS.filter((f) => r[f] === true),
    usccDerived: r.uscc_derived as boolean,
    name: r.name as string,
    entityType: r.entity_type as string,
    industryCode: r.industry_code as string | null,
    divisionCode: r.division_code as string | null,
    street: r.street as string | null,
    address: r.address as string | null,
    establishedOn: r.established_on as string | null,
    establishedOnEstimated: r.established_on_estimated as boolean,
    status: r.status as string,
    statusLabel: STATUS_LABELS[r.status as keyof typeof STATUS_LABELS],
    prepaidIssuer: r.prepaid_issuer as boolean,
    registeredCapitalFen: capital,
    registeredCapitalBand: capitalBand(r.entity_type as EntityType, capital),
    tier: (r.tier as string | null) ?? null,
    score: (r.score as number | null) ?? null,
    sourceSystem: r.source_system as string | null,
    sourceKey: r.source_key as string | null,
  };
}

/** Work another module does, in the same transaction, when an enterprise is registered. */
export type RegisteredHook = (manager: EntityManager, enterpriseId: number) => Promise<unknown>;

/** The enterprise register (市场主体名录). */
@Injectable()
export class EnterprisesService {
  private readonly registeredHooks: RegisteredHook[] = [];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Adds work done when an enterprise is registered through the API (the credit module scores
   * it at once). Lets the register stay free of the credit module, which depends on it.
   */
  onRegistered(hook: RegisteredHook): void {
    this.registeredHooks.push(hook);
  }

  /**
   * Registers an enterprise and, in the same transaction, runs the registered hooks (its first
   * credit score) and writes the audit entry (`enterprise.create`). The USCC arrives validated and
   * normalised; its register checks (positions 1-2 a body the register keeps, positions 3-8 a
   * division, the registration number and its division, `checkRegisterIdentity`) are made here,
   * as for an imported row (without the import's option: a bad check character is refused).
   * A `divisionCode` disagreeing with the USCC is stored with the `division_mismatch` flag.
   * @throws UnprocessableEntityException (422) naming the field when an identity check fails
   * @throws ConflictException (409) when the USCC is already registered
   */
  async create(input: CreateEnterpriseDto, actor: Actor): Promise<EnterpriseView> {
    const checked = checkRegisterIdentity(
      { uscc: input.uscc, registrationNo: input.registrationNo, divisionCode: input.divisionCode },
      API_FIELDS,
    );
    if (!checked.ok) throw unprocessable(checked.errors);
    const { uscc, registrationNo, divisionMismatch } = checked.identity;
    const dto = { ...input, uscc, registrationNo: registrationNo ?? undefined };
    await this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(Enterprise);
      if (await repo.exists({ where: { uscc: dto.uscc } }))
        throw new ConflictException(`USCC ${dto.uscc} is already registered`);
      // the one date parser (checked by the DTO): a month-only date is its first day, estimated
      const established = readSourceDate(dto.establishedOn);
      const today = todayInShanghai();
      if (established && established.date > today)
        throw unprocessable([
          { field: 'establishedOn', reason: `${established.date} is in the future (today is ${today})` },
        ]);
      const given = {
        ...dto,
        establishedOn: established?.date ?? null,
        establishedOnEstimated: (dto.establishedOnEstimated ?? false) || (established?.estimated ?? false),
      };
      const { identifiers } = await repo.insert({
        ...given,
        divisionMismatch,
        sourceSystem: 'api',
        sourceKey: dto.uscc,
      });
      const id = Number(identifiers[0]!.id);
      for (const hook of this.registeredHooks) await hook(m, id);
      await appendAudit(sqlOf(m), actor, {
        action: 'enterprise.create',
        entityType: 'enterprise',
        entityId: dto.uscc,
        after: { id, ...given, divisionMismatch },
      });
    });
    return this.get(dto.uscc);
  }

  /** @throws NotFoundException (404) when the USCC is not in the register */
  async get(uscc: string): Promise<EnterpriseView> {
    const [row] = await this.dataSource.query(
      `SELECT ${VIEW_COLUMNS} FROM enterprise e LEFT JOIN credit_score s ON s.enterprise_id = e.id WHERE e.uscc = $1`,
      [uscc],
    );
    if (!row) throw new NotFoundException(`enterprise ${uscc} is not in the register`);
    return toView(row);
  }

  /** Id of a registered enterprise. @throws NotFoundException (404) */
  async idOf(uscc: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [row] = await manager.query(`SELECT id FROM enterprise WHERE uscc = $1`, [uscc]);
    if (!row) throw new NotFoundException(`enterprise ${uscc} is not in the register`);
    return row.id;
  }

  /**
   * The WHERE clause and parameters of the list's filters (current tier of the active scorecard,
   * division, industry-code prefix, review flag, name fragment, street, prepaid-card issuer), and
   * whether only the score table is filtered (then counting needs no join).
   * @throws UnprocessableEntityException (422, field `tier`) a tier the active scorecard lacks
   */
  private async filterOf(
    q: EnterpriseFilter,
  ): Promise<{ where: string; params: unknown[]; scoreOnly: boolean }> {
    const where: string[] = [];
    const params: unknown[] = [];
    let enterpriseFilters = 0;
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
      if (sql.startsWith('e.') || sql.startsWith('lower(e.')) enterpriseFilters++;
    };
    if (q.tier) {
      const tiers = (await this.activeTiers()).map((t) => t.tier);
      if (!tiers.includes(q.tier))
        throw unprocessable([{ field: 'tier', reason: `'${q.tier}' is not a tier (${tiers.join(', ')})` }]);
      add('s.tier = ?', q.tier);
    }
    if (q.division) add('e.division_code = ?', q.division);
    // the flag is one of REVIEW_FLAGS (validated), each a boolean column of the same name
    if (q.reviewFlag && (REVIEW_FLAGS as readonly string[]).includes(q.reviewFlag)) {
      where.push(`e.${q.reviewFlag}`);
      enterpriseFilters++;
    }
    if (q.industry) add(`e.industry_code LIKE ? || '%'`, q.industry);
    if (q.name)
      add(
        `lower(e.name) LIKE '%' || lower(?) || '%'`,
        q.name.replace(/[\\%_]/g, (c) => '\\' + c),
      );
    if (q.street) add('e.street = ?', q.street);
    if (q.prepaidIssuer !== undefined) add('e.prepaid_issuer = ?', q.prepaidIssuer);
    return {
      where: where.length ? `WHERE ${where.join(' AND ')}` : '',
      params,
      scoreOnly: where.length > 0 && enterpriseFilters === 0,
    };
  }

  /** The active scorecard's tiers, best first, with their labels. */
  private async activeTiers(): Promise<{ tier: string; label: { zh: string; en: string } }[]> {
    const [active] = await this.dataSource.query(
      `SELECT config->'tiers' AS tiers FROM scorecard_version WHERE is_active`,
    );
    return (active?.tiers ?? []).map((t: { tier: string; label: { zh: string; en: string } }) => ({
      tier: t.tier,
      label: t.label,
    }));
  }

  /**
   * Filters by current tier, division, industry-code prefix, review flag, name fragment, street
   * (exact) and prepaid-card issuer; ordered by `sort` (uscc, name, score, tier, establishedOn)
   * in `order`, enterprises without the value last, ties by USCC ascending (a stable order for
   * paging). A page and the number of all matching.
   * @throws UnprocessableEntityException (422, field `tier`) a tier the active scorecard lacks
   */
  async list(q: ListEnterprisesQuery): Promise<EnterprisePage> {
    const { where, params, scoreOnly } = await this.filterOf(q);
    const from = `FROM enterprise e LEFT JOIN credit_score s ON s.enterprise_id = e.id ${where}`;
    // a filter on the score table alone counts there: every score is of a registered enterprise
    // (enterprises are never deleted), so the count is the same without the join (5x faster at 1M)
    const [{ total }] = await this.dataSource.query(
      scoreOnly
        ? `SELECT count(*)::int AS total FROM credit_score s ${where}`
        : `SELECT count(*)::int AS total ${from}`,
      params,
    );
    const rows = await this.dataSource.query(
      `SELECT ${VIEW_COLUMNS} ${from} ORDER BY ${orderBy(q)} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, q.pageSize, (q.page - 1) * q.pageSize],
    );
    return { items: rows.map(toView), total, page: q.page, pageSize: q.pageSize };
  }

  /**
   * The CSV export of the filtered list (GET /api/enterprises/export.csv): the list's filters and
   * order, every matching enterprise. Counts them first in a REPEATABLE READ snapshot and streams
   * the rows from the same snapshot (the rows are exactly those counted and audited); the audit
   * entry (`enterprise.export`: the filters and the number of rows) is committed before any row
   * is read. Columns EXPORT_COLUMNS; UTF-8 with a byte-order mark (Excel reads it as UTF-8); text
   * cells that a spreadsheet would run as a formula (starting with = + - @) get a leading '.
   * @param maxRows EXPORT_MAX_ROWS
   * @returns the number of rows, the CSV as a stream, and `close(complete)`, which ends the
   *   snapshot: call it once the stream has ended (`true`: commit, the connection goes back to the
   *   pool) or failed or was aborted by the client (`false`: the cursor is dropped with its
   *   connection, which is closed: an unread cursor would hold it, and the pool, for good)
   * @throws UnprocessableEntityException (422) a tier the active scorecard lacks (field `tier`);
   *   more than `maxRows` enterprises (field `filter`, naming the count), nothing audited
   */
  async exportCsv(
    q: ExportEnterprisesQuery,
    actor: Actor,
    maxRows: number,
  ): Promise<{ count: number; csv: Readable; close: (complete: boolean) => Promise<void> }> {
    const { where, params } = await this.filterOf(q);
    const client = await pgPool(this.dataSource).connect();
    let released = false;
    const close = async (complete: boolean) => {
      if (released) return;
      released = true;
      if (!complete) {
        client.release(new Error('export ended before its last row: connection discarded'));
        return;
      }
      try {
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    };
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const from = `FROM enterprise e LEFT JOIN credit_score s ON s.enterprise_id = e.id ${where}`;
      const [{ count }] = (await client.query(`SELECT count(*)::int AS count ${from}`, params)).rows;
      if (count > maxRows)
        throw unprocessable([
          {
            field: 'filter',
            reason: `${count} enterprises match, more than one export may hold (EXPORT_MAX_ROWS ${maxRows}): narrow the filter (tier, street, division, industry...)`,
          },
        ]);
      const filters = Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined));
      await this.dataSource.transaction((m) =>
        appendAudit(sqlOf(m), actor, {
          action: 'enterprise.export',
          entityType: 'enterprise',
          entityId: null,
          after: { filters, rows: count },
        }),
      );
      const rows = client.query(
        new QueryStream(`SELECT ${VIEW_COLUMNS} ${from} ORDER BY ${orderBy(q)}`, params, { batchSize: 2000 }),
      ) as unknown as AsyncIterable<Record<string, unknown>>;
      const source = Readable.from(exportRecords(rows));
      const csv = source.pipe(stringify({ bom: true, header: true, columns: [...EXPORT_COLUMNS] }));
      // .pipe() passes no destroy upstream: when the download is aborted (the client went away),
      // the rows' generator and its cursor must end too; and a failing source fails the CSV
      csv.once('close', () => source.destroy());
      source.once('error', (e) => csv.destroy(e));
      return { count, csv, close };
    } catch (e) {
      await close(false).catch(() => undefined);
      throw e;
    }
  }

  /**
   * Values of the list's filters with their numbers of enterprises, over the whole register:
   * streets (most first), divisions (GB/T 2260 names), industry sections (first letter of the
   * GB/T 4754 code) and the active scorecard's tiers (best first, current scores). Grouped
   * counts, one scan of each table.
   */
  async facets(): Promise<EnterpriseFacets> {
    // the three reads on their own connections at once (one scan of each table)
    const [groups, tierCounts, tiers]: [
      { facet: string; value: string; count: number }[],
      { tier: string; count: number }[],
      Awaited<ReturnType<EnterprisesService['activeTiers']>>,
    ] = await Promise.all([
      this.dataSource.query(
        `SELECT g.facet, g.value, g.count::int AS count FROM (
         SELECT CASE WHEN GROUPING(street) = 0 THEN 'street' WHEN GROUPING(division_code) = 0 THEN 'division' ELSE 'industry' END AS facet,
                coalesce(street, division_code, section) AS value, count(*) AS count
         FROM (SELECT street, division_code, left(industry_code, 1) AS section FROM enterprise) e
         GROUP BY GROUPING SETS ((street), (division_code), (section))
       ) g WHERE g.value IS NOT NULL`,
      ),
      this.dataSource.query(`SELECT tier, count(*)::int AS count FROM credit_score GROUP BY tier`),
      this.activeTiers(),
    ]);
    const of = (facet: string) => groups.filter((g) => g.facet === facet);
    const byValue = (a: { value: string }, b: { value: string }) =>
      a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
    return {
      streets: of('street')
        .sort((a, b) => b.count - a.count || byValue(a, b))
        .map((g) => ({ street: g.value, count: g.count })),
      divisions: of('division')
        .sort(byValue)
        .map((g) => ({ code: g.value, name: findDivision(g.value)?.name ?? g.value, count: g.count })),
      industries: of('industry')
        .sort(byValue)
        .map((g) => ({ code: g.value, count: g.count })),
      tiers: tiers.map((t) => ({
        ...t,
        count: tierCounts.find((c) => c.tier === t.tier)?.count ?? 0,
      })),
    };
  }
}
