/**
 * Chinese labels of prepaid-consumption risk early warning (预付式消费风险预警, issue 14), shared by the
 * data pages, the risk pages and the alert pages. The codes are those of the schema
 * (migrations/1765929600000-prepaid-early-warning.ts) and of src/prepaid/rules/risk-facts.ts;
 * labels-prepaid.spec.ts checks that every code has its label and no other.
 */

/** 行业 (prepaid_issuer.sector). */
export const PREPAID_SECTOR_LABELS: Record<string, string> = {
  beauty_hair: '美容美发',
  fitness: '运动健身',
  education_training: '教育培训',
  catering: '餐饮',
  laundry: '洗染',
  other: '其他',
};

/** 资金保障方式 (prepaid_issuer.guarantee_kind). */
export const GUARANTEE_KIND_LABELS: Record<string, string> = {
  escrow: '资金存管',
  insurance: '履约保证保险',
  bank_guarantee: '银行保函',
  none: '无',
};

/** 风险等级 (prepaid_level.level); 'none' is 无 (no rule fired enough). */
export const RISK_LEVEL_LABELS: Record<string, string> = {
  none: '无',
  blue: '蓝',
  yellow: '黄',
  orange: '橙',
  red: '红',
};
/** The long form, for headings and tags (蓝色预警 ...). */
export const RISK_LEVEL_LONG_LABELS: Record<string, string> = {
  none: '无风险提示',
  blue: '蓝色提示',
  yellow: '黄色预警',
  orange: '橙色预警',
  red: '红色预警',
};
/** Display colours of the levels (map, tags). */
export const RISK_LEVEL_COLORS: Record<string, string> = {
  none: '#909399',
  blue: '#409eff',
  yellow: '#e6a23c',
  orange: '#f56c2d',
  red: '#f56c6c',
};

/** 预警信号 kinds (prepaid_signal.kind). */
export const SIGNAL_KIND_LABELS: Record<string, string> = {
  complaint: '预付卡投诉',
  closure_notice: '停业（关店）公告',
  moving_notice: '迁址公告',
  unreachable: '无法联系',
  promotion: '大额折扣或长期预售促销',
  payee_change: '收款账户变更',
  entity_change: '经营主体变更',
  unpaid_wages: '欠薪投诉',
  lawsuit: '诉讼',
  public_opinion: '舆情',
};

/** 报送周期 (prepaid_report.period_kind). */
export const PERIOD_KIND_LABELS: Record<string, string> = {
  quarter: '季度',
  month: '月度',
};

/** 预警状态 (prepaid_alert.status). */
export const ALERT_STATUS_LABELS: Record<string, string> = {
  open: '待分派',
  assigned: '已分派',
  disposing: '处置中',
  feedback: '已反馈',
  closed: '已办结',
};

/** 预警事件 (prepaid_alert_event.kind). */
export const ALERT_EVENT_LABELS: Record<string, string> = {
  opened: '预警生成',
  raised: '预警升级',
  assigned: '分派',
  disposal: '处置',
  feedback: '反馈',
  closed: '办结',
};

/** 处置方式 (prepaid_disposal.kind). */
export const DISPOSAL_KIND_LABELS: Record<string, string> = {
  interview: '约谈',
  warning_letter: '警示函',
  onsite_check: '现场检查',
  stop_prepayment_order: '责令停止收取预付款',
  referral: '移送',
};

/** 处置结果 (prepaid_alert.outcome). */
export const ALERT_OUTCOME_LABELS: Record<string, string> = {
  risk_resolved: '风险已消除',
  risk_reduced: '风险已降低',
  risk_persists: '风险仍存在',
  business_closed: '已停业',
  referred: '已移送',
};

/** A label or the code itself when unknown (never an empty cell). */
export function prepaidLabel(labels: Record<string, string>, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—';
  return labels[code] ?? code;
}

/** The levels an alert may have (yellow or worse: risk-facts.ts ALERT_LEVELS), mildest first. */
export const ALERT_LEVELS = ['yellow', 'orange', 'red'] as const;

/**
 * Colours of the level tags and the map's tiles (the risk pages): background and text, each pair at
 * least 4.5:1 (WCAG AA, axe in the browser tests; yellow keeps dark text on a light yellow).
 */
export const RISK_LEVEL_TAG_COLORS: Record<string, { background: string; text: string }> = {
  none: { background: '#5c6470', text: '#ffffff' },
  blue: { background: '#1d5fa8', text: '#ffffff' },
  yellow: { background: '#f6d84a', text: '#3b2f00' },
  orange: { background: '#b54a00', text: '#ffffff' },
  red: { background: '#b3261e', text: '#ffffff' },
};

/** Element Plus tag types of the alert statuses. */
export const ALERT_STATUS_TAGS: Record<string, 'danger' | 'warning' | 'primary' | 'success' | 'info'> = {
  open: 'danger',
  assigned: 'warning',
  disposing: 'primary',
  feedback: 'success',
  closed: 'info',
};

/** 预警规则: a copy of src/prepaid/rules/rule-labels.ts (labels-prepaid-risk.spec.ts keeps it equal). */
export const RISK_RULE_LABELS: Record<string, string> = {
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
