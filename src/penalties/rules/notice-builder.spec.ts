import { describe, expect, it } from '@jest/globals';
import { buildUscc } from '../../common/uscc.js';
import { buildRepairNotice, noticeNumber } from './notice-builder.js';
import { checkPenaltyDecision, decisionFacts } from './penalty-decision-input.js';
import { publicationPeriods, regimeFor } from './publication-regimes.js';

const t = { organisationFen: 10_000_000, naturalPersonFen: 1_000_000 };
const bureau = { authority: '上海市杨浦区市场监督管理局', district: '杨浦区', phone: '12345' };
const uscc = buildUscc('91', '310110', 'MA1G8N5Y');
const notice = (input: Record<string, unknown>) => {
  const r = checkPenaltyDecision(
    {
      decisionNo: '沪市监杨处〔2025〕7号',
      enterpriseUscc: uscc,
      partyType: 'organisation',
      decisionDate: '2025-06-10',
      procedure: 'general',
      penaltyTypes: ['fine'],
      fineFen: 20_000_000,
      domain: 'general',
      violation: '虚假宣传',
      legalBasis: '《反不正当竞争法》第二十条',
      delivery: { channel: 'in_person' },
      ...input,
    },
    '2026-12-01',
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const periods = publicationPeriods(decisionFacts(r.decision), regimeFor(r.decision.decisionDate), t);
  return buildRepairNotice({
    noticeNo: noticeNumber('杨浦区', '2025-06-10', 12),
    issuedOn: '2025-06-10',
    decision: r.decision,
    periods,
    enterprise: { name: '上海某某贸易有限公司', uscc },
    bureau,
  });
};

describe('buildRepairNotice', () => {
  it('a 3-year fine under SH-2023: periods, the four conditions, materials with the 承诺书 template, where to apply', () => {
    const n = notice({});
    expect(n.noticeNo).toBe('沪市监杨信修告〔2025〕12号');
    expect(n.regime.code).toBe('SH-2023');
    expect(n.published).toBe(true);
    expect(n.publishedWhere).toContain('信用中国（上海）');
    expect(n.publicationStart).toBe('2025-06-10');
    expect(n.publicationLength).toBe('3年');
    expect(n.publicationLastDay).toBe('2028-06-12'); // 2028-06-10 is a Saturday: next working day
    expect(n.earliestRepairOn).toBe('2025-09-11');
    expect(n.conditions).toHaveLength(4);
    expect(n.conditions.join()).toContain('未被列入经营异常名录或者严重违法失信名单');
    expect(n.materials.join()).toContain('信用承诺书');
    expect(n.materials.join()).toContain('承诺人（签章）');
    expect(n.howToApply.join()).toContain('2025-09-11');
    expect(n.howToApply.join()).toContain('12345');
    expect(n.rights.join()).toContain('六十日内申请行政复议');
    expect(n.measures.join()).toContain('行政处罚信息');
    expect(n.rules.map((r) => r.field)).toEqual(
      expect.arrayContaining(['regime', 'published', 'publicationLastDay', 'earliestRepairOn']),
    );
    expect(n.decision).toEqual({
      decisionNo: '沪市监杨处〔2025〕7号',
      decisionDate: '2025-06-10',
      kind: 'penalty',
      penaltyTypes: ['罚款'],
      fineFen: 20_000_000,
    });
  });

  it('food waits a year', () => {
    expect(notice({ domain: 'food' }).earliestRepairOn).toBe('2026-06-11');
  });

  it('a licence revocation is never ended early: no repair, no materials', () => {
    const n = notice({ penaltyTypes: ['fine', 'licence_revocation'] });
    expect(n.neverEndedEarly).toBe(true);
    expect(n.earliestRepairOn).toBeNull();
    expect(n.conditions).toEqual([]);
    expect(n.materials).toEqual([]);
  });

  it('a serious listing: its own conditions and the serious-list measures', () => {
    const n = notice({ kind: 'serious_listing', penaltyTypes: [], fineFen: undefined });
    expect(n.decision.kind).toBe('serious_listing');
    expect(n.conditions[0]).toContain('满一年');
    expect(n.measures.some((m) => m.startsWith('严重违法失信名单：'))).toBe(true);
    expect(n.earliestRepairOn).toBe('2026-06-11');
  });

  it('a lower fine alone ends by itself after 3 months', () => {
    const n = notice({ fineFen: 500_000 });
    expect(n.publicationLength).toBe('3个月');
    expect(n.earliestRepairOn).toBeNull();
    // nothing to apply for: no conditions, no materials (the notice says why, once)
    expect(n.conditions).toEqual([]);
    expect(n.materials).toEqual([]);
  });
});
