import { INestApplicationContext, Logger } from '@nestjs/common';
import seedrandom from 'seedrandom';
import { DataSource } from 'typeorm';
import type { Actor } from '../audit/actor.js';
import { addDays, daysBetween } from '../common/calendar-days.js';
import { todayInShanghai } from '../common/clock.js';
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

/** How an issuer's story goes: healthy, or one of the drifts toward closure. */
export type DemoPrepaidStory = 'healthy' | 'closing' | 'escrow_short' | 'blitz' | 'silent';
export const DRIFTING_STORIES: readonly DemoPrepaidStory[] = ['closing', 'escrow_short', 'blitz', 'silent'];

/** A candidate of the register: an enterprise the generated register marks as selling prepaid cards. */
export interface DemoPrepaidCandidate {
  id: number;
  uscc: string;
  name: string;
  industryCode: string | null;
  street: string | null;
  address: string | null;
  establishedOn: string | null;
}

export interface DemoPrepaidPlan extends DemoPrepaidCandidate {
  sector: PrepaidSector;
  story: DemoPrepaidStory;
}

/** The sector of a register industry code (GB/T 4754): 健身 R89, 美容美发 O804-O806, 培训 P83, 洗染 O803, 餐饮 H62. */
export function sectorOfIndustry(code: string | null): PrepaidSector {
  if (!code) return 'other';
  if (code.startsWith('R89')) return 'fitness';
  if (/^O80[4-6]/.test(code)) return 'beauty_hair';
  if (code.startsWith('P8')) return 'education_training';
  if (code.startsWith('O803')) return 'laundry';
  if (code.startsWith('H6')) return 'catering';
  return 'other';
}

/** Months of reports the demo generates back from today (the rules look a year further than two years). */
export const DEMO_PREPAID_REPORT_MONTHS = 36;

/** The most issuers the demo registers. */
export const DEMO_PREPAID_MAX = 30;

/**
 * The demo's issuers among the candidates (gyms and salons first, then in USCC order; at most DEMO_PREPAID_MAX), each with its
 * sector and story: the first gym of two years' standing drifts to closure, the next one into a
 * discount blitz, the first salon falls short of escrow, the first training school goes silent (when a
 * sector is missing, the next candidate of two years' standing takes the story). Pure.
 */
