import { describe, expect, it } from '@jest/globals';
import {
  checkInRefusal,
  checkOutRefusal,
  codeCompletedBy,
  type CodeForVisit,
  codeNoOf,
  codeWindow,
  coveredTasks,
  formatCodeNo,
  parseCodeNo,
  resultCodeRefusal,
  shanghaiDayStartMs,
  type TaskForCode,
} from './code-rules.js';

const at = (s: string) => Date.parse(s);
const sec = (s: string) => Date.parse(s) / 1000;

describe('codeWindow: the task window, at most checkCodeMaxDays', () => {
  it('starts now inside the window and ends at the end of its last day (Shanghai)', () => {
    const r = codeWindow(at('2026-12-01T02:00:00Z'), '2026-11-25', '2026-12-10', 30);
    expect(r).toEqual({
      ok: true,
      window: {
        issuedAt: sec('2026-12-01T02:00:00Z'),
        notBefore: sec('2026-12-01T02:00:00Z'),
        notAfter: sec('2026-12-10T16:00:00Z'), // 2026-12-11 00:00 +08:00
      },
    });
  });

  it('starts at the window start 00:00 Shanghai when applied for in advance', () => {
    const r = codeWindow(at('2026-12-01T02:00:00Z'), '2026-12-05', '2026-12-10', 30);
    expect(r.ok && r.window.notBefore).toBe(sec('2026-12-04T16:00:00Z'));
    expect(r.ok && r.window.issuedAt).toBe(sec('2026-12-01T02:00:00Z'));
  });

  it('ends after maxDays when the window is longer', () => {
    const r = codeWindow(at('2026-12-01T02:00:00Z'), '2026-12-01', '2027-06-30', 30);
    expect(r.ok && r.window.notAfter).toBe(sec('2026-12-31T02:00:00Z'));
    const one = codeWindow(at('2026-12-01T02:00:00Z'), '2026-12-01', '2027-06-30', 1);
    expect(one.ok && one.window.notAfter).toBe(sec('2026-12-02T02:00:00Z'));
  });

  it('rounds to whole seconds inside the rule: issuedAt down, notBefore up, notAfter down', () => {
    const r = codeWindow(at('2026-12-01T02:00:00.900Z'), '2026-11-01', '2027-01-31', 2);
    expect(r).toEqual({
      ok: true,
      window: {
        issuedAt: sec('2026-12-01T02:00:00Z'),
        notBefore: sec('2026-12-01T02:00:00Z'),
        notAfter: sec('2026-12-03T02:00:00Z'),
      },
    });
  });

  it('works on the last day until 24:00 Shanghai, and refuses from then on (409)', () => {
    const last = at('2026-12-10T15:59:59.999Z'); // 23:59:59.999 in Shanghai
    const r = codeWindow(last, '2026-12-01', '2026-12-10', 30);
    expect(r.ok && r.window.notAfter).toBe(sec('2026-12-10T16:00:00Z'));
    const over = codeWindow(at('2026-12-10T16:00:00Z'), '2026-12-01', '2026-12-10', 30);
    expect(over).toMatchObject({
      ok: false,
      refusal: { code: 'conflict', reason: expect.stringContaining('ended on 2026-12-10') },
    });
  });

  it('refuses a window opening more than maxDays ahead (the code would end before it starts)', () => {
    const now = at('2026-12-01T00:00:00Z');
    const far = codeWindow(now, '2027-01-15', '2027-01-31', 30);
    expect(far).toMatchObject({
      ok: false,
      refusal: { code: 'conflict', reason: expect.stringContaining('2027-01-15') },
    });
    // exactly maxDays ahead: still empty (notBefore == notAfter)
    const edge = codeWindow(at('2026-12-01T16:00:00Z'), '2026-12-03', '2026-12-05', 1);
    expect(edge.ok).toBe(false);
    const inside = codeWindow(at('2026-12-01T16:00:00Z'), '2026-12-03', '2026-12-05', 2);
    expect(inside).toMatchObject({
      ok: true,
      window: { notBefore: sec('2026-12-02T16:00:00Z'), notAfter: sec('2026-12-03T16:00:00Z') },
    });
  });

  it('knows a Shanghai day starts at 16:00 UTC the day before', () => {
    expect(new Date(shanghaiDayStartMs('2027-01-01')).toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });
});

describe('coveredTasks: which tasks of a visit a code covers, who applies', () => {
  const routine = (id: number, over: Partial<TaskForCode> = {}): TaskForCode => ({
    id,
    kind: 'routine',
    status: 'assigned',
    department: 'market',
    planStatus: 'published',
    planNo: '2026-market-01',
    acceptedTriggers: 0,
    assignedUserIds: [1, 2],
    ...over,
  });
  const event = (id: number, over: Partial<TaskForCode> = {}): TaskForCode =>
    routine(id, {
      kind: 'event',
      planStatus: null,
      planNo: null,
      acceptedTriggers: 1,
      department: 'health',
      assignedUserIds: [3, 4],
      ...over,
    });

  it('covers every open task of the visit, ascending, for an inspector of any of them', () => {
    const tasks = [
      event(9),
      routine(5),
      routine(7, { status: 'completed' }),
      routine(8, { status: 'cancelled' }),
    ];
    expect(coveredTasks(5, tasks, 3)).toEqual({ ok: true, tasks: [tasks[1], tasks[0]] });
    expect(coveredTasks(9, tasks, 1)).toMatchObject({ ok: true });
    expect(coveredTasks(5, [routine(5, { status: 'in_progress' })], 2)).toMatchObject({ ok: true });
  });

  it('refuses (403) an inspector assigned to none of them: skipped or withdrawn ones are not in assignedUserIds', () => {
    expect(coveredTasks(5, [routine(5), event(9)], 99)).toMatchObject({
      ok: false,
      refusal: { code: 'forbidden' },
    });
  });

  it('refuses (404) a task not in the visit', () => {
    expect(coveredTasks(6, [routine(5)], 1)).toMatchObject({ ok: false, refusal: { code: 'not_found' } });
  });

  it('refuses (409) a completed, cancelled or replaced task asked about', () => {
    for (const status of ['completed', 'cancelled', 'replaced'])
      expect(coveredTasks(5, [routine(5, { status }), event(9)], 1)).toMatchObject({
        ok: false,
        refusal: { code: 'conflict', reason: expect.stringContaining(status) },
      });
  });

  it('refuses (409) a draft plan, but takes a superseded version (published, its drawn tasks stand)', () => {
    expect(coveredTasks(5, [routine(5, { planStatus: 'draft' })], 1)).toMatchObject({
      ok: false,
      refusal: { code: 'conflict', reason: expect.stringContaining('not published') },
    });
    expect(coveredTasks(5, [routine(5, { planStatus: 'superseded' })], 1).ok).toBe(true);
    // another open task of the visit with a draft plan stops the joint code too
    expect(coveredTasks(9, [event(9), routine(5, { planStatus: 'draft' })], 3).ok).toBe(false);
  });

  it('refuses (409) an event task without an accepted trigger, and a task without assigned inspectors', () => {
    expect(coveredTasks(9, [event(9, { acceptedTriggers: 0 })], 3)).toMatchObject({
      ok: false,
      refusal: { code: 'conflict', reason: expect.stringContaining('accepted trigger') },
    });
    expect(coveredTasks(5, [routine(5), event(9, { assignedUserIds: [] })], 1)).toMatchObject({
      ok: false,
      refusal: { code: 'conflict', reason: expect.stringContaining('no assigned inspector') },
    });
  });
});

describe('code numbers', () => {
  it('takes 40 bits as 8 base32 characters', () => {
    expect(codeNoOf(new Uint8Array([0, 0, 0, 0, 0]))).toBe('AAAAAAAA');
    expect(codeNoOf(new Uint8Array([255, 255, 255, 255, 255]))).toBe('77777777');
    // RFC 4648 test vector: base32("fooba") = MZXW6YTB
    expect(codeNoOf(new TextEncoder().encode('fooba'))).toBe('MZXW6YTB');
    expect(() => codeNoOf(new Uint8Array(4))).toThrow(RangeError);
  });

  it('reads as JC-XXXX-XXXX and parses back from what people type', () => {
    expect(formatCodeNo('K7Q3M2XD')).toBe('JC-K7Q3-M2XD');
    expect(parseCodeNo('jc-k7q3-m2xd')).toBe('K7Q3M2XD');
    expect(parseCodeNo(' K7Q3 M2XD ')).toBe('K7Q3M2XD');
    expect(parseCodeNo('K7Q3M2X1')).toBeNull(); // 1 is not base32
    expect(parseCodeNo('K7Q3M2X')).toBeNull();
  });
});

const code = (over: Partial<CodeForVisit> = {}): CodeForVisit => ({
  status: 'in_use',
  valid: true,
  invalidReason: null,
  userIsInspector: true,
  checkedIn: false,
  checkedOut: false,
  ...over,
});

describe('check-in and check-out', () => {
  it('lets a named inspector check in once under a valid issued or in-use code', () => {
    expect(checkInRefusal(code({ status: 'issued' }))).toBeNull();
    expect(checkInRefusal(code())).toBeNull();
    expect(checkInRefusal(code({ checkedIn: true }))).toMatchObject({
      code: 'conflict',
      reason: expect.stringContaining('already'),
    });
  });

  it('refuses (403) anyone not an assigned inspector named in the code, before telling its state', () => {
    expect(checkInRefusal(code({ userIsInspector: false, valid: false }))?.code).toBe('forbidden');
    expect(checkOutRefusal(code({ userIsInspector: false, checkedIn: true }))?.code).toBe('forbidden');
  });

  it('refuses (409) a code not valid now, with the reason, and a completed one', () => {
    expect(checkInRefusal(code({ valid: false, invalidReason: 'expired' }))).toMatchObject({
      code: 'conflict',
      reason: expect.stringContaining('expired'),
    });
    expect(checkInRefusal(code({ status: 'completed' }))?.code).toBe('conflict');
  });

  it('checks out only after a check-in, once; a completed code still lets inspectors leave', () => {
    expect(checkOutRefusal(code())).toMatchObject({
      code: 'conflict',
      reason: expect.stringContaining('check in first'),
    });
    expect(checkOutRefusal(code({ checkedIn: true }))).toBeNull();
    expect(checkOutRefusal(code({ checkedIn: true, status: 'completed' }))).toBeNull();
    expect(checkOutRefusal(code({ checkedIn: true, checkedOut: true }))?.code).toBe('conflict');
    expect(
      checkOutRefusal(code({ checkedIn: true, valid: false, invalidReason: 'revoked' }))?.reason,
    ).toContain('revoked');
  });
});

describe('resultCodeRefusal (无码不检查)', () => {
  it('passes with an in-use, valid code this inspector checked in under', () => {
    expect(resultCodeRefusal([code({ checkedIn: true })])).toBeNull();
    expect(
      resultCodeRefusal([code({ status: 'revoked', valid: false }), code({ checkedIn: true })]),
    ).toBeNull();
    // checked in and out: the visit happened, the result may follow
    expect(resultCodeRefusal([code({ checkedIn: true, checkedOut: true })])).toBeNull();
  });

  it('refuses without a code, without anybody checked in, without this inspector checked in', () => {
    expect(resultCodeRefusal([])).toContain('no inspection code covers');
    expect(resultCodeRefusal([code({ status: 'issued' })])).toContain('nobody has checked in');
    expect(resultCodeRefusal([code()])).toContain('you have not checked in');
  });

  it('refuses a code checked in under that is no longer valid (expired, revoked) or completed', () => {
    expect(resultCodeRefusal([code({ checkedIn: true, valid: false, invalidReason: 'expired' })])).toContain(
      'expired',
    );
    expect(
      resultCodeRefusal([
        code({ status: 'revoked', checkedIn: true, valid: false, invalidReason: 'revoked' }),
      ]),
    ).toContain('revoked');
    expect(resultCodeRefusal([code({ status: 'completed', checkedIn: true })])).toContain('completed');
  });
});

describe('codeCompletedBy', () => {
  it('completes a code when none of its tasks is open and one has its result', () => {
    expect(codeCompletedBy(['completed'])).toBe(true);
    expect(codeCompletedBy(['completed', 'cancelled', 'replaced'])).toBe(true);
    expect(codeCompletedBy(['completed', 'assigned'])).toBe(false);
    expect(codeCompletedBy(['completed', 'in_progress'])).toBe(false);
    expect(codeCompletedBy(['cancelled'])).toBe(false);
    expect(codeCompletedBy([])).toBe(false);
  });
});
