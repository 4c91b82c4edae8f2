import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../audit/actor.js';
import { appendAudit, sqlOf } from '../../audit/audit-writer.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { todayInShanghai } from '../../common/clock.js';
import {
  complianceReminder,
  NewEnterpriseFacts,
  publicationState,
  PUBLICATION_STATE_LABELS,
  RecordPeriodFacts,
  recordReminders,
  ReminderDraft,
  ReminderKind,
  REMINDER_PARAMETERS,
  repairOpen,
} from './rules/reminder-rules.js';
import type {
  MyDecisionView,
  MyRecordPeriodView,
  ReminderListView,
  ReminderRunView,
  ReminderView,
} from './dto/reminder.dto.js';

/** Rows read and written per batch of the job (each batch is its own transaction). */
export const REMINDER_BATCH_SIZE = 500;

/** Options of one run of the job (tests pass a small batch and a hook that fails mid-way). */
export interface ReminderRunOptions {
  batchSize?: number;
  /** called after each batch has committed, with its number (1, 2...) */
  afterBatch?: (batch: number) => Promise<void> | void;
}

const RECORD_COLUMNS = `r.id::int AS record_id, r.enterprise_id::int AS enterprise_id, d.id::int AS decision_id,
  coalesce(d.decision_no, r.decision_no) AS decision_no, r.publication_start, r.publication_last_day,
  r.earliest_repair_on, r.never_ended_early, r.repaired_on`;

const factsOf = (r: Record<string, unknown>): RecordPeriodFacts => ({
  recordId: r.record_id as number,
  enterpriseId: r.enterprise_id as number,
  decisionId: (r.decision_id as number | null) ?? null,
  decisionNo: (r.decision_no as string | null) ?? null,
  publicationStart: (r.publication_start as string | null) ?? null,
  publicationLastDay: (r.publication_last_day as string | null) ?? null,
  earliestRepairOn: (r.earliest_repair_on as string | null) ?? null,
  neverEndedEarly: r.never_ended_early as boolean,
  repairedOn: (r.repaired_on as string | null) ?? null,
});

/** The enterprise the user acts for. @throws NotFoundException for an account linked to none */
function ownEnterprise(user: AuthUser): number {
  if (user.enterpriseId === null) throw new NotFoundException('this account acts for no enterprise');
  return user.enterpriseId;
}

/**
 * Reminders on the enterprise's own page (企业专属网页, domain.md 3.5) and what that page reads
 * about its penalty decisions and records' publication periods. The daily job's work is
 * `createDue`; RemindersJob wraps it in the advisory lock.
 */