export function planDemoPrepaid(candidates: DemoPrepaidCandidate[], today: string): DemoPrepaidPlan[] {
  const chosen = candidates.slice(0, DEMO_PREPAID_MAX).map((c) => ({
    ...c,
    sector: sectorOfIndustry(c.industryCode),
    story: 'healthy' as DemoPrepaidStory,
  }));
  const old = (c: DemoPrepaidPlan) => c.establishedOn === null || c.establishedOn <= addDays(today, -800);
  const take = (story: DemoPrepaidStory, sector: PrepaidSector | null) => {
    const c =
      chosen.find((x) => x.story === 'healthy' && old(x) && (sector === null || x.sector === sector)) ??
      chosen.find((x) => x.story === 'healthy' && old(x));
    if (c) c.story = story;
  };
  take('closing', 'fitness');
  take('blitz', 'fitness');
  take('escrow_short', 'beauty_hair');
  take('silent', 'education_training');
  return chosen;
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
 * up to 30 enterprises the generated register marks as prepaid issuers (its gyms, salons, training
 * schools and laundries on Yangpu's streets: planDemoPrepaid; no enterprise is added to the register,
 * so its counts and tiers stay as generated), each with a store, a payee account and three years of
 * monthly or quarterly reports (from its selling start when younger) up to the last period over (seeded: DEMO_PREPAID_SEED), and a few signals. Four drift toward closure:
 * - `closing` (a gym): escrow share falling from 45 % to 12 %, sales surging at deep discounts, redemptions
 *   falling, complaints rising over the last three months, and a closure notice posted 5 days ago for 20
 *   days ahead (less than 30 days' notice);
 * - `escrow_short` (a salon): escrow at 18 % of a balance above 200,000 yuan, complaints rising, the payee
 *   account changed a month ago;
 * - `blitz` (a gym): a discount blitz (65 % off, 60-month cards, registered cards over 5,000 yuan) and
 *   sales three times the trend in the last quarter;
 * - `silent` (the first training school of two years' standing, else the next such candidate: in the
 *   generated register a gym; no guarantee): the last two quarterly reports missing, unreachable,
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
  const candidates: DemoPrepaidCandidate[] = (
    await ds.query(
      `SELECT id, uscc, name, industry_code, street, address, to_char(established_on, 'YYYY-MM-DD') AS established_on
         FROM enterprise WHERE prepaid_issuer AND status = 'active' AND (established_on IS NULL OR established_on <= $1)
        ORDER BY (coalesce(industry_code, '') ~ '^(R89|O80[4-6])') DESC, uscc LIMIT $2`,
      [addDays(today, -120), DEMO_PREPAID_MAX],
    )
  ).map((e: Record<string, unknown>) => ({
    id: Number(e.id),
    uscc: (e.uscc as string).trim(),
    name: e.name as string,
    industryCode: (e.industry_code as string | null) ?? null,
    street: (e.street as string | null) ?? null,
    address: (e.address as string | null) ?? null,
    establishedOn: (e.established_on as string | null) ?? null,
  }));
  let registered = 0;
  for (const [index, p] of planDemoPrepaid(candidates, today).entries()) {
    const uscc = p.uscc;
    const rand = seedrandom(`${DEMO_PREPAID_SEED}:${uscc}`);
    const r = () => rand();
    if ((await issuers.issuerIdIn(ds, uscc)) !== null) continue;
    const establishedOn = p.establishedOn ?? addDays(today, -2000);
    const street = p.street ?? YANGPU_STREETS[index % YANGPU_STREETS.length]!;
    const address = p.address ?? `上海市杨浦区${street}`;
    const g = r();
    const guarantee: GuaranteeKind =
      p.story === 'silent' ? 'none' : g < 0.6 ? 'escrow' : g < 0.85 ? 'insurance' : 'bank_guarantee';
    const monthly = p.story !== 'silent' && r() < 0.5;
    const balanceYuan = Math.round((300_000 + r() * 2_200_000) / 1000) * 1000;
    const sellingSince = addDays(establishedOn, 30) <= today ? addDays(establishedOn, 30) : establishedOn;
    await ds.transaction(async (m) => {
      const enterpriseId = p.id;
      const issuer = must(
        checkIssuer(
          {
            uscc,
            sector: p.sector,
            guaranteeKind: guarantee,
            escrowBank:
              guarantee === 'escrow'
                ? ['上海银行杨浦支行', '招商银行五角场支行', '工商银行控江支行'][index % 3]
                : null,
            platformRegisteredOn: p.story === 'silent' ? null : sellingSince,
            platformCode: p.story === 'silent' ? null : `YP-${String(index + 1).padStart(4, '0')}`,
            sellingSince,
          },
          today,
        ),
        'issuer',
      );
      await issuers.registerIn(m, issuer, null, actor, 'demo', `demo-${p.story}-${index}`);
      const store = must(
        checkStore(
          {
            name: `${p.name.replace(/^上海(市)?/, '').replace(/(有限公司|有限责任公司|经营部|店)$/, '')}${street.replace('街道', '')}店`,
            address,
            street,
            openedOn: establishedOn,
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
            fromOn: sellingSince,
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

      // ---- reports: three years of periods up to the last one over (the rules look back a year
      // further than the two years shown; from the selling start when younger)
      const periods: { kind: 'month' | 'quarter'; start: string; end: string }[] = [];
      for (let back = DEMO_PREPAID_REPORT_MONTHS; back >= 1; back--) {
        const start = monthStart(today, back);
        // the period in which it began selling is reported too (domain.md 6: every quarter it sold in)
        if (monthly) {
          if (monthEnd(start) >= sellingSince) periods.push({ kind: 'month', start, end: monthEnd(start) });
        } else if ((Number(start.slice(5, 7)) - 1) % 3 === 0) {
          const end = monthEnd(monthStart(start, -2));
          if (end >= sellingSince && end < today) periods.push({ kind: 'quarter', start, end });
        }
      }
      const reports: NormalisedReport[] = [];
      let balance = balanceYuan * 100;
      const months = monthly ? 1 : 3;
      periods.forEach((period, n) => {
        const fromEnd = periods.length - 1 - n; // 0: the latest period
        const drifting = p.story !== 'healthy' && fromEnd < (monthly ? 6 : 2);
        let soldShare = (0.06 + r() * 0.02) * months;
        let redeemShare = (0.055 + r() * 0.02) * months;
        let escrowShare = 0.45 + r() * 0.15;
        let discount = 10 + Math.floor(r() * 15);
        let term = 12;
        let over = 0;
        if (p.story === 'closing') {
          const steps = monthly ? 6 : 2;
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
        // an issuer selling for under a year holds all of a balance above 200,000 yuan (domain.md 6);
        // only the drift lowers a drifting issuer's cover
        if (!drifting && daysBetween(sellingSince, period.end) < 365) escrowShare = 1;
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
          escrowBalanceFen: guarantee === 'escrow' ? Math.round(balance * escrowShare) : null,
          insuranceCoverFen:
            guarantee === 'insurance' || guarantee === 'bank_guarantee'
              ? Math.round(balance * escrowShare)
              : null,
          // every issuer's balance stays under 20 % of last year's revenue (so 40 % cover is what it
          // owes; it holds 45-60 %): for a drifting one the drift (cover 45 % -> 12 %) raises the level
          revenueLastYearFen: Math.round(balance * (6 + 3 * r())),
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
          sourceRef: `12315-${index}-${daysAgo}`,
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
    });
    registered++;
  }
  logger.log(`demo prepaid issuers: ${registered} registered`);
  return registered;
}
