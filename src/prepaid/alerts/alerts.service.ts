import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../audit/actor.js';
import { appendAudit, sqlOf } from '../../audit/audit-writer.js';
import { departmentName } from '../../auth/roles.js';
import { ScopeService } from '../../auth/scope.service.js';
import { todayInShanghai } from '../../common/clock.js';
import { APP_CONFIG } from '../../config/config.token.js';
import type { AppConfig } from '../../config/configuration.js';
import { CreditRecordsService } from '../../credit/credit-records.service.js';
import { RECORD_TEXT_LIMITS } from '../../credit/rules/credit-record-input.js';
import { pgPool } from '../../database/pg-pool.js';
import { FieldProblem, unprocessable } from '../../http/api-errors.js';
import { TriggersService } from '../../inspections/triggers/triggers.service.js';
import { ISSUER_STREET_SQL, NO_STREET } from '../evaluation/evaluation.service.js';
import { PREPAID_DEPARTMENT } from '../rules/prepaid-department.js';
import type { RiskAssessment } from '../rules/risk-rules.js';
import {
  ALERT_OUTCOME_LABELS,
  type AlertOutcome,
  type AlertStatus,
  type AlertStep,
  DISPOSAL_LABELS,
  DISPOSALS_WITH_RECORD,
  type DisposalKind,
  isOverdue,
  overdueSql,
  STATUS_AFTER,
  stepRefusal,
} from './rules/alert-rules.js';

/** A user as an alert names it. */
export interface UserRefView {
  id: number;
  displayName: string;
}

/** One alert in the list (GET /api/prepaid/alerts). */
export interface AlertListItemView {
  id: number;
  uscc: string;
  name: string;
  sector: string;
  street: string;
  level: string;
  openedLevel: string;
  openedOn: string;
  raisedOn: string | null;
  status: AlertStatus;
  dueOn: string;
  dueProvisional: boolean;
  overdue: boolean;
  assignee: UserRefView | null;
}

export interface AlertEventView {
  id: number;
  kind: string;
  level: string | null;
  asOf: string;
  note: string | null;
  evidence: RiskAssessment | null;
  actor: UserRefView | null;
  at: string;
}

export interface DisposalView {
  id: number;
  kind: DisposalKind;
  decidedOn: string;
  note: string;
  referredTo: string | null;
  triggerId: number | null;
  taskId: number | null;
  taskStatus: string | null;
  creditRecordId: number | null;
  createdBy: UserRefView;
  createdAt: string;
}

/** One alert with everything behind it (GET /api/prepaid/alerts/:id). */
export interface AlertDetailView extends AlertListItemView {
  evidence: RiskAssessment;
  events: AlertEventView[];
  disposals: DisposalView[];
  findings: string | null;
  issuerAction: string | null;
  outcome: AlertOutcome | null;
  creditRecordId: number | null;
  modelVersion: string;
}

export interface AlertListFilter {
  level?: string;
  sector?: string;
  status?: string;
  overdue?: boolean;
  street?: string;
  q?: string;
  page: number;
  pageSize: number;
}

export interface DisposalInput {
  kind: DisposalKind;
  decidedOn: string;
  note: string;
  referredTo?: string;
  itemCodes?: string[];
}

export interface FeedbackInput {
  findings: string;
  issuerAction: string;
  outcome: AlertOutcome;
}

/** Session advisory lock (with the alert id): one disposal of an alert at a time, on every instance. */
export const DISPOSAL_LOCK = 'prepaid_alert_disposal';

const LIST_SELECT = `
  SELECT a.id, e.uscc, e.name, pi.sector, coalesce(${ISSUER_STREET_SQL}, '${NO_STREET}') AS street,
         a.level, a.opened_level, a.opened_on::text AS opened_on, a.raised_on::text AS raised_on, a.status,
         a.due_on::text AS due_on, a.due_provisional,
         ${overdueSql('$1::date')} AS overdue, u.id AS assignee_id, u.display_name AS assignee_name`;
