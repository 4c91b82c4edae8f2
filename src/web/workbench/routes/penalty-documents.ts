import type { RouteRecordRaw } from 'vue-router';

/** 处罚文书 (issue 13): the dual documents of one penalty decision, to print or download (any staff role: the API decides). */
export const penaltyDocumentRoutes: RouteRecordRaw[] = [
  {
    path: 'penalty-decisions/:id/documents',
    component: () => import('../pages/penalties/DecisionDocumentsPage.vue'),
    meta: { title: '处罚文书' },
  },
];
