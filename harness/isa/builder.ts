// Builds one random case while keeping it safe to run: it knows which registers still hold
// their initial value (so a register's initial value can be chosen when it is first read,
// by what reads it), which hold addresses inside the case's scratch memory, and whether
// frm may have become invalid (then FP ops take a static rounding mode).
//
// Shrinking removes blocks, so nothing relies on an earlier block: a memory access uses
// the base register, a never-written register whose initial value is made an address
// (pinned), or sets up its own base inside its block.

import { SCRATCH, X_NAMES, F_NAMES, block, insn, type Block, type Insn, type IsaCase, type Item, type XInit } from './case.ts';
import { fastRng, floatValue, intValue, type IntUse, type Rng } from './values.ts';

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
export const ANY = range(0, 31);
export const NZ = range(1, 31);
/** Registers of the compressed 3-bit fields: x8..x15 / f8..f15. */
export const CREG = range(8, 15);
export const NZ_NOT_SP = NZ.filter((r) => r !== 2);
export const SP = [2];

export interface ImmSpec {
  min: number;
  max: number;
  step?: number;
}

export interface MemAccess {
  size: number;
  /** Atomics: the address must be size-aligned. */
  aligned: boolean;
  cls: readonly number[];
  imm: ImmSpec;
  /** Use this scratch offset (LR/SC pairing). */
  at?: number;
}

export class CaseBuilder {
  readonly base: number;
  readonly x: (XInit | undefined)[] = new Array(32).fill(undefined);
  readonly f: (bigint | undefined)[] = new Array(32).fill(undefined);
  private freshX = new Array(32).fill(true);
  private freshF = new Array(32).fill(true);
  /** Registers pinned to a scratch address and never written since: offset from the base. */
  private pointers = new Map<number, number>();
  private pinned = new Set<number>();
  private recentX: number[] = [];
  private recentF: number[] = [];
  frmValid = true;
  /** Scratch offset of the last LR, to aim SCs at it. */
  lastLr: number | undefined;
  private items: Item[] = [];
  private shadows: { id: number; left: number }[] = [];
  private nextLabel = 0;

  constructor(readonly r: Rng) {
    this.base = r.int(3, 31);
    this.freshX[0] = false;
    this.freshX[this.base] = false;
  }

  xn(i: number): string {
    return X_NAMES[i];
  }
  fn(i: number): string {
    return F_NAMES[i];
  }

  // ---- registers ----

  private choose(cls: readonly number[], recent: number[], avoid: number[] = []): number {
    const ok = (r: number) => cls.includes(r) && !avoid.includes(r);
    const rec = recent.filter(ok);
    if (rec.length && this.r.chance(0.35)) return this.r.pick(rec);
    if (cls.includes(0) && !avoid.includes(0)) {
      if (this.r.chance(0.03)) return 0;
      const nz = cls.filter((c) => c !== 0 && !avoid.includes(c));
      return this.r.pick(nz);
    }
    const all = cls.filter((c) => !avoid.includes(c));
    return this.r.pick(all);
  }

  /** An integer source register; a first read fixes its initial value for `use`. */
  srcX(use: IntUse = 'int', cls: readonly number[] = ANY): number {
    const reg = this.choose(cls, this.recentX);
    this.readX(reg, use);
    return reg;
  }

  readX(reg: number, use: IntUse = 'int'): void {
    if (this.freshX[reg]) {
      this.x[reg] = intValue(this.r, use);
      this.freshX[reg] = false;
    }
  }

  /** An integer destination (never the base register). */
  dstX(cls: readonly number[] = ANY): number {
    const reg = this.choose(cls, this.recentX, [this.base]);
    this.wroteX(reg);
    return reg;
  }

  wroteX(reg: number): void {
    if (reg === this.base) throw new Error('generator wrote the base register');
    this.freshX[reg] = false;
    this.pointers.delete(reg);
    if (reg !== 0) this.recentX = [reg, ...this.recentX.filter((r) => r !== reg)].slice(0, 4);
  }

  srcF(p: 'S' | 'D', cls: readonly number[] = ANY): number {
    const reg = this.choose(cls, this.recentF);
    if (this.freshF[reg]) {
      this.f[reg] = floatValue(this.r, p);
      this.freshF[reg] = false;
    }
    return reg;
  }

  dstF(cls: readonly number[] = ANY): number {
    const reg = this.choose(cls, this.recentF);
    this.freshF[reg] = false;
    this.recentF = [reg, ...this.recentF.filter((r) => r !== reg)].slice(0, 4);
    return reg;
  }

  // ---- immediates, rounding modes ----

