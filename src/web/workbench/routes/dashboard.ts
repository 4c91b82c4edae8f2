import type { RouteRecordRaw } from 'vue-router';

/** 驾驶舱: the regulator's home (contract B GET /api/dashboard). */
export const dashboardRoutes: RouteRecordRaw[] = [
  {
    path: 'dashboard',
    component: () => import('../pages/dashboard/DashboardPage.vue'),
    meta: { title: '驾驶舱', menu: 'dashboard' },
  },
];
