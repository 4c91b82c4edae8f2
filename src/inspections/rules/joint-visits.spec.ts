import { describe, expect, it } from '@jest/globals';
import { addDays, dayNumber, daysBetween } from '../../common/calendar-days.js';
import {
  ChecklistItem,
  combinedChecklist,
  groupVisits,
  leadDepartment,
  mergeReason,
  planRegroup,
  visitSavings,
  VisitTask,
} from './joint-visits.js';

const task = (
  id: number,
  department: string,
  windowStart: string,
  windowEnd: string,
  itemIds: number[] = [id],
  planLead: string | null = null,
): VisitTask => ({ id, department, windowStart, windowEnd, itemIds, planLead });

describe('calendar days', () => {
  it('counts and adds days across months, leap days and years', () => {
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2027-12-31', 1)).toBe('2028-01-01');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
    expect(daysBetween('2027-01-01', '2027-12-31')).toBe(364);
    expect(daysBetween('2027-02-01', '2027-01-01')).toBe(-31);
  });
  it('refuses what is not a real date', () => {
    expect(() => dayNumber('2027-02-29')).toThrow(RangeError);
    expect(() => addDays('2027-1-1', 1)).toThrow(RangeError);
  });
});

describe('groupVisits (综合查一次)', () => {
  it('no task, no visit', () => {
    expect(groupVisits([])).toEqual([]);
  });

  it('one task is a visit of its own, not joint', () => {
    expect(groupVisits([task(1, 'market', '2027-03-01', '2027-03-31')])).toEqual([
      {
        taskIds: [1],
        windowStart: '2027-03-01',
        windowEnd: '2027-03-31',
        leadDepartment: 'market',
        joint: false,
      },
    ]);
  });

  it('overlapping windows of several departments become one joint visit with the shared window', () => {
    const v = groupVisits([
      task(2, 'health', '2027-03-10', '2027-04-30'),
      task(1, 'market', '2027-03-01', '2027-03-31'),
      task(3, 'fire', '2027-03-20', '2027-05-31'),
    ]);
    expect(v).toEqual([
      {
        taskIds: [1, 2, 3],
        windowStart: '2027-03-20',
        windowEnd: '2027-03-31',
        leadDepartment: 'fire',
        joint: true,
      },
    ]);
  });

  it('windows touching on one day overlap; the day after does not', () => {
    expect(
      groupVisits([
        task(1, 'market', '2027-03-01', '2027-03-10'),
        task(2, 'health', '2027-03-10', '2027-03-20'),
      ]),
    ).toHaveLength(1);
    const apart = groupVisits([
      task(1, 'market', '2027-03-01', '2027-03-10'),
      task(2, 'health', '2027-03-11', '2027-03-20'),
    ]);
    expect(apart.map((g) => g.taskIds)).toEqual([[1], [2]]);
    expect(apart.every((g) => !g.joint)).toBe(true);
  });

  it('a chain without a common day splits where the shared window would be empty (fewest visits)', () => {
    // 1 and 3 do not overlap; 2 overlaps both: two visits are the least possible
    const v = groupVisits([
      task(1, 'market', '2027-01-01', '2027-01-10'),
      task(2, 'health', '2027-01-08', '2027-01-20'),
      task(3, 'fire', '2027-01-18', '2027-01-30'),
    ]);
    expect(v.map((g) => [g.taskIds, g.windowStart, g.windowEnd])).toEqual([
      [[1, 2], '2027-01-08', '2027-01-10'],
      [[3], '2027-01-18', '2027-01-30'],
    ]);
  });

  it('a long window under several short disjoint ones joins the first (its shared window is then the short one)', () => {
    const v = groupVisits([
      task(1, 'market', '2027-01-01', '2027-12-31'),
      task(2, 'health', '2027-02-01', '2027-02-10'),
      task(3, 'fire', '2027-06-01', '2027-06-10'),
    ]);
    expect(v.map((g) => g.taskIds)).toEqual([[1, 2], [3]]);
    expect(v[0]).toMatchObject({ windowStart: '2027-02-01', windowEnd: '2027-02-10' });
  });

  it('same windows: ordered by id, one visit', () => {
    const v = groupVisits([
      task(9, 'market', '2027-01-01', '2027-01-05'),
      task(4, 'market', '2027-01-01', '2027-01-05'),
    ]);
    expect(v).toEqual([
      {
        taskIds: [4, 9],
        windowStart: '2027-01-01',
        windowEnd: '2027-01-05',
        leadDepartment: 'market',
        joint: true,
      },
    ]);
  });

  it('a one-day window', () => {
    expect(groupVisits([task(1, 'market', '2027-01-05', '2027-01-05')])[0]).toMatchObject({
      windowStart: '2027-01-05',
      windowEnd: '2027-01-05',
    });
  });

  it('refuses a window ending before it starts, a bad date, or two tasks with one id', () => {
    expect(() => groupVisits([task(1, 'market', '2027-01-05', '2027-01-04')])).toThrow(/ends before/);
    expect(() => groupVisits([task(1, 'market', '2027-13-01', '2027-12-04')])).toThrow(RangeError);
    expect(() =>
      groupVisits([
        task(1, 'market', '2027-01-01', '2027-01-04'),
        task(1, 'health', '2027-01-01', '2027-01-04'),
      ]),
    ).toThrow(/share the id/);
  });
});

