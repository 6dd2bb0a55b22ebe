// Attributes of address ranges kept beside the page tables: sorted, non-overlapping
// [start, end) entries with a value. Values that depend on the position inside a range
// (a file offset) are re-based by `at` when a range is split or moved; neighbours that
// `joins` says continue each other are merged, as Linux merges compatible VMAs.

export interface RangeEntry<T> {
  start: number;
  end: number;
  value: T;
}

export interface RangeValueOps<T> {
  /** The value describing the part of a range that starts `delta` bytes into it. */
  at(value: T, delta: number): T;
  /** Whether `b`, starting right where `a` ends (a is `len` long), continues `a`. */
  joins(a: T, b: T, len: number): boolean;
}

export class RangeMap<T> {
  private entries: RangeEntry<T>[] = [];

  constructor(private readonly ops: RangeValueOps<T>) {}

  /** The entry containing addr. */
  find(addr: number): RangeEntry<T> | undefined {
    let lo = 0;
    let hi = this.entries.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = this.entries[mid];
      if (addr < e.start) hi = mid - 1;
      else if (addr >= e.end) lo = mid + 1;
      else return e;
    }
    return undefined;
  }

  /** Entries overlapping [start, end), clipped to it, in address order. */
  within(start: number, end: number): RangeEntry<T>[] {
    const out: RangeEntry<T>[] = [];
    for (const e of this.entries) {
      if (e.end <= start || e.start >= end) continue;
      const s = Math.max(e.start, start);
      out.push({ start: s, end: Math.min(e.end, end), value: this.ops.at(e.value, s - e.start) });
    }
    return out;
  }

  /** Give [start, end) the value (undefined: no entry), replacing what was there. */
  set(start: number, end: number, value: T | undefined): void {
    if (end <= start) return;
    this.splitAt(start);
    this.splitAt(end);
    let i = this.entries.findIndex((e) => e.start >= start);
    if (i < 0) i = this.entries.length;
    let n = 0;
    while (i + n < this.entries.length && this.entries[i + n].end <= end) n++;
    const add = value === undefined ? [] : [{ start, end, value }];
    this.entries.splice(i, n, ...add);
    if (add.length) this.mergeAround(i);
    else {
      this.mergeAround(i);
      this.mergeAround(i - 1);
    }
  }

  /** Move the entries of [from, from+len) to [to, to+len), replacing what was at the destination. */
  move(from: number, to: number, len: number): void {
    const taken = this.within(from, from + len);
    this.set(from, from + len, undefined);
    this.set(to, to + len, undefined);
    for (const e of taken) this.set(e.start - from + to, e.end - from + to, e.value);
  }

  /** Copy the entries of [from, from+len) to [to, to+len) (the source keeps them). */
  copy(from: number, to: number, len: number): void {
    const taken = this.within(from, from + len);
    this.set(to, to + len, undefined);
    for (const e of taken) this.set(e.start - from + to, e.end - from + to, e.value);
  }

  all(): readonly RangeEntry<T>[] {
    return this.entries;
  }

  private splitAt(addr: number): void {
    const e = this.find(addr);
    if (!e || e.start === addr) return;
    const i = this.entries.indexOf(e);
    this.entries.splice(i + 1, 0, { start: addr, end: e.end, value: this.ops.at(e.value, addr - e.start) });
    e.end = addr;
  }

  private mergeAround(i: number): void {
    const e = this.entries[i];
    if (!e) return;
    const next = this.entries[i + 1];
    if (next && next.start === e.end && this.ops.joins(e.value, next.value, e.end - e.start)) {
      e.end = next.end;
      this.entries.splice(i + 1, 1);
    }
    const prev = this.entries[i - 1];
    if (prev && prev.end === e.start && this.ops.joins(prev.value, e.value, prev.end - prev.start)) {
      prev.end = e.end;
      this.entries.splice(i, 1);
    }
  }
}
