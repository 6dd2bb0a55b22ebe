// The run loop (gVisor's task run over a platform): the engine runs guest code in slices;
// an ecall goes to the kernel, a trap becomes the signal Linux would deliver, an exhausted
// budget gives the scheduler its turn.
//
// With the zerosys Kernel (it has `state`), threads and signals are the runtime's job
// (sched/runtime.ts): slices end after a fixed instruction quantum so threads are
// preempted deterministically, a syscall may switch threads, and a trap becomes a signal
// that a guest handler can catch. With a bare syscall handler (tests, tools) there is one
// thread and every trap is fatal.

import type { CpuState } from '../emulator/cpu/state.ts';
import type { Memory } from '../emulator/memory.ts';
import { stopForError, type Engine, type OomStop, type TrapStop } from '../emulator/engine.ts';
import { GuestKilled, GuestStop, ZerosysStop } from './api.ts';
import { Runtime } from './sched/runtime.ts';
import { endRemaining, ProcessEnded } from './process/exit-process.ts';
import { flushSharedMappings } from './memory/shared.ts';
import { ProcessStopped } from './process/job-control.ts';
import { SIGKILL, SIGTRAP } from './signal/signal-state.ts';
import { trapSignal } from './signal/trap-signal.ts';
import type { KernelState } from './state.ts';

/** Instructions per engine call without a runtime: bounds the latency of limit checks. */
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

/** What the loop drives: a hart's state and memory and the engine over them (emulator/machine.ts). */
export interface RunnableMachine {
  readonly cpu: CpuState;
  readonly mem: Memory;
  readonly engine: Engine;
}

/** Run until the guest stops; returns how it stopped (never throws for guest behaviour). */
export function runMachine(machine: RunnableMachine, kernel: SyscallHandler, limits: RunLimits = {}): GuestStop {
  const stop = runLoop(machine, kernel, limits);
  if (kernel.state) {
    const procs = kernel.state.procs;
    // What every process still holding its memory wrote to MAP_SHARED mappings reaches the
    // objects: a host file keeps what was written through a mapping.
    flushSharedMappings(procs.list.filter((p) => !p.exit).map((p) => ({ mem: p.machine.mem, mm: p.state.mm })));
    endRemaining(procs); // the other processes end with the run
    procs.runEnded();
  }
  return stop;
}

function runLoop(machine: RunnableMachine, kernel: SyscallHandler, limits: RunLimits): GuestStop {
  const max = limits.maxInsns ?? Number.MAX_SAFE_INTEGER;
  const rt = kernel.state ? new Runtime(kernel.state) : undefined;
  for (;;) {
    // With processes, the machine is the running process's (the runtime switches it).
    const cpu = rt ? rt.cpu : machine.cpu;
    const engine = rt?.machine.engine ?? machine.engine;
    const left = max - cpu.instret;
    if (left <= 0) return new ZerosysStop(`instruction limit reached (${max} instructions) at pc 0x${cpu.pc.toString(16)}`);
    let trap: TrapStop | OomStop | undefined;
    try {
      const why = engine.run(Math.min(left, rt ? rt.budget() : SLICE));
      switch (why.kind) {
        case 'ecall':
          if (rt) rt.syscall(kernel);
          else {
            kernel.syscall();
            cpu.pc += 4;
            cpu.instret += 1;
          }
          break;
        case 'ebreak': {
          const info = trapSignal(why, cpu.pc);
          if (!rt) return new GuestKilled(SIGTRAP, info.detail!);
          rt.trap(info);
          break;
        }
        case 'budget':
          rt?.sliceDone();
          break;
        default:
          trap = why;
      }
    } catch (e) {
      if (rt && leftCpu(e)) {
        const stop = switchAway(rt);
        if (stop) return stop;
        continue;
      }
      if (e instanceof GuestStop) return e;
      // The kernel's own accesses to guest memory raise the engine's exceptions too.
      trap = stopForError(e);
      if (!trap) throw e;
    }
    if (trap) {
      const stop = deliverTrap(trap, cpu, rt);
      if (stop) return stop;
    }
  }
}

/** A trap of the current thread: its signal, or how the guest ends. */
function deliverTrap(trap: TrapStop | OomStop, cpu: CpuState, rt: Runtime | undefined): GuestStop | undefined {
  // Linux's OOM killer: SIGKILL, not a signal the guest can catch. The first process's
  // death ends the run; another process (the one that touched the page: the victim here) is
  // killed and becomes a zombie its parent reaps, and the others run on.
  if (trap.kind === 'oom' && (!rt || rt.runningFirst())) return new GuestKilled(SIGKILL, trap.detail);
  const info = trap.kind === 'oom' ? undefined : trapSignal(trap, cpu.pc);
  cpu.reservation = -1;
  if (!rt) return new GuestKilled(info!.signo, info!.detail ?? '');
  try {
    if (info) rt.trap(info);
    else rt.oomKill();
  } catch (e) {
    if (leftCpu(e)) return switchAway(rt);
    if (e instanceof GuestStop) return e;
    throw e;
  }
  return undefined;
}

/** The running process ended or stopped (not the first one): another thread must run. */
const leftCpu = (e: unknown): boolean => e instanceof ProcessEnded || e instanceof ProcessStopped;

/**
 * Switch to another thread after the running process ended or stopped. Switching delivers the
 * next thread's pending signals, which may end or stop that process too (then again), or end
 * the run (returned).
 */
function switchAway(rt: Runtime): GuestStop | undefined {
  for (;;) {
    try {
      rt.processEnded();
      return undefined;
    } catch (e) {
      if (leftCpu(e)) continue;
      if (e instanceof GuestStop) return e;
      throw e;
    }
  }
}
