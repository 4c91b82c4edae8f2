import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { InspectorShortfallError } from './inspector-assignment.js';
import {
  canonicalJson,
  commitProblems,
  commitmentOf,
  documentLines,
  DrawDocumentError,
  drawnCount,
  drawStrata,
  finalSeedOf,
  inputsDigest,
  NO_TIER,
  parseInputs,
  parseInspectors,
  parseParams,
  parseRecusals,
  parseRoster,
  positionInShuffle,
  ratioPpm,
  ratioText,
  rosterDocument,
  runPlanDraw,
  secretProblem,
  stratumKey,
} from './plan-draw.js';
import { VECTORS_BEGIN, VECTORS_END, vectorDocuments, vectorsMarkdown } from './plan-draw-vectors.js';
import { continueShuffle, Sha256Stream, sha256Hex } from './sha256-stream.js';

const docs = vectorDocuments();
const seed = finalSeedOf('s'.repeat(40), 'pv');

describe('docs/draw-verification.md', () => {
  it('holds exactly the generated test vectors (scripts/draw-test-vectors.mjs)', () => {
    const doc = readFileSync(new URL('../../../docs/draw-verification.md', import.meta.url), 'utf8');
    const a = doc.indexOf(VECTORS_BEGIN);
    const b = doc.indexOf(VECTORS_END);
    expect(a).toBeGreaterThan(0);
    expect(doc.slice(a, b + VECTORS_END.length)).toBe(vectorsMarkdown());
  });
  it('the vectors’ documents are what the doc prints', () => {
    const md = vectorsMarkdown();
    for (const n of ['roster', 'inspectors', 'recusals'] as const)
      expect(md).toContain('```csv\n' + docs[n] + '```');
    expect(md).toContain('```text\n' + docs.params + '\n```');
  });
});

describe('commitment, seed, digests', () => {
  it('commitment and final seed are SHA-256 of the secret and of <secret>|<public value>', () => {
    expect(commitmentOf('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(finalSeedOf('abc', 'x')).toBe(sha256Hex('abc|x'));
  });
  it('inputs digest is SHA-256 of the four name=digest lines in order', () => {
    const d = { params: 'p', roster: 'r', inspectors: 'i', recusals: 'c' };
    expect(inputsDigest(d)).toBe(sha256Hex('params=p\nroster=r\ninspectors=i\nrecusals=c\n'));
  });
  it('secrets: 32 to 200 characters, no control characters', () => {
    expect(secretProblem('x'.repeat(31))).toMatch(/at least 32/);
    expect(secretProblem('x'.repeat(201))).toMatch(/at most 200/);
    expect(secretProblem('x'.repeat(40) + '\n')).toMatch(/control/);
    expect(secretProblem('种'.repeat(32))).toBeNull();
  });
  it('canonical JSON: keys by code point, no spaces, arrays in order, undefined left out', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: null, c: 'x' }], e: undefined })).toBe(
      '{"a":[2,{"c":"x","d":null}],"b":1}',
    );
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(RangeError);
  });
  it('document lines: header not counted; params is one', () => {
    expect(documentLines('roster', docs.roster)).toBe(12);
    expect(documentLines('params', docs.params)).toBe(1);
    expect(documentLines('recusals', 'recusal_id,user_id,uscc\n')).toBe(0);
  });
});

describe('ratios in millionths', () => {
  it('parses 0..1 with up to 6 decimals, refuses the rest', () => {
    expect(ratioPpm('0')).toBe(0);
    expect(ratioPpm('0.05')).toBe(50000);
    expect(ratioPpm('0.050000')).toBe(50000);
    expect(ratioPpm('1')).toBe(1_000_000);
    expect(ratioPpm('1.000000')).toBe(1_000_000);
    for (const bad of ['1.5', '1.000001', '0.1234567', '-0.1', '.5', '', '2'])
      expect(() => ratioPpm(bad)).toThrow(RangeError);
    expect(ratioText(0.05)).toBe('0.050000');
    expect(ratioText(1)).toBe('1.000000');
  });
  it('drawn = ceil(eligible x ratio) exactly (20 x 0.05 is 1, not the floating 1.0000000000000002 -> 2)', () => {
    expect(drawnCount(20, 50000)).toBe(1);
    expect(drawnCount(21, 50000)).toBe(2);
    expect(drawnCount(0, 600000)).toBe(0);
    expect(drawnCount(7, 0)).toBe(0);
    expect(drawnCount(7, 1_000_000)).toBe(7);
    expect(drawnCount(1_000_000, 1)).toBe(1);
  });
});

