import type { RouteRecordRaw } from 'vue-router';

/** 行政处罚决定 (issue 13): list, record, one decision, the same-day report, the lenient lists. */
export const penaltyRoutes: RouteRecordRaw[] = [
  {
    path: 'penalty-decisions',
    component: () => import('../pages/penalties/DecisionListPage.vue'),
    meta: { title: '行政处罚决定', menu: 'penalty-decisions' },
  },
  {
    path: 'penalty-decisions/new',
    component: () => import('../pages/penalties/DecisionFormPage.vue'),
    meta: { title: '录入处罚决定', menu: 'penalty-decisions' },
  },
  {
    path: 'penalty-decisions/:id(\\d+)',
    component: () => import('../pages/penalties/DecisionDetailPage.vue'),
    meta: { title: '处罚决定详情', menu: 'penalty-decisions' },
  },
  {
    path: 'reports/same-day-service',
    component: () => import('../pages/penalties/SameDayReportPage.vue'),
    meta: { title: '双书同达统计', menu: 'same-day-service' },
  },
  {
    path: 'lenient-enforcement',
    component: () => import('../pages/penalties/LenientListsPage.vue'),
    meta: { title: '包容审慎监管清单', menu: 'lenient-enforcement' },
  },
];
