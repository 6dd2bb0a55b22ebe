// siginfo_t as the kernel keeps it (struct kernel_siginfo: the first 48 bytes of the
// 128-byte user siginfo_t on 64-bit): si_signo @0, si_errno @4, si_code @8, then the
// union at 16. Copied to a signal frame or rt_sigtimedwait's buffer as these 48 bytes
// followed by 80 zero bytes (copy_siginfo_to_user).

import { PID, UID } from '../process/identity.ts';
import { SI_KERNEL, SI_SIGIO, SI_TIMER, SI_USER } from '../abi.ts';
import { BUS_MCEERR_AO, BUS_MCEERR_AR, NSIGBUS, NSIGCHLD, NSIGFPE, NSIGILL, NSIGPOLL, NSIGSEGV, NSIGSYS, NSIGTRAP, SEGV_BNDERR, SEGV_PKUERR, TRAP_PERF } from '../abi.ts';
import { SIGBUS, SIGCHLD, SIGFPE, SIGILL, SIGPOLL, SIGSEGV, SIGSYS, SIGTRAP } from '../abi.ts';
import { SI_MAX_SIZE } from '../abi.ts';
import { SIGINFO } from '../abi-structs.ts';
import type { PosixTimer } from '../time/posix-timers.ts';
export { BUS_ADRALN, ILL_ILLOPC, SEGV_ACCERR, SEGV_MAPERR, SI_KERNEL, SI_QUEUE, SI_TKILL, SI_USER, TRAP_BRKPT } from '../abi.ts';

export const SIGINFO_SIZE = SI_MAX_SIZE;
export const KERNEL_SIGINFO_SIZE = 48;

export class SigInfo {
  readonly bytes: Uint8Array<ArrayBufferLike>;
  private readonly view: DataView;
  /** For zerosys's own message when the signal kills the guest (not part of siginfo). */
  detail?: string;
  /**
   * A POSIX timer's preallocated entry (SIGQUEUE_PREALLOC, kernel/time/posix-timers.ts): its
   * timer, while not deleted; si_sys_private, which never reaches user space, is kept here.
   */
  timer?: PosixTimer;
  sysPrivate = 0;

  constructor(bytes: Uint8Array<ArrayBufferLike> = new Uint8Array(KERNEL_SIGINFO_SIZE)) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, KERNEL_SIGINFO_SIZE);
  }

  get signo(): number {
    return this.view.getInt32(0, true);
  }
  set signo(v: number) {
    this.view.setInt32(0, v, true);
  }
  get code(): number {
    return this.view.getInt32(8, true);
  }
  /** _timer.si_overrun (SI_TIMER). */
  get overrun(): number {
    return this.view.getInt32(SIGINFO.si_overrun, true);
  }
  set overrun(v: number) {
    this.view.setInt32(SIGINFO.si_overrun, v, true);
  }

  /** copy_siginfo(): what dequeue_signal() hands on, apart from the queued entry. */
  copy(): SigInfo {
    const si = new SigInfo(this.bytes.slice());
    si.detail = this.detail;
    si.sysPrivate = this.sysPrivate;
    return si;
  }

  /** The 128-byte user siginfo_t. */
  toUser(): Uint8Array {
    const out = new Uint8Array(SIGINFO_SIZE);
    out.set(this.bytes);
    return out;
  }

  private static make(signo: number, code: number): SigInfo {
    const si = new SigInfo();
    si.view.setInt32(0, signo, true);
    si.view.setInt32(8, code, true);
    return si;
  }

  /** kill / tkill / tgkill: _kill { pid, uid } of the sender (by default the first process). */
  static fromProcess(signo: number, code: number, pid = PID): SigInfo {
    const si = SigInfo.make(signo, code);
    si.view.setInt32(16, pid, true);
    si.view.setUint32(20, UID, true);
    return si;
  }

  /**
   * A child's exit (do_notify_parent): _sigchld { si_pid, si_uid, si_status, si_utime,
   * si_stime } with the child's CPU time in clock ticks (USER_HZ 100; all of it user time).
   */
  static child(signo: number, code: number, pid: number, uid: number, status: number, insns: number): SigInfo {
    const si = SigInfo.make(signo, code);
    si.view.setInt32(SIGINFO.si_pid, pid, true);
    si.view.setUint32(SIGINFO.si_uid, uid, true);
    si.view.setInt32(SIGINFO.si_status, status, true);
    si.view.setBigInt64(SIGINFO.si_utime, BigInt(Math.floor(insns / 10_000_000)), true);
    si.view.setBigInt64(SIGINFO.si_stime, 0n, true);
    return si;
  }

  /** A fault: _sigfault { addr }. */
  static fault(signo: number, code: number, addr: number): SigInfo {
    const si = SigInfo.make(signo, code);
    si.view.setBigUint64(16, BigInt(addr), true);
    return si;
  }

  /** A POSIX timer's entry: SI_TIMER, _timer { si_tid, si_overrun 0, si_value } (do_timer_create). */
  static timer(signo: number, id: number, value: bigint): SigInfo {
    const si = SigInfo.make(signo, SI_TIMER);
    si.view.setInt32(SIGINFO.si_tid, id, true);
    si.view.setBigUint64(SIGINFO.si_value, BigInt.asUintN(64, value), true);
    return si;
  }

  /** Sent by the kernel itself (SI_KERNEL, all fields zero), e.g. force_sig(SIGSEGV). */
  static kernel(signo: number): SigInfo {
    return SigInfo.make(signo, SI_KERNEL);
  }
}

