import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../audit/actor.js';
import { appendAudit, sqlOf } from '../../audit/audit-writer.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { DEPARTMENTS, INSPECTING_DEPARTMENTS, departmentName } from '../../auth/roles.js';
import { ScopeService } from '../../auth/scope.service.js';
import { todayInShanghai } from '../../common/clock.js';
import { APP_CONFIG } from '../../config/config.token.js';
import type { AppConfig } from '../../config/configuration.js';
import { CreditRecordsService } from '../../credit/credit-records.service.js';
import { beforeEstablishmentReason } from '../../credit/rules/credit-record-input.js';
import { unprocessable } from '../../http/api-errors.js';
import { printableInDocuments } from '../documents/document-pdf.js';
import { PublicationRegimesService } from '../regimes/publication-regimes.service.js';
import { buildRepairNotice, noticeNumber } from '../rules/notice-builder.js';
import type { RepairNoticeContents } from '../rules/notice-contents.js';
import { LENIENT_MATTERS } from '../rules/lenient-lists.js';
import {
  type FieldError,
  NO_PENALTY_OUTCOMES,
  type Printable,
  type NormalisedPenaltyDecision,
  type PenaltyDecisionInput,
  checkLaterDelivery,
  checkPenaltyDecision,
  decisionFacts,
  noticeRequirement,
  type LaterDeliveryInput,
} from '../rules/penalty-decision-input.js';
import {
  type PublicationPeriods,
  lowerFineThresholds,
  publicationPeriods,
} from '../rules/publication-regimes.js';

/** What a decision would give, before it is stored (the form shows it). */
export interface DecisionPreview {
  decision: NormalisedPenaltyDecision;
  /** null for 不予处罚 / 首违不罚 (nothing published, no record) */
  periods: PublicationPeriods | null;
  noticeRequired: boolean;
  noNoticeReason: string | null;
  /** the credit record it makes: administrative_penalty, listing (serious), or none */
  creditRecordKind: 'administrative_penalty' | 'listing' | null;
}

export interface DeliveryView {
  id: number;
  documents: string[];
  channel: string;
  deliveredOn: string;
  recipient: string | null;
  exceptionReason: string | null;
  recordedBy: number | null;
  createdAt: string;
}

export interface DecisionView {
  id: number;
  decisionNo: string;
  kind: string;
  enterprise: { id: number; uscc: string; name: string };
  partyType: string;
  decisionDate: string;
  procedure: string;
  penaltyTypes: string[];
  fineFen: number | null;
  confiscatedFen: number | null;
  domain: string;
  outcome: string;
  lenientMatterCode: string | null;
  educationGiven: string | null;
  violation: string;
  legalBasis: string;
  sourceDepartment: string;
  regimeCode: string | null;
  periods: PublicationPeriods | null;
  publishedOn: string | null;
  noticeRequired: boolean;
  noNoticeReason: string | null;
  creditRecordId: number | null;
  notice: { id: number; noticeNo: string; issuedOn: string; contents: RepairNoticeContents } | null;
  deliveries: DeliveryView[];
  /** both documents served together in the first delivery of the decision (双书同达), or no notice needed */
  servedTogether: boolean;
  /** the documents' addresses (served by the documents slice) */
  documents: {
    decisionHtml: string;
    decisionPdf: string;
    noticeHtml: string | null;
    noticePdf: string | null;
  };
  createdAt: string;
}

export interface DecisionListQuery {
  from?: string;
  to?: string;
  uscc?: string;
  kind?: string;
  outcome?: string;
  noticeRequired?: boolean;
  decisionNo?: string;
  page?: number;
  pageSize?: number;
}

export interface SameDayReport {
  from: string;
  to: string;
  /** decisions dated in [from, to] */
  decisions: number;
  noticeRequired: number;
  servedSameDay: number;
  /** servedSameDay / noticeRequired, 0..1; null when no decision needed a notice */
  share: number | null;
  target: number;
  exceptions: {
    id: number;
    decisionNo: string;
    enterpriseName: string;
    decisionDate: string;
    decisionDeliveredOn: string | null;
    noticeDeliveredOn: string | null;
    reasons: string[];
  }[];
  notRequired: { id: number; decisionNo: string; enterpriseName: string; reason: string }[];
}

