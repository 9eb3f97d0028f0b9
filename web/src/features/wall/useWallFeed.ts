import { onBeforeUnmount, onMounted } from 'vue';
import { connectRealtime, type RealtimeConnection } from '../../shared/socket/realtime';
import { applyAlarmEvent, applySnapshot, applyTelemetry, wallState } from './wall.store';

/** Connects the wall state to the realtime stream for the lifetime of the component; resyncs on a seq gap. */
export function useWallFeed(): void {
  let conn: RealtimeConnection | undefined;
  let resyncPending = false;
  onMounted(() => {
    conn = connectRealtime({
      connected: () => {
        wallState.connected = true;
      },
      disconnected: () => {
        wallState.connected = false;
      },
      snapshot: (e) => {
        resyncPending = false;
        applySnapshot(wallState, e, Date.now());
      },
      alarm: (e) => {
        if (applyAlarmEvent(wallState, e) === 'gap' && !resyncPending) {
          resyncPending = true;
          conn?.resync();
        }
      },
      telemetry: (e) => applyTelemetry(wallState, e, Date.now()),
    });
  });
  onBeforeUnmount(() => conn?.close());
}
