import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { departmentName, INSPECTING_DEPARTMENTS } from '../auth/roles.js';
import { todayInShanghai } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.token.js';
import type { AppConfig } from '../config/configuration.js';
import { newlyRegistered, REMINDER_PARAMETERS } from '../credit-repair/reminders/rules/reminder-rules.js';
import type { ComplianceNoticeView } from './dto/compliance-notice.dto.js';
import { NoticeItemFacts, noticeSections } from './rules/compliance-notice.js';

/**
 * 新入经营主体合规告知: what applies to an enterprise's industry from the item list (the
 * inspection items and their requirements), and whether it is newly registered (the reminders
 * job tells such an enterprise once: compliance_notice).
 */
@Injectable()
export class ComplianceNoticeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The notice of the user's enterprise as of `today` (YYYY-MM-DD).
   * @throws NotFoundException (404) for an account linked to no enterprise
   */
  async forUser(user: AuthUser, today: string = todayInShanghai()): Promise<ComplianceNoticeView> {
    if (user.enterpriseId === null) throw new NotFoundException('this account acts for no enterprise');
    const [e] = (await this.dataSource.query(
      `SELECT name, industry_code, established_on, status FROM enterprise WHERE id = $1`,
      [user.enterpriseId],
    )) as { name: string; industry_code: string | null; established_on: string | null; status: string }[];
    if (!e) throw new NotFoundException('this account acts for no enterprise');
    const rows = (await this.dataSource.query(
      `SELECT code, name, department, legal_basis, check_method, industries, requirements, active
       FROM inspection_item WHERE active`,
    )) as Record<string, unknown>[];
    const items: NoticeItemFacts[] = rows.map((r) => ({
      code: r.code as string,
      name: r.name as string,
      department: r.department as string,
      legalBasis: r.legal_basis as string,
      checkMethod: r.check_method as string,
      industries: r.industries as string[],
      requirements: r.requirements as string[],
      active: r.active as boolean,
    }));
    const newDays = REMINDER_PARAMETERS.complianceNoticeNewDays.value;
    return {
      enterpriseName: e.name,
      industryCode: e.industry_code,
      establishedOn: e.established_on,
      newlyRegistered: newlyRegistered({ establishedOn: e.established_on, status: e.status }, today, newDays),
      newDays,
      sections: noticeSections(e.industry_code, items, INSPECTING_DEPARTMENTS).map((s) => ({
        department: s.department,
        departmentName: departmentName(this.config.DISTRICT_NAME, s.department),
        items: s.items.map((i) => ({
          code: i.code,
          name: i.name,
          legalBasis: i.legalBasis,
          checkMethod: i.checkMethod,
          requirements: [...i.requirements],
        })),
      })),
    };
  }
}
