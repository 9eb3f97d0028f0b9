import { onBeforeUnmount, onMounted } from 'vue';
import { currentToken } from '../auth/auth.store';
import { fetchDataHealth } from './wall.api';
import { wallConfig } from './wall.config';
import { dataHealthState } from './wall.store';

/**
 * Polls the park's 在线率 once at mount and then every `healthRefreshMs` while the calling component lives.
 * A failed poll keeps the last figures but records the error; the strip greys them once they are too old.
 */
export function useDataHealth(): void {
  let timer: ReturnType<typeof setInterval> | undefined;
  const poll = async (): Promise<void> => {
    const r = await fetchDataHealth(currentToken());
    if (r.ok) {
      dataHealthState.health = r.body;
      dataHealthState.fetchedAtMs = Date.now();
      dataHealthState.error = null;
    } else {
      dataHealthState.error = r.message;
    }
  };
  onMounted(() => {
    void poll();
    timer = setInterval(() => void poll(), wallConfig.healthRefreshMs);
  });
  onBeforeUnmount(() => clearInterval(timer));
}
