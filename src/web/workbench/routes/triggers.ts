import type { RouteRecordRaw } from 'vue-router';

/** 事件触发检查: proposals, accept or dismiss. */
export const triggerRoutes: RouteRecordRaw[] = [
  {
    path: 'triggers',
    component: () => import('../pages/triggers/TriggerListPage.vue'),
    meta: { title: '事件触发检查', menu: 'triggers' },
  },
];
