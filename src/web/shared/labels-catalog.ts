/**
 * Chinese labels of the item list's, roster's and recusal codes (issue 11). Each table is a copy
 * of the backend's own (src/inspections/catalog/rules/catalog-input.ts), kept equal by
 * labels-catalog.spec.ts.
 */

/** 检查方式: CHECK_METHOD_LABELS. */
export const CHECK_METHOD_LABELS: Record<string, string> = {
  on_site: '现场检查',
  documents: '书面检查',
  data: '数据核查',
};

/** 回避状态: RECUSAL_STATUSES. */
export const RECUSAL_STATUS_LABELS: Record<string, string> = {
  pending: '待审核',
  approved: '已同意',
  rejected: '已驳回',
};

/** 回避来源: RECUSAL_SOURCES (申报: the inspector's own; 申请: the enterprise's request). */
export const RECUSAL_SOURCE_LABELS: Record<string, string> = {
  inspector: '执法人员申报',
  enterprise: '企业申请',
  regulator: '监管人员登记',
};

/** Element Plus tag types of the recusal states. */
export const RECUSAL_STATUS_TAGS: Record<string, 'warning' | 'success' | 'info'> = {
  pending: 'warning',
  approved: 'success',
  rejected: 'info',
};

/**
 * The catalog's refusals (src/inspections/catalog/rules/catalog-input.ts, the importers) in
 * Chinese, for the import report and the forms; a reason not listed is shown as the API wrote it.
 */
const CATALOG_REASONS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^required$/, () => '必须填写'],
  [/^required for a full-coverage item/, () => '全覆盖事项须填写每年法定检查次数'],
  [/^only for a full-coverage item/, () => '非全覆盖事项不填写每年检查次数'],
  [/^must be one of on_site, documents, data/, () => '检查方式须为 现场检查、书面检查 或 数据核查'],
  [/^must be true or false/, () => '须填写“是”或“否”'],
  [/^unknown department/, () => '部门不正确'],
  [/^must be 1-40 of A-Z/, () => '事项编码为1至40位字母、数字或 . _ -，以字母或数字开头'],
  [/^'(.+)' is not a GB\/T 4754 industry/, (m) => `“${m[1]}”不是国民经济行业代码（如 H、H62、F5229）`],
  [/^at least one compliance requirement/, () => '至少填写一条检查要求'],
  [/^the same requirement given twice/, () => '检查要求重复'],
  [/^'(.+)' given twice/, (m) => `“${m[1]}”重复`],
  [/^must be an integer from 1 to 52/, () => '每年检查次数须为1至52的整数'],
  [/^'(.+)' is not a whole number/, (m) => `“${m[1]}”不是整数`],
  [/^longer than (\d+) characters/, (m) => `不能超过${m[1]}个字`],
  [/^item (.+) already given at line (\d+)/, (m) => `事项 ${m[1]} 已在第${m[2]}行出现`],
  [/^inspector (.+) already given at line (\d+)/, (m) => `该人员已在第${m[2]}行出现`],
  [/^a regulator of \w+ imports items of \w+ only/, () => '只能导入本部门的事项'],
  [/^a regulator of \w+ keeps the roster of \w+ only/, () => '只能维护本部门的执法检查人员'],
  [/^no user '(.+)'/, (m) => `没有用户名为“${m[1]}”的账号`],
  [/^no inspector holds credential number '?([^']+)'?/, (m) => `没有持执法证号 ${m[1]} 的执法检查人员`],
  [/is a (\w+), not an inspector/, () => '该账号不是执法检查人员'],
  [/is an inspector of (\w+), not of (\w+)/, () => '部门与该人员账号的部门不一致'],
  [/^unknown item '(.+)'/, (m) => `事项清单中没有“${m[1]}”`],
  [/^item (.+) belongs to department/, (m) => `事项 ${m[1]} 不属于该人员所在部门`],
  [/^item (.+) is deactivated/, (m) => `事项 ${m[1]} 已停用`],
  [
    /listed by published plan (.+?): only 'active' may change/,
    (m) => `已发布的计划 ${m[1]} 列有此事项，只能停用或启用，不能修改内容`,
  ],
  [/fields, the header has/, () => '列数与表头不一致'],
];

/** A catalog refusal in Chinese (else the shared translations, else as written). */
export function catalogReasonZh(reason: string, fallback: (r: string) => string = (r) => r): string {
  for (const [pattern, zh] of CATALOG_REASONS) {
    const m = pattern.exec(reason);
    if (m) return zh(m);
  }
  return fallback(reason);
}

/** Puts the field errors of a form (useFieldErrors, joined by '；') into Chinese with catalogReasonZh, in place. */
export function catalogErrorsZh(errors: Record<string, string>): void {
  for (const k of Object.keys(errors))
    errors[k] = errors[k]!.split('；')
      .map((r) => catalogReasonZh(r))
      .join('；');
}
