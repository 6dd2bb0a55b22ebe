// Signal dispositions (shared by every thread of the process) and the process-wide pending
// queue. Per-thread parts (blocked mask, private pending queue, sigaltstack) live on the
// Thread (kernel/sched/thread.ts).
//
// Layouts from <asm-generic/signal.h>: _NSIG = 64, sigset_t is one 64-bit word; riscv64
// has no SA_RESTORER, so the kernel's struct sigaction is { handler, flags, mask } = 24 bytes.

import type { SigInfo } from './siginfo.ts';
import { SigPending } from './sigpending.ts';
import { SIGABRT, SIGBUS, SIGCHLD, SIGCONT, SIGFPE, SIGILL, SIGKILL, SIGQUIT, SIGRTMIN, SIGSEGV, SIGSTOP, SIGSYS, SIGTRAP, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG, SIGWINCH, SIGXCPU, SIGXFSZ } from '../abi.ts';
import { SIGSET } from '../abi-structs.ts';
import * as abi from '../abi.ts';
import { WaitQueue } from '../vfs/wait.ts';
export { SIGABRT, SIGALRM, SIGBUS, SIGCHLD, SIGCONT, SIGFPE, SIGHUP, SIGILL, SIGINT, SIGKILL, SIGPIPE, SIGQUIT, SIGRTMIN, SIGSEGV, SIGSTOP, SIGSYS, SIGTERM, SIGTRAP, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG, SIGUSR1, SIGUSR2, SIGWINCH, SIGXCPU, SIGXFSZ } from '../abi.ts';

export const NSIG = abi._NSIG;
export const SIGSET_SIZE = SIGSET.SIZE;

export const SIG_DFL = 0n;
export const SIG_IGN = 1n;

// <asm-generic/signal-defs.h>; riscv64 adds no architecture flags (no SA_RESTORER). As
// bigints: sa_flags is an unsigned long.
export const SA_NOCLDSTOP = BigInt(abi.SA_NOCLDSTOP);
export const SA_NOCLDWAIT = BigInt(abi.SA_NOCLDWAIT);
export const SA_SIGINFO = BigInt(abi.SA_SIGINFO);
export const SA_EXPOSE_TAGBITS = BigInt(abi.SA_EXPOSE_TAGBITS);
export const SA_ONSTACK = BigInt(abi.SA_ONSTACK);
export const SA_RESTART = BigInt(abi.SA_RESTART);
export const SA_NODEFER = BigInt(abi.SA_NODEFER);
export const SA_RESETHAND = BigInt(abi.SA_RESETHAND);

/** Bit of signal sig in a sigset_t. */
export const sigbit = (sig: number): bigint => 1n << BigInt(sig - 1);
const maskOf = (...sigs: number[]): bigint => sigs.reduce((m, s) => m | sigbit(s), 0n);

/** SIGKILL and SIGSTOP can be neither caught nor blocked. */
export const UNBLOCKABLE = maskOf(SIGKILL, SIGSTOP);
/** Default action "ignore" (SIG_KERNEL_IGNORE_MASK; SIGCONT's "continue" is an ignore here). */
export const KERNEL_IGNORE = maskOf(SIGCONT, SIGCHLD, SIGWINCH, SIGURG);
/** Default action "stop" (SIG_KERNEL_STOP_MASK). */
export const KERNEL_STOP = maskOf(SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU);
/** Default action "terminate with core" (SIG_KERNEL_COREDUMP_MASK). */
export const KERNEL_COREDUMP = maskOf(SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGFPE, SIGSEGV, SIGBUS, SIGSYS, SIGXCPU, SIGXFSZ);
/** Signals a faulting instruction raises; dequeued before others (SYNCHRONOUS_MASK). */
export const SYNCHRONOUS = maskOf(SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGSYS);

/** Only standard signals below SIGRTMIN have a default other than "terminate". */
const inKernelMask = (sig: number, mask: bigint) => sig < SIGRTMIN && (mask & sigbit(sig)) !== 0n;
export const isKernelIgnore = (sig: number) => inKernelMask(sig, KERNEL_IGNORE);
export const isKernelStop = (sig: number) => inKernelMask(sig, KERNEL_STOP);
export const isKernelCoredump = (sig: number) => inKernelMask(sig, KERNEL_COREDUMP);

export interface SigAction {
  handler: bigint; // SIG_DFL 0, SIG_IGN 1, or an address
  flags: bigint;
  mask: bigint;
}

/** Linux sig_handler_ignored(): explicitly, or by default action. */
export function handlerIgnores(action: SigAction, sig: number): boolean {
  return action.handler === SIG_IGN || (action.handler === SIG_DFL && isKernelIgnore(sig));
}

/** Linux sig_fatal(): the default action of an uncaught signal ends the process. */
export function isFatal(action: SigAction, sig: number): boolean {
  return action.handler === SIG_DFL && !isKernelIgnore(sig) && !isKernelStop(sig);
}

const NAMES = [
  '', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1', 'SIGSEGV',
  'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN',
  'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
];
export function signalName(sig: number): string {
  return NAMES[sig] ?? (sig >= SIGRTMIN && sig <= NSIG ? `SIGRT${sig - SIGRTMIN}` : `signal ${sig}`);
}

export class SignalState {
  /** Index 1..64. */
  readonly actions: SigAction[] = Array.from({ length: NSIG + 1 }, () => ({ handler: 0n, flags: 0n, mask: 0n }));
  /** Process-directed signals (kill, sigqueue): any thread not blocking them may take them. */
  readonly shared = new SigPending();
  /**
   * sighand->signalfd_wqh: notified whenever a signal is queued (signalfd_notify() in
   * __send_signal_locked and send_sigqueue) and when a signalfd's mask changes, so readers,
   * pollers and epoll watchers of signalfds (kernel/signal/signalfd.ts) look again.
   */
  readonly signalfdWait = new WaitQueue();
  /** Where complete_signal() starts looking for a thread to wake (signal->curr_target), by tid. */
  currTarget = 0;
  /** Called when thread `tid` takes a signal off its queues (`--- SIG ... ---` in --strace). */
  onTaken?: (tid: number, info: SigInfo) => void;
  /** Address of the rt_sigreturn trampoline page ([vdso]), once mapped; 0 before. */
  trampoline = 0;
  /**
   * The calling thread's blocked mask, mirrored here for readers that only see the process
   * (/proc/self/status). The real masks are per thread (Thread.blocked); setBlocked() and
   * the thread switch keep this copy equal to the current thread's.
   */
  blocked = 0n;
}
