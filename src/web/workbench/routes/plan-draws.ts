import type { RouteRecordRaw } from 'vue-router';

/** 批次抽取: the draw of a plan's batch (commit, public value, reveal, draw, verify, replacements). */
export const planDrawRoutes: RouteRecordRaw[] = [
  {
    path: 'plans/:planId/batches/:batchId/draw',
    component: () => import('../pages/plan-draws/PlanDrawPage.vue'),
    // opened from the plan's page; the same people as 双随机抽取 (admins and regulators)
    meta: { title: '批次抽取', menu: 'draws' },
  },
];
