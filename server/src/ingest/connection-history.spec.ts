import { ConnectionHistory } from './connection-history';

describe(ConnectionHistory.name, () => {
  it('starts disconnected with no outage before the first connect', () => {
    const sut = new ConnectionHistory();
    expect(sut.snapshot()).toEqual({ connected: false, outageSinceMs: null, outages: 0, lastOutage: null });
  });

  it('opens an outage when an established connection closes and closes it on the next connect', () => {
    const sut = new ConnectionHistory();
    sut.up(1000);
    sut.down(5000);
    expect(sut.snapshot()).toEqual({ connected: false, outageSinceMs: 5000, outages: 0, lastOutage: null });
    sut.down(6000);
    sut.up(9500);
    expect(sut.snapshot()).toEqual({
      connected: true,
      outageSinceMs: null,
      outages: 1,
      lastOutage: { fromMs: 5000, toMs: 9500, durationMs: 4500 },
    });
  });

  it('counts each outage once however many attempts fail in between', () => {
    const sut = new ConnectionHistory();
    sut.up(0);
    sut.down(10);
    sut.down(20);
    sut.up(30);
    sut.down(40);
    sut.up(100);
    expect(sut.snapshot()).toMatchObject({ outages: 2, lastOutage: { fromMs: 40, toMs: 100, durationMs: 60 } });
  });
});
