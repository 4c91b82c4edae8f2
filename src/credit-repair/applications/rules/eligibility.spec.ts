import { describe, expect, it } from '@jest/globals';
import {
  chineseDate,
  OtherRecord,
  repairEligibility,
  RepairRecord,
  seriousRemovalFrom,
} from './eligibility.js';

const penalty = (over: Partial<RepairRecord> = {}): RepairRecord => ({
  id: 1,
  kind: 'administrative_penalty',
  polarity: 'negative',
  recordDate: '2026-03-02',
  sourceDepartment: '杨浦区市场监督管理局',
  decisionNo: '沪市监杨处〔2026〕1号',
  violationKey: '食品安全法第一百二十四条',
  penaltySeverity: 'general',
  listType: null,
  listedOn: null,
  removedOn: null,
  publicationLastDay: '2029-03-02',
  earliestRepairOn: '2026-06-03',
  neverEndedEarly: false,
  repairedOn: null,
  ...over,
});
const other = (over: Partial<OtherRecord>): OtherRecord => ({
  id: 9,
  kind: 'administrative_penalty',
  recordDate: '2026-05-01',
  decisionNo: '沪市监杨处〔2026〕9号',
  violationKey: null,
  penaltySeverity: 'general',
  listType: null,
  listedOn: null,
  removedOn: null,
  repairedOn: null,
  ...over,
});
const yes = { obligationsFulfilled: true, harmRemoved: true };
const codes = (e: ReturnType<typeof repairEligibility>) => e.refusals.map((r) => r.code);

