import type { RiskModelConfig } from './risk-rules.js';

/**
 * The first prepaid risk model (prepaid-risk-v1). SCAFFOLD: the rules slice sets every rule's weight and
 * thresholds (with the reasons beside the numbers); the evaluation stores it as a prepaid_risk_model row.
 */
export const DEFAULT_RISK_MODEL: RiskModelConfig = {
  version: 'prepaid-risk-v1',
  description: '预付式消费风险预警模型 v1',
  levelCuts: { blue: 10, yellow: 30, orange: 55, red: 80 },
  rules: {} as RiskModelConfig['rules'],
};
