import type { RouteRecordRaw } from 'vue-router';

/**
 * 年度抽查计划: the list, the editor (new and draft), one plan. A batch's draw page
 * (/plans/:planId/batches/:batchId/draw) is the draw's own (routes of plan-draws).
 */
export const planRoutes: RouteRecordRaw[] = [
  {
    path: 'plans',
    component: () => import('../pages/plans/PlanListPage.vue'),
    meta: { title: '年度抽查计划', menu: 'plans' },
  },
  {
    path: 'plans/new',
    component: () => import('../pages/plans/PlanEditorPage.vue'),
    meta: { title: '新建年度抽查计划', menu: 'plans' },
  },
  {
    path: 'plans/:id(\\d+)',
    component: () => import('../pages/plans/PlanDetailPage.vue'),
    meta: { title: '年度抽查计划', menu: 'plans' },
  },
  {
    path: 'plans/:id(\\d+)/edit',
    component: () => import('../pages/plans/PlanEditorPage.vue'),
    meta: { title: '编辑年度抽查计划', menu: 'plans' },
  },
];
