// What a handler sees: the guest, the kernel state, and its arguments a0..a5.

import type { CpuState } from '../emulator/cpu/state.ts';
import type { Memory } from '../emulator/memory.ts';
import { ZerosysStop, type ProcessImage, type Stdio } from './api.ts';
import type { KernelState } from './state.ts';

const A0 = 10;

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

  /** Argument i as an unsigned 64-bit value (exact below 2^53; pointers, sizes). */
  u(i: number): number {
    return this.cpu.getU(A0 + i);
  }
  /** Argument i as a signed 64-bit value (exact within ±2^53). */
  s(i: number): number {
    return this.cpu.getS(A0 + i);
  }
  /** Argument i as a C int (low 32 bits, signed): fds, flags, signal numbers. */
  i32(i: number): number {
    return this.cpu.getI32(A0 + i);
  }
  /** Argument i as a C unsigned int (low 32 bits). */
  u32(i: number): number {
    return this.cpu.getI32(A0 + i) >>> 0;
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