describe('reading the documents', () => {
  const header = 'uscc,tier,industry,status,routine_checks_this_year\n';
  const line = (u: string, rest = 'B,F5211,active,0') => `${u},${rest}\n`;
  const U1 = '91310110MA1G8N5Y01';
  const U2 = '91310110MA1G8N5Y02';
  it('reads a roster column by column', () => {
    const r = parseRoster(
      header + line(U1) + line(U2, ',,deregistered,12') + line('91310110MA1G8N5Y03', 'Q,C14,suspended,3'),
      ['A', 'B'],
    );
    expect(r.length).toBe(3);
    expect(r.usccs).toEqual([U1, U2, '91310110MA1G8N5Y03']);
    expect([...r.tier]).toEqual([1, NO_TIER, NO_TIER]);
    expect(r.industries).toEqual(['F5211', '', 'C14']);
    expect([...r.inspectable]).toEqual([1, 0, 1]);
    expect([...r.routineChecks]).toEqual([0, 12, 3]);
    expect(parseRoster(header, ['A']).length).toBe(0);
  });
  it.each([
    ['no final line break', header + line(U1).trimEnd(), /last line/],
    ['a wrong header', 'uscc,tier\n' + line(U1), /header/],
    ['USCCs out of order', header + line(U2) + line(U1), /ascending/],
    ['a USCC repeated', header + line(U1) + line(U1), /ascending/],
    ['a short USCC', header + line('9131011', 'B,F5211,active,0'), /18 characters/],
    ['a lower-case USCC', header + line(U1.toLowerCase()), /18 characters/],
    ['an industry with one digit', header + line(U1, 'B,F5,active,0'), /industry/],
    ['an industry with 5 digits', header + line(U1, 'B,F52111,active,0'), /industry/],
    ['an industry letter past T', header + line(U1, 'B,Z52,active,0'), /industry/],
    ['a count with a leading zero', header + line(U1, 'B,F52,active,01'), /count/],
    ['a negative count', header + line(U1, 'B,F52,active,-1'), /count/],
    ['an empty count', header + line(U1, 'B,F52,active,'), /count/],
    ['a missing field', header + `${U1},B,F52\n`, /./],
    ['a bad status', header + line(U1, 'B,F52,Active,0'), /status/],
    ['a bad tier', header + line(U1, 'B b,F52,active,0'), /tier/],
  ])('refuses %s, naming the line', (_what, text, why) => {
    try {
      parseRoster(text, ['A', 'B']);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(DrawDocumentError);
      expect((e as Error).message).toMatch(why);
      expect((e as DrawDocumentError).document).toBe('roster');
    }
  });
  it('reads inspectors and recusals strictly', () => {
    expect(parseInspectors('user_id,department,item_ids\n3,market,1;4\n7,fire,\n')).toEqual([
      { userId: 3, department: 'market', itemIds: [1, 4] },
      { userId: 7, department: 'fire', itemIds: [] },
    ]);
    expect(() => parseInspectors('user_id,department,item_ids\n3,market,4;1\n')).toThrow(/ascending/);
    expect(() => parseInspectors('user_id,department,item_ids\n3,market,1\n2,market,1\n')).toThrow(
      /ascending/,
    );
    expect(() => parseInspectors('user_id,department,item_ids\n3,Market,1\n')).toThrow(/department/);
    expect(parseRecusals('recusal_id,user_id,uscc\n5,3,' + U1 + '\n')).toEqual([
      { recusalId: 5, userId: 3, uscc: U1 },
    ]);
    expect(() => parseRecusals('recusal_id,user_id,uscc\n5,3,x\n')).toThrow(DrawDocumentError);
  });
  it('params must be canonical', () => {
    expect(parseParams(docs.params).items.map((i) => i.code)).toEqual(['SC-H01', 'SC-H02', 'SC-M01']);
    expect(() => parseParams(docs.params.replace('{', '{ '))).toThrow(/canonical/);
    expect(() => parseParams('not json')).toThrow(/JSON/);
    expect(() => parseParams(docs.params.replace('"ratio":"0.500000"', '"ratio":"1.5"'))).toThrow(RangeError);
  });
  it('rosterDocument sorts by USCC and writes empty fields for none', () => {
    expect(
      rosterDocument([
        { uscc: U2, tier: null, industry: null, status: 'active', routineChecks: 0 },
        { uscc: U1, tier: 'B', industry: 'F52', status: 'active', routineChecks: 1 },
      ]),
    ).toBe(header + `${U1},B,F52,active,1\n${U2},,,active,0\n`);
  });
});

