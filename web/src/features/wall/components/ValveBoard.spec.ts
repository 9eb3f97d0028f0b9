import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount } from '@vue/test-utils';
import { nextTick } from 'vue';
import type { LatestValue, TagDef } from '@hazard/server/contracts';
import type { DisplayClock } from '../data-age';
import type { DiscreteView } from '../wall.model';
import { sample } from '../wall.fixtures';
import ValveBoard from './ValveBoard.vue';

const clock: DisplayClock = { connected: true, serverNowMs: 100_000, staleAfterMs: 10_000, allStale: false };

function discrete(tag: string, kind: TagDef['kind']): DiscreteView {
  return { id: tag, name: tag, tag: { tag, name: tag, kind, unit: '' } };
}

const valves = ['XV-1', 'XV-2', 'XV-3'].map((tag) => discrete(tag, 'valve_position'));
const loops = ['SIS-1', 'SIS-2', 'SIS-3'].map((tag) => discrete(tag, 'sis_state'));

/** happy-dom has no layout: a box `boxBottomPx` high with every row, valves then SIS loops, `rowHeightPx` high. */
function layOutRows(boxBottomPx: number, rowHeightPx: number): void {
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
    const rows: Element[] = [...(this.closest('.box')?.querySelectorAll('li') ?? [])];
    const bottom = this.matches('.box') ? boxBottomPx : this.matches('li') ? (rows.indexOf(this) + 1) * rowHeightPx : 0;
    return { top: 0, left: 0, right: 0, bottom, width: 0, height: bottom, x: 0, y: 0, toJSON: () => ({}) } as DOMRect;
  });
}

describe('ValveBoard', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('counts the valves and SIS loops that do not fit, naming those not in their normal state', async () => {
    layOutRows(130, 40);
    const latest: Record<string, LatestValue> = {
      'XV-1': sample('open', 99_000),
      'XV-2': sample('closed', 99_000),
      'XV-3': sample('closed', 99_000),
      'SIS-1': sample('bypassed', 99_000),
      'SIS-2': sample('normal', 99_000),
      'SIS-3': sample('tripped', 99_000),
    };

    const sut = mount(ValveBoard, { props: { valves, sisLoops: loops, latest, clock } });
    await nextTick();

    expect(sut.findAll('[data-testid="valve-entry"]').map((li) => li.attributes('data-fit'))).toEqual([
      'shown',
      'shown',
      'shown',
    ]);
    expect(sut.findAll('[data-testid="sis-entry"]').map((li) => li.attributes('data-fit'))).toEqual([
      'hidden',
      'hidden',
      'hidden',
    ]);
    // No SIS loop is shown: neither is its heading, alone at the bottom.
    expect(sut.get('h3').classes()).toContain('left');
    const more = sut.get('[data-testid="valves-more"]');
    expect(more.attributes('data-hidden')).toBe('3');
    expect(more.text()).toContain('另有 3 个阀门 / 联锁回路未显示');
    expect(more.text()).toContain('其中 2 个异常');
  });

  it('shows every entry and no count line when they fit', async () => {
    layOutRows(400, 40);
    const sut = mount(ValveBoard, { props: { valves, sisLoops: loops, latest: {}, clock } });
    await nextTick();

    expect(sut.findAll('[data-fit="hidden"]')).toHaveLength(0);
    expect(sut.find('[data-testid="valves-more"]').exists()).toBe(false);
  });
});
