/**
 * The workbench's menu (issue 10): one item per page, with the roles that may open it. Pure
 * constants: no framework imports. A role sees only the items whose page it may use, so an
 * inspector never sees an item that would answer 403 (menu.spec.ts checks each item's roles
 * against the roles of the endpoint its page needs).
 */
import type { Role } from './roles.js';

/** A menu item as the API answers it (GET /api/auth/menu, SessionView.menu). */
export interface MenuItem {
  key: string;
  /** Chinese title shown in the menu */
  title: string;
  /** the page's path in the front end */
  path: string;
  /** an Element Plus icon name */
  icon?: string;
  /** the submenu the item is shown in (consecutive items of one group), e.g. 预付卡风险 */
  group?: string;
}

/** A menu item with who may see it and the endpoint its page cannot work without. */
export interface MenuEntry extends MenuItem {
  roles: readonly Role[];
  /** `METHOD /path` (express form) of the endpoint the page needs first */
  needs: string;
}

/** Every item, in menu order. */
export const MENU: readonly MenuEntry[] = [
  {
    key: 'dashboard',
    title: '驾驶舱',
    path: '/dashboard',
    icon: 'DataAnalysis',
    roles: ['admin', 'regulator'],
    needs: 'GET /api/dashboard',
  },
  {
    // the inspector's home (the first item of its menu)
    key: 'my-tasks',
    title: '我的任务',
    path: '/my/tasks',
    icon: 'Calendar',
    roles: ['inspector'],
    needs: 'GET /api/my/tasks',
  },
  {
    key: 'enterprises',
    title: '企业名录',
    path: '/enterprises',
    icon: 'OfficeBuilding',
    roles: ['admin', 'regulator', 'inspector'],
    needs: 'GET /api/enterprises',
  },
  {
    // issue 13: the credit area's publication regimes and the period calculator
    key: 'publication-regimes',
    title: '公示期规则',
    path: '/publication-regimes',
    icon: 'Document',
    roles: ['admin', 'regulator'],
    needs: 'GET /api/publication-regimes',
  },
  {
    key: 'plans',
    title: '年度抽查计划',
    path: '/plans',
    icon: 'Calendar',
    roles: ['admin', 'regulator'],
    needs: 'GET /api/plans',
  },
  {
    key: 'tasks',
    title: '检查任务',
    path: '/tasks',
    icon: 'List',
    roles: ['admin', 'regulator'],
    needs: 'GET /api/tasks',
  },
  {
    key: 'triggers',
    title: '事件触发',
    path: '/triggers',
    icon: 'Bell',
    roles: ['admin', 'regulator'],
    needs: 'GET /api/triggers',
  },
  {
    // issue 13: penalty decisions served with their credit-repair notice (双书同达)
    key: 'penalty-decisions',
    title: '行政处罚决定',
    path: '/penalty-decisions',
    icon: 'Stamp',
    roles: ['admin', 'regulator'],
    needs: 'GET /api/penalty-decisions',
  },
  {
    key: 'same-day-service',
    title: '双书同达统计',
    path: '/reports/same-day-service',
    icon: 'PieChart',
    roles: ['admin', 'regulator'],
    needs: 'GET /api/penalty-decisions/report',
  },
  {
    key: 'lenient-enforcement',
    title: '包容审慎监管清单',
    path: '/lenient-enforcement',
    icon: 'Reading',
    roles: ['admin', 'regulator', 'inspector'],
    needs: 'GET /api/lenient-enforcement',
  },
  {
    // issue 13: credit-repair applications, decided by the department that recorded the information
    key: 'credit-repair',
    title: '信用修复受理',
    path: '/credit-repair',
    icon: 'Finished',
    roles: ['admin', 'regulator'],
    needs: 'GET /api/credit-repair/applications',
  },
  {
    // issue 14: prepaid-consumption risk early warning (supervision-internal: no inspector, no enterprise)
    key: 'prepaid-map',
    title: '风险地图',
    path: '/prepaid/map',
    icon: 'MapLocation',
    group: '预付卡风险',
    roles: ['admin', 'regulator'],
    needs: 'GET /api/prepaid/risk-map',
  },
  {
    key: 'prepaid-alerts',
    title: '预警列表',
    path: '/prepaid/alerts',
    icon: 'WarnTriangleFilled',
    group: '预付卡风险',
    roles: ['admin', 'regulator'],
    needs: 'GET /api/prepaid/alerts',
  },
  // issue 14: 预付卡风险 (prepaid-consumption risk early warning), the data pages: the register of
  // issuers with their stores, accounts, reports and signals, and the CSV imports
  {
    key: 'prepaid-issuers',
    title: '预付卡经营者',
    path: '/prepaid/issuers',
    icon: 'Wallet',
    group: '预付卡风险',
    roles: ['admin', 'regulator'],
    needs: 'GET /api/prepaid/issuers',
  },
  {
    key: 'prepaid-import',
    title: '预付卡数据导入',
    path: '/prepaid/import',
    icon: 'Upload',
    group: '预付卡风险',
    roles: ['admin', 'regulator'],
    needs: 'POST /api/prepaid/import/:kind',
  },
  {
    // inspection codes (issue 12): regulators of the codes' departments and admins
    key: 'check-codes',
    title: '检查码',
    path: '/check-codes',
    icon: 'Tickets',
    roles: ['admin', 'regulator'],
    needs: 'GET /api/check-codes',
  },
  {
    key: 'joint-visits',
    title: '联合检查',
    path: '/joint-visits',
    icon: 'Connection',
    roles: ['admin', 'regulator'],
    needs: 'GET /api/joint-visits',
  },
  {
    key: 'alerts',
    title: '频次预警',
    path: '/alerts',
    icon: 'Warning',
    roles: ['admin', 'regulator'],
    needs: 'GET /api/inspection-alerts',
  },
  {
    key: 'no-disturbance',
    title: '无事不扰',
    path: '/reports/no-disturbance',
    icon: 'CircleCheck',
    roles: ['admin', 'regulator'],
    needs: 'GET /api/reports/no-disturbance',
  },
  {
    // issue 12: the enterprises' ratings of inspections (aggregates within the anonymity rule;
    // whole for the supervising body) and an enterprise's coded inspections of a year
    key: 'check-code-ratings',
    title: '检查评价',
    path: '/check-code-ratings',
    icon: 'Star',
    roles: ['admin', 'regulator'],
    needs: 'GET /api/check-code-ratings/summary',
  },
  {
    key: 'check-code-stats',
    title: '检查码统计',
    path: '/check-code-stats',
    icon: 'Histogram',
    roles: ['admin', 'regulator'],
    needs: 'GET /api/enterprises/:uscc/check-codes',
  },
  {
    key: 'inspection-items',
    title: '随机抽查事项清单',
    path: '/inspection-items',
    icon: 'List',
    roles: ['admin', 'regulator', 'inspector'],
    needs: 'GET /api/inspection-items',
  },
  {
    key: 'inspectors',
    title: '执法检查人员名录库',
    path: '/inspectors',
    icon: 'Postcard',
    roles: ['admin', 'regulator'],
    needs: 'GET /api/inspectors',
  },
  {
    key: 'recusals',
    title: '回避申报与审核',
    path: '/recusals',
    icon: 'Switch',
    roles: ['admin', 'regulator', 'inspector'],
    needs: 'GET /api/recusals',
  },
  {
    key: 'draws',
    title: '计划外抽取',
    path: '/draws',
    icon: 'Aim',
    roles: ['admin', 'regulator'],
    needs: 'GET /api/draws',
  },
  {
    key: 'users',
    title: '用户管理',
    path: '/admin/users',
    icon: 'User',
    roles: ['admin'],
    needs: 'GET /api/users',
  },
  {
    key: 'audit',
    title: '审计日志',
    path: '/admin/audit',
    icon: 'Document',
    roles: ['admin', 'regulator'],
    needs: 'GET /api/audit',
  },
  {
    key: 'settings',
    title: '系统设置',
    path: '/admin/settings',
    icon: 'Setting',
    roles: ['admin'],
    needs: 'GET /api/settings',
  },
  {
    key: 'check-code-keys',
    title: '检查码签名密钥',
    path: '/admin/check-code-keys',
    icon: 'Key',
    roles: ['admin'],
    needs: 'GET /api/check-code-keys',
  },
  {
    key: 'account',
    title: '修改密码',
    path: '/account',
    icon: 'Lock',
    roles: ['admin', 'regulator', 'inspector'],
    needs: 'POST /api/auth/password',
  },
  {
    key: 'mine',
    title: '本企业',
    path: '/m',
    icon: 'House',
    roles: ['enterprise'],
    needs: 'GET /api/enterprises/:uscc',
  },
];

/** The items a role may open, in menu order, without their roles. */
export function menuFor(role: Role): MenuItem[] {
  return MENU.filter((m) => m.roles.includes(role)).map(({ key, title, path, icon, group }) => ({
    key,
    title,
    path,
    ...(icon ? { icon } : {}),
    ...(group ? { group } : {}),
  }));
}
