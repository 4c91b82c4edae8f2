import { INestApplicationContext, Logger } from '@nestjs/common';
import seedrandom from 'seedrandom';
import { DataSource } from 'typeorm';
import type { Actor } from '../audit/actor.js';
import { addDays } from '../common/calendar-days.js';
import { todayInShanghai } from '../common/clock.js';
import { buildUscc } from '../common/uscc.js';
import { ScoringService } from '../credit/scoring.service.js';
import {
  type Checked,
  type NormalisedReport,
  type ReportInput,
  type SignalInput,
  checkIssuer,
  checkPayeeAccount,
  checkReport,
  checkSignal,
  checkStore,
  monthEnd,
  reportDueOn,
} from '../prepaid/issuers/prepaid-input.js';
import { PrepaidIssuersService } from '../prepaid/issuers/prepaid-issuers.service.js';
import type { GuaranteeKind, PrepaidSector } from '../prepaid/rules/risk-facts.js';

/** The seed of the prepaid demo (deterministic: the same issuers, reports and signals every load). */
export const DEMO_PREPAID_SEED = 'demo-prepaid-14';

/** Yangpu's twelve streets (街道). */
export const YANGPU_STREETS = [
  '五角场街道',
  '殷行街道',
  '控江路街道',
  '长白新村街道',
  '延吉新村街道',
  '四平路街道',
  '平凉路街道',
  '江浦路街道',
  '大桥街道',
  '定海路街道',
  '新江湾城街道',
  '长海路街道',
] as const;

/** Where each street's stores are (a real road of the street, for believable addresses). */
const ROADS: Record<(typeof YANGPU_STREETS)[number], string> = {
  五角场街道: '淞沪路',
  殷行街道: '嫩江路',
  控江路街道: '控江路',
  长白新村街道: '长白路',
  延吉新村街道: '延吉中路',
  四平路街道: '四平路',
  平凉路街道: '平凉路',
  江浦路街道: '江浦路',
  大桥街道: '长阳路',
  定海路街道: '定海路',
  新江湾城街道: '政和路',
  长海路街道: '长海路',
};

/** How an issuer's story goes: healthy, or one of the drifts toward closure. */
export type DemoPrepaidStory = 'healthy' | 'closing' | 'escrow_short' | 'blitz' | 'silent';

interface Plan {
  index: number;
  name: string;
  sector: PrepaidSector;
  industry: string;
  street: (typeof YANGPU_STREETS)[number];
  guarantee: GuaranteeKind;
  monthly: boolean;
  story: DemoPrepaidStory;
  /** prepaid balance at the start, yuan */
  balanceYuan: number;
}

const SECTOR_PLAN: { sector: PrepaidSector; industry: string; names: string[] }[] = [
  {
    sector: 'fitness',
    industry: 'R8930',
    names: [
      '力健',
      '动感',
      '悦跑',
      '铁馆',
      '燃脂',
      '型动',
      '健维',
      '乐游泳',
      '飞扬',
      '瑜伽时光',
      '康体',
      '速博',
    ],
  },
  {
    sector: 'beauty_hair',
    industry: 'O8060',
    names: ['美丽人生', '发艺坊', '丝域', '名媛', '悦颜', '雅舍', '剪艺', '花漾', '清颜', '秀丽'],
  },
  { sector: 'education_training', industry: 'P8399', names: ['启智', '小画家', '乐学', '英才'] },
  { sector: 'catering', industry: 'H6210', names: ['巷口面馆', '鲜果时光'] },
  { sector: 'laundry', industry: 'O8030', names: ['洁净', '福奈特'] },
];
const SUFFIX: Record<PrepaidSector, string> = {
  fitness: '健身有限公司',
  beauty_hair: '美容美发有限公司',
  education_training: '教育培训有限公司',
  catering: '餐饮管理有限公司',
  laundry: '洗涤服务有限公司',
  other: '有限公司',
};

/** The drifting issuers, by plan index: a closure with less than 30 days' notice, an escrow short, a blitz, a silent one. */
const STORIES: Record<number, DemoPrepaidStory> = {
  0: 'closing',
  12: 'escrow_short',
  3: 'blitz',
  22: 'silent',
};

