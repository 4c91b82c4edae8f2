import { addDays, daysBetween, dayNumber } from '../../common/calendar-days.js';

/**
 * Event-triggered checks (事件触发式检查; domain.md 5.2: outside the tiers and caps, with a stated
 * reason): which open task an accepted trigger joins, and an event task's window. Pure.
 *
 * Merge rule (issue 11 "triggers on the same enterprise within a configurable window merge into
 * one task listing every reason"): a trigger joins an open event task (assigned or in progress)
 * of the same enterprise and the same department whose first trigger was received within
 * `windowDays` calendar days of this one (either side; setting triggerMergeWindowDays, default
 * 30). The same department, because a task is one department's (its inspectors are that
 * department's, qualified for all its items); tasks of several departments meet in a joint visit
 * instead. Among several, the one whose first trigger is nearest in time, then the lower id.
 */

/** Task statuses a trigger may still join. */
export const OPEN_TASK_STATUSES = ['assigned', 'in_progress'] as const;

/** An event task a trigger might join. */
export interface OpenEventTask {
  id: number;
  enterpriseId: number;
  department: string;
  status: string;
  /** the earliest received_on of the task's triggers, YYYY-MM-DD */
  firstReceivedOn: string;
}

/** The trigger being accepted. */
export interface AcceptedTrigger {
  enterpriseId: number;
  department: string;
  /** YYYY-MM-DD */
  receivedOn: string;
}

/**
 * The id of the open event task the trigger joins, or null for a new task (see the module comment).
 * @throws RangeError when windowDays is not an integer >= 0, or a date is not YYYY-MM-DD
 */
export function mergeTarget(
  trigger: AcceptedTrigger,
  tasks: readonly OpenEventTask[],
  windowDays: number,
): number | null {
  if (!Number.isInteger(windowDays) || windowDays < 0)
    throw new RangeError('windowDays must be an integer >= 0');
  dayNumber(trigger.receivedOn);
  let best: { id: number; distance: number } | null = null;
  for (const t of tasks) {
    if (t.enterpriseId !== trigger.enterpriseId || t.department !== trigger.department) continue;
    if (!(OPEN_TASK_STATUSES as readonly string[]).includes(t.status)) continue;
    const distance = Math.abs(daysBetween(t.firstReceivedOn, trigger.receivedOn));
    if (distance > windowDays) continue;
    if (!best || distance < best.distance || (distance === best.distance && t.id < best.id))
      best = { id: t.id, distance };
  }
  return best?.id ?? null;
}

/**
 * The window of a new event task accepted on `acceptedOn`: `windowDays` calendar days starting
 * that day (setting eventTaskWindowDays, default 15), so it ends on acceptedOn + windowDays - 1.
 * @throws RangeError when windowDays is not an integer >= 1, or acceptedOn is not YYYY-MM-DD
 */
export function eventTaskWindow(
  acceptedOn: string,
  windowDays: number,
): { windowStart: string; windowEnd: string } {
  if (!Number.isInteger(windowDays) || windowDays < 1)
    throw new RangeError('windowDays must be an integer >= 1');
  return { windowStart: acceptedOn, windowEnd: addDays(acceptedOn, windowDays - 1) };
}

/** Bounds and default of the setting triggerMergeWindowDays (calendar days). */
export const TRIGGER_MERGE_WINDOW_DAYS = { min: 0, max: 365, default: 30 } as const;

/** Bounds and default of the setting eventTaskWindowDays (calendar days an event task has). */
export const EVENT_TASK_WINDOW_DAYS = { min: 1, max: 365, default: 15 } as const;