@Injectable()
export class RemindersService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Creates the reminders due on `today` (rules/reminder-rules.ts): repair_possible and
   * period_ending for penalty records with a computed window, compliance_notice for newly
   * registered enterprises. Reads in batches by id; each batch inserts its reminders with
   * `ON CONFLICT (dedupe_key) DO NOTHING` and its audit entry (`enterprise_reminder.create`, when
   * it created any) in one transaction, so a run killed half-way keeps its finished batches and a
   * rerun creates only the rest: never a reminder twice.
   * @param today YYYY-MM-DD in Asia/Shanghai (tests move it)
   * @returns the reminders due as of `today`, those created now (by kind) and those that existed
   *   already (due = created + existing), and the records and enterprises looked at (a record
   *   may be due two reminders, so the counts of reminders and of records differ)
   */
  async createDue(today: string, actor: Actor, opts: ReminderRunOptions = {}): Promise<ReminderRunView> {
    const size = opts.batchSize ?? REMINDER_BATCH_SIZE;
    const noticeDays = REMINDER_PARAMETERS.periodEndingNoticeDays.value;
    const newDays = REMINDER_PARAMETERS.complianceNoticeNewDays.value;
    const created: Record<ReminderKind, number> = {
      repair_possible: 0,
      period_ending: 0,
      compliance_notice: 0,
    };
    const examined = { records: 0, enterprises: 0 };
    let due = 0;
    let batch = 0;
    const store = async (drafts: ReminderDraft[]) => {
      batch++;
      due += drafts.length;
      await this.dataSource.transaction(async (m) => {
        const rows: { kind: ReminderKind }[] = drafts.length
          ? await m.query(
              `INSERT INTO enterprise_reminder (enterprise_id, kind, credit_record_id, decision_id, due_on, message, dedupe_key)
               SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::date[], $6::text[], $7::text[])
               ON CONFLICT (dedupe_key) DO NOTHING RETURNING kind`,
              [
                drafts.map((d) => d.enterpriseId),
                drafts.map((d) => d.kind),
                drafts.map((d) => d.creditRecordId),
                drafts.map((d) => d.decisionId),
                drafts.map((d) => d.dueOn),
                drafts.map((d) => d.message),
                drafts.map((d) => d.dedupeKey),
              ],
            )
          : [];
        for (const r of rows) created[r.kind]++;
        if (rows.length)
          await appendAudit(sqlOf(m), actor, {
            action: 'enterprise_reminder.create',
            entityType: 'enterprise_reminder',
            after: { today, batch, created: rows.length },
          });
      });
      await opts.afterBatch?.(batch);
    };

    // penalty records: the SQL pre-filter is wider than or equal to the rule; the rule decides
    for (let after = 0; ;) {
      const rows: Record<string, unknown>[] = await this.dataSource.query(
        `SELECT ${RECORD_COLUMNS}
         FROM credit_record r LEFT JOIN penalty_decision d ON d.credit_record_id = r.id
         WHERE r.id > $1 AND r.publication_last_day IS NOT NULL AND r.repaired_on IS NULL
           AND r.publication_last_day >= $2::date
           AND (r.earliest_repair_on <= $2::date OR r.publication_last_day <= $2::date + $3::int)
         ORDER BY r.id LIMIT $4`,
        [after, today, noticeDays, size],
      );
      if (!rows.length) break;
      examined.records += rows.length;
      after = rows[rows.length - 1]!.record_id as number;
      await store(rows.flatMap((r) => recordReminders(factsOf(r), today, noticeDays)));
      if (rows.length < size) break;
    }

    // newly registered enterprises (新入经营主体合规告知)
    for (let after = 0; ;) {
      const rows: { id: number; established_on: string; status: string }[] = await this.dataSource.query(
        `SELECT id::int AS id, established_on, status FROM enterprise
         WHERE id > $1 AND status = 'active' AND established_on BETWEEN $2::date - $3::int AND $2::date
         ORDER BY id LIMIT $4`,
        [after, today, newDays, size],
      );
      if (!rows.length) break;
      examined.enterprises += rows.length;
      after = rows[rows.length - 1]!.id;
      const drafts = rows
        .map((e) =>
          complianceReminder(
            {
              enterpriseId: e.id,
              establishedOn: e.established_on,
              status: e.status,
            } satisfies NewEnterpriseFacts,
            today,
            newDays,
          ),
        )
        .filter((d): d is ReminderDraft => d !== null);
      await store(drafts);
      if (rows.length < size) break;
    }
    const made = created.repair_possible + created.period_ending + created.compliance_notice;
    return { today, examined, due, created: made, existing: due - made, byKind: created };
  }

  /**
   * The enterprise's reminders, newest first, and how many are unread.
   * @throws NotFoundException (404) for an account linked to no enterprise
   */
  async list(user: AuthUser): Promise<ReminderListView> {
    const enterpriseId = ownEnterprise(user);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT r.id::int AS id, r.kind, r.credit_record_id::int AS credit_record_id, r.decision_id::int AS decision_id,
              r.due_on, r.message, r.created_at, r.read_at
       FROM enterprise_reminder r WHERE r.enterprise_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT 200`,
      [enterpriseId],
    );
    const items: ReminderView[] = rows.map((r) => ({
      id: r.id as number,
      kind: r.kind as ReminderView['kind'],
      creditRecordId: (r.credit_record_id as number | null) ?? null,
      decisionId: (r.decision_id as number | null) ?? null,
      dueOn: r.due_on as string,
      message: r.message as string,
      createdAt: (r.created_at as Date).toISOString(),
      readAt: r.read_at ? (r.read_at as Date).toISOString() : null,
    }));
    const [{ n }] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM enterprise_reminder WHERE enterprise_id = $1 AND read_at IS NULL`,
      [enterpriseId],
    );
    return { items, unread: n as number };
  }

  /**
   * Marks one of the enterprise's reminders read (the first time only; audited
   * `enterprise_reminder.read`). @throws NotFoundException (404) for a reminder of another
   * enterprise or none: the same answer, so ids of others are not confirmed
   */
  async markRead(user: AuthUser, id: number, actor: Actor): Promise<ReminderView> {
    const enterpriseId = ownEnterprise(user);
    return this.dataSource.transaction(async (m) => {
      const [row] = (await m.query(
        `SELECT id, read_at FROM enterprise_reminder WHERE id = $1 AND enterprise_id = $2 FOR UPDATE`,
        [id, enterpriseId],
      )) as { read_at: Date | null }[];
      if (!row) throw new NotFoundException(`no reminder ${id}`);
      if (!row.read_at) {
        await m.query(`UPDATE enterprise_reminder SET read_at = now() WHERE id = $1`, [id]);
        await appendAudit(sqlOf(m), actor, {
          action: 'enterprise_reminder.read',
          entityType: 'enterprise_reminder',
          entityId: id,
        });
      }
      const [r] = await m.query(
        `SELECT id::int AS id, kind, credit_record_id::int AS credit_record_id, decision_id::int AS decision_id,
                due_on, message, created_at, read_at FROM enterprise_reminder WHERE id = $1`,
        [id],
      );
      return {
        id: r.id,
        kind: r.kind,
        creditRecordId: r.credit_record_id ?? null,
        decisionId: r.decision_id ?? null,
        dueOn: r.due_on,
        message: r.message,
        createdAt: (r.created_at as Date).toISOString(),
        readAt: r.read_at ? (r.read_at as Date).toISOString() : null,
      };
    });
  }

  /**
   * The publication window of each of the enterprise's penalty records with one (credit_record's
   * issue-13 columns), its state today and whether repair can be applied for today.
   * @throws NotFoundException (404) for an account linked to no enterprise
   */
  async recordPeriods(user: AuthUser, today: string = todayInShanghai()): Promise<MyRecordPeriodView[]> {
    const enterpriseId = ownEnterprise(user);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${RECORD_COLUMNS}, r.regime_code, r.period_provisional
       FROM credit_record r LEFT JOIN penalty_decision d ON d.credit_record_id = r.id
       WHERE r.enterprise_id = $1 AND (r.publication_last_day IS NOT NULL OR r.repaired_on IS NOT NULL)
       ORDER BY r.id`,
      [enterpriseId],
    );
    return rows.map((r) => this.periodView(factsOf(r), r, today));
  }

  private periodView(f: RecordPeriodFacts, r: Record<string, unknown>, today: string): MyRecordPeriodView {
    const state = publicationState(f, today);
    return {
      recordId: f.recordId,
      decisionId: f.decisionId,
      publicationStart: f.publicationStart,
      publicationLastDay: f.publicationLastDay,
      earliestRepairOn: f.earliestRepairOn,
      neverEndedEarly: f.neverEndedEarly,
      repairedOn: f.repairedOn,
      regimeCode: (r.regime_code as string | null) ?? null,
      provisional: (r.period_provisional as boolean | undefined) ?? false,
      state,
      stateLabel: PUBLICATION_STATE_LABELS[state],
      repairOpen: repairOpen(f, today),
    };
  }

  /**
   * The enterprise's penalty decisions (行政处罚决定书), newest first, each with its periods, its
   * credit-repair notice (信用修复告知书) when one was issued or why none was needed, the
   * deliveries of the documents, and the URLs of both documents' PDFs.
   * @throws NotFoundException (404) for an account linked to no enterprise
   */
  async decisions(user: AuthUser, today: string = todayInShanghai()): Promise<MyDecisionView[]> {
    const enterpriseId = ownEnterprise(user);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT d.id::int AS id, d.decision_no, d.kind, d.decision_date, d.procedure, d.penalty_types,
              d.fine_fen::float8 AS fine_fen, d.outcome, d.violation, d.legal_basis, d.source_department,
              d.regime_code, d.periods, d.published_on, d.notice_required, d.no_notice_reason,
              n.notice_no, n.issued_on,
              r.id::int AS record_id, r.enterprise_id::int AS enterprise_id, d.id::int AS decision_id,
              r.publication_start, r.publication_last_day, r.earliest_repair_on,
              coalesce(r.never_ended_early, false) AS never_ended_early, r.repaired_on, r.period_provisional,
              coalesce((SELECT json_agg(json_build_object('documents', x.documents, 'channel', x.channel,
                         'deliveredOn', x.delivered_on, 'recipient', x.recipient, 'exceptionReason', x.exception_reason)
                         ORDER BY x.delivered_on, x.id) FROM document_delivery x WHERE x.decision_id = d.id), '[]') AS deliveries
       FROM penalty_decision d
       LEFT JOIN repair_notice n ON n.decision_id = d.id
       LEFT JOIN credit_record r ON r.id = d.credit_record_id
       WHERE d.enterprise_id = $1
       ORDER BY d.decision_date DESC, d.id DESC`,
      [enterpriseId],
    );
    return rows.map((d) => {
      const base = `/api/penalty-decisions/${d.id as number}/documents`;
      const hasNotice = d.notice_no !== null && d.notice_no !== undefined;
      return {
        id: d.id as number,
        decisionNo: d.decision_no as string,
        kind: d.kind as MyDecisionView['kind'],
        decisionDate: d.decision_date as string,
        procedure: d.procedure as string,
        penaltyTypes: d.penalty_types as string[],
        fineFen: (d.fine_fen as number | null) ?? null,
        outcome: d.outcome as string,
        violation: d.violation as string,
        legalBasis: d.legal_basis as string,
        sourceDepartment: d.source_department as string,
        regimeCode: (d.regime_code as string | null) ?? null,
        periods: (d.periods as Record<string, unknown> | null) ?? null,
        publishedOn: (d.published_on as string | null) ?? null,
        noticeRequired: d.notice_required as boolean,
        noNoticeReason: (d.no_notice_reason as string | null) ?? null,
        notice: hasNotice ? { noticeNo: d.notice_no as string, issuedOn: d.issued_on as string } : null,
        deliveries: (d.deliveries as MyDecisionView['deliveries']).map((x) => ({
          ...x,
          deliveredOn: String(x.deliveredOn).slice(0, 10),
        })),
        record: d.record_id ? this.periodView(factsOf(d), d, today) : null,
        documents: {
          decision: `${base}/decision.pdf`,
          repairNotice: hasNotice ? `${base}/repair-notice.pdf` : null,
        },
      };
    });
  }
}