/** The 30 demo issuers (deterministic). */
export function demoPrepaidPlans(): Plan[] {
  const rand = seedrandom(DEMO_PREPAID_SEED);
  const plans: Plan[] = [];
  let i = 0;
  for (const s of SECTOR_PLAN)
    for (const n of s.names) {
      const story = STORIES[i] ?? 'healthy';
      const g = rand();
      plans.push({
        index: i,
        name: `上海${n}${SUFFIX[s.sector]}`,
        sector: s.sector,
        industry: s.industry,
        street: YANGPU_STREETS[i % YANGPU_STREETS.length]!,
        guarantee:
          story === 'silent' ? 'none' : g < 0.6 ? 'escrow' : g < 0.85 ? 'insurance' : 'bank_guarantee',
        monthly: story !== 'silent' && rand() < 0.5,
        story,
        balanceYuan: Math.round((300_000 + rand() * 2_200_000) / 1000) * 1000,
      });
      i++;
    }
  return plans;
}

/** The demo issuer's USCC (Yangpu 310110; a body of its own so it never meets the generated register). */
export function demoPrepaidUscc(index: number): string {
  return buildUscc('91', '310110', `MA1YP${String(index).padStart(3, '0')}`);
}

/** The first day of the month `back` months before the month of `date`. */
function monthStart(date: string, back: number): string {
  const total = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 - back;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}-01`;
}

function must<T>(c: Checked<T>, what: string): T {
  if (!c.ok)
    throw new Error(`demo prepaid ${what}: ${c.errors.map((e) => `${e.field}: ${e.reason}`).join('; ')}`);
  return c.value;
}

/**
 * Demo prepaid issuers (issue 14), relative to `today`, through the one normalisation
 * (prepaid-input.ts) and PrepaidIssuersService's writes like any other input (audited):
 * 30 issuers on Yangpu's streets, gyms and beauty salons mostly, each a new enterprise of the register
 * (USCC 91310110MA1YP…), with a store, a payee account and two years of monthly or quarterly reports
 * up to the last period over (seeded: DEMO_PREPAID_SEED), and a few signals. Four drift toward closure:
 * - `closing` (a gym): escrow share falling from 45 % to 12 %, sales surging at deep discounts, redemptions
 *   falling, complaints rising over the last three months, and a closure notice posted 5 days ago for 20
 *   days ahead (less than 30 days' notice);
 * - `escrow_short` (a salon): escrow at 18 % of a balance above 200,000 yuan, complaints rising, the payee
 *   account changed a month ago;
 * - `blitz` (a gym): a discount blitz (65 % off, 60-month cards, registered cards over 5,000 yuan) and
 *   sales three times the trend in the last quarter;
 * - `silent` (a training school, no guarantee): the last two quarterly reports missing, unreachable,
 *   unpaid-wage complaints.
 * The rest are healthy (escrow about half the balance, steady sales and redemptions, a rare complaint).
 * Issuers already registered (by USCC) are left. @returns the number of issuers registered
 */
export async function loadDemoPrepaid(
  app: INestApplicationContext,
  actor: Actor,
  today = todayInShanghai(),
): Promise<number> {
  const logger = new Logger('DemoPrepaid');
  const ds = app.get(DataSource);
  const issuers = app.get(PrepaidIssuersService);
  const scoring = app.get(ScoringService);
  const rand = seedrandom(`${DEMO_PREPAID_SEED}:facts`);
  let registered = 0;
  for (const p of demoPrepaidPlans()) {
    const uscc = demoPrepaidUscc(p.index);
    // every issuer draws the same numbers whether or not it is stored already (the rest stay as they were)
    const draws = Array.from({ length: 200 }, () => rand());
    let k = 0;
    const r = () => draws[k++ % draws.length]!;
    if ((await issuers.issuerIdIn(ds, uscc)) !== null) continue;
    const establishedOn = addDays(today, -(900 + Math.floor(r() * 2000)));
    const road = ROADS[p.street];
    const address = `上海市杨浦区${road}${100 + Math.floor(r() * 900)}号`;
    await ds.transaction(async (m) => {
      const [e] = await m.query(
        `INSERT INTO enterprise (uscc, name, entity_type, industry_code, division_code, street, address, established_on, status, source_system, source_key)
         VALUES ($1, $2, 'company', $3, '310110', $4, $5, $6, 'active', 'demo', $7)
         ON CONFLICT (uscc) DO UPDATE SET updated_at = now() RETURNING id`,
        [uscc, p.name, p.industry, p.street, address, establishedOn, uscc],
      );
      const enterpriseId = Number(e.id);
      const issuer = must(
        checkIssuer(
          {
            uscc,
            sector: p.sector,
            guaranteeKind: p.guarantee,
            escrowBank:
              p.guarantee === 'escrow'
                ? ['上海银行杨浦支行', '招商银行五角场支行', '工商银行控江支行'][p.index % 3]
                : null,
            platformRegisteredOn: p.story === 'silent' ? null : addDays(establishedOn, 60),
            platformCode: p.story === 'silent' ? null : `YP-${String(p.index + 1).padStart(4, '0')}`,
            sellingSince: addDays(establishedOn, 30),
          },
          today,
        ),
        'issuer',
      );
      await issuers.registerIn(m, issuer, null, actor, 'demo', uscc);
      const store = must(
        checkStore(
          {
            name: `${p.name.replace(/^上海|有限公司$/g, '')}${p.street.replace('街道', '')}店`,
            address,
            street: p.street,
            openedOn: addDays(establishedOn, 20),
            leaseEndsOn:
              p.story === 'closing' ? addDays(today, 25) : addDays(today, 200 + Math.floor(r() * 900)),
          },
          today,
        ),
        'store',
      );
      const storeId = await issuers.addStoreIn(m, enterpriseId, store, actor);
      const firstAccount = must(
        checkPayeeAccount(
          {
            bank: '招商银行',
            accountNo: String(1000 + Math.floor(r() * 8999)),
            escrow: false,
            fromOn: addDays(establishedOn, 30),
          },
          today,
        ),
        'payee account',
      );
      await issuers.addPayeeAccountIn(m, enterpriseId, firstAccount, null, actor, today, 'demo');
      if (p.story === 'escrow_short') {
        const change = must(
          checkPayeeAccount({ bank: '农商银行', accountNo: '5521', fromOn: addDays(today, -30) }, today),
          'payee change',
        );
        await issuers.addPayeeAccountIn(m, enterpriseId, change, null, actor, today, 'demo');
      }

      // ---- reports: two years of periods up to the last one over
      const periods: { kind: 'month' | 'quarter'; start: string; end: string }[] = [];
      for (let back = 24; back >= 1; back--) {
        const start = monthStart(today, back);
        if (p.monthly) periods.push({ kind: 'month', start, end: monthEnd(start) });
        else if ((Number(start.slice(5, 7)) - 1) % 3 === 0) {
          const end = monthEnd(monthStart(start, -2));
          if (end < today) periods.push({ kind: 'quarter', start, end });
        }
      }
      const reports: NormalisedReport[] = [];
      let balance = p.balanceYuan * 100;
      const months = p.monthly ? 1 : 3;
      periods.forEach((period, n) => {
        const fromEnd = periods.length - 1 - n; // 0: the latest period
        const drifting = p.story !== 'healthy' && fromEnd < (p.monthly ? 6 : 2);
        let soldShare = (0.06 + r() * 0.02) * months;
        let redeemShare = (0.055 + r() * 0.02) * months;
        let escrowShare = 0.45 + r() * 0.15;
        let discount = 10 + Math.floor(r() * 15);
        let term = 12;
        let over = 0;
        if (p.story === 'closing') {
          const steps = p.monthly ? 6 : 2;
          const x = drifting ? (steps - fromEnd) / steps : 0;
          escrowShare = 0.45 - 0.33 * x;
          soldShare *= 1 + 2 * x;
          redeemShare *= 1 - 0.6 * x;
          if (drifting) {
            discount = 50 + Math.floor(20 * x);
            term = 36;
          }
        } else if (p.story === 'escrow_short' && drifting) escrowShare = 0.18;
        else if (p.story === 'blitz' && drifting) {
          soldShare *= 3;
          discount = 65;
          term = 60;
          over = 3 + Math.floor(r() * 5);
        }
        const sold = Math.round(balance * soldShare);
        const redeemed = Math.round(balance * redeemShare);
        const refunds = Math.round(balance * 0.002 * months);
        balance = Math.max(0, balance + sold - redeemed - refunds);
        const count = Math.max(1, Math.round(sold / 100 / (1500 + r() * 1500)));
        const maxCard = Math.min(sold, p.story === 'blitz' && drifting ? 800_000 : 500_000);
        // submitted a week or two after the period ends; the silent one stops reporting
        const submittedOn = addDays(period.end, 5 + Math.floor(r() * 18));
        if (p.story === 'silent' && fromEnd < 2) return;
        if (submittedOn > today) {
          if (reportDueOn(period.end) > today) return; // not due yet: not sent yet
        }
        const input: ReportInput = {
          periodKind: period.kind,
          periodStart: period.start,
          periodEnd: period.end,
          submittedOn: submittedOn > today ? today : submittedOn,
          balanceFen: balance,
          cardsSoldCount: count,
          cardsSoldFen: sold,
          maxCardFen: maxCard,
          anonymousOverLimit: 0,
          registeredOverLimit: over,
          longestTermMonths: term,
          deepestDiscountPct: discount,
          redemptionsFen: redeemed,
          refundsFen: refunds,
          escrowBalanceFen: p.guarantee === 'escrow' ? Math.round(balance * escrowShare) : null,
          insuranceCoverFen:
            p.guarantee === 'insurance' || p.guarantee === 'bank_guarantee'
              ? Math.round(balance * escrowShare)
              : null,
          revenueLastYearFen: Math.round(p.balanceYuan * 100 * (1.5 + r())),
        };
        reports.push(must(checkReport(input, today), `report ${period.start}`));
      });
      for (const rep of reports) await issuers.submitReportIn(m, enterpriseId, rep, null, actor, 'demo');

      // ---- signals
      const signals: SignalInput[] = [];
      const complaint = (daysAgo: number, yuan: number, what: string) =>
        signals.push({
          kind: 'complaint',
          occurredOn: addDays(today, -daysAgo),
          receivedOn: addDays(today, -daysAgo + 1),
          amountFen: yuan * 100,
          storeId,
          summary: what,
          sourceRef: `12315-${p.index}-${daysAgo}`,
        });
      if (p.story === 'healthy') {
        if (r() < 0.4)
          complaint(
            60 + Math.floor(r() * 500),
            800 + Math.floor(r() * 3000),
            '消费者反映预约困难，要求退还余额',
          );
      } else if (p.story === 'closing') {
        for (const d of [85, 62, 40, 31, 22, 15, 9, 6, 3])
          complaint(d, 2000 + d * 37, '会员卡无法正常使用，要求退款');
        signals.push({
          kind: 'promotion',
          occurredOn: addDays(today, -75),
          discountPct: 70,
          termMonths: 36,
          storeId,
          summary: '“闭店前回馈”三折办理三年卡，朋友圈大量转发',
        });
        signals.push({
          kind: 'closure_notice',
          occurredOn: addDays(today, -5),
          effectiveOn: addDays(today, 20),
          storeId,
          summary: '门口张贴“装修暂停营业”公告，称20天后闭店',
        });
        signals.push({
          kind: 'unpaid_wages',
          occurredOn: addDays(today, -12),
          summary: '教练反映两个月未发工资',
        });
      } else if (p.story === 'escrow_short') {
        for (const d of [70, 45, 28, 14, 7]) complaint(d, 3000 + d * 11, '办卡后项目缩水，要求退卡被拒');
      } else if (p.story === 'blitz') {
        signals.push({
          kind: 'promotion',
          occurredOn: addDays(today, -50),
          discountPct: 65,
          termMonths: 60,
          storeId,
          summary: '开业周年“充一万送一万”，五年卡三五折',
        });
        complaint(20, 9800, '销售人员诱导办理五年卡');
      } else if (p.story === 'silent') {
        signals.push({
          kind: 'unreachable',
          occurredOn: addDays(today, -18),
          summary: '登记电话无人接听，门店多日未开门',
        });
        signals.push({
          kind: 'unpaid_wages',
          occurredOn: addDays(today, -25),
          summary: '老师投诉拖欠三个月工资',
        });
        complaint(16, 4800, '课程停课，要求退还剩余课时费');
        complaint(8, 6200, '课程停课，要求退还剩余课时费');
      }
      for (const s of signals)
        await issuers.addSignalIn(
          m,
          enterpriseId,
          must(checkSignal(s, today), `signal ${s.kind}`),
          null,
          actor,
          'demo',
        );
      await scoring.rescoreEnterprise(m, enterpriseId, today);
    });
    registered++;
  }
  logger.log(`demo prepaid issuers: ${registered} registered`);
  return registered;
}
