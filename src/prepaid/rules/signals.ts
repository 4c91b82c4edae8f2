/**
 * Rules on signals and credit records: complaints, closing or moving notices, leases, being unreachable,
 * payee or entity changes, unpaid wages, penalties, lawsuits, anomaly listing, the credit tier (issue 14
 * "Risk rules"; domain.md 4 and 6).
 */
import { RISK_LEVELS, type RiskLevel } from './risk-facts.js';
import type { RiskModelConfig, RuleOutcome } from './risk-rules.js';
import {
  type RuleContext,
  SOURCES,
  chineseDate,
  countWithin,
  day,
  outcome,
  param,
  ramp,
  recentSignals,
  yuan,
} from './rule-kit.js';

/**
 * complaint_surge (投诉激增): prepaid-card complaints received in the last `windowDays` against the
 * expected count: the highest of the issuer's own rate over the `baselineDays` before the window (when
 * it has at least `windowDays` of such history), its sector's rate (IssuerFacts.sectorComplaintsPer90d,
 * scaled to the window) and `minBaseline`. Value: recent / expected; fires when the recent count reaches
 * `minCount` and the ratio `surgeRatio`; strength grows with the ratio (full at `fullRatio`) or with the
 * amounts complained of (full at `amountFullFen`), whichever is higher.
 * Source: monitoring practice (domain.md 6: complaint surges); 上海市单用途预付消费卡管理规定 (2018).
 */
export function complaintSurge(ctx: RuleContext, model: RiskModelConfig): RuleOutcome {
  const p = (k: string) => param(model, 'complaint_surge', k);
  const windowDays = p('windowDays');
  const baselineDays = p('baselineDays');
  const windowFrom = ctx.asOfDay - windowDays + 1;
  const baseFrom = windowFrom - baselineDays;
  const sinceDay = ctx.facts.sellingSince ? day(ctx.facts.sellingSince) : null;
  const historyDays = Math.min(baselineDays, sinceDay === null ? baselineDays : windowFrom - sinceDay);
  let recent = 0;
  let amount = 0;
  let before = 0;
  for (const s of ctx.signals) {
    if (s.kind !== 'complaint') continue;
    const k = day(s.receivedOn);
    if (k >= windowFrom) {
      recent++;
      amount += s.amountFen ?? 0;
    } else if (k >= baseFrom) before++;
  }
  const own = historyDays >= windowDays ? (before * windowDays) / historyDays : 0;
  const sector =
    ctx.facts.sectorComplaintsPer90d === null ? 0 : (ctx.facts.sectorComplaintsPer90d * windowDays) / 90;
  const expected = Math.max(own, sector, p('minBaseline'));
  const ratio = Math.round((recent / expected) * 100) / 100;
  const at = p('surgeRatio');
  const fired = recent >= p('minCount') && ratio >= at;
  const strength = Math.max(ramp(ratio, at, p('fullRatio')), ramp(amount, 0, p('amountFullFen'), 0));
  return outcome(model, 'complaint_surge', {
    fired,
    strength,
    value: ratio,
    threshold: at,
    unit: '倍',
    reason: `近${windowDays}天预付卡投诉${recent}件（涉及${yuan(amount)}），预期${Math.round(expected * 10) / 10}件（自身此前${Math.round(own * 10) / 10}件、同行业${Math.round(sector * 10) / 10}件），为预期的${ratio}倍，${fired ? '达到' : '未达'}${at}倍且不少于${p('minCount')}件`,
    source: {
      document: `${SOURCES.practice}；${SOURCES.shanghai2018}`,
      article: '投诉激增为预付式消费风险预警信号',
    },
  });
}

const isLevel = (x: unknown): x is RiskLevel => (RISK_LEVELS as readonly unknown[]).includes(x);

