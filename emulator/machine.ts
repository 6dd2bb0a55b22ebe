// A machine: one hart, its memory, and the loop that runs guest code in slices, hands
// ecalls to the kernel and turns traps into the signals Linux would deliver.
//
// With the zerosys Kernel (it has `state`), threads and signals are the kernel runtime's
// job (kernel/sched/runtime.ts): slices end after a fixed instruction quantum so threads
// are preempted deterministically, a syscall may switch threads, and a trap becomes a
// signal that a guest handler can catch. With a bare syscall handler (tests, tools) there
// is one thread and every trap is fatal.

import { CpuState } from './cpu/state.ts';
import { Memory, MemoryFault, OutOfMemory, SEGV_MAPERR } from './memory.ts';
import { Interpreter, STOP_ECALL, STOP_EBREAK } from './cpu/interpreter.ts';
import { IllegalInstruction, MisalignedAtomic } from './cpu/traps.ts';
import { GuestKilled, GuestStop, ZerosysStop } from '../kernel/api.ts';
import type { KernelState } from '../kernel/state.ts';
import { Runtime } from '../kernel/sched/runtime.ts';
import { BUS_ADRALN, ILL_ILLOPC, SigInfo, TRAP_BRKPT } from '../kernel/signal/siginfo.ts';

const SIGKILL = 9;

export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGBUS = 7;
export const SIGSEGV = 11;

/** Instructions per interpreter call without a runtime: bounds the latency of limit checks. */
const SLICE = 1 << 20;

export interface SyscallHandler {
  syscall(): void;
  /** The zerosys Kernel's state: threads and signals are handled when it is present. */
  readonly state?: KernelState;
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
    const rt = kernel.state ? new Runtime(kernel.state, cpu, this.mem) : undefined;
    for (;;) {
      const left = max - cpu.instret;
      if (left <= 0) return new ZerosysStop(`instruction limit reached (${max} instructions) at pc 0x${cpu.pc.toString(16)}`);
      try {
        const why = this.interp.run(Math.min(left, rt ? rt.budget() : SLICE));
        if (why === STOP_ECALL) {
          if (rt) rt.syscall(kernel);
          else {
            kernel.syscall();
            cpu.pc += 4;
            cpu.instret += 1;
          }
        } else if (why === STOP_EBREAK) {
          const info = SigInfo.fault(SIGTRAP, TRAP_BRKPT, cpu.pc);
          info.detail = `breakpoint at pc 0x${cpu.pc.toString(16)}`;
          if (!rt) return new GuestKilled(SIGTRAP, info.detail);
          rt.trap(info);
        } else rt?.sliceDone();
      } catch (e) {
        if (e instanceof GuestStop) return e;
        // Linux's OOM killer: SIGKILL, not a signal the guest can catch.
        if (e instanceof OutOfMemory) return new GuestKilled(SIGKILL, e.message);
        const info = this.trapInfo(e);
        if (!info) throw e;
        if (!rt) return new GuestKilled(info.signo, info.detail ?? '');
        try {
          rt.trap(info);
        } catch (e2) {
          if (e2 instanceof GuestStop) return e2;
          throw e2;
        }
      }
    }
  }

  /** The signal a trap raises (pc is at the faulting instruction), or undefined if e is not a trap. */
  private trapInfo(e: unknown): SigInfo | undefined {
    const pc = `pc 0x${this.cpu.pc.toString(16)}`;
    let info: SigInfo;
    if (e instanceof MemoryFault) {
      const kind = e.code === SEGV_MAPERR ? 'SEGV_MAPERR' : 'SEGV_ACCERR';
      info = SigInfo.fault(SIGSEGV, e.code, e.addr);
      info.detail = `${kind}: ${e.access} at 0x${e.addr.toString(16)}, ${pc}`;
    } else if (e instanceof IllegalInstruction) {
      info = SigInfo.fault(SIGILL, ILL_ILLOPC, this.cpu.pc);
      info.detail = e.message;
    } else if (e instanceof MisalignedAtomic) {
      info = SigInfo.fault(SIGBUS, BUS_ADRALN, e.addr);
      info.detail = e.message;
    } else return undefined;
    this.cpu.reservation = -1;
    return info;
  }
}
