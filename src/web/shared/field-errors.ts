/**
 * Field errors of a refused form (422 `errors: [{ field, reason }]`, and the 409s that name a
 * field), shown beside the field they concern. The API's reasons are English; the ones a person
 * meets on these pages are said in Chinese here, the others are shown as the API wrote them.
 */
import { reactive } from 'vue';
import { ApiError } from './api';

export { PASSWORD_POLICY, passwordProblemZh } from './password-policy';

const REASONS: [RegExp, string][] = [
  [/blank \(only spaces\)$/, '不能只填空格'],
  [/^at least 10 characters/, '密码至少10个字符'],
  [/^no spaces at the start or the end/, '密码首尾不能有空格'],
  [/^at least 5 different characters/, '密码至少包含5个不同的字符'],
  [/^at most 72 bytes/, '密码不能超过72个字节'],
  [/^needs at least one letter and one digit/, '密码至少包含一个字母和一个数字'],
  [/^must not contain the username/, '密码不能包含用户名'],
  [/^required for role/, '此角色必须填写'],
  [/^only for role/, '此角色不填写此项'],
  [/^3-64 of a-z 0-9/, '用户名为3至64位小写字母、数字或 . _ -，以字母或数字开头'],
  [/^4-32 letters, digits or dashes/, '执法证号为4至32位字母、数字、汉字或短横线'],
  [/is not in the register/, '企业名录中没有此统一社会信用代码'],
  [/check digit|USCC|uscc/, '统一社会信用代码格式或校验位不正确'],
  [/^username .* is taken/, '用户名已被使用'],
  [/^credential number .* belongs to another user/, '执法证号已属于其他用户'],
  [/must not be (less|greater) than|must be an integer/, '请输入范围内的整数'],
  [/must be a positive whole number written in digits/, '编号应为正整数（只写数字）'],
  [/^you cannot deactivate yourself/, '不能停用自己的账号'],
  [/^the last admin cannot be/, '这是最后一位在用的系统管理员，不能停用或删除'],
  [/^the current password is wrong/, '当前密码不正确'],
  // annual plans (src/inspections/plans/rules/plan-policy.ts)
  [/^required$/, '必填'],
  [/^must not be blank$/, '不能为空'],
  [/^is longer than (\d+) characters/, '超出长度限制'],
  [
    /^文件名contains (the invisible formatting character|a NUL|the control character|the noncharacter|an undecodable byte|a lone surrogate)/,
    '文件名含有看不见的格式字符或无法保存的字符（如从右到左控制符、零宽空格），请重命名文件后重新选择',
  ],
  [/invisible formatting character/, '含有看不见的格式字符（如从右到左控制符、零宽空格），请删除后重新输入'],
  [
    /contains (a NUL|the control character|the noncharacter|an undecodable byte|a lone surrogate)/,
    '含有无法保存的字符，请删除后重新输入',
  ],
  [/^at least one item$/, '请至少选择一个检查事项'],
  [/^at least one batch$/, '请至少添加一个批次'],
  [/^item \S+ is inactive$/, '该检查事项已停用'],
  [/^unknown item /, '检查事项清单中没有该事项'],
  [/which is neither the lead nor a joint department$/, '该事项所属部门既不是牵头部门也不是联合部门'],
  [/^is the lead department/, '牵头部门不能同时作为联合部门'],
  [/is listed twice$/, '重复选择'],
  [/^must be a number from 0 to 1$/, '抽查比例应在0%至100%之间'],
  [/^at most 6 decimals$/, '抽查比例最多保留四位小数的百分比'],
  [/^the best tier .* gets no routine checks/, '风险最低的一类企业无事不扰，抽查比例须为0'],
  [/^must be an integer from 0 to 100$/, '年度检查上限应为0至100的整数'],
  [/^must be a date YYYY-MM-DD$/, '请选择日期'],
  [/^must lie in the plan's year (\d+)$/, '批次时间须在计划年度内'],
  [/^must not be before windowStart/, '结束日期不能早于开始日期'],
  [/^overlaps batches\[(\d+)\]/, '与其他批次的时间重叠'],
  [/^the same name as batches/, '批次名称重复'],
  [/^a new version keeps the (year|lead department)/, '新版本须沿用原计划的年度和牵头部门'],
  [/^must be an integer from 2000 to 2100$/, '年度应为2000至2100之间的整数'],
  [/ is over: a plan is made for this year/, '该年度已过，计划只能为本年度或以后年度制定'],
  // event triggers (issue 11)
  [/ is not in the item list$/, '随机抽查事项清单中没有此事项'],
  [/ is an item of \w+, not of \w+$/, '该事项不属于所选检查部门'],
  [/ is not active$/, '该事项已停用'],
  [/ is given twice$/, '同一事项填写了两次'],
  [/ is after today/, '不能晚于今天'],
  [
    / is more than two years ago/,
    '收到日期超过两年：违法行为两年内未被发现的不再给予行政处罚（行政处罚法第三十六条）',
  ],
  [/ cannot be inspected/, '该企业已不在营业状态，无法检查'],
  [/^give at least one item to check/, '请至少选择一个检查事项'],
  [
    /inspector\(s\) on the roster qualified for every item/,
    '本部门名录库中具备全部检查事项资格且无需回避的执法检查人员不足2名',
  ],
  [/ is before from /, '截止日期不能早于起始日期'],
];

/** A reason of the API in Chinese (or as written when not known). */
export function reasonZh(reason: string): string {
  for (const [pattern, zh] of REASONS) if (pattern.test(reason)) return zh;
  return reason;
}

/** The field a 409 concerns, from its message (users.service.ts refuseTaken), or null. */
export function conflictField(e: ApiError): string | null {
  if (e.status !== 409) return null;
  if (/^username /.test(e.detail)) return 'username';
  if (/^credential number /.test(e.detail)) return 'credentialNo';
  return null;
}

/**
 * The errors of a form by field: `errors.password` is shown beside the password field
 * (`<el-form-item :error="errors.password">`). `take(e)` keeps the field errors of a refusal and
 * answers whether there were any (else the page shows the refusal's message in an alert).
 */
export function useFieldErrors() {
  const errors = reactive<Record<string, string>>({});
  function clear(): void {
    for (const k of Object.keys(errors)) delete errors[k];
  }
  function take(e: unknown, rename: Record<string, string> = {}): boolean {
    clear();
    if (!(e instanceof ApiError)) return false;
    const field = conflictField(e);
    if (field) {
      errors[rename[field] ?? field] = reasonZh(e.detail);
      return true;
    }
    if (e.status !== 422) return false;
    const named = e.fields.filter((f) => !f.field.startsWith('('));
    for (const f of named) {
      const key = rename[f.field] ?? f.field;
      errors[key] = errors[key] ? `${errors[key]}；${reasonZh(f.reason)}` : reasonZh(f.reason);
    }
    return named.length > 0;
  }
  return { errors, clear, take };
}

/** The message to show for a refusal: the Chinese sentence, and the API's own words after it. */
export function messageOf(e: unknown): string {
  if (e instanceof ApiError) {
    const zh = reasonZh(e.detail);
    return zh !== e.detail ? zh : e.detail && e.status !== 0 ? `${e.message}（${e.detail}）` : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