/**
 * closure_short_notice (停业/迁址未提前30日告知): closing or moving notices received in the last
 * `lookbackDays` whose announced day is at most `afterDays` past, and the closure of an issuer's last
 * open store without a notice (0 days' notice). Notice = announced day - the day the notice was given
 * (occurredOn; an undated notice counts 0 days). Under `minNoticeDays` (30): fires with floor red. A
 * closure with 30 days or more still fires (refund arrangements must be checked), with floor
 * `longClosureFloor`; a move with 30 days or more fires at `longMoveStrength` of the weight, no floor.
 * Value: the shortest notice in days. Source: 上海市单用途预付消费卡管理规定 (2018): 30 days' notice
 * before closing or moving; closing without refund arrangements is a serious-list case (domain.md 6).
 */
export function closureShortNotice(ctx: RuleContext, model: RiskModelConfig): RuleOutcome {
  const p = (k: string) => param(model, 'closure_short_notice', k);
  const min = p('minNoticeDays');
  const afterFrom = ctx.asOfDay - p('afterDays');
  let shortest: number | null = null;
  let closing = false;
  let what = '';
  for (const s of recentSignals(ctx, ['closure_notice', 'moving_notice'], p('lookbackDays'))) {
    const effective = s.effectiveOn ?? s.occurredOn;
    if (day(effective) < afterFrom) continue;
    const notice = s.effectiveOn ? Math.max(0, day(s.effectiveOn) - day(s.occurredOn)) : 0;
    const isClosure = s.kind === 'closure_notice';
    // the worst notice decides: short before long, closing before moving at the same notice
    if (shortest === null || notice < shortest || (notice === shortest && isClosure && !closing)) {
      shortest = notice;
      closing = isClosure;
      what = `${chineseDate(s.occurredOn)}告知${isClosure ? '停业' : '迁址'}，生效日${s.effectiveOn ? chineseDate(s.effectiveOn) : '未注明'}，提前${notice}天`;
    }
  }
  const stores = ctx.facts.stores;
  if (stores.length) {
    let lastClosed: string | null = null;
    let open = 0;
    for (const st of stores) {
      if (st.openedOn !== null && st.openedOn > ctx.asOf) continue;
      if (st.closedOn !== null && st.closedOn <= ctx.asOf) {
        if (lastClosed === null || st.closedOn > lastClosed) lastClosed = st.closedOn;
      } else open++;
    }
    if (open === 0 && lastClosed !== null && day(lastClosed) >= afterFrom && shortest === null) {
      shortest = 0;
      closing = true;
      what = `全部门店已于${chineseDate(lastClosed)}前关闭，未见停业告知`;
    }
  }
  const fired = shortest !== null;
  const short = fired && shortest! < min;
  const longFloor = model.rules.closure_short_notice.longClosureFloor;
  const floor: RiskLevel | null = short
    ? 'red'
    : closing && isLevel(longFloor) && longFloor !== 'none'
      ? longFloor
      : null;
  return outcome(model, 'closure_short_notice', {
    fired,
    strength: short || closing ? 1 : p('longMoveStrength'),
    floor,
    value: shortest,
    threshold: min,
    unit: '天',
    reason: fired
      ? `${what}，${short ? `不足${min}天，未依规提前告知` : `已提前${min}天以上告知，仍需核实退款安排`}`
      : `近${p('lookbackDays')}天无停业或迁址告知`,
    source: {
      document: SOURCES.shanghai2018,
      article: `停业、迁址应提前30日告知并妥善处理退卡退款；停业未妥善处理退款列入严重失信名单；${SOURCES.verify}`,
    },
  });
}

/**
 * lease_ending (租约即将到期): open stores whose known lease ends within `withinDays` ahead (or ended up
 * to `graceDays` ago without the store being closed). Value: their count; strength grows with their
 * share of the open stores (`baseStrength` for a few, full when all). Source: 沪体规文〔2025〕1号 (stores
 * must publish their lease term so that cards do not outlast it); monitoring practice.
 */
