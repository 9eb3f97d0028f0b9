import { computed, onBeforeUnmount, onMounted, ref, shallowRef, watch } from 'vue';
import type { Alarm } from '@hazard/server/contracts';
import { config } from '../../config';
import { createHorn, type Horn } from './alarm-horn';
import { patternFor, type Silence } from './alarm-sound';
import { alarmsConfig } from './alarms.config';
import { readSilenceLog, saveSilenceLog, withSilence } from './silence-log';

function browserStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/**
 * The console's audible alarm: sounds the pattern of the most urgent unacknowledged alarm while any is left,
 * unlocks the browser's audio on the first click or key press anywhere (autoplay policy), and keeps the temporary
 * silence with its local log.
 */
export function useAlarmSound(alarms: () => Iterable<Alarm>) {
  const horn = shallowRef<Horn | null>(null);
  const nowMs = ref(Date.now());
  const silence = ref<Silence | null>(null);
  const silenceLog = ref<Silence[]>(readSilenceLog(browserStorage()));
  let timer: ReturnType<typeof setInterval> | undefined;

  const pattern = computed(() => patternFor(alarms(), silence.value, nowMs.value));
  const silenced = computed(() => silence.value !== null && nowMs.value < silence.value.untilMs);
  const unlocked = computed(() => horn.value?.unlocked.value ?? false);
  const supported = computed(() => horn.value?.supported ?? false);
  const playing = computed(() => horn.value?.playing.value ?? null);

  const unlock = (): void => {
    void horn.value?.unlock();
  };

  onMounted(() => {
    horn.value = createHorn();
    document.addEventListener('pointerdown', unlock, true);
    document.addEventListener('keydown', unlock, true);
    timer = setInterval(() => (nowMs.value = Date.now()), config.badgeTickMs);
  });
  watch([pattern, horn], ([p, h]) => h?.play(p));
  onBeforeUnmount(() => {
    clearInterval(timer);
    document.removeEventListener('pointerdown', unlock, true);
    document.removeEventListener('keydown', unlock, true);
    horn.value?.dispose();
    horn.value = null;
  });

  /** Quiets what sounds now for alarmsConfig.silenceMs; logged locally with the user. */
  function silenceNow(user: string): void {
    const atMs = Date.now();
    const entry: Silence = { atMs, untilMs: atMs + alarmsConfig.silenceMs, user };
    silence.value = entry;
    nowMs.value = atMs;
    silenceLog.value = withSilence(silenceLog.value, entry, alarmsConfig.silenceLogMax);
    saveSilenceLog(browserStorage(), silenceLog.value);
  }

  function endSilence(): void {
    silence.value = null;
  }

  return { unlocked, supported, playing, silenced, silence, silenceLog, unlock, silenceNow, endSilence };
}