const DATE = (c: string) => `to_char(${c}, 'YYYY-MM-DD')`;

/**
 * Penalty decisions served with their credit-repair notice (双书同达, domain.md 3.5; issue 13 "The
 * dual documents"): recording (one transaction: the decision, its credit record with the
 * publication window, the notice, one delivery of both documents, the audit entry), the list,
 * one decision with its periods and deliveries, later deliveries and the same-day report. A
 * regulator records and reads its own department's decisions; an admin any.
 */
@Injectable()
export class PenaltyDecisionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly records: CreditRecordsService,
    private readonly regimes: PublicationRegimesService,
    private readonly scope: ScopeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private printableCache: Printable | null = null;

  /**
   * The documents' glyph check (the PDF writer's, documents/document-pdf.ts), for the one
   * normalisation of every input path: the font is read on first use and kept for the process.
   */
  printable(): Printable {
    return (this.printableCache ??= printableInDocuments());
  }

  /**
   * Checks a decision as every input path does: checkPenaltyDecision with the documents' glyph
   * check (a character the decision or notice could not print is refused now, naming the field
   * and the character, not when the PDF is asked for). @returns the check
   */
  check(input: PenaltyDecisionInput, today: string) {
    return checkPenaltyDecision(input, today, LENIENT_MATTERS, this.printable());
  }

  /**
   * The department a user records for: a regulator its own; an admin the one given (default
   * market). Only a department that enforces (INSPECTING_DEPARTMENTS, auth/roles.ts) imposes
   * penalties: not the court, which posts judicial records, nor the oversight body (司法局), which
   * supervises enforcement (行政处罚法 第七十五条) and imposes none on enterprises.
   * @throws 403 a regulator for another department, or a regulator of a department that does not
   *   enforce; 422 (department) an admin naming an unknown department or one that does not enforce
   */
  department(user: AuthUser, given: string | undefined): string {
    const refusal = (d: string) =>
      `${DEPARTMENTS[d as keyof typeof DEPARTMENTS]}（${d}）不作出行政处罚决定：只有执法部门（${INSPECTING_DEPARTMENTS.join(', ')}）录入处罚决定`;
    if (user.role === 'regulator') {
      if (given && given !== user.department)
        throw new ForbiddenException(
          `a regulator of ${user.department} records its own department's decisions only`,
        );
      if (!INSPECTING_DEPARTMENTS.includes(user.department!))
        throw new ForbiddenException(
          `a regulator of ${user.department} records no penalty decisions: only departments that enforce do（${refusal(user.department!)}）`,
        );
      return user.department!;
    }
    const d = given || 'market';
    if (!(d in DEPARTMENTS)) throw unprocessable([{ field: 'department', reason: `未知的部门代码“${d}”` }]);
    if (!INSPECTING_DEPARTMENTS.includes(d))
      throw unprocessable([{ field: 'department', reason: refusal(d) }]);
    return d;
  }

  /** The bureau of a department, for the notice. */
  private bureau(department: string) {
    return {
      authority: `上海市${departmentName(this.config.DISTRICT_NAME, department)}`,
      district: this.config.DISTRICT_NAME,
      phone: this.config.BUREAU_PHONE,
    };
  }

  /**
   * The periods and the notice requirement a decision would get, nothing stored (the form's
   * preview). The enterprise must be registered and established by the decision date.
   * @throws 422 every field at fault (checkPenaltyDecision with the documents' glyph check: a
   *   printed text holding a character the PDF font lacks is named with the character; enterpriseUscc not in the register;
   *   decisionDate before establishment; regimeCode unknown or not in force)
   */
  async preview(input: PenaltyDecisionInput, today = todayInShanghai()): Promise<DecisionPreview> {
    const check = this.check(input, today);
    if (!check.ok) throw unprocessable(check.errors);
    const { preview } = await this.evaluate(this.dataSource.manager, check.decision);
    return preview;
  }

  async evaluate(
    m: EntityManager,
    d: NormalisedPenaltyDecision,
  ): Promise<{ preview: DecisionPreview; enterprise: { id: number; name: string; uscc: string } }> {
    const errors: FieldError[] = [];
    const [e] = await m.query(
      `SELECT id, name, uscc, ${DATE('established_on')} AS established_on FROM enterprise WHERE uscc = $1`,
      [d.enterpriseUscc],
    );
    if (!e) errors.push({ field: 'enterpriseUscc', reason: `${d.enterpriseUscc}不在市场主体名录中` });
    else {
      const early = beforeEstablishmentReason(d.decisionDate, e.established_on);
      if (early)
        errors.push({
          field: 'decisionDate',
          reason: `决定日期${d.decisionDate}早于企业成立日期${e.established_on}`,
        });
    }
    let periods: PublicationPeriods | null = null;
    if (!NO_PENALTY_OUTCOMES.includes(d.outcome)) {
      try {
        const regime = await this.regimes.forDecision(d.decisionDate, d.regimeCode, m);
        periods = publicationPeriods(decisionFacts(d), regime, lowerFineThresholds(this.config));
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
        errors.push({ field: d.regimeCode ? 'regimeCode' : 'decisionDate', reason: err.message });
      }
    }
    if (errors.length) throw unprocessable(errors);
    const req = noticeRequirement(d, periods ?? { published: false, notPublishedReason: null });
    return {
      enterprise: { id: Number(e.id), name: e.name, uscc: e.uscc },
      preview: {
        decision: d,
        periods,
        noticeRequired: req.required,
        noNoticeReason: req.reason,
        creditRecordKind: NO_PENALTY_OUTCOMES.includes(d.outcome)
          ? null
          : d.kind === 'serious_listing'
            ? 'listing'
            : 'administrative_penalty',
      },
    };
  }

  /**
   * Records a decision in ONE transaction: the penalty_decision row (its periods and regime); its
   * credit record through CreditRecordsService.createIn (rescoring and audit `credit_record.create`;
   * administrative_penalty, or a listing on the serious list for a serious listing; valid_until
   * the day after the publication's last day; none for 不予处罚 / 首违不罚) with the computed window
   * written on it (publication_start, publication_last_day, earliest_repair_on,
   * never_ended_early, regime_code, period_provisional); the repair notice (buildRepairNotice)
   * when one is required, else notice_required false and the reason; ONE document_delivery with
   * both documents (the decision alone when no notice is needed, or when the delivery says
   * withNotice false, with its exception reason); the audit entry `penalty_decision.create`.
   * Anything failing leaves nothing stored.
   * @param department a department code (admins only; a regulator records for its own)
   * @throws 422 every field at fault (as preview), an admin's department that does not enforce;
   *   409 the decision number is already stored; 403 (audited) a regulator of another department
   *   or of one that does not enforce (the court, the oversight body 司法局), or a serious listing
   *   by a department that does not keep the list (record-authorities.ts)
   */
  async record(
    input: PenaltyDecisionInput & { department?: string },
    user: AuthUser,
    actor: Actor,
    today = todayInShanghai(),
  ): Promise<DecisionView> {
    const check = this.check(input, today);
    if (!check.ok) throw unprocessable(check.errors);
    const d = check.decision;
    let department: string;
    try {
      department = this.department(user, input.department);
    } catch (e) {
      if (e instanceof ForbiddenException) await this.scope.deny(actor, 'penalty_decision', null, e.message);
      throw e;
    }
    await this.scope.recordKind(
      user,
      d.kind === 'serious_listing' ? 'listing' : 'administrative_penalty',
      actor,
    );
    const id = await this.dataSource.transaction((m) => this.recordIn(m, d, department, user, actor));
    return this.one(id, user, actor);
  }

  /**
   * `record`'s writes inside the caller's transaction `m` (the CSV import records a whole file in
   * one). @returns the decision's id. @throws as `record` (422, 409)
   */
  async recordIn(
    m: EntityManager,
    d: NormalisedPenaltyDecision,
    department: string,
    user: AuthUser,
    actor: Actor,
  ): Promise<number> {
    const sourceDepartment = departmentName(this.config.DISTRICT_NAME, department);
    {
      const { preview, enterprise } = await this.evaluate(m, d);
      const p = preview.periods;
      const [row] = await m.query(
        `INSERT INTO penalty_decision (decision_no, kind, enterprise_id, party_type, decision_date, procedure,
           penalty_types, fine_fen, confiscated_fen, domain, outcome, lenient_matter_code, education_given,
           violation, legal_basis, source_department, regime_code, periods, published_on, notice_required,
           no_notice_reason, created_by)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22)
         ON CONFLICT (decision_no) DO NOTHING RETURNING id`,
        [
          d.decisionNo,
          d.kind,
          enterprise.id,
          d.partyType,
          d.decisionDate,
          d.procedure,
          d.penaltyTypes,
          d.fineFen,
          d.confiscatedFen,
          d.domain,
          d.outcome,
          d.lenientMatterCode,
          d.educationGiven,
          d.violation,
          d.legalBasis,
          sourceDepartment,
          p?.regimeCode ?? null,
          p ? JSON.stringify(p) : null,
          p?.publicationStart ?? null,
          preview.noticeRequired,
          preview.noNoticeReason,
          actor.userId,
        ],
      );
      if (!row) throw new ConflictException(`决定书文号${d.decisionNo}已录入`);
      const id = Number(row.id);
      let creditRecordId: number | null = null;
      if (preview.creditRecordKind) {
        const listing = preview.creditRecordKind === 'listing';
        const stored = await this.records.createIn(
          m,
          enterprise.id,
          enterprise.uscc,
          {
            kind: preview.creditRecordKind,
            recordDate: d.decisionDate,
            sourceDepartment,
            ...(listing
              ? {
                  listType: 'serious',
                  listedOn: d.decisionDate,
                  listingReason: d.violation.slice(0, 500),
                  validUntil: p?.countsUntil ?? undefined,
                }
              : {
                  // the record's window is computed by the credit module's one rule from the same
                  // facts under the same regime (credit-record-input.ts), before it rescores
                  decisionNo: d.decisionNo,
                  procedure: d.procedure,
                  penaltyTypes: d.penaltyTypes,
                  fineFen: d.fineFen ?? undefined,
                  domain: d.domain,
                  partyType: d.partyType,
                  publishedOn: p?.publicationStart ?? undefined,
                  regimeCode: p?.regimeCode,
                }),
            details: { penaltyDecisionId: id, decisionNo: d.decisionNo, outcome: d.outcome },
            sourceSystem: this.scope.recordSourceSystem(user, 'penalty-decisions'),
            sourceKey: `decision:${d.decisionNo}`,
          },
          actor,
        );
        if (!stored.created) throw new ConflictException(`决定书文号${d.decisionNo}的信用记录已存在`);
        creditRecordId = Number(stored.record.id);
        // a listing's window (the credit module computes penalties' own)
        if (listing && p?.published)
          await m.query(
            `UPDATE credit_record SET publication_start = $2, publication_last_day = $3, earliest_repair_on = $4,
               never_ended_early = $5, regime_code = $6, period_provisional = $7 WHERE id = $1`,
            [
              creditRecordId,
              p.publicationStart,
              p.publicationLastDay,
              p.earliestRepairOn,
              p.neverEndedEarly,
              p.regimeCode,
              p.provisional,
            ],
          );
        await m.query(`UPDATE penalty_decision SET credit_record_id = $2 WHERE id = $1`, [
          id,
          creditRecordId,
        ]);
      }
      let noticeNo: string | null = null;
      if (preview.noticeRequired && p) {
        noticeNo = noticeNumber(this.config.DISTRICT_NAME, d.decisionDate, id);
        const contents = buildRepairNotice({
          noticeNo,
          issuedOn: d.decisionDate,
          decision: d,
          periods: p,
          enterprise,
          bureau: this.bureau(department),
        });
        await m.query(
          `INSERT INTO repair_notice (decision_id, notice_no, issued_on, contents) VALUES ($1, $2, $3, $4)`,
          [id, noticeNo, d.decisionDate, JSON.stringify(contents)],
        );
      }
      const together = preview.noticeRequired && d.delivery.withNotice;
      await m.query(
        `INSERT INTO document_delivery (decision_id, documents, channel, delivered_on, recipient, exception_reason, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          id,
          together ? ['decision', 'repair_notice'] : ['decision'],
          d.delivery.channel,
          d.delivery.deliveredOn,
          d.delivery.recipient,
          preview.noticeRequired && !together ? d.delivery.exceptionReason : null,
          actor.userId,
        ],
      );
      await appendAudit(sqlOf(m), actor, {
        action: 'penalty_decision.create',
        entityType: 'penalty_decision',
        entityId: String(id),
        after: {
          decision: d,
          enterpriseUscc: enterprise.uscc,
          creditRecordId,
          noticeNo,
          noticeRequired: preview.noticeRequired,
          noNoticeReason: preview.noNoticeReason,
          periods: p && {
            regimeCode: p.regimeCode,
            publicationStart: p.publicationStart,
            publicationLastDay: p.publicationLastDay,
            earliestRepairOn: p.earliestRepairOn,
            neverEndedEarly: p.neverEndedEarly,
          },
        },
      });
      return id;
    }
  }

  /** A regulator reads its own department's decisions only (403, audited); admins all. */
  private async readable(user: AuthUser, sourceDepartment: string, actor: Actor, id: number): Promise<void> {
    if (user.role !== 'regulator') return;
    if (sourceDepartment === departmentName(this.config.DISTRICT_NAME, user.department!)) return;
    const reason = `penalty decision ${id} belongs to ${sourceDepartment}, not to ${user.department}`;
    await this.scope.deny(actor, 'penalty_decision', String(id), reason);
    throw new ForbiddenException(reason);
  }

  /**
   * One decision: its facts, periods with the rule behind every date, the notice's contents, every
   * delivery, whether both documents were served together, and the documents' addresses.
   * @throws 404 unknown; 403 (audited) a regulator of another department
   */
  async one(id: number, user: AuthUser, actor: Actor): Promise<DecisionView> {
    const [r] = await this.dataSource.query(
      `SELECT d.*, ${DATE('d.decision_date')} AS decision_date, ${DATE('d.published_on')} AS published_on,
              e.uscc, e.name AS enterprise_name
         FROM penalty_decision d JOIN enterprise e ON e.id = d.enterprise_id WHERE d.id = $1`,
      [id],
    );
    if (!r) throw new NotFoundException(`no penalty decision ${id}`);
    await this.readable(user, r.source_department, actor, id);
    const [n] = await this.dataSource.query(
      `SELECT id, notice_no, ${DATE('issued_on')} AS issued_on, contents FROM repair_notice WHERE decision_id = $1`,
      [id],
    );
    const deliveries: DeliveryView[] = (
      await this.dataSource.query(
        `SELECT id, documents, channel, ${DATE('delivered_on')} AS delivered_on, recipient, exception_reason,
                recorded_by, created_at FROM document_delivery WHERE decision_id = $1 ORDER BY delivered_on, id`,
        [id],
      )
    ).map((x: Record<string, unknown>) => ({
      id: Number(x.id),
      documents: x.documents as string[],
      channel: x.channel as string,
      deliveredOn: x.delivered_on as string,
      recipient: (x.recipient as string | null) ?? null,
      exceptionReason: (x.exception_reason as string | null) ?? null,
      recordedBy: x.recorded_by === null ? null : Number(x.recorded_by),
      createdAt: new Date(x.created_at as string).toISOString(),
    }));
    const first = deliveries.find((x) => x.documents.includes('decision'));
    const base = `/api/penalty-decisions/${id}/documents`;
    return {
      id,
      decisionNo: r.decision_no,
      kind: r.kind,
      enterprise: { id: Number(r.enterprise_id), uscc: r.uscc, name: r.enterprise_name },
      partyType: r.party_type,
      decisionDate: r.decision_date,
      procedure: r.procedure,
      penaltyTypes: r.penalty_types,
      fineFen: r.fine_fen === null ? null : Number(r.fine_fen),
      confiscatedFen: r.confiscated_fen === null ? null : Number(r.confiscated_fen),
      domain: r.domain,
      outcome: r.outcome,
      lenientMatterCode: r.lenient_matter_code,
      educationGiven: r.education_given,
      violation: r.violation,
      legalBasis: r.legal_basis,
      sourceDepartment: r.source_department,
      regimeCode: r.regime_code,
      periods: r.periods,
      publishedOn: r.published_on,
      noticeRequired: r.notice_required,
      noNoticeReason: r.no_notice_reason,
      creditRecordId: r.credit_record_id === null ? null : Number(r.credit_record_id),
      notice: n
        ? { id: Number(n.id), noticeNo: n.notice_no, issuedOn: n.issued_on, contents: n.contents }
        : null,
      deliveries,
      servedTogether: !r.notice_required || (!!first && first.documents.includes('repair_notice')),
      documents: {
        decisionHtml: `${base}/decision.html`,
        decisionPdf: `${base}/decision.pdf`,
        noticeHtml: n ? `${base}/repair-notice.html` : null,
        noticePdf: n ? `${base}/repair-notice.pdf` : null,
      },
      createdAt: new Date(r.created_at).toISOString(),
    };
  }

  /**
   * Decisions, newest decision date first, one page: filters from/to (decision date), uscc, kind,
   * outcome, noticeRequired, decisionNo (contains). A regulator sees its department's only.
   */
  async list(q: DecisionListQuery, user: AuthUser) {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (user.role === 'regulator')
      add('d.source_department = ?', departmentName(this.config.DISTRICT_NAME, user.department!));
    if (q.from) add('d.decision_date >= ?::date', q.from);
    if (q.to) add('d.decision_date <= ?::date', q.to);
    if (q.uscc) add('e.uscc = ?', q.uscc);
    if (q.kind) add('d.kind = ?', q.kind);
    if (q.outcome) add('d.outcome = ?', q.outcome);
    if (q.noticeRequired !== undefined) add('d.notice_required = ?', q.noticeRequired);
    if (q.decisionNo) add(`d.decision_no ILIKE '%' || ? || '%'`, q.decisionNo.replace(/[%_\\]/g, '\\$&'));
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ n }] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM penalty_decision d JOIN enterprise e ON e.id = d.enterprise_id ${w}`,
      params,
    );
    const rows = await this.dataSource.query(
      `SELECT d.id, d.decision_no, d.kind, d.outcome, ${DATE('d.decision_date')} AS decision_date, d.procedure,
              d.penalty_types, d.fine_fen, d.notice_required, d.no_notice_reason, d.regime_code, d.source_department,
              d.periods->>'publicationLastDay' AS publication_last_day, d.periods->>'earliestRepairOn' AS earliest_repair_on,
              coalesce((d.periods->>'neverEndedEarly')::boolean, false) AS never_ended_early,
              e.uscc, e.name AS enterprise_name,
              (SELECT 'repair_notice' = ANY(x.documents) FROM document_delivery x
                 WHERE x.decision_id = d.id AND 'decision' = ANY(x.documents) ORDER BY x.delivered_on, x.id LIMIT 1) AS first_with_notice
         FROM penalty_decision d JOIN enterprise e ON e.id = d.enterprise_id ${w}
        ORDER BY d.decision_date DESC, d.id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      params,
    );
    return {
      items: rows.map((r: Record<string, unknown>) => ({
        id: Number(r.id),
        decisionNo: r.decision_no,
        kind: r.kind,
        outcome: r.outcome,
        decisionDate: r.decision_date,
        procedure: r.procedure,
        penaltyTypes: r.penalty_types,
        fineFen: r.fine_fen === null ? null : Number(r.fine_fen),
        noticeRequired: r.notice_required,
        noNoticeReason: r.no_notice_reason,
        regimeCode: r.regime_code,
        sourceDepartment: r.source_department,
        publicationLastDay: r.publication_last_day ?? null,
        earliestRepairOn: r.earliest_repair_on ?? null,
        neverEndedEarly: r.never_ended_early === true,
        enterprise: { uscc: r.uscc, name: r.enterprise_name },
        servedTogether: !r.notice_required || r.first_with_notice === true,
      })),
      total: Number(n),
      page,
      pageSize,
    };
  }

  /**
   * Records a later delivery of a decision's documents (e.g. the notice served after the decision),
   * audited `document_delivery.create`. The reason is required when the notice is served later
   * than the decision (the report lists it).
   * @throws 404; 403 (audited) another department's; 422 documents, channel, deliveredOn,
   *   recipient, exceptionReason (checkLaterDelivery), a repair notice the decision does not have
   */
  async addDelivery(
    id: number,
    input: LaterDeliveryInput,
    user: AuthUser,
    actor: Actor,
    today = todayInShanghai(),
  ): Promise<DecisionView> {
    await this.dataSource.transaction(async (m) => {
      const [r] = await m.query(
        `SELECT id, source_department, notice_required, ${DATE('decision_date')} AS decision_date
           FROM penalty_decision WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!r) throw new NotFoundException(`no penalty decision ${id}`);
      await this.readable(user, r.source_department, actor, id);
      const [{ served }] = await m.query(
        `SELECT EXISTS (SELECT 1 FROM document_delivery WHERE decision_id = $1 AND 'repair_notice' = ANY(documents)) AS served`,
        [id],
      );
      const check = checkLaterDelivery(input, {
        today,
        decisionDate: r.decision_date,
        hasNotice: r.notice_required,
        noticeServed: served,
        printable: this.printable(),
      });
      if (!check.ok) throw unprocessable(check.errors);
      const v = check.delivery;
      const [row] = await m.query(
        `INSERT INTO document_delivery (decision_id, documents, channel, delivered_on, recipient, exception_reason, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [id, v.documents, v.channel, v.deliveredOn, v.recipient, v.exceptionReason, actor.userId],
      );
      await appendAudit(sqlOf(m), actor, {
        action: 'document_delivery.create',
        entityType: 'penalty_decision',
        entityId: String(id),
        after: { deliveryId: Number(row.id), ...v },
      });
    });
    return this.one(id, user, actor);
  }

  /**
   * The same-day report (双书同达统计): decisions dated in [from, to] (a regulator: its
   * department's), how many needed a notice, how many were served it together with the decision
   * (the first delivery of the decision carries both documents), the share (target 100 %), every
   * exception with its reasons (the deliveries' exception reasons; 未记录原因 when none) and the
   * decisions that needed no notice with why.
   * @throws 422 from after to
   */
  async report(from: string, to: string, user: AuthUser): Promise<SameDayReport> {
    if (from > to) throw unprocessable([{ field: 'from', reason: `起始日期${from}晚于截止日期${to}` }]);
    const params: unknown[] = [from, to];
    let dept = '';
    if (user.role === 'regulator') {
      params.push(departmentName(this.config.DISTRICT_NAME, user.department!));
      dept = 'AND d.source_department = $3';
    }
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT d.id, d.decision_no, ${DATE('d.decision_date')} AS decision_date, d.notice_required, d.no_notice_reason,
              e.name AS enterprise_name,
              (SELECT ${DATE('min(x.delivered_on)')} FROM document_delivery x WHERE x.decision_id = d.id AND 'decision' = ANY(x.documents)) AS decision_on,
              (SELECT ${DATE('min(x.delivered_on)')} FROM document_delivery x WHERE x.decision_id = d.id AND 'repair_notice' = ANY(x.documents)) AS notice_on,
              (SELECT 'repair_notice' = ANY(x.documents) FROM document_delivery x
                 WHERE x.decision_id = d.id AND 'decision' = ANY(x.documents) ORDER BY x.delivered_on, x.id LIMIT 1) AS together,
              (SELECT coalesce(array_agg(x.exception_reason ORDER BY x.id) FILTER (WHERE x.exception_reason IS NOT NULL), '{}')
                 FROM document_delivery x WHERE x.decision_id = d.id) AS reasons
         FROM penalty_decision d JOIN enterprise e ON e.id = d.enterprise_id
        WHERE d.decision_date BETWEEN $1::date AND $2::date ${dept}
        ORDER BY d.decision_date, d.id`,
      params,
    );
    const required = rows.filter((r) => r.notice_required);
    const same = required.filter((r) => r.together === true);
    return {
      from,
      to,
      decisions: rows.length,
      noticeRequired: required.length,
      servedSameDay: same.length,
      share: required.length ? same.length / required.length : null,
      target: 1,
      exceptions: required
        .filter((r) => r.together !== true)
        .map((r) => ({
          id: Number(r.id),
          decisionNo: r.decision_no as string,
          enterpriseName: r.enterprise_name as string,
          decisionDate: r.decision_date as string,
          decisionDeliveredOn: (r.decision_on as string | null) ?? null,
          noticeDeliveredOn: (r.notice_on as string | null) ?? null,
          reasons: (r.reasons as string[]).length ? (r.reasons as string[]) : ['未记录原因'],
        })),
      notRequired: rows
        .filter((r) => !r.notice_required)
        .map((r) => ({
          id: Number(r.id),
          decisionNo: r.decision_no as string,
          enterpriseName: r.enterprise_name as string,
          reason: r.no_notice_reason as string,
        })),
    };
  }
}
