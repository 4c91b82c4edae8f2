import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../audit/actor.js';
import { appendAudit, sqlOf } from '../../audit/audit-writer.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { ScopeService } from '../../auth/scope.service.js';
import { addDays } from '../../common/calendar-days.js';
import { todayInShanghai } from '../../common/clock.js';
import { UsccError, parseUscc } from '../../common/uscc.js';
import { ScoringService } from '../../credit/scoring.service.js';
import { unprocessable } from '../../http/api-errors.js';
import { PREPAID_DEPARTMENT } from '../rules/prepaid-department.js';
import { RISK_LEVELS } from '../rules/risk-facts.js';
import {
  type IssuerInput,
  type NormalisedIssuer,
  type NormalisedPayeeAccount,
  type NormalisedReport,
  type NormalisedSignal,
  type NormalisedStore,
  type PayeeAccountInput,
  type ReportInput,
  type SignalInput,
  type StoreInput,
  checkIssuer,
  checkIssuerChange,
  checkPayeeAccount,
  checkReport,
  checkSignal,
  checkStore,
  checkStoreClosing,
  reportDueOn,
} from './prepaid-input.js';

/** Where a write came from (prepaid_*.source_system). */
export type SourceSystem = 'api' | 'csv' | 'demo';

export interface StoreView {
  id: number;
  name: string;
  address: string;
  street: string | null;
  openedOn: string | null;
  leaseEndsOn: string | null;
  closedOn: string | null;
}
export interface PayeeAccountView {
  id: number;
  bank: string;
  accountTail: string;
  escrow: boolean;
  fromOn: string;
  untilOn: string | null;
}
export interface IssuerListItem {
  uscc: string;
  name: string;
  sector: string;
  street: string | null;
  /** open stores */
  stores: number;
  guaranteeKind: string;
  platformRegistered: boolean;
  level: string | null;
  levelSince: string | null;
  lastReportPeriodEnd: string | null;
  openAlertId: number | null;
}
export interface IssuerDetail {
  uscc: string;
  enterpriseId: number;
  name: string;
  sector: string;
  guaranteeKind: string;
  escrowBank: string | null;
  platformRegisteredOn: string | null;
  platformCode: string | null;
  sellingSince: string | null;
  establishedOn: string | null;
  address: string | null;
  street: string | null;
  tier: string | null;
  level: string | null;
  levelSince: string | null;
  evaluatedOn: string | null;
  stores: StoreView[];
  payeeAccounts: PayeeAccountView[];
  openAlertId: number | null;
}
export interface ReportView extends Omit<NormalisedReport, 'correctionReason'> {
  id: number;
  supersededBy: number | null;
  superseded: boolean;
  correctionReason: string | null;
  dueOn: string;
  late: boolean;
  sourceSystem: string;
  createdAt: string;
}
export interface SignalView extends NormalisedSignal {
  id: number;
  sourceSystem: string;
  createdAt: string;
}
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
export interface IssuerListQuery {
  q?: string;
  sector?: string;
  street?: string;
  level?: string;
  page?: number;
  pageSize?: number;
}

const D = (c: string) => `to_char(${c}, 'YYYY-MM-DD')`;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** The street of an issuer: its first open store's street, else the enterprise's. */
const STREET_SQL = `coalesce((SELECT s.street FROM prepaid_store s
   WHERE s.enterprise_id = i.enterprise_id AND s.closed_on IS NULL AND s.street IS NOT NULL
   ORDER BY s.opened_on NULLS LAST, s.id LIMIT 1), e.street)`;
const OPEN_ALERT_SQL = `(SELECT a.id FROM prepaid_alert a WHERE a.enterprise_id = i.enterprise_id AND a.status <> 'closed' LIMIT 1)`;

const REPORT_COLUMNS = `id, period_kind, ${D('period_start')} AS period_start, ${D('period_end')} AS period_end,
  ${D('submitted_on')} AS submitted_on, balance_fen, cards_sold_count, cards_sold_fen, max_card_fen,
  anonymous_over_limit, registered_over_limit, longest_term_months, deepest_discount_pct, redemptions_fen,
  refunds_fen, escrow_balance_fen, insurance_cover_fen, revenue_last_year_fen, superseded_by,
  correction_reason, source_system, source_key, created_at`;
const SIGNAL_COLUMNS = `id, kind, ${D('occurred_on')} AS occurred_on, ${D('received_on')} AS received_on, amount_fen,
  ${D('effective_on')} AS effective_on, discount_pct, term_months, store_id, summary, source_ref, source_system,
  source_key, created_at`;

