/**
 * The check of a prepaid risk model before it is stored (POST /api/prepaid/models). Pure.
 *
 * The rules slice owns the model's meaning (src/prepaid/rules: validateRiskModel, when it lands);
 * this check holds what the store needs whatever the rules read: a version name, a description,
 * level cuts that never fall (蓝 <= 黄 <= 橙 <= 红, non-negative; equal cuts skip the milder level), and per rule a weight that is a finite
 * number >= 0 and thresholds that are numbers, text or booleans, for known rule keys only.
 */
import { RISK_RULE_KEYS, type RiskModelConfig } from '../../rules/risk-rules.js';

export interface FieldProblem {
  field: string;
  reason: string;
}

/** Version names: letters, digits, dot, dash, underscore, 1 to 40 characters (prepaid-risk-v2). */
export const MODEL_VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/** Every problem of `input` as a model, by field; empty when it may be stored. */
export function riskModelProblems(input: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const err = (field: string, reason: string) => problems.push({ field, reason });
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    err('(body)', 'a model is an object { version, description, levelCuts, rules }');
    return problems;
  }
  const m = input as Record<string, unknown>;
  if (typeof m.version !== 'string' || !MODEL_VERSION_PATTERN.test(m.version))
    err('version', 'letters, digits, . - _ (1 to 40 characters), beginning with a letter or digit');
  if (typeof m.description !== 'string' || !m.description.trim() || m.description.length > 200)
    err('description', '1 to 200 characters');
  const cuts = m.levelCuts as Record<string, unknown> | undefined;
  if (typeof cuts !== 'object' || cuts === null) err('levelCuts', 'required: { blue, yellow, orange, red }');
  else {
    let prev = -Infinity;
    for (const k of ['blue', 'yellow', 'orange', 'red'] as const) {
      const v = cuts[k];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
        err(`levelCuts.${k}`, `a finite number >= 0, not ${JSON.stringify(v)}`);
      else if (v < prev) err(`levelCuts.${k}`, `${v} is below the milder level's cut ${prev}`);
      else prev = v;
    }
    for (const k of Object.keys(cuts))
      if (!['blue', 'yellow', 'orange', 'red'].includes(k)) err(`levelCuts.${k}`, 'not a level');
  }
  const rules = m.rules as Record<string, unknown> | undefined;
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules))
    err('rules', 'required: an object of rule key -> { weight, thresholds... }');
  else
    for (const [key, r] of Object.entries(rules)) {
      if (!(RISK_RULE_KEYS as readonly string[]).includes(key)) {
        err(`rules.${key}`, `not a rule (one of ${RISK_RULE_KEYS.join(', ')})`);
        continue;
      }
      if (typeof r !== 'object' || r === null || Array.isArray(r)) {
        err(`rules.${key}`, 'an object { weight, thresholds... }');
        continue;
      }
      for (const [name, v] of Object.entries(r as Record<string, unknown>)) {
        if (name === 'weight') {
          if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
            err(`rules.${key}.weight`, `a finite number >= 0, not ${JSON.stringify(v)}`);
        } else if (
          !['number', 'string', 'boolean'].includes(typeof v) ||
          (typeof v === 'number' && !Number.isFinite(v))
        )
          err(`rules.${key}.${name}`, `a number, text or boolean, not ${JSON.stringify(v)}`);
      }
      if (!('weight' in (r as object))) err(`rules.${key}.weight`, 'required');
    }
  for (const k of Object.keys(m))
    if (!['version', 'description', 'levelCuts', 'rules'].includes(k)) err(k, 'not a field of a model');
  return problems;
}

/** `input` as a model when it passes riskModelProblems. @throws RangeError naming the first problems */
export function checkedRiskModel(input: unknown): RiskModelConfig {
  const problems = riskModelProblems(input);
  if (problems.length) throw new RangeError(problems.map((p) => `${p.field}: ${p.reason}`).join('; '));
  return input as RiskModelConfig;
}
