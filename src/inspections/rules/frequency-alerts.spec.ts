import { describe, expect, it } from '@jest/globals';
import {
  InspectorCheck,
  inspectorsToReview,
  overCap,
  repeatVisits,
  visitsForAlerts,
} from './frequency-alerts.js';

describe('overCap', () => {
  it('within the cap, at the cap, or no check: no alert', () => {
    expect(overCap([])).toBeNull();
    expect(overCap([{ taskId: 1, cap: 2 }])).toBeNull();
    expect(
      overCap([
        { taskId: 1, cap: 2 },
        { taskId: 2, cap: 2 },
      ]),
    ).toBeNull();
  });
  it('one over: the checks, the cap and the excess', () => {
    expect(
      overCap([
        { taskId: 3, cap: 2 },
        { taskId: 1, cap: 2 },
        { taskId: 2, cap: 2 },
      ]),
    ).toEqual({
      checks: 3,
      cap: 2,
      over: 1,
      taskIds: [1, 2, 3],
    });
  });
  it('the strictest plan applies; a cap of 0 (tier A) makes any routine check an alert', () => {
    expect(
      overCap([
        { taskId: 1, cap: 3 },
        { taskId: 2, cap: 1 },
      ]),
    ).toMatchObject({ cap: 1, over: 1 });
    expect(overCap([{ taskId: 1, cap: 0 }])).toMatchObject({ checks: 1, cap: 0, over: 1 });
  });
  it('refuses a cap that is not an integer >= 0', () => {
    expect(() => overCap([{ taskId: 1, cap: -1 }])).toThrow(RangeError);
    expect(() => overCap([{ taskId: 1, cap: 1.5 }])).toThrow(RangeError);
  });
});

describe('repeatVisits', () => {
  const v = (key: string, date: string) => ({ key, date });

  it('one visit a day, two a week, three a month: no alert', () => {
    expect(repeatVisits([])).toEqual([]);
    expect(repeatVisits([v('a', '2027-03-01'), v('b', '2027-03-07'), v('c', '2027-03-20')])).toEqual([]);
  });

  it('two on one day: a day alert', () => {
    expect(repeatVisits([v('a', '2027-03-01'), v('b', '2027-03-01')])).toEqual([
      { rule: 'day', limit: 1, from: '2027-03-01', to: '2027-03-01', visits: ['a', 'b'] },
    ]);
  });

  it('three within 7 days (d .. d+6): a week alert; the eighth day is outside', () => {
    expect(repeatVisits([v('a', '2027-03-01'), v('b', '2027-03-04'), v('c', '2027-03-07')])).toEqual([
      { rule: 'week', limit: 2, from: '2027-03-01', to: '2027-03-07', visits: ['a', 'b', 'c'] },
    ]);
    expect(repeatVisits([v('a', '2027-03-01'), v('b', '2027-03-04'), v('c', '2027-03-08')])).toEqual([]);
  });

  it('a crowded stretch gives its distinct windows, not one alert per visit', () => {
    const alerts = repeatVisits([
      v('a', '2027-05-01'),
      v('b', '2027-05-02'),
      v('c', '2027-05-03'),
      v('d', '2027-05-04'),
    ]).filter((x) => x.rule === 'week');
    expect(alerts.map((x) => x.visits)).toEqual([['a', 'b', 'c', 'd']]);
    const spread = repeatVisits([
      v('a', '2027-05-01'),
      v('b', '2027-05-05'),
      v('c', '2027-05-07'),
      v('d', '2027-05-11'),
    ]);
    expect(spread.filter((x) => x.rule === 'week').map((x) => x.visits)).toEqual([
      ['a', 'b', 'c'],
      ['b', 'c', 'd'],
    ]);
  });

  it('four in a calendar month: a month alert; spread over two months: none', () => {
    const four = [v('a', '2027-03-01'), v('b', '2027-03-10'), v('c', '2027-03-20'), v('d', '2027-03-31')];
    expect(repeatVisits(four)).toEqual([
      { rule: 'month', limit: 3, from: '2027-03-01', to: '2027-03-31', visits: ['a', 'b', 'c', 'd'] },
    ]);
    expect(repeatVisits([...four.slice(0, 3), v('d', '2027-04-01')])).toEqual([]);
  });

  it('a week across a month end counts; input order does not matter; rules in order day, week, month', () => {
    const alerts = repeatVisits([
      v('c', '2027-02-02'),
      v('a', '2027-01-28'),
      v('b', '2027-01-31'),
      v('b2', '2027-01-31'),
    ]);
    expect(alerts.map((x) => [x.rule, x.visits])).toEqual([
      ['day', ['b', 'b2']],
      ['week', ['a', 'b', 'b2', 'c']],
    ]);
  });

  it('limits can be given', () => {
    expect(repeatVisits([v('a', '2027-03-01'), v('b', '2027-03-01')], { day: 2, week: 5, month: 9 })).toEqual(
      [],
    );
  });

  it('refuses a bad date', () => {
    expect(() => repeatVisits([v('a', '2027-02-30')])).toThrow(RangeError);
  });
});

