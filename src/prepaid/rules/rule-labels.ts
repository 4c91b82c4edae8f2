import type { RiskLevel } from './risk-facts.js';
import type { RiskRuleKey } from './risk-rules.js';

/** The Chinese name of each risk rule, for pages and documents (issue 14; docs/prepaid.md "Risk rules"). */
export const RISK_RULE_LABELS: Record<RiskRuleKey, string> = {
  escrow_shortfall: '资金存管不足',
  card_over_limit: '超限额发卡',
  report_late: '报送迟延',
  report_missing: '逾期未报送',
  complaint_surge: '投诉激增',
  sales_surge: '售卡激增',
  long_term_or_deep_discount: '长期限或大幅折扣预售',
  redemption_fall: '兑付下降',
  closure_short_notice: '停业或迁址未提前30日告知',
  lease_ending: '租约即将到期',
  unreachable: '无法联系',
  payee_or_entity_change: '收款账户或经营主体变更',
  unpaid_wages: '欠薪',
  penalties_1y: '一年内行政处罚',
  lawsuits: '涉诉',
  anomaly_listing: '列入经营异常名录',
  credit_tier: '信用风险分类',
};

/** The Chinese name of each risk level (蓝/黄/橙/红). */
export const RISK_LEVEL_LABELS: Record<RiskLevel, string> = {
  none: '无',
  blue: '蓝色',
  yellow: '黄色',
  orange: '橙色',
  red: '红色',
};
