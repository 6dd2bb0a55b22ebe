// Binary64 arithmetic in compiled code, round-to-nearest-even only: the same error-free
// transformations as emulator/fpu/double.ts (TwoSum, Dekker's TwoProduct, Boldo-Melquiond
// for fused multiply-add), so the inexact flag is exact. Each function returns the result
// and ORs NX into STATE_FFLAGS when it handled the case, or returns NaN, untouched flags,
// when the operands fall outside the ranges where the transformation is exact (or the
// result is NaN, infinite, or may underflow): the caller then runs the JavaScript FPU op,
// which decides every case exactly.

import { CodeWriter, F64, I32, I64, Op, type DefinedFunc } from './encoder.ts';
import { STATE_FFLAGS } from '../layout.ts';
import { FFLAG_NX } from '../cpu/state.ts';

export const F = {
  abs: 0x99,
  neg: 0x9a,
  sqrt: 0x9f,
  add: 0xa0,
  sub: 0xa1,
  mul: 0xa2,
  div: 0xa3,
  min: 0xa4,
  max: 0xa5,
  eq: 0x61,
  ne: 0x62,
  lt: 0x63,
  gt: 0x64,
  le: 0x65,
  ge: 0x66,
  f32_eq: 0x5b,
  f32_lt: 0x5d,
  f32_le: 0x5f,
  f32_demote_f64: 0xb6,
  f64_promote_f32: 0xbb,
  i32_reinterpret_f32: 0xbc,
  trunc: 0x9d,
  i64_reinterpret: 0xbd,
  f64_reinterpret: 0xbf,
  convert_i32_s: 0xb7,
  convert_i32_u: 0xb8,
  convert_i64_s: 0xb9,
  convert_i64_u: 0xba,
  i32_trunc_s: 0xaa,
  i32_trunc_u: 0xab,
  i64_trunc_s: 0xb0,
  i64_trunc_u: 0xb1,
} as const;

const SPLITTER = 134217729; // 2^27 + 1 (Veltkamp)

/** A function under construction: params first, then locals allocated on demand. */
class Fn extends CodeWriter {
  private readonly extra: number[] = [];
  constructor(readonly params: number[]) {
    super();
  }
  local(t: number): number {
    this.extra.push(t);
    return this.params.length + this.extra.length - 1;
  }
  k(v: number): this {
    this.c.byte(Op.f64_const).f64(v);
    return this;
  }
  nan(): this {
    return this.k(NaN);
  }
  /** fflags |= NX when the f64 on the stack is nonzero (consumes it). */
  inexactIf(): this {
    this.k(0).op(F.ne, Op.if, 0x40);
    this.c.byte(Op.i32_const).s32(0);
    this.c.byte(Op.i32_const).s32(0);
    this.c.byte(Op.i32_load).u32(0).u32(STATE_FFLAGS);
    this.c.byte(Op.i32_const).s32(FFLAG_NX);
    this.op(Op.i32_or);
    this.c.byte(Op.i32_store).u32(0).u32(STATE_FFLAGS);
    return this.op(Op.end);
  }
  /**
   * Return local r at once when fflags already holds NX: the flag is sticky, so whether this
   * result is exact no longer matters (qemu's hardfloat takes the same shortcut).
   */
  returnIfInexactAlready(r: number): this {
    this.c.byte(Op.i32_const).s32(0);
    this.c.byte(Op.i32_load).u32(0).u32(STATE_FFLAGS);
    this.c.byte(Op.i32_const).s32(FFLAG_NX);
    this.op(Op.i32_and, Op.if, 0x40).get(r).op(Op.return, Op.end);
    return this;
  }
  /** Push whether local i holds a finite value (x - x == 0). */
  finite(i: number): this {
    return this.get(i).get(i).op(F.sub).k(0).op(F.eq);
  }
  /** Locals a and b (and r) are inputs; pushes the exact a + b - r (TwoSum, inline). */
  twoSumErr(a: number, b: number, r: number): this {
    const bv = this.local(F64);
    this.get(r).get(a).op(F.sub).set(bv);
    this.get(a).get(r).get(bv).op(F.sub).op(F.sub); // a - (r - bv)
    return this.get(b).get(bv).op(F.sub).op(F.add);
  }
  /** Pushes the exact a * b - p (Dekker's TwoProduct with Veltkamp splitting, inline). */
  twoProdErr(a: number, b: number, p: number): this {
    const t = this.local(F64), ah = this.local(F64), al = this.local(F64), bh = this.local(F64), bl = this.local(F64);
    const split = (x: number, hi: number, lo: number) => {
      this.k(SPLITTER).get(x).op(F.mul).tee(t).get(t).get(x).op(F.sub).op(F.sub).set(hi);
      this.get(x).get(hi).op(F.sub).set(lo);
    };
    split(a, ah, al);
    split(b, bh, bl);
    this.get(ah).get(bh).op(F.mul).get(p).op(F.sub);
    this.get(ah).get(bl).op(F.mul).op(F.add);
    this.get(al).get(bh).op(F.mul).op(F.add);
    return this.get(al).get(bl).op(F.mul).op(F.add);
  }
  done(result: number): DefinedFunc {
    this.c.byte(Op.end);
    return { type: { params: this.params, results: [result] }, locals: this.extra, code: this.c };
  }
}

