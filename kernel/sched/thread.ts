// The threads of the guest process. `ThreadState` (KernelState.thread) is the thread table;
// `current` is the thread whose registers are in the CPU. Handlers that only need "the
// caller" keep using `k.state.thread.tid` and friends, which follow `current`.
//
// Thread ids: the main thread's tid is the pid (1000); clone hands out 1001, 1002, ... in
// creation order, never reused, so the ids a guest sees are a function of its inputs.

import type { SyscallContext } from '../context.ts';
import { PID } from '../process/identity.ts';
import { SigPending } from '../signal/sigpending.ts';
import { FutexTable } from './futex-table.ts';
import { SavedRegs } from './regs.ts';

export type ThreadRunState = 'runnable' | 'blocked' | 'exited';

/** Why a blocked thread was made runnable again (read by the re-executed syscall). */
export type WakeReason = 'notified' | 'timeout' | 'signal';

/** What a blocked thread waits for. */
export interface Wait {
  /** For the deadlock report: "futex wait on 0x...", "nanosleep", ... */
  readonly what: string;
  /** CLOCK_MONOTONIC deadline in ns on the virtual clock; undefined = no timeout. */
  readonly deadline?: bigint;
  /** Detach from whatever would have woken the thread (futex queue, file wait queues). */
  cancel(): void;
}

export interface AltStack {
  sp: number;
  size: number;
  flags: number;
}


export class Thread {
  state: ThreadRunState = 'runnable';
  /** Registers while switched out (stale while the thread runs). */
  readonly regs = new SavedRegs();

  /**
   * set_tid_address / CLONE_CHILD_CLEARTID: zeroed and futex-woken when the thread exits.
   * Kept exact (all 64 bits, as task_struct's pointer): PR_GET_TID_ADDRESS reports it back.
   */
  clearChildTid = 0n;
  /** set_robust_list: walked when the thread exits; exact, get_robust_list reports it back. */
  robustListHead = 0n;
  robustListLen = 0;
  /** exit(2) status, kept for the leader: it is the process status once every thread is gone. */
  exitCode = 0;

  // ---- waiting (kernel/sched/wait.ts) ----
  wait?: Wait;
  /** Set when woken; the re-executed syscall reads it; cleared when that syscall completes. */
  wake?: WakeReason;
  /** The deadline of the wait in progress, kept across re-execution of the syscall. */
  deadline?: bigint;
  /** a0 at syscall entry, for restarting (regs->orig_a0): [low, high]. */
  readonly origA0 = new Int32Array(2);
  /** Set by rt_sigreturn: the pc to resume at instead of ecall + 4. */
  returnPc: number | undefined = undefined;
  /** restart_syscall(2) continues an interrupted sleep through this (restart_block.fn). */
  restart: ((k: SyscallContext) => number) | undefined = undefined;
  /** clone(CLONE_VFORK) in progress: the child's pid, while this thread waits for it (process/fork.ts). */
  vforkChild: number | undefined = undefined;
  /** sched_yield: give the CPU away after this syscall. */
  yieldRequested = false;

  // ---- signals (kernel/signal/) ----
  blocked = 0n;
  /** The mask rt_sigtimedwait replaced while it waits (tsk->real_blocked); 0n otherwise. */
  realBlocked = 0n;
  /** rt_sigsuspend: the mask to put back after the handler (TIF_RESTORE_SIGMASK + saved_sigmask). */
  savedMask: bigint | undefined = undefined;
  readonly pending = new SigPending();
  /** TIF_SIGPENDING: check for signals on the next return to user mode. */
  sigpending = false;
  altstack: AltStack = { sp: 0, size: 0, flags: 0 };

  /** Retired instructions while this thread ran (its CPU time at 1 ns per instruction). */
  cpuInsns = 0;
  /** setpriority(2) nice value, -20..19. */
  nice = 0;

  constructor(readonly tid: number) {}
}

export class ThreadState {
  /** Every thread not yet reaped, in tid order (an exited leader stays, as a zombie does). */
  readonly threads: Thread[];
  current: Thread;
  readonly futexes = new FutexTable();
  /** cpu.instret when `current` was switched in (the runtime keeps it). */
  switchedInAt = 0;
  /** Instructions retired by threads already reaped (and, after an exec, by the image before it). */
  reapedInsns = 0;

  /**
   * @param leaderTid the main thread's tid, which is the process id
   * @param allocTid hands out ids for new threads (one counter for every process: process-table.ts)
   */
  constructor(leaderTid = PID, private readonly allocTid: () => number = counter(PID + 1)) {
    this.current = new Thread(leaderTid);
    this.threads = [this.current];
  }

  get leader(): Thread {
    return this.threads[0];
  }
  /** The calling thread's id. */
  get tid(): number {
    return this.current.tid;
  }
  get clearChildTid(): bigint {
    return this.current.clearChildTid;
  }
  set clearChildTid(v: bigint) {
    this.current.clearChildTid = v;
  }
  get robustListHead(): bigint {
    return this.current.robustListHead;
  }
  set robustListHead(v: bigint) {
    this.current.robustListHead = v;
  }
  get robustListLen(): number {
    return this.current.robustListLen;
  }
  set robustListLen(v: number) {
    this.current.robustListLen = v;
  }

  /** Instructions thread t has retired (its CPU time at 1 ns each), given the current instret. */
  cpuInsns(t: Thread, instret: number): number {
    return t.cpuInsns + (t === this.current ? instret - this.switchedInAt : 0);
  }

  /** A live (not exited) thread by tid. */
  find(tid: number): Thread | undefined {
    const t = this.threads.find((x) => x.tid === tid);
    return t && t.state !== 'exited' ? t : undefined;
  }

  live(): Thread[] {
    return this.threads.filter((t) => t.state !== 'exited');
  }

  create(): Thread {
    const t = new Thread(this.allocTid());
    this.threads.push(t);
    return t;
  }

  /** Forget an exited thread (the leader stays as a zombie until the process ends). */
  reap(t: Thread): void {
    if (t === this.leader) return;
    const i = this.threads.indexOf(t);
    if (i >= 0) {
      this.threads.splice(i, 1);
      this.reapedInsns += t.cpuInsns;
    }
  }
}

/** Ids from `first` up, for a thread table used on its own (tests). */
function counter(first: number): () => number {
  let next = first;
  return () => next++;
}
