import type { RouteRecordRaw } from 'vue-router';

/** 预付卡风险 (issue 14), the data pages: the issuers' register, one issuer's data, the CSV imports. */
export const prepaidDataRoutes: RouteRecordRaw[] = [
  {
    path: 'prepaid/issuers',
    component: () => import('../pages/prepaid/data/IssuerListPage.vue'),
    meta: { title: '预付卡经营者', menu: 'prepaid-issuers' },
  },
  {
    path: 'prepaid/issuers/:uscc([0-9A-Za-z]{18})/data',
    component: () => import('../pages/prepaid/data/IssuerDataPage.vue'),
    meta: { title: '经营者资料', menu: 'prepaid-issuers' },
  },
  {
    path: 'prepaid/import',
    component: () => import('../pages/prepaid/data/PrepaidImportPage.vue'),
    meta: { title: '预付卡数据导入', menu: 'prepaid-import' },
  },
];