export function leaseEnding(ctx: RuleContext, model: RiskModelConfig): RuleOutcome {
  const p = (k: string) => param(model, 'lease_ending', k);
  const to = ctx.asOfDay + p('withinDays');
  const from = ctx.asOfDay - p('graceDays');
  let open = 0;
  let ending = 0;
  let soonest: string | null = null;
  for (const st of ctx.facts.stores) {
    if (st.openedOn !== null && st.openedOn > ctx.asOf) continue;
    if (st.closedOn !== null && st.closedOn <= ctx.asOf) continue;
    open++;
    if (st.leaseEndsOn === null) continue;
    const k = day(st.leaseEndsOn);
    if (k >= from && k <= to) {
      ending++;
      if (soonest === null || st.leaseEndsOn < soonest) soonest = st.leaseEndsOn;
    }
  }
  const fired = ending > 0;
  const base = p('baseStrength');
  return outcome(model, 'lease_ending', {
    fired,
    strength: open ? base + ((1 - base) * ending) / open : 0,
    value: ending,
    threshold: 1,
    unit: '家门店',
    reason: fired
      ? `${open}家在营门店中${ending}家租约将于${p('withinDays')}天内到期（最早${soonest ? chineseDate(soonest) : ''}）`
      : `在营门店${open}家，${p('withinDays')}天内无租约到期`,
    source: {
      document: `${SOURCES.fitness2025}；${SOURCES.practice}`,
      article: `经营场所租赁期限公示（防止发售超出租期的会员卡）；${SOURCES.verify}`,
    },
  });
}

/**
 * unreachable (无法联系): an `unreachable` signal received in the last `lookbackDays`. Floor red:
 * closing without refund arrangements while unreachable is a serious-list case (domain.md 6).
 * Source: 上海市单用途预付消费卡管理规定 (2018).
 */
export function unreachable(ctx: RuleContext, model: RiskModelConfig): RuleOutcome {
  const days = param(model, 'unreachable', 'lookbackDays');
  const s = recentSignals(ctx, ['unreachable'], days);
  const fired = s.length > 0;
  return outcome(model, 'unreachable', {
    fired,
    floor: 'red',
    value: s.length,
    threshold: 1,
    unit: '次',
    reason: fired
      ? `${chineseDate(s[s.length - 1]!.occurredOn)}起无法联系经营者（近${days}天${s.length}次记录）`
      : `近${days}天无“无法联系”记录`,
    source: {
      document: SOURCES.shanghai2018,
      article: `停业未妥善处理退款且无法联系的，列入严重失信名单；${SOURCES.verify}`,
    },
  });
}

/**
 * payee_or_entity_change (收款账户或经营主体变更): payee-account or operating-entity changes received
 * in the last `lookbackDays`. Fires at 1; full at `fullCount`. Source: monitoring practice (domain.md 6:
 * changed payee account).
 */
export function payeeOrEntityChange(ctx: RuleContext, model: RiskModelConfig): RuleOutcome {
  const days = param(model, 'payee_or_entity_change', 'lookbackDays');
  const s = recentSignals(ctx, ['payee_change', 'entity_change'], days);
  const entity = s.filter((x) => x.kind === 'entity_change').length;
  return outcome(model, 'payee_or_entity_change', {
    fired: s.length > 0,
    strength: ramp(s.length, 1, param(model, 'payee_or_entity_change', 'fullCount')),
    value: s.length,
    threshold: 1,
    unit: '次',
    reason: `近${days}天收款账户变更${s.length - entity}次、经营主体变更${entity}次`,
    source: { document: SOURCES.practice, article: '收款账户变更、经营主体变更为资金转移风险信号' },
  });
}

/**
 * unpaid_wages (欠薪): unpaid-wage complaints received in the last `lookbackDays`. Fires at 1; full at
 * `fullCount`. Source: monitoring practice (wage arrears precede closures).
 */
export function unpaidWages(ctx: RuleContext, model: RiskModelConfig): RuleOutcome {
  const days = param(model, 'unpaid_wages', 'lookbackDays');
  const s = recentSignals(ctx, ['unpaid_wages'], days);
  return outcome(model, 'unpaid_wages', {
    fired: s.length > 0,
    strength: ramp(s.length, 1, param(model, 'unpaid_wages', 'fullCount'), 0.6),
    value: s.length,
    threshold: 1,
    unit: '件',
    reason: `近${days}天欠薪投诉${s.length}件`,
    source: { document: SOURCES.practice, article: '拖欠员工工资为经营困难信号' },
  });
}

