import { createRouter, createWebHistory } from 'vue-router';
import WallView from './features/wall/WallView.vue';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', component: WallView, alias: '/wall' },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});