describe('inspectorsToReview', () => {
  let n = 0;
  const c = (inspectorId: number, enterpriseId: number, day: string, outcome: InspectorCheck['outcome']) => ({
    inspectorId,
    enterpriseId,
    taskId: ++n,
    recordedAt: `${day}T02:00:00.000Z`,
    outcome,
  });

  it('N no-problem results in a row are flagged; N - 1 are not', () => {
    n = 0;
    const three = [
      c(1, 9, '2027-01-01', 'no_problem'),
      c(1, 9, '2027-02-01', 'no_problem'),
      c(1, 9, '2027-03-01', 'no_problem'),
    ];
    expect(inspectorsToReview(three, 3)).toEqual([
      {
        inspectorId: 1,
        enterpriseId: 9,
        streak: 3,
        taskIds: [1, 2, 3],
        from: '2027-01-01T02:00:00.000Z',
        to: '2027-03-01T02:00:00.000Z',
      },
    ]);
    expect(inspectorsToReview(three.slice(0, 2), 3)).toEqual([]);
  });

  it('a finding ends the run; only the run at the end counts', () => {
    n = 0;
    const checks = [
      c(1, 9, '2027-01-01', 'no_problem'),
      c(1, 9, '2027-02-01', 'no_problem'),
      c(1, 9, '2027-03-01', 'no_problem'),
      c(1, 9, '2027-04-01', 'problems_found'),
      c(1, 9, '2027-05-01', 'no_problem'),
    ];
    expect(inspectorsToReview(checks, 3)).toEqual([]);
  });

  it('refused and not found neither count nor end the run', () => {
    n = 0;
    const checks = [
      c(1, 9, '2027-01-01', 'no_problem'),
      c(1, 9, '2027-02-01', 'refused'),
      c(1, 9, '2027-03-01', 'no_problem'),
      c(1, 9, '2027-04-01', 'not_found'),
    ];
    expect(inspectorsToReview(checks, 2)).toMatchObject([{ streak: 2, taskIds: [1, 3] }]);
    expect(inspectorsToReview(checks, 3)).toEqual([]);
  });

  it('per inspector and enterprise apart; order of input does not matter; sorted by inspector, enterprise', () => {
    n = 0;
    const checks = [
      c(2, 8, '2027-02-01', 'no_problem'),
      c(1, 9, '2027-02-01', 'no_problem'),
      c(2, 8, '2027-01-01', 'no_problem'),
      c(1, 8, '2027-01-01', 'no_problem'),
      c(1, 9, '2027-01-01', 'no_problem'),
    ];
    expect(inspectorsToReview(checks, 2).map((r) => [r.inspectorId, r.enterpriseId, r.taskIds])).toEqual([
      [1, 9, [5, 2]],
      [2, 8, [3, 1]],
    ]);
  });

  it('refuses a streak below 1', () => {
    expect(() => inspectorsToReview([], 0)).toThrow(RangeError);
  });
});

describe('visitsForAlerts', () => {
  it('counts a checked-in code as one visit on its first check-in day, a code never checked in as none', () => {
    expect(
      visitsForAlerts(
        [
          { codeNo: 'BBBBBBBB', visitId: 2, checkedInOn: '2026-03-02' },
          { codeNo: 'AAAAAAAA', visitId: 1, checkedInOn: '2026-03-01' },
          { codeNo: 'CCCCCCCC', visitId: 3, checkedInOn: null },
        ],
        [],
      ),
    ).toEqual([
      { key: 'code:AAAAAAAA', date: '2026-03-01' },
      { key: 'code:BBBBBBBB', date: '2026-03-02' },
    ]);
  });

  it('keeps visits recorded without a code, once per joint visit on its first result, unless a code of it was checked in', () => {
    expect(
      visitsForAlerts(
        [{ codeNo: 'AAAAAAAA', visitId: 1, checkedInOn: '2026-03-05' }],
        [
          { visitId: 1, taskId: 10, date: '2026-03-05' },
          { visitId: 4, taskId: 11, date: '2026-03-03' },
          { visitId: 4, taskId: 12, date: '2026-03-02' },
          { visitId: null, taskId: 13, date: '2026-03-04' },
        ],
      ),
    ).toEqual([
      { key: 'visit:4', date: '2026-03-02' },
      { key: 'task:13', date: '2026-03-04' },
      { key: 'code:AAAAAAAA', date: '2026-03-05' },
    ]);
  });

  it('counts codes of one visit checked in on one day once (revoked and issued again), on another day twice', () => {
    const sameDay = visitsForAlerts(
      [
        { codeNo: 'BBBBBBBB', visitId: 1, checkedInOn: '2026-03-01' },
        { codeNo: 'AAAAAAAA', visitId: 1, checkedInOn: '2026-03-01' },
      ],
      [],
    );
    expect(sameDay).toEqual([{ key: 'code:AAAAAAAA', date: '2026-03-01' }]);
    expect(repeatVisits(sameDay)).toEqual([]);
  });

  it('feeds the one repeat-visit rule: a revoked code checked in and its successor the next day are two visits', () => {
    const visits = visitsForAlerts(
      [
        { codeNo: 'AAAAAAAA', visitId: 1, checkedInOn: '2026-03-01' },
        { codeNo: 'BBBBBBBB', visitId: 1, checkedInOn: '2026-03-02' },
        { codeNo: 'CCCCCCCC', visitId: 2, checkedInOn: '2026-03-02' },
      ],
      [],
    );
    expect(repeatVisits(visits).map((a) => [a.rule, a.visits])).toEqual([
      ['day', ['code:BBBBBBBB', 'code:CCCCCCCC']],
      ['week', ['code:AAAAAAAA', 'code:BBBBBBBB', 'code:CCCCCCCC']],
    ]);
  });
});
