import type { RouteRecordRaw } from 'vue-router';

/** 随机抽查事项清单, 执法检查人员名录库, 回避申报与审核 (issue 11 "Lists and rosters"). */
export const catalogRoutes: RouteRecordRaw[] = [
  {
    path: 'inspection-items',
    component: () => import('../pages/catalog/ItemListPage.vue'),
    meta: { title: '随机抽查事项清单', menu: 'inspection-items' },
  },
  {
    path: 'inspectors',
    component: () => import('../pages/catalog/InspectorListPage.vue'),
    meta: { title: '执法检查人员名录库', menu: 'inspectors' },
  },
  {
    path: 'recusals',
    component: () => import('../pages/catalog/RecusalPage.vue'),
    meta: { title: '回避申报与审核', menu: 'recusals' },
  },
];
