import type { RouteRecordRaw } from 'vue-router';

/** 系统管理: users, the audit trail, bureau settings; and the user's own account. */
export const adminRoutes: RouteRecordRaw[] = [
  {
    path: 'admin/users',
    component: () => import('../pages/admin/UsersPage.vue'),
    meta: { title: '用户管理', menu: 'users' },
  },
  {
    path: 'admin/audit',
    component: () => import('../pages/admin/AuditPage.vue'),
    meta: { title: '审计日志', menu: 'audit' },
  },
  {
    path: 'admin/settings',
    component: () => import('../pages/admin/SettingsPage.vue'),
    meta: { title: '系统设置', menu: 'settings' },
  },
  {
    path: 'account',
    component: () => import('../pages/admin/AccountPage.vue'),
    meta: { title: '修改密码', menu: 'account' },
  },
];
