import type { RouteRecordRaw } from 'vue-router';

/** 双随机抽取: run a draw, past draws, one draw's list. */
export const drawRoutes: RouteRecordRaw[] = [
  {
    path: 'draws',
    component: () => import('../pages/draws/DrawListPage.vue'),
    meta: { title: '计划外抽取', menu: 'draws' },
  },
  {
    path: 'draws/:id',
    component: () => import('../pages/draws/DrawDetailPage.vue'),
    meta: { title: '抽取结果', menu: 'draws' },
  },
];
