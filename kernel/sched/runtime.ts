// The scheduler and everything that happens between two slices of guest code: what the
// run loop (../run.ts) calls on an ecall, when a slice's budget runs out, and on a trap.
//
// Policy (deterministic — the interleaving is a function of the program and its inputs):
//   - one CPU; a thread runs until it blocks, yields, exits, or has retired QUANTUM
//     instructions since it was switched in (virtual time, never host time);
//   - the next thread is the next runnable one in tid order after the current one,
//     wrapping around (round robin); a thread woken by another does not preempt it;
//   - sleepers whose deadline has passed are woken at every scheduling point; when no
//     thread can run, the virtual clock jumps to the earliest deadline; with no deadline
//     at all, every thread waits for another: the guest is deadlocked and stops;
//   - nice values and affinity masks do not change any of this.
//
// Signals are delivered on every return to user mode: after each syscall, after a trap,
// and when a thread is switched in (unless it is about to re-execute a syscall it slept
// in: that syscall completes first, as the wait it returns from would on Linux).

import type { CpuState } from '../../emulator/cpu/state.ts';
import type { Memory } from '../../emulator/memory.ts';
import { ZerosysStop } from '../api.ts';
import { ProcessEnded } from '../process/exit-process.ts';
import { doSignal, needsSignalWork } from '../signal/deliver.ts';
import { forceSignal, sendSignal } from '../signal/send.ts';
import { SI_USER, SigInfo } from '../signal/siginfo.ts';
import { SIGKILL } from '../signal/signal-state.ts';
import type { KernelState } from '../state.ts';
import type { Thread } from './thread.ts';
import type { Process, ProcessMachine, ProcessTable } from '../process/process-table.ts';
import { SchedBlocker, ThreadSuspended, wake } from './wait.ts';
import { switchAddressSpace, syncOut } from '../memory/shared.ts';
import { exitShm } from '../ipc/shm.ts';
import { earliestClockTimer, runClockTimers, runTimers, timerBudget } from '../time/timers.ts';
import { A0, lowWord } from '../../emulator/cpu/registers.ts';

/** Instructions a thread may run before another runnable thread gets the CPU (100 µs of virtual time). */
export const QUANTUM = 100_000;

export interface SyscallEntry {
  syscall(): void;
}

export class Runtime {
  private sliceEnd: number;
  private readonly procs: ProcessTable;

  constructor(state: KernelState) {
    this.procs = state.procs;
    this.sliceEnd = this.cpu.instret + QUANTUM;
    state.thread.switchedInAt = this.cpu.instret;
    installVfsHooks(state);
  }

  /** The running process's state, registers and memory (they change when another process's thread is switched in). */
  private get state(): KernelState {
    return this.procs.current.state;
  }
  get cpu(): CpuState {
    return this.procs.current.machine.cpu;
  }
  private get mem(): Memory {
    return this.procs.current.machine.mem;
  }
  /** What the run loop drives now: the running process's machine. */
  get machine(): ProcessMachine {
    return this.procs.current.machine;
  }

  private get current(): Thread {
    return this.state.thread.current;
  }

  /**
   * Instructions the current thread may run before the runtime wants control back: the end
   * of its slice, or sooner the instruction at which a timer is due (time/timers.ts).
   */
  budget(): number {
    let n = this.sliceEnd - this.cpu.instret;
    const timer = timerBudget(this.state);
    if (timer !== undefined && timer < BigInt(n)) n = Number(timer);
    return Math.max(1, n);
  }

