import type { Socket as NetSocket } from 'node:net';

/**
 * The engine.io pieces this file reaches into. engine.io has no public way to batch writes: its websocket transport
 * sends each packet as its own frame, and Node writes each frame with its own syscall. Typed here, narrowly, so that
 * a change of engine.io's internals turns this into a no-op (checked at run time), never a crash.
 */
interface EngineTransport {
  name: string;
  send(packets: unknown[]): void;
  socket?: { _socket?: NetSocket };
  hazardCoalesced?: true;
}
interface EngineConnection {
  transport: EngineTransport;
  on(event: 'upgrade', listener: () => void): unknown;
}

/**
 * Makes the websocket transport of one connection hand the frames of one `send` to the kernel in one write: engine.io
 * buffers the packets that come while a write is in flight and sends them together when it completes, and with the
 * socket corked around that send they leave as one `writev` instead of one syscall each. The fan-out bench (200
 * screens, 1,000 alarms in 10 s) spent 44 % of the server's main thread in `writev` before.
 */
export function coalesceFrames(conn: unknown): void {
  const c = conn as EngineConnection;
  const apply = (): void => {
    const transport = c.transport;
    const raw = transport?.socket?._socket;
    if (transport?.name !== 'websocket' || transport.hazardCoalesced || typeof raw?.cork !== 'function') return;
    const send = transport.send.bind(transport);
    transport.send = (packets: unknown[]) => {
      if (packets.length < 2) {
        send(packets);
        return;
      }
      raw.cork();
      try {
        send(packets);
      } finally {
        raw.uncork();
      }
    };
    transport.hazardCoalesced = true;
  };
  apply();
  // A client that starts on long-polling moves to websocket later.
  if (typeof c.on === 'function') c.on('upgrade', apply);
}

/** Whether `coalesceFrames` took hold of this connection's current transport (false: engine.io's shape differed). */
export function isCoalesced(conn: unknown): boolean {
  return (conn as Partial<EngineConnection> | undefined)?.transport?.hazardCoalesced === true;
}
