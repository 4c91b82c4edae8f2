import type { RouteRecordRaw } from 'vue-router';

/** 检查码 (issue 12): the codes of the department's inspections, one in a drawer (?code=<id>). */
export const checkCodeRoutes: RouteRecordRaw[] = [
  {
    path: 'check-codes',
    component: () => import('../pages/check-codes/CheckCodeListPage.vue'),
    meta: { title: '检查码', menu: 'check-codes' },
  },
];
