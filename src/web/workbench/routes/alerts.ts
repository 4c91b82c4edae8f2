import type { RouteRecordRaw } from 'vue-router';

/** 频次预警 and the 无事不扰 report. */
export const alertRoutes: RouteRecordRaw[] = [
  {
    path: 'alerts',
    component: () => import('../pages/alerts/AlertsPage.vue'),
    meta: { title: '频次预警', menu: 'alerts' },
  },
  {
    path: 'reports/no-disturbance',
    component: () => import('../pages/alerts/NoDisturbancePage.vue'),
    meta: { title: '无事不扰报告', menu: 'no-disturbance' },
  },
];
