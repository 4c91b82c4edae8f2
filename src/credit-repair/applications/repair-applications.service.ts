import {
  ConflictException,
  ForbiddenException,
  HttpException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../audit/actor.js';
import { appendAudit, sqlOf } from '../../audit/audit-writer.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { DEPARTMENTS, departmentName } from '../../auth/roles.js';
import { ScopeService } from '../../auth/scope.service.js';
import { addDays } from '../../common/calendar-days.js';
import { todayInShanghai } from '../../common/clock.js';
import { spreadsheetText } from '../../common/spreadsheet-cell.js';
import { APP_CONFIG } from '../../config/config.token.js';
import type { AppConfig } from '../../config/configuration.js';
import { ScoringService } from '../../credit/scoring.service.js';
import { unprocessable } from '../../http/api-errors.js';
import type {
  ApplicationDetailView,
  ApplicationView,
  DecisionView,
  EligibilityView,
  QueueQuery,
  RepairRecordView,
  ShareFeedView,
  ShareView,
  SuspendDto,
} from './dto/repair.dto.js';
import { applicationInput } from './repair-input.js';
import {
  chineseDate,
  Declarations,
  OtherRecord,
  REPAIR_KIND_LABELS,
  repairEligibility,
  RepairKind,
  RepairRecord,
} from './rules/eligibility.js';
import {
  deadlineAfter,
  Deadline,
  extendBySuspension,
  overdue,
  REPAIR_TIME_LIMITS,
  RepairTimeLimits,
  timeLimitsFor,
} from './rules/time-limits.js';
import {
  fileCountProblems,
  fileNameProblem,
  fileProblem,
  storableFileName,
  storedName,
  UPLOAD_FIELDS,
  UploadField,
} from './rules/uploads.js';

type Queryable = Pick<EntityManager, 'query'>;

/** One uploaded file as multer (memory storage) hands it over. */
export interface UploadedPart {
  fieldname: string;
  originalname: string;
  size: number;
  buffer: Buffer;
}

/** The longest a suspension may run (calendar days from today): materials are asked for, not waited for forever. */
export const SUSPENSION_MAX_DAYS = 60;

const STATUS_LABELS: Record<string, string> = {
  submitted: '已提交，待受理',
  accepted: '已受理，审核中',
  approved: '已修复',
  rejected: '不予修复',
  withdrawn: '已撤回',
};

const RECORD_SELECT = `
  SELECT r.id, r.enterprise_id, r.kind, r.polarity, r.record_date::text AS record_date, r.source_department,
    r.decision_no, coalesce(pd.legal_basis, r.subject) AS violation_key, r.penalty_severity, r.list_type,
    r.listing_reason, r.listed_on::text AS listed_on, r.removed_on::text AS removed_on,
    r.publication_last_day::text AS publication_last_day, r.earliest_repair_on::text AS earliest_repair_on,
    r.never_ended_early, r.repaired_on::text AS repaired_on
  FROM credit_record r LEFT JOIN penalty_decision pd ON pd.credit_record_id = r.id`;

type RecordRow = Record<string, unknown>;

function repairRecord(r: RecordRow): RepairRecord {
  return {
    id: Number(r.id),
    kind: r.kind as string,
    polarity: r.polarity as string,
    recordDate: r.record_date as string,
    sourceDepartment: r.source_department as string,
    decisionNo: (r.decision_no as string | null) ?? null,
    violationKey: (r.violation_key as string | null) ?? null,
    penaltySeverity: (r.penalty_severity as string | null) ?? null,
    listType: (r.list_type as 'anomaly' | 'serious' | null) ?? null,
    listedOn: (r.listed_on as string | null) ?? null,
    removedOn: (r.removed_on as string | null) ?? null,
    publicationLastDay: (r.publication_last_day as string | null) ?? null,
    earliestRepairOn: (r.earliest_repair_on as string | null) ?? null,
    neverEndedEarly: r.never_ended_early === true,
    repairedOn: (r.repaired_on as string | null) ?? null,
  };
}

/** The record as the pages show it (`row`: its credit_record row, for the listing reason). */
function recordView(r: RepairRecord, row: RecordRow): RepairRecordView {
  return {
    id: r.id,
    kind: r.kind,
    recordDate: r.recordDate,
    sourceDepartment: r.sourceDepartment,
    decisionNo: r.decisionNo,
    listType: r.listType,
    listingReason: (row.listing_reason as string | null) ?? null,
    listedOn: r.listedOn,
    publicationLastDay: r.publicationLastDay,
    earliestRepairOn: r.earliestRepairOn,
    neverEndedEarly: r.neverEndedEarly,
    repairedOn: r.repairedOn,
    removedOn: r.removedOn,
  };
}

const APPLICATION_SELECT = `
  SELECT a.*, a.accept_by::text AS accept_by_text, a.decide_by::text AS decide_by_text,
    a.suspension_latest_end::text AS latest_end_text, e.uscc, e.name AS enterprise_name,
    s.due_by::text AS share_due_by, s.due_by_provisional AS share_due_provisional, s.shared_at AS share_shared_at,
    s.batch AS share_batch, s.id AS share_id,
    cr.repaired_on::text AS cur_repaired_on, cr.removed_on::text AS cur_removed_on,
    cr.listing_reason AS cur_listing_reason, cr.listed_on::text AS cur_listed_on
  FROM repair_application a
  JOIN enterprise e ON e.id = a.enterprise_id
  JOIN credit_record cr ON cr.id = a.credit_record_id
  LEFT JOIN repair_result_share s ON s.application_id = a.id`;

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());

/**
 * The instant recorded for an action done on `today`: now when `today` is the real day, else noon
 * of `today` in Shanghai (a test or CLI run with --today moves the clock: the stored instants follow).
 */
