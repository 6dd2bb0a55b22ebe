// Functions every compiled module defines for itself: the M-extension operations that have
// no single wasm instruction (the high half of a 64x64 product) or whose wasm instruction
// traps where RISC-V defines a result (division by zero, MIN / -1).

import { Bytes, I32, I64, Op, type DefinedFunc } from './encoder.ts';
import { fpHelperFuncs } from './fp-helpers.ts';

const MIN64 = -(2n ** 63n);
const MIN32 = -(2 ** 31);

function fn(params: number[], result: number, locals: number[], emit: (c: Bytes) => void): DefinedFunc {
  const code = new Bytes();
  emit(code);
  code.byte(Op.end);
  return { type: { params, results: [result] }, locals, code };
}

const get = (c: Bytes, i: number) => c.byte(Op.local_get).u32(i);
const set = (c: Bytes, i: number) => c.byte(Op.local_set).u32(i);
const lo32 = (c: Bytes, i: number) => get(c, i).byte(Op.i64_const).s64(0xffffffffn).byte(Op.i64_and);
const hi32 = (c: Bytes, i: number) => get(c, i).byte(Op.i64_const).s64(32n).byte(Op.i64_shr_u);

/** High 64 bits of the unsigned 128-bit product, from four 32x32 partial products. */
const mulhu = fn([I64, I64], I64, [I64, I64, I64, I64], (c) => {
  // locals: 2 = alo*bhi, 3 = ahi*blo, 4 = mid, 5 = ahi*bhi
  lo32(c, 0); hi32(c, 1); c.byte(Op.i64_mul); set(c, 2);
  hi32(c, 0); lo32(c, 1); c.byte(Op.i64_mul); set(c, 3);
  hi32(c, 0); hi32(c, 1); c.byte(Op.i64_mul); set(c, 5);
  // mid = (alo*blo >> 32) + lo32(alo*bhi) + lo32(ahi*blo): at most 3 * 2^32, no overflow
  lo32(c, 0); lo32(c, 1); c.byte(Op.i64_mul).byte(Op.i64_const).s64(32n).byte(Op.i64_shr_u);
  lo32(c, 2); c.byte(Op.i64_add);
  lo32(c, 3); c.byte(Op.i64_add); set(c, 4);
  get(c, 5);
  hi32(c, 2); c.byte(Op.i64_add);
  hi32(c, 3); c.byte(Op.i64_add);
  hi32(c, 4); c.byte(Op.i64_add);
});

/** Signed corrections to mulhu: subtract b when a < 0 and (if signedB) a when b < 0. */
function mulhSigned(signedB: boolean, mulhuIndex: number): DefinedFunc {
  return fn([I64, I64], I64, [], (c) => {
    get(c, 0); get(c, 1); c.byte(Op.call).u32(mulhuIndex);
    get(c, 1).byte(Op.i64_const).s64(0n); get(c, 0).byte(Op.i64_const).s64(0n).byte(Op.i64_lt_s).byte(Op.select);
    c.byte(Op.i64_sub);
    if (signedB) {
      get(c, 0).byte(Op.i64_const).s64(0n); get(c, 1).byte(Op.i64_const).s64(0n).byte(Op.i64_lt_s).byte(Op.select);
      c.byte(Op.i64_sub);
    }
  });
}

type Width = 32 | 64;

/** RISC-V division: x / 0 = all ones, MIN / -1 = MIN (no trap). */
function div(w: Width, signed: boolean): DefinedFunc {
  const T = w === 64 ? I64 : I32;
  const k = (c: Bytes, v: bigint) => (w === 64 ? c.byte(Op.i64_const).s64(v) : c.byte(Op.i32_const).s32(Number(v)));
  const eqz = w === 64 ? Op.i64_eqz : Op.i32_eqz;
  const eq = w === 64 ? Op.i64_eq : Op.i32_eq;
  return fn([T, T], T, [], (c) => {
    get(c, 1).byte(eqz).byte(Op.if).byte(T);
    k(c, -1n);
    c.byte(Op.else);
    if (signed) {
      get(c, 0); k(c, w === 64 ? MIN64 : BigInt(MIN32)); c.byte(eq);
      get(c, 1); k(c, -1n); c.byte(eq).byte(Op.i32_and);
      c.byte(Op.if).byte(T);
      get(c, 0);
      c.byte(Op.else);
      get(c, 0); get(c, 1).byte(w === 64 ? Op.i64_div_s : Op.i32_div_s);
      c.byte(Op.end);
    } else {
      get(c, 0); get(c, 1).byte(w === 64 ? Op.i64_div_u : Op.i32_div_u);
    }
    c.byte(Op.end);
  });
}

/** RISC-V remainder: x % 0 = x; MIN % -1 = 0 (wasm's rem_s already gives 0 there). */
function rem(w: Width, signed: boolean): DefinedFunc {
  const T = w === 64 ? I64 : I32;
  const eqz = w === 64 ? Op.i64_eqz : Op.i32_eqz;
  const op = w === 64 ? (signed ? Op.i64_rem_s : Op.i64_rem_u) : signed ? Op.i32_rem_s : Op.i32_rem_u;
  return fn([T, T], T, [], (c) => {
    get(c, 1).byte(eqz).byte(Op.if).byte(T);
    get(c, 0);
    c.byte(Op.else);
    get(c, 0); get(c, 1).byte(op);
    c.byte(Op.end);
  });
}

/**
 * The helper functions, in the order of HELPER (their index is the module's import count +
 * position), then, if the region has float arithmetic, the FP helpers (fp-helpers.ts, FP).
 */
export function helperFuncs(importCount: number, withFp: boolean): DefinedFunc[] {
  // Built once per import count: every module of an engine has the same helpers.
  const key = `${importCount}:${withFp}`;
  let funcs = built.get(key);
  if (!funcs) built.set(key, (funcs = buildHelpers(importCount, withFp)));
  return funcs;
}
const built = new Map<string, DefinedFunc[]>();

function buildHelpers(importCount: number, withFp: boolean): DefinedFunc[] {
  const mulhuIndex = importCount + HELPER.mulhu;
  const list = [
    mulhu,
    mulhSigned(true, mulhuIndex),
    mulhSigned(false, mulhuIndex),
    div(64, true),
    div(64, false),
    rem(64, true),
    rem(64, false),
    div(32, true),
    div(32, false),
    rem(32, true),
    rem(32, false),
  ];
  if (list.length !== HELPER_COUNT) throw new Error('HELPER_COUNT out of step');
  return withFp ? [...list, ...fpHelperFuncs(importCount + HELPER_COUNT)] : list;
}

export const HELPER_COUNT = 11;

export const HELPER = {
  mulhu: 0,
  mulh: 1,
  mulhsu: 2,
  div: 3,
  divu: 4,
  rem: 5,
  remu: 6,
  divw: 7,
  divuw: 8,
  remw: 9,
  remuw: 10,
} as const;

