// clone(2) without CLONE_THREAD: a new process (kernel/fork.c copy_process for a new thread
// group). What the child gets, by flag:
//   CLONE_VM     shares the parent's memory, program break and mapping attributes (the same
//                machine: its threads run on the parent's registers file and memory);
//                without it the memory is copied (dup_mmap; copied at fork, not on write);
//   CLONE_VFORK  the calling thread waits until the child exits or execs — how glibc's
//                posix_spawn, system and popen and Go's os/exec start children;
//   CLONE_FILES  shares the fd table; without it the table is copied (dup_fd), the open
//                file descriptions shared;
// and always a copy of the signal handlers (copy_sighand), the credentials, session,
// rlimits, the working directory and umask (copy_fs_struct), the caller's signal mask
// and sigaltstack; nothing pending, no timers (interval and POSIX timers are not
// inherited: fork(2)), no mlocks. The child's exit signal is the low byte of the flags.
//
// Not supported (the guest stops, naming the flag): CLONE_SIGHAND or CLONE_FS without
// CLONE_THREAD, CLONE_PARENT, CLONE_PIDFD, namespaces. MAP_SHARED memory stays shared with
// the child: its frames are copied, and kept in step at every switch (memory/shared.ts).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { CLONE_CHILD_CLEARTID, CLONE_CHILD_SETTID, CLONE_FILES, CLONE_PARENT_SETTID, CLONE_VFORK, CLONE_VM } from '../abi.ts';
import { childRegisters, storeTid } from '../sched/clone-regs.ts';
import { ProgramBreak } from '../memory/program-break.ts';
import { ThreadState } from '../sched/thread.ts';
import { sleep } from '../sched/wait.ts';
import { installVfsHooks } from '../sched/runtime.ts';
import { SignalState } from '../signal/signal-state.ts';
import type { KernelState } from '../state.ts';
import { ProcessTimers } from '../time/timers.ts';
import { VfsState } from '../vfs/vfs-state.ts';
import { Process, type ProcessMachine } from './process-table.ts';

/** Processes with an address space of their own at once (zerosys's bound: each is a 4 GiB WebAssembly memory on the host); more is EAGAIN. */
export const MAX_ADDRESS_SPACES = 256;

/** The new process for clone(flags) from the current thread; returns the child's pid to the parent. */
export function cloneProcess(k: SyscallContext, flags: number, exitSignal: number): number {
  const state = k.state;
  const procs = state.procs;
  const caller = state.thread.current;

  // Re-executed after a vfork wait (wait.ts re-runs the ecall): the child exists already.
  if (caller.vforkChild !== undefined) {
    const child = procs.byPid(caller.vforkChild);
    if (child && !child.exit && child.vforkParent === caller) waitForVfork(k, child);
    const pid = caller.vforkChild;
    caller.vforkChild = undefined;
    return pid;
  }

  const parent = procs.current;
  const shareVm = (flags & CLONE_VM) !== 0;
  let machine: ProcessMachine;
  if (shareVm) machine = parent.machine;
  else {
    if (!procs.newMachine) k.unsupported('new address space (fork) without a machine factory');
    // The host's bounds: each address space is a 4 GiB WebAssembly memory, and all of them
    // together may hold no more pages than the machine has (the copy is made now, not on write).
    const spaces = new Set(procs.list.filter((p) => !p.exit).map((p) => p.machine));
    if (spaces.size >= MAX_ADDRESS_SPACES) return -E.EAGAIN;
    const resident = [...spaces].reduce((n, m) => n + m.mem.residentPages, 0);
    if (resident + k.mem.residentPages > k.mem.frameLimit) return -E.ENOMEM;
    machine = procs.newMachine();
    k.mem.copyInto(machine.mem);
  }
  const pid = procs.allocId();
  const childState = forkState(state, pid, parent.pid, machine, shareVm, (flags & CLONE_FILES) !== 0);
  const child = new Process(pid, childState, machine, parent.image, parent);
  child.exitSignal = exitSignal;
  parent.children.push(child);
  procs.add(child);

  const t = childState.thread.leader;
  childRegisters(k, t.regs, flags);
  t.blocked = caller.blocked;
  t.nice = caller.nice;
  // copy_process(): `if ((clone_flags & (CLONE_VM|CLONE_VFORK)) == CLONE_VM) sas_ss_reset(p);`
  // — a child sharing the memory without vfork's wait gets no sigaltstack, any other keeps it.
  if (!shareVm || flags & CLONE_VFORK) t.altstack = { ...caller.altstack };
  if (flags & CLONE_CHILD_CLEARTID) t.clearChildTid = k.big(4);
  // Linux ignores faults on these writes; CHILD_SETTID writes into the child's memory.
  if (flags & CLONE_PARENT_SETTID) storeTid(k.mem, k.addr(2), pid);
  if (flags & CLONE_CHILD_SETTID) storeTid(machine.mem, k.addr(4), pid);

  if (flags & CLONE_VFORK) {
    caller.vforkChild = pid;
    child.vforkParent = caller;
    waitForVfork(k, child);
  }
  return pid;
}

/** wait_for_vfork_done(): killable only — other signals wait until the child lets go. */
function waitForVfork(k: SyscallContext, child: Process): never {
  sleep(k.state.thread, { what: `vfork: waiting for child ${child.pid} to exit or exec`, cancel: () => {} });
}

/** The child's kernel state: shared, copied or fresh, part by part (see the header). */
function forkState(parent: KernelState, pid: number, ppid: number, machine: ProcessMachine, shareVm: boolean, shareFiles: boolean): KernelState {
  const caller = parent.thread.current;
  const signals = new SignalState();
  parent.signals.actions.forEach((a, i) => (signals.actions[i] = { ...a }));
  signals.trampoline = parent.signals.trampoline;
  signals.onTaken = parent.signals.onTaken;
  signals.blocked = caller.blocked;
  const fds = shareFiles ? parent.fds : parent.fds.clone();
  const brk = shareVm ? parent.brk : Object.assign(new ProgramBreak(parent.brk.start), { current: parent.brk.current });
  const mm = shareVm ? parent.mm : parent.mm.clone();
  const base = {
    pid,
    procs: parent.procs,
    fds,
    brk,
    mm,
    proc: parent.proc.fork(pid, caller.tid),
    thread: new ThreadState(pid, () => parent.procs.allocId()),
    signals,
    clock: parent.clock,
    timers: new ProcessTimers(),
    random: parent.random,
    limits: parent.limits.map((l) => ({ ...l })),
  };
  const image = parent.procs.current.image;
  const vfs = new VfsState({ ...base, image, mem: machine.mem, ramBytes: () => mm.ramBytes, pid, ppid }, {}, parent.vfs);
  const child = { ...base, vfs };
  installVfsHooks(child);
  return child;
}
