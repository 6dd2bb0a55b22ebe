// Generating signals, as Linux 6.1 kernel/signal.c: __send_signal_locked (prepare_signal,
// legacy_queue), complete_signal (which thread to wake), force_sig_info_to_task (faults),
// recalc_sigpending and retarget_shared_pending.
//
// One deliberate simplification: an unblocked signal whose default action terminates the
// process ends it at once, when it is sent — Linux does that for the non-core signals and
// lets a core-dumping one (SIGABRT, SIGSEGV, ...) kill the process when the chosen thread
// next runs; the status is the same, and with one CPU that thread runs next anyway
// whenever it is the sender. The exception is a core-dumping signal the kernel sends the
// calling thread from inside its syscall (SIGXFSZ): the call returns its error first, as on
// Linux, and the thread takes the signal on its way out (sendSignal's takenOnReturn).

import { endProcess, killedBy } from '../process/exit-process.ts';
import { continueProcess } from '../process/job-control.ts';
import type { KernelState } from '../state.ts';
import type { Thread } from '../sched/thread.ts';
import { wake } from '../sched/wait.ts';
import type { SigInfo } from './siginfo.ts';
import {
  KERNEL_STOP,
  SIGCONT,
  SIGKILL,
  SIGRTMIN,
  SIG_DFL,
  SIG_IGN,
  UNBLOCKABLE,
  handlerIgnores,
  isFatal,
  isKernelStop,
  sigbit,
  signalName,
} from './signal-state.ts';

/** Anything pending that `t` does not block (Linux PENDING()). */
export function hasDeliverable(state: KernelState, t: Thread): boolean {
  return ((t.pending.set | state.signals.shared.set) & ~t.blocked) !== 0n;
}

/** recalc_sigpending(): set or clear TIF_SIGPENDING from what is pending and unblocked. */
export function recalcSigpending(state: KernelState, t: Thread): void {
  t.sigpending = hasDeliverable(state, t);
}

/** signal_wake_up(): look at signals before returning to user mode; interrupt a sleep. */
export function signalWakeUp(t: Thread): void {
  t.sigpending = true;
  if (t.state === 'blocked') wake(t, 'signal');
}

/** sig_ignored(): dropped at once unless blocked (the handler may change before unblocking). */
function ignored(state: KernelState, sig: number, t: Thread): boolean {
  const bit = sigbit(sig);
  if ((t.blocked & bit) !== 0n || (t.realBlocked & bit) !== 0n) return false;
  return handlerIgnores(state.signals.actions[sig], sig);
}

/** prepare_signal(): stop and continue signals cancel each other's pending instances. */
function prepare(state: KernelState, sig: number, t: Thread): boolean {
  const flush = isKernelStop(sig) ? sigbit(SIGCONT) : sig === SIGCONT ? KERNEL_STOP : 0n;
  if (sig === SIGCONT) continueProcess(state); // wakes a stopped process whatever SIGCONT's disposition
  if (flush) {
    state.signals.shared.flush(flush);
    for (const th of state.thread.threads) th.pending.flush(flush);
  }
  return !ignored(state, sig, t);
}

/** wants_signal(). */
function wants(state: KernelState, sig: number, t: Thread): boolean {
  if ((t.blocked & sigbit(sig)) !== 0n) return false;
  if (t.state === 'exited') return false;
  if (sig === SIGKILL) return true;
  return t === state.thread.current || !t.sigpending;
}

/**
 * Send info.signo to thread p (group = false: tkill/tgkill/faults) or to the process with
 * p as the suggested thread (group = true: kill, sigqueue). Throws GuestKilled when the
 * signal ends the process.
 */
export function sendSignal(state: KernelState, info: SigInfo, p: Thread, group: boolean, takenOnReturn = false): void {
  const sig = info.signo;
  if (!prepare(state, sig, p)) return;
  const pending = group ? state.signals.shared : p.pending;
  if (sig < SIGRTMIN && pending.has(sig)) return; // legacy_queue: one instance of a standard signal
  pending.add(info);
  state.signals.signalfdWait.notify(); // out_set: signalfd_notify(t, sig), then sigaddset
  complete(state, sig, info, p, group, takenOnReturn);
}

/**
 * send_sigqueue(): queue a POSIX timer's preallocated entry to thread p (group = false:
 * SIGEV_THREAD_ID) or to the process. 'ignored' when prepare_signal() drops it (the timer
 * code then re-arms a periodic timer itself); 'overrun' when the entry is still queued
 * (si_overrun counts it); else 'queued'. Unlike sendSignal(), a standard signal is not
 * limited to one instance here (no legacy_queue()).
 */
