import type { RouteRecordRaw } from 'vue-router';

/**
 * 检查任务 (regulators: the board) and 我的任务 (inspectors); one task's page serves both (the API
 * answers 403 for an inspector not on the task, and the page says so).
 */
export const taskRoutes: RouteRecordRaw[] = [
  {
    path: 'tasks',
    component: () => import('../pages/tasks/TaskBoardPage.vue'),
    meta: { title: '检查任务', menu: 'tasks' },
  },
  {
    path: 'my/tasks',
    component: () => import('../pages/tasks/MyTasksPage.vue'),
    meta: { title: '我的任务', menu: 'my-tasks' },
  },
  {
    path: 'tasks/:id(\\d+)',
    component: () => import('../pages/tasks/TaskDetailPage.vue'),
    meta: { title: '任务详情' },
  },
];