describe('penalty repair eligibility', () => {
  it('the day before the earliest repair day: refused, naming the day; on the day: eligible', () => {
    const before = repairEligibility(penalty(), [], yes, '2026-06-02', true);
    expect(before.eligible).toBe(false);
    expect(before.refusals).toEqual([{ code: 'NOT_YET', message: '可于2026年6月3日起申请' }]);
    expect(before.earliestOn).toBe('2026-06-03');
    const on = repairEligibility(penalty(), [], yes, '2026-06-03', true);
    expect(on).toMatchObject({ eligible: true, mayApply: true, kind: 'penalty', refusals: [] });
    expect(on.decidingDepartment).toBe('杨浦区市场监督管理局');
  });

  it('never ended early (licence revocation...): refused whatever the date', () => {
    const e = repairEligibility(
      penalty({ neverEndedEarly: true, earliestRepairOn: null }),
      [],
      yes,
      '2027-06-01',
      true,
    );
    expect(codes(e)).toEqual(['NEVER_ENDED_EARLY']);
    expect(e.refusals[0]!.message).toContain('不得提前停止公示');
  });

  it('already repaired, publication over, no repair date: each refused by its own code', () => {
    expect(
      codes(repairEligibility(penalty({ repairedOn: '2026-07-01' }), [], yes, '2026-08-01', true)),
    ).toEqual(['ALREADY_REPAIRED']);
    expect(
      codes(repairEligibility(penalty({ publicationLastDay: '2026-09-01' }), [], yes, '2026-09-02', true)),
    ).toEqual(['PUBLICATION_OVER']);
    // the last day of publication itself: still published, may apply
    expect(
      repairEligibility(penalty({ publicationLastDay: '2026-09-01' }), [], yes, '2026-09-01', true).eligible,
    ).toBe(true);
    expect(
      codes(repairEligibility(penalty({ earliestRepairOn: null }), [], yes, '2026-08-01', true)),
    ).toEqual(['NO_REPAIR_DATE']);
  });

  it('declarations: absent -> to declare (may apply), false -> refused', () => {
    const open = repairEligibility(penalty(), [], {}, '2026-07-01', true);
    expect(open).toMatchObject({ eligible: false, mayApply: true, refusals: [] });
    // the declarations are the enterprise's word, the rest the rule checked on the records
    expect(open.conditions.filter((c) => c.basis === 'declared').map((c) => c.code)).toEqual([
      'OBLIGATIONS_FULFILLED',
      'HARM_REMOVED',
    ]);
    expect(open.conditions.filter((c) => c.basis === 'checked').length).toBeGreaterThan(0);
    expect(open.conditions.filter((c) => c.state === 'to_declare').map((c) => c.code)).toEqual([
      'OBLIGATIONS_FULFILLED',
      'HARM_REMOVED',
    ]);
    const no = repairEligibility(
      penalty(),
      [],
      { obligationsFulfilled: false, harmRemoved: true },
      '2026-07-01',
      true,
    );
    expect(codes(no)).toEqual(['OBLIGATIONS_FULFILLED']);
    expect(
      codes(
        repairEligibility(
          penalty(),
          [],
          { obligationsFulfilled: true, harmRemoved: false },
          '2026-07-01',
          true,
        ),
      ),
    ).toEqual(['HARM_REMOVED']);
  });

  it('a repeat penalty for the same kind of violation since: refused naming it; another kind or earlier: not', () => {
    const same = other({ violationKey: '食品安全法第一百二十四条', recordDate: '2026-05-01' });
    const e = repairEligibility(penalty(), [same], yes, '2026-07-01', true);
    expect(codes(e)).toEqual(['NO_REPEAT_PENALTY']);
    expect(e.refusals[0]!.message).toBe('2026年5月1日又因同类违法行为受到行政处罚（沪市监杨处〔2026〕9号）');
    expect(
      repairEligibility(penalty(), [{ ...same, violationKey: '广告法第五十八条' }], yes, '2026-07-01', true)
        .eligible,
    ).toBe(true);
    expect(
      repairEligibility(penalty(), [{ ...same, recordDate: '2026-03-01' }], yes, '2026-07-01', true).eligible,
    ).toBe(true);
    // the same day as the record is not "since"
    expect(
      repairEligibility(penalty(), [{ ...same, recordDate: '2026-03-02' }], yes, '2026-07-01', true).eligible,
    ).toBe(true);
  });

  it('on the anomaly or serious list now: refused; removed the day before: not', () => {
    const anomaly = other({
      kind: 'listing',
      listType: 'anomaly',
      listedOn: '2026-04-01',
      recordDate: '2026-04-01',
    });
    expect(codes(repairEligibility(penalty(), [anomaly], yes, '2026-07-01', true))).toEqual([
      'NOT_ON_ANOMALY_LIST',
    ]);
    expect(
      repairEligibility(penalty(), [{ ...anomaly, removedOn: '2026-07-01' }], yes, '2026-07-01', true)
        .eligible,
    ).toBe(true);
    const serious = { ...anomaly, listType: 'serious' as const };
    expect(codes(repairEligibility(penalty(), [serious], yes, '2026-07-01', true))).toEqual([
      'NOT_ON_SERIOUS_LIST',
    ]);
  });

  it('a failure about another record names it (relatedRecordId: the listing to apply to leave first)', () => {
    const anomaly = other({ id: 41, kind: 'listing', listType: 'anomaly', listedOn: '2026-04-01' });
    const e = repairEligibility(penalty(), [anomaly], yes, '2026-07-01', true);
    const failed = e.conditions.find((c) => c.code === 'NOT_ON_ANOMALY_LIST')!;
    expect(failed).toMatchObject({ state: 'failed', relatedRecordId: 41 });
    expect(failed.message).toBe('目前仍在经营异常名录中，请先申请移出');
    const serious = { ...anomaly, id: 42, listType: 'serious' as const };
    const s = repairEligibility(penalty(), [serious], yes, '2026-07-01', true);
    expect(s.conditions.find((c) => c.code === 'NOT_ON_SERIOUS_LIST')).toMatchObject({
      state: 'failed',
      relatedRecordId: 42,
      message: '目前仍在严重违法失信名单中，请先申请移出',
    });
    // met conditions name no record
    expect(s.conditions.filter((c) => c.relatedRecordId !== undefined).map((c) => c.code)).toEqual([
      'NOT_ON_SERIOUS_LIST',
    ]);
  });

  it('谁认定谁修复: a record of a body outside the district is refused, naming it', () => {
    const e = repairEligibility(
      penalty({ sourceDepartment: '浦东新区市场监督管理局' }),
      [],
      yes,
      '2026-07-01',
      false,
    );
    expect(codes(e)).toEqual(['DEPARTMENT_OUTSIDE_DISTRICT']);
    expect(e.refusals[0]!.message).toContain('浦东新区市场监督管理局');
  });

  it('several failures: every one named', () => {
    const e = repairEligibility(
      penalty({ repairedOn: '2026-05-01' }),
      [],
      { harmRemoved: false },
      '2026-05-02',
      true,
    );
    expect(codes(e)).toEqual(['ALREADY_REPAIRED', 'NOT_YET', 'HARM_REMOVED']);
  });

  it('other kinds take no repair', () => {
    const e = repairEligibility(penalty({ kind: 'complaint' }), [], yes, '2026-07-01', true);
    expect(e).toMatchObject({ kind: null, eligible: false });
    expect(codes(e)).toEqual(['NOT_REPAIRABLE_KIND']);
  });
});

