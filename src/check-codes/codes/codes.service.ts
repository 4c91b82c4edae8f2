import {
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../audit/actor.js';
import { appendAudit, sqlOf } from '../../audit/audit-writer.js';
import { AuditService } from '../../audit/audit.service.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { departmentName } from '../../auth/roles.js';
import { ScopeService } from '../../auth/scope.service.js';
import { APP_CONFIG } from '../../config/config.token.js';
import { unprocessable } from '../../http/api-errors.js';
import { publicBaseUrl, type AppConfig } from '../../config/configuration.js';
import { SettingsService } from '../../settings/settings.service.js';
import { KeysService, type PublicKeyRecord } from '../keys/keys.service.js';
import {
  type CheckCodeClaims,
  CheckCodeFormatError,
  decodeCheckCode,
  signCheckCode,
} from '../rules/check-code-format.js';
import type { CheckCodeState } from '../rules/check-code-rules.js';
import { checkWord, checkWordKey, checkWordWindow, secondsLeftInWindow } from '../rules/check-word.js';
import { judgeCode, type TrustedKey, type Verdict } from '../rules/verdict.js';
import type {
  CheckCodeEventView,
  CheckCodeListQuery,
  CheckCodeSummaryView,
  CheckCodeView,
  CodeParticulars,
  TaskCheckCodeView,
} from './dto/check-code.dto.js';
import {
  checkInRefusal,
  checkOutRefusal,
  codeCompletedBy,
  type CodeForVisit,
  codeNoOf,
  codeWindow,
  coveredTasks,
  formatCodeNo,
  type Refusal,
  resultCodeRefusal,
  STATE_LABELS,
  type TaskForCode,
} from './rules/code-rules.js';

type Row = Record<string, unknown>;
type Queryable = Pick<EntityManager, 'query'>;

/** A refusal decided inside a transaction, audited (access.denied) after it has rolled back. */
class Refused extends Error {
  constructor(
    readonly entityType: string,
    readonly entityId: string,
    reason: string,
  ) {
    super(reason);
  }
}

const iso = (v: unknown): string | null => (v == null ? null : new Date(v as string).toISOString());
const LIVE = `('issued','in_use')`;
const CHECK_METHOD_LABELS: Record<string, string> = {
  on_site: '现场检查',
  documents: '书面检查',
  data: '数据核查',
};
const TRIGGER_KIND_LABELS: Record<string, string> = {
  complaint: '投诉',
  report: '举报',
  referral: '转办交办',
  data_alert: '数据预警',
  legal_requirement: '法定要求',
};

/** The credential numbers a stored code's claims name (none when it does not decode). */
function credentialsOf(codeText: string): string[] {
  try {
    return decodeCheckCode(codeText).claims.credentialNos;
  } catch {
    return [];
  }
}

/** The trust-list key of a stored key record, as judgeCode wants it. */
export function trustedKeyOf(r: PublicKeyRecord): TrustedKey {
  return {
    kid: r.kid,
    alg: r.alg,
    status: r.status,
    publicKey: r.publicKey,
    validFromMs: Date.parse(r.validFrom),
    signsUntilMs: r.signsUntil === null ? null : Date.parse(r.signsUntil),
    verifiesUntilMs: r.verifiesUntil === null ? null : Date.parse(r.verifiesUntil),
  };
}

/**
 * Inspection codes of visits (检查码, issue 12 "Issuing", "Carrying out the inspection"; domain.md
 * 5.4): an assigned inspector applies for the code of a task's visit (one code covers every open
 * task of a joint visit), which is signed (KeysService, rules/check-code-format.ts) and stored with
 * the frozen particulars the verify page shows; check-in and check-out by the code's inspectors
 * while the code judges valid (rules/verdict.ts judgeCode, the one rule); revocation; expiry; and
 * the 无码不检查 condition TasksService.recordResult asks (`resultState`, `completeCodesOf`).
 */
@Injectable()
export class CodesService {
  private readonly logger = new Logger('CheckCodes');
  private wordKey: Buffer | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: KeysService,
    private readonly settings: SettingsService,
    private readonly scope: ScopeService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The base of verification URLs: PUBLIC_BASE_URL, or http://HOST:PORT. */
  baseUrl(): string {
    return publicBaseUrl(this.config);
  }

  /**
   * The URL a code's QR carries: `<base>/v/<code text>`, upper-cased (PUBLIC_BASE_URL has no path,
   * so the whole URL is in the QR code's alphanumeric set: 0-9 A-Z space $%*+-./:), which the verify
   * route reads case-insensitively.
   */
  verifyUrl(codeText: string): string {
    return `${this.baseUrl()}/v/${codeText}`.toUpperCase();
  }

  /**
   * Issues the code of a task's visit (POST /api/tasks/:id/check-code), in one transaction under
   * row locks of the visit and its tasks: covers every open task of the visit (coveredTasks), valid
   * from max(now, the visit window's first day 00:00 Asia/Shanghai) to min(the end of its last day,
   * now + checkCodeMaxDays days) (codeWindow); claims from the tasks (task ids, USCC, item codes, the
   * credential numbers of every assigned inspector, departments, plan numbers or trigger ids) signed
   * with the active key; the particulars frozen (enterprise, kind, plans with version and batch or
   * triggers with kind and reason, items with department, legal basis, check method and
   * requirements, departments with the lead, inspectors with credential number and department; no
   * phone numbers, no user ids); audited `check_code.issue`. A live code of the visit past its
   * not_after is marked expired first.
   * @param nowMs the moment of issue (tests)
   * @throws NotFoundException (404) unknown task
   * @throws ForbiddenException (403, audited access.denied) not an inspector assigned to a task of the visit
   * @throws ConflictException (409) a task completed, cancelled or replaced; a plan not published; an
   *   event task without accepted triggers; the window over or too far ahead; a task without a visit;
   *   a live code of the visit exists (`liveCode: { id, codeNo }` in the body: use it)
   */
  async issue(taskId: number, user: AuthUser, actor: Actor, nowMs = Date.now()): Promise<CheckCodeView> {
    try {
      return await this.issueOnce(taskId, user, actor, nowMs);
    } catch (e) {
      // the cached key was revoked or rotated past its grace on another instance (within
      // KeysService.CACHE_MS): the database refused the code; read the keys again and sign once more
      if (!signedByUnusableKey(e)) throw e;
      this.keys.refresh();
      return this.issueOnce(taskId, user, actor, nowMs);
    }
  }

  private async issueOnce(
    taskId: number,
    user: AuthUser,
    actor: Actor,
    nowMs: number,
  ): Promise<CheckCodeView> {
    const { maxDays, signer } = {
      maxDays: (await this.settings.get()).checkCodeMaxDays,
      signer: await this.keys.signer(),
    };
    try {
      const id = await this.dataSource.transaction(async (m) => {
        const [t]: Row[] = await m.query(`SELECT id, visit_id FROM inspection_task WHERE id = $1`, [taskId]);
        if (!t) throw new NotFoundException(`inspection task ${taskId} does not exist`);
        if (t.visit_id === null) {
          const mine = await m.query(
            `SELECT 1 FROM inspection_task_inspector WHERE task_id = $1 AND user_id = $2 AND role = 'assigned'`,
            [taskId, user.id],
          );
          if (!mine.length)
            throw new Refused(
              'inspection_task',
              String(taskId),
              `only an inspector assigned to task ${taskId} applies for its code`,
            );
          throw new ConflictException(
            `task ${taskId} is not placed in a visit: no code can be issued for it`,
          );
        }
        const visitId = Number(t.visit_id);
        const [visit]: Row[] = await m.query(
          `SELECT v.id, v.enterprise_id, v.lead_department, v.window_start, v.window_end, e.uscc, e.name
           FROM joint_visit v JOIN enterprise e ON e.id = v.enterprise_id WHERE v.id = $1 FOR UPDATE OF v`,
          [visitId],
        );
        const taskRows: Row[] = await m.query(
          `SELECT t.id, t.kind, t.status, t.department, t.plan_id, p.status AS plan_status, p.plan_no,
                  p.version AS plan_version, p.title AS plan_title, b.seq AS batch_seq, b.name AS batch_name,
                  (SELECT count(*)::int FROM inspection_trigger g WHERE g.task_id = t.id AND g.status = 'accepted') AS triggers,
                  (SELECT coalesce(array_agg(ti.user_id ORDER BY ti.position), '{}') FROM inspection_task_inspector ti
                    WHERE ti.task_id = t.id AND ti.role = 'assigned') AS assigned
           FROM inspection_task t LEFT JOIN inspection_plan p ON p.id = t.plan_id
           LEFT JOIN inspection_batch b ON b.id = t.batch_id
           WHERE t.visit_id = $1 ORDER BY t.id FOR UPDATE OF t`,
          [visitId],
        );
        const tasks: TaskForCode[] = taskRows.map((r) => ({
          id: Number(r.id),
          kind: r.kind as string,
          status: r.status as string,
          department: r.department as string,
          planStatus: (r.plan_status as string | null) ?? null,
          planNo: (r.plan_no as string | null) ?? null,
          acceptedTriggers: Number(r.triggers),
          assignedUserIds: (r.assigned as (string | number)[]).map(Number),
        }));
        const covered = coveredTasks(taskId, tasks, user.id);
        if (!covered.ok) throw this.refusal(covered.refusal, 'inspection_task', String(taskId));
        const coveredIds = covered.tasks.map((c) => c.id);

        // a live code of the visit: past its end it is expired now; otherwise it is the one to use
        const [live]: Row[] = await m.query(
          `SELECT id, code_no, not_after FROM check_code WHERE visit_id = $1 AND status IN ${LIVE} FOR UPDATE`,
          [visitId],
        );
        if (live) {
          if (new Date(live.not_after as string).getTime() <= nowMs)
            await this.expireIn(m, [Number(live.id)], actor);
          else
            throw new ConflictException({
              message: `the visit has a live code ${formatCodeNo(live.code_no as string)}: use it (or revoke it first)`,
              liveCode: { id: Number(live.id), codeNo: live.code_no as string },
            });
        }
        const w = codeWindow(nowMs, visit!.window_start as string, visit!.window_end as string, maxDays);
        if (!w.ok) throw this.refusal(w.refusal, 'inspection_task', String(taskId));
        const window = w.window;

        const particulars = await this.particularsOf(
          m,
          visit!,
          taskRows.filter((r) => coveredIds.includes(Number(r.id))),
        );
        const codeNo = await this.freshCodeNo(m);
        const claims: CheckCodeClaims = {
          issuer: this.config.CHECK_CODE_ISSUER,
          codeNo,
          issuedAt: window.issuedAt,
          notBefore: window.notBefore,
          notAfter: window.notAfter,
          taskIds: coveredIds,
          uscc: visit!.uscc as string,
          itemCodes: particulars.items.map((i) => i.code),
          credentialNos: particulars.inspectors.map((i) => i.credentialNo),
          departments: particulars.departments.map((d) => d.code),
          planNo: particulars.plans.length
            ? [...new Set(particulars.plans.map((p) => p.planNo))].join(';')
            : null,
          triggerIds: particulars.triggers.map((g) => g.id),
        };
        particulars.codeNo = codeNo;
        const codeText = signCheckCode(claims, signer.kid, signer.privateKey);
        const [row]: Row[] = await m.query(
          `INSERT INTO check_code (code_no, visit_id, enterprise_id, kid, code_text, particulars, issued_at, not_before,
             not_after, status, issued_by)
           VALUES ($1, $2, $3, $4, $5, $6, to_timestamp($7), to_timestamp($8), to_timestamp($9), 'issued', $10)
           RETURNING id`,
          [
            codeNo,
            visitId,
            visit!.enterprise_id,
            signer.kid,
            codeText,
            JSON.stringify(particulars),
            claims.issuedAt,
            claims.notBefore,
            claims.notAfter,
            user.id,
          ],
        );
        const id = Number(row!.id);
        await m.query(`INSERT INTO check_code_task (code_id, task_id) SELECT $1, unnest($2::bigint[])`, [
          id,
          coveredIds,
        ]);
        await appendAudit(sqlOf(m), actor, {
          action: 'check_code.issue',
          entityType: 'check_code',
          entityId: String(id),
          after: {
            codeNo,
            visitId,
            taskIds: coveredIds,
            uscc: claims.uscc,
            kid: signer.kid,
            notBefore: new Date(claims.notBefore * 1000).toISOString(),
            notAfter: new Date(claims.notAfter * 1000).toISOString(),
            planNo: claims.planNo,
            triggerIds: claims.triggerIds,
            credentialNos: claims.credentialNos,
          },
        });
        return id;
      });
      this.logger.log(`check code ${id} issued for task ${taskId}`);
      return (await this.view(this.dataSource.manager, id, nowMs))!;
    } catch (e) {
      throw await this.audited(e, actor);
    }
  }

  /** The particulars a code freezes (see issue). */
  private async particularsOf(m: Queryable, visit: Row, tasks: Row[]): Promise<CodeParticulars> {
    const lead = visit.lead_department as string;
    const ids = tasks.map((t) => Number(t.id));
    const district = this.config.DISTRICT_NAME;
    const items: Row[] = await m.query(
      `SELECT DISTINCT i.code, i.name, i.department, i.legal_basis, i.check_method, i.requirements
       FROM inspection_task_item x JOIN inspection_item i ON i.id = x.item_id WHERE x.task_id = ANY($1::bigint[])`,
      [ids],
    );
    items.sort((a, b) => {
      const la = a.department === lead ? 0 : 1;
      const lb = b.department === lead ? 0 : 1;
      return la - lb || String(a.code).localeCompare(String(b.code));
    });
    const inspectors: Row[] = await m.query(
      `SELECT u.id, u.display_name, u.credential_no, u.department, min(t.pos) AS pos
       FROM (SELECT ti.user_id, ti.task_id * 1000 + ti.position AS pos FROM inspection_task_inspector ti
             WHERE ti.task_id = ANY($1::bigint[]) AND ti.role = 'assigned') t
       JOIN app_user u ON u.id = t.user_id
       GROUP BY u.id ORDER BY pos`,
      [ids],
    );
    const missing = inspectors.filter((i) => !i.credential_no);
    if (missing.length)
      throw new ConflictException(
        `an assigned inspector has no enforcement credential number (执法证号): ${missing.map((i) => i.display_name as string).join(', ')}`,
      );
    const triggers: Row[] = await m.query(
      `SELECT id, kind, reason, source_ref, received_on FROM inspection_trigger
       WHERE task_id = ANY($1::bigint[]) AND status = 'accepted' ORDER BY received_on, id`,
      [ids],
    );
    const departments = [...new Set(tasks.map((t) => t.department as string))].sort((a, b) =>
      a === lead ? -1 : b === lead ? 1 : a.localeCompare(b),
    );
    const plans = new Map<string, CodeParticulars['plans'][number]>();
    for (const t of tasks)
      if (t.plan_no != null)
        plans.set(`${t.plan_no as string}/${t.plan_version as number}/${t.batch_seq as number}`, {
          planNo: t.plan_no as string,
          version: Number(t.plan_version),
          title: t.plan_title as string,
          batchSeq: Number(t.batch_seq),
          batchName: t.batch_name as string,
          department: t.department as string,
        });
    const kinds = new Set(tasks.map((t) => t.kind as string));
    const name = (d: string) => departmentName(district, d);
    return {
      format: 1,
      codeNo: '',
      kind: tasks.length > 1 ? 'joint' : (kinds.values().next().value as 'routine' | 'event'),
      kinds: [...kinds].sort() as ('routine' | 'event')[],
      enterprise: { name: visit.name as string, uscc: visit.uscc as string },
      window: { start: visit.window_start as string, end: visit.window_end as string },
      plans: [...plans.values()],
      triggers: triggers.map((g) => ({
        id: Number(g.id),
        kind: g.kind as string,
        kindLabel: TRIGGER_KIND_LABELS[g.kind as string] ?? (g.kind as string),
        reason: g.reason as string,
        sourceRef: (g.source_ref as string | null) ?? null,
        receivedOn: g.received_on as string,
      })),
      items: items.map((i) => ({
        code: i.code as string,
        name: i.name as string,
        department: i.department as string,
        departmentName: name(i.department as string),
        legalBasis: i.legal_basis as string,
        checkMethod: i.check_method as string,
        checkMethodLabel: CHECK_METHOD_LABELS[i.check_method as string] ?? (i.check_method as string),
        requirements: i.requirements as string[],
      })),
      departments: departments.map((d) => ({ code: d, name: name(d), lead: d === lead })),
      lead: { code: lead, name: name(lead) },
      inspectors: inspectors.map((i) => ({
        name: i.display_name as string,
        credentialNo: i.credential_no as string,
        department: (i.department as string | null) ?? null,
        departmentName: i.department ? name(i.department as string) : null,
      })),
    };
  }

  private async freshCodeNo(m: Queryable): Promise<string> {
    for (let i = 0; i < 8; i++) {
      const no = codeNoOf(randomBytes(5));
      const taken = await m.query(`SELECT 1 FROM check_code WHERE code_no = $1`, [no]);
      if (!taken.length) return no;
    }
    throw new Error('no free code number after 8 tries');
  }

  /** The refusal's exception (Refused for a 403, audited after the rollback). */
  private refusal(r: Refusal, entityType: string, entityId: string): Error {
    if (r.code === 'forbidden') return new Refused(entityType, entityId, r.reason);
    if (r.code === 'not_found') return new NotFoundException(r.reason);
    return new ConflictException(r.reason);
  }

  /** A Refused becomes its 403 after the audit entry (access.denied) is written; others pass. */
  private async audited(e: unknown, actor: Actor): Promise<unknown> {
    if (!(e instanceof Refused)) return e;
    await this.scope.deny(actor, e.entityType, e.entityId, `${actor.name}: ${e.message}`);
    return new ForbiddenException(e.message);
  }

  // ---- reading ----

  /** The check-word key (from KeysService's sealing secret), made once. */
  private checkWordKey(): Buffer {
    this.wordKey ??= checkWordKey(this.keys.checkWordSecret());
    return this.wordKey;
  }

  /**
   * judgeCode online: the code's text against its key (KeysService, cached) and the stored row.
   */
  async judge(
    codeText: string,
    stored: { status: CheckCodeState; revokeReason: string | null } | null,
    nowMs: number,
  ): Promise<Verdict> {
    let key: TrustedKey | null = null;
    try {
      const rec = await this.keys.publicKey(decodeCheckCode(codeText).kid);
      key = rec ? trustedKeyOf(rec) : null;
    } catch (e) {
      if (!(e instanceof CheckCodeFormatError)) throw e;
    }
    return judgeCode(
      codeText,
      (kid) => (key && key.kid === kid ? key : null),
      nowMs,
      stored === null ? null : { codeText, status: stored.status, revokeReason: stored.revokeReason },
    );
  }

  /** The full view of a code (null: unknown id). */
  async view(m: Queryable, id: number, nowMs = Date.now()): Promise<CheckCodeView | null> {
    const [c]: Row[] = await m.query(
      `SELECT c.*, u.display_name AS issued_by_name, u.credential_no AS issued_by_credential, r.display_name AS revoked_by_name,
              (SELECT array_agg(task_id ORDER BY task_id) FROM check_code_task WHERE code_id = c.id) AS task_ids
       FROM check_code c JOIN app_user u ON u.id = c.issued_by LEFT JOIN app_user r ON r.id = c.revoked_by
       WHERE c.id = $1`,
      [id],
    );
    if (!c) return null;
    const events: Row[] = await m.query(
      `SELECT ev.kind, ev.at, u.display_name, u.credential_no FROM check_code_event ev JOIN app_user u ON u.id = ev.user_id
       WHERE ev.code_id = $1 ORDER BY ev.at, ev.id`,
      [id],
    );
    const status = c.status as CheckCodeState;
    const verdict = await this.judge(
      c.code_text as string,
      { status, revokeReason: (c.revoke_reason as string | null) ?? null },
      nowMs,
    );
    const live = status === 'issued' || status === 'in_use';
    const word = live && verdict.valid;
    return {
      ...this.summaryOf(c),
      codeText: c.code_text as string,
      verifyUrl: this.verifyUrl(c.code_text as string),
      qrPng: `/api/check-codes/${id}/qr.png`,
      qrSvg: `/api/check-codes/${id}/qr.svg`,
      kid: c.kid as string,
      visitId: Number(c.visit_id),
      taskIds: ((c.task_ids as (string | number)[] | null) ?? []).map(Number),
      issuedBy: {
        name: c.issued_by_name as string,
        credentialNo: (c.issued_by_credential as string | null) ?? null,
      },
      revokedBy: c.revoked_by_name ? { name: c.revoked_by_name as string } : null,
      particulars: c.particulars as CodeParticulars,
      events: events.map((e): CheckCodeEventView => ({
        kind: e.kind as 'check_in' | 'check_out',
        at: iso(e.at)!,
        inspector: {
          name: e.display_name as string,
          credentialNo: (e.credential_no as string | null) ?? null,
        },
      })),
      validNow: verdict.valid
        ? { valid: true, reason: null, detail: null }
        : { valid: false, reason: verdict.reason, detail: verdict.detail },
      checkWord: word ? checkWord(this.checkWordKey(), c.code_no as string, checkWordWindow(nowMs)) : null,
      checkWordSecondsLeft: word ? secondsLeftInWindow(nowMs) : null,
    };
  }

  private summaryOf(c: Row): CheckCodeSummaryView {
    const p = c.particulars as CodeParticulars;
    const status = c.status as CheckCodeState;
    return {
      id: Number(c.id),
      codeNo: c.code_no as string,
      codeNoDisplay: formatCodeNo(c.code_no as string),
      status,
      statusLabel: STATE_LABELS[status],
      kind: p.kind,
      enterprise: p.enterprise,
      departments: p.departments.map((d) => d.code),
      planNos: [...new Set(p.plans.map((x) => x.planNo))],
      inspectors: p.inspectors.map((i) => ({ name: i.name, credentialNo: i.credentialNo })),
      issuedAt: iso(c.issued_at)!,
      notBefore: iso(c.not_before)!,
      notAfter: iso(c.not_after)!,
      checkedInAt: iso(c.checked_in_at),
      checkedOutAt: iso(c.checked_out_at),
      completedAt: iso(c.completed_at),
      revokedAt: iso(c.revoked_at),
      revokeReason: (c.revoke_reason as string | null) ?? null,
    };
  }

  /** Whether the user reads the code: admin; a regulator of one of its departments; an inspector assigned to a task it covers. */
  private async mayRead(m: Queryable, id: number, user: AuthUser): Promise<boolean> {
    if (user.role === 'admin') return true;
    if (user.role === 'regulator') return this.ofDepartment(m, id, user.department);
    if (user.role === 'inspector') return this.inspectorOf(m, id, user.id);
    return false;
  }

  private async ofDepartment(m: Queryable, id: number, department: string | null): Promise<boolean> {
    const r = await m.query(
      `SELECT 1 FROM check_code_task ct JOIN inspection_task t ON t.id = ct.task_id WHERE ct.code_id = $1 AND t.department = $2 LIMIT 1`,
      [id, department],
    );
    return r.length > 0;
  }

  private async inspectorOf(m: Queryable, id: number, userId: number): Promise<boolean> {
    const r = await m.query(
      `SELECT 1 FROM check_code_task ct JOIN inspection_task_inspector ti ON ti.task_id = ct.task_id
       WHERE ct.code_id = $1 AND ti.user_id = $2 AND ti.role = 'assigned' LIMIT 1`,
      [id, userId],
    );
    return r.length > 0;
  }

  /**
   * One code (GET /api/check-codes/:id): particulars, state, events, the current check word and the
   * seconds until it changes (rules/check-word.ts; only while the code is live and valid).
   * @throws NotFoundException (404) unknown id
   * @throws ForbiddenException (403, audited) neither an inspector of it, a regulator of one of its departments, nor an admin
   */
  async one(id: number, user: AuthUser, actor: Actor, nowMs = Date.now()): Promise<CheckCodeView> {
    const view = await this.view(this.dataSource.manager, id, nowMs);
    if (!view) throw new NotFoundException(`check code ${id} does not exist`);
    if (!(await this.mayRead(this.dataSource.manager, id, user))) {
      const reason = `${user.username} is neither an inspector of check code ${id} nor a regulator of its departments`;
      await this.scope.deny(actor, 'check_code', String(id), reason);
      throw new ForbiddenException(reason);
    }
    return view;
  }

  /** The code text of a code the user may read (QR images). Same refusals as `one`. */
  async textFor(
    id: number,
    user: AuthUser,
    actor: Actor,
  ): Promise<{ codeText: string; codeNo: string; url: string }> {
    const [c]: Row[] = await this.dataSource.query(
      `SELECT code_text, code_no FROM check_code WHERE id = $1`,
      [id],
    );
    if (!c) throw new NotFoundException(`check code ${id} does not exist`);
    if (!(await this.mayRead(this.dataSource.manager, id, user))) {
      const reason = `${user.username} is neither an inspector of check code ${id} nor a regulator of its departments`;
      await this.scope.deny(actor, 'check_code', String(id), reason);
      throw new ForbiddenException(reason);
    }
    return {
      codeText: c.code_text as string,
      codeNo: c.code_no as string,
      url: this.verifyUrl(c.code_text as string),
    };
  }

  /**
   * Codes, newest first, one page (GET /api/check-codes): an admin all; a regulator those covering
   * a task of its department; an inspector those covering a task it is assigned to (我的检查码).
   * Filters: status, from/to (issued on or after / on or before these Shanghai days), uscc.
   */
  async list(
    q: CheckCodeListQuery,
    user: AuthUser,
  ): Promise<{ items: CheckCodeSummaryView[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, v: unknown) => {
      params.push(v);
      where.push(sql(`$${params.length}`));
    };
    if (user.role === 'regulator')
      add(
        (p) =>
          `EXISTS (SELECT 1 FROM check_code_task ct JOIN inspection_task t ON t.id = ct.task_id WHERE ct.code_id = c.id AND t.department = ${p})`,
        user.department,
      );
    if (user.role === 'inspector')
      add(
        (p) =>
          `EXISTS (SELECT 1 FROM check_code_task ct JOIN inspection_task_inspector ti ON ti.task_id = ct.task_id
             WHERE ct.code_id = c.id AND ti.role = 'assigned' AND ti.user_id = ${p})`,
        user.id,
      );
    if (q.status) add((p) => `c.status = ${p}`, q.status);
    if (q.from) add((p) => `c.issued_at >= (${p}::date)::timestamp AT TIME ZONE 'Asia/Shanghai'`, q.from);
    if (q.to) add((p) => `c.issued_at < (${p}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'`, q.to);
    if (q.uscc) add((p) => `c.enterprise_id = (SELECT id FROM enterprise WHERE uscc = ${p})`, q.uscc);
    if (q.from && q.to && q.to < q.from)
      throw unprocessable([{ field: 'to', reason: `${q.to} is before from ${q.from}` }]);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM check_code c ${filter}`,
      params,
    );
    const rows: Row[] = await this.dataSource.query(
      `SELECT c.* FROM check_code c ${filter} ORDER BY c.issued_at DESC, c.id DESC
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, q.pageSize, (q.page - 1) * q.pageSize],
    );
    return { items: rows.map((r) => this.summaryOf(r)), total };
  }

  /**
   * The codes of a task's visit (GET /api/tasks/:id/check-code): `live` the issued or in-use code
   * of the visit (null: none; apply for one), `latest` the newest code covering this task, any
   * state. Readers: admins, regulators, inspectors assigned to a task of the visit.
   * @throws NotFoundException (404) unknown task
   * @throws ForbiddenException (403, audited) an inspector of neither the task nor its visit
   */
  async ofTask(taskId: number, user: AuthUser, actor: Actor, nowMs = Date.now()): Promise<TaskCheckCodeView> {
    const m = this.dataSource.manager;
    const [t]: Row[] = await m.query(`SELECT id, visit_id FROM inspection_task WHERE id = $1`, [taskId]);
    if (!t) throw new NotFoundException(`inspection task ${taskId} does not exist`);
    if (user.role === 'inspector') {
      const ok = await m.query(
        `SELECT 1 FROM inspection_task o JOIN inspection_task_inspector ti ON ti.task_id = o.id
         WHERE (o.id = $1 OR ($2::bigint IS NOT NULL AND o.visit_id = $2)) AND ti.user_id = $3 AND ti.role = 'assigned' LIMIT 1`,
        [taskId, t.visit_id, user.id],
      );
      if (!ok.length) {
        const reason = `inspector ${user.username} is not assigned to task ${taskId} nor to its joint visit`;
        await this.scope.deny(actor, 'inspection_task', String(taskId), reason);
        throw new ForbiddenException(reason);
      }
    }
    const [live]: Row[] =
      t.visit_id === null
        ? []
        : await m.query(`SELECT id FROM check_code WHERE visit_id = $1 AND status IN ${LIVE}`, [t.visit_id]);
    const [latest]: Row[] = await m.query(
      `SELECT c.id FROM check_code c JOIN check_code_task ct ON ct.code_id = c.id WHERE ct.task_id = $1
       ORDER BY c.issued_at DESC, c.id DESC LIMIT 1`,
      [taskId],
    );
    return {
      live: live ? await this.view(m, Number(live.id), nowMs) : null,
      latest: latest ? await this.view(m, Number(latest.id), nowMs) : null,
    };
  }

  // ---- check-in, check-out, revoke, expire ----

  /** What check-in/check-out and results need of a code for one user. */
  private async stateFor(m: Queryable, c: Row, userId: number, nowMs: number): Promise<CodeForVisit> {
    const status = c.status as CheckCodeState;
    const verdict = await this.judge(
      c.code_text as string,
      { status, revokeReason: (c.revoke_reason as string | null) ?? null },
      nowMs,
    );
    const [u]: Row[] = await m.query(
      `SELECT u.credential_no,
         EXISTS (SELECT 1 FROM check_code_task ct JOIN inspection_task_inspector ti ON ti.task_id = ct.task_id
                 WHERE ct.code_id = $1 AND ti.user_id = u.id AND ti.role = 'assigned') AS assigned,
         EXISTS (SELECT 1 FROM check_code_event WHERE code_id = $1 AND user_id = u.id AND kind = 'check_in') AS checked_in,
         EXISTS (SELECT 1 FROM check_code_event WHERE code_id = $1 AND user_id = u.id AND kind = 'check_out') AS checked_out
       FROM app_user u WHERE u.id = $2`,
      [c.id, userId],
    );
    const named =
      !!u?.credential_no && credentialsOf(c.code_text as string).includes(u.credential_no as string);
    return {
      status,
      valid: verdict.valid,
      invalidReason: verdict.valid ? null : verdict.reason,
      userIsInspector: !!u?.assigned && named,
      checkedIn: !!u?.checked_in,
      checkedOut: !!u?.checked_out,
    };
  }

  /**
   * Checks the user in (POST /api/check-codes/:id/check-in) or out (/check-out) under the code, in
   * one transaction under the code's row lock: the rule checkInRefusal / checkOutRefusal (an
   * assigned inspector named in the code; the code valid online by judgeCode; once each), the event
   * stored (time, who), the first check-in moving the code from issued to in use (checked_in_at),
   * the last inspector to leave setting checked_out_at; audited `check_code.check_in` / `.check_out`.
   * @throws NotFoundException (404) unknown code
   * @throws ForbiddenException (403, audited access.denied) not an assigned inspector of the code
   * @throws ConflictException (409) the code not valid now (with judgeCode's reason), completed; a second check-in; a check-out without check-in or a second one
   */
  async event(
    id: number,
    kind: 'check_in' | 'check_out',
    user: AuthUser,
    actor: Actor,
    nowMs = Date.now(),
  ): Promise<CheckCodeView> {
    try {
      await this.dataSource.transaction(async (m) => {
        const [c]: Row[] = await m.query(`SELECT * FROM check_code WHERE id = $1 FOR UPDATE`, [id]);
        if (!c) throw new NotFoundException(`check code ${id} does not exist`);
        const state = await this.stateFor(m, c, user.id, nowMs);
        const refusal = kind === 'check_in' ? checkInRefusal(state) : checkOutRefusal(state);
        if (refusal) throw this.refusal(refusal, 'check_code', String(id));
        const at = new Date(nowMs).toISOString();
        await m.query(`INSERT INTO check_code_event (code_id, kind, user_id, at) VALUES ($1, $2, $3, $4)`, [
          id,
          kind,
          user.id,
          at,
        ]);
        let status = c.status as string;
        if (kind === 'check_in' && status === 'issued') {
          await m.query(`UPDATE check_code SET status = 'in_use', checked_in_at = $2 WHERE id = $1`, [
            id,
            at,
          ]);
          status = 'in_use';
        }
        // the inspection has begun: the covered tasks still waiting are now 检查中 (the task pages
        // said 待检查 beside a code in use: the new-user trial)
        if (kind === 'check_in')
          await m.query(
            `UPDATE inspection_task t SET status = 'in_progress', updated_at = now()
             FROM check_code_task ct WHERE ct.code_id = $1 AND ct.task_id = t.id AND t.status = 'assigned'`,
            [id],
          );
        if (kind === 'check_out') {
          const [{ left }] = await m.query(
            `SELECT NOT EXISTS (SELECT 1 FROM check_code_event i WHERE i.code_id = $1 AND i.kind = 'check_in'
               AND NOT EXISTS (SELECT 1 FROM check_code_event o WHERE o.code_id = $1 AND o.kind = 'check_out' AND o.user_id = i.user_id)) AS left`,
            [id],
          );
          if (left) await m.query(`UPDATE check_code SET checked_out_at = $2 WHERE id = $1`, [id, at]);
        }
        await appendAudit(sqlOf(m), actor, {
          action: `check_code.${kind}`,
          entityType: 'check_code',
          entityId: String(id),
          before: { status: c.status },
          after: { status, codeNo: c.code_no, at, credentialNo: user.credentialNo },
        });
      });
    } catch (e) {
      // a refused check-in or check-out (twice, before check-in, the code not valid now) is audited
      // after the rollback, as a refused result is (the 403s are audited as access.denied)
      if (e instanceof ConflictException)
        await this.audit.record(actor, {
          action: `check_code.${kind}_refused`,
          entityType: 'check_code',
          entityId: String(id),
          after: { reason: e.message },
        });
      throw await this.audited(e, actor);
    }
    return (await this.view(this.dataSource.manager, id, nowMs))!;
  }

  /**
   * Revokes a live code with a reason (POST /api/check-codes/:id/revoke): an inspector of the code
   * or a regulator of one of its departments; an issued or in-use code only. The visit may then get
   * a new code. Audited `check_code.revoke`.
   * @throws NotFoundException (404); ForbiddenException (403, audited); ConflictException (409) not live
   */
  async revoke(
    id: number,
    reason: string,
    user: AuthUser,
    actor: Actor,
    nowMs = Date.now(),
  ): Promise<CheckCodeView> {
    try {
      await this.dataSource.transaction(async (m) => {
        const [c]: Row[] = await m.query(`SELECT * FROM check_code WHERE id = $1 FOR UPDATE`, [id]);
        if (!c) throw new NotFoundException(`check code ${id} does not exist`);
        const may =
          (user.role === 'inspector' && (await this.inspectorOf(m, id, user.id))) ||
          (user.role === 'regulator' && (await this.ofDepartment(m, id, user.department)));
        if (!may)
          throw new Refused(
            'check_code',
            String(id),
            `only an inspector of check code ${id} or a regulator of one of its departments revokes it`,
          );
        if (c.status !== 'issued' && c.status !== 'in_use')
          throw new ConflictException(
            `check code ${formatCodeNo(c.code_no as string)} is ${c.status as string}: only a live code is revoked`,
          );
        const at = new Date(nowMs).toISOString();
        await m.query(
          `UPDATE check_code SET status = 'revoked', revoked_at = $2, revoked_by = $3, revoke_reason = $4 WHERE id = $1`,
          [id, at, user.id, reason],
        );
        await appendAudit(sqlOf(m), actor, {
          action: 'check_code.revoke',
          entityType: 'check_code',
          entityId: String(id),
          before: { status: c.status },
          after: { status: 'revoked', codeNo: c.code_no, reason },
        });
      });
    } catch (e) {
      throw await this.audited(e, actor);
    }
    return (await this.view(this.dataSource.manager, id, nowMs))!;
  }

  /** Marks codes expired (the caller holds their rows), one audit entry. */
  private async expireIn(m: Queryable, ids: number[], actor: Actor): Promise<void> {
    if (!ids.length) return;
    const rows: Row[] = await m.query(
      // (a SELECT over the UPDATE: TypeORM answers a bare UPDATE ... RETURNING with [rows, count])
      `WITH done AS (UPDATE check_code SET status = 'expired' WHERE id = ANY($1::bigint[]) AND status IN ${LIVE}
         RETURNING id, code_no) SELECT id, code_no FROM done ORDER BY id`,
      [ids],
    );
    if (!rows.length) return;
    await appendAudit(sqlOf(m), actor, {
      action: 'check_code.expire',
      entityType: 'check_code',
      entityId: rows.length === 1 ? String(rows[0]!.id) : null,
      after: { codes: rows.map((r) => ({ id: Number(r.id), codeNo: r.code_no })) },
    });
  }

  /**
   * Marks every issued or in-use code past its not_after expired (the scheduled job and `check-codes
   * expire`), in batches of 1,000, audited `check_code.expire` per batch. The verdict already treats
   * such codes as expired by time; this makes the stored state say so and frees the visit for a new code.
   * @returns how many codes it marked
   */
  async expireDue(actor: Actor, nowMs = Date.now()): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.dataSource.transaction(async (m) => {
        const rows: Row[] = await m.query(
          `SELECT id FROM check_code WHERE status IN ${LIVE} AND not_after <= $1 ORDER BY id LIMIT 1000 FOR UPDATE SKIP LOCKED`,
          [new Date(nowMs).toISOString()],
        );
        await this.expireIn(
          m,
          rows.map((r) => Number(r.id)),
          actor,
        );
        return rows.length;
      });
      total += n;
      if (n < 1000) return total;
    }
  }

  // ---- 无码不检查: what TasksService.recordResult asks ----

  /**
   * The codes covering a task as recording its result sees them for `userId` (rows locked FOR
   * UPDATE when `lock`: results of one code's tasks are serialised, so its completion is decided
   * once), and the refusal of rules resultCodeRefusal (null: the result may be recorded).
   */
  async resultState(
    m: Queryable,
    taskId: number,
    userId: number | null,
    nowMs: number,
    lock: boolean,
  ): Promise<{ refusal: string | null; codeNos: string[] }> {
    const rows: Row[] = await m.query(
      `SELECT c.* FROM check_code c JOIN check_code_task ct ON ct.code_id = c.id WHERE ct.task_id = $1
       ORDER BY c.issued_at DESC, c.id DESC LIMIT 10 ${lock ? 'FOR UPDATE OF c' : ''}`,
      [taskId],
    );
    if (userId === null) return { refusal: resultCodeRefusal([]), codeNos: [] };
    const states: CodeForVisit[] = [];
    for (const c of rows) states.push(await this.stateFor(m, c, userId, nowMs));
    return { refusal: resultCodeRefusal(states), codeNos: rows.map((r) => r.code_no as string) };
  }

  /**
   * After a task's result (in its transaction): every in-use code covering the task whose tasks are
   * all done (codeCompletedBy) becomes completed (completed_at now), audited `check_code.complete`.
   * @returns the code numbers completed
   */
  async completeCodesOf(m: EntityManager, taskId: number, actor: Actor): Promise<string[]> {
    const codes: Row[] = await m.query(
      `SELECT c.id, c.code_no,
         (SELECT array_agg(t.status) FROM check_code_task x JOIN inspection_task t ON t.id = x.task_id WHERE x.code_id = c.id) AS statuses
       FROM check_code c JOIN check_code_task ct ON ct.code_id = c.id WHERE ct.task_id = $1 AND c.status = 'in_use'`,
      [taskId],
    );
    const done: string[] = [];
    for (const c of codes) {
      if (!codeCompletedBy(c.statuses as string[])) continue;
      await m.query(`UPDATE check_code SET status = 'completed', completed_at = now() WHERE id = $1`, [c.id]);
      await appendAudit(sqlOf(m), actor, {
        action: 'check_code.complete',
        entityType: 'check_code',
        entityId: String(c.id),
        before: { status: 'in_use' },
        after: { status: 'completed', codeNo: c.code_no, byTask: taskId },
      });
      done.push(c.code_no as string);
    }
    return done;
  }

  /** Audits a result refused for want of a code (task.result_refused), after its transaction rolled back. */
  async auditResultRefused(actor: Actor, taskId: number, reason: string, codeNos: string[]): Promise<void> {
    await this.audit.record(actor, {
      action: 'task.result_refused',
      entityType: 'inspection_task',
      entityId: String(taskId),
      after: { reason, codeNos },
    });
  }
}

/** The database's refusal of a code signed by a key that no longer signs (migration 1765670400100). */
function signedByUnusableKey(e: unknown): boolean {
  const d = (e as { driverError?: { code?: string; message?: string } } | null)?.driverError;
  return d?.code === '23514' && /its key \S+ no longer signs/.test(d.message ?? '');
}
