// Bit-level helpers: neighbours of a float, NaN classification, NaN-boxing and register I/O.
// All scratch storage is module-level so the execute path never allocates.

import type { CpuState } from '../cpu/state.ts';

const d64 = new Float64Array(1);
const d32 = new Int32Array(d64.buffer); // d32[0] = low word, d32[1] = high word (little-endian host)
const s32 = new Float32Array(1);
const si32 = new Int32Array(s32.buffer);

export const MIN_SUB_D = 2 ** -1074;
export const MIN_NORMAL_D = 2 ** -1022;
export const MAX_D = (2 - 2 ** -52) * 2 ** 1023;
export const MIN_SUB_S = 2 ** -149;
export const MIN_NORMAL_S = 2 ** -126;
export const MAX_S = (2 - 2 ** -23) * 2 ** 127;

export const CANONICAL_NAN_S = 0x7fc00000;
export const CANONICAL_NAN_D_HI = 0x7ff80000;

/** Next double toward +infinity (x finite or -infinity). */
export function nextUpD(x: number): number {
  if (x === 0) return MIN_SUB_D;
  d64[0] = x;
  if (x > 0) {
    if (d32[0] === -1) {
      d32[0] = 0;
      d32[1]++;
    } else d32[0]++;
  } else if (d32[0] === 0) {
    d32[0] = -1;
    d32[1]--;
  } else d32[0]--;
  return d64[0];
}

/** Next double toward -infinity. */
export function nextDownD(x: number): number {
  return -nextUpD(-x);
}

/** Next single toward +infinity (x a finite single). */
export function nextUpS(x: number): number {
  if (x === 0) return MIN_SUB_S;
  s32[0] = x;
  si32[0] += x > 0 ? 1 : -1;
  return s32[0];
}

/** Next single toward -infinity. */
export function nextDownS(x: number): number {
  return -nextUpS(-x);
}

/** Low bit of a finite double's significand: is it odd? */
export function isOddD(x: number): boolean {
  d64[0] = x;
  return (d32[0] & 1) !== 0;
}

/** Raw high word / low word of a double value (for classifying values not held in a register). */
export function highWordD(x: number): number {
  d64[0] = x;
  return d32[1];
}

// ---- NaN classification on raw bits -------------------------------------------------------

/** A signalling NaN single, given its 32 raw bits. */
export function isSNaNBitsS(bits: number): boolean {
  return (bits & 0x7fc00000) === 0x7f800000 && (bits & 0x003fffff) !== 0;
}

/** A signalling NaN double, given its raw high and low words. */
export function isSNaNBitsD(hi: number, lo: number): boolean {
  return (hi & 0x7ff80000) === 0x7ff00000 && ((hi & 0x0007ffff) !== 0 || lo !== 0);
}

// ---- register access ------------------------------------------------------------------------

/** Raw bits of the single in f[r]: the low word if properly NaN-boxed, else the canonical NaN. */
export function boxedBitsS(s: CpuState, r: number): number {
  return s.fi[2 * r + 1] === -1 ? s.fi[2 * r] : CANONICAL_NAN_S;
}

/** Value of the single in f[r] (NaN when not NaN-boxed). */
export function readS(s: CpuState, r: number): number {
  return s.fi[2 * r + 1] === -1 ? s.f32[2 * r] : NaN;
}

export function isSNaNRegS(s: CpuState, r: number): boolean {
  return isSNaNBitsS(boxedBitsS(s, r));
}

export function isSNaNRegD(s: CpuState, r: number): boolean {
  return isSNaNBitsD(s.fi[2 * r + 1], s.fi[2 * r]);
}

/** Write a single result NaN-boxed; any NaN becomes the canonical NaN. */
export function writeS(s: CpuState, rd: number, v: number): void {
  if (v === v) s.f32[2 * rd] = v;
  else s.fi[2 * rd] = CANONICAL_NAN_S;
  s.fi[2 * rd + 1] = -1;
}

/** Write a double result; any NaN becomes the canonical NaN. */
export function writeD(s: CpuState, rd: number, v: number): void {
  if (v === v) s.f64[rd] = v;
  else {
    s.fi[2 * rd] = 0;
    s.fi[2 * rd + 1] = CANONICAL_NAN_D_HI;
  }
}

/** Write a 32-bit integer result sign-extended to 64 bits. */
export function writeX32(s: CpuState, rd: number, v: number): void {
  s.x[2 * rd] = v;
  s.x[2 * rd + 1] = v >> 31;
}
