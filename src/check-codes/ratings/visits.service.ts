import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../audit/actor.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { departmentName } from '../../auth/roles.js';
import { ScopeService } from '../../auth/scope.service.js';
import { BUREAU_TIME_ZONE, todayInShanghai } from '../../common/clock.js';
import { APP_CONFIG } from '../../config/config.token.js';
import type { AppConfig } from '../../config/configuration.js';
import { AlertsService } from '../../inspections/alerts/alerts.service.js';
import { REPEAT_VISIT_LIMITS } from '../../inspections/rules/frequency-alerts.js';
import type { CodeParticulars } from '../codes/dto/check-code.dto.js';
import { formatCodeNo, STATE_LABELS } from '../codes/rules/code-rules.js';
import type { CheckCodeState } from '../rules/check-code-rules.js';
import type { CodedVisitView, EnterpriseVisitsView, MyVisitView } from './dto/ratings.dto.js';
import { isSupervisingBody } from './rules/rating-rules.js';
import { countByKind, inspectionsOf, type CodedKind } from './rules/visit-stats.js';
import { withoutPhoneNumbers } from '../verification/verification-view.js';

type Row = Record<string, unknown>;
const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : new Date(v as string).toISOString();

/** Columns of a code in these lists, over `c` (check_code) and `r` (its rating, LEFT JOIN). */
const CODE_COLUMNS = `c.id, c.code_no, c.visit_id, c.status, c.particulars, c.issued_at, c.not_before, c.not_after, c.checked_in_at,
  to_char(c.checked_in_at AT TIME ZONE '${BUREAU_TIME_ZONE}', 'YYYY-MM-DD') AS checked_in_on,
  c.completed_at, r.code_id IS NOT NULL AS rated, r.rated_on`;

/**
 * An enterprise's inspections under codes (issue 12 "Per enterprise and year: coded inspections by
 * kind; repeat-visit alerts"): for the bureau's staff, and for the enterprise itself (本年检查 and
 * the rating page). Alerts come from the one alerts service (inspections/alerts), fed by check-ins.
 */
