import type { RouteRecordRaw } from 'vue-router';

/** 企业名录: the register, an enterprise's particulars, credit and records. */
export const enterpriseRoutes: RouteRecordRaw[] = [
  {
    path: 'enterprises',
    component: () => import('../pages/enterprises/EnterpriseListPage.vue'),
    meta: { title: '企业名录', menu: 'enterprises' },
  },
  {
    path: 'enterprises/:uscc',
    component: () => import('../pages/enterprises/EnterpriseDetailPage.vue'),
    meta: { title: '企业详情', menu: 'enterprises' },
  },
];
