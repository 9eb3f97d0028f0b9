import type { TelemetryPoint } from '@hazard/server/contracts';
import {
  INITIAL_GATEWAY_STATE,
  stepGateway,
  type GatewayOutput,
  type GatewayParams,
  type GatewayState,
} from './gateway.model';

const PARAMS: GatewayParams = { publishIntervalMs: 5000, maxPointsPerMessage: 10 };
const T0 = Date.UTC(2025, 0, 6);
const samples = (n: number, v: number): TelemetryPoint[] => Array.from({ length: n }, (_, i) => ({ tag: `T-${i}`, v }));

/** Runs the gateway at 1 s polls over `seconds`; `linkUp(s)` says whether the network is up at second s. */
function run(seconds: number, tags: number, linkUp: (s: number) => boolean): Array<{ s: number; out: GatewayOutput }> {
  let state: GatewayState = INITIAL_GATEWAY_STATE;
  const all: Array<{ s: number; out: GatewayOutput }> = [];
  for (let s = 0; s < seconds; s++) {
    const r = stepGateway(PARAMS, state, T0 + s * 1000, samples(tags, s), linkUp(s));
    state = r.state;
    for (const out of r.out) all.push({ s, out });
  }
  return all;
}

describe(stepGateway.name, () => {
  it('announces itself online, then publishes once per interval in batches of at most 10 points', () => {
    const out = run(20, 25, () => true);
    const telemetry = out.filter((o) => o.out.kind === 'telemetry');

    expect(out[0]?.out).toEqual({ kind: 'status', status: { online: true, ts: T0 }, will: false });
    expect([...new Set(telemetry.map((o) => o.s))]).toEqual([0, 5, 10, 15]);
    expect(telemetry.map((o) => (o.out.kind === 'telemetry' ? o.out.message.points.length : 0))).toEqual([
      10, 10, 5, 10, 10, 5, 10, 10, 5, 10, 10, 5,
    ]);
    expect(telemetry.map((o) => (o.out.kind === 'telemetry' ? o.out.message.seq : -1))).toEqual([...Array(12).keys()]);
  });

  it('publishes the latest value of each tag of the cycle', () => {
    const out = run(6, 1, () => true).filter((o) => o.s === 5);

    expect(out.map((o) => (o.out.kind === 'telemetry' ? o.out.message.points : []))).toEqual([[{ tag: 'T-0', v: 5 }]]);
  });

  it('drops out: the broker publishes its will once, nothing is published while down, online again on return', () => {
    const out = run(40, 3, (s) => s < 10 || s >= 30);
    const during = out.filter((o) => o.s >= 10 && o.s < 30);
    const after = out.filter((o) => o.s >= 30);

    expect(during).toEqual([{ s: 10, out: { kind: 'status', status: { online: false }, will: true } }]);
    expect(after[0]?.out).toEqual({ kind: 'status', status: { online: true, ts: T0 + 30_000 }, will: false });
    expect(after[1]?.out.kind).toBe('telemetry');
  });
});