export function instantOf(today: string, now = new Date()): Date {
  return todayInShanghai(now) === today ? now : new Date(`${today}T12:00:00+08:00`);
}

/**
 * Credit-repair applications (信用修复申请; issue 13, domain.md 3.3-3.4): eligibility first (the
 * pure rules/eligibility.ts on the record and the enterprise's other records), the enterprise's
 * application with its papers (type sniffed from the bytes), the deciding department's workflow
 * submitted -> accepted -> approved / rejected with working-day time limits (rules/time-limits.ts)
 * and suspensions, withdrawal by the enterprise, and the results shared with Credit China.
 * 谁认定谁修复: the record's source department decides; admins read. Every step audited in its
 * transaction, with an event on the application's timeline and a reminder on the enterprise's page.
 */
@Injectable()
export class RepairApplicationsService {
  private readonly logger = new Logger('CreditRepair');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scoring: ScoringService,
    private readonly scope: ScopeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Whether `sourceDepartment` is one of the district's departments (谁认定谁修复: it decides here). */
  private inDistrict(sourceDepartment: string): boolean {
    return Object.keys(DEPARTMENTS).some(
      (d) => departmentName(this.config.DISTRICT_NAME, d) === sourceDepartment,
    );
  }

  private ownDepartment(user: AuthUser): string | null {
    return user.role === 'regulator' && user.department
      ? departmentName(this.config.DISTRICT_NAME, user.department)
      : null;
  }

  private async loadRecord(
    m: Queryable,
    recordId: number,
    user: AuthUser | null,
  ): Promise<{ record: RepairRecord; row: RecordRow; enterpriseId: number }> {
    const [row] = await m.query(`${RECORD_SELECT} WHERE r.id = $1`, [recordId]);
    // an enterprise user reaches its own records only; another's answers as an unknown one
    if (!row || (user?.role === 'enterprise' && Number(row.enterprise_id) !== user.enterpriseId))
      throw new NotFoundException(`credit record ${recordId} does not exist`);
    return { record: repairRecord(row), row, enterpriseId: Number(row.enterprise_id) };
  }

  private async othersOf(m: Queryable, enterpriseId: number): Promise<OtherRecord[]> {
    const rows: RecordRow[] = await m.query(`${RECORD_SELECT} WHERE r.enterprise_id = $1`, [enterpriseId]);
    return rows.map((r) => {
      const x = repairRecord(r);
      return {
        id: x.id,
        kind: x.kind,
        recordDate: x.recordDate,
        decisionNo: x.decisionNo,
        violationKey: x.violationKey,
        penaltySeverity: x.penaltySeverity,
        listType: x.listType,
        listedOn: x.listedOn,
        removedOn: x.removedOn,
        repairedOn: x.repairedOn,
      };
    });
  }

  private async assess(
    m: Queryable,
    recordId: number,
    user: AuthUser | null,
    declared: Declarations,
    today: string,
  ): Promise<EligibilityView & { enterpriseId: number; kindOf: RepairKind | null }> {
    const { record, row, enterpriseId } = await this.loadRecord(m, recordId, user);
    const e = repairEligibility(
      record,
      await this.othersOf(m, enterpriseId),
      declared,
      today,
      this.inDistrict(record.sourceDepartment),
    );
    const [open] = await m.query(
      `SELECT id FROM repair_application WHERE credit_record_id = $1 AND status IN ('submitted','accepted')`,
      [recordId],
    );
    return {
      ...e,
      record: recordView(record, row),
      openApplicationId: open ? Number(open.id) : null,
      enterpriseId,
      kindOf: e.kind,
    };
  }

  /**
   * Whether a record may be repaired today, condition by condition (rules/eligibility.ts), before
   * the enterprise applies: declarations still to make are `to_declare`. An enterprise user asks
   * about its own records only (404 for another's); regulators and admins about any.
   * @throws NotFoundException unknown record, or another enterprise's
   */
  async eligibility(recordId: number, user: AuthUser, today = todayInShanghai()): Promise<EligibilityView> {
    const {
      enterpriseId: _e,
      kindOf: _k,
      ...view
    } = await this.assess(this.dataSource, recordId, user, {}, today);
    return view;
  }

