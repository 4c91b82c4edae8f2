import { createRouter, createWebHistory } from 'vue-router';

/** The enterprise's phone pages under /m (history mode: the service answers /m/* with m/index.html). */
export const router = createRouter({
  history: createWebHistory('/m/'),
  routes: [
    { path: '/', component: () => import('./pages/HomePage.vue'), meta: { title: '企业信用服务' } },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});

router.afterEach((to) => {
  document.title = (to.meta.title as string | undefined) ?? '企业信用服务';
});
