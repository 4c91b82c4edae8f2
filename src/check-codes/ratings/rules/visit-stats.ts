/**
 * An enterprise's inspections of a year under codes (issue 12 "Per enterprise and year: coded
 * inspections by kind; repeat-visit alerts"). Pure. The alerts are the one rule of
 * inspections/rules/frequency-alerts.ts (visitsForAlerts feeding repeatVisits), read through the
 * alerts service.
 */
import { checkInsOnce } from '../../../inspections/rules/frequency-alerts.js';

/** A code's kind (particulars.kind): a task of a plan, an event-triggered task, or a joint visit of several tasks. */
export type CodedKind = 'routine' | 'event' | 'joint';
export const CODED_KINDS: readonly CodedKind[] = ['routine', 'event', 'joint'];

/** How many codes of each kind, every kind present (0 when none). */
export function countByKind(codes: readonly { kind: CodedKind }[]): Record<CodedKind, number> {
  const out: Record<CodedKind, number> = { routine: 0, event: 0, joint: 0 };
  for (const c of codes) out[c.kind]++;
  return out;
}

/** A code as the yearly count needs it. */
export interface CountedCode {
  kind: CodedKind;
  visitId: number;
  /** the day (Asia/Shanghai) of its first check-in, null when nobody checked in */
  checkedInOn: string | null;
}

/**
 * The inspections that took place among an enterprise's codes: every code checked in under, and
 * codes of one joint visit checked in on one day once (a code revoked on the spot and issued again
 * is one inspection: the same rule as frequency-alerts.ts visitsForAlerts). A code never checked
 * in under (revoked, expired, or not yet used) is no inspection.
 */
export function inspectionsOf<T extends CountedCode>(codes: readonly T[]): T[] {
  return checkInsOnce(codes);
}
