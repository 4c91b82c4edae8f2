import { assignInspectors, InspectorShortfallError, TaskToStaff } from './inspector-assignment.js';
import { continueShuffle, Sha256Stream, sha256Hex, shuffledPrefix } from './sha256-stream.js';

describe('Sha256Stream (published definition: SHA-256 of "<seed>|<label>|<i>" mod n)', () => {
  it('matches the definition computed by hand', () => {
    const s = new Sha256Stream('seed', 'x');
    const expected = Number(BigInt('0x' + sha256Hex('seed|x|0')) % 1000n);
    expect(s.below(1000)).toBe(expected);
    expect(s.below(1000)).toBe(Number(BigInt('0x' + sha256Hex('seed|x|1')) % 1000n));
    expect(s.taken).toBe(2);
  });
  it('fixed vector (computed apart with Python hashlib): seed "abc", label "t"', () => {
    const s = new Sha256Stream('abc', 't');
    expect([s.below(10), s.below(10), s.below(10)]).toEqual([0, 3, 9]);
    const big = new Sha256Stream('abc', 't');
    expect([big.below(1000003), big.below(1000003), big.below(1000003)]).toEqual([399858, 665881, 994269]);
  });
  it('refuses n below 1 or not an integer', () => {
    const s = new Sha256Stream('a', 'b');
    expect(() => s.below(0)).toThrow(RangeError);
    expect(() => s.below(1.5)).toThrow(RangeError);
    expect(s.below(1)).toBe(0);
  });
  it('a prefix continued later equals a longer prefix taken at once (replacements)', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const once = shuffledPrefix(items, 10, new Sha256Stream('s', 'l'));
    const stream = new Sha256Stream('s', 'l');
    const step = shuffledPrefix(items, 6, stream);
    continueShuffle(step, 6, 10, stream);
    expect(step.slice(0, 10)).toEqual(once.slice(0, 10));
    expect(new Set(once).size).toBe(50);
  });
});

describe('assignInspectors', () => {
  const inspectors = [1, 2, 3, 4, 5, 6].map((userId) => ({
    userId,
    department: 'market',
    itemIds: [10, 11],
  }));
  const tasks: TaskToStaff[] = Array.from({ length: 9 }, (_, i) => ({
    key: `e${i}|market`,
    enterpriseId: 100 + i,
    department: 'market',
    itemIds: [10],
  }));

  it('gives every task 2 distinct inspectors of its department, evenly (loads differ by at most 1)', () => {
    const out = assignInspectors(tasks, inspectors, [], 'seed');
    expect(out).toHaveLength(9);
    const load = new Map<number, number>();
    for (const t of out) {
      expect(new Set(t.inspectors).size).toBe(2);
      for (const u of t.inspectors) load.set(u, (load.get(u) ?? 0) + 1);
    }
    expect(Math.max(...load.values()) - Math.min(...load.values())).toBeLessThanOrEqual(1);
    expect([...load.values()].reduce((a, b) => a + b, 0)).toBe(18);
  });

  it('is a pure function of its inputs: same seed same result, other seed other result, input order irrelevant', () => {
    const a = assignInspectors(tasks, inspectors, [], 'seed');
    expect(assignInspectors([...tasks].reverse(), [...inspectors].reverse(), [], 'seed')).toEqual(a);
    expect(assignInspectors(tasks, inspectors, [], 'other')).not.toEqual(a);
  });

  it('skips a recused inspector, records the skip and takes the next one', () => {
    const plain = assignInspectors(tasks.slice(0, 1), inspectors, [], 'seed')[0]!;
    const first = plain.inspectors[0]!;
    const out = assignInspectors(
      tasks.slice(0, 1),
      inspectors,
      [{ id: 7, inspectorId: first, enterpriseId: 100 }],
      'seed',
    )[0]!;
    expect(out.inspectors).not.toContain(first);
    expect(out.inspectors).toHaveLength(2);
    expect(out.skipped).toEqual([{ userId: first, recusalId: 7 }]);
  });

  it('a recusal on another enterprise changes nothing', () => {
    const plain = assignInspectors(tasks.slice(0, 1), inspectors, [], 'seed');
    expect(
      assignInspectors(tasks.slice(0, 1), inspectors, [{ id: 1, inspectorId: 1, enterpriseId: 999 }], 'seed'),
    ).toEqual(plain);
  });

  it('takes only inspectors qualified for every item of the task', () => {
    const mixed = [
      { userId: 1, department: 'market', itemIds: [10] },
      { userId: 2, department: 'market', itemIds: [10, 11] },
      { userId: 3, department: 'market', itemIds: [10, 11] },
      { userId: 4, department: 'fire', itemIds: [10, 11] },
    ];
    const out = assignInspectors(
      [{ key: 'a', enterpriseId: 1, department: 'market', itemIds: [10, 11] }],
      mixed,
      [],
      's',
    );
    expect(out[0]!.inspectors.sort()).toEqual([2, 3]);
  });

  it('starting load steers work to the least loaded', () => {
    const out = assignInspectors(
      tasks.slice(0, 1),
      inspectors,
      [],
      'seed',
      2,
      new Map([
        [1, 5],
        [2, 5],
        [3, 5],
        [4, 5],
      ]),
    );
    expect(out[0]!.inspectors.sort()).toEqual([5, 6]);
  });

  it('a shortfall names the department, the tasks and how many are available; nothing is assigned', () => {
    const few = [
      { userId: 1, department: 'market', itemIds: [10] },
      { userId: 2, department: 'fire', itemIds: [10] },
    ];
    try {
      assignInspectors(
        [...tasks.slice(0, 3), { key: 'f', enterpriseId: 1, department: 'fire', itemIds: [10] }],
        few,
        [],
        's',
      );
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(InspectorShortfallError);
      const s = (e as InspectorShortfallError).shortfalls;
      expect(s.map((x) => [x.department, x.tasks, x.needed, x.available])).toEqual([
        ['market', 3, 2, 1],
        ['fire', 1, 2, 1],
      ]);
      expect((e as Error).message).toContain(
        'department market: 3 task(s) need 2 qualified inspectors, at most 1 available',
      );
    }
  });

  it('recusal can cause the shortfall (2 qualified, 1 recused)', () => {
    const two = [
      { userId: 1, department: 'market', itemIds: [10] },
      { userId: 2, department: 'market', itemIds: [10] },
    ];
    expect(() =>
      assignInspectors(tasks.slice(0, 1), two, [{ id: 3, inspectorId: 2, enterpriseId: 100 }], 's'),
    ).toThrow(InspectorShortfallError);
  });

  it('refuses duplicate task keys and perTask below 1', () => {
    expect(() => assignInspectors([tasks[0]!, tasks[0]!], inspectors, [], 's')).toThrow(/share the key/);
    expect(() => assignInspectors(tasks, inspectors, [], 's', 0)).toThrow(RangeError);
  });
});
