import { INestApplicationContext, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../audit/actor.js';
import type { AuthUser } from '../auth/auth-user.js';
import { addDays } from '../common/calendar-days.js';
import { todayInShanghai } from '../common/clock.js';
import { PenaltyDecisionsService } from '../penalties/decisions/penalty-decisions.service.js';
import type { PenaltyDecisionInput } from '../penalties/rules/penalty-decision-input.js';

/** `date` minus `months` calendar months (the day clamped to the month's length), YYYY-MM-DD. */
function monthsBefore(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const yy = Math.floor(total / 12);
  const mm = (total % 12) + 1;
  const last = new Date(Date.UTC(yy, mm, 0)).getUTCDate();
  return `${yy}-${String(mm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * Demo penalty decisions (issue 13), recorded through PenaltyDecisionsService.record like any
 * other (credit record, notice, delivery, rescoring, audit), relative to `today`:
 * - the demo-enterprise user's enterprise: a fine whose repair opens in 3 days (decided 3 months
 *   less 2 days ago: the reminder job has something to announce), a fine whose repair has been
 *   open for about a month (decided 4 months ago: the enterprise can apply at once), and a 首违不罚
 *   (no record);
 * - another demo enterprise: a fine with a licence revocation (never ended early);
 * - a third: a fine whose notice was served a day late (an exception of the same-day report).
 * Decisions already stored (by number) are left; a decision its enterprise's establishment date
 * does not allow is skipped. @returns the number recorded
 */
export async function loadDemoPenalties(
  app: INestApplicationContext,
  actor: Actor,
  today = todayInShanghai(),
): Promise<number> {
  const logger = new Logger('DemoPenalties');
  const ds = app.get(DataSource);
  const service = app.get(PenaltyDecisionsService);
  const [own] = await ds.query(
    `SELECT e.uscc, to_char(e.established_on, 'YYYY-MM-DD') AS established_on
       FROM app_user u JOIN enterprise e ON e.id = u.enterprise_id WHERE u.username = 'demo-enterprise'`,
  );
  const others: { uscc: string; established_on: string | null }[] = await ds.query(
    `SELECT uscc, to_char(established_on, 'YYYY-MM-DD') AS established_on FROM enterprise
      WHERE status = 'active' AND ($1::text IS NULL OR uscc <> $1)
        AND (established_on IS NULL OR established_on < $2::date - interval '2 years')
      ORDER BY uscc LIMIT 2`,
    [own?.uscc ?? null, today],
  );
  const year = today.slice(0, 4);
  const soon = addDays(monthsBefore(today, 3), 2);
  const common = {
    partyType: 'organisation',
    procedure: 'general',
    domain: 'general',
    legalBasis: '《中华人民共和国产品质量法》第四十九条',
  };
  const plans: (PenaltyDecisionInput & { establishedOn: string | null })[] = [];
  if (own) {
    plans.push({
      ...common,
      establishedOn: own.established_on,
      decisionNo: `沪市监杨处〔${soon.slice(0, 4)}〕D001号`,
      enterpriseUscc: own.uscc,
      decisionDate: soon,
      penaltyTypes: ['fine', 'confiscation'],
      fineFen: 15_000_000,
      confiscatedFen: 320_000,
      violation: '销售不符合保障人体健康和人身、财产安全的国家标准的电热水壶',
      delivery: { channel: 'in_person', deliveredOn: soon, recipient: '法定代表人' },
    });
    // repair open since about a month: the enterprise can apply at once (the journey of issue 13)
    const open = monthsBefore(today, 4);
    plans.push({
      ...common,
      establishedOn: own.established_on,
      decisionNo: `沪市监杨处〔${open.slice(0, 4)}〕D005号`,
      enterpriseUscc: own.uscc,
      decisionDate: open,
      penaltyTypes: ['fine'],
      fineFen: 12_000_000,
      // another kind of violation than D001's (the repair condition 未再因同类违法行为受到处罚)
      legalBasis: '《中华人民共和国产品质量法》第五十四条',
      violation: '销售的日用消费品未标明产品执行标准和生产日期',
      delivery: { channel: 'in_person', deliveredOn: open, recipient: '法定代表人' },
    });
    plans.push({
      ...common,
      establishedOn: own.established_on,
      decisionNo: `沪市监杨不罚〔${year}〕D002号`,
      enterpriseUscc: own.uscc,
      decisionDate: addDays(today, -5),
      outcome: 'first_offence',
      penaltyTypes: [],
      lenientMatterCode: 'SH-FO-2021-01',
      educationGiven: '当场进行批评教育，责令删除“全网最低价”等绝对化用语，当事人已改正',
      violation: '店招及宣传单使用“最佳”“全网最低价”等绝对化用语',
      legalBasis: '《中华人民共和国广告法》第九条第三项、第五十七条',
      delivery: { channel: 'in_person', deliveredOn: addDays(today, -5) },
    });
  }
  if (others[0])
    plans.push({
      ...common,
      establishedOn: others[0].established_on,
      decisionNo: `沪市监杨处〔${year}〕D003号`,
      enterpriseUscc: others[0].uscc,
      decisionDate: addDays(today, -40),
      penaltyTypes: ['fine', 'licence_revocation'],
      fineFen: 50_000_000,
      domain: 'food',
      violation: '使用非食品原料生产食品',
      legalBasis: '《中华人民共和国食品安全法》第一百二十三条',
      delivery: { channel: 'post', deliveredOn: addDays(today, -38), recipient: '法定代表人' },
    });
  if (others[1])
    plans.push({
      ...common,
      establishedOn: others[1].established_on,
      decisionNo: `沪市监杨处〔${year}〕D004号`,
      enterpriseUscc: others[1].uscc,
      decisionDate: addDays(today, -20),
      penaltyTypes: ['fine'],
      fineFen: 12_000_000,
      violation: '未经许可从事特种设备安装',
      domain: 'special_equipment',
      delivery: {
        channel: 'in_person',
        deliveredOn: addDays(today, -20),
        withNotice: false,
        exceptionReason: '告知书待加盖公章',
      },
    });
  const admin: AuthUser = {
    id: 0,
    username: 'demo-loader',
    displayName: '演示数据',
    role: 'admin',
    department: null,
    credentialNo: null,
    enterpriseId: null,
    enterpriseUscc: null,
  };
  let n = 0;
  for (const { establishedOn, ...p } of plans) {
    const [stored] = await ds.query(`SELECT 1 FROM penalty_decision WHERE decision_no = $1`, [p.decisionNo]);
    if (stored || (establishedOn && establishedOn > (p.decisionDate as string))) continue;
    const d = await service.record({ ...p, department: 'market' }, admin, actor, today);
    n++;
    if (p.decisionNo === `沪市监杨处〔${year}〕D004号`)
      await service.addDelivery(
        d.id,
        {
          documents: ['repair_notice'],
          channel: 'post',
          deliveredOn: addDays(today, -19),
          exceptionReason: '公章加盖后次日邮寄补送',
        },
        admin,
        actor,
        today,
      );
  }
  logger.log(`demo penalty decisions: ${n}`);
  return n;
}