/**
 * penalties_1y (一年内行政处罚): penalty decisions within the last 365 days. Fires at 1; at `seriousCount`
 * (2) or more the floor is orange: two or more penalties within a year put a prepaid issuer on the serious
 * list (domain.md 4 and 6). Source: 上海市单用途预付消费卡管理规定 (2018).
 */
export function penalties1y(ctx: RuleContext, model: RiskModelConfig): RuleOutcome {
  const serious = param(model, 'penalties_1y', 'seriousCount');
  const n = countWithin(ctx.penaltyDates, ctx.asOfDay, 365);
  return outcome(model, 'penalties_1y', {
    fired: n > 0,
    strength: ramp(n, 1, serious),
    floor: n >= serious ? 'orange' : null,
    value: n,
    threshold: serious,
    unit: '次',
    reason: `近一年行政处罚${n}次${n >= serious ? `，达到${serious}次，属列入严重失信名单情形` : `（${serious}次及以上列入严重失信名单）`}`,
    source: {
      document: SOURCES.shanghai2018,
      article: `一年内受到两次以上行政处罚的列入严重失信名单；${SOURCES.verify}`,
    },
  });
}

/**
 * lawsuits (涉诉): judicial cases (credit records) and lawsuit signals within the last 365 days. Fires
 * at 1; full at `fullCount`. Source: monitoring practice (domain.md 6: lawsuits).
 */
export function lawsuits(ctx: RuleContext, model: RiskModelConfig): RuleOutcome {
  const judicial = countWithin(ctx.judicialCaseDates, ctx.asOfDay, 365);
  const signals = recentSignals(ctx, ['lawsuit'], 365).length;
  const n = judicial + signals;
  return outcome(model, 'lawsuits', {
    fired: n > 0,
    strength: ramp(n, 1, param(model, 'lawsuits', 'fullCount')),
    value: n,
    threshold: 1,
    unit: '件',
    reason: `近一年司法案件${judicial}件、涉诉线索${signals}件`,
    source: { document: SOURCES.practice, article: '涉诉为预付式消费风险预警信号' },
  });
}

/**
 * anomaly_listing (列入经营异常名录): on the anomaly list on the day; on the serious list the floor is
 * orange. Source: 企业经营异常名录管理暂行办法; 国市监信发〔2022〕6号 (credit risk tiers).
 */
export function anomalyListing(ctx: RuleContext, model: RiskModelConfig): RuleOutcome {
  const { anomalyListed, seriousListed } = ctx.facts.credit;
  const fired = anomalyListed || seriousListed;
  return outcome(model, 'anomaly_listing', {
    fired,
    floor: seriousListed ? 'orange' : null,
    value: seriousListed ? '严重失信名单' : anomalyListed ? '经营异常名录' : '未列入',
    threshold: '经营异常名录',
    unit: '',
    reason: seriousListed
      ? '已列入严重违法失信名单'
      : anomalyListed
        ? '已列入经营异常名录'
        : '未列入经营异常名录或严重失信名单',
    source: { document: `${SOURCES.anomaly}；${SOURCES.samr2022}` },
  });
}

/**
 * credit_tier (信用风险分类): the credit tier in force (A-D) is an input: C adds `cShare` of the weight, D
 * the whole weight. Source: 国市监信发〔2022〕6号 (enterprise credit risk tiers).
 */
export function creditTier(ctx: RuleContext, model: RiskModelConfig): RuleOutcome {
  const tier = ctx.facts.credit.tier;
  const fired = tier === 'C' || tier === 'D';
  return outcome(model, 'credit_tier', {
    fired,
    strength: tier === 'D' ? 1 : param(model, 'credit_tier', 'cShare'),
    value: tier,
    threshold: 'C',
    unit: '类',
    reason: tier ? `信用风险分类为${tier}类${fired ? '（C、D类计分）' : ''}` : '尚无信用风险分类',
    source: { document: SOURCES.samr2022 },
  });
}
