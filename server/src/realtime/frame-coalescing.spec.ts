import { EventEmitter } from 'node:events';
import { coalesceFrames } from './frame-coalescing';

/** A stand-in for engine.io's connection and websocket transport, recording what reaches the net socket. */
function fakeConnection(name = 'websocket') {
  const log: string[] = [];
  const raw = { cork: () => log.push('cork'), uncork: () => log.push('uncork') };
  const transport = {
    name,
    socket: { _socket: raw },
    send(packets: unknown[]) {
      for (const p of packets) log.push(`frame ${String(p)}`);
    },
  };
  const conn = Object.assign(new EventEmitter(), { transport });
  return { conn, transport, log };
}

describe(coalesceFrames.name, () => {
  it('corks the socket around a send of several packets, so that they leave in one write', () => {
    const { conn, transport, log } = fakeConnection();
    coalesceFrames(conn);

    transport.send(['a', 'b', 'c']);

    expect(log).toEqual(['cork', 'frame a', 'frame b', 'frame c', 'uncork']);
  });

  it('leaves a single packet alone, and uncorks even when the send throws', () => {
    const { conn, transport, log } = fakeConnection();
    coalesceFrames(conn);
    transport.send(['a']);
    expect(log).toEqual(['frame a']);

    log.length = 0;
    const throwing = fakeConnection();
    throwing.transport.send = () => {
      throw new Error('write after end');
    };
    coalesceFrames(throwing.conn);
    expect(() => throwing.transport.send(['a', 'b'])).toThrow('write after end');
    expect(throwing.log).toEqual(['cork', 'uncork']);
  });

  it('wraps once, and takes the websocket transport a polling client upgrades to', () => {
    const { conn, transport, log } = fakeConnection('polling');
    coalesceFrames(conn);
    transport.send(['a', 'b']);
    expect(log).toEqual(['frame a', 'frame b']);

    log.length = 0;
    transport.name = 'websocket';
    conn.emit('upgrade');
    conn.emit('upgrade');
    transport.send(['a', 'b']);
    expect(log).toEqual(['cork', 'frame a', 'frame b', 'uncork']);
  });

  it('does nothing, and does not throw, on a shape it does not know', () => {
    expect(() => coalesceFrames({})).not.toThrow();
    expect(() => coalesceFrames({ transport: { name: 'websocket', socket: {} } })).not.toThrow();
  });
});
