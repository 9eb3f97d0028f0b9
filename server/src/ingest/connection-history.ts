import type { BrokerConnection } from '../contracts';

/**
 * Outages of one connection, from the client's connect and close events (pure: the caller passes the time).
 * An outage starts when an established connection closes and ends at the next successful connect; failed
 * attempts in between do not count as separate outages.
 */
export class ConnectionHistory {
  private connected = false;
  private outageSinceMs: number | null = null;
  private outages = 0;
  private lastOutage: BrokerConnection['lastOutage'] = null;

  up(nowMs: number): void {
    if (this.connected) return;
    this.connected = true;
    if (this.outageSinceMs !== null) {
      this.outages++;
      this.lastOutage = { fromMs: this.outageSinceMs, toMs: nowMs, durationMs: nowMs - this.outageSinceMs };
      this.outageSinceMs = null;
    }
  }

  down(nowMs: number): void {
    if (!this.connected) return;
    this.connected = false;
    this.outageSinceMs = nowMs;
  }

  snapshot(): BrokerConnection {
    return {
      connected: this.connected,
      outageSinceMs: this.outageSinceMs,
      outages: this.outages,
      lastOutage: this.lastOutage && { ...this.lastOutage },
    };
  }
}
