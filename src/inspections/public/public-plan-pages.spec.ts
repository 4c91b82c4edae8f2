import { describe, expect, it } from '@jest/globals';
import type { PublicPlanView } from '../plans/dto/plan.dto.js';
import { dateZh, instantZh, percentZh, planListPage, planPage, resultsPage } from './public-plan-pages.js';

const plan = (change: Partial<PublicPlanView> = {}): PublicPlanView => ({
  id: 7,
  planNo: '2027-market-01',
  version: 2,
  year: 2027,
  title: '2027年度<计划>',
  leadDepartment: 'market',
  leadDepartmentName: '杨浦区市场监督管理局',
  jointDepartments: ['health'],
  status: 'published',
  publishedAt: '2027-04-01T02:00:00.000Z',
  late: true,
  versions: [
    { id: 5, version: 1, status: 'superseded', publishedAt: '2027-01-05T02:00:00.000Z', late: false },
    { id: 7, version: 2, status: 'published', publishedAt: '2027-04-01T02:00:00.000Z', late: true },
  ],
  scope: null,
  items: [
    {
      code: 'YP-1',
      name: '检查<b>',
      department: 'market',
      legalBasis: '条例',
      checkMethod: 'on_site',
      fullCoverage: true,
    },
  ],
  tiers: [
    { tier: 'A', ratio: 0, yearlyCap: 2 },
    { tier: 'B', ratio: 0.125, yearlyCap: 2 },
  ],
  batches: [
    {
      id: 11,
      seq: 1,
      name: '第一批',
      windowStart: '2027-04-01',
      windowEnd: '2027-06-30',
      draw: null,
      results: { tasks: 0, pending: 0, no_problem: 0, problems_found: 0, refused: 0, not_found: 0 },
    },
  ],
  supersededById: null,
  ...change,
});

describe('public plan pages', () => {
  it('formats dates, instants (Shanghai) and shares', () => {
    expect(dateZh('2027-04-01')).toBe('2027年4月1日');
    expect(dateZh(null)).toBe('—');
    expect(instantZh('2027-03-31T16:30:00Z')).toBe('2027年4月1日 00:30');
    expect(instantZh(null)).toBe('—');
    expect(percentZh(0.05)).toBe('5%');
    expect(percentZh(0.125)).toBe('12.5%');
    expect(percentZh(0.123456)).toBe('12.346%');
  });

  it('lists plans with the late tag, escaped, and says so when there is none', () => {
    const page = planListPage({ items: [plan()], total: 1, page: 1, pageSize: 20 }, '杨浦区');
    expect(page).toContain('2027年度&lt;计划&gt;');
    expect(page).toContain('逾期发布');
    expect(page).not.toMatch(/<script/i);
    expect(planListPage({ items: [], total: 0, page: 1, pageSize: 20 }, '杨浦区')).toContain(
      '目前还没有已发布的年度抽查计划',
    );
  });

  it('shows a plan: versions, items, the policy (best tier: 无事不扰), batches without a draw', () => {
    const page = planPage(plan(), [{ items: [], total: 0 }], '杨浦区');
    for (const s of [
      '检查&lt;b&gt;',
      '全覆盖检查',
      '0%（无事不扰，不作例行抽查）',
      '12.5%',
      '第 1 版（已被替代）',
      'href="/public/plans/5"',
      '本批次尚未抽取',
      '尚无检查任务',
      '杨浦区卫生健康委员会',
    ])
      expect(page).toContain(s);
    expect(planPage(plan({ supersededById: 9 }), [], '杨浦区')).toContain(
      'href="/public/plans/9">新版本</a>替代',
    );
  });

  it('shows results with outcome and deadline, a link to all when there are more, and no tier', () => {
    const p = plan({
      batches: [
        {
          ...plan().batches[0]!,
          draw: {
            id: 3,
            status: 'drawn',
            commitment: 'c'.repeat(64),
            publicSource: '双色球',
            publicValue: '1',
            committedAt: '2027-04-02T00:00:00Z',
            drawnAt: '2027-04-03T00:00:00Z',
            targets: 4,
            page: '/public/draws/3',
          },
          results: { tasks: 4, pending: 1, no_problem: 1, problems_found: 1, refused: 0, not_found: 1 },
        },
      ],
    });
    const results = [
      {
        taskId: 1,
        enterpriseName: '甲公司',
        uscc: 'U1',
        department: 'market',
        items: ['检查一', '检查二'],
        outcome: 'problems_found',
        correctionDeadline: '2027-05-01',
        recordedOn: '2027-04-10',
      },
      {
        taskId: 2,
        enterpriseName: '乙公司',
        uscc: 'U2',
        department: 'market',
        items: ['检查一'],
        outcome: 'not_found',
        correctionDeadline: null,
        recordedOn: '2027-04-11',
      },
    ];
    const page = planPage(p, [{ items: results, total: 3 }], '杨浦区');
    for (const s of [
      '已抽取',
      'c'.repeat(64),
      '4 户',
      'href="/public/draws/3"',
      '检查一、检查二',
      '发现问题（整改期限 2027年5月1日）',
      '查无下落',
      '尚未完成 1',
      '查看本批次全部 3 条检查结果',
    ])
      expect(page).toContain(s);
    const rows = page.slice(page.indexOf('甲公司'));
    expect(rows).not.toMatch(/[A-D]类/);
    const all = resultsPage(
      p,
      p.batches[0]!,
      { items: results, total: 250, page: 2, pageSize: 100 },
      '杨浦区',
    );
    expect(all).toContain('已记录检查结果 250 条');
    expect(all).toContain('<strong>2</strong>');
    expect(all).toContain('href="/public/plans/7/batches/11/results?page=3"');
  });
});