const LIST_FROM = `
  FROM prepaid_alert a JOIN prepaid_issuer pi ON pi.enterprise_id = a.enterprise_id
  JOIN enterprise e ON e.id = a.enterprise_id LEFT JOIN app_user u ON u.id = a.assigned_to`;

function listItem(r: Record<string, unknown>): AlertListItemView {
  return {
    id: Number(r.id),
    uscc: r.uscc as string,
    name: r.name as string,
    sector: r.sector as string,
    street: r.street as string,
    level: r.level as string,
    openedLevel: r.opened_level as string,
    openedOn: r.opened_on as string,
    raisedOn: (r.raised_on as string | null) ?? null,
    status: r.status as AlertStatus,
    dueOn: r.due_on as string,
    dueProvisional: r.due_provisional as boolean,
    overdue: r.overdue as boolean,
    assignee:
      r.assignee_id === null ? null : { id: Number(r.assignee_id), displayName: r.assignee_name as string },
  };
}

/**
 * Prepaid-risk alerts and their disposal (风险预警 -> 处置 -> 反馈, issue 14): the lifecycle open ->
 * assigned -> disposing -> feedback -> closed (rules/alert-rules.ts), disposals (an on-site check is an
 * event-triggered check of the planning module, accepted into a task), feedback, and the close that
 * writes the issuer's credit record `regulatory_measure`. Regulators of PREPAID_DEPARTMENT act (others
 * 403, audited `access.denied`); every change is audited in its transaction; a step from the wrong
 * status answers 409 naming the current status.
 */