  /** The CPU stopped on an ecall of the current thread. */
  syscall(kernel: SyscallEntry): void {
    const cpu = this.cpu;
    const t = this.current;
    const pc = cpu.pc;
    t.origA0[0] = cpu.x[lowWord(A0)];
    t.origA0[1] = cpu.x[lowWord(A0) + 1];
    try {
      kernel.syscall();
    } catch (e) {
      if (e instanceof ProcessEnded) {
        cpu.instret += 1; // exit_group, or a signal it sent itself, ended the process: the call retired
        this.reschedule();
        return;
      }
      if (!(e instanceof ThreadSuspended)) throw e;
      this.reschedule(); // pc stays at the ecall: it runs again once the thread is woken
      return;
    }
    cpu.instret += 1;
    t.wake = undefined;
    t.deadline = undefined;
    if (this.procs.current.pendingExec) {
      this.completeExec(cpu);
      return;
    }
    runTimers(this.state); // due at the instruction after the ecall, or armed already expired
    if (t.state === 'exited') {
      this.reschedule();
      return;
    }
    const sigreturn = t.returnPc !== undefined;
    cpu.pc = sigreturn ? t.returnPc! : pc + 4;
    t.returnPc = undefined;
    if (needsSignalWork(cpu, t, !sigreturn)) doSignal(this.state, cpu, this.mem, t, !sigreturn);
    if (t.yieldRequested) {
      t.yieldRequested = false;
      this.reschedule();
    } else if (cpu.instret >= this.sliceEnd) this.reschedule();
  }

  /**
   * execve succeeded (process/execve.ts): the process runs its new image on a new machine
   * from the next instruction on; the old machine is given back unless a vfork parent still
   * runs on it, and that parent is released (mm_release: complete_vfork_done).
   */
  private completeExec(oldCpu: CpuState): void {
    const proc = this.procs.current;
    const exec = proc.pendingExec!;
    proc.pendingExec = undefined;
    proc.execed = true;
    const old = proc.machine;
    syncOut({ mem: old.mem, mm: proc.state.mm }); // the old image's shared mappings go: written out first
    exitShm(this.procs, proc, proc.state, old.mem); // exec_mmap() -> mmput(): its System V attachments detach (unless a vfork parent shares them)
    proc.state = exec.state;
    proc.machine = exec.machine;
    const cpu = exec.machine.cpu;
    cpu.instret = oldCpu.instret;
    exec.state.clock.follow(cpu);
    exec.state.thread.switchedInAt = cpu.instret;
    this.sliceEnd = cpu.instret + QUANTUM;
    if (proc.vforkParent) {
      wake(proc.vforkParent, 'notified');
      proc.vforkParent = undefined;
    }
    if (!this.procs.list.some((p) => p.machine === old)) old.dispose?.();
    const t = exec.state.thread.current;
    if (needsSignalWork(cpu, t, false)) doSignal(exec.state, cpu, exec.machine.mem, t, false);
  }

  /** The running process ended or stopped taking a signal (ProcessEnded, ProcessStopped): another thread runs. */
  processEnded(): void {
    this.reschedule();
  }

  /** The interpreter used up its budget: the slice ended, or a timer is due (its signal is delivered now, as after an interrupt). */
  sliceDone(): void {
    const fired = runTimers(this.state);
    if (this.cpu.instret >= this.sliceEnd) this.reschedule();
    else if (fired) this.deliverToCurrent();
  }

  /** Signals for the running thread, between two of its instructions (not in a syscall). */
  private deliverToCurrent(): void {
    const t = this.current;
    if (t.wake === undefined && needsSignalWork(this.cpu, t, false)) doSignal(this.state, this.cpu, this.mem, t, false);
  }

  /** A synchronous trap in the current thread: the signal goes to it now (force_sig_fault). */
  trap(info: SigInfo): void {
    const t = this.current;
    this.cpu.reservation = -1;
    forceSignal(this.state, t, info);
    doSignal(this.state, this.cpu, this.mem, t, false);
  }

  /** Whether the running process is the first one (whose end ends the run). */
  runningFirst(): boolean {
    return this.procs.current === this.procs.init;
  }

  /**
   * The running process (not the first) touched a page past the machine's memory: the OOM
   * killer's SIGKILL (mm/oom_kill.c __oom_kill_process(): do_send_sig_info(SIGKILL,
   * SEND_SIG_PRIV, victim, PIDTYPE_TGID)) ends it at once (ProcessEnded); its parent sees
   * WIFSIGNALED with SIGKILL. Linux picks the victim by its badness (oom_badness: the
   * largest RSS); here it is the process that asked for the page.
   */
  oomKill(): void {
    const state = this.state;
    sendSignal(state, SigInfo.kernel(SIGKILL), state.thread.current, true);
  }