export function sendSigqueue(state: KernelState, info: SigInfo, p: Thread, group: boolean): 'ignored' | 'overrun' | 'queued' {
  const sig = info.signo;
  if (!prepare(state, sig, p)) return 'ignored';
  if (state.signals.shared.queue.includes(info) || p.pending.queue.includes(info)) {
    info.overrun = info.overrun + 1;
    return 'overrun';
  }
  info.overrun = 0;
  (group ? state.signals.shared : p.pending).add(info);
  state.signals.signalfdWait.notify(); // signalfd_notify(t, sig)
  complete(state, sig, info, p, group);
  return 'queued';
}

/**
 * `takenOnReturn`: a core-dumping signal the kernel sends the calling thread in the middle of
 * its syscall (send_sig(SIGXFSZ, current, 0)) is not killed for at once: complete_signal()'s
 * shortcut skips sig_kernel_coredump() signals, so the call returns its error and the thread
 * takes the signal on its way back to user mode (get_signal -> do_coredump), as qemu shows.
 */
function complete(state: KernelState, sig: number, info: SigInfo, p: Thread, group: boolean, takenOnReturn = false): void {
  const threads = state.thread;
  let t: Thread | undefined;
  if (wants(state, sig, p)) t = p;
  else if (!group || threads.threads.length <= 1) return; // it will be dequeued when unblocked
  else {
    // Round the thread list from signal->curr_target for one that can take it.
    const all = threads.threads;
    let start = all.findIndex((x) => x.tid === state.signals.currTarget);
    if (start < 0) start = 0;
    for (let i = 0; i < all.length && !t; i++) {
      const c = all[(start + i) % all.length];
      if (wants(state, sig, c)) t = c;
    }
    if (!t) return;
    state.signals.currTarget = t.tid;
  }
  if (isFatal(state.signals.actions[sig], sig) && (t.realBlocked & sigbit(sig)) === 0n && !(takenOnReturn && t === state.thread.current)) {
    // Another process dies of it: it takes the signal first (qemu's child prints the line).
    if (state.procs.current.state !== state) state.signals.onTaken?.(t.tid, info);
    return endProcess(state, killedBy(sig), info.detail ?? signalName(sig));
  }
  signalWakeUp(t);
}

/**
 * force_sig_info_to_task(): a synchronous fault (or a failed signal frame) must reach t.
 * A blocked or ignored signal is reset to SIG_DFL and unblocked, so it kills; `fatal`
 * resets it even when a handler is installed (force_fatal_sig).
 */
export function forceSignal(state: KernelState, t: Thread, info: SigInfo, fatal = false): void {
  const sig = info.signo;
  const action = state.signals.actions[sig];
  const bit = sigbit(sig);
  const blocked = (t.blocked & bit) !== 0n;
  if (blocked || action.handler === SIG_IGN || fatal) {
    action.handler = SIG_DFL;
    if (blocked) {
      t.blocked &= ~bit;
      recalcSigpending(state, t);
    }
  }
  sendSignal(state, info, t, false);
}

/** Wake threads that can take the process-directed signals in `which` (retarget_shared_pending). */
function retarget(state: KernelState, from: Thread, which: bigint): void {
  let retarget = state.signals.shared.set & which;
  if (retarget === 0n) return;
  for (const t of state.thread.threads) {
    if (t === from || t.state === 'exited') continue;
    if ((retarget & ~t.blocked) === 0n) continue;
    retarget &= t.blocked;
    if (!t.sigpending) signalWakeUp(t);
    if (retarget === 0n) break;
  }
}

/** set_current_blocked(): SIGKILL/SIGSTOP stay unblocked; newly blocked shared signals go elsewhere. */
export function setBlocked(state: KernelState, t: Thread, mask: bigint): void {
  const next = BigInt.asUintN(64, mask) & ~UNBLOCKABLE;
  if (t.sigpending) retarget(state, t, next & ~t.blocked);
  t.blocked = next;
  if (t === state.thread.current) state.signals.blocked = next;
  recalcSigpending(state, t);
}

/** exit_signals(): an exiting thread hands on the shared signals it could have taken. */
export function retargetSharedPending(state: KernelState, t: Thread): void {
  retarget(state, t, ~t.blocked);
  if (state.signals.currTarget === t.tid) {
    const next = state.thread.live()[0];
    state.signals.currTarget = next ? next.tid : 0;
  }
}
