import { assignInspectors, InspectorShortfallError, TaskToStaff } from './inspector-assignment.js';
import { AssignableInspector, RecusalPair, Shortfall, StaffedTask } from './inspector-assignment.js';
import { continueShuffle, digestMod, Sha256Stream, sha256Hex, shuffledPrefix } from './sha256-stream.js';

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

// The literal implementation of the module comment's algorithm (as first written: every task
// walks and sorts the whole department), kept to check that the quick one gives the same answers.
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
function referenceAssign(
  tasks: readonly TaskToStaff[],
  inspectors: readonly AssignableInspector[],
  recusals: readonly RecusalPair[],
  seed: string,
  perTask = 2,
  load: ReadonlyMap<number, number> = new Map(),
): StaffedTask[] {
  if (!Number.isInteger(perTask) || perTask < 1) throw new RangeError('perTask must be at least 1');
  const byDepartment = new Map<string, AssignableInspector[]>();
  for (const i of [...inspectors].sort((a, b) => a.userId - b.userId)) {
    const list = byDepartment.get(i.department) ?? [];
    list.push(i);
    byDepartment.set(i.department, list);
  }
  const order = new Map<string, AssignableInspector[]>();
  for (const [department, list] of byDepartment)
    order.set(
      department,
      shuffledPrefix(list, list.length, new Sha256Stream(seed, `inspectors|${department}`)),
    );
  const qualified = new Map(inspectors.map((i) => [i.userId, new Set(i.itemIds)]));
  const conflicts = new Map<string, number>();
  for (const r of recusals) conflicts.set(`${r.inspectorId}|${r.enterpriseId}`, r.id);
  const current = new Map(load);
  const cursor = new Map<string, number>();
  const sorted = [...tasks].sort((a, b) => byCodePoint(a.key, b.key));
  const out: StaffedTask[] = [];
  const short = new Map<string, Shortfall>();
  for (let t = 0; t < sorted.length; t++) {
    const task = sorted[t]!;
    if (t > 0 && sorted[t - 1]!.key === task.key) throw new RangeError(`two tasks share the key ${task.key}`);
    const list = order.get(task.department) ?? [];
    const start = cursor.get(task.department) ?? 0;
    // every qualified inspector in walk order, the recused ones marked
    const qualifiedHere: { userId: number; walk: number; recusalId?: number }[] = [];
    for (let w = 0; w < list.length; w++) {
      const inspector = list[(start + w) % list.length]!;
      const items = qualified.get(inspector.userId)!;
      if (!task.itemIds.every((id) => items.has(id))) continue;
      qualifiedHere.push({
        userId: inspector.userId,
        walk: w,
        recusalId: conflicts.get(`${inspector.userId}|${task.enterpriseId}`),
      });
    }
    const eligibleCount = qualifiedHere.filter((q) => q.recusalId === undefined).length;
    if (eligibleCount < perTask) {
      const s = short.get(task.department);
      if (s) {
        s.tasks++;
        s.available = Math.max(s.available, eligibleCount);
      } else
        short.set(task.department, {
          department: task.department,
          tasks: 1,
          needed: perTask,
          available: eligibleCount,
          exampleKey: task.key,
          exampleItemIds: task.itemIds,
        });
      continue;
    }
    // least loaded first, then walk order; a recused inspector met before the task is staffed is
    // recorded as skipped (it would have been taken), and the next one is taken instead
    const ranked = [...qualifiedHere].sort(
      (a, b) => (current.get(a.userId) ?? 0) - (current.get(b.userId) ?? 0) || a.walk - b.walk,
    );
    const taken: { userId: number; walk: number }[] = [];
    const skipped: StaffedTask['skipped'] = [];
    for (const q of ranked) {
      if (taken.length === perTask) break;
      if (q.recusalId !== undefined) skipped.push({ userId: q.userId, recusalId: q.recusalId });
      else taken.push(q);
    }
    taken.sort((a, b) => a.walk - b.walk);
    for (const e of taken) current.set(e.userId, (current.get(e.userId) ?? 0) + 1);
    cursor.set(task.department, (start + taken[taken.length - 1]!.walk + 1) % list.length);
    out.push({ key: task.key, inspectors: taken.map((e) => e.userId), skipped });
  }
  if (short.size) throw new InspectorShortfallError([...short.values()]);
  return out;
}

describe('assignInspectors equals the literal algorithm', () => {
  /** a small seeded generator for the test's random inputs (not the draw's randomness) */
  const lcg = (seed: number) => () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'random inputs #%i (departments, qualifications, recusals, loads)',
    (n) => {
      const rand = lcg(n * 7919);
      const departments = ['market', 'health', 'fire'];
      const items = [1, 2, 3, 4, 5];
      const inspectors = Array.from({ length: 5 + Math.floor(rand() * 25) }, (_, i) => ({
        userId: 1000 - i * 3,
        department: departments[Math.floor(rand() * 3)]!,
        itemIds: items.filter(() => rand() < 0.7),
      }));
      const tasks: TaskToStaff[] = [];
      for (let e = 0; e < 60; e++)
        for (const d of departments)
          if (rand() < 0.5)
            tasks.push({
              key: `E${String(e).padStart(3, '0')}|${d}`,
              enterpriseId: e,
              department: d,
              itemIds: items.filter(() => rand() < 0.3),
            });
      const recusals = Array.from({ length: Math.floor(rand() * 40) }, (_, i) => ({
        id: i + 1,
        inspectorId: inspectors[Math.floor(rand() * inspectors.length)]!.userId,
        enterpriseId: Math.floor(rand() * 60),
      }));
      const load = new Map(
        inspectors.filter(() => rand() < 0.3).map((i) => [i.userId, Math.floor(rand() * 3)]),
      );
      for (const perTask of [1, 2, 3]) {
        const run = (f: typeof assignInspectors) => {
          try {
            return f(tasks, inspectors, recusals, `seed-${n}`, perTask, load);
          } catch (e) {
            return e instanceof InspectorShortfallError ? e.shortfalls : e;
          }
        };
        expect(run(assignInspectors)).toEqual(run(referenceAssign));
      }
      // every department staffed and every inspector qualified: no shortfall, the assignments compared
      const wide = Array.from({ length: 18 }, (_, i) => ({
        userId: 500 - i,
        department: departments[i % 3]!,
        itemIds: items,
      }));
      const wideRecusals = recusals.map((r, i) => ({ ...r, inspectorId: wide[i % 18]!.userId }));
      for (const perTask of [1, 2, 3]) {
        const quick = assignInspectors(tasks, wide, wideRecusals, 's', perTask, load);
        expect(quick).toEqual(referenceAssign(tasks, wide, wideRecusals, 's', perTask, load));
        expect(quick).toHaveLength(tasks.length);
      }
    },
  );
  it('refuses an inspector listed twice', () => {
    const i = { userId: 1, department: 'market', itemIds: [] };
    expect(() => assignInspectors([], [i, i], [], 's')).toThrow(RangeError);
  });
});

describe('digestMod (the stream number mod n without BigInt)', () => {
  it('equals the BigInt remainder for small, 2^36-near and large moduli', () => {
    for (const text of ['a', 'b', 'seed|targets|F01|B|17'])
      for (const n of [1, 2, 3, 10, 65535, 65536, 1000003, 2 ** 36 - 1, 2 ** 36, 2 ** 36 + 1, 2 ** 53 - 1]) {
        const digest = Buffer.from(sha256Hex(text), 'hex');
        expect(digestMod(digest, n)).toBe(Number(BigInt('0x' + sha256Hex(text)) % BigInt(n)));
      }
  });
});
