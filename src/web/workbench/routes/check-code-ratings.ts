import type { RouteRecordRaw } from 'vue-router';

/** 检查评价 (ratings within the anonymity rule; whole for the supervising body) and 检查码统计 (issue 12). */
export const checkCodeRatingRoutes: RouteRecordRaw[] = [
  {
    path: 'check-code-ratings',
    component: () => import('../pages/check-code-ratings/RatingsPage.vue'),
    meta: { title: '检查评价', menu: 'check-code-ratings' },
  },
  {
    path: 'check-code-stats',
    component: () => import('../pages/check-code-ratings/CodeStatsPage.vue'),
    meta: { title: '检查码统计', menu: 'check-code-stats' },
  },
];
