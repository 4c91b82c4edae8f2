/**
 * Labels the enterprise's pages show: the shared tables (shared/labels-credit.ts, each a copy of
 * its backend source kept equal by a unit test) under the names these pages use, and the
 * password-policy reasons through the workbench's one translation (shared/field-errors.ts).
 * A code missing here shows as is.
 */
import { reasonZh } from '../shared/field-errors';
import {
  CASE_TYPE_LABELS,
  CHANGE_ITEM_LABELS,
  ENTITY_TYPE_LABELS,
  INSPECTION_OUTCOME_LABELS,
  LIST_TYPE_LABELS,
  PENALTY_TYPE_LABELS,
  PROCEDURE_LABELS,
  RECORD_KIND_LABELS,
  SPOT_CHECK_OUTCOME_LABELS,
} from '../shared/labels-credit';

export { CHANGE_ITEM_LABELS, ENTITY_TYPE_LABELS, LIST_TYPE_LABELS, PENALTY_TYPE_LABELS, PROCEDURE_LABELS };

/** 信用记录类别 */
export const KIND_LABELS = RECORD_KIND_LABELS;

/** outcomes of inspections and spot checks, and judicial case types */
export const OUTCOME_LABELS: Record<string, string> = {
  ...INSPECTION_OUTCOME_LABELS,
  ...SPOT_CHECK_OUTCOME_LABELS,
  ...CASE_TYPE_LABELS,
};

/** The Chinese of a password-policy refusal (422 field newPassword), about the new password. */
export function passwordProblemLabel(reason: string): string {
  if (/^required/.test(reason)) return '请输入新密码';
  const zh = reasonZh(reason);
  return zh === reason || !zh.startsWith('密码')
    ? '新密码不符合密码规则：至少10个字符，包含字母和数字'
    : `新${zh}`;
}

/** `labels[code]`, or the code itself when it has no label; null/empty -> '—'. */
export { labelOf as label } from '../shared/dictionaries';
