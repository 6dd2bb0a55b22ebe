// How a process ends (kernel/exit.c do_exit / do_group_exit, exit_notify): every thread
// stops, the fd table is closed (so a pipe's other end sees EOF), children lose their
// parent, a vfork parent is released, and the parent is told — SIGCHLD (the clone's exit
// signal) with a CLD_EXITED or CLD_KILLED siginfo, and a wake-up of its wait4/waitid.
// The process stays a zombie, holding its status, until the parent waits for it; when
// the parent ignores SIGCHLD (SIG_IGN or SA_NOCLDWAIT) it is reaped at once
// (do_notify_parent's autoreap).
//
// The first process is the one the user started: when it ends, the run ends with its
// status (GuestExit / GuestKilled), whatever its children are doing — as the shell that
// started it would see it. Any other process ending is invisible outside the guest.

import { GuestExit, GuestKilled, GuestStop } from '../api.ts';
import { CLD_EXITED, CLD_KILLED, SA_NOCLDWAIT, SIGCHLD, SIGKILL, SI_USER } from '../abi.ts';
import { SigInfo } from '../signal/siginfo.ts';
import { SIG_IGN } from '../signal/signal-state.ts';
import { processCpuTime } from '../time/timers.ts';
import { sendSignal } from '../signal/send.ts';
import type { KernelState } from '../state.ts';
import { wake } from '../sched/wait.ts';
import { exitSem } from '../ipc/sem.ts';
import { exitShm } from '../ipc/shm.ts';
import type { ExitInfo, Process, ProcessTable } from './process-table.ts';


/** Thrown when the running process has ended (not the first one): the scheduler picks another thread. */
export class ProcessEnded extends GuestStop {
  constructor(
    readonly pid: number,
    readonly info: ExitInfo,
  ) {
    super(info.code === CLD_EXITED ? info.status : 128 + info.status, `process ${pid} ${info.code === CLD_EXITED ? `exited with ${info.status}` : `killed by signal ${info.status}`}`);
  }
}

export const exitedWith = (code: number): ExitInfo => ({ wstatus: (code & 0xff) << 8, code: CLD_EXITED, status: code & 0xff });
export const killedBy = (sig: number): ExitInfo => ({ wstatus: sig & 0x7f, code: CLD_KILLED, status: sig });

/**
 * End the process whose state is `state` with `info`. The first process ends the run
 * (throws GuestExit or GuestKilled); the running process throws ProcessEnded once it is a
 * zombie; another process (killed by a signal sent to it) just becomes one.
 */
export function endProcess(state: KernelState, info: ExitInfo, detail = ''): void {
  const procs = state.procs;
  const proc = procs.byPid(state.pid)!;
  if (proc === procs.init) {
    if (info.code === CLD_EXITED) throw new GuestExit(info.status);
    throw new GuestKilled(info.status, detail);
  }
  if (!proc.exit) becomeZombie(proc, info);
  if (proc === procs.current) throw new ProcessEnded(proc.pid, info);
}

/**
 * The run is over (the first process ended, or zerosys stopped the guest): every other
 * process still alive ends with it, its descriptors closed, so that nothing of the guest
 * (host files, pipes) outlives the run in a host process that goes on (in-process runs).
 */
export function endRemaining(procs: ProcessTable): void {
  for (const p of procs.list) {
    if (p === procs.init || p.exit) continue;
    for (const t of p.state.thread.threads) {
      t.wait?.cancel();
      t.wait = undefined;
      t.state = 'exited';
    }
    p.exit = killedBy(SIGKILL);
    for (const fd of p.state.fds.fds()) p.state.fds.close(fd);
  }
}

function becomeZombie(proc: Process, info: ExitInfo): void {
  const state = proc.state;
  const procs = state.procs;
  const insns = Number(processCpuTime(state));
  for (const t of state.thread.threads) {
    if (t.state === 'blocked') t.wait?.cancel();
    t.wait = undefined;
    t.state = 'exited';
    t.pending.clear();
  }
  proc.ownInsns = insns;
  proc.exit = info;
  state.vfs.releaseExe(); // do_exit: exit_mm() → mmput() → set_mm_exe_file(mm, NULL): writers may open the program again
  exitSem(state); // do_exit: exit_sem() (SEM_UNDO adjustments) before exit_files()
  exitShm(procs, proc, state, proc.machine.mem); // exit_mm(): the last user's System V attachments go (shm_close)
  for (const fd of state.fds.fds()) state.fds.close(fd);
  // forget_original_parent() -> reparent_leader(): each thread of a child that asked for
  // PR_SET_PDEATHSIG gets it (SEND_SIG_NOINFO: SI_USER from the exiting process).
  for (const c of proc.children) {
    if (c.exit) continue;
    for (const t of c.state.thread.live()) {
      const sig = c.state.proc.thread(t.tid).pdeathsig;
      if (sig) sendSignal(c.state, SigInfo.fromProcess(sig, SI_USER, proc.pid), t, true);
    }
  }
  // Orphans go to init (forget_original_parent): here, outside the guest, which reaps them.
  for (const c of proc.children) c.parent = undefined;
  for (const c of [...proc.children]) if (c.exit) procs.remove(c);
  proc.children.length = 0;
  if (proc.vforkParent) {
    wake(proc.vforkParent, 'notified');
    proc.vforkParent = undefined;
  }
  const parent = proc.parent;
  if (!parent || parent.exit) {
    procs.remove(proc); // nobody in the guest will wait for it
    return;
  }
  // do_notify_parent(): the exit signal with _sigchld, unless the parent ignores SIGCHLD,
  // in which case the child is reaped now (autoreap) — and the signal is not sent at all.
  const pstate = parent.state;
  const sig = proc.exitSignal;
  const act = sig ? pstate.signals.actions[sig] : undefined;
  const autoreap = sig === SIGCHLD && act !== undefined && (act.handler === SIG_IGN || (act.flags & BigInt(SA_NOCLDWAIT)) !== 0n);
  if (sig && !autoreap) {
    const target = pstate.thread.live()[0] ?? pstate.thread.leader;
    sendSignal(pstate, SigInfo.child(sig, info.code, proc.pid, state.proc.creds.uid.r, info.status, insns), target, true);
  }
  if (autoreap) procs.remove(proc);
  parent.childEvents.notify();
}
