import { todayInShanghai } from '../common/clock.js';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Actor } from '../audit/actor.js';
import { readSourceDate } from '../common/chinese-date.js';
import { appendAudit, sqlOf } from '../audit/audit-writer.js';
import { unprocessable } from '../http/api-errors.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  CreateEnterpriseDto,
  REVIEW_FLAGS,
  EnterprisePage,
  EnterpriseView,
  ListEnterprisesQuery,
} from './dto/enterprise.dto.js';
import { Enterprise, EntityType, STATUS_LABELS } from './entities/enterprise.entity.js';
import { capitalBand } from './rules/capital-band.js';
import { API_FIELDS, checkRegisterIdentity } from './rules/register-identity.js';

const VIEW_COLUMNS = `e.uscc, e.registration_no, e.uscc_check_char_failed, e.division_mismatch, e.uscc_derived, e.name, e.entity_type, e.industry_code, e.division_code, e.street, e.address,
  e.established_on, e.established_on_estimated, e.status, e.prepaid_issuer, e.registered_capital_fen, e.source_system, e.source_key, s.tier, s.score`;

function toView(r: Record<string, unknown>): EnterpriseView {
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

  /** Filters by current tier, division, industry-code prefix, review flag and name fragment; ordered by USCC. */
  async list(q: ListEnterprisesQuery): Promise<EnterprisePage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.tier) {
      const [active] = await this.dataSource.query(
        `SELECT config->'tiers' AS tiers FROM scorecard_version WHERE is_active`,
      );
      const tiers: string[] = (active?.tiers ?? []).map((t: { tier: string }) => t.tier);
      if (!tiers.includes(q.tier))
        throw unprocessable([{ field: 'tier', reason: `'${q.tier}' is not a tier (${tiers.join(', ')})` }]);
      add('s.tier = ?', q.tier);
    }
    if (q.division) add('e.division_code = ?', q.division);
    // the flag is one of REVIEW_FLAGS (validated), each a boolean column of the same name
    if (q.reviewFlag && (REVIEW_FLAGS as readonly string[]).includes(q.reviewFlag))
      where.push(`e.${q.reviewFlag}`);
    if (q.industry) add(`e.industry_code LIKE ? || '%'`, q.industry);
    if (q.name)
      add(
        `lower(e.name) LIKE '%' || lower(?) || '%'`,
        q.name.replace(/[\\%_]/g, (c) => '\\' + c),
      );
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const from = `FROM enterprise e LEFT JOIN credit_score s ON s.enterprise_id = e.id ${filter}`;
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total ${from}`, params);
    const rows = await this.dataSource.query(
      `SELECT ${VIEW_COLUMNS} ${from} ORDER BY e.uscc LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, q.pageSize, (q.page - 1) * q.pageSize],
    );
    return { items: rows.map(toView), total, page: q.page, pageSize: q.pageSize };
  }
}