describe('leadDepartment', () => {
  it("the plan's lead when it has a task in the visit, even with fewer items", () => {
    expect(
      leadDepartment([
        task(1, 'health', '2027-01-01', '2027-01-31', [1, 2, 3], 'market'),
        task(2, 'market', '2027-01-01', '2027-01-31', [4], 'market'),
      ]),
    ).toBe('market');
  });
  it("a plan's lead without a task in the visit does not lead: the most items does", () => {
    expect(
      leadDepartment([
        task(1, 'health', '2027-01-01', '2027-01-31', [1, 2], 'market'),
        task(2, 'fire', '2027-01-01', '2027-01-31', [3], 'market'),
      ]),
    ).toBe('health');
  });
  it('no plan (event tasks): the department with most distinct items; the same item twice counts once', () => {
    expect(
      leadDepartment([
        task(1, 'fire', '2027-01-01', '2027-01-31', [1, 2]),
        task(2, 'health', '2027-01-01', '2027-01-31', [3]),
        task(3, 'health', '2027-01-01', '2027-01-31', [3]),
      ]),
    ).toBe('fire');
  });
  it('ties by department code', () => {
    expect(
      leadDepartment([
        task(1, 'market', '2027-01-01', '2027-01-31', [1]),
        task(2, 'health', '2027-01-01', '2027-01-31', [2]),
      ]),
    ).toBe('health');
  });
  it('two plan leads present: the one with more items, then by code', () => {
    const both = [
      task(1, 'market', '2027-01-01', '2027-01-31', [1], 'market'),
      task(2, 'health', '2027-01-01', '2027-01-31', [2, 3], 'health'),
      task(3, 'fire', '2027-01-01', '2027-01-31', [4, 5, 6]),
    ];
    expect(leadDepartment(both)).toBe('health');
    expect(leadDepartment([both[0]!, { ...both[1]!, itemIds: [2] }])).toBe('health');
  });
  it('refuses an empty visit', () => {
    expect(() => leadDepartment([])).toThrow(RangeError);
  });
});

describe('mergeReason', () => {
  it('names the other tasks, the shared window and the lead in Chinese; or says the task is alone', () => {
    const [joint] = groupVisits([
      task(1, 'market', '2027-03-01', '2027-03-31'),
      task(2, 'health', '2027-03-10', '2027-04-30'),
    ]);
    expect(mergeReason(2, joint!)).toBe(
      '与任务 #1 检查窗口重叠，合并为一次联合检查（共同窗口 2027-03-10 至 2027-03-31，牵头部门 卫生健康委员会）',
    );
    const [alone] = groupVisits([task(5, 'market', '2027-03-01', '2027-03-31')]);
    expect(mergeReason(5, alone!)).toMatch(/^单独一次检查/);
  });
});

