/**
 * 新入经营主体合规告知 (issue 13 "Lenient enforcement and what the enterprise is told"): the
 * inspection items of the item list (随机抽查事项清单, domain.md 5.1) that apply to an enterprise's
 * industry, with the requirements an inspector checks, grouped by department. Pure.
 */
import { itemApplies } from '../../inspections/rules/item-applicability.js';

/** An item of the list as the notice needs it. */
export interface NoticeItemFacts {
  code: string;
  name: string;
  department: string;
  legalBasis: string;
  checkMethod: string;
  industries: readonly string[];
  requirements: readonly string[];
  active: boolean;
}

/** One department's part of the notice. */
export interface NoticeSection<T extends NoticeItemFacts = NoticeItemFacts> {
  department: string;
  items: T[];
}

/**
 * The active items applying to `industryCode` (inspections/rules/item-applicability.ts: an item
 * listing no industry applies to all; an enterprise without an industry code gets only those),
 * grouped by department in the order given, items by code.
 */
export function noticeSections<T extends NoticeItemFacts>(
  industryCode: string | null,
  items: readonly T[],
  departmentOrder: readonly string[],
): NoticeSection<T>[] {
  const applying = items
    .filter((i) => i.active && itemApplies(i.industries, industryCode))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const rank = (d: string) => {
    const k = departmentOrder.indexOf(d);
    return k < 0 ? departmentOrder.length : k;
  };
  const departments = [...new Set(applying.map((i) => i.department))].sort(
    (a, b) => rank(a) - rank(b) || (a < b ? -1 : 1),
  );
  return departments.map((department) => ({
    department,
    items: applying.filter((i) => i.department === department),
  }));
}
