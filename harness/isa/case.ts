// One differential test case: initial register file, fcsr and scratch memory, and a short
// instruction sequence. A case owns a region of guest memory: SCRATCH bytes that loads,
// stores and AMOs touch, followed by the dump the epilogue writes. The base register
// (`base`) holds the region's address for the whole case; the sequence never writes it.

import { mnemonicsOf } from './mnemonics.ts';

/** Bytes of scratch memory per case (memory operations stay inside it). */
export const SCRATCH = 256;
/** Dump layout after the scratch: x1..x31, f0..f31, fcsr (8 bytes each). */
export const DUMP_X = SCRATCH;
export const DUMP_F = DUMP_X + 31 * 8;
export const DUMP_FCSR = DUMP_F + 32 * 8;
export const REGION_BYTES = DUMP_FCSR + 8;

/** An address inside the case's own region: emitted as `region + offset`. */
export interface RegionRel {
  rel: number;
}

/** Initial integer register value: a 64-bit pattern or a region-relative address. */
export type XInit = bigint | RegionRel;

export interface Insn {
  /** Assembly text. `%T` stands for the target label, `%K` for the byte distance below. */
  asm: string;
  bytes: 2 | 4;
  /** Label id of the branch or jump target (replaces %T, or defines %K). */
  target?: number;
  /** %K = address(target label) - address(insn at this index in the block) + kExtra. */
  anchor?: number;
  kExtra?: number;
  /** Mnemonics this line exercises when not its first word (raw .2byte/.insn lines: usually none). */
  counts?: string[];
}

/** Instructions that stay together when a case is shrunk (e.g. auipc + jalr). */
export interface Block {
  kind: 'block';
  insns: Insn[];
  /** Inside a forward jump's shadow: may or may not run, so not counted as exercised. */
  shadow?: boolean;
}

export interface Label {
  kind: 'label';
  id: number;
}

export type Item = Block | Label;

export interface IsaCase {
  name: string;
  /** Register holding the region address throughout (3..31). */
  base: number;
  /** x0..x31 initial values (x0 and x[base] are ignored). */
  x: XInit[];
  /** f0..f31 initial raw 64-bit patterns. */
  f: bigint[];
  fcsr: number;
  /** Initial scratch contents, SCRATCH / 8 little-endian doublewords. */
  scratch: bigint[];
  items: Item[];
  /** x registers whose initial value must stay (they are used as addresses). */
  pinned: number[];
  /**
   * Cases with a mode run alone. 'trap': the sequence ends the process (ebreak, misaligned
   * AMO, ...): compare exit status. 'rwx': code in a writable section (self-modifying
   * code). 'pagecross': the scratch straddles a page boundary at base+128.
   */
  mode?: 'trap' | 'rwx' | 'pagecross';
}

export const isBlock = (i: Item): i is Block => i.kind === 'block';

export function insn(asm: string, extra: Partial<Insn> = {}): Insn {
  const t = asm.trim();
  const bytes = t.startsWith('c.') || t.startsWith('.2byte') ? 2 : 4;
  return { asm, bytes, ...extra };
}

export function block(...lines: (string | Insn)[]): Block {
  return { kind: 'block', insns: lines.map((l) => (typeof l === 'string' ? insn(l) : l)) };
}

/** Mnemonics a case exercises (instructions outside jump shadows), with multiplicity. */
export function exercised(c: IsaCase): string[] {
  const out: string[] = [];
  for (const it of c.items) {
    if (it.kind !== 'block' || it.shadow) continue;
    for (const i of it.insns) out.push(...(i.counts ?? mnemonicsOf(i.asm)));
  }
  return out;
}

export function instructionCount(c: IsaCase): number {
  let n = 0;
  for (const it of c.items) if (it.kind === 'block' && !it.shadow) n += it.insns.length;
  return n;
}

export const X_NAMES = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
];
export const F_NAMES = [
  'ft0', 'ft1', 'ft2', 'ft3', 'ft4', 'ft5', 'ft6', 'ft7', 'fs0', 'fs1', 'fa0', 'fa1', 'fa2', 'fa3', 'fa4', 'fa5',
  'fa6', 'fa7', 'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7', 'fs8', 'fs9', 'fs10', 'fs11', 'ft8', 'ft9', 'ft10', 'ft11',
];

export const hex64 = (v: bigint) => '0x' + BigInt.asUintN(64, v).toString(16).padStart(16, '0');

// ---- JSON form (regression files): bigints as hex strings, zero entries left out ----

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

function sparse<T>(values: T[], keep: (v: T) => boolean, enc: (v: T) => Json, key: (i: number) => string = String): Record<string, Json> {
  const out: Record<string, Json> = {};
  values.forEach((v, i) => {
    if (keep(v)) out[key(i)] = enc(v);
  });
  return out;
}

export function caseToJson(c: IsaCase): Json {
  return {
    name: c.name,
    base: c.base,
    x: sparse(c.x, (v) => v !== 0n, (v) => (typeof v === 'bigint' ? hex64(v) : { rel: v.rel }), (i) => X_NAMES[i]),
    f: sparse(c.f, (v) => v !== 0n, hex64, (i) => F_NAMES[i]),
    fcsr: c.fcsr,
    mem: sparse(c.scratch, (v) => v !== 0n, hex64, (i) => String(8 * i)),
    items: c.items as unknown as Json,
    pinned: c.pinned,
    ...(c.mode ? { mode: c.mode } : {}),
  };
}

export function caseFromJson(j: any): IsaCase {
  const big = (v: string) => BigInt.asUintN(64, BigInt(v));
  const x: XInit[] = new Array(32).fill(0n);
  for (const [k, v] of Object.entries<any>(j.x ?? {})) x[X_NAMES.indexOf(k)] = typeof v === 'string' ? big(v) : { rel: v.rel };
  const f: bigint[] = new Array(32).fill(0n);
  for (const [k, v] of Object.entries<string>(j.f ?? {})) f[F_NAMES.indexOf(k)] = big(v);
  const scratch: bigint[] = new Array(SCRATCH / 8).fill(0n);
  for (const [k, v] of Object.entries<string>(j.mem ?? {})) scratch[Number(k) / 8] = big(v);
  return { name: j.name, base: j.base, x, f, fcsr: j.fcsr, scratch, items: j.items, pinned: j.pinned, mode: j.mode };
}
