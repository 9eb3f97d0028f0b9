import { createApp } from 'vue';
import App from './App.vue';
import { locale } from './shared/i18n';
import { router } from './router';

document.documentElement.lang = locale.value;
createApp(App).use(router).mount('#app');
