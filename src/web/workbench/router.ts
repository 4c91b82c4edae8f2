import { createRouter, createWebHistory } from 'vue-router';

/** The workbench's pages (history mode: the service answers every page path with index.html). */
export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/', redirect: '/login' },
    { path: '/login', component: () => import('./pages/LoginPage.vue'), meta: { title: '登录' } },
    {
      path: '/:pathMatch(.*)*',
      component: () => import('./pages/NotFoundPage.vue'),
      meta: { title: '页面不存在' },
    },
  ],
});

router.afterEach((to) => {
  document.title = `${(to.meta.title as string | undefined) ?? '工作台'} · 信用风险分类监管工作台`;
});
