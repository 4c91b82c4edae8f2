import type { RouteRecordRaw } from 'vue-router';

/** 联合检查: the visits, one visit with its combined checklist, the savings. */
export const visitRoutes: RouteRecordRaw[] = [
  {
    path: 'joint-visits',
    component: () => import('../pages/visits/VisitListPage.vue'),
    meta: { title: '联合检查', menu: 'joint-visits' },
  },
  {
    path: 'joint-visits/report',
    component: () => import('../pages/visits/VisitReportPage.vue'),
    meta: { title: '联合检查成效', menu: 'joint-visits' },
  },
  {
    path: 'joint-visits/:id',
    component: () => import('../pages/visits/VisitDetailPage.vue'),
    meta: { title: '检查安排', menu: 'joint-visits' },
  },
];
