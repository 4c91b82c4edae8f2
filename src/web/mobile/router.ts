import { showToast } from 'vant';
import { createRouter, createWebHistory } from 'vue-router';
import { onSessionEnded } from '../shared/api';
import { loadSession, session, sessionEnded } from '../shared/session';

/**
 * The phone pages under /m (history mode: the service answers /m/* with m/index.html): sign-in,
 * then for an enterprise user 本企业 (particulars, the tier only where the bureau shows it),
 * 本年检查 (inspections under codes, 评价: issue 12), 信用记录 and 我的 (password, sign out) behind a tab
 * bar; for an inspector 我的任务, a task (checklist, particulars) and 记录结果, and 我的 (issue 11);
 * 我的检查码 and a code's page (QR, check word, 签到 / 签退, issue 12). A route's `meta.roles` names who may
 * open it; each role's home is its first page. Admins and regulators are sent to the workbench
 * (/), someone signed out to /m/login.
 */
export const router = createRouter({
  history: createWebHistory('/m/'),
  routes: [
    {
      path: '/login',
      component: () => import('./pages/LoginPage.vue'),
      meta: { title: '登录', public: true },
    },
    {
      path: '/',
      component: () => import('./layout/MobileLayout.vue'),
      children: [
        {
          path: '',
          name: 'home',
          component: () => import('./pages/HomePage.vue'),
          meta: { title: '本企业', roles: ['enterprise'] },
        },
        {
          // issue 13: both documents of one of the enterprise's penalty decisions (双书同达)
          path: 'decisions/:id/documents',
          name: 'decision-documents',
          component: () => import('./pages/penalties/DecisionDocumentsPage.vue'),
          meta: { title: '处罚文书', roles: ['enterprise'], back: 'decisions' },
        },
        {
          path: 'records',
          name: 'records',
          component: () => import('./pages/RecordsPage.vue'),
          meta: { title: '信用记录', roles: ['enterprise'] },
        },
        {
          // issue 13: the enterprise's own page: its decisions with both documents, its reminders,
          // the compliance notice for its industry
          path: 'decisions',
          name: 'decisions',
          component: () => import('./pages/repair/DecisionsPage.vue'),
          meta: { title: '处罚决定与告知书', roles: ['enterprise'], back: 'home' },
        },
        {
          path: 'reminders',
          name: 'reminders',
          component: () => import('./pages/repair/RemindersPage.vue'),
          meta: { title: '消息提醒', roles: ['enterprise'], back: 'home' },
        },
        {
          path: 'compliance-notice',
          name: 'compliance-notice',
          component: () => import('./pages/repair/ComplianceNoticePage.vue'),
          meta: { title: '合规告知', roles: ['enterprise'], back: 'home' },
        },
        {
          // issue 12: the enterprise's inspections of this year, and the rating of one (the verify
          // page /v/<code> links to codes/<codeNo>/rate once the inspection is completed)
          path: 'visits',
          name: 'visits',
          component: () => import('./pages/visits/MyVisitsPage.vue'),
          meta: { title: '本年检查', roles: ['enterprise'] },
        },
        {
          path: 'codes/:codeNo/rate',
          name: 'rate',
          component: () => import('./pages/visits/RateVisitPage.vue'),
          meta: { title: '评价检查', roles: ['enterprise'], back: 'visits' },
        },
        {
          // issue 13: apply for credit repair of a record, and follow the applications
          path: 'repair/apply',
          name: 'repair-apply',
          component: () => import('./pages/repair/ApplyRepairPage.vue'),
          meta: { title: '申请信用修复', roles: ['enterprise'], back: 'repair-mine' },
        },
        {
          path: 'repair',
          name: 'repair-mine',
          component: () => import('./pages/repair/MyRepairApplicationsPage.vue'),
          meta: { title: '我的修复申请', roles: ['enterprise'] },
        },
        {
          path: 'tasks',
          name: 'tasks',
          component: () => import('./pages/tasks/MyTasksPage.vue'),
          meta: { title: '我的任务', roles: ['inspector'] },
        },
        {
          path: 'tasks/:id(\\d+)',
          name: 'task',
          component: () => import('./pages/tasks/TaskPage.vue'),
          meta: { title: '任务详情', roles: ['inspector'], back: 'tasks' },
        },
        {
          path: 'tasks/:id(\\d+)/result',
          name: 'task-result',
          component: () => import('./pages/tasks/ResultPage.vue'),
          meta: { title: '记录检查结果', roles: ['inspector'], back: 'task' },
        },
        {
          path: 'codes',
          name: 'codes',
          component: () => import('./pages/codes/MyCodesPage.vue'),
          meta: { title: '我的检查码', roles: ['inspector'] },
        },
        {
          path: 'codes/:id(\\d+)',
          name: 'code',
          component: () => import('./pages/codes/CodePage.vue'),
          meta: { title: '检查码', roles: ['inspector'], back: 'codes' },
        },
        {
          path: 'recusal',
          name: 'recusal',
          component: () => import('./pages/RecusalPage.vue'),
          meta: { title: '申请回避' },
        },
        {
          path: 'account',
          name: 'account',
          component: () => import('./pages/AccountPage.vue'),
          meta: { title: '我的', roles: ['enterprise', 'inspector'] },
        },
      ],
    },
    {
      path: '/:pathMatch(.*)*',
      component: () => import('./pages/NotFoundPage.vue'),
      meta: { title: '未找到', public: true },
    },
  ],
});

/** Where a signed-out visitor goes: the sign-in page, keeping the page asked for. */
function toLogin(fullPath: string) {
  return { path: '/login', query: fullPath !== '/' ? { redirect: fullPath } : {} };
}

/** Roles the phone pages serve, and the home of each. */
export const PHONE_HOMES: Record<string, string> = { enterprise: '/', inspector: '/tasks' };

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  const current = await loadSession().catch(() => null);
  if (!current) return toLogin(to.fullPath);
  const home = PHONE_HOMES[current.user.role];
  if (!home) {
    // admins and regulators use the workbench
    window.location.assign('/');
    return false;
  }
  const roles = to.meta.roles as string[] | undefined;
  if (roles && !roles.includes(current.user.role)) return home === to.path ? true : { path: home };
  return true;
});

router.afterEach((to) => {
  const title = to.meta.title as string | undefined;
  document.title = title ? `${title} · 企业信用服务` : '企业信用服务';
});

// an answer 401 anywhere (idle timeout, signed out on another device, password changed there)
onSessionEnded(() => {
  // several requests may meet the ended session at once: say it once
  if (!session.current) return;
  sessionEnded();
  showToast({ message: '登录已失效（长时间未操作或已在其他设备退出），请重新登录', duration: 3000 });
  const here = router.currentRoute.value;
  if (!here.meta.public) void router.replace(toLogin(here.fullPath));
});
