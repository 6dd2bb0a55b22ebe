// RangeMap: splitting re-bases offsets, neighbours that continue each other merge, moves
// replace the destination. Expected values follow from the definitions in range-map.ts.

import { describe, expect, it } from 'vitest';
import { RangeMap } from './range-map.ts';

interface V {
  tag: string;
  off: number;
}
const make = () =>
  new RangeMap<V>({
    at: (v, d) => ({ tag: v.tag, off: v.off + d }),
    joins: (a, b, len) => a.tag === b.tag && b.off === a.off + len,
  });
const dump = (m: RangeMap<V>) => m.all().map((e) => [e.start, e.end, e.value.tag, e.value.off]);

describe('RangeMap', () => {
  it('set splits what it overlaps and re-bases the tail', () => {
    const m = make();
    m.set(0, 100, { tag: 'f', off: 1000 });
    m.set(40, 60, { tag: 'g', off: 0 });
    expect(dump(m)).toEqual([
      [0, 40, 'f', 1000],
      [40, 60, 'g', 0],
      [60, 100, 'f', 1060],
    ]);
    expect(m.find(70)?.value).toEqual({ tag: 'f', off: 1060 });
    expect(m.within(30, 70).map((e) => [e.start, e.end, e.value.off])).toEqual([
      [30, 40, 1030],
      [40, 60, 0],
      [60, 70, 1060],
    ]);
  });

  it('clearing the middle and setting it back merges into one entry again', () => {
    const m = make();
    m.set(0, 100, { tag: 'f', off: 0 });
    m.set(40, 60, undefined);
    expect(dump(m)).toEqual([
      [0, 40, 'f', 0],
      [60, 100, 'f', 60],
    ]);
    m.set(40, 60, { tag: 'f', off: 40 });
    expect(dump(m)).toEqual([[0, 100, 'f', 0]]);
  });

  it('does not merge neighbours whose offsets do not continue', () => {
    const m = make();
    m.set(0, 10, { tag: 'f', off: 0 });
    m.set(10, 20, { tag: 'f', off: 500 });
    expect(m.all()).toHaveLength(2);
  });

  it('move takes the entries to the destination, replacing it; copy keeps the source', () => {
    const m = make();
    m.set(0, 30, { tag: 'a', off: 0 });
    m.set(100, 130, { tag: 'b', off: 0 });
    m.move(10, 110, 10);
    expect(dump(m)).toEqual([
      [0, 10, 'a', 0],
      [20, 30, 'a', 20],
      [100, 110, 'b', 0],
      [110, 120, 'a', 10],
      [120, 130, 'b', 20],
    ]);
    m.copy(2, 200, 5);
    expect(m.find(202)).toEqual({ start: 200, end: 205, value: { tag: 'a', off: 2 } });
    expect(m.find(2)).toEqual({ start: 0, end: 10, value: { tag: 'a', off: 0 } });
  });
});
