import { DataHealth } from '../health/data-health';
import { staleRules, StaleRule } from './stale.rules';
import { ruleHarness, T0 } from './test-site';

const stale = (defaultMaxAgeS = 60) => ruleHarness({ factories: [staleRules], siteFactories: [], defaultMaxAgeS });

describe(StaleRule.name, () => {
  it("raises STALE on the tick once the last value is older than the tag's maxAgeS, and returns on the next value", () => {
    const sut = stale();
    sut.feed('LI-4', 5, 0); // maxAgeS 30
    sut.tickThrough(1, 30);
    expect(sut.log('LI-4')).toEqual(['STALE:off@0']);
    sut.tick(31);
    expect(sut.log('LI-4')).toEqual(['STALE:off@0', 'STALE:on@31']);
    expect(sut.last('LI-4', 'STALE')?.message).toBe('4#储罐液位（LI-4）通讯中断：超过 30 s 无数据');
    sut.feed('LI-4', 5.1, 40);
    expect(sut.log('LI-4')).toEqual(['STALE:off@0', 'STALE:on@31', 'STALE:off@40']);
  });

  it('takes DATA_STALE_S for a tag without maxAgeS', () => {
    const sut = stale(120);
    sut.feed('LI-1', 5, 0);
    sut.tick(120);
    expect(sut.log('LI-1')).toEqual(['STALE:off@0']);
    sut.tick(121);
    expect(sut.log('LI-1')).toEqual(['STALE:off@0', 'STALE:on@121']);
  });

  it('raises nothing for a tag never seen (data health calls it no_data, not stale)', () => {
    const sut = stale();
    sut.tick(10_000);
    expect(sut.seen).toEqual([]);
  });

  it("makes every tag of the source stale at once on the gateway's last will, long before any max age", () => {
    const sut = stale();
    sut.feed('LI-1', 5, 0);
    sut.markSourceStale('src1', 2);
    expect(sut.log('LI-1')).toEqual(['STALE:off@0', 'STALE:on@2']);
    expect(sut.last('LI-1', 'STALE')?.message).toBe('1#储罐液位（LI-1）通讯中断：网关离线');
    // Data health counts a never-seen tag under a last will as stale too.
    expect(sut.log('GI-1')).toEqual(['STALE:on@2']);
    sut.markSourceStale('src1', 3);
    expect(sut.log('LI-1')).toHaveLength(2);
    sut.feed('LI-1', 5, 4);
    expect(sut.log('LI-1')).toEqual(['STALE:off@0', 'STALE:on@2', 'STALE:off@4']);
  });

  it('makes the tags of a Sparkplug death stale at once, and only those', () => {
    const sut = stale();
    sut.feed('LI-1', 5, 0);
    sut.feed('LI-2', 5, 0);
    sut.markStale(['LI-2', 'NO-SUCH-TAG'], 'device_death', 1);
    expect(sut.log('LI-1')).toEqual(['STALE:off@0']);
    expect(sut.log('LI-2')).toEqual(['STALE:off@0', 'STALE:on@1']);
    expect(sut.last('LI-2', 'STALE')?.message).toContain('Sparkplug 设备离线');
  });

  it("agrees with data health's freshness at every step of a random run", () => {
    const sut = stale(5);
    const tags = ['LI-1', 'LI-4', 'GI-1'];
    const health = new DataHealth(
      tags.map((tag) => ({ tag, sourceId: 'src1', enterpriseId: 'ent1', maxAgeMs: tag === 'LI-4' ? 30_000 : 5_000 })),
      { defaultMaxAgeMs: 5_000, utcOffsetMs: 0 },
      T0,
    );
    let seed = 7;
    const rng = { next: () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647 }; // Park–Miller
    const active = (tag: string) => sut.last(tag, 'STALE')?.active ?? false;
    for (let s = 1; s < 600; s++) {
      tags.forEach((tag, i) => {
        const r = rng.next();
        if (r < 0.08) {
          sut.feed(tag, 1, s);
          health.seen(i, T0 + s * 1000);
        } else if (r < 0.09) {
          sut.markStale([tag], 'node_death', s);
          health.markStale([i], 'node_death');
        }
      });
      sut.tick(s);
      tags.forEach((tag, i) =>
        expect([s, tag, active(tag)]).toEqual([s, tag, health.freshness(i, T0 + s * 1000) === 'stale']),
      );
    }
    expect(sut.seen.filter((x) => x.active).length).toBeGreaterThan(10);
  });
});
