import type { RouteRecordRaw } from 'vue-router';

/** 信用修复受理: the repair queue, one application, decide (issue 13). */
export const creditRepairRoutes: RouteRecordRaw[] = [
  {
    path: 'credit-repair',
    component: () => import('../pages/credit-repair/RepairQueuePage.vue'),
    meta: { title: '信用修复受理', menu: 'credit-repair' },
  },
];
