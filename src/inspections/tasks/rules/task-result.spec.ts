import { describe, expect, it } from '@jest/globals';
import { addDays } from '../../../common/calendar-days.js';
import {
  checkTaskResult,
  endOfWeek,
  isOverdue,
  MAX_FINDINGS,
  myTasksRange,
  resultRefusal,
} from './task-result.js';

const today = '2026-12-09'; // a Wednesday
const codes = ['SC-01', 'SC-02'];
const fields = (r: ReturnType<typeof checkTaskResult>) => (r.ok ? [] : r.errors.map((e) => e.field));

describe('resultRefusal: who may record a result, and when (the seam of issue 12)', () => {
  const task = { status: 'assigned', windowStart: '2026-12-01', assignedUserIds: [7, 8] };

  it('lets an assigned inspector record an open task inside or after its window', () => {
    expect(resultRefusal(task, 7, today)).toBeNull();
    expect(resultRefusal({ ...task, status: 'in_progress' }, 8, today)).toBeNull();
    expect(resultRefusal(task, 7, '2026-12-01')).toBeNull(); // the window's first day
    expect(resultRefusal(task, 7, '2027-06-01')).toBeNull(); // overdue: late, not lost
  });

  it('refuses (403) anyone not assigned, before any state is told', () => {
    expect(resultRefusal(task, 9, today)?.code).toBe('forbidden');
    expect(resultRefusal(task, null, today)?.code).toBe('forbidden');
    expect(resultRefusal({ ...task, status: 'completed' }, 9, today)?.code).toBe('forbidden');
  });

  it('refuses (409) a second result, a cancelled or replaced task, and a window not yet open', () => {
    expect(resultRefusal({ ...task, status: 'completed' }, 7, today)).toMatchObject({
      code: 'conflict',
      reason: expect.stringContaining('already has its result'),
    });
    expect(resultRefusal({ ...task, status: 'cancelled' }, 7, today)?.code).toBe('conflict');
    expect(resultRefusal({ ...task, status: 'replaced' }, 7, today)?.code).toBe('conflict');
    expect(resultRefusal({ ...task, status: 'lost' }, 7, today)?.code).toBe('conflict');
    expect(resultRefusal({ ...task, windowStart: '2026-12-10' }, 7, today)).toMatchObject({
      code: 'conflict',
      reason: expect.stringContaining('2026-12-10'),
    });
  });

  it('refuses (no_code, 409 audited) without a usable inspection code, after every other rule (无码不检查)', () => {
    const noCode = { ...task, codeRefusal: 'no inspection code covers this task' };
    expect(resultRefusal(noCode, 7, today)).toEqual({
      code: 'no_code',
      reason: 'no inspection code covers this task',
    });
    expect(resultRefusal(noCode, 9, today)?.code).toBe('forbidden');
    expect(resultRefusal({ ...noCode, status: 'completed' }, 7, today)?.code).toBe('conflict');
    expect(resultRefusal({ ...noCode, windowStart: '2026-12-10' }, 7, today)?.code).toBe('conflict');
    expect(resultRefusal({ ...task, codeRefusal: null }, 7, today)).toBeNull();
  });
});

