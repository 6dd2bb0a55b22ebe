// Job control between the guest's processes (kernel/signal.c do_signal_stop, prepare_signal
// for SIGCONT, do_notify_parent_cldstop): a stop signal whose action is the default stops
// every thread of the process; SIGCONT, when it is sent (whatever its disposition or mask),
// makes it run again. Each change is reported once to the parent: SIGCHLD with CLD_STOPPED
// or CLD_CONTINUED (not with SA_NOCLDSTOP), and wait4/waitid with WUNTRACED / WCONTINUED.

import { CLD_CONTINUED, CLD_STOPPED, SA_NOCLDSTOP, SIGCHLD, SIGCONT } from '../abi.ts';
import { GuestStop, ZerosysStop } from '../api.ts';
import { SigInfo } from '../signal/siginfo.ts';
import { sendSignal } from '../signal/send.ts';
import type { KernelState } from '../state.ts';
import type { Process } from './process-table.ts';

/** Thrown when the running process has stopped: the scheduler picks another thread. */
export class ProcessStopped extends GuestStop {
  constructor(readonly pid: number, readonly signo: number) {
    super(128 + signo, `process ${pid} stopped by signal ${signo}`);
  }
}

/** do_signal_stop() for the running process's thread that took `sig` with the default action. */
export function stopProcess(state: KernelState, sig: number, name: string): never {
  const procs = state.procs;
  const proc = procs.byPid(state.pid)!;
  // Nothing could ever continue the only live process: stop the run, saying so.
  if (!procs.list.some((p) => p !== proc && !p.exit)) throw new ZerosysStop(`stopped by ${name} (${sig}): no other process exists to continue the guest`);
  proc.stoppedBy = sig;
  proc.stopReport = sig;
  proc.continueReport = false;
  notifyParent(proc, CLD_STOPPED, sig);
  throw new ProcessStopped(proc.pid, sig);
}

/** prepare_signal() for SIGCONT: a stopped process runs again, and its parent is told. */
export function continueProcess(state: KernelState): void {
  const proc = state.procs.byPid(state.pid);
  if (!proc || proc.stoppedBy === undefined || proc.exit) return;
  proc.stoppedBy = undefined;
  proc.stopReport = undefined;
  proc.continueReport = true;
  notifyParent(proc, CLD_CONTINUED, SIGCONT);
}

/** do_notify_parent_cldstop(): SIGCHLD unless the parent set SA_NOCLDSTOP; its waiters look again. */
function notifyParent(proc: Process, code: number, status: number): void {
  const parent = proc.parent;
  if (!parent || parent.exit) return;
  const act = parent.state.signals.actions[SIGCHLD];
  if (!(act.flags & BigInt(SA_NOCLDSTOP))) {
    const target = parent.state.thread.live()[0] ?? parent.state.thread.leader;
    sendSignal(parent.state, SigInfo.child(SIGCHLD, code, proc.pid, proc.state.proc.creds.uid.r, status, 0), target, true);
  }
  parent.childEvents.notify();
}
