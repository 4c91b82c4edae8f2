import type { RouteRecordRaw } from 'vue-router';

/** 检查码签名密钥 (issue 12): the inspection codes' signing keys, for admins. */
export const checkCodeKeyRoutes: RouteRecordRaw[] = [
  {
    path: 'admin/check-code-keys',
    component: () => import('../pages/check-code-keys/CheckCodeKeysPage.vue'),
    meta: { title: '检查码签名密钥', menu: 'check-code-keys' },
  },
];