  /** An immediate in [min, max] (multiple of step), biased to the ends and to 0/±1. */
  imm(s: ImmSpec): number {
    const step = s.step ?? 1;
    const lo = Math.ceil(s.min / step);
    const hi = Math.floor(s.max / step);
    const edges = [lo, hi, 0, 1, -1, lo + 1, hi - 1].filter((v) => v >= lo && v <= hi);
    const k = this.r.chance(0.4) ? this.r.pick(edges) : this.r.int(lo, hi);
    return k * step;
  }

  /** ', rm' suffix for an op with a rounding-mode field ('' = dynamic, i.e. frm). */
  rm(): string {
    const modes = this.frmValid ? ['', '', ', rne', ', rtz', ', rdn', ', rup', ', rmm', ', dyn'] : [', rne', ', rtz', ', rdn', ', rup', ', rmm'];
    return this.r.pick(modes);
  }

  // ---- memory ----

  /**
   * Base register and immediate for an access of `size` bytes landing inside the scratch,
   * plus any instruction that must set the base up first (part of the same block).
   */
  mem(a: MemAccess): { pre: Insn[]; base: number; imm: number; at: number } {
    const { size, cls } = a;
    let at: number;
    if (a.at !== undefined) at = a.at;
    else if (a.aligned || this.r.chance(0.75)) at = size * this.r.int(0, SCRATCH / size - 1);
    else at = this.r.int(0, SCRATCH - size);
    const fits = (imm: number) => imm >= a.imm.min && imm <= a.imm.max && imm % (a.imm.step ?? 1) === 0;
    const options: (() => { pre: Insn[]; base: number; imm: number })[] = [];
    if (cls.includes(this.base) && fits(at)) options.push(() => ({ pre: [], base: this.base, imm: at }));
    for (const [reg, off] of this.pointers) {
      if (cls.includes(reg) && fits(at - off)) options.push(() => ({ pre: [], base: reg, imm: at - off }));
    }
    const fresh = cls.filter((r) => r !== 0 && this.freshX[r]);
    const spec = { ...a.imm, min: Math.max(a.imm.min, at - 2047), max: Math.min(a.imm.max, at + 2048) };
    if (fresh.length) {
      options.push(() => {
        const reg = this.r.pick(fresh);
        const imm = this.imm(spec);
        this.x[reg] = { rel: at - imm };
        this.freshX[reg] = false;
        this.pointers.set(reg, at - imm);
        this.pinned.add(reg);
        return { pre: [], base: reg, imm };
      });
    }
    const pick = options.length && this.r.chance(0.85) ? this.r.pick(options) : undefined;
    if (pick) return { ...pick(), at };
    // Set the base up inside the block: addi reg, base, at - imm.
    const reg = this.r.pick(cls.filter((r) => r !== 0 && r !== this.base));
    const imm = this.imm(spec);
    this.wroteX(reg);
    return { pre: [insn(`addi ${this.xn(reg)}, ${this.xn(this.base)}, ${at - imm}`)], base: reg, imm, at };
  }

  // ---- emitting ----

  emit(...lines: (string | Insn)[]): void {
    const b: Block = block(...lines);
    if (this.shadows.length) b.shadow = true;
    this.items.push(b);
    for (const s of this.shadows) s.left--;
    this.placeDueLabels();
  }

  /** A new forward label; `make` builds the jump block that refers to it (as target). */
  jump(make: (label: number) => (string | Insn)[], maxSkip = 2): void {
    const id = this.nextLabel++;
    this.emit(...make(id));
    this.shadows.push({ id, left: this.r.int(0, maxSkip) });
    this.placeDueLabels();
  }

  private placeDueLabels(): void {
    const due = this.shadows.filter((s) => s.left <= 0);
    this.shadows = this.shadows.filter((s) => s.left > 0);
    for (const s of due) this.items.push({ kind: 'label', id: s.id });
  }

  finish(name: string): IsaCase {
    for (const s of this.shadows) this.items.push({ kind: 'label', id: s.id });
    this.shadows = [];
    const fill = fastRng(this.r.int(0, 0x7fffffff)); // registers never read first-hand, memory
    const x: XInit[] = this.x.map((v, i) => (i === 0 ? 0n : v ?? intValue(fill, 'int')));
    x[this.base] = 0n;
    const f = this.f.map((v) => v ?? floatValue(fill, fill.chance(0.5) ? 'S' : 'D'));
    const fcsr = (this.r.int(0, 4) << 5) | (this.r.chance(0.5) ? 0 : this.r.int(0, 31));
    const scratch = Array.from({ length: SCRATCH / 8 }, () => (fill.chance(0.5) ? intValue(fill, 'int') : floatValue(fill, fill.chance(0.5) ? 'S' : 'D')));
    return { name, base: this.base, x, f, fcsr, scratch, items: this.items, pinned: [...this.pinned].sort((a, b) => a - b) };
  }
}
