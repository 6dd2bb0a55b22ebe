// The guest's processes (Linux's task list, one entry per thread group). Each process has
// its own kernel state (fd table, memory map, signal handlers, credentials...) and the
// machine its threads run on (registers, memory, engine); clone without CLONE_THREAD makes
// a new one (kernel/process/fork.ts). Every thread of every process runs on the one
// deterministic scheduler (kernel/sched/runtime.ts), which switches machines when the next
// thread belongs to another process.
//
// Ids: the first process is PID (1000); every thread and process after it takes the next
// number from one counter (Linux's pid allocator, alloc_pid(), is one per namespace too),
// in creation order and never reused, so the ids a guest sees are a function of its inputs.

import { FutexTable } from '../sched/futex-table.ts';
import type { CpuState } from '../../emulator/cpu/state.ts';
import type { Engine } from '../../emulator/engine.ts';
import type { Memory } from '../../emulator/memory.ts';
import type { ProcessImage } from '../api.ts';
import type { KernelState } from '../state.ts';
import type { Thread } from '../sched/thread.ts';
import { WaitQueue } from '../vfs/wait.ts';
import { PID, PPID } from './identity.ts';

/** What a process's threads run on (emulator/machine.ts Machine satisfies it). */
export interface ProcessMachine {
  readonly cpu: CpuState;
  readonly mem: Memory;
  /** Absent only for a kernel driven without an engine (unit tests of handlers). */
  readonly engine?: Engine;
  dispose?(): void;
}

/** How a process ended, as wait4 reports it. */
export interface ExitInfo {
  /** The wait status word (WIFEXITED: code << 8; WIFSIGNALED: the signal number). */
  wstatus: number;
  /** CLD_EXITED or CLD_KILLED, for waitid's si_code and SIGCHLD. */
  code: number;
  /** si_status: the exit code or the signal. */
  status: number;
}

export class Process {
  /** Children not yet reaped by wait, in creation order. */
  readonly children: Process[] = [];
  /** Set once every thread has exited: a zombie until its parent waits for it. */
  exit?: ExitInfo;
  /** The signal the parent gets when this process ends (clone's CSIGNAL byte; SIGCHLD for fork). */
  exitSignal = 0;
  /** A parent thread waiting in clone(CLONE_VFORK) until this child exits or execs. */
  vforkParent?: Thread;
  /** Notified when a child changes state (exits): wait4/waitid sleep on it. */
  readonly childEvents = new WaitQueue();
  /** Retired instructions of reaped children (RUSAGE_CHILDREN), and the same for this process once it ended. */
  childInsns = 0;
  /** Instructions its threads retired, fixed when it exits. */
  ownInsns = 0;
  /** Stopped by this signal (SIGSTOP, SIGTSTP, ...): its threads do not run until SIGCONT. */
  stoppedBy?: number;
  /** A stop (the signal) or a continue (SIGCONT) its parent's wait has not reported yet (WUNTRACED, WCONTINUED). */
  stopReport?: number;
  continueReport = false;
  /** It has run execve (setpgid on it from its parent is then EACCES: PF_FORKNOEXEC cleared). */
  execed = false;
  /** Set by execve: the new image, switched to when the call returns (sched/runtime.ts). */
  pendingExec?: { state: KernelState; machine: ProcessMachine };

  constructor(
    readonly pid: number,
    public state: KernelState,
    public machine: ProcessMachine,
    public image: ProcessImage,
    public parent: Process | undefined,
  ) {}

  get ppid(): number {
    return this.parent?.pid ?? PPID;
  }
}

export class ProcessTable {
  /** Every process not yet reaped (zombies included), in pid order. */
  readonly list: Process[] = [];
  /** The process whose thread is on the CPU. */
  current!: Process;
  private nextId = PID + 1;
  /** Builds the machine for a new address space (fork): same engine and ISA as the first. */
  newMachine?: () => ProcessMachine;
  /** Wait queues of futexes in MAP_SHARED memory, which every process mapping it shares (sched/futex-key.ts). */
  readonly sharedFutexes = new FutexTable();
  /** What the end of the run must do (close host descriptors the kernel holds for the guest). */
  private readonly endActions: (() => void)[] = [];
  onEnd(action: () => void): void {
    this.endActions.push(action);
  }
  /** The run is over: the end actions, once. */
  runEnded(): void {
    for (const a of this.endActions.splice(0)) a();
  }

  get init(): Process {
    return this.list[0];
  }

  /** The next thread or process id. */
  allocId(): number {
    return this.nextId++;
  }

  add(p: Process): void {
    this.list.push(p);
    if (!this.current) this.current = p;
  }

  byPid(pid: number): Process | undefined {
    return this.list.find((p) => p.pid === pid);
  }

  /** A live process, or a live thread of one, by id: what kill(2) and friends find. */
  processOfThread(t: Thread): Process | undefined {
    if (this.list.length === 1) return this.list[0]; // one process: every thread is its
    return this.list.find((p) => p.state.thread.threads.includes(t));
  }

  /** Every thread of every process that may run, in tid order (the scheduler's round robin): not of a stopped one. */
  allThreads(): Thread[] {
    // One process (most runs): its table, already in tid order; read only by the caller.
    if (this.list.length === 1 && !this.list[0].exit && this.list[0].stoppedBy === undefined) return this.list[0].state.thread.threads;
    const all = this.list.flatMap((p) => (p.exit || p.stoppedBy !== undefined ? [] : p.state.thread.threads));
    return all.sort((a, b) => a.tid - b.tid);
  }

  /** Forget a reaped zombie. */
  remove(p: Process): void {
    const i = this.list.indexOf(p);
    if (i >= 0) this.list.splice(i, 1);
    const parent = p.parent;
    if (parent) {
      const j = parent.children.indexOf(p);
      if (j >= 0) parent.children.splice(j, 1);
    }
  }
}
