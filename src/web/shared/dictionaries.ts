/**
 * Labels the pages show for the API's codes (RuoYi's 字典: a select's options and a table's
 * labels from one place). Each list is a copy of the backend's constants, named beside it: when
 * the backend adds a code, add its label here; a code without a label is shown as it is.
 */
import type { UserView } from './session';
import { ROLE_LABELS } from './session';
import { DEPARTMENT_NAMES } from './labels-credit';

export interface Option<T extends string = string> {
  value: T;
  label: string;
}

/** The label of `code` in `dict`, or the code itself (an unknown code is never hidden); null -> '—'. */
export function labelOf(dict: Record<string, string>, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—';
  return dict[code] ?? code;
}

/** A dictionary as the options of a select, in its order. */
export function optionsOf<T extends string>(dict: Record<T, string>): Option<T>[] {
  return (Object.entries(dict) as [T, string][]).map(([value, label]) => ({ value, label }));
}

/** Roles: src/auth/roles.ts ROLES / ROLE_LABELS (kept in shared/session.ts). */
export const ROLE_OPTIONS: Option<UserView['role']>[] = optionsOf(ROLE_LABELS);

/**
 * Departments of the district (部门联合双随机, domain.md 1 and 5): src/auth/roles.ts DEPARTMENTS,
 * code -> name after the district's name (杨浦区 + 市场监督管理局).
 */
export const DEPARTMENT_LABELS: Record<string, string> = DEPARTMENT_NAMES;
export const DEPARTMENT_OPTIONS: Option[] = optionsOf(DEPARTMENT_LABELS);

/** Which role carries which field: src/auth/roles.ts ROLE_FIELDS. */
export const ROLE_FIELDS = {
  department: ['regulator', 'inspector'],
  credentialNo: ['inspector'],
  uscc: ['enterprise'],
} as const satisfies Record<string, readonly UserView['role'][]>;

/** True when a user of `role` has `field` (ROLE_FIELDS). */
export function roleHas(role: UserView['role'] | '' | undefined, field: keyof typeof ROLE_FIELDS): boolean {
  return !!role && (ROLE_FIELDS[field] as readonly string[]).includes(role);
}

/**
 * Tier labels of the default scorecard (src/credit/rules/default-scorecard.ts `tiers`). Pages that
 * have the active scorecard's own labels (GET /api/dashboard `tiers`, a credit answer's
 * `tierLabel`) show those; this is the fallback.
 */
export const TIER_LABELS: Record<string, string> = {
  A: '信用风险低',
  B: '信用风险一般',
  C: '信用风险较高',
  D: '信用风险高',
};

/** Element Plus tag types per tier (best to worst: green, blue, amber, red). */
export const TIER_TAG_TYPES: Record<string, 'success' | 'primary' | 'warning' | 'danger'> = {
  A: 'success',
  B: 'primary',
  C: 'warning',
  D: 'danger',
};

/** Chart colours per tier (contrast 3:1 or more against white, WCAG 1.4.11 for graphics). */
export const TIER_COLORS: Record<string, string> = {
  A: '#1f7a3a',
  B: '#1a5fb4',
  C: '#b36b00',
  D: '#c0262d',
};

/**
 * Audit actions: every `action:` the service writes (src/**: audit.record / appendAudit), with
 * the ones issue 10 adds (sessions, settings, draws, export).
 */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'auth.login': '登录',
  'auth.login_failed': '登录失败',
  'auth.logout': '退出登录',
  'auth.sign_out_everywhere': '退出所有设备',
  'auth.password_change_failed': '修改本人密码失败',
  'access.denied': '拒绝访问',
  'user.create': '新建用户',
  'user.update': '修改用户',
  'user.update_password': '重置用户密码',
  'user.deactivate': '停用用户',
  'user.activate': '启用用户',
  'user.delete': '删除用户',
  'setting.update': '修改系统设置',
  'enterprise.create': '登记企业',
  'enterprise.import': '导入企业名录',
  'enterprise.export': '导出企业名录',
  'credit_record.create': '新增信用记录',
  'credit_record.import': '导入信用记录',
  'credit_snapshot.take': '生成信用快照',
  'credit_score.rescore_all': '全量重新评分',
  'scorecard.install': '安装评分卡',
  'scorecard.activate': '启用评分卡',
  'random_draw.create': '双随机抽取',
  'random_draw.export': '导出抽取名单',
  'inspection_item.create': '新增检查事项',
  'inspection_item.update': '修改检查事项',
  'inspection_item.import': '导入检查事项',
  'inspector_profile.update': '修改执法检查人员名录',
  'inspector_profile.import': '导入执法检查人员名录',
  'recusal.create': '回避申报',
  'recusal.review': '审核回避',
  'inspection_plan.create': '新建年度抽查计划',
  'inspection_plan.update': '修改年度抽查计划',
  'inspection_plan.delete': '删除年度抽查计划',
  'inspection_plan.publish': '发布年度抽查计划',
  'inspection_plan.version': '新建计划版本',
  'inspection_task.result': '记录检查结果',
  'check_code_key.create': '生成检查码签名密钥',
  'check_code_key.rotate': '轮换检查码签名密钥',
  'check_code_key.revoke': '吊销检查码签名密钥',
};
export const AUDIT_ACTION_OPTIONS: Option[] = optionsOf(AUDIT_ACTION_LABELS);

/** Audit entity types (the `entityType` the service writes). */
export const AUDIT_ENTITY_LABELS: Record<string, string> = {
  app_user: '用户',
  bureau_setting: '系统设置',
  enterprise: '企业',
  company: '企业',
  credit_record: '信用记录',
  credit_snapshot: '信用快照',
  scoring_run: '评分批次',
  scorecard_version: '评分卡',
  random_draw: '双随机抽取',
  inspection_item: '检查事项',
  inspector_profile: '执法检查人员',
  recusal: '回避',
  inspection_plan: '年度抽查计划',
  inspection_task: '检查任务',
  check_code_key: '检查码签名密钥',
  import: '批量导入',
  other: '其他',
};
export const AUDIT_ENTITY_OPTIONS: Option[] = optionsOf(AUDIT_ENTITY_LABELS);

/** Who acted, when not a signed-in user (src/audit/actor.ts). */
export const ACTOR_ROLE_LABELS: Record<string, string> = {
  ...ROLE_LABELS,
  public: '公众',
  system: '系统',
  cli: '命令行',
};

/** User states (UserView.active). */
export const ACTIVE_OPTIONS: Option<'true' | 'false'>[] = [
  { value: 'true', label: '启用' },
  { value: 'false', label: '停用' },
];
