// A machine: one hart, its memory, and the loop that hands ecalls to the kernel and turns
// traps into the signals Linux would deliver.

import { CpuState } from './cpu/state.ts';
import { Memory, MemoryFault, SEGV_MAPERR } from './memory.ts';
import { Interpreter, STOP_ECALL, STOP_EBREAK } from './cpu/interpreter.ts';
import { IllegalInstruction, MisalignedAtomic } from './cpu/traps.ts';
import { GuestKilled, GuestStop, ZerosysStop } from '../kernel/api.ts';

export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGBUS = 7;
export const SIGSEGV = 11;

/** Instructions per interpreter call: bounds the latency of limit checks. */
const SLICE = 1 << 20;

export interface SyscallHandler {
  syscall(): void;
}

export interface RunLimits {
  /** Stop the guest after this many retired instructions (default: unbounded). */
  maxInsns?: number;
}

export class Machine {
  readonly cpu = new CpuState();
  readonly mem = new Memory();
  readonly interp = new Interpreter(this.cpu, this.mem);

  /** Run until the guest stops; returns how it stopped (never throws for guest behaviour). */
  run(kernel: SyscallHandler, limits: RunLimits = {}): GuestStop {
    const max = limits.maxInsns ?? Number.MAX_SAFE_INTEGER;
    const cpu = this.cpu;
    for (;;) {
      const left = max - cpu.instret;
      if (left <= 0) return new ZerosysStop(`instruction limit reached (${max} instructions) at pc 0x${cpu.pc.toString(16)}`);
      try {
        const why = this.interp.run(Math.min(left, SLICE));
        if (why === STOP_ECALL) {
          kernel.syscall();
          cpu.pc += 4;
          cpu.instret += 1;
        } else if (why === STOP_EBREAK) {
          return new GuestKilled(SIGTRAP, `breakpoint at pc 0x${cpu.pc.toString(16)}`);
        }
      } catch (e) {
        const stop = this.trapToStop(e);
        if (stop) return stop;
        throw e;
      }
    }
  }

  /** The fatal signal for a trap (signal handlers are the kernel's later job). */
  private trapToStop(e: unknown): GuestStop | undefined {
    if (e instanceof GuestStop) return e;
    this.cpu.reservation = -1;
    if (e instanceof MemoryFault) {
      const kind = e.code === SEGV_MAPERR ? 'SEGV_MAPERR' : 'SEGV_ACCERR';
      return new GuestKilled(SIGSEGV, `${kind}: ${e.access} at 0x${e.addr.toString(16)}, pc 0x${this.cpu.pc.toString(16)}`);
    }
    if (e instanceof IllegalInstruction) return new GuestKilled(SIGILL, e.message);
    if (e instanceof MisalignedAtomic) return new GuestKilled(SIGBUS, e.message);
    return undefined;
  }
}