describe('the draw', () => {
  const inputs = parseInputs(docs);

  it('eligibility: applicable industry, inspectable status, tier sampled, under the cap; full coverage apart', () => {
    const { strata, fullCoverage, unclassified } = drawStrata(inputs, seed);
    const by = new Map(strata.map((s) => [stratumKey(s.itemCode, s.tier), s]));
    // SC-M01 applies to all: B lines 02, 03, 06 (suspended), 09 (deregistered), 11 (at cap 2), 12
    expect(by.get('SC-M01|B')).toMatchObject({
      applicable: 6,
      notInspectable: 1,
      atCap: 1,
      eligible: 4,
      drawn: 2,
    });
    // C has cap 1: line 05 has 1 routine check already
    expect(by.get('SC-M01|C')).toMatchObject({ applicable: 3, atCap: 1, eligible: 2, drawn: 2 });
    // A: ratio 0, 无事不扰
    expect(by.get('SC-M01|A')).toMatchObject({ applicable: 1, ratioZero: 1, eligible: 0, drawn: 0 });
    // SC-H01 applies to H only: B lines 02, 09 (deregistered), 12
    expect(by.get('SC-H01|B')).toMatchObject({ applicable: 3, notInspectable: 1, eligible: 2, drawn: 1 });
    expect(fullCoverage).toEqual([
      { itemId: 13, itemCode: 'SC-H02', department: 'health', enterprises: 3, perYear: 4 },
    ]);
    // tier D (not in the policy) and no tier are unclassified
    expect(unclassified).toEqual([
      { itemCode: 'SC-H01', enterprises: 1 },
      { itemCode: 'SC-M01', enterprises: 2 },
    ]);
  });

  it('targets are the Fisher-Yates prefix of the eligible lines with the stream of their item and tier', () => {
    const { strata } = drawStrata(inputs, seed);
    const s = strata.find((x) => x.itemCode === 'SC-M01' && x.tier === 'B')!;
    const eligible = ['02', '03', '06', '12'].map((n) => inputs.roster.usccs.indexOf(`91310110MA1G8N5Y${n}`));
    const manual = [...eligible];
    continueShuffle(manual, 0, 2, new Sha256Stream(seed, 'targets|SC-M01|B'));
    expect([...s.order.slice(0, 2)]).toEqual(manual.slice(0, 2));
  });

  it('is a pure function: same inputs and seed, same digest; another seed, another result', () => {
    const a = runPlanDraw(inputs, seed, true);
    const b = runPlanDraw(parseInputs(docs), seed, true);
    expect(b.resultDigest).toBe(a.resultDigest);
    expect(sha256Hex(a.resultText)).toBe(a.resultDigest);
    expect(runPlanDraw(inputs, finalSeedOf('t'.repeat(40), 'pv')).resultDigest).not.toBe(a.resultDigest);
    // the digest without keeping the text is the same
    expect(runPlanDraw(inputs, seed).resultDigest).toBe(a.resultDigest);
  });

  it('tasks: one per enterprise and department with its items, 2 inspectors, the recusal skipped', () => {
    const o = runPlanDraw(
      inputs,
      finalSeedOf(
        '7f3a9c1e5b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d1f3a',
        '03 07 12 19 25 31 + 09',
      ),
    );
    expect(o.tasks.map((t) => t.key)).toEqual([...o.tasks.map((t) => t.key)].sort());
    for (const [i, t] of o.tasks.entries()) {
      expect(o.staffed[i]!.key).toBe(t.key);
      expect(new Set(o.staffed[i]!.inspectors).size).toBe(2);
    }
    const y04 = o.staffed.find((s) => s.key === '91310110MA1G8N5Y04|health')!;
    expect(y04.inspectors).not.toContain(202);
    expect(y04.skipped).toEqual([{ userId: 202, recusalId: 7 }]);
    expect(o.summary).toMatchObject({ targets: 6, tasks: 6, enterprises: 4, skippedForRecusal: 1 });
  });

  it('a shortfall of inspectors names the department', () => {
    const few = parseInputs({
      ...docs,
      inspectors: 'user_id,department,item_ids\n101,market,11\n201,health,12\n202,health,12\n',
    });
    expect(() => runPlanDraw(few, seed)).toThrow(InspectorShortfallError);
    try {
      runPlanDraw(few, seed);
    } catch (e) {
      // market has one inspector; health has two, but one is recused for Y04
      expect((e as InspectorShortfallError).shortfalls.map((s) => [s.department, s.available])).toEqual([
        ['market', 1],
        ['health', 1],
      ]);
    }
  });

  it('replacement: the next position of the same shuffle; none past the eligible', () => {
    const { strata } = drawStrata(inputs, seed, new Map([[stratumKey('SC-M01', 'B'), 4]]));
    const s = strata.find((x) => x.itemCode === 'SC-M01' && x.tier === 'B')!;
    expect(s.shuffled).toBe(4);
    const first = drawStrata(inputs, seed).strata.find((x) => x.itemCode === 'SC-M01' && x.tier === 'B')!;
    expect([...s.order.slice(0, 2)]).toEqual([...first.order.slice(0, 2)]);
    expect(positionInShuffle(inputs, seed, 'SC-M01', 'B', 3)).toBe(s.order[2]);
    expect(positionInShuffle(inputs, seed, 'SC-M01', 'B', 4)).toBe(s.order[3]);
    expect(positionInShuffle(inputs, seed, 'SC-M01', 'B', 5)).toBeNull();
    expect(positionInShuffle(inputs, seed, 'SC-H02', 'B', 1)).toBeNull(); // full coverage: not drawn
    expect(positionInShuffle(inputs, seed, 'SC-M01', 'Z', 1)).toBeNull();
    expect(positionInShuffle(inputs, seed, 'SC-M01', 'A', 1)).toBeNull(); // ratio 0: nothing eligible
  });
});

describe('commitProblems (a commitment that could never be drawn is refused)', () => {
  const docs = vectorDocuments();
  it('the test vectors can be drawn', () => {
    expect(commitProblems(parseInputs(docs))).toEqual([]);
  });
  it('a roster without any tier of the policy (a tier date before any scoring) is refused on tierDate', () => {
    const inputs = parseInputs(docs);
    inputs.roster.tier.fill(NO_TIER);
    expect(commitProblems(inputs).map((p) => p.field)).toEqual(['tierDate']);
  });
  it('a department with fewer qualified inspectors than a task needs is named, with its items', () => {
    const inputs = parseInputs(docs);
    const department = inputs.params.items.find((i) => !i.fullCoverage)!.department;
    const qualified = inputs.inspectors.filter((i) => i.department === department);
    expect(qualified.length).toBeGreaterThanOrEqual(inputs.params.inspectorsPerTask);
    // one inspector left: short by one
    const inspectors = inputs.inspectors.filter((i) => i.department !== department || i === qualified[0]);
    const problems = commitProblems({ ...inputs, inspectors });
    expect(problems.map((p) => p.field)).toEqual([`inspectors.${department}`]);
    expect(problems[0]!.reason).toMatch(/^only 1 inspector\(s\) of /);
  });
});
