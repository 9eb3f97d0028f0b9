import type { GatewayStatus, TelemetryMessage, TelemetryPoint } from '@hazard/server/contracts';

/**
 * An enterprise data gateway (企业数据采集网关) in front of one hazard source: it polls its PLC/DCS, publishes the
 * latest value of every tag once per publish interval in messages of at most `maxPointsPerMessage` points, carries a
 * retained last will (`status online:false`, DESIGN.md §3) and can drop off the network. Pure: the caller passes the
 * time and the link state; the broker's side of a dropout (publishing the will) is modelled as an output.
 */
export interface GatewayParams {
  /** Publish cycle, ms (provincial access specs ask for ≤ 10–60 s [unverified]; the demo uses 1 s). */
  publishIntervalMs: number;
  /** Points per message; a gateway splits a large source into several messages of one cycle. */
  maxPointsPerMessage: number;
}

export interface GatewayState {
  /** Connected to the broker. */
  online: boolean;
  /** Due time of the next publish cycle; undefined before the first. */
  nextPublishMs: number | undefined;
  /** Next `seq` (DESIGN.md §3: per publisher, for gap detection). */
  seq: number;
  /** Latest sample of each tag since the last publish. */
  latest: ReadonlyMap<string, TelemetryPoint>;
}

export type GatewayOutput =
  | { kind: 'telemetry'; message: TelemetryMessage }
  /** `will`: published by the broker for the gateway when its connection drops (MQTT last will). */
  | { kind: 'status'; status: GatewayStatus; will: boolean };

export const INITIAL_GATEWAY_STATE: GatewayState = {
  online: false,
  nextPublishMs: undefined,
  seq: 0,
  latest: new Map(),
};

/**
 * One step at `nowMs`: `samples` are this poll's values (each with its own `ts` when it differs from the cycle's),
 * `linkUp` whether the network lets the gateway reach the broker now.
 */
export function stepGateway(
  params: GatewayParams,
  state: GatewayState,
  nowMs: number,
  samples: readonly TelemetryPoint[],
  linkUp: boolean,
): { state: GatewayState; out: GatewayOutput[] } {
  const out: GatewayOutput[] = [];
  if (!linkUp) {
    if (state.online) out.push({ kind: 'status', status: { online: false }, will: true });
    // Nothing is buffered while down: this gateway has no store-and-forward, so the gap is visible as STALE.
    return { state: { ...state, online: false, nextPublishMs: undefined, latest: new Map() }, out };
  }
  let { online, seq } = state;
  if (!online) {
    out.push({ kind: 'status', status: { online: true, ts: nowMs }, will: false });
    online = true;
  }
  const latest = new Map(state.latest);
  for (const p of samples) latest.set(p.tag, p);
  const due = state.nextPublishMs ?? nowMs;
  if (nowMs < due) return { state: { ...state, online, latest }, out };
  const points = [...latest.values()].map((p) => (p.ts === nowMs ? stripTs(p) : p));
  for (let i = 0; i < points.length; i += params.maxPointsPerMessage) {
    out.push({
      kind: 'telemetry',
      message: { ts: nowMs, seq: seq++, points: points.slice(i, i + params.maxPointsPerMessage) },
    });
  }
  // Drift-free cycle: the next publish is due one interval after this one was due, not after `nowMs`.
  let nextPublishMs = due + params.publishIntervalMs;
  if (nextPublishMs <= nowMs) nextPublishMs = nowMs + params.publishIntervalMs;
  return { state: { online, seq, nextPublishMs, latest: new Map() }, out };
}

function stripTs(p: TelemetryPoint): TelemetryPoint {
  const { ts: _ts, ...rest } = p;
  return rest;
}
