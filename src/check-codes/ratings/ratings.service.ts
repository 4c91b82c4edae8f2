import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../audit/actor.js';
import { appendAudit, sqlOf } from '../../audit/audit-writer.js';
import { AuditService } from '../../audit/audit.service.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { departmentName } from '../../auth/roles.js';
import { ScopeService } from '../../auth/scope.service.js';
import { todayInShanghai } from '../../common/clock.js';
import { APP_CONFIG } from '../../config/config.token.js';
import type { AppConfig } from '../../config/configuration.js';
import { SettingsService } from '../../settings/settings.service.js';
import { formatCodeNo } from '../codes/rules/code-rules.js';
import type { CheckCodeState } from '../rules/check-code-rules.js';
import type {
  RateVisitDto,
  RatingCellView,
  RatingListItemView,
  RatingListQuery,
  RatingPageView,
  RatingReceiptView,
  RatingSeriesView,
  RatingSummaryQuery,
  RatingSummaryView,
} from './dto/ratings.dto.js';
import {
  departmentRatings,
  type RatingCell,
  type RatingFact,
  type RatingPeriod,
  type RatingSeries,
  wholeRatings,
} from './rules/rating-aggregation.js';
import {
  isSupervisingBody,
  LOW_SCORE,
  ratingRefusal,
  releasedOn,
  SUPERVISING_DEPARTMENT,
} from './rules/rating-rules.js';

type Row = Record<string, unknown>;

/** A refusal decided inside the rating's transaction, audited after it has rolled back. */
class Refused extends Error {
  constructor(
    readonly status: 403 | 409,
    message: string,
  ) {
    super(message);
  }
}

/** What the enterprise reads after rating. */
export const RATING_THANKS =
  '感谢您的评价。评价不记录评价人；被检查部门只能看到多家企业评价的汇总，看不到单条评价和留言。';

/** The rule of the department's view in words (RatingSummaryView.rule). */
function ruleText(k: number, delay: number): string {
  return (
    `评价不记录评价人。被检查部门只看到汇总：一个统计期结束且其中的评价全部公开（评价后 ${delay} 天）后才公布，之后不再变化；` +
    `不足 ${k} 条的分组不显示；可能据以推算出单条评价的分组也不显示。看不到单条评价、留言和哪次检查被评价。`
  );
}

const QUARTER_ZH = ['一', '二', '三', '四'];
/** 2026年、2026年第三季度、2026年7月 */
export function periodLabel(p: RatingPeriod): string {
  const y = p.key.slice(0, 4);
  if (p.kind === 'year') return `${y}年`;
  if (p.kind === 'quarter') return `${y}年第${QUARTER_ZH[Number(p.key.slice(6)) - 1]}季度`;
  return `${y}年${Number(p.key.slice(5))}月`;
}

