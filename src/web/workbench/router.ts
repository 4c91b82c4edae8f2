import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { loadSession, session } from '../shared/session';
import { adminRoutes } from './routes/admin';
import { alertRoutes } from './routes/alerts';
import { catalogRoutes } from './routes/catalog';
import { checkCodeKeyRoutes } from './routes/check-code-keys';
import { checkCodeRatingRoutes } from './routes/check-code-ratings';
import { checkCodeRoutes } from './routes/check-codes';
import { creditRepairRoutes } from './routes/credit-repair';
import { dashboardRoutes } from './routes/dashboard';
import { drawRoutes } from './routes/draws';
import { enterpriseRoutes } from './routes/enterprises';
import { penaltyRoutes } from './routes/penalties';
import { prepaidDataRoutes } from './routes/prepaid-data';
import { planDrawRoutes } from './routes/plan-draws';
import { penaltyDocumentRoutes } from './routes/penalty-documents';
import { planRoutes } from './routes/plans';
import { prepaidRiskRoutes } from './routes/prepaid-risk';
import { publicationRegimeRoutes } from './routes/publication-regimes';
import { taskRoutes } from './routes/tasks';
import { triggerRoutes } from './routes/triggers';
import { visitRoutes } from './routes/visits';

/**
 * The workbench's pages (history mode: the service answers every page path with index.html).
 * Each feature's pages are listed in its own file under routes/ (the feature owns them; this file
 * only composes). A route's `meta.menu` names the menu item (contract A) that opens it: a page
 * whose item is not in the signed-in user's menu shows "no access" instead of calling an API
 * that would answer 403.
 */
const signedIn: RouteRecordRaw[] = [
  ...dashboardRoutes,
  ...enterpriseRoutes,
  ...publicationRegimeRoutes,
  ...drawRoutes,
  ...catalogRoutes,
  ...planRoutes,
  ...taskRoutes,
  ...triggerRoutes,
  ...creditRepairRoutes,
  ...visitRoutes,
  ...checkCodeRoutes,
  ...alertRoutes,
  ...checkCodeRatingRoutes,
  ...planDrawRoutes,
  ...adminRoutes,
  ...checkCodeKeyRoutes,
  ...penaltyDocumentRoutes,
  ...penaltyRoutes,
  ...prepaidRiskRoutes,
  ...prepaidDataRoutes,
  { path: '/no-access', component: () => import('./pages/NoAccessPage.vue'), meta: { title: '无权访问' } },
];

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    {
      path: '/login',
      component: () => import('./pages/LoginPage.vue'),
      meta: { title: '登录', public: true },
    },
    {
      path: '/',
      component: () => import('./layout/WorkbenchLayout.vue'),
      children: [{ path: '', component: () => import('./pages/HomeRedirect.vue') }, ...signedIn],
    },
    {
      path: '/:pathMatch(.*)*',
      component: () => import('./pages/NotFoundPage.vue'),
      meta: { title: '页面不存在', public: true },
    },
  ],
});

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  const current = await loadSession().catch(() => null);
  if (!current) return { path: '/login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  if (current.user.role === 'enterprise') {
    // an enterprise's staff use the phone pages
    window.location.assign('/m/');
    return false;
  }
  const item = to.meta.menu as string | undefined;
  if (item && !session.current?.menu.some((m) => m.key === item)) return { path: '/no-access' };
  return true;
});

router.afterEach((to) => {
  document.title = `${(to.meta.title as string | undefined) ?? '工作台'} · 信用风险分类监管工作台`;
});