@Injectable()
export class PrepaidAlertsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly records: CreditRecordsService,
    private readonly triggers: TriggersService,
    private readonly scope: ScopeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Alerts, most urgent first (overdue, then the due day, then the worst level), one page. */
  async list(
    f: AlertListFilter,
  ): Promise<{ items: AlertListItemView[]; total: number; page: number; pageSize: number }> {
    const params: unknown[] = [todayInShanghai()];
    const p = (v: unknown) => `$${params.push(v)}`;
    const where: string[] = [];
    if (f.level) where.push(`a.level = ${p(f.level)}`);
    if (f.sector) where.push(`pi.sector = ${p(f.sector)}`);
    if (f.status) where.push(`a.status = ${p(f.status)}`);
    if (f.overdue !== undefined) where.push(`${f.overdue ? '' : 'NOT '}${overdueSql('$1::date')}`);
    if (f.street) where.push(`coalesce(${ISSUER_STREET_SQL}, '${NO_STREET}') = ${p(f.street.trim())}`);
    if (f.q?.trim()) {
      const q = p(`%${f.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(e.name ILIKE ${q} OR e.uscc ILIKE ${q})`);
    }
    const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total, min($1::date) AS today ${LIST_FROM} ${cond}`,
      params,
    );
    const rows = await this.dataSource.query(
      `${LIST_SELECT} ${LIST_FROM} ${cond}
       ORDER BY (a.status = 'closed'), ${overdueSql('$1::date')} DESC, a.due_on, array_position(ARRAY['red','orange','yellow'], a.level), a.id
       LIMIT ${p(f.pageSize)} OFFSET ${p((f.page - 1) * f.pageSize)}`,
      params,
    );
    return { items: rows.map(listItem), total, page: f.page, pageSize: f.pageSize };
  }

  /** One alert with its evidence, events and disposals. @throws NotFoundException unknown id */
  one(id: number): Promise<AlertDetailView> {
    return this.read(this.dataSource.manager, id);
  }

  private async read(m: EntityManager, id: number): Promise<AlertDetailView> {
    const [r] = await m.query(
      `${LIST_SELECT}, a.evidence, a.findings, a.issuer_action, a.outcome, a.credit_record_id, a.model_version ${LIST_FROM} WHERE a.id = $2`,
      [todayInShanghai(), id],
    );
    if (!r) throw new NotFoundException(`alert ${id} does not exist`);
    const events = await m.query(
      `SELECT v.id, v.kind, v.level, v.as_of::text AS as_of, v.note, v.evidence, v.at, u.id AS uid, u.display_name
       FROM prepaid_alert_event v LEFT JOIN app_user u ON u.id = v.actor_id WHERE v.alert_id = $1 ORDER BY v.id`,
      [id],
    );
    const disposals = await m.query(
      `SELECT d.id, d.kind, d.decided_on::text AS decided_on, d.note, d.referred_to, d.trigger_id, d.task_id, t.status AS task_status,
              d.credit_record_id, d.created_at, u.id AS uid, u.display_name
       FROM prepaid_disposal d JOIN app_user u ON u.id = d.created_by LEFT JOIN inspection_task t ON t.id = d.task_id
       WHERE d.alert_id = $1 ORDER BY d.id`,
      [id],
    );
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return {
      ...listItem(r),
      evidence: r.evidence as RiskAssessment,
      events: events.map((v: Record<string, unknown>) => ({
        id: Number(v.id),
        kind: v.kind as string,
        level: (v.level as string | null) ?? null,
        asOf: v.as_of as string,
        note: (v.note as string | null) ?? null,
        // an opening's evidence is the alert's (stored once, prepaid_alert.evidence)
        evidence:
          v.kind === 'opened'
            ? (r.evidence as RiskAssessment)
            : ((v.evidence as RiskAssessment | null) ?? null),
        actor: v.uid === null ? null : { id: Number(v.uid), displayName: v.display_name as string },
        at: new Date(v.at as string).toISOString(),
      })),
      disposals: disposals.map((d: Record<string, unknown>) => ({
        id: Number(d.id),
        kind: d.kind as DisposalKind,
        decidedOn: d.decided_on as string,
        note: d.note as string,
        referredTo: (d.referred_to as string | null) ?? null,
        triggerId: num(d.trigger_id),
        taskId: num(d.task_id),
        taskStatus: (d.task_status as string | null) ?? null,
        creditRecordId: num(d.credit_record_id),
        createdBy: { id: Number(d.uid), displayName: d.display_name as string },
        createdAt: new Date(d.created_at as string).toISOString(),
      })),
      findings: (r.findings as string | null) ?? null,
      issuerAction: (r.issuer_action as string | null) ?? null,
      outcome: (r.outcome as AlertOutcome | null) ?? null,
      creditRecordId: num(r.credit_record_id),
      modelVersion: r.model_version as string,
    };
  }

  /** Regulators of PREPAID_DEPARTMENT who may be assigned alerts (active users), by name. */
  async assignees(): Promise<UserRefView[]> {
    const rows = await this.dataSource.query(
      `SELECT id, display_name FROM app_user WHERE role = 'regulator' AND department = $1 AND active
       ORDER BY display_name, id`,
      [PREPAID_DEPARTMENT],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: Number(r.id),
      displayName: r.display_name as string,
    }));
  }

  /** Only regulators of PREPAID_DEPARTMENT act on alerts (403, audited `access.denied`, for others). */
  private async mayAct(actor: Actor, id: number, what: string): Promise<void> {
    if (actor.role === 'regulator' && actor.department === PREPAID_DEPARTMENT) return;
    const reason = `only regulators of ${PREPAID_DEPARTMENT} dispose of prepaid-risk alerts: a ${actor.role}${actor.department ? ` of ${actor.department}` : ''} may not ${what} alert ${id}`;
    await this.scope.deny(actor, 'prepaid_alert', String(id), reason);
    throw new ForbiddenException(reason);
  }

  /** The alert's row locked, after the step check. @throws 404 unknown; 409 wrong status */
  private async lockFor(m: EntityManager, id: number, step: AlertStep): Promise<Record<string, unknown>> {
    const [a] = await m.query(
      `SELECT a.*, e.uscc FROM prepaid_alert a JOIN enterprise e ON e.id = a.enterprise_id WHERE a.id = $1 FOR UPDATE OF a`,
      [id],
    );
    if (!a) throw new NotFoundException(`alert ${id} does not exist`);
    const refusal = stepRefusal(step, a.status as AlertStatus);
    if (refusal) throw new ConflictException(`alert ${id}: ${refusal}`);
    return a;
  }

  private async event(
    m: EntityManager,
    id: number,
    kind: string,
    actor: Actor,
    note: string | null,
    level: string | null = null,
  ): Promise<void> {
    await m.query(
      `INSERT INTO prepaid_alert_event (alert_id, kind, level, as_of, note, actor_id) VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, kind, level, todayInShanghai(), note, actor.userId],
    );
  }

  /**
   * Assigns (or reassigns, before feedback) the alert to a regulator of the department. Status open ->
   * assigned. Audited `prepaid_alert.assign`. Assigning to the person it is assigned to already changes
   * nothing and records nothing (answers the alert unchanged).
   * @throws 403 not a regulator of the department; 404; 409 wrong status; 422 `assigneeId` not an active regulator of the department
   */
  async assign(id: number, assigneeId: number, actor: Actor): Promise<AlertDetailView> {
    await this.mayAct(actor, id, 'assign');
    return this.dataSource.transaction(async (m) => {
      const a = await this.lockFor(m, id, 'assign');
      const [u] = await m.query(
        `SELECT id, display_name FROM app_user WHERE id = $1 AND role = 'regulator' AND department = $2 AND active`,
        [assigneeId, PREPAID_DEPARTMENT],
      );
      if (!u)
        throw unprocessable([
          {
            field: 'assigneeId',
            reason: `user ${assigneeId} is not an active regulator of ${PREPAID_DEPARTMENT}`,
          },
        ]);
      // the same person again: nothing changes, nothing is recorded (a double click)
      if (a.assigned_to !== null && Number(a.assigned_to) === assigneeId) return this.read(m, id);
      const status = STATUS_AFTER.assign(a.status as AlertStatus);
      await m.query(
        `UPDATE prepaid_alert SET assigned_to = $2, assigned_by = $3, assigned_at = now(), status = $4 WHERE id = $1`,
        [id, assigneeId, actor.userId, status],
      );
      await this.event(m, id, 'assigned', actor, `指派给 ${u.display_name}`);
      await appendAudit(sqlOf(m), actor, {
        action: 'prepaid_alert.assign',
        entityType: 'prepaid_alert',
        entityId: id,
        before: { status: a.status, assignedTo: a.assigned_to === null ? null : Number(a.assigned_to) },
        after: { status, assignedTo: assigneeId },
      });
      return this.read(m, id);
    });
  }

  /**
   * Records a disposal (处置). Status assigned -> disposing (more disposals may follow while disposing).
   * - onsite_check: an event-triggered check (inspection_trigger kind `data_alert`, department
   *   PREPAID_DEPARTMENT, source_ref `预付卡预警 #<id>`, the body's itemCodes) proposed and accepted at
   *   once into a task (TriggersService.create then .accept: each its own transaction, the services
   *   offer no transaction of the caller's; when the acceptance fails, e.g. too few qualified inspectors,
   *   the trigger is dismissed with that reason and the error answered, and no disposal is recorded).
   * - interview, warning_letter, stop_prepayment_order: the issuer's credit record `regulatory_measure`
   *   (CreditRecordsService.createIn, in the disposal's transaction: audited and rescored like every
   *   record; it feeds no indicator).
   * - referral: `referredTo` names the department referred to.
   * Audited `prepaid_alert.dispose`.
   * - One disposal of an alert at a time (session advisory lock DISPOSAL_LOCK + alert id, held over the
   *   check, the trigger and the transaction): a second one sent meanwhile is 409.
   * - The same disposal again (kind, day, note and referral equal to a recorded one) is 409 naming it:
   *   a double click puts no second measure on the issuer's credit record.
   * @throws 403; 404; 409 wrong status, duplicate, another disposal in progress; 422 decidedOn (after today, before the opening), referredTo, itemCodes
   */
  async dispose(id: number, dto: DisposalInput, actor: Actor): Promise<AlertDetailView> {
    await this.mayAct(actor, id, 'dispose of');
    const client = await pgPool(this.dataSource).connect();
    try {
      const key = `${DISPOSAL_LOCK}:${id}`;
      const [{ locked }] = (await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key]))
        .rows;
      if (!locked)
        throw new ConflictException(
          `alert ${id}: another disposal of this alert is being recorded; try again`,
        );
      try {
        return await this.disposeLocked(id, dto, actor);
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
      }
    } finally {
      client.release();
    }
  }

  /** The same disposal recorded already (see dispose), or null. */
  private async sameDisposal(m: EntityManager | DataSource, id: number, dto: DisposalInput, note: string) {
    const [d] = await m.query(
      `SELECT id FROM prepaid_disposal WHERE alert_id = $1 AND kind = $2 AND decided_on = $3 AND note = $4
         AND referred_to IS NOT DISTINCT FROM $5 ORDER BY id LIMIT 1`,
      [id, dto.kind, dto.decidedOn, note, dto.referredTo?.trim() || null],
    );
    return d
      ? new ConflictException(
          `alert ${id}: the same disposal (${dto.kind}, ${dto.decidedOn}, same note) is recorded already (#${d.id})`,
        )
      : null;
  }

  private async disposeLocked(id: number, dto: DisposalInput, actor: Actor): Promise<AlertDetailView> {
    const today = todayInShanghai();
    const problems: FieldProblem[] = [];
    const note = dto.note?.trim() ?? '';
    if (!note) problems.push({ field: 'note', reason: '说明不能为空（不能只填空格）' });
    if (dto.decidedOn > today)
      problems.push({ field: 'decidedOn', reason: `日期${dto.decidedOn}晚于今天（${today}）` });
    if (dto.kind === 'referral' && !dto.referredTo?.trim())
      problems.push({ field: 'referredTo', reason: '移送须填写移送至的部门' });
    if (dto.kind !== 'referral' && dto.referredTo?.trim())
      problems.push({ field: 'referredTo', reason: '只有移送填写移送至的部门' });
    if (dto.kind === 'onsite_check' && !dto.itemCodes?.length)
      problems.push({ field: 'itemCodes', reason: '现场检查至少选择一项检查事项' });
    if (dto.kind !== 'onsite_check' && dto.itemCodes?.length)
      problems.push({ field: 'itemCodes', reason: '只有现场检查填写检查事项' });
    const [pre] = await this.dataSource.query(
      `SELECT a.status, a.opened_on::text AS opened_on, e.uscc FROM prepaid_alert a JOIN enterprise e ON e.id = a.enterprise_id WHERE a.id = $1`,
      [id],
    );
    if (!pre) throw new NotFoundException(`alert ${id} does not exist`);
    const refusal = stepRefusal('dispose', pre.status);
    if (refusal) throw new ConflictException(`alert ${id}: ${refusal}`);
    if (dto.decidedOn < pre.opened_on)
      problems.push({
        field: 'decidedOn',
        reason: `日期${dto.decidedOn}早于预警发出之日（${pre.opened_on}）`,
      });
    if (problems.length) throw unprocessable(problems);
    const dup = await this.sameDisposal(this.dataSource, id, dto, note);
    if (dup) throw dup;

    let trigger: { id: number; taskId: number | null } | null = null;
    if (dto.kind === 'onsite_check') {
      const created = await this.triggers.create(
        {
          enterpriseUscc: pre.uscc,
          kind: 'data_alert',
          reason: `预付卡风险预警 #${id}：${note}`.slice(0, 1000),
          sourceRef: `预付卡预警 #${id}`,
          department: PREPAID_DEPARTMENT,
          itemCodes: dto.itemCodes,
          receivedOn: dto.decidedOn,
        },
        actor,
      );
      try {
        const accepted = await this.triggers.accept(created.id, {}, actor);
        trigger = { id: created.id, taskId: accepted.task?.id ?? null };
      } catch (e) {
        await this.triggers
          .dismiss(
            created.id,
            { reason: `预警处置未能生成检查任务：${(e as Error).message}`.slice(0, 500) },
            actor,
          )
          .catch(() => undefined);
        throw e;
      }
    }

    return this.dataSource.transaction(async (m) => {
      const a = await this.lockFor(m, id, 'dispose');
      let creditRecordId: number | null = null;
      if (DISPOSALS_WITH_RECORD.includes(dto.kind)) {
        const stored = await this.records.createIn(
          m,
          Number(a.enterprise_id),
          a.uscc as string,
          {
            kind: 'regulatory_measure',
            recordDate: dto.decidedOn,
            sourceDepartment: departmentName(this.config.DISTRICT_NAME, PREPAID_DEPARTMENT),
            subject: clip(`预付卡风险预警处置：${DISPOSAL_LABELS[dto.kind]}。${note}`),
            details: { alertId: id, disposal: dto.kind, level: a.level },
            sourceSystem: 'prepaid',
            sourceKey: `alert:${id}:disposal:${dto.kind}:${dto.decidedOn}:${Date.now()}`,
          },
          actor,
        );
        creditRecordId = Number(stored.record.id);
      }
      const [d] = await m.query(
        `INSERT INTO prepaid_disposal (alert_id, kind, decided_on, note, referred_to, trigger_id, task_id, credit_record_id, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          id,
          dto.kind,
          dto.decidedOn,
          note,
          dto.referredTo?.trim() || null,
          trigger?.id ?? null,
          trigger?.taskId ?? null,
          creditRecordId,
          actor.userId,
        ],
      );
      await m.query(`UPDATE prepaid_alert SET status = 'disposing' WHERE id = $1`, [id]);
      await this.event(m, id, 'disposal', actor, `${DISPOSAL_LABELS[dto.kind]}：${note}`);
      await appendAudit(sqlOf(m), actor, {
        action: 'prepaid_alert.dispose',
        entityType: 'prepaid_alert',
        entityId: id,
        before: { status: a.status },
        after: {
          status: 'disposing',
          disposal: Number(d.id),
          kind: dto.kind,
          decidedOn: dto.decidedOn,
          referredTo: dto.referredTo?.trim() || null,
          triggerId: trigger?.id ?? null,
          taskId: trigger?.taskId ?? null,
          creditRecordId,
        },
      });
      return this.read(m, id);
    });
  }

  /**
   * Records the feedback (反馈): what was found, what the issuer did, the outcome. Status disposing ->
   * feedback. Audited `prepaid_alert.feedback`.
   * @throws 403; 404; 409 wrong status (no disposal yet); 422 blank findings or issuerAction
   */
  async feedback(id: number, dto: FeedbackInput, actor: Actor): Promise<AlertDetailView> {
    await this.mayAct(actor, id, 'give feedback on');
    const problems: FieldProblem[] = [];
    if (!dto.findings?.trim())
      problems.push({ field: 'findings', reason: '核查情况不能为空（不能只填空格）' });
    if (!dto.issuerAction?.trim())
      problems.push({ field: 'issuerAction', reason: '经营者整改情况不能为空（不能只填空格）' });
    if (problems.length) throw unprocessable(problems);
    return this.dataSource.transaction(async (m) => {
      const a = await this.lockFor(m, id, 'feedback');
      await m.query(
        `UPDATE prepaid_alert SET findings = $2, issuer_action = $3, outcome = $4, feedback_by = $5, feedback_at = now(),
           status = 'feedback' WHERE id = $1`,
        [id, dto.findings.trim(), dto.issuerAction.trim(), dto.outcome, actor.userId],
      );
      await this.event(
        m,
        id,
        'feedback',
        actor,
        `${ALERT_OUTCOME_LABELS[dto.outcome]}：${dto.findings.trim()}`,
      );
      await appendAudit(sqlOf(m), actor, {
        action: 'prepaid_alert.feedback',
        entityType: 'prepaid_alert',
        entityId: id,
        before: { status: a.status },
        after: {
          status: 'feedback',
          findings: dto.findings.trim(),
          issuerAction: dto.issuerAction.trim(),
          outcome: dto.outcome,
        },
      });
      return this.read(m, id);
    });
  }

  /**
   * Closes the alert (status feedback -> closed; the alert keeps its id, a later alert of the issuer is a
   * new one). In the same transaction the issuer's credit record `regulatory_measure` (监管措施), dated
   * today, source the department's full name, subject: the level, the disposals, the findings, what the
   * issuer did and the outcome; details: alert id, disposals, outcome (CreditRecordsService.createIn:
   * audited `credit_record.create` and rescored; it feeds no indicator). Audited `prepaid_alert.close`.
   * @throws 403; 404; 409 wrong status (no feedback yet)
   */
  async close(id: number, note: string | undefined, actor: Actor): Promise<AlertDetailView> {
    await this.mayAct(actor, id, 'close');
    return this.dataSource.transaction(async (m) => {
      const a = await this.lockFor(m, id, 'close');
      const disposals: { kind: DisposalKind; decided_on: string }[] = await m.query(
        `SELECT kind, decided_on::text AS decided_on FROM prepaid_disposal WHERE alert_id = $1 ORDER BY id`,
        [id],
      );
      const outcome = a.outcome as AlertOutcome;
      const done = disposals.map((d) => `${d.decided_on}${DISPOSAL_LABELS[d.kind]}`).join('、');
      // On-site check tasks of the alert without a recorded result (a task is finished once its
      // result is recorded: status completed; cancelled and replaced ones are no longer awaited).
      const pending: { task_id: string; status: string }[] = await m.query(
        `SELECT d.task_id, t.status FROM prepaid_disposal d JOIN inspection_task t ON t.id = d.task_id
          WHERE d.alert_id = $1 AND t.status IN ('assigned','in_progress') ORDER BY d.task_id`,
        [id],
      );
      const pendingZh = pending
        .map((t) => `现场检查任务 #${t.task_id} 尚未完成（${t.status === 'assigned' ? '待检查' : '检查中'}）`)
        .join('；');
      const subject = clip(
        `预付卡风险预警 #${id}（${LEVEL_ZH[a.level as string] ?? a.level}）已办结：处置 ${done}；发现：${a.findings}；经营者整改：${a.issuer_action}；结果：${ALERT_OUTCOME_LABELS[outcome]}${pendingZh ? `；${pendingZh}` : ''}${note?.trim() ? `；${note.trim()}` : ''}`,
      );
      const stored = await this.records.createIn(
        m,
        Number(a.enterprise_id),
        a.uscc as string,
        {
          kind: 'regulatory_measure',
          recordDate: todayInShanghai(),
          sourceDepartment: departmentName(this.config.DISTRICT_NAME, PREPAID_DEPARTMENT),
          subject,
          details: {
            alertId: id,
            openedOn: a.opened_on,
            level: a.level,
            disposals: disposals.map((d) => ({ kind: d.kind, decidedOn: d.decided_on })),
            findings: a.findings,
            issuerAction: a.issuer_action,
            outcome,
            pendingTasks: pending.map((t) => ({ taskId: Number(t.task_id), status: t.status })),
          },
          sourceSystem: 'prepaid',
          sourceKey: `alert:${id}:close`,
        },
        actor,
      );
      const recordId = Number(stored.record.id);
      await m.query(
        `UPDATE prepaid_alert SET status = 'closed', closed_by = $2, closed_at = now(), credit_record_id = $3 WHERE id = $1`,
        [id, actor.userId, recordId],
      );
      await this.event(m, id, 'closed', actor, note?.trim() || null);
      await appendAudit(sqlOf(m), actor, {
        action: 'prepaid_alert.close',
        entityType: 'prepaid_alert',
        entityId: id,
        before: { status: a.status },
        after: { status: 'closed', creditRecordId: recordId, note: note?.trim() || null },
      });
      return this.read(m, id);
    });
  }
}

const LEVEL_ZH: Record<string, string> = { yellow: '黄色', orange: '橙色', red: '红色' };

const clip = (s: string) => [...s].slice(0, RECORD_TEXT_LIMITS.subject).join('');

/** isOverdue re-exported for the CLI's listing. */
export { isOverdue };
