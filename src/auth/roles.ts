/**
 * Roles and departments (domain.md 1, "who uses it"). Pure constants: no framework imports.
 *
 * - admin: manages users, reads everything, reads the audit trail.
 * - regulator (监管人员): belongs to a department; reads the register and credit, adds credit
 *   records of its own department, reads the audit entries of its department.
 * - inspector (执法检查人员): belongs to a department and holds an enforcement credential
 *   (执法证号); reads the register and credit (tasks assigned to them arrive with planning).
 * - enterprise (市场主体): bound to one USCC; reads only its own enterprise, records and credit.
 * - public: anonymous; health and login only.
 */
export const ROLES = ['admin', 'regulator', 'inspector', 'enterprise'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Fields of a user that belong to some roles only: a regulator or inspector has a department, an
 * inspector an enforcement credential number (执法证号), an enterprise user the USCC of its
 * enterprise. Users of other roles must not carry them.
 */
export const ROLE_FIELDS = {
  department: { roles: ['regulator', 'inspector'], what: 'department code' },
  credentialNo: { roles: ['inspector'], what: 'enforcement credential number 执法证号' },
  uscc: { roles: ['enterprise'], what: 'USCC of its enterprise' },
} as const satisfies Record<string, { roles: readonly Role[]; what: string }>;

/**
 * What is wrong with the role-bound fields of a user of `role` (ROLE_FIELDS): a field given to a
 * role that does not have it, and, with `requireAll` (a new user), one missing for a role that
 * needs it. @returns one problem per field at fault
 */
export function roleFieldProblems(
  role: Role,
  given: Partial<Record<keyof typeof ROLE_FIELDS, unknown>>,
  requireAll: boolean,
): { field: string; reason: string }[] {
  const problems: { field: string; reason: string }[] = [];
  for (const [field, { roles, what }] of Object.entries(ROLE_FIELDS)) {
    const has = !!given[field as keyof typeof ROLE_FIELDS];
    const holds = (roles as readonly Role[]).includes(role);
    if (holds && !has && requireAll) problems.push({ field, reason: `required for role ${role} (${what})` });
    if (!holds && has) problems.push({ field, reason: `only for role ${roles.join(' or ')}, not ${role}` });
  }
  return problems;
}

/** Roles with a Chinese label for documents and the UI. */
export const ROLE_LABELS: Record<Role | 'public', string> = {
  admin: '系统管理员',
  regulator: '监管人员',
  inspector: '执法检查人员',
  enterprise: '市场主体',
  public: '公众',
};

/**
 * Departments of the district taking part in joint random checks (部门联合双随机, domain.md 1
 * and 5), and the district court, which issues defaulter and judicial records: code -> the department's name as it appears as a credit record's source department
 * after the district's name (e.g. 杨浦区 + 市场监督管理局).
 */
export const DEPARTMENTS = {
  market: '市场监督管理局',
  health: '卫生健康委员会',
  fire: '消防救援支队',
  culture: '文化和旅游局',
  city: '城市管理行政执法局',
  ecology: '生态环境局',
  commerce: '商务委员会',
  education: '教育局',
  tax: '税务局',
  // the district people's court (杨浦区人民法院): its liaison posts the court's defaulter and judicial
  // records (credit/rules/record-authorities.ts)
  court: '人民法院',
} as const;
export type Department = keyof typeof DEPARTMENTS;

/**
 * Departments that inspect: they hold items, inspectors, plans and event-triggered checks. Every
 * department but the court, which posts records and inspects nothing (a trigger or an item for it
 * could never be decided or staffed: the adversarial run of issue 11).
 */
export const INSPECTING_DEPARTMENTS: readonly string[] = Object.keys(DEPARTMENTS).filter(
  (d) => d !== 'court',
);

/** The full name of a department in a district, as credit records name their source department. */
export function departmentName(district: string, department: string): string {
  const name = (DEPARTMENTS as Record<string, string>)[department];
  if (!name) throw new RangeError(`unknown department '${department}'`);
  return `${district}${name}`;
}