function reportView(r: Record<string, unknown>): ReportView {
  const periodEnd = r.period_end as string;
  const dueOn = reportDueOn(periodEnd);
  return {
    id: Number(r.id),
    periodKind: r.period_kind as 'quarter' | 'month',
    periodStart: r.period_start as string,
    periodEnd,
    submittedOn: r.submitted_on as string,
    balanceFen: Number(r.balance_fen),
    cardsSoldCount: Number(r.cards_sold_count),
    cardsSoldFen: Number(r.cards_sold_fen),
    maxCardFen: num(r.max_card_fen),
    anonymousOverLimit: Number(r.anonymous_over_limit),
    registeredOverLimit: Number(r.registered_over_limit),
    longestTermMonths: num(r.longest_term_months),
    deepestDiscountPct: num(r.deepest_discount_pct),
    redemptionsFen: Number(r.redemptions_fen),
    refundsFen: Number(r.refunds_fen),
    escrowBalanceFen: num(r.escrow_balance_fen),
    insuranceCoverFen: num(r.insurance_cover_fen),
    revenueLastYearFen: num(r.revenue_last_year_fen),
    supersededBy: num(r.superseded_by),
    superseded: r.superseded_by !== null,
    correctionReason: (r.correction_reason as string | null) ?? null,
    dueOn,
    late: (r.submitted_on as string) > dueOn,
    sourceSystem: r.source_system as string,
    sourceKey: (r.source_key as string | null) ?? null,
    createdAt: new Date(r.created_at as string).toISOString(),
  };
}

function signalView(r: Record<string, unknown>): SignalView {
  return {
    id: Number(r.id),
    kind: r.kind as SignalView['kind'],
    occurredOn: r.occurred_on as string,
    receivedOn: r.received_on as string,
    amountFen: num(r.amount_fen),
    effectiveOn: (r.effective_on as string | null) ?? null,
    discountPct: num(r.discount_pct),
    termMonths: num(r.term_months),
    storeId: num(r.store_id),
    summary: r.summary as string,
    sourceRef: (r.source_ref as string | null) ?? null,
    sourceKey: (r.source_key as string | null) ?? null,
    sourceSystem: r.source_system as string,
    createdAt: new Date(r.created_at as string).toISOString(),
  };
}

/** The 404 (or the import's reason) for a USCC that is no registered issuer. */
export function notAnIssuerReason(uscc: string): string {
  return `${uscc}不是已登记的预付卡经营者：须先将该市场主体登记为预付卡经营者（POST /api/prepaid/issuers 或导入经营者 CSV），再报送数据或登记信号`;
}

/**
 * Prepaid-card issuers and their facts (issue 14 "Data"; domain.md 6): registration (which sets
 * enterprise.prepaid_issuer, read by the scorecard's prepaid rule), stores, payee accounts (a new one
 * ends the previous one and records a payee_change signal), periodic reports with corrections that
 * keep the replaced report (superseded_by), signals. Every input goes through the one normalisation
 * (prepaid-input.ts); every change writes its audit entry in its own transaction.
 *
 * Who: regulators of the market department (PREPAID_DEPARTMENT) and admins write; staff read
 * (regulators, admins, inspectors); enterprise users nothing (the guard's roles).
 */