  /** Switch to the next thread to run (possibly the same one) and start a new slice. */
  private reschedule(): void {
    const from = this.procs.current;
    const cpu = from.machine.cpu;
    const threads = from.state.thread;
    const cur = threads.current;
    cur.cpuInsns += cpu.instret - threads.switchedInAt;
    if (cur.state !== 'exited') cur.regs.save(cpu);
    const next = this.pickNext(cur);
    if (cur.state === 'exited') threads.reap(cur);
    const to = next === cur ? from : this.procs.processOfThread(next)!;
    if (to !== from) this.switchProcess(from, to);
    const ncpu = to.machine.cpu;
    this.sliceEnd = ncpu.instret + QUANTUM;
    to.state.thread.switchedInAt = ncpu.instret;
    if (next === cur) {
      this.deliverToCurrent(); // a timer may have signalled it at this slice's end
      return;
    }
    to.state.thread.current = next;
    to.state.signals.blocked = next.blocked;
    next.regs.load(ncpu);
    if (next.wake === undefined && needsSignalWork(ncpu, next, false)) doSignal(to.state, ncpu, to.machine.mem, next, false);
  }

  /**
   * Another process's thread gets the CPU: its machine takes over, carrying the retired
   * instruction count on (one CPU, one virtual clock), and a process that has ended gives
   * its memory back once nothing runs on it.
   */
  private switchProcess(from: Process, to: Process): void {
    const instret = from.machine.cpu.instret;
    // What the first wrote to MAP_SHARED memory is what the second sees (memory/shared.ts).
    if (from.machine !== to.machine) switchAddressSpace({ mem: from.machine.mem, mm: from.state.mm }, { mem: to.machine.mem, mm: to.state.mm });
    this.procs.current = to;
    to.machine.cpu.instret = instret;
    to.state.clock.follow(to.machine.cpu);
    if (from.exit && from.machine !== to.machine && !this.procs.list.some((p) => !p.exit && p.machine === from.machine)) from.machine.dispose?.();
  }

  /** The next runnable thread after `cur` in tid order (cur itself last), in any process. */
  private pickNext(cur: Thread): Thread {
    const clock = this.state.clock;
    for (;;) {
      const now = clock.monotonicNs();
      // Timers due now fire first (their signals may wake sleepers); the next expiry is a
      // deadline like a sleeper's. CPU timers cannot advance while every thread waits.
      // (Timers of the running process only: other processes' timers are checked when they run.)
      runClockTimers(this.state);
      let earliest = earliestClockTimer(this.state);
      const all = this.procs.allThreads();
      for (const t of all) {
        if (t.state !== 'blocked' || t.deadline === undefined) continue;
        if (t.deadline <= now) wake(t, 'timeout');
        else if (earliest === undefined || t.deadline < earliest) earliest = t.deadline;
      }
      const runnable = all.filter((t) => t.state === 'runnable');
      const after = runnable.find((t) => t.tid > cur.tid);
      const next = after ?? runnable[0];
      if (next) return next;
      if (earliest === undefined) throw new ZerosysStop(deadlockReport(all, this.procs));
      clock.idle(earliest - now);
    }
  }
}

function deadlockReport(threads: readonly Thread[], procs: ProcessTable): string {
  const waits = threads.filter((t) => t.state === 'blocked').map((t) => `tid ${t.tid}: ${t.wait?.what ?? 'waiting'} at pc 0x${t.regs.pc.toString(16)}`);
  const stopped = procs.list.filter((p) => !p.exit && p.stoppedBy !== undefined).map((p) => `process ${p.pid}: stopped by signal ${p.stoppedBy}`);
  return `deadlock: every thread is blocked and none can be woken (${[...waits, ...stopped].join('; ')})`;
}

/**
 * Hooks the vfs calls: blocking files (pipes, poll, eventfd) sleep through the scheduler,
 * and a write to a pipe without readers sends SIGPIPE to the writing thread (pipe_write's
 * send_sig: SI_USER from this process), delivered when the write returns EPIPE.
 */
export function installVfsHooks(state: KernelState): void {
  state.vfs.blocker = new SchedBlocker(state);
  state.vfs.raiseSignal = (sig) => {
    const cur = state.procs.current.state; // the writer: the running process, whichever made the pipe
    sendSignal(cur, SigInfo.fromProcess(sig, SI_USER, cur.pid), cur.thread.current, false);
  };
}