@Injectable()
export class VisitsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly alerts: AlertsService,
    private readonly scope: ScopeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private view(c: Row, rated: boolean | null, own: boolean): CodedVisitView {
    const p = c.particulars as CodeParticulars;
    const status = c.status as CheckCodeState;
    return {
      codeNo: c.code_no as string,
      codeNoDisplay: formatCodeNo(c.code_no as string),
      kind: p.kind,
      status,
      statusLabel: STATE_LABELS[status],
      issuedAt: iso(c.issued_at)!,
      validFrom: iso(c.not_before)!,
      validUntil: iso(c.not_after)!,
      checkedInAt: iso(c.checked_in_at),
      completedAt: iso(c.completed_at),
      departments: p.departments.map((d) => ({
        code: d.code,
        name: departmentName(this.config.DISTRICT_NAME, d.code),
        lead: d.lead,
      })),
      planNos: [...new Set(p.plans.map((x) => x.planNo))],
      // the enterprise never reads a complainant's phone number typed into a reason (the bureau does)
      reasons: p.triggers.map((t) => (own ? withoutPhoneNumbers(t.reason) : t.reason)),
      inspectors: p.inspectors.map((i) => ({
        name: i.name,
        credentialNo: i.credentialNo,
        department: i.department,
      })),
      rated,
      canRate: own && status === 'completed' && !c.rated,
    };
  }

  /**
   * The coded inspections of the enterprise issued in `year` (Asia/Shanghai), newest first, with
   * the inspections that took place (`total`, `byKind`: codes checked in under, one per joint visit
   * and day: rules/visit-stats.ts inspectionsOf) by kind (routine 计划, event 事件触发, joint 联合) and the year's frequency alerts
   * (AlertsService.enterpriseAlerts: repeat visits over check-ins, the tier's yearly cap).
   * `rated`: for the enterprise and the supervising body; null for other staff. An enterprise user
   * sees no over-cap alert unless the bureau shows it its tier (the cap is the tier's).
   */
  private async ofEnterprise(
    enterprise: { id: number; uscc: string; name: string },
    year: number,
    user: AuthUser,
  ): Promise<EnterpriseVisitsView> {
    const own = user.role === 'enterprise';
    const seesRated = own || isSupervisingBody(user);
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${CODE_COLUMNS}
       FROM check_code c LEFT JOIN check_code_rating r ON r.code_id = c.id
       WHERE c.enterprise_id = $1
         AND c.issued_at >= make_timestamptz($2, 1, 1, 0, 0, 0, '${BUREAU_TIME_ZONE}')
         AND c.issued_at < make_timestamptz($2 + 1, 1, 1, 0, 0, 0, '${BUREAU_TIME_ZONE}')
       ORDER BY c.issued_at DESC, c.id DESC`,
      [enterprise.id, year],
    );
    const items = rows.map((c) => this.view(c, seesRated ? (c.rated as boolean) : null, own));
    const alerts = await this.alerts.enterpriseAlerts(year, enterprise.id);
    // what took place: codes checked in under, one per joint visit and day
    const done = inspectionsOf(
      rows.map((c) => ({
        kind: (c.particulars as CodeParticulars).kind as CodedKind,
        visitId: Number(c.visit_id),
        checkedInOn: (c.checked_in_on as string | null) ?? null,
      })),
    );
    return {
      enterprise: { uscc: enterprise.uscc, name: enterprise.name },
      year,
      total: done.length,
      byKind: countByKind(done),
      completed: items.filter((i) => i.status === 'completed').length,
      items,
      alerts: {
        limits: { ...REPEAT_VISIT_LIMITS },
        repeatVisits: alerts.repeatVisits,
        overCap: own && !(await this.scope.tierShownTo(user)) ? null : alerts.overCap,
      },
    };
  }

  private async enterprise(uscc: string): Promise<{ id: number; uscc: string; name: string }> {
    const [e]: Row[] = await this.dataSource.query(`SELECT id, uscc, name FROM enterprise WHERE uscc = $1`, [
      uscc,
    ]);
    if (!e) throw new NotFoundException(`enterprise ${uscc} is not in the register`);
    return { id: Number(e.id), uscc: e.uscc as string, name: e.name as string };
  }

  /**
   * An enterprise's coded inspections of a year, for admins and regulators (see ofEnterprise).
   * @throws NotFoundException (404) an unregistered USCC
   */
  async forStaff(uscc: string, year: number | undefined, user: AuthUser): Promise<EnterpriseVisitsView> {
    return this.ofEnterprise(
      await this.enterprise(uscc),
      year ?? Number(todayInShanghai().slice(0, 4)),
      user,
    );
  }

  /**
   * The signed-in enterprise user's own coded inspections of a year (本年检查), each with `rated`
   * and `canRate`.
   * @throws NotFoundException (404) the user's enterprise is not in the register
   */
  async mine(year: number | undefined, user: AuthUser): Promise<EnterpriseVisitsView> {
    if (!user.enterpriseUscc) throw new NotFoundException('this user acts for no enterprise');
    return this.ofEnterprise(
      await this.enterprise(user.enterpriseUscc),
      year ?? Number(todayInShanghai().slice(0, 4)),
      user,
    );
  }

  /**
   * One inspection of the signed-in enterprise by code number (the rating page): the visit as in
   * `mine`, with the enterprise and the day it was rated.
   * @throws NotFoundException (404) no code of that number
   * @throws ForbiddenException (403, audited `access.denied`) a code of another enterprise
   */
  async myVisit(codeNo: string, user: AuthUser, actor: Actor): Promise<MyVisitView> {
    const [c]: Row[] = await this.dataSource.query(
      `SELECT ${CODE_COLUMNS}, e.uscc, e.name
       FROM check_code c JOIN enterprise e ON e.id = c.enterprise_id LEFT JOIN check_code_rating r ON r.code_id = c.id
       WHERE c.code_no = $1`,
      [codeNo],
    );
    if (!c) throw new NotFoundException(`no inspection code ${codeNo}`);
    if (c.uscc !== user.enterpriseUscc) {
      const reason = `${user.username}: the inspection of code ${codeNo} is of another enterprise`;
      await this.scope.deny(actor, 'check_code', codeNo, reason);
      throw new ForbiddenException('this inspection is of another enterprise');
    }
    return {
      ...this.view(c, c.rated as boolean, true),
      enterprise: { uscc: c.uscc as string, name: c.name as string },
      ratedOn: (c.rated_on as string | null) ?? null,
    };
  }
}
