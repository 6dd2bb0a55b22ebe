// Building blocks for directed cases: cases from assembly lines and named initial values,
// and "tables" that run one instruction over many inputs, reading and clearing fflags
// after each so every row's flags are compared on their own.

import { F_NAMES, SCRATCH, X_NAMES, block, insn, type Insn, type IsaCase, type Item, type RegionRel } from './case.ts';

/** Directed cases keep the case region address in t6. */
export const BASE = 31;

export type InitValue = bigint | number | RegionRel;

export interface DirectedInit {
  /** Registers by ABI name (a0, ft0, ...) or x5 / f5 form. */
  regs?: Record<string, InitValue>;
  fcsr?: number;
  /** Scratch doublewords by byte offset (multiple of 8). */
  mem?: Record<number, bigint>;
  mode?: IsaCase['mode'];
}

export function xIndex(name: string): number {
  const i = X_NAMES.indexOf(name);
  if (i >= 0) return i;
  if (name === 'fp') return 8;
  const m = /^x(\d+)$/.exec(name);
  if (m) return Number(m[1]);
  return -1;
}

export function fIndex(name: string): number {
  const i = F_NAMES.indexOf(name);
  if (i >= 0) return i;
  const m = /^f(\d+)$/.exec(name);
  if (m) return Number(m[1]);
  return -1;
}

const u64 = (v: bigint | number) => BigInt.asUintN(64, BigInt(v));

/** A case from lines (each its own block unless grouped by the caller) and initial values. */
export function directed(name: string, code: (string | Insn | Item)[], init: DirectedInit = {}): IsaCase {
  const x: IsaCase['x'] = new Array(32).fill(0n);
  const f: bigint[] = new Array(32).fill(0n);
  const pinned: number[] = [];
  for (const [reg, v] of Object.entries(init.regs ?? {})) {
    const xi = xIndex(reg);
    if (xi > 0) {
      if (xi === BASE) throw new Error(`${name}: t6 holds the case address`);
      if (typeof v === 'object') pinned.push(xi);
      x[xi] = typeof v === 'object' ? v : u64(v);
      continue;
    }
    const fi = fIndex(reg);
    if (fi < 0 || typeof v === 'object') throw new Error(`${name}: bad register init ${reg}`);
    f[fi] = u64(v);
  }
  const scratch = new Array(SCRATCH / 8).fill(0n);
  for (const [off, v] of Object.entries(init.mem ?? {})) scratch[Number(off) / 8] = u64(v);
  const items: Item[] = code.map((c) => (typeof c === 'string' ? block(c) : 'kind' in c ? c : block(c)));
  return { name, base: BASE, x, f, fcsr: init.fcsr ?? 0, scratch, items, pinned, mode: init.mode };
}

export { block, insn };

// ---- float bit patterns ----

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const b64 = new BigUint64Array(f64.buffer);

/** NaN-boxed single with the value v (rounded to single). */
export function S(v: number): bigint {
  f32[0] = v;
  return 0xffffffff00000000n | BigInt(u32[0]);
}

/** NaN-boxed single from raw bits. */
export function SB(bits: number): bigint {
  return 0xffffffff00000000n | BigInt(bits >>> 0);
}

export function D(v: number): bigint {
  f64[0] = v;
  return b64[0];
}

// ---- tables: one instruction over many inputs ----

/** x registers a table may use (all but x0 and the base t6). */
const X_POOL = Array.from({ length: 30 }, (_, i) => i + 1);
const F_POOL = Array.from({ length: 32 }, (_, i) => i);

export interface TableSpec {
  name: string;
  /** Kinds of the source operands, in order. */
  src: ('x' | 'f')[];
  /** Kind of the destination. */
  dst: 'x' | 'f';
  /** The instruction, given register names (dst, src...). */
  line: (dst: string, ...src: string[]) => string;
  /** Each row: one value per source. */
  rows: bigint[][];
  /** Read and clear fflags after each row (FP ops). */
  flags?: boolean;
  fcsr?: number;
  /** Instructions before the rows (e.g. csrrwi zero, frm, 3). */
  setup?: string[];
}

/** As many cases as needed, each running the instruction over as many rows as registers allow. */
export function table(t: TableSpec): IsaCase[] {
  const xPer = t.src.filter((k) => k === 'x').length + (t.dst === 'x' ? 1 : 0) + (t.flags ? 1 : 0);
  const fPer = t.src.filter((k) => k === 'f').length + (t.dst === 'f' ? 1 : 0);
  const perCase = Math.max(1, Math.min(xPer ? Math.floor(X_POOL.length / xPer) : 99, fPer ? Math.floor(F_POOL.length / fPer) : 99, 12));
  const cases: IsaCase[] = [];
  for (let start = 0; start < t.rows.length; start += perCase) {
    const rows = t.rows.slice(start, start + perCase);
    let xi = 0;
    let fi = 0;
    const regs: Record<string, InitValue> = {};
    const code: string[] = [...(t.setup ?? [])];
    for (const row of rows) {
      const names = t.src.map((k, i) => {
        const n = k === 'x' ? X_NAMES[X_POOL[xi++]] : F_NAMES[F_POOL[fi++]];
        regs[n] = row[i];
        return n;
      });
      const d = t.dst === 'x' ? X_NAMES[X_POOL[xi++]] : F_NAMES[F_POOL[fi++]];
      code.push(t.line(d, ...names));
      if (t.flags) code.push(`csrrw ${X_NAMES[X_POOL[xi++]]}, fflags, zero`);
    }
    cases.push(directed(`${t.name} [rows ${start}..${start + rows.length - 1}]`, code, { regs, fcsr: t.fcsr }));
  }
  return cases;
}

/** Every pair (a, b) of the two lists. */
export function pairs(a: readonly bigint[], b: readonly bigint[]): bigint[][] {
  return a.flatMap((x) => b.map((y) => [x, y]));
}
