import { describe, expect, it } from '@jest/globals';
import { eventTaskWindow, mergeTarget, OpenEventTask } from './trigger-merge.js';

describe('mergeTarget', () => {
  const t = (id: number, firstReceivedOn: string, extra: Partial<OpenEventTask> = {}): OpenEventTask => ({
    id,
    enterpriseId: 1,
    department: 'market',
    status: 'assigned',
    firstReceivedOn,
    ...extra,
  });
  const trigger = { enterpriseId: 1, department: 'market', receivedOn: '2027-03-31' };

  it('no open task: a new task', () => {
    expect(mergeTarget(trigger, [], 30)).toBeNull();
  });

  it('within the window (both ends included), either side', () => {
    expect(mergeTarget(trigger, [t(5, '2027-03-01')], 30)).toBe(5);
    expect(mergeTarget(trigger, [t(5, '2027-02-28')], 30)).toBeNull();
    expect(mergeTarget(trigger, [t(5, '2027-04-30')], 30)).toBe(5);
    expect(mergeTarget(trigger, [t(5, '2027-05-01')], 30)).toBeNull();
  });

  it('a window of 0 days merges triggers of the same day only', () => {
    expect(mergeTarget(trigger, [t(5, '2027-03-31')], 0)).toBe(5);
    expect(mergeTarget(trigger, [t(5, '2027-03-30')], 0)).toBeNull();
  });

  it('another enterprise, another department, or a task no longer open: not joined', () => {
    expect(mergeTarget(trigger, [t(5, '2027-03-30', { enterpriseId: 2 })], 30)).toBeNull();
    expect(mergeTarget(trigger, [t(5, '2027-03-30', { department: 'health' })], 30)).toBeNull();
    for (const status of ['completed', 'cancelled', 'replaced'])
      expect(mergeTarget(trigger, [t(5, '2027-03-30', { status })], 30)).toBeNull();
    expect(mergeTarget(trigger, [t(5, '2027-03-30', { status: 'in_progress' })], 30)).toBe(5);
  });

  it('several: the nearest in time, then the lower id', () => {
    expect(mergeTarget(trigger, [t(5, '2027-03-10'), t(6, '2027-03-25'), t(7, '2027-04-20')], 30)).toBe(6);
    expect(mergeTarget(trigger, [t(9, '2027-03-25'), t(8, '2027-04-06')], 30)).toBe(8);
  });

  it('refuses a bad window or date', () => {
    expect(() => mergeTarget(trigger, [], -1)).toThrow(RangeError);
    expect(() => mergeTarget(trigger, [], 1.5)).toThrow(RangeError);
    expect(() => mergeTarget({ ...trigger, receivedOn: '2027-02-30' }, [], 30)).toThrow(RangeError);
  });
});

describe('eventTaskWindow', () => {
  it('windowDays days from the day of acceptance, that day included', () => {
    expect(eventTaskWindow('2027-03-20', 15)).toEqual({ windowStart: '2027-03-20', windowEnd: '2027-04-03' });
    expect(eventTaskWindow('2027-12-31', 1)).toEqual({ windowStart: '2027-12-31', windowEnd: '2027-12-31' });
  });
  it('refuses fewer than one day', () => {
    expect(() => eventTaskWindow('2027-03-20', 0)).toThrow(RangeError);
  });
});