describe('planRegroup', () => {
  const stored = (id: number, leadDepartment: string, windowStart: string, windowEnd: string) => ({
    id,
    leadDepartment,
    windowStart,
    windowEnd,
  });

  it('new tasks without visits: one new visit per group, every task a move with its reason', () => {
    const p = planRegroup(
      [
        { ...task(1, 'market', '2027-03-01', '2027-03-31'), visitId: null },
        { ...task(2, 'health', '2027-03-15', '2027-04-15'), visitId: null },
        { ...task(3, 'fire', '2027-06-01', '2027-06-30'), visitId: null },
      ],
      [],
    );
    expect(p.kept).toEqual([]);
    expect(p.created.map((c) => c.taskIds)).toEqual([[1, 2], [3]]);
    expect(p.moves.map((m) => [m.taskId, m.created])).toEqual([
      [1, 0],
      [2, 0],
      [3, 1],
    ]);
    expect(p.moves[0]!.reason).toMatch(/#2/);
    expect(p.emptied).toEqual([]);
  });

  it('a new task joins the stored visit it overlaps: only the new task moves; the visit window and lead follow', () => {
    const p = planRegroup(
      [
        { ...task(1, 'market', '2027-03-01', '2027-03-31'), visitId: 7 },
        { ...task(2, 'health', '2027-03-20', '2027-04-03', [8, 9]), visitId: null },
      ],
      [stored(7, 'market', '2027-03-01', '2027-03-31')],
    );
    expect(p.created).toEqual([]);
    expect(p.kept).toEqual([
      {
        visitId: 7,
        taskIds: [1, 2],
        windowStart: '2027-03-20',
        windowEnd: '2027-03-31',
        leadDepartment: 'health',
        joint: true,
        changed: true,
      },
    ]);
    expect(p.moves).toEqual([
      { taskId: 2, visitId: 7, created: null, reason: expect.stringContaining('#1') },
    ]);
  });

  it('nothing changed: no move, the visit unchanged', () => {
    const p = planRegroup(
      [{ ...task(1, 'market', '2027-03-01', '2027-03-31'), visitId: 7 }],
      [stored(7, 'market', '2027-03-01', '2027-03-31')],
    );
    expect(p.moves).toEqual([]);
    expect(p.kept[0]).toMatchObject({ visitId: 7, changed: false });
  });

  it('two stored visits bridged by a new task: the one holding more tasks is kept, the other emptied', () => {
    const p = planRegroup(
      [
        { ...task(1, 'market', '2027-03-01', '2027-03-20'), visitId: 5 },
        { ...task(2, 'market', '2027-03-01', '2027-03-20'), visitId: 6 },
        { ...task(3, 'market', '2027-03-05', '2027-03-20'), visitId: 6 },
      ],
      [stored(5, 'market', '2027-03-01', '2027-03-20'), stored(6, 'market', '2027-03-05', '2027-03-20')],
    );
    expect(p.kept.map((k) => [k.visitId, k.taskIds])).toEqual([[6, [1, 2, 3]]]);
    expect(p.moves.map((m) => m.taskId)).toEqual([1]);
    expect(p.emptied).toEqual([5]);
  });

  it('ties between stored visits go to the lower id', () => {
    const p = planRegroup(
      [
        { ...task(1, 'market', '2027-03-01', '2027-03-20'), visitId: 9 },
        { ...task(2, 'health', '2027-03-01', '2027-03-20'), visitId: 4 },
      ],
      [stored(9, 'market', '2027-03-01', '2027-03-20'), stored(4, 'health', '2027-03-01', '2027-03-20')],
    );
    expect(p.kept.map((k) => k.visitId)).toEqual([4]);
    expect(p.emptied).toEqual([9]);
  });

  it('a visit split in two: the first group keeps it, the second gets a new visit', () => {
    const p = planRegroup(
      [
        { ...task(1, 'market', '2027-03-01', '2027-03-05'), visitId: 3 },
        { ...task(2, 'health', '2027-03-10', '2027-03-20'), visitId: 3 },
      ],
      [stored(3, 'market', '2027-03-01', '2027-03-20')],
    );
    expect(p.kept.map((k) => [k.visitId, k.taskIds])).toEqual([[3, [1]]]);
    expect(p.created.map((c) => c.taskIds)).toEqual([[2]]);
    expect(p.moves).toEqual([
      { taskId: 2, visitId: null, created: 0, reason: expect.stringMatching(/^单独一次检查/) },
    ]);
  });

  it('a visit id that is not among the open visits counts as none', () => {
    const p = planRegroup([{ ...task(1, 'market', '2027-03-01', '2027-03-05'), visitId: 99 }], []);
    expect(p.created).toHaveLength(1);
    expect(p.moves.map((m) => m.taskId)).toEqual([1]);
  });
});

describe('combinedChecklist (一表通查)', () => {
  const item = (
    id: number,
    code: string,
    department: string,
    checkMethod: ChecklistItem['checkMethod'] = 'on_site',
  ) => ({
    id,
    code,
    name: `事项${code}`,
    department,
    legalBasis: '《条例》第1条',
    checkMethod,
    requirements: [`${code}-1`, `${code}-2`],
  });
  const items = [
    item(1, 'M-02', 'market'),
    item(2, 'M-01', 'market', 'documents'),
    item(3, 'H-01', 'health'),
    item(4, 'F-01', 'fire', 'data'),
  ];

  it("each item once with every task asking for it; the lead's items first, then by department and code", () => {
    const c = combinedChecklist(
      [
        { id: 10, department: 'market', itemIds: [1, 2] },
        { id: 11, department: 'health', itemIds: [3] },
        { id: 12, department: 'market', itemIds: [1] },
        { id: 13, department: 'fire', itemIds: [4] },
      ],
      items,
      'market',
    );
    expect(c.leadDepartment).toBe('market');
    expect(c.departments).toEqual(['market', 'fire', 'health']);
    expect(c.entries.map((e) => [e.code, e.taskIds])).toEqual([
      ['M-01', [10]],
      ['M-02', [10, 12]],
      ['F-01', [13]],
      ['H-01', [11]],
    ]);
    expect(c.entries[0]!.requirements).toEqual(['M-01-1', 'M-01-2']);
    expect(c.onSite).toBe(true);
  });

  it('documents or data only: no on-site visit needed', () => {
    const c = combinedChecklist(
      [
        { id: 1, department: 'market', itemIds: [2] },
        { id: 2, department: 'fire', itemIds: [4] },
      ],
      items,
      'fire',
    );
    expect(c.onSite).toBe(false);
    expect(c.entries.map((e) => e.code)).toEqual(['F-01', 'M-01']);
  });

  it('refuses an item it was not given', () => {
    expect(() =>
      combinedChecklist([{ id: 1, department: 'market', itemIds: [99] }], items, 'market'),
    ).toThrow(/item 99/);
  });
});

describe('visitSavings (联合检查成效)', () => {
  it('a visit of n tasks saves n - 1; each saving counted for a task beyond the lead task', () => {
    const s = visitSavings([
      { leadDepartment: 'market', taskDepartments: ['health', 'market', 'fire'] },
      { leadDepartment: 'health', taskDepartments: ['health'] },
      { leadDepartment: 'market', taskDepartments: ['market', 'market'] },
    ]);
    expect(s).toMatchObject({ tasks: 6, visits: 3, jointVisits: 2, saved: 3 });
    expect(s.byDepartment).toEqual([
      { department: 'fire', tasks: 1, inJointVisits: 1, led: 0, saved: 1 },
      { department: 'health', tasks: 2, inJointVisits: 1, led: 1, saved: 1 },
      { department: 'market', tasks: 3, inJointVisits: 3, led: 2, saved: 1 },
    ]);
    expect(s.byDepartment.reduce((a, d) => a + d.saved, 0)).toBe(s.saved);
  });
  it('nothing merged saves nothing; a visit without tasks is not counted', () => {
    expect(
      visitSavings([
        { leadDepartment: 'market', taskDepartments: ['market'] },
        { leadDepartment: 'market', taskDepartments: [] },
      ]),
    ).toMatchObject({ tasks: 1, visits: 1, jointVisits: 0, saved: 0 });
    expect(visitSavings([])).toEqual({ tasks: 0, visits: 0, jointVisits: 0, saved: 0, byDepartment: [] });
  });
});