/** enum siginfo_layout (include/linux/signal.h): which union member of siginfo an si_code uses. */
export type SiginfoLayout = 'kill' | 'timer' | 'poll' | 'fault' | 'fault-trapno' | 'fault-mceerr' | 'fault-bnderr' | 'fault-pkuerr' | 'fault-perf-event' | 'chld' | 'rt' | 'sys';

/**
 * kernel/signal.c sig_sicodes[] (Linux 6.1): the signals whose positive si_codes are their
 * own (up to the limit), with the layout those codes use. riscv64 has no SIGEMT.
 */
export const SIG_SICODES: Readonly<Record<number, { limit: number; layout: SiginfoLayout }>> = {
  [SIGILL]: { limit: NSIGILL, layout: 'fault' },
  [SIGFPE]: { limit: NSIGFPE, layout: 'fault' },
  [SIGSEGV]: { limit: NSIGSEGV, layout: 'fault' },
  [SIGBUS]: { limit: NSIGBUS, layout: 'fault' },
  [SIGTRAP]: { limit: NSIGTRAP, layout: 'fault' },
  [SIGCHLD]: { limit: NSIGCHLD, layout: 'chld' },
  [SIGPOLL]: { limit: NSIGPOLL, layout: 'poll' },
  [SIGSYS]: { limit: NSIGSYS, layout: 'sys' },
};

/**
 * kernel/signal.c siginfo_layout() (Linux 6.1): a code between SI_USER and SI_KERNEL is the
 * signal's own (sig_sicodes[], with the MCEERR, BNDERR, PKUERR and TRAP_PERF exceptions) or,
 * for other signals, a SIGPOLL-style code up to NSIGPOLL; SI_TIMER and SI_SIGIO have their
 * own layouts, other negative codes (SI_QUEUE, SI_TKILL, SI_MESGQ, ...) are SIL_RT, and
 * everything else (SI_USER, SI_KERNEL, unknown positive codes) SIL_KILL. (The SPARC and
 * Alpha trapno cases do not apply to riscv64.)
 */
export function siginfoLayout(sig: number, code: number): SiginfoLayout {
  if (code > SI_USER && code < SI_KERNEL) {
    const own = SIG_SICODES[sig];
    if (own && code <= own.limit) {
      if (sig === SIGBUS && code >= BUS_MCEERR_AR && code <= BUS_MCEERR_AO) return 'fault-mceerr';
      if (sig === SIGSEGV && code === SEGV_BNDERR) return 'fault-bnderr';
      if (sig === SIGSEGV && code === SEGV_PKUERR) return 'fault-pkuerr';
      if (sig === SIGTRAP && code === TRAP_PERF) return 'fault-perf-event';
      return own.layout;
    }
    // `(sig < ARRAY_SIZE(sig_sicodes)) && (si_code <= sig_sicodes[sig].limit)`: a signal
    // without an entry has limit 0, so every positive code of it lands here.
    return code <= NSIGPOLL ? 'poll' : 'kill';
  }
  if (code === SI_TIMER) return 'timer';
  if (code === SI_SIGIO) return 'poll';
  return code < 0 ? 'rt' : 'kill';
}
