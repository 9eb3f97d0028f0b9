import { createApp } from 'vue';
import App from './App.vue';
import { startBlinkClock } from './shared/blink/blink';
import { locale } from './shared/i18n';
import { router } from './router';

document.documentElement.lang = locale.value;
// Every flashing element of every view (unacknowledged alarms) follows this one clock.
startBlinkClock(document.documentElement);
createApp(App).use(router).mount('#app');
