/**
 * Which enterprises an inspection item applies to (随机抽查事项清单, domain.md 5.1: the target
 * roster is the register filtered by item applicability, status and tier). Pure.
 *
 * An item lists GB/T 4754 industry codes or prefixes: a section letter (`H`), or a letter with 2
 * to 4 digits (`H62`, `F5261`). An enterprise's industry code applies when it starts with one of
 * them; an item listing none applies to every industry; an enterprise with no industry code is
 * covered only by items listing none.
 */
export const INDUSTRY_PREFIX = /^[A-T]([0-9]{2,4})?$/;

/** Whether an item with `industries` applies to an enterprise of `industryCode`. */
export function itemApplies(industries: readonly string[], industryCode: string | null | undefined): boolean {
  if (!industries.length) return true;
  if (!industryCode) return false;
  return industries.some((p) => industryCode.startsWith(p));
}

/** Register statuses that can be inspected: in business (active) or suspended (歇业). */
export const INSPECTABLE_STATUSES = ['active', 'suspended'] as const;

/** Whether an enterprise in `status` can be a target (deregistered, revoked and moved-out ones cannot). */
export function inspectableStatus(status: string): boolean {
  return (INSPECTABLE_STATUSES as readonly string[]).includes(status);
}