  /**
   * The enterprise applies (status submitted). Checks, in order, each answering with every field
   * at fault: the text fields (applicationInput: 422); the files per field (count 422, a name
   * the shared text check refuses 422, empty 422, type sniffed from the bytes 415, rules/uploads.ts); eligibility with the declarations (422,
   * `errors: [{ field: 'recordId' | <declaration>, code, reason }]` naming each failed condition).
   * Then one transaction: the application (acceptance deadline `acceptWithin` working days from
   * today under the limits in force, provisional flagged and logged), its files with sha256, the
   * event, a reminder and the audit entry (`repair_application.submit`).
   * @throws NotFoundException the record is unknown or another enterprise's
   * @throws ConflictException (409) an open application of the record exists
   * @throws ForbiddenException a user without an enterprise
   */
  async submit(
    raw: Record<string, unknown>,
    files: UploadedPart[],
    user: AuthUser,
    actor: Actor,
    today = todayInShanghai(),
  ): Promise<ApplicationDetailView> {
    if (user.role !== 'enterprise' || user.enterpriseId === null)
      throw new ForbiddenException('only an enterprise user applies for its own records');
    const input = applicationInput(raw);
    if (Array.isArray(input)) throw unprocessable(input);
    const byField = new Map<UploadField, UploadedPart[]>();
    for (const f of files) {
      const field = f.fieldname as UploadField;
      if (!(field in UPLOAD_FIELDS))
        throw unprocessable([{ field: f.fieldname, reason: '不接受该文件字段' }]);
      byField.set(field, [...(byField.get(field) ?? []), f]);
    }
    const counts = Object.fromEntries([...byField].map(([k, v]) => [k, v.length]));
    const countProblems = fileCountProblems(counts);
    if (countProblems.length) throw unprocessable(countProblems);
    const stored: {
      role: string;
      name: string;
      type: string;
      part: UploadedPart;
      sha: Buffer;
      original: string;
    }[] = [];
    for (const [field, parts] of byField)
      for (const [i, part] of parts.entries()) {
        const name = `${field}[${i}]`;
        const nameProblem = fileNameProblem(part.originalname);
        if (nameProblem) throw unprocessable([{ field: name, reason: nameProblem }]);
        const sniffed = part.size > 0 ? ((await fileTypeFromBuffer(part.buffer))?.mime ?? null) : null;
        const problem = fileProblem(field, part.size, sniffed);
        if (problem)
          throw new HttpException(
            {
              statusCode: problem.status,
              error: problem.status === 415 ? 'Unsupported Media Type' : 'Unprocessable Entity',
              message: `${name}: ${problem.reason}`,
              errors: [{ field: name, reason: problem.reason }],
            },
            problem.status,
          );
        const original = storableFileName(part.originalname);
        stored.push({
          role: UPLOAD_FIELDS[field].role,
          name: storedName(original, sniffed!),
          type: sniffed!,
          part,
          sha: createHash('sha256').update(part.buffer).digest(),
          original,
        });
      }

    return this.dataSource.transaction(async (m) => {
      const e = await this.assess(m, input.recordId, user, input.declarations, today);
      if (!e.mayApply) throw refused(e.refusals);
      const undeclared = e.conditions.filter((c) => c.state === 'to_declare');
      if (undeclared.length)
        throw new UnprocessableEntityException({
          statusCode: 422,
          error: 'Unprocessable Entity',
          message: undeclared.map((c) => `${fieldOf(c.code)}: 请确认“${c.label}”`).join('; '),
          errors: undeclared.map((c) => ({
            field: fieldOf(c.code),
            code: c.code,
            reason: `请确认“${c.label}”`,
          })),
        });
      const limits = timeLimitsFor(today);
      const acceptBy = deadlineAfter(today, limits.acceptWithin);
      this.logProvisional('acceptBy', acceptBy, input.recordId);
      const { enterpriseId: _id, kindOf: _k, ...eligibility } = e;
      const rows = await m
        .query(
          `INSERT INTO repair_application (application_no, enterprise_id, credit_record_id, kind, statement,
             deciding_department, eligibility, submitted_by, submitted_at, accept_by, accept_by_provisional)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11) RETURNING id`,
          [
            `pending-${randomBytes(8).toString('hex')}`,
            e.enterpriseId,
            input.recordId,
            e.kind,
            input.statement,
            e.decidingDepartment,
            JSON.stringify({ ...eligibility, timeLimits: limits.code, declared: input.declarations }),
            user.id,
            instantOf(today),
            acceptBy.date,
            acceptBy.provisional,
          ],
        )
        .catch((err: { driverError?: { code?: string; constraint?: string } }) => {
          if (
            err.driverError?.code === '23505' &&
            err.driverError.constraint === 'repair_application_one_open'
          )
            throw new ConflictException(
              `credit record ${input.recordId} already has an open repair application`,
            );
          throw err;
        });
      const id = Number(rows[0].id);
      const applicationNo = `XF-${today.slice(0, 4)}-${String(id).padStart(6, '0')}`;
      await m.query(`UPDATE repair_application SET application_no = $2 WHERE id = $1`, [id, applicationNo]);
      for (const f of stored)
        await m.query(
          `INSERT INTO repair_application_file (application_id, role, file_name, media_type, size_bytes, sha256, content)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [id, f.role, f.name, f.type, f.part.size, f.sha, f.part.buffer],
        );
      await this.event(m, id, user.id, 'submitted', today, null, {
        acceptBy: acceptBy.date,
        provisional: acceptBy.provisional,
        timeLimits: limits.code,
        files: stored.map((f) => ({ role: f.role, name: f.name, original: f.original, type: f.type })),
      });
      await this.remind(
        m,
        id,
        e.enterpriseId,
        input.recordId,
        'submitted',
        today,
        `您的信用修复申请${applicationNo}已提交，认定部门最迟于${chineseDate(acceptBy.date)}（含当日）作出是否受理的决定`,
      );
      await appendAudit(sqlOf(m), actor, {
        action: 'repair_application.submit',
        entityType: 'repair_application',
        entityId: id,
        after: {
          applicationNo,
          recordId: input.recordId,
          kind: e.kind,
          acceptBy: acceptBy.date,
          files: stored.length,
        },
      });
      return this.detailOf(m, id, today);
    });
  }

  /** The enterprise's own applications, newest first. */
  async mine(user: AuthUser, today = todayInShanghai()): Promise<ApplicationView[]> {
    if (user.role !== 'enterprise' || user.enterpriseId === null) return [];
    const rows = await this.dataSource.query(
      `${APPLICATION_SELECT} WHERE a.enterprise_id = $1 ORDER BY a.id DESC`,
      [user.enterpriseId],
    );
    return rows.map((r: RecordRow) => this.view(r, today));
  }

  /**
   * The queue: a regulator sees the applications its department decides (谁认定谁修复), an admin
   * all; filtered by status, kind and overdue (computed against `today`). Open ones first, by deadline.
   */
  async queue(q: QueueQuery, user: AuthUser, today = todayInShanghai()): Promise<ApplicationView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    const own = this.ownDepartment(user);
    if (own) where.push(`a.deciding_department = ${p(own)}`);
    if (q.status) where.push(`a.status = ${p(q.status)}`);
    if (q.kind) where.push(`a.kind = ${p(q.kind)}`);
    const rows = await this.dataSource.query(
      `${APPLICATION_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY (a.status IN ('submitted','accepted')) DESC, coalesce(a.decide_by, a.accept_by), a.id LIMIT 1000`,
      params,
    );
    const views: ApplicationView[] = rows.map((r: RecordRow) => this.view(r, today));
    return q.overdue === undefined ? views : views.filter((v) => (v.overdue !== null) === q.overdue);
  }

  /**
   * One application with its stored eligibility, files (no content) and timeline. Admins; the
   * deciding department's regulators (403, audited, for others); the enterprise itself (404 for
   * another's). @throws NotFoundException unknown
   */
  async detail(
    id: number,
    user: AuthUser,
    actor: Actor,
    today = todayInShanghai(),
  ): Promise<ApplicationDetailView> {
    await this.mayRead(id, user, actor);
    return this.detailOf(this.dataSource, id, today);
  }

  /** A file's bytes, with its sniffed type and stored name, under detail's scope. */
  async file(
    id: number,
    fileId: number,
    user: AuthUser,
    actor: Actor,
  ): Promise<{ name: string; type: string; content: Buffer; sha256: string }> {
    await this.mayRead(id, user, actor);
    const [f] = await this.dataSource.query(
      `SELECT file_name, media_type, content, encode(sha256, 'hex') AS sha FROM repair_application_file WHERE id = $1 AND application_id = $2`,
      [fileId, id],
    );
    if (!f) throw new NotFoundException(`application ${id} has no file ${fileId}`);
    return { name: f.file_name, type: f.media_type, content: f.content as Buffer, sha256: f.sha };
  }

  private async mayRead(id: number, user: AuthUser, actor: Actor): Promise<RecordRow> {
    const [a] = await this.dataSource.query(
      `SELECT id, enterprise_id, deciding_department FROM repair_application WHERE id = $1`,
      [id],
    );
    if (!a || (user.role === 'enterprise' && Number(a.enterprise_id) !== user.enterpriseId))
      throw new NotFoundException(`repair application ${id} does not exist`);
    if (user.role === 'regulator' && a.deciding_department !== this.ownDepartment(user)) {
      const reason = `repair application ${id} is decided by ${a.deciding_department} (谁认定谁修复), not ${this.ownDepartment(user)}`;
      await this.scope.deny(actor, 'repair_application', String(id), reason);
      throw new ForbiddenException(reason);
    }
    if (user.role === 'inspector') throw new ForbiddenException('inspectors do not read repair applications');
    return a;
  }

  /**
   * Locks an application for a regulator's step: it must exist (404), be decided by the user's
   * department (403 audited; admins read only), and be in one of `statuses` (409).
   */
  private async lockFor(
    m: EntityManager,
    id: number,
    user: AuthUser,
    actor: Actor,
    statuses: string[],
    what: string,
  ): Promise<RecordRow> {
    const [a] = await m.query(
      `SELECT *, accept_by::text AS accept_by_text, decide_by::text AS decide_by_text FROM repair_application WHERE id = $1 FOR UPDATE`,
      [id],
    );
    if (!a) throw new NotFoundException(`repair application ${id} does not exist`);
    if (user.role !== 'regulator' || a.deciding_department !== this.ownDepartment(user)) {
      const reason = `only a regulator of ${a.deciding_department} may ${what} repair application ${id} (谁认定谁修复)`;
      await this.scope.deny(actor, 'repair_application', String(id), reason);
      throw new ForbiddenException(reason);
    }
    if (!statuses.includes(a.status))
      throw new ConflictException(`repair application ${id} is ${a.status}: it cannot be ${what} now`);
    return a;
  }

  /**
   * Accepts a submitted application (受理): the decision deadline is `decideWithin` working days
   * after today under the limits chosen at submission (provisional flagged and logged). Audited.
   * @throws 409 not submitted, or suspended (resume first)
   */
  async accept(
    id: number,
    user: AuthUser,
    actor: Actor,
    note?: string,
    today = todayInShanghai(),
  ): Promise<ApplicationDetailView> {
    return this.dataSource.transaction(async (m) => {
      const a = await this.lockFor(m, id, user, actor, ['submitted'], 'accepted');
      if (a.suspended_at)
        throw new ConflictException(`repair application ${id} is suspended: resume it first`);
      const limits = limitsOf(a);
      const decideBy = deadlineAfter(today, limits.decideWithin);
      this.logProvisional('decideBy', decideBy, id);
      await m.query(
        `UPDATE repair_application SET status = 'accepted', accepted_at = $2, accepted_by = $3, decide_by = $4,
           decide_by_provisional = $5, updated_at = now() WHERE id = $1`,
        [id, instantOf(today), user.id, decideBy.date, decideBy.provisional],
      );
      await this.event(m, id, user.id, 'accepted', today, note ?? null, {
        decideBy: decideBy.date,
        provisional: decideBy.provisional,
      });
      await this.remind(
        m,
        id,
        Number(a.enterprise_id),
        Number(a.credit_record_id),
        'accepted',
        today,
        `您的信用修复申请${a.application_no}已受理，最迟于${chineseDate(decideBy.date)}（含当日）作出决定`,
      );
      await appendAudit(sqlOf(m), actor, {
        action: 'repair_application.accept',
        entityType: 'repair_application',
        entityId: id,
        before: { status: a.status },
        after: { status: 'accepted', decideBy: decideBy.date },
      });
      return this.detailOf(m, id, today);
    });
  }

  /**
   * Suspends the running clock (materials requested, 补正材料) with the reason and a latest end
   * (after today, at most SUSPENSION_MAX_DAYS days ahead). Audited; the enterprise is reminded.
   * @throws 409 not submitted/accepted, or suspended already; 422 latestEnd
   */
  async suspend(
    id: number,
    dto: SuspendDto,
    user: AuthUser,
    actor: Actor,
    today = todayInShanghai(),
  ): Promise<ApplicationDetailView> {
    return this.dataSource.transaction(async (m) => {
      const a = await this.lockFor(m, id, user, actor, ['submitted', 'accepted'], 'suspended');
      if (a.suspended_at) throw new ConflictException(`repair application ${id} is suspended already`);
      const latest = addDays(today, SUSPENSION_MAX_DAYS);
      if (dto.latestEnd <= today || dto.latestEnd > latest)
        throw unprocessable([
          {
            field: 'latestEnd',
            reason: `须晚于今天（${today}），且不晚于${latest}（${SUSPENSION_MAX_DAYS}日内）`,
          },
        ]);
      const reason = dto.reason.trim();
      if (!reason) throw unprocessable([{ field: 'reason', reason: '请说明需补正的材料' }]);
      await m.query(
        `UPDATE repair_application SET suspended_at = $2, suspension_reason = $3, suspension_latest_end = $4, updated_at = now() WHERE id = $1`,
        [id, instantOf(today), reason, dto.latestEnd],
      );
      await this.event(m, id, user.id, 'suspended', today, reason, {
        latestEnd: dto.latestEnd,
        clock: a.status === 'submitted' ? 'accept' : 'decide',
      });
      await this.remind(
        m,
        id,
        Number(a.enterprise_id),
        Number(a.credit_record_id),
        `suspended:${today}`,
        today,
        `您的信用修复申请${a.application_no}需补正材料：${reason}（请最迟于${chineseDate(dto.latestEnd)}补正）`,
      );
      await appendAudit(sqlOf(m), actor, {
        action: 'repair_application.suspend',
        entityType: 'repair_application',
        entityId: id,
        after: { reason, latestEnd: dto.latestEnd },
      });
      return this.detailOf(m, id, today);
    });
  }

  /**
   * Resumes a suspended clock: the working days after the suspension day up to today extend the
   * running deadline (rules/time-limits.ts extendBySuspension; provisional flagged and logged). Audited.
   * @throws 409 not suspended
   */
  async resume(
    id: number,
    user: AuthUser,
    actor: Actor,
    note?: string,
    today = todayInShanghai(),
  ): Promise<ApplicationDetailView> {
    return this.dataSource.transaction(async (m) => {
      const a = await this.lockFor(m, id, user, actor, ['submitted', 'accepted'], 'resumed');
      if (!a.suspended_at) throw new ConflictException(`repair application ${id} is not suspended`);
      const since = dayOf(a.suspended_at);
      const accepting = a.status === 'submitted';
      const deadline = (accepting ? a.accept_by_text : a.decide_by_text) as string;
      const moved = extendBySuspension(deadline, since, today);
      this.logProvisional(accepting ? 'acceptBy' : 'decideBy', moved, id);
      await m.query(
        `UPDATE repair_application SET suspended_at = NULL, suspension_reason = NULL, suspension_latest_end = NULL,
           suspended_working_days = suspended_working_days + $2,
           ${accepting ? 'accept_by = $3, accept_by_provisional = $4' : 'decide_by = $3, decide_by_provisional = $4'},
           updated_at = now() WHERE id = $1`,
        [id, moved.suspendedWorkingDays, moved.date, moved.provisional],
      );
      await this.event(m, id, user.id, 'resumed', today, note ?? null, {
        suspendedOn: since,
        suspendedWorkingDays: moved.suspendedWorkingDays,
        deadline: moved.date,
        provisional: moved.provisional,
      });
      await appendAudit(sqlOf(m), actor, {
        action: 'repair_application.resume',
        entityType: 'repair_application',
        entityId: id,
        after: { suspendedWorkingDays: moved.suspendedWorkingDays, deadline: moved.date },
      });
      return this.detailOf(m, id, today);
    });
  }

  /**
   * Approves an accepted application (准予信用修复). In one transaction: the record's effect ends
   * (a penalty: credit_record.repaired_on = today; a listing: removed_on = today), the enterprise is
   * rescored at once (ScoringService.rescoreEnterprise), the result share to Credit China due in
   * `shareWithin` working days, the event, a reminder, the audit entry. The eligibility rule
   * (rules/eligibility.ts) runs again first, on the records as they stand today with the
   * enterprise's declarations: a repeat penalty or a listing since the application refuses it.
   * @throws 409 not accepted, or suspended
   * @throws 422 a condition no longer holds (`errors: [{ field, code, reason }]` naming each): reject instead
   */
  approve(
    id: number,
    reasons: string,
    user: AuthUser,
    actor: Actor,
    today = todayInShanghai(),
  ): Promise<DecisionView> {
    return this.decide(id, 'approved', reasons, user, actor, today);
  }

  /**
   * Rejects an application (不予修复 / 不予受理) with its reasons, submitted or accepted, suspended
   * or not: the result is shared as well, the enterprise reminded, audited.
   * @throws 409 decided or withdrawn already
   */
  reject(
    id: number,
    reasons: string,
    user: AuthUser,
    actor: Actor,
    today = todayInShanghai(),
  ): Promise<DecisionView> {
    return this.decide(id, 'rejected', reasons, user, actor, today);
  }

  private async decide(
    id: number,
    result: 'approved' | 'rejected',
    reasonsGiven: string,
    user: AuthUser,
    actor: Actor,
    today: string,
  ): Promise<DecisionView> {
    const reasons = reasonsGiven.trim();
    if (!reasons) throw unprocessable([{ field: 'reasons', reason: '请填写理由' }]);
    return this.dataSource.transaction(async (m) => {
      const a = await this.lockFor(
        m,
        id,
        user,
        actor,
        result === 'approved' ? ['accepted'] : ['submitted', 'accepted'],
        result,
      );
      if (result === 'approved' && a.suspended_at)
        throw new ConflictException(`repair application ${id} is suspended: resume it before approving`);
      const enterpriseId = Number(a.enterprise_id);
      if (result === 'approved') {
        // The conditions may have changed since the application (a repeat penalty, a listing):
        // the rule runs again on the records as they stand, with the enterprise's declarations.
        // The enterprise's row is locked first (as every record writer's rescoring does), so a
        // record committed before this point is seen here and one written later waits for it.
        await m.query(`SELECT 1 FROM enterprise WHERE id = $1 FOR NO KEY UPDATE`, [enterpriseId]);
        const declared = (a.eligibility as { declared?: Declarations }).declared ?? {};
        const now = await this.assess(m, Number(a.credit_record_id), null, declared, today);
        if (now.refusals.length) throw refused(now.refusals, '修复条件已不再满足，请作出不予修复决定：');
      }
      let rescored: DecisionView['rescored'] = null;
      if (result === 'approved') {
        const updated = await m.query(
          a.kind === 'penalty'
            ? `UPDATE credit_record SET repaired_on = $2 WHERE id = $1 AND repaired_on IS NULL RETURNING id`
            : `UPDATE credit_record SET removed_on = $2 WHERE id = $1 AND (removed_on IS NULL OR removed_on > $2) RETURNING id`,
          [a.credit_record_id, today],
        );
        if (!updated.length)
          throw new ConflictException(`credit record ${a.credit_record_id} is repaired or removed already`);
        const [before] = await m.query(`SELECT score, tier FROM credit_score WHERE enterprise_id = $1`, [
          enterpriseId,
        ]);
        const after = await this.scoring.rescoreEnterprise(m, enterpriseId, today);
        rescored = {
          scoreBefore: before ? Number(before.score) : null,
          tierBefore: before?.tier ?? null,
          score: after.score,
          tier: after.tier,
        };
      }
      const limits = limitsOf(a);
      const due = deadlineAfter(today, limits.shareWithin);
      this.logProvisional('share dueBy', due, id);
      await m.query(
        `UPDATE repair_application SET status = $2, decided_at = $3, decided_by = $4, decision_reasons = $5,
           suspended_at = NULL, suspension_reason = NULL, suspension_latest_end = NULL, updated_at = now() WHERE id = $1`,
        [id, result, instantOf(today), user.id, reasons],
      );
      await m.query(
        `INSERT INTO repair_result_share (application_id, result, due_by, due_by_provisional) VALUES ($1, $2, $3, $4)`,
        [id, result, due.date, due.provisional],
      );
      await this.event(m, id, user.id, result, today, reasons, { rescored, shareDueBy: due.date });
      await this.remind(
        m,
        id,
        enterpriseId,
        Number(a.credit_record_id),
        result,
        today,
        result === 'approved'
          ? `您的信用修复申请${a.application_no}已通过，该信息自${chineseDate(today)}起已修复（${REPAIR_KIND_LABELS[a.kind as RepairKind]}）`
          : `您的信用修复申请${a.application_no}未通过：${reasons}`,
      );
      await appendAudit(sqlOf(m), actor, {
        action: `repair_application.${result === 'approved' ? 'approve' : 'reject'}`,
        entityType: 'repair_application',
        entityId: id,
        before: { status: a.status },
        after: {
          status: result,
          reasons,
          recordId: Number(a.credit_record_id),
          rescored,
          shareDueBy: due.date,
        },
      });
      return { ...(await this.detailOf(m, id, today)), rescored };
    });
  }

  /**
   * The enterprise withdraws its open application (撤回). Audited.
   * @throws NotFoundException not its own; ConflictException not open
   */
  async withdraw(
    id: number,
    user: AuthUser,
    actor: Actor,
    note?: string,
    today = todayInShanghai(),
  ): Promise<ApplicationDetailView> {
    return this.dataSource.transaction(async (m) => {
      const [a] = await m.query(`SELECT * FROM repair_application WHERE id = $1 FOR UPDATE`, [id]);
      if (!a || user.role !== 'enterprise' || Number(a.enterprise_id) !== user.enterpriseId)
        throw new NotFoundException(`repair application ${id} does not exist`);
      if (!['submitted', 'accepted'].includes(a.status))
        throw new ConflictException(
          `repair application ${id} is ${a.status}: only an open application is withdrawn`,
        );
      await m.query(
        `UPDATE repair_application SET status = 'withdrawn', suspended_at = NULL, suspension_reason = NULL,
           suspension_latest_end = NULL, updated_at = now() WHERE id = $1`,
        [id],
      );
      await this.event(m, id, user.id, 'withdrawn', today, note?.trim() || null, null);
      await appendAudit(sqlOf(m), actor, {
        action: 'repair_application.withdraw',
        entityType: 'repair_application',
        entityId: id,
        before: { status: a.status },
        after: { status: 'withdrawn' },
      });
      return this.detailOf(m, id, today);
    });
  }

  /** The results to share with Credit China after share id `after`, oldest first, with overdue flags. */
  async shareFeed(after: number, limit: number, today = todayInShanghai()): Promise<ShareFeedView> {
    const rows = await this.dataSource.query(`${SHARE_SELECT} WHERE s.id > $1 ORDER BY s.id LIMIT $2`, [
      after,
      limit,
    ]);
    const items = rows.map((r: RecordRow) => shareView(r, today));
    return { items, cursor: items.length ? items[items.length - 1]!.id : after };
  }

  /** The results not shared yet (the CSV file), oldest first. */
  async pendingShares(today = todayInShanghai()): Promise<ShareView[]> {
    const rows = await this.dataSource.query(`${SHARE_SELECT} WHERE s.shared_at IS NULL ORDER BY s.id`);
    return rows.map((r: RecordRow) => shareView(r, today));
  }

  /**
   * Exports the results not shared yet as one batch (CSV for Credit China) and marks them shared
   * (shared_at now, batch `<today>-<random>`), with an event on each application; one transaction,
   * rows locked (a second run at the same time exports nothing twice). Audited `repair_share.export`.
   * @returns the CSV text (UTF-8 with BOM), the batch and the rows
   */
  async exportShares(
    actor: Actor,
    today = todayInShanghai(),
  ): Promise<{ csv: string; batch: string | null; rows: ShareView[] }> {
    return this.dataSource.transaction(async (m) => {
      const locked = await m.query(
        `SELECT id FROM repair_result_share WHERE shared_at IS NULL ORDER BY id FOR UPDATE SKIP LOCKED`,
      );
      if (!locked.length) return { csv: sharesCsv([]), batch: null, rows: [] };
      const ids = locked.map((r: { id: string }) => Number(r.id));
      const batch = `${today}-${randomBytes(3).toString('hex')}`;
      const rows: ShareView[] = (
        await m.query(`${SHARE_SELECT} WHERE s.id = ANY($1::bigint[]) ORDER BY s.id`, [ids])
      ).map((r: RecordRow) => shareView(r, today));
      await m.query(
        `UPDATE repair_result_share SET shared_at = $2, batch = $3 WHERE id = ANY($1::bigint[])`,
        [ids, instantOf(today), batch],
      );
      for (const r of rows)
        await m.query(
          `INSERT INTO repair_application_event (application_id, at, actor_id, action, details)
           SELECT application_id, $2, $3, 'shared', $4::jsonb FROM repair_result_share WHERE id = $1`,
          [r.id, instantOf(today), actor.userId, JSON.stringify({ batch, overdue: r.overdue })],
        );
      await appendAudit(sqlOf(m), actor, {
        action: 'repair_share.export',
        entityType: 'repair_result_share',
        entityId: batch,
        after: { batch, shares: ids, overdue: rows.filter((r) => r.overdue).length },
      });
      const shared = rows.map((r) => ({ ...r, batch, sharedAt: instantOf(today).toISOString() }));
      return { csv: sharesCsv(shared), batch, rows: shared };
    });
  }

  private logProvisional(what: string, d: Deadline, id: number): void {
    if (d.provisional)
      this.logger.warn(
        `repair ${id}: ${what} ${d.date} is provisional: the official calendar does not cover ${d.uncoveredYears.join(', ')} yet (weekends only assumed there)`,
      );
  }

  private async event(
    m: Queryable,
    id: number,
    actorId: number | null,
    action: string,
    today: string,
    reason: string | null,
    details: unknown,
  ): Promise<void> {
    await m.query(
      `INSERT INTO repair_application_event (application_id, at, actor_id, action, reason, details) VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
      [id, instantOf(today), actorId, action, reason, details === null ? null : JSON.stringify(details)],
    );
  }

  /** A reminder on the enterprise's page, once per application and step (dedupe_key application:<id>:<step>). */
  private async remind(
    m: Queryable,
    id: number,
    enterpriseId: number,
    recordId: number,
    step: string,
    today: string,
    message: string,
  ): Promise<void> {
    await m.query(
      `INSERT INTO enterprise_reminder (enterprise_id, kind, credit_record_id, application_id, due_on, message, dedupe_key)
       VALUES ($1, 'application_update', $2, $3, $4, $5, $6) ON CONFLICT (dedupe_key) DO NOTHING`,
      [enterpriseId, recordId, id, today, message, `application:${id}:${step}`],
    );
  }

  private async detailOf(m: Queryable, id: number, today: string): Promise<ApplicationDetailView> {
    const [row] = await m.query(`${APPLICATION_SELECT} WHERE a.id = $1`, [id]);
    if (!row) throw new NotFoundException(`repair application ${id} does not exist`);
    const files = await m.query(
      `SELECT id, role, file_name, media_type, size_bytes, encode(sha256, 'hex') AS sha FROM repair_application_file WHERE application_id = $1 ORDER BY id`,
      [id],
    );
    const events = await m.query(
      `SELECT ev.at, ev.action, ev.reason, ev.details, u.display_name FROM repair_application_event ev
       LEFT JOIN app_user u ON u.id = ev.actor_id WHERE ev.application_id = $1 ORDER BY ev.at, ev.id`,
      [id],
    );
    const {
      timeLimits: _t,
      declared: _d,
      ...eligibility
    } = row.eligibility as EligibilityView & { timeLimits: string; declared: unknown };
    return {
      ...(await this.viewWithRecord(m, row, today)),
      eligibility: eligibility as EligibilityView,
      files: files.map((f: RecordRow) => ({
        id: Number(f.id),
        role: f.role as string,
        fileName: f.file_name as string,
        mediaType: f.media_type as string,
        sizeBytes: Number(f.size_bytes),
        sha256: f.sha as string,
      })),
      events: events.map((e: RecordRow) => ({
        at: iso(e.at)!,
        action: e.action as string,
        actor: (e.display_name as string | null) ?? null,
        reason: (e.reason as string | null) ?? null,
        details: (e.details as Record<string, unknown> | null) ?? null,
      })),
    };
  }

  private async viewWithRecord(m: Queryable, row: RecordRow, today: string): Promise<ApplicationView> {
    const [r] = await m.query(`${RECORD_SELECT} WHERE r.id = $1`, [row.credit_record_id]);
    return { ...this.view(row, today), record: recordView(repairRecord(r), r) };
  }

  private view(r: RecordRow, today: string): ApplicationView {
    const suspendedOn = r.suspended_at ? dayOf(r.suspended_at) : null;
    const elig = r.eligibility as { record?: RepairRecordView; timeLimits?: string };
    return {
      id: Number(r.id),
      applicationNo: r.application_no as string,
      kind: r.kind as string,
      status: r.status as string,
      enterprise: { uscc: r.uscc as string, name: r.enterprise_name as string },
      // the record as it stands now (repaired or removed by the decision), not as at submission
      record: {
        ...elig.record!,
        repairedOn: (r.cur_repaired_on as string | null) ?? null,
        removedOn: (r.cur_removed_on as string | null) ?? null,
        // which listing (two removals of one enterprise have no decision number to tell them apart)
        listingReason: (r.cur_listing_reason as string | null) ?? null,
        listedOn: (r.cur_listed_on as string | null) ?? null,
      },
      statement: r.statement as string,
      decidingDepartment: r.deciding_department as string,
      timeLimits: elig.timeLimits ?? '',
      submittedAt: iso(r.submitted_at)!,
      acceptBy: r.accept_by_text as string,
      acceptByProvisional: r.accept_by_provisional === true,
      acceptedAt: iso(r.accepted_at),
      decideBy: (r.decide_by_text as string | null) ?? null,
      decideByProvisional: r.decide_by_provisional === true,
      suspension: suspendedOn
        ? {
            since: suspendedOn,
            reason: r.suspension_reason as string,
            latestEnd: (r.latest_end_text as string | null) ?? null,
          }
        : null,
      suspendedWorkingDays: Number(r.suspended_working_days),
      overdue: overdue(
        {
          status: r.status as string,
          acceptBy: r.accept_by_text as string,
          decideBy: (r.decide_by_text as string | null) ?? null,
          suspendedOn,
          suspensionLatestEnd: (r.latest_end_text as string | null) ?? null,
        },
        today,
      ),
      decidedAt: iso(r.decided_at),
      decisionReasons: (r.decision_reasons as string | null) ?? null,
      share: r.share_id
        ? {
            dueBy: r.share_due_by as string,
            dueByProvisional: r.share_due_provisional === true,
            sharedAt: iso(r.share_shared_at),
            batch: (r.share_batch as string | null) ?? null,
            overdue: !r.share_shared_at && today > (r.share_due_by as string),
          }
        : null,
    };
  }
}

/** The Shanghai day of a stored instant. */
const dayOf = (v: unknown) => todayInShanghai(new Date(v as string));

/** The time limits an application was submitted under (stored with its eligibility). */
function limitsOf(a: RecordRow): RepairTimeLimits {
  const code = (a.eligibility as { timeLimits?: string }).timeLimits;
  return REPAIR_TIME_LIMITS.find((l) => l.code === code) ?? timeLimitsFor(dayOf(a.submitted_at));
}

/**
 * The 422 answering failed eligibility conditions, each named by its code and Chinese message
 * (`errors: [{ field, code, reason }]`), `prefix` before the message.
 */
function refused(refusals: { code: string; message: string }[], prefix = ''): UnprocessableEntityException {
  return new UnprocessableEntityException({
    statusCode: 422,
    error: 'Unprocessable Entity',
    message: prefix + refusals.map((r) => `${r.code}: ${r.message}`).join('; '),
    errors: refusals.map((r) => ({ field: fieldOf(r.code), code: r.code, reason: r.message })),
  });
}

/** The body field a failed condition is about (declarations by their own name, the rest the record). */
function fieldOf(code: string): string {
  return (
    (
      {
        OBLIGATIONS_FULFILLED: 'obligationsFulfilled',
        HARM_REMOVED: 'harmRemoved',
        CAUSE_FIXED: 'causeFixed',
      } as Record<string, string>
    )[code] ?? 'recordId'
  );
}

const SHARE_SELECT = `
  SELECT s.id, s.result, s.due_by::text AS due_by, s.due_by_provisional, s.shared_at, s.batch,
    a.application_no, a.kind, a.deciding_department, a.decision_reasons, a.decided_at, e.uscc, e.name AS enterprise_name,
    r.decision_no
  FROM repair_result_share s
  JOIN repair_application a ON a.id = s.application_id
  JOIN enterprise e ON e.id = a.enterprise_id
  JOIN credit_record r ON r.id = a.credit_record_id`;

function shareView(r: RecordRow, today: string): ShareView {
  return {
    id: Number(r.id),
    applicationNo: r.application_no as string,
    uscc: r.uscc as string,
    enterpriseName: r.enterprise_name as string,
    kind: r.kind as string,
    decisionNo: (r.decision_no as string | null) ?? null,
    decidingDepartment: r.deciding_department as string,
    result: r.result as string,
    decidedOn: dayOf(r.decided_at),
    reasons: r.decision_reasons as string,
    dueBy: r.due_by as string,
    dueByProvisional: r.due_by_provisional === true,
    sharedAt: iso(r.shared_at),
    batch: (r.batch as string | null) ?? null,
    overdue: !r.shared_at && today > (r.due_by as string),
  };
}

/** The CSV for Credit China (UTF-8 with BOM, Chinese headers, text cells as text: spreadsheetText). */
export function sharesCsv(rows: ShareView[]): string {
  const head = [
    '申请编号',
    '统一社会信用代码',
    '企业名称',
    '修复类别',
    '决定书文号',
    '认定部门',
    '修复结果',
    '决定日期',
    '决定理由',
    '应报送日期',
    '报送批次',
    '逾期',
  ];
  const cell = (v: string) => {
    const s = spreadsheetText(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = rows.map((r) =>
    [
      r.applicationNo,
      r.uscc,
      r.enterpriseName,
      REPAIR_KIND_LABELS[r.kind as RepairKind] ?? r.kind,
      r.decisionNo ?? '',
      r.decidingDepartment,
      r.result === 'approved' ? '准予修复' : '不予修复',
      r.decidedOn,
      r.reasons,
      r.dueBy + (r.dueByProvisional ? '（暂定）' : ''),
      r.batch ?? '',
      r.overdue ? '是' : '否',
    ]
      .map(cell)
      .join(','),
  );
  return '\ufeff' + [head.join(','), ...lines].join('\r\n') + '\r\n';
}

export { STATUS_LABELS as REPAIR_STATUS_LABELS };