/** 2026年12月14日 */
const dateZh = (d: string) => `${d.slice(0, 4)}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

/** Why a cell shows nothing, in Chinese ('' when shown). */
export function cellText(c: RatingCell, k: number, today: string): string {
  if (c.status === 'below_minimum') return `不足 ${k} 条，暂不显示`;
  if (c.status === 'complementary') return '为防止推算出单条评价，暂不显示';
  if (c.status === 'pending')
    return today < c.publishOn ? `统计期未结束，${dateZh(c.publishOn)}起公布` : '评价尚未全部公开，稍后公布';
  return '';
}

const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : new Date(v as string).toISOString();

/**
 * The enterprises' ratings of inspections (issue 12 "The enterprise rates after completion, once
 * per code"; docs/security.md "Ratings"): rating, and what the inspected department, admins and
 * the supervising body read of them. Anonymity: no rater is stored (check_code_rating has no user
 * column), departments read aggregates only under rules/rating-aggregation.ts, the audit trail
 * records the act without its content.
 */
@Injectable()
export class RatingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settings: SettingsService,
    private readonly scope: ScopeService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Rates the completed visit of the code (once per code) for the signed-in enterprise user:
   * score 1-5, necessary, mergeable, comment (blank is none). Stored without the rater, rated_on
   * today (Asia/Shanghai), released_on = rated_on + ratingDelayDays; audited `check_code.rate`
   * with the code number and nothing of the rating (the audit trail is no second copy of it).
   * In one transaction under the code's row lock (two colleagues rating at once: one wins).
   * @throws NotFoundException (404) no code of that number
   * @throws ForbiddenException (403, audited `access.denied`) a user of another enterprise
   * @throws ConflictException (409, audited `check_code.rating_refused`) not completed (issued, in
   *   use, expired, revoked), or rated already
   */
  async rate(codeNo: string, dto: RateVisitDto, user: AuthUser, actor: Actor): Promise<RatingReceiptView> {
    const today = todayInShanghai();
    const { ratingDelayDays } = await this.settings.get();
    try {
      return await this.dataSource.transaction(async (m) => {
        const [c]: Row[] = await m.query(
          `SELECT c.id, c.status, e.uscc
           FROM check_code c JOIN enterprise e ON e.id = c.enterprise_id
           WHERE c.code_no = $1 FOR UPDATE OF c`,
          [codeNo],
        );
        if (!c) throw new NotFoundException(`no inspection code ${codeNo}`);
        // read after the lock, in a statement of its own: a rating committed while this one waited
        // for the code's row is seen (a subquery of the locking statement keeps its older snapshot)
        const [{ rated }]: Row[] = await m.query(
          `SELECT EXISTS (SELECT 1 FROM check_code_rating WHERE code_id = $1) AS rated`,
          [c.id],
        );
        c.rated = rated;
        const refusal = ratingRefusal(
          { status: c.status as CheckCodeState, uscc: c.uscc as string, rated: c.rated as boolean },
          user.enterpriseUscc,
        );
        if (refusal) throw new Refused(refusal.code === 'forbidden' ? 403 : 409, refusal.reason);
        const comment = dto.comment?.trim() ? dto.comment.trim() : null;
        await m.query(
          `INSERT INTO check_code_rating (code_id, score, necessary, mergeable, comment, rated_on, released_on)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [c.id, dto.score, dto.necessary, dto.mergeable, comment, today, releasedOn(today, ratingDelayDays)],
        );
        await appendAudit(sqlOf(m), actor, {
          action: 'check_code.rate',
          entityType: 'check_code',
          entityId: codeNo,
        });
        return { codeNo, ratedOn: today, message: RATING_THANKS };
      });
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
      if (e.status === 403) {
        await this.scope.deny(actor, 'check_code', codeNo, `${user.username}: ${e.message}`);
        throw new ForbiddenException(e.message);
      }
      await this.audit.record(actor, {
        action: 'check_code.rating_refused',
        entityType: 'check_code',
        entityId: codeNo,
        after: { reason: e.message },
      });
      throw new ConflictException(e.message);
    }
  }

  /**
   * The department whose ratings the user reads, and how: a regulator its own department under the
   * anonymity rule (another answers 403, audited); the supervising body (regulators of
   * `oversight`) any department, whole; an admin any department under the anonymity rule (admins
   * are the bureau's own staff, not the supervising body). Default: the regulator's department,
   * else market.
   * @throws ForbiddenException (403, audited) a regulator asking for another department
   */
  private async readerOf(
    user: AuthUser,
    asked: string | undefined,
    actor: Actor,
  ): Promise<{ department: string; whole: boolean }> {
    if (isSupervisingBody(user)) return { department: asked ?? 'market', whole: true };
    if (user.role === 'regulator') {
      const own = user.department!;
      if (asked && asked !== own) {
        const reason = `a regulator of ${own} reads the ratings of its own department only, not of ${asked}`;
        await this.scope.deny(actor, 'check_code_rating', asked, reason);
        throw new ForbiddenException(reason);
      }
      return { department: own, whole: false };
    }
    return { department: asked ?? 'market', whole: false };
  }

  /** Every rating of codes of the department rated in the year, with their departments and check-ins. */
  private async facts(department: string, year: number): Promise<RatingFact[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT r.code_id, r.score, r.necessary, r.mergeable, r.rated_on, r.released_on,
         (SELECT array_agg(DISTINCT t.department) FROM check_code_task ct JOIN inspection_task t ON t.id = ct.task_id
           WHERE ct.code_id = r.code_id) AS departments,
         (SELECT coalesce(json_agg(json_build_object('userId', u.id, 'department', u.department) ORDER BY u.id), '[]')
           FROM app_user u WHERE u.id IN (SELECT ev.user_id FROM check_code_event ev
             WHERE ev.code_id = r.code_id AND ev.kind = 'check_in')) AS inspectors
       FROM check_code_rating r
       WHERE r.rated_on >= make_date($1, 1, 1) AND r.rated_on < make_date($1 + 1, 1, 1)
         AND EXISTS (SELECT 1 FROM check_code_task ct JOIN inspection_task t ON t.id = ct.task_id
           WHERE ct.code_id = r.code_id AND t.department = $2)`,
      [year, department],
    );
    return rows.map((r) => ({
      codeId: Number(r.code_id),
      score: Number(r.score),
      necessary: r.necessary as boolean,
      mergeable: r.mergeable as boolean,
      ratedOn: r.rated_on as string,
      releasedOn: r.released_on as string,
      departments: (r.departments as string[] | null) ?? [],
      inspectors: (r.inspectors as { userId: number; department: string | null }[]).map((i) => ({
        userId: Number(i.userId),
        department: i.department,
      })),
    }));
  }

  /**
   * A department's ratings of a year (default this year), by quarter (default) or month, with the
   * year: for the department and each of its own inspectors who checked in under a rated code of
   * it, one cell per period with its status, the reason in Chinese when nothing is shown, and the
   * aggregate (count, mean score, share necessary, share mergeable) when shown. Regulators and
   * admins read it under the anonymity rule (rules/rating-aggregation.ts departmentRatings: a
   * period once over and released, groups of at least ratingMinGroup, nothing that lets one rating
   * be worked out); the supervising body reads every group whole (wholeRatings).
   * @throws ForbiddenException (403, audited) a regulator asking for another department
   */
  async summary(q: RatingSummaryQuery, user: AuthUser, actor: Actor): Promise<RatingSummaryView> {
    const today = todayInShanghai();
    const year = q.year ?? Number(today.slice(0, 4));
    const { department, whole } = await this.readerOf(user, q.department, actor);
    const { ratingMinGroup: k, ratingDelayDays: delay } = await this.settings.get();
    const input = {
      department,
      year,
      ratings: await this.facts(department, year),
      minGroup: k,
      delayDays: delay,
      today,
    };
    const v = whole ? wholeRatings(input) : departmentRatings(input);
    const people: Row[] = v.inspectors.length
      ? await this.dataSource.query(
          `SELECT id, display_name, credential_no FROM app_user WHERE id = ANY($1::bigint[])`,
          [v.inspectors.map((x) => x.userId)],
        )
      : [];
    const byId = new Map(people.map((p) => [Number(p.id), p]));
    const cell = (c: RatingCell): RatingCellView => ({
      period: { ...c.period, label: periodLabel(c.period) },
      status: c.status,
      statusText: cellText(c, k, today),
      publishOn: c.publishOn,
      aggregate: c.aggregate,
    });
    const series = (s: RatingSeries): RatingSeriesView => ({
      year: cell(s.year),
      periods: (q.period === 'month' ? s.months : s.quarters).map(cell),
    });
    return {
      department,
      departmentName: departmentName(this.config.DISTRICT_NAME, department),
      year,
      period: q.period,
      view: v.view,
      minGroup: k,
      delayDays: delay,
      today,
      rule: whole
        ? '督查视图：显示全部评价的汇总，不受最小分组和延迟公开限制；逐条评价和留言见“全部评价”。'
        : ruleText(k, delay),
      total: series(v.total),
      inspectors: v.inspectors
        .map((x) => {
          const p = byId.get(x.userId);
          return {
            inspector: {
              userId: x.userId,
              displayName: (p?.display_name as string | undefined) ?? `#${x.userId}`,
              credentialNo: (p?.credential_no as string | null | undefined) ?? null,
            },
            series: series(x.series),
          };
        })
        .sort((a, b) => a.inspector.displayName.localeCompare(b.inspector.displayName, 'zh-CN')),
    };
  }

  /**
   * Every rating, whole, for the supervising body (regulators of `oversight`): its code, enterprise,
   * departments, inspectors who checked in, score, answers and comment, newest first; filters year
   * (of the rating day, default this year), department, maxScore (2: the low ratings), withComment.
   * `lowCount` and `commentCount` count the low ratings and those with a comment of the year (and
   * department), whatever maxScore and withComment say.
   * @throws ForbiddenException (403, audited) anyone else: regulators of other departments and admins
   */
  async list(q: RatingListQuery, user: AuthUser, actor: Actor): Promise<RatingPageView> {
    if (!isSupervisingBody(user)) {
      const reason = `single ratings are read by the supervising body (regulators of ${SUPERVISING_DEPARTMENT}) only, not by ${user.role}${user.department ? ` of ${user.department}` : ''}: the inspected department sees aggregates`;
      await this.scope.deny(actor, 'check_code_rating', null, reason);
      throw new ForbiddenException(reason);
    }
    const year = q.year ?? Number(todayInShanghai().slice(0, 4));
    const params: unknown[] = [year];
    const where = [`r.rated_on >= make_date($1, 1, 1) AND r.rated_on < make_date($1 + 1, 1, 1)`];
    if (q.department) {
      params.push(q.department);
      where.push(`EXISTS (SELECT 1 FROM check_code_task ct JOIN inspection_task t ON t.id = ct.task_id
        WHERE ct.code_id = r.code_id AND t.department = $${params.length})`);
    }
    const base = where.join(' AND ');
    const filters = [...where];
    const filterParams = [...params];
    if (q.maxScore !== undefined) {
      filterParams.push(q.maxScore);
      filters.push(`r.score <= $${filterParams.length}`);
    }
    if (q.withComment) filters.push(`r.comment IS NOT NULL`);
    const [counts] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM check_code_rating r WHERE ${filters.join(' AND ')}`,
      filterParams,
    );
    const [all] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE r.score <= ${LOW_SCORE})::int AS low,
              count(*) FILTER (WHERE r.comment IS NOT NULL)::int AS commented
       FROM check_code_rating r WHERE ${base}`,
      params,
    );
    const rows: Row[] = await this.dataSource.query(
      `SELECT r.*, c.code_no, c.particulars, c.completed_at, e.uscc, e.name,
         (SELECT coalesce(json_agg(json_build_object('name', u.display_name, 'credentialNo', u.credential_no,
             'department', u.department) ORDER BY ev.at, u.id), '[]')
           FROM check_code_event ev JOIN app_user u ON u.id = ev.user_id
           WHERE ev.code_id = r.code_id AND ev.kind = 'check_in') AS inspectors
       FROM check_code_rating r JOIN check_code c ON c.id = r.code_id JOIN enterprise e ON e.id = c.enterprise_id
       WHERE ${filters.join(' AND ')}
       ORDER BY r.rated_on DESC, r.code_id DESC LIMIT $${filterParams.length + 1} OFFSET $${filterParams.length + 2}`,
      [...filterParams, q.pageSize, (q.page - 1) * q.pageSize],
    );
    const items: RatingListItemView[] = rows.map((r) => {
      const p = r.particulars as { kind: string; departments: { code: string }[] };
      return {
        codeNo: r.code_no as string,
        codeNoDisplay: formatCodeNo(r.code_no as string),
        kind: p.kind,
        enterprise: { uscc: r.uscc as string, name: r.name as string },
        departments: p.departments.map((d) => d.code),
        inspectors: r.inspectors as RatingListItemView['inspectors'],
        completedAt: iso(r.completed_at),
        score: Number(r.score),
        necessary: r.necessary as boolean,
        mergeable: r.mergeable as boolean,
        comment: (r.comment as string | null) ?? null,
        ratedOn: r.rated_on as string,
        releasedOn: r.released_on as string,
        low: Number(r.score) <= LOW_SCORE,
      };
    });
    return {
      items,
      total: counts.total,
      page: q.page,
      pageSize: q.pageSize,
      lowCount: all.low,
      commentCount: all.commented,
    };
  }
}
