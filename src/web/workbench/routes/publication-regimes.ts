import type { RouteRecordRaw } from 'vue-router';

/** 公示期规则: the publication regimes and the period calculator (issue 13). */
export const publicationRegimeRoutes: RouteRecordRaw[] = [
  {
    path: 'publication-regimes',
    component: () => import('../pages/publication-regimes/PublicationRegimesPage.vue'),
    meta: { title: '公示期规则', menu: 'publication-regimes' },
  },
];