/** Indexes of the FP helpers inside a module, relative to the first one. */
export const FP = {
  sumSign4: 0,
  add: 1,
  mul: 2,
  div: 3,
  sqrt: 4,
  fma: 5,
} as const;

export function fpHelperFuncs(base: number): DefinedFunc[] {
  const idx = (k: number) => base + k;

  // sumSign4(a, b, c, d): sign of the exact sum (Shewchuk expansion growth), as i32
  const sign4 = new Fn([F64, F64, F64, F64]);
  {
    const f = sign4;
    const q = f.local(F64), e0 = f.local(F64), t = f.local(F64), h0 = f.local(F64), u = f.local(F64), h1 = f.local(F64);
    const g0 = f.local(F64), g1 = f.local(F64), v = f.local(F64), g2 = f.local(F64);
    const sum = (x: number, y: number, s: number, err: number) => {
      f.get(x).get(y).op(F.add).set(s);
      f.twoSumErr(x, y, s).set(err);
    };
    sum(0, 1, q, e0);
    sum(2, e0, t, h0);
    sum(t, q, u, h1);
    f.get(u).set(q);
    sum(3, h0, t, g0);
    sum(t, h1, u, g1);
    sum(u, q, v, g2);
    for (const x of [v, g2, g1, g0]) {
      f.get(x).k(0).op(F.ne, Op.if, 0x40);
      f.c.byte(Op.i32_const).s32(1).byte(Op.i32_const).s32(-1);
      f.get(x).k(0).op(F.gt).op(Op.select, Op.return, Op.end);
    }
    f.c.byte(Op.i32_const).s32(0);
  }

  // add(a, b): RNE a + b
  const add = new Fn([F64, F64]);
  {
    const r = add.local(F64), e = add.local(F64);
    add.get(0).get(1).op(F.add).set(r);
    add.finite(r).op(Op.i32_eqz, Op.if, 0x40).nan().op(Op.return, Op.end);
    add.returnIfInexactAlready(r);
    add.twoSumErr(0, 1, r).set(e);
    add.finite(e).op(Op.i32_eqz, Op.if, 0x40).nan().op(Op.return, Op.end);
    add.get(e).inexactIf();
    add.get(r);
  }

  const inRange = (f: Fn, x: number, lo: number, hi: number, hiInclusive = false) =>
    f.get(x).k(lo).op(F.ge).get(x).k(hi).op(hiInclusive ? F.le : F.lt).op(Op.i32_and);

  // mul(a, b): RNE a * b (mulD's ranges; an exact zero operand with a finite other too)
  const mul = new Fn([F64, F64]);
  {
    const r = mul.local(F64), aa = mul.local(F64), ab = mul.local(F64), ar = mul.local(F64);
    mul.get(0).get(1).op(F.mul).tee(r).op(F.abs).set(ar);
    mul.get(0).op(F.abs).set(aa);
    mul.get(1).op(F.abs).set(ab);
    inRange(mul, ar, 2 ** -967, 2 ** 1020);
    inRange(mul, aa, 2 ** -1022, 2 ** 995).op(Op.i32_and);
    inRange(mul, ab, 2 ** -1022, 2 ** 995).op(Op.i32_and);
    mul.op(Op.if, 0x40);
    mul.returnIfInexactAlready(r);
    mul.twoProdErr(0, 1, r).inexactIf();
    mul.get(r).op(Op.return, Op.end);
    // 0 * finite: the signed zero is exact.
    mul.get(aa).k(0).op(F.eq).get(ab).k(0).op(F.eq).op(Op.i32_or);
    mul.get(aa).k(Infinity).op(F.lt).op(Op.i32_and).get(ab).k(Infinity).op(F.lt).op(Op.i32_and);
    mul.op(Op.if, F64).get(r).op(Op.else).nan().op(Op.end);
  }

  // div(a, b): RNE a / b (divD's ranges; 0 / nonzero finite too)
  const div = new Fn([F64, F64]);
  {
    const q = div.local(F64), aa = div.local(F64), ab = div.local(F64), p = div.local(F64);
    div.get(0).get(1).op(F.div).set(q);
    div.get(0).op(F.abs).set(aa);
    div.get(1).op(F.abs).set(ab);
    inRange(div, aa, 2 ** -500, 2 ** 500, true);
    inRange(div, ab, 2 ** -500, 2 ** 500, true).op(Op.i32_and);
    div.op(Op.if, 0x40);
    div.returnIfInexactAlready(q);
    div.get(q).get(1).op(F.mul).set(p);
    div.get(0).get(p).op(F.sub).twoProdErr(q, 1, p).op(F.sub).inexactIf();
    div.get(q).op(Op.return, Op.end);
    div.get(aa).k(0).op(F.eq).get(ab).k(0).op(F.gt).op(Op.i32_and).get(ab).k(Infinity).op(F.lt).op(Op.i32_and);
    div.op(Op.if, F64).get(q).op(Op.else).nan().op(Op.end);
  }

  // sqrt(a): RNE
  const sqrt = new Fn([F64]);
  {
    const r = sqrt.local(F64), p = sqrt.local(F64);
    sqrt.get(0).op(F.sqrt).set(r);
    inRange(sqrt, 0, 2 ** -960, 2 ** 1020);
    sqrt.op(Op.if, F64);
    sqrt.returnIfInexactAlready(r);
    sqrt.get(r).get(r).op(F.mul).set(p);
    sqrt.get(0).get(p).op(F.sub).twoProdErr(r, r, p).op(F.sub).inexactIf();
    sqrt.get(r).op(Op.else).nan().op(Op.end);
  }

  // fma(a, b, c): RNE a * b + c, single rounding (fmaD's main path)
  const fma = new Fn([F64, F64, F64]);
  {
    const f = fma;
    const p = f.local(F64), pl = f.local(F64), th = f.local(F64), tl = f.local(F64), sv = f.local(F64), ev = f.local(F64);
    const v = f.local(F64), z = f.local(F64), err = f.local(F64), sgn = f.local(I32), aa = f.local(F64), ab = f.local(F64), ac = f.local(F64), ap = f.local(F64);
    const bits = f.local(I64);
    f.get(0).get(1).op(F.mul).tee(p).op(F.abs).set(ap);
    f.get(0).op(F.abs).set(aa);
    f.get(1).op(F.abs).set(ab);
    f.get(2).op(F.abs).set(ac);
    inRange(f, ap, 2 ** -967, 2 ** 1020);
    f.get(ac).k(2 ** 1020).op(F.lt, Op.i32_and);
    inRange(f, aa, 2 ** -1022, 2 ** 995).op(Op.i32_and);
    inRange(f, ab, 2 ** -1022, 2 ** 995).op(Op.i32_and);
    f.op(Op.i32_eqz, Op.if, 0x40).nan().op(Op.return, Op.end);
    f.twoProdErr(0, 1, p).set(pl);
    f.get(pl).k(0).op(F.eq, Op.if, 0x40).get(p).get(2).call(idx(FP.add)).op(Op.return, Op.end);
    f.get(2).get(p).op(F.add).set(th);
    f.twoSumErr(2, p, th).set(tl);
    f.get(tl).get(pl).op(F.add).tee(sv).set(v);
    f.twoSumErr(tl, pl, sv).set(ev);
    // Round to odd: a nonzero error with an even sv moves sv one ulp toward the error. Without
    // a branch (selects): whether to move is data, and a mispredicted branch costs more than
    // the whole step. |sv| grows when ev has sv's sign, shrinks otherwise: bits +- 1 (sv is
    // never zero here); bits + 0 when sv is odd or exact.
    f.get(sv).op(F.i64_reinterpret).tee(bits);
    f.c.byte(Op.i64_const).s64(1n);
    f.c.byte(Op.i64_const).s64(-1n);
    f.get(ev).k(0).op(F.gt).get(sv).k(0).op(F.gt).op(Op.i32_eq, Op.select);
    f.c.byte(Op.i64_const).s64(0n);
    f.get(bits);
    f.c.byte(Op.i64_const).s64(1n);
    f.op(Op.i64_and, Op.i64_eqz).get(ev).k(0).op(F.ne, Op.i32_and, Op.select, Op.i64_add, F.f64_reinterpret).set(v);
    f.get(th).get(v).op(F.add).set(z);
    f.get(z).op(F.abs).k(2 ** -1021).op(F.lt, Op.if, 0x40).nan().op(Op.return, Op.end);
    f.returnIfInexactAlready(z);
    f.twoSumErr(th, v, z).set(err);
    // Inexact iff the residual (sv - v) + ev + err is not zero (all three exact). Only
    // zero-ness matters under RNE: where (sv - v) + ev rounds exactly, a two-term sum decides
    // it (a rounded sum is zero only when the exact one is); else the expansion does.
    const d = f.local(F64), s1 = f.local(F64);
    f.get(sv).get(v).op(F.sub).set(d);
    f.get(d).get(ev).op(F.add).set(s1);
    f.twoSumErr(d, ev, s1).k(0).op(F.eq, Op.if, I32);
    f.get(s1).get(err).op(F.add).k(0).op(F.ne);
    f.op(Op.else).get(err).get(d).get(ev).k(0).call(idx(FP.sumSign4)).op(Op.end).set(sgn);
    f.get(sgn).op(Op.if, 0x40).k(1).inexactIf().op(Op.end);
    f.get(z);
  }

  return [sign4.done(I32), add.done(F64), mul.done(F64), div.done(F64), sqrt.done(F64), fma.done(F64)];
}