describe('checkTaskResult', () => {
  it('accepts each outcome with what it needs, trimmed', () => {
    expect(checkTaskResult({ outcome: 'no_problem' }, codes, today)).toEqual({
      ok: true,
      result: { outcome: 'no_problem', findings: [], correctionDeadline: null, note: null },
    });
    for (const outcome of ['refused', 'not_found'])
      expect(checkTaskResult({ outcome, note: ' 门店已关闭 ', findings: [] }, codes, today)).toMatchObject({
        ok: true,
        result: { outcome, note: '门店已关闭' },
      });
    const r = checkTaskResult(
      {
        outcome: 'problems_found',
        findings: [
          { itemCode: ' SC-01 ', finding: ' 未公示食品经营许可证 ' },
          { itemCode: 'SC-01', finding: '从业人员无健康证明' },
        ],
        correctionDeadline: '2026-12-10',
      },
      codes,
      today,
    );
    expect(r).toEqual({
      ok: true,
      result: {
        outcome: 'problems_found',
        findings: [
          { itemCode: 'SC-01', finding: '未公示食品经营许可证' },
          { itemCode: 'SC-01', finding: '从业人员无健康证明' },
        ],
        correctionDeadline: '2026-12-10',
        note: null,
      },
    });
    // a problem corrected on the spot needs no deadline
    expect(
      checkTaskResult(
        { outcome: 'problems_found', findings: [{ itemCode: 'SC-02', finding: 'x' }] },
        codes,
        today,
      ).ok,
    ).toBe(true);
  });

  it('requires a known outcome', () => {
    expect(fields(checkTaskResult({}, codes, today))).toEqual(['outcome']);
    expect(fields(checkTaskResult({ outcome: ' ' }, codes, today))).toEqual(['outcome']);
    expect(fields(checkTaskResult({ outcome: 'passed' }, codes, today))).toEqual(['outcome']);
  });

  it('requires findings for problems_found and refuses them for any other outcome', () => {
    expect(fields(checkTaskResult({ outcome: 'problems_found' }, codes, today))).toEqual(['findings']);
    expect(fields(checkTaskResult({ outcome: 'problems_found', findings: [] }, codes, today))).toEqual([
      'findings',
    ]);
    expect(
      fields(
        checkTaskResult(
          { outcome: 'no_problem', findings: [{ itemCode: 'SC-01', finding: 'x' }] },
          codes,
          today,
        ),
      ),
    ).toEqual(['findings']);
    const many = Array.from({ length: MAX_FINDINGS + 1 }, () => ({ itemCode: 'SC-01', finding: 'x' }));
    expect(fields(checkTaskResult({ outcome: 'problems_found', findings: many }, codes, today))).toEqual([
      'findings',
    ]);
    expect(
      fields(checkTaskResult({ outcome: 'problems_found', findings: 'x' as never }, codes, today)),
    ).toEqual(['findings']);
  });

  it('names every finding at fault: an item not of the task, a blank or unstorable finding', () => {
    const r = checkTaskResult(
      {
        outcome: 'problems_found',
        findings: [
          { itemCode: 'SC-01', finding: 'ok' },
          { itemCode: 'FIRE-9', finding: '' },
          { finding: 'x' },
          null,
          { itemCode: 'SC-02', finding: 'a\u0000b' },
          { itemCode: 'SC-02', finding: '字'.repeat(1001) },
        ],
      },
      codes,
      today,
    );
    expect(fields(r)).toEqual([
      'findings[1].itemCode',
      'findings[1].finding',
      'findings[2].itemCode',
      'findings[3].itemCode',
      'findings[3].finding',
      'findings[4].finding',
      'findings[5].finding',
    ]);
    expect(r.ok ? '' : r.errors[0]!.reason).toContain('SC-01, SC-02');
  });

  it('takes a correction deadline at most 365 days ahead', () => {
    const f = [{ itemCode: 'SC-01', finding: 'x' }];
    const at = (correctionDeadline: string) =>
      checkTaskResult({ outcome: 'problems_found', findings: f, correctionDeadline }, codes, today);
    expect(fields(at(addDays(today, 365)))).toEqual([]);
    expect(at(addDays(today, 366)).ok ? [] : at(addDays(today, 366)).errors).toEqual([
      { field: 'correctionDeadline', reason: expect.stringMatching(/more than 365 days ahead/) },
    ]);
    expect(fields(at('2099-12-31'))).toEqual(['correctionDeadline']);
  });

  it('takes a correction deadline only with problems_found, as a date after today', () => {
    const f = [{ itemCode: 'SC-01', finding: 'x' }];
    expect(
      fields(checkTaskResult({ outcome: 'no_problem', correctionDeadline: '2027-01-01' }, codes, today)),
    ).toEqual(['correctionDeadline']);
    expect(
      fields(checkTaskResult({ outcome: 'refused', correctionDeadline: '2027-01-01' }, codes, today)),
    ).toEqual(['correctionDeadline']);
    for (const d of [today, '2026-12-08', '2026-02-30', '明天'])
      expect(
        fields(
          checkTaskResult({ outcome: 'problems_found', findings: f, correctionDeadline: d }, codes, today),
        ),
      ).toEqual(['correctionDeadline']);
    expect(
      checkTaskResult({ outcome: 'problems_found', findings: f, correctionDeadline: '' }, codes, today),
    ).toMatchObject({ ok: true, result: { correctionDeadline: null } });
  });

  it('limits the note and reports every field at once', () => {
    expect(fields(checkTaskResult({ outcome: 'no_problem', note: '字'.repeat(1001) }, codes, today))).toEqual(
      ['note'],
    );
    expect(fields(checkTaskResult({ outcome: 'no_problem', note: '字'.repeat(1000) }, codes, today))).toEqual(
      [],
    );
    expect(
      fields(
        checkTaskResult(
          {
            outcome: 'problems_found',
            findings: [{ itemCode: 'X', finding: 'y' }],
            correctionDeadline: '2020-01-01',
            note: 'a\u0000',
          },
          codes,
          today,
        ),
      ),
    ).toEqual(['findings[0].itemCode', 'correctionDeadline', 'note']);
  });
});

describe('my tasks: views and dates', () => {
  it('adds days across months and years', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('ends the week on Sunday (Monday to Sunday)', () => {
    expect(endOfWeek('2026-12-07')).toBe('2026-12-13'); // Monday
    expect(endOfWeek('2026-12-09')).toBe('2026-12-13'); // Wednesday
    expect(endOfWeek('2026-12-13')).toBe('2026-12-13'); // Sunday
    expect(endOfWeek('2026-12-28')).toBe('2027-01-03');
  });

  it('gives each view its statuses and window', () => {
    const open = ['assigned', 'in_progress'];
    expect(myTasksRange('today', today)).toEqual({ statuses: open, overlaps: { from: today, to: today } });
    expect(myTasksRange('week', today)).toEqual({
      statuses: open,
      overlaps: { from: today, to: '2026-12-13' },
    });
    expect(myTasksRange('overdue', today)).toEqual({ statuses: open, endsBefore: today });
    expect(myTasksRange('open', today)).toEqual({ statuses: open });
    expect(myTasksRange('done', today)).toEqual({ statuses: ['completed'] });
  });

  it('calls an open task overdue after its last day only', () => {
    expect(isOverdue('assigned', '2026-12-08', today)).toBe(true);
    expect(isOverdue('in_progress', '2026-12-08', today)).toBe(true);
    expect(isOverdue('assigned', today, today)).toBe(false);
    expect(isOverdue('completed', '2026-01-01', today)).toBe(false);
    expect(isOverdue('cancelled', '2026-01-01', today)).toBe(false);
  });
});
