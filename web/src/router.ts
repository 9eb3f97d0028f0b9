import { createRouter, createWebHistory } from 'vue-router';
import LoginView from './features/auth/LoginView.vue';
import { takeUrlToken } from './features/auth/auth.session';
import { currentToken, setSession } from './features/auth/auth.store';
import SourceView from './features/sources/SourceView.vue';
import WallView from './features/wall/WallView.vue';
// Duty console, alarm journal and statistics (issue 6): loaded on demand, the wall's kiosk bundle stays small.
const ConsoleView = () => import('./features/alarms/ConsoleView.vue');
const JournalView = () => import('./features/alarms/JournalView.vue');
const StatsView = () => import('./features/stats/StatsView.vue');

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', component: WallView, alias: '/wall' },
    { path: '/login', component: LoginView, meta: { public: true } },
    { path: '/console', component: ConsoleView },
    { path: '/console/journal', component: JournalView },
    { path: '/stats', component: StatsView },
    { path: '/sources/:id', component: SourceView },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});

/**
 * A kiosk URL's `?token=` is stored and taken out of the address; without a token every page but the login form
 * goes to it (keeping `kiosk`, so a wall screen says how to give it a token).
 */
router.beforeEach((to) => {
  const fromUrl = takeUrlToken(to.query);
  if (fromUrl) {
    setSession({ token: fromUrl.token, user: null, expiresAt: null });
    return { path: to.path, query: fromUrl.rest, hash: to.hash, replace: true };
  }
  if (to.meta.public || currentToken() !== null) return true;
  return {
    path: '/login',
    query: { ...(to.query.kiosk !== undefined ? { kiosk: null } : {}), redirect: to.fullPath },
    replace: true,
  };
});