@Injectable()
export class PrepaidIssuersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scope: ScopeService,
    private readonly scoring: ScoringService,
  ) {}

  /**
   * Refuses (403, audited) a writer who is neither an admin nor a regulator of PREPAID_DEPARTMENT.
   */
  async mayWrite(user: AuthUser, actor: Actor, entityId: string | null = null): Promise<void> {
    if (user.role === 'admin') return;
    if (user.role === 'regulator' && user.department === PREPAID_DEPARTMENT) return;
    const reason = `only regulators of the ${PREPAID_DEPARTMENT} department (市场监督管理局) and admins record prepaid issuers' data`;
    await this.scope.deny(actor, 'prepaid_issuer', entityId, reason);
    throw new ForbiddenException(reason);
  }

  /** The issuer's enterprise id, or null. */
  async issuerIdIn(m: EntityManager | DataSource, uscc: string): Promise<number | null> {
    const [r] = await m.query(
      `SELECT i.enterprise_id FROM prepaid_issuer i JOIN enterprise e ON e.id = i.enterprise_id WHERE e.uscc = $1`,
      [uscc],
    );
    return r ? Number(r.enterprise_id) : null;
  }

  /** The issuer's enterprise id. @throws 404 naming the USCC (422 when it is no USCC at all) */
  private async issuerId(uscc: string, m: EntityManager | DataSource = this.dataSource): Promise<number> {
    let code: string;
    try {
      code = parseUscc(uscc);
    } catch (e) {
      if (e instanceof UsccError) throw unprocessable([{ field: 'uscc', reason: e.message }]);
      throw e;
    }
    const id = await this.issuerIdIn(m, code);
    if (id === null) throw new NotFoundException(notAnIssuerReason(code));
    return id;
  }

  // ------------------------------------------------------------------ issuers

  /**
   * One page of issuers, the worst level first then by name: `q` a part of the name or the start of
   * the USCC, `sector`, `street` (the issuer's street: first open store's, else the register's),
   * `level` (none also matches never evaluated).
   */
  async list(q: IssuerListQuery): Promise<Page<IssuerListItem>> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.q?.trim()) {
      params.push(`%${q.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`, `${q.q.trim().toUpperCase()}%`);
      where.push(`(name ILIKE $${params.length - 1} OR uscc LIKE $${params.length})`);
    }
    if (q.sector) {
      params.push(q.sector);
      where.push(`sector = $${params.length}`);
    }
    if (q.street) {
      params.push(q.street);
      where.push(`street = $${params.length}`);
    }
    if (q.level === 'none') where.push(`(level IS NULL OR level = 'none')`);
    else if (q.level) {
      params.push(q.level);
      where.push(`level = $${params.length}`);
    }
    const base = `WITH base AS (
         SELECT e.uscc, e.name, i.sector, ${STREET_SQL} AS street,
                (SELECT count(*)::int FROM prepaid_store s WHERE s.enterprise_id = i.enterprise_id AND s.closed_on IS NULL) AS stores,
                i.guarantee_kind, i.platform_registered_on IS NOT NULL AS platform_registered,
                i.current_level AS level, ${D('i.current_level_since')} AS level_since,
                (SELECT ${D('max(r.period_end)')} FROM prepaid_report r
                  WHERE r.enterprise_id = i.enterprise_id AND r.superseded_by IS NULL) AS last_report_period_end,
                ${OPEN_ALERT_SQL} AS open_alert_id
           FROM prepaid_issuer i JOIN enterprise e ON e.id = i.enterprise_id)
       SELECT * FROM base ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
    const n = params.length;
    const [rows, [count]] = await Promise.all([
      this.dataSource.query(
        `SELECT * FROM (${base}) x
          ORDER BY array_position($${n + 3}::text[], coalesce(level, 'none')) DESC, name, uscc
          LIMIT $${n + 1} OFFSET $${n + 2}`,
        [...params, pageSize, (page - 1) * pageSize, [...RISK_LEVELS]],
      ),
      this.dataSource.query(`SELECT count(*)::int AS total FROM (${base}) x`, params),
    ]);
    return {
      items: rows.map((r: Record<string, unknown>) => ({
        uscc: (r.uscc as string).trim(),
        name: r.name as string,
        sector: r.sector as string,
        street: (r.street as string | null) ?? null,
        stores: Number(r.stores),
        guaranteeKind: r.guarantee_kind as string,
        platformRegistered: r.platform_registered as boolean,
        level: (r.level as string | null) ?? null,
        levelSince: (r.level_since as string | null) ?? null,
        lastReportPeriodEnd: (r.last_report_period_end as string | null) ?? null,
        openAlertId: num(r.open_alert_id),
      })),
      total: Number(count.total),
      page,
      pageSize,
    };
  }

  /** One issuer with its stores and payee accounts. @throws 404 not a registered issuer */
  async one(uscc: string, m: EntityManager | DataSource = this.dataSource): Promise<IssuerDetail> {
    const id = await this.issuerId(uscc, m);
    const [r] = await m.query(
      `SELECT e.id, e.uscc, e.name, i.sector, i.guarantee_kind, i.escrow_bank, ${D('i.platform_registered_on')} AS platform_registered_on,
              i.platform_code, ${D('i.selling_since')} AS selling_since, ${D('e.established_on')} AS established_on,
              e.address, ${STREET_SQL} AS street, (SELECT cs.tier FROM credit_score cs WHERE cs.enterprise_id = e.id) AS tier,
              i.current_level, ${D('i.current_level_since')} AS level_since, ${D('i.evaluated_on')} AS evaluated_on,
              ${OPEN_ALERT_SQL} AS open_alert_id
         FROM prepaid_issuer i JOIN enterprise e ON e.id = i.enterprise_id WHERE i.enterprise_id = $1`,
      [id],
    );
    const stores = await m.query(
      `SELECT id, name, address, street, ${D('opened_on')} AS opened_on, ${D('lease_ends_on')} AS lease_ends_on,
              ${D('closed_on')} AS closed_on
         FROM prepaid_store WHERE enterprise_id = $1 ORDER BY closed_on IS NOT NULL, opened_on NULLS LAST, id`,
      [id],
    );
    const accounts = await m.query(
      `SELECT id, bank, account_tail, escrow, ${D('from_on')} AS from_on, ${D('until_on')} AS until_on
         FROM prepaid_payee_account WHERE enterprise_id = $1 ORDER BY from_on DESC, id DESC`,
      [id],
    );
    return {
      uscc: (r.uscc as string).trim(),
      enterpriseId: Number(r.id),
      name: r.name,
      sector: r.sector,
      guaranteeKind: r.guarantee_kind,
      escrowBank: r.escrow_bank,
      platformRegisteredOn: r.platform_registered_on,
      platformCode: r.platform_code,
      sellingSince: r.selling_since,
      establishedOn: r.established_on,
      address: r.address,
      street: r.street,
      tier: r.tier ?? null,
      level: r.current_level,
      levelSince: r.level_since,
      evaluatedOn: r.evaluated_on,
      stores: stores.map((s: Record<string, unknown>) => ({
        id: Number(s.id),
        name: s.name as string,
        address: s.address as string,
        street: (s.street as string | null) ?? null,
        openedOn: (s.opened_on as string | null) ?? null,
        leaseEndsOn: (s.lease_ends_on as string | null) ?? null,
        closedOn: (s.closed_on as string | null) ?? null,
      })),
      payeeAccounts: accounts.map((a: Record<string, unknown>) => ({
        id: Number(a.id),
        bank: a.bank as string,
        accountTail: a.account_tail as string,
        escrow: a.escrow as boolean,
        fromOn: a.from_on as string,
        untilOn: (a.until_on as string | null) ?? null,
      })),
      openAlertId: num(r.open_alert_id),
    };
  }

  /**
   * Registers an issuer (登记预付卡经营者) and sets enterprise.prepaid_issuer (rescoring the enterprise
   * when the flag changes: the scorecard's prepaid rule reads it). Audited.
   * @throws 422 every field at fault (checkIssuer), the USCC not in the register; 409 already an
   *   issuer; 403 (audited) not a writer
   */
  async register(
    input: IssuerInput,
    user: AuthUser,
    actor: Actor,
    today = todayInShanghai(),
  ): Promise<IssuerDetail> {
    await this.mayWrite(user, actor);
    const c = checkIssuer(input, today);
    if (!c.ok) throw unprocessable(c.errors);
    const uscc = await this.dataSource.transaction((m) =>
      this.registerIn(m, c.value, user, actor, 'api', null),
    );
    return this.one(uscc);
  }

  /** `register`'s writes in the caller's transaction. @returns the USCC. @throws 422 not in the register; 409 */
  async registerIn(
    m: EntityManager,
    n: NormalisedIssuer,
    user: AuthUser | null,
    actor: Actor,
    source: SourceSystem,
    sourceKey: string | null,
  ): Promise<string> {
    const [e] = await m.query(
      `SELECT id, name, prepaid_issuer FROM enterprise WHERE uscc = $1 FOR NO KEY UPDATE`,
      [n.uscc],
    );
    if (!e)
      throw unprocessable([
        {
          field: 'uscc',
          reason: `${n.uscc}不在市场主体名录中：须先登记（导入）该市场主体，再登记为预付卡经营者`,
        },
      ]);
    const [dup] = await m.query(`SELECT 1 FROM prepaid_issuer WHERE enterprise_id = $1`, [e.id]);
    if (dup) throw new ConflictException(`${e.name}（${n.uscc}）已登记为预付卡经营者`);
    await m.query(
      `INSERT INTO prepaid_issuer (enterprise_id, sector, guarantee_kind, escrow_bank, platform_registered_on,
         platform_code, selling_since, source_system, source_key, created_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
      [
        e.id,
        n.sector,
        n.guaranteeKind,
        n.escrowBank,
        n.platformRegisteredOn,
        n.platformCode,
        n.sellingSince,
        source,
        sourceKey,
        user && user.id > 0 ? user.id : null,
      ],
    );
    if (!e.prepaid_issuer) {
      await m.query(`UPDATE enterprise SET prepaid_issuer = true, updated_at = now() WHERE id = $1`, [e.id]);
      // the scorecard's prepaid rule reads the flag: the tier follows at once, as after a new record
      await this.scoring.rescoreEnterprise(m, Number(e.id));
    }
    await appendAudit(sqlOf(m), actor, {
      action: 'prepaid_issuer.create',
      entityType: 'prepaid_issuer',
      entityId: Number(e.id),
      after: { ...n, source },
    });
    return n.uscc;
  }

  /**
   * Changes an issuer's sector, guarantee, escrow bank, platform fields or selling-since day (the
   * fields given). Audited with before and after. @throws 404; 422 as register; 403
   */
  async update(
    uscc: string,
    change: Omit<IssuerInput, 'uscc'>,
    user: AuthUser,
    actor: Actor,
    today = todayInShanghai(),
  ): Promise<IssuerDetail> {
    await this.mayWrite(user, actor, uscc);
    const id = await this.issuerId(uscc);
    await this.dataSource.transaction(async (m) => {
      const [r] = await m.query(
        `SELECT e.uscc, i.sector, i.guarantee_kind, i.escrow_bank, ${D('i.platform_registered_on')} AS platform_registered_on,
                i.platform_code, ${D('i.selling_since')} AS selling_since
           FROM prepaid_issuer i JOIN enterprise e ON e.id = i.enterprise_id WHERE i.enterprise_id = $1 FOR UPDATE OF i`,
        [id],
      );
      const before: NormalisedIssuer = {
        uscc: (r.uscc as string).trim(),
        sector: r.sector,
        guaranteeKind: r.guarantee_kind,
        escrowBank: r.escrow_bank,
        platformRegisteredOn: r.platform_registered_on,
        platformCode: r.platform_code,
        sellingSince: r.selling_since,
      };
      const c = checkIssuerChange(before, change, today);
      if (!c.ok) throw unprocessable(c.errors);
      const n = c.value;
      await m.query(
        `UPDATE prepaid_issuer SET sector = $2, guarantee_kind = $3, escrow_bank = $4, platform_registered_on = $5,
           platform_code = $6, selling_since = $7, updated_at = now() WHERE enterprise_id = $1`,
        [id, n.sector, n.guaranteeKind, n.escrowBank, n.platformRegisteredOn, n.platformCode, n.sellingSince],
      );
      await appendAudit(sqlOf(m), actor, {
        action: 'prepaid_issuer.update',
        entityType: 'prepaid_issuer',
        entityId: id,
        before,
        after: n,
      });
    });
    return this.one(uscc);
  }

  // ------------------------------------------------------------------ stores

  /** Adds a store (门店). Audited. @throws 404; 422 (checkStore); 403 */
  async addStore(
    uscc: string,
    input: StoreInput,
    user: AuthUser,
    actor: Actor,
    today = todayInShanghai(),
  ): Promise<IssuerDetail> {
    await this.mayWrite(user, actor, uscc);
    const id = await this.issuerId(uscc);
    const c = checkStore(input, today);
    if (!c.ok) throw unprocessable(c.errors);
    await this.dataSource.transaction((m) => this.addStoreIn(m, id, c.value, actor));
    return this.one(uscc);
  }

  /** `addStore`'s writes in the caller's transaction. @returns the store's id */
  async addStoreIn(
    m: EntityManager,
    enterpriseId: number,
    s: NormalisedStore,
    actor: Actor,
  ): Promise<number> {
    const [r] = await m.query(
      `INSERT INTO prepaid_store (enterprise_id, name, address, street, opened_on, lease_ends_on, closed_on)
       VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
      [enterpriseId, s.name, s.address, s.street, s.openedOn, s.leaseEndsOn, s.closedOn],
    );
    await appendAudit(sqlOf(m), actor, {
      action: 'prepaid_store.create',
      entityType: 'prepaid_store',
      entityId: Number(r.id),
      after: { enterpriseId, ...s },
    });
    return Number(r.id);
  }

  /**
   * Closes a store (closedOn default today). Audited.
   * @throws 404 not a store of this issuer; 409 already closed; 422 closedOn; 403
   */
  async closeStore(
    uscc: string,
    storeId: number,
    input: { closedOn?: unknown },
    user: AuthUser,
    actor: Actor,
    today = todayInShanghai(),
  ): Promise<IssuerDetail> {
    await this.mayWrite(user, actor, uscc);
    const id = await this.issuerId(uscc);
    await this.dataSource.transaction(async (m) => {
      const [s] = await m.query(
        `SELECT ${D('opened_on')} AS opened_on, ${D('closed_on')} AS closed_on FROM prepaid_store
          WHERE id = $1 AND enterprise_id = $2 FOR UPDATE`,
        [storeId, id],
      );
      if (!s) throw new NotFoundException(`门店${storeId}不是${uscc}的门店`);
      if (s.closed_on) throw new ConflictException(`门店${storeId}已于${s.closed_on}关闭`);
      const c = checkStoreClosing(input, s.opened_on, today);
      if (!c.ok) throw unprocessable(c.errors);
      await m.query(`UPDATE prepaid_store SET closed_on = $2 WHERE id = $1`, [storeId, c.value.closedOn]);
      await appendAudit(sqlOf(m), actor, {
        action: 'prepaid_store.close',
        entityType: 'prepaid_store',
        entityId: storeId,
        after: { closedOn: c.value.closedOn },
      });
    });
    return this.one(uscc);
  }

  // ------------------------------------------------------------------ payee accounts

  /**
   * Records a new payee account (收款账户): in one transaction the previous open account ends the day
   * before `fromOn`, the new one is stored, and a payee_change signal records the change (not for the
   * first account). Audited. @throws 404; 422 (checkPayeeAccount, fromOn not after the previous
   * account's start); 403
   */
  async addPayeeAccount(
    uscc: string,
    input: PayeeAccountInput,
    user: AuthUser,
    actor: Actor,
    today = todayInShanghai(),
  ): Promise<IssuerDetail> {
    await this.mayWrite(user, actor, uscc);
    const id = await this.issuerId(uscc);
    const c = checkPayeeAccount(input, today);
    if (!c.ok) throw unprocessable(c.errors);
    await this.dataSource.transaction((m) =>
      this.addPayeeAccountIn(m, id, c.value, user, actor, today, 'api'),
    );
    return this.one(uscc);
  }

  /** `addPayeeAccount`'s writes in the caller's transaction. @returns the account's id */
  async addPayeeAccountIn(
    m: EntityManager,
    enterpriseId: number,
    a: NormalisedPayeeAccount,
    user: AuthUser | null,
    actor: Actor,
    today: string,
    source: SourceSystem,
  ): Promise<number> {
    await m.query(`SELECT 1 FROM prepaid_issuer WHERE enterprise_id = $1 FOR UPDATE`, [enterpriseId]);
    const [prev] = await m.query(
      `SELECT id, bank, account_tail, ${D('from_on')} AS from_on FROM prepaid_payee_account
        WHERE enterprise_id = $1 AND until_on IS NULL`,
      [enterpriseId],
    );
    if (prev && a.fromOn <= prev.from_on)
      throw unprocessable([
        {
          field: 'fromOn',
          reason: `启用日期${a.fromOn}须晚于现用账户（${prev.bank}尾号${prev.account_tail}）的启用日期${prev.from_on}`,
        },
      ]);
    if (prev)
      await m.query(`UPDATE prepaid_payee_account SET until_on = $2 WHERE id = $1`, [
        prev.id,
        addDays(a.fromOn, -1),
      ]);
    const [r] = await m.query(
      `INSERT INTO prepaid_payee_account (enterprise_id, bank, account_tail, escrow, from_on)
       VALUES ($1,$2,$3,$4,$5) RETURNING id`,
      [enterpriseId, a.bank, a.accountTail, a.escrow, a.fromOn],
    );
    const accountId = Number(r.id);
    let signalId: number | null = null;
    if (prev) {
      const [s] = await m.query(
        `INSERT INTO prepaid_signal (enterprise_id, kind, occurred_on, received_on, summary, source_ref, source_system, created_by)
         VALUES ($1, 'payee_change', $2, $3, $4, $5, $6, $7) RETURNING id`,
        [
          enterpriseId,
          a.fromOn,
          today < a.fromOn ? a.fromOn : today,
          `收款账户由${prev.bank}尾号${prev.account_tail}变更为${a.bank}尾号${a.accountTail}${a.escrow ? '（存管账户）' : ''}`,
          `prepaid_payee_account #${accountId}`,
          source,
          user && user.id > 0 ? user.id : null,
        ],
      );
      signalId = Number(s.id);
    }
    await appendAudit(sqlOf(m), actor, {
      action: 'prepaid_payee_account.create',
      entityType: 'prepaid_payee_account',
      entityId: accountId,
      before: prev ? { id: Number(prev.id), bank: prev.bank, accountTail: prev.account_tail } : null,
      after: { enterpriseId, ...a, endedAccountId: prev ? Number(prev.id) : null, signalId },
    });
    return accountId;
  }

  // ------------------------------------------------------------------ reports

  /** The reports of an issuer, the latest period first (a corrected one after its correction). @throws 404 */
  async reports(uscc: string, page = 1, pageSize = 50): Promise<Page<ReportView>> {
    const id = await this.issuerId(uscc);
    const rows = await this.dataSource.query(
      `SELECT ${REPORT_COLUMNS}, count(*) OVER ()::int AS total FROM prepaid_report WHERE enterprise_id = $1
        ORDER BY period_start DESC, period_kind, superseded_by IS NOT NULL, id DESC LIMIT $2 OFFSET $3`,
      [id, pageSize, (page - 1) * pageSize],
    );
    const total = rows.length
      ? Number(rows[0].total)
      : Number(
          (
            await this.dataSource.query(
              `SELECT count(*)::int AS n FROM prepaid_report WHERE enterprise_id = $1`,
              [id],
            )
          )[0].n,
        );
    return { items: rows.map(reportView), total, page, pageSize };
  }

  /**
   * Records a report (报送). A month inside a quarter reported in force, or a quarter with a month of
   * it reported in force, is refused 409 naming that report (the rules would read only one of the
   * two). A second report for the same period (kind and start) is refused 409
   * naming the report in force, unless `correction: { reason }` is given: then the report in force
   * is kept with superseded_by pointing to the new one (nothing lost) and the new one is in force.
   * Audited. @throws 404 not an issuer (naming the USCC); 422 every field at fault; 409; 403
   */
  async submitReport(
    uscc: string,
    input: ReportInput,
    user: AuthUser,
    actor: Actor,
    today = todayInShanghai(),
  ): Promise<ReportView> {
    await this.mayWrite(user, actor, uscc);
    const id = await this.issuerId(uscc);
    const c = checkReport(input, today);
    if (!c.ok) throw unprocessable(c.errors);
    const reportId = await this.dataSource.transaction((m) =>
      this.submitReportIn(m, id, c.value, user, actor, 'api'),
    );
    const [r] = await this.dataSource.query(`SELECT ${REPORT_COLUMNS} FROM prepaid_report WHERE id = $1`, [
      reportId,
    ]);
    return reportView(r);
  }

  /** The report in force for a period, or null. */
  async reportInForce(
    m: EntityManager | DataSource,
    enterpriseId: number,
    periodKind: string,
    periodStart: string,
  ): Promise<{ id: number; submittedOn: string } | null> {
    const [r] = await m.query(
      `SELECT id, ${D('submitted_on')} AS submitted_on FROM prepaid_report
        WHERE enterprise_id = $1 AND period_kind = $2 AND period_start = $3 AND superseded_by IS NULL`,
      [enterpriseId, periodKind, periodStart],
    );
    return r ? { id: Number(r.id), submittedOn: r.submitted_on } : null;
  }

  /** The 409 of a second report for a period without a correction. */
  duplicateReportReason(n: NormalisedReport, inForce: { id: number; submittedOn: string }): string {
    return `${n.periodStart}至${n.periodEnd}的报送已有在用记录（报送#${inForce.id}，${inForce.submittedOn}报送）：如需更正，请填写更正原因（correction.reason），原记录将保留`;
  }

  /** `submitReport`'s writes in the caller's transaction. @returns the new report's id. @throws 409 */
  async submitReportIn(
    m: EntityManager,
    enterpriseId: number,
    n: NormalisedReport,
    user: AuthUser | null,
    actor: Actor,
    source: SourceSystem,
  ): Promise<number> {
    await m.query(`SELECT 1 FROM prepaid_issuer WHERE enterprise_id = $1 FOR UPDATE`, [enterpriseId]);
    const inForce = await this.reportInForce(m, enterpriseId, n.periodKind, n.periodStart);
    if (inForce && !n.correctionReason) throw new ConflictException(this.duplicateReportReason(n, inForce));
    const [overlap] = await m.query(
      `SELECT id, period_kind, ${D('period_start')} AS period_start, ${D('period_end')} AS period_end FROM prepaid_report
        WHERE enterprise_id = $1 AND superseded_by IS NULL AND period_kind <> $2
          AND period_start <= $4::date AND period_end >= $3::date ORDER BY period_start LIMIT 1`,
      [enterpriseId, n.periodKind, n.periodStart, n.periodEnd],
    );
    if (overlap)
      throw new ConflictException(
        `${n.periodStart}至${n.periodEnd}与在用的${overlap.period_kind === 'quarter' ? '季度' : '月度'}报送#${overlap.id}（${overlap.period_start}至${overlap.period_end}）重叠：同一期间只按一种口径（季度或月度）报送，如需更正请更正该报送`,
      );
    if (inForce && n.submittedOn < inForce.submittedOn)
      throw unprocessable([
        {
          field: 'submittedOn',
          reason: `更正的报送日期${n.submittedOn}早于被更正的报送#${inForce.id}（${inForce.submittedOn}报送）`,
        },
      ]);
    if (n.sourceKey) {
      const [dup] = await m.query(
        `SELECT id FROM prepaid_report WHERE source_system = $1 AND source_key = $2`,
        [source, n.sourceKey],
      );
      if (dup) throw new ConflictException(`来源编号${n.sourceKey}已导入（报送#${dup.id}）`);
    }
    // the replaced report leaves the in-force index first (pointing to itself for the instant), then
    // points to its correction: one transaction, so no reader sees it half done
    if (inForce) await m.query(`UPDATE prepaid_report SET superseded_by = id WHERE id = $1`, [inForce.id]);
    const [r] = await m.query(
      `INSERT INTO prepaid_report (enterprise_id, period_kind, period_start, period_end, submitted_on, balance_fen,
         cards_sold_count, cards_sold_fen, max_card_fen, anonymous_over_limit, registered_over_limit, longest_term_months,
         deepest_discount_pct, redemptions_fen, refunds_fen, escrow_balance_fen, insurance_cover_fen, revenue_last_year_fen,
         correction_reason, source_system, source_key, created_by, known_on)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,
         ${KNOWN_ON_SQL('$5')}) RETURNING id`,
      [
        enterpriseId,
        n.periodKind,
        n.periodStart,
        n.periodEnd,
        n.submittedOn,
        n.balanceFen,
        n.cardsSoldCount,
        n.cardsSoldFen,
        n.maxCardFen,
        n.anonymousOverLimit,
        n.registeredOverLimit,
        n.longestTermMonths,
        n.deepestDiscountPct,
        n.redemptionsFen,
        n.refundsFen,
        n.escrowBalanceFen,
        n.insuranceCoverFen,
        n.revenueLastYearFen,
        inForce ? n.correctionReason : null,
        source,
        n.sourceKey,
        user && user.id > 0 ? user.id : null,
      ],
    );
    const id = Number(r.id);
    if (inForce)
      await m.query(`UPDATE prepaid_report SET superseded_by = $2 WHERE id = $1`, [inForce.id, id]);
    await appendAudit(sqlOf(m), actor, {
      action: inForce ? 'prepaid_report.correct' : 'prepaid_report.create',
      entityType: 'prepaid_report',
      entityId: id,
      before: inForce ? { supersededReportId: inForce.id } : null,
      after: { enterpriseId, ...n, source },
    });
    return id;
  }

  // ------------------------------------------------------------------ signals

  /** The signals of an issuer, the latest first. @throws 404 */
  async signals(uscc: string, page = 1, pageSize = 50): Promise<Page<SignalView>> {
    const id = await this.issuerId(uscc);
    const rows = await this.dataSource.query(
      `SELECT ${SIGNAL_COLUMNS}, count(*) OVER ()::int AS total FROM prepaid_signal WHERE enterprise_id = $1
        ORDER BY occurred_on DESC, id DESC LIMIT $2 OFFSET $3`,
      [id, pageSize, (page - 1) * pageSize],
    );
    const total = rows.length
      ? Number(rows[0].total)
      : Number(
          (
            await this.dataSource.query(
              `SELECT count(*)::int AS n FROM prepaid_signal WHERE enterprise_id = $1`,
              [id],
            )
          )[0].n,
        );
    return { items: rows.map(signalView), total, page, pageSize };
  }

  /**
   * Records a signal (登记信号). Audited. @throws 404 not an issuer; 422 every field at fault (a store
   * that is not the issuer's); 409 a source key already imported; 403
   */
  async addSignal(
    uscc: string,
    input: SignalInput,
    user: AuthUser,
    actor: Actor,
    today = todayInShanghai(),
  ): Promise<SignalView> {
    await this.mayWrite(user, actor, uscc);
    const id = await this.issuerId(uscc);
    const c = checkSignal(input, today);
    if (!c.ok) throw unprocessable(c.errors);
    const signalId = await this.dataSource.transaction((m) =>
      this.addSignalIn(m, id, c.value, user, actor, 'api'),
    );
    const [r] = await this.dataSource.query(`SELECT ${SIGNAL_COLUMNS} FROM prepaid_signal WHERE id = $1`, [
      signalId,
    ]);
    return signalView(r);
  }

  /** `addSignal`'s writes in the caller's transaction. @returns the signal's id */
  /**
   * The stored signal `s` repeats, or null: with a sourceRef (the complaint or case number), one of the
   * issuer's signals of the same kind with that sourceRef; without, one of the same kind without a
   * sourceRef with the same days, amount, effective day and summary. A repeated signal would count
   * twice in the rules (complaint_surge counts complaints): it is refused (409; the import: the row).
   */
  async sameSignal(
    m: EntityManager | DataSource,
    enterpriseId: number,
    s: NormalisedSignal,
  ): Promise<number | null> {
    const [r] = s.sourceRef
      ? await m.query(
          `SELECT id FROM prepaid_signal WHERE enterprise_id = $1 AND kind = $2 AND source_ref = $3 ORDER BY id LIMIT 1`,
          [enterpriseId, s.kind, s.sourceRef],
        )
      : await m.query(
          `SELECT id FROM prepaid_signal WHERE enterprise_id = $1 AND kind = $2 AND source_ref IS NULL
             AND occurred_on = $3 AND received_on = $4 AND amount_fen IS NOT DISTINCT FROM $5::bigint
             AND effective_on IS NOT DISTINCT FROM $6::date AND summary = $7 ORDER BY id LIMIT 1`,
          [enterpriseId, s.kind, s.occurredOn, s.receivedOn, s.amountFen, s.effectiveOn, s.summary],
        );
    return r ? Number(r.id) : null;
  }

  async addSignalIn(
    m: EntityManager,
    enterpriseId: number,
    s: NormalisedSignal,
    user: AuthUser | null,
    actor: Actor,
    source: SourceSystem,
  ): Promise<number> {
    if (s.storeId !== null) {
      const [st] = await m.query(`SELECT 1 FROM prepaid_store WHERE id = $1 AND enterprise_id = $2`, [
        s.storeId,
        enterpriseId,
      ]);
      if (!st) throw unprocessable([{ field: 'storeId', reason: `门店${s.storeId}不是该经营者的门店` }]);
    }
    if (s.sourceKey) {
      const [dup] = await m.query(
        `SELECT id FROM prepaid_signal WHERE source_system = $1 AND source_key = $2`,
        [source, s.sourceKey],
      );
      if (dup) throw new ConflictException(`来源编号${s.sourceKey}已导入（信号#${dup.id}）`);
    }
    await m.query(`SELECT 1 FROM prepaid_issuer WHERE enterprise_id = $1 FOR UPDATE`, [enterpriseId]);
    const same = await this.sameSignal(m, enterpriseId, s);
    if (same) throw new ConflictException(sameSignalReason(s, same));
    const [r] = await m.query(
      `INSERT INTO prepaid_signal (enterprise_id, kind, occurred_on, received_on, amount_fen, effective_on, discount_pct,
         term_months, store_id, summary, source_ref, source_system, source_key, created_by, known_on)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14, ${KNOWN_ON_SQL('$4')}) RETURNING id`,
      [
        enterpriseId,
        s.kind,
        s.occurredOn,
        s.receivedOn,
        s.amountFen,
        s.effectiveOn,
        s.discountPct,
        s.termMonths,
        s.storeId,
        s.summary,
        s.sourceRef,
        source,
        s.sourceKey,
        user && user.id > 0 ? user.id : null,
      ],
    );
    await appendAudit(sqlOf(m), actor, {
      action: 'prepaid_signal.create',
      entityType: 'prepaid_signal',
      entityId: Number(r.id),
      after: { enterpriseId, ...s, source },
    });
    return Number(r.id);
  }
}

/** The 409 (or the import row's reason) of a signal recorded already (PrepaidIssuersService.sameSignal). */
export function sameSignalReason(s: NormalisedSignal, storedId: number): string {
  return s.sourceRef
    ? `该经营者同类信号的来源编号${s.sourceRef}已登记（信号#${storedId}）：同一投诉或案件不重复登记`
    : `与已登记的信号#${storedId}完全相同（类型、日期、金额、摘要）：同一信号不重复登记`;
}

/**
 * The day a report or signal typed with day `typed` (SQL) is known to the evaluation (known_on,
 * migration 1765929600050): that day, or the day after the latest evaluation run (finished or under
 * way) when later, so that nothing recorded after a day was evaluated changes that day's explanation
 * (the stored levels and the alerts' evidence stay what the explanation gives).
 */
export const KNOWN_ON_SQL = (typed: string): string =>
  `greatest(${typed}::date, (SELECT max(as_of) + 1 FROM prepaid_evaluation_run))`;
