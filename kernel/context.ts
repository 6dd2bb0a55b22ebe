// What a handler sees: the guest, the kernel state, and its arguments a0..a5.

import type { CpuState } from '../emulator/cpu/state.ts';
import type { Memory } from '../emulator/memory.ts';
import { ZerosysStop, type ProcessImage, type Stdio } from './api.ts';
import type { KernelState } from './state.ts';
import { A0 } from '../emulator/cpu/registers.ts';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const PAGE_MASK = 0xfffn;
const U64_MASK = (1n << 64n) - 1n;

/**
 * Where k.addr() puts an address a number cannot hold exactly (2^53 and up): 2^52 plus the
 * address's offset in its page. It lies far above every user address (USER_TOP = 2^38), so
 * range checks and access_ok fail as for the real value, and the offset in the page keeps
 * every alignment check (4, 8, page) exact. What a -errno used as an address looks like.
 */
export const FAR_ADDR = 2 ** 52;
/** What k.size() / k.off() return for a value beyond 2^53 - 1: larger than any limit. */
export const HUGE = Number.POSITIVE_INFINITY;

/** An exact 64-bit user address as a Memory address: itself below 2^53, else FAR_ADDR + its page offset. */
export function userAddr(v: bigint): number {
  return v <= MAX_SAFE ? Number(v) : FAR_ADDR + Number(v & PAGE_MASK);
}

/** An exact 64-bit size_t as a number: itself below 2^53, else HUGE. */
export function userSize(v: bigint): number {
  return v <= MAX_SAFE ? Number(v) : HUGE;
}

export class SyscallContext {
  /** The syscall being handled (set by the dispatcher). */
  nr = -1;
  name = '';
  pc = 0;

  constructor(
    readonly cpu: CpuState,
    readonly mem: Memory,
    readonly stdio: Stdio,
    readonly image: ProcessImage,
    readonly state: KernelState,
  ) {}

  // No accessor turns a whole 64-bit register into a number without an exact check (a number
  // above 2^53 loses its low bits): the rounding u()/s() of earlier versions are gone.
  /** Argument i as a C int (low 32 bits, signed): fds, flags, signal numbers. */
  i32(i: number): number {
    return this.cpu.getI32(A0 + i);
  }
  /** Argument i as a C unsigned int (low 32 bits). */
  u32(i: number): number {
    return this.cpu.getI32(A0 + i) >>> 0;
  }
  // Exact accessors. The kernel's syscall wrappers cast each register to the declared
  // parameter type (include/linux/syscalls.h __SYSCALL_DEFINEx: __se_sys_*() passes
  // __SC_CAST(t, a), i.e. (t) of the long register): `int` / `unsigned int` parameters
  // (fds, most flags) keep the low 32 bits (i32 / u32 above); `unsigned long` addresses,
  // `size_t` lengths and `loff_t` offsets keep all 64 (below, and big()).

  /**
   * Argument i as a user address (unsigned long): exact below 2^53; anything larger (always
   * outside user space) as FAR_ADDR + its offset in the page, so alignment and range checks
   * answer as for the exact value. Address arithmetic that can wrap 2^64 needs big().
   */
  addr(i: number): number {
    return userAddr(this.big(i));
  }
  /** Argument i's offset within a 2^bits-byte unit (exact: alignment checks). */
  lowBits(i: number, bits: number): number {
    return Number(this.big(i) & ((1n << BigInt(bits)) - 1n));
  }
  /** IS_ERR_VALUE(argument i): the value is a -errno (-4095..-1) as an unsigned long. */
  isErrValue(i: number): boolean {
    return this.big(i) >= (1n << 64n) - 4095n;
  }
  /** Argument i as a size_t: exact below 2^53, else HUGE (past every limit). */
  size(i: number): number {
    return userSize(this.big(i));
  }
  /**
   * PAGE_ALIGN(argument i) in size_t arithmetic: a length within 4095 of 2^64 wraps to 0, as
   * it does in Linux (mm checks `len && !PAGE_ALIGN(len)`); exact below 2^53, else HUGE.
   */
  pageLen(i: number): number {
    const v = (this.big(i) + PAGE_MASK) & ~PAGE_MASK & U64_MASK;
    return v <= MAX_SAFE ? Number(v) : HUGE;
  }
  /** Argument i as a loff_t (signed 64-bit): exact within ±(2^53 - 1), else ±HUGE. */
  off(i: number): number {
    const v = BigInt.asIntN(64, this.big(i));
    return v > MAX_SAFE ? HUGE : v < -MAX_SAFE ? -HUGE : Number(v);
  }

  /** Argument i as an exact unsigned 64-bit bigint. */
  big(i: number): bigint {
    return BigInt.asUintN(64, this.cpu.getX(A0 + i));
  }

  /** Stop the guest: it asked for part of this syscall that zerosys does not provide. */
  unsupported(what: string): never {
    throw new ZerosysStop(`unsupported ${what} in ${this.name} (${this.nr}) at pc 0x${this.pc.toString(16)}`);
  }
}
