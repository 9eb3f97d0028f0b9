import type { GradeResult } from './grading';
import type { SparkplugNodeStatus } from './sparkplug';
import type { BrokerConnection } from './health';
import type { HazardSource } from './site';

/** Status of one dependency in `GET /api/health`. */
export interface ComponentHealth {
  ok: boolean;
  /** What it is (e.g. `embedded aedes on :1883`, `influxdb http://127.0.0.1:8086/hazard`). */
  detail: string;
  /** Last error, when not ok. */
  error?: string;
}

/** `GET /api/health` */
export interface HealthResponse {
  status: 'ok' | 'degraded';
  uptimeS: number;
  /** Sparkplug B edge node sessions (empty when no source speaks Sparkplug). */
  sparkplug: { hostId: string; nodes: SparkplugNodeStatus[] };
  /** The broker as the ingest client sees it, with its outages (it reconnects by itself). */
  broker: ComponentHealth & { connection: BrokerConnection };
  store: ComponentHealth;
  ingest: {
    messages: number;
    points: number;
    /** Rejected input by reason (dead letters). */
    rejected: Record<string, number>;
    /** Points waiting in the write buffer. */
    bufferedPoints: number;
    storedPoints: number;
    /** `replay` while the store is behind and points are read back from the disk spool. */
    writeMode: 'live' | 'replay';
    /** Spooled bytes the store has not confirmed (0 without a spool). */
    spoolPendingBytes: number;
    replayedPoints: number;
    /** Points lost for good; anything but 0 is also in the log. */
    droppedPoints: number;
  };
}

/** `GET /api/sources/:id`: one major hazard source with its equipment, tags, limits, grade and 包保 people. */
export interface SourceDetail {
  enterpriseId: string;
  enterpriseName: string;
  source: HazardSource;
  grade: GradeResult;
}