describe('list removal eligibility', () => {
  const listing = (type: 'anomaly' | 'serious', over: Partial<RepairRecord> = {}) =>
    penalty({
      kind: 'listing',
      listType: type,
      listedOn: '2025-03-10',
      recordDate: '2025-03-10',
      earliestRepairOn: null,
      publicationLastDay: null,
      penaltySeverity: null,
      ...over,
    });

  it('anomaly list: removal once the cause is fixed; refused when declared not fixed or already removed', () => {
    expect(repairEligibility(listing('anomaly'), [], { causeFixed: true }, '2025-03-11', true)).toMatchObject(
      {
        eligible: true,
        kind: 'anomaly_removal',
      },
    );
    expect(
      codes(repairEligibility(listing('anomaly'), [], { causeFixed: false }, '2025-03-11', true)),
    ).toEqual(['CAUSE_FIXED']);
    expect(
      codes(
        repairEligibility(
          listing('anomaly', { removedOn: '2025-05-01' }),
          [],
          { causeFixed: true },
          '2025-06-01',
          true,
        ),
      ),
    ).toEqual(['LISTING_IN_FORCE']);
  });

  it('serious list: at least 1 year listed (2025-03-10 -> from 2026-03-11)', () => {
    const e = repairEligibility(listing('serious'), [], yes, '2026-03-10', true);
    expect(e.refusals).toEqual([
      { code: 'LISTED_ONE_YEAR', message: '列入满1年后可申请，可于2026年3月11日起申请' },
    ]);
    expect(repairEligibility(listing('serious'), [], yes, '2026-03-11', true)).toMatchObject({
      eligible: true,
      kind: 'serious_removal',
      earliestOn: '2026-03-11',
    });
  });

  it('serious list: a heavier (published) penalty since the listing refuses; a light one does not', () => {
    const heavy = other({ recordDate: '2025-09-01', penaltySeverity: 'general' });
    expect(codes(repairEligibility(listing('serious'), [heavy], yes, '2026-04-01', true))).toEqual([
      'NO_HEAVIER_PENALTY',
    ]);
    expect(
      repairEligibility(listing('serious'), [{ ...heavy, penaltySeverity: 'light' }], yes, '2026-04-01', true)
        .eligible,
    ).toBe(true);
    expect(
      codes(repairEligibility(listing('serious'), [], { obligationsFulfilled: false }, '2026-04-01', true)),
    ).toEqual(['OBLIGATIONS_FULFILLED']);
  });

  it('one year from a leap day and from a month end', () => {
    expect(seriousRemovalFrom('2024-02-29')).toBe('2025-03-01');
    expect(seriousRemovalFrom('2025-12-31')).toBe('2027-01-01');
    expect(chineseDate('2026-03-05')).toBe('2026年3月5日');
  });
});
