// Architectural state of one RV64GC hart.
//
// 64-bit integer registers live as 32-bit halves in an Int32Array (x[2*i] = low word,
// x[2*i+1] = high word) so the execute path never touches BigInt. Register 32 is a sink:
// the decoder maps rd = x0 to 32, so writes to x0 vanish without a branch and x0 reads 0.
//
// Float registers share one buffer viewed as f64 (doubles), f32 (f32[2*i] is the low
// single of register i on this little-endian host) and fi (raw 32-bit halves). Moves and
// NaN-boxing work on fi so NaN payloads are never canonicalised by the host.

import { STATE_F, STATE_FFLAGS, STATE_FRM, STATE_RESERVATION, STATE_RESERVED_VALUE, STATE_X } from '../layout.ts';

export const X_SINK = 32;

export const FFLAG_NX = 1; // inexact
export const FFLAG_UF = 2; // underflow
export const FFLAG_OF = 4; // overflow
export const FFLAG_DZ = 8; // divide by zero
export const FFLAG_NV = 16; // invalid

export class CpuState {
  readonly x: Int32Array;
  readonly f64: Float64Array;
  readonly f32: Float32Array;
  readonly fi: Int32Array;

  /**
   * Registers live in `buffer` at the offsets of layout.ts when given (the guest's
   * WebAssembly.Memory, shared with compiled code), else in a buffer of their own.
   */
  /** fflags and frm, in memory so compiled code reads the rounding mode and accrues flags. */
  private readonly fcsrWords: Int32Array;

  constructor(buffer?: ArrayBuffer) {
    const b = buffer ?? new ArrayBuffer(STATE_RESERVED_VALUE + 8);
    this.x = new Int32Array(b, STATE_X, 2 * 33);
    this.fcsrWords = new Int32Array(b, STATE_FFLAGS, 2);
    this.reservationWord = new Float64Array(b, STATE_RESERVATION, 1);
    this.reservedValue = new Int32Array(b, STATE_RESERVED_VALUE, 2);
    this.reservationWord[0] = -1;
    this.f64 = new Float64Array(b, STATE_F, 32);
    this.f32 = new Float32Array(b, STATE_F, 64);
    this.fi = new Int32Array(b, STATE_F, 64);
  }
  pc = 0;
  /** Accrued exception flags (fcsr[4:0]). */
  get fflags(): number {
    return this.fcsrWords[0];
  }
  set fflags(v: number) {
    this.fcsrWords[0] = v;
  }
  /** Dynamic rounding mode (fcsr[7:5]). */
  get frm(): number {
    return this.fcsrWords[1];
  }
  set frm(v: number) {
    this.fcsrWords[1] = v;
  }
  /** Retired instructions, exact up to 2^53. */
  instret = 0;
  /** LR/SC reservation: reserved address, or -1 (in memory: compiled LR/SC use it too). */
  get reservation(): number {
    return this.reservationWord[0];
  }
  set reservation(a: number) {
    this.reservationWord[0] = a;
  }
  private readonly reservationWord: Float64Array;
  /**
   * What the last LR read (lr.w sign-extended), as low/high halves. SC succeeds only while
   * memory still holds it: qemu-riscv64 implements SC as a compare-and-swap against this value.
   */
  readonly reservedValue: Int32Array;
  /** Thread pointer convenience is just x4; kept in x. */

  getX(i: number): bigint {
    return (BigInt(this.x[2 * i + 1]) << 32n) | BigInt(this.x[2 * i] >>> 0);
  }
  setX(i: number, v: bigint): void {
    if (i === 0) return;
    this.x[2 * i] = Number(BigInt.asIntN(32, v));
    this.x[2 * i + 1] = Number(BigInt.asIntN(32, v >> 32n));
  }
  /** Register as an unsigned number (exact below 2^53; addresses, sizes). */
  getU(i: number): number {
    return (this.x[2 * i + 1] >>> 0) * 4294967296 + (this.x[2 * i] >>> 0);
  }
  /** Register as a signed number (exact within ±2^53). */
  getS(i: number): number {
    return this.x[2 * i + 1] * 4294967296 + (this.x[2 * i] >>> 0);
  }
  /** Low 32 bits as a signed int (C `int` arguments). */
  getI32(i: number): number {
    return this.x[2 * i];
  }
  /** Set from a JS integer in [-2^53, 2^64); negative values are sign-extended. */
  setNum(i: number, v: number): void {
    if (i === 0) return;
    const hi = Math.floor(v / 4294967296);
    this.x[2 * i] = v | 0;
    this.x[2 * i + 1] = hi | 0;
  }
  getFBits(i: number): bigint {
    return (BigInt(this.fi[2 * i + 1]) << 32n) | BigInt(this.fi[2 * i] >>> 0);
  }
  setFBits(i: number, v: bigint): void {
    this.fi[2 * i] = Number(BigInt.asIntN(32, v));
    this.fi[2 * i + 1] = Number(BigInt.asIntN(32, v >> 32n));
  }
  get fcsr(): number {
    return (this.frm << 5) | this.fflags;
  }
  set fcsr(v: number) {
    this.fflags = v & 0x1f;
    this.frm = (v >> 5) & 7;
  }
}
