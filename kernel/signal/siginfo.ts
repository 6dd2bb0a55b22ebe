// siginfo_t as the kernel keeps it (struct kernel_siginfo: the first 48 bytes of the
// 128-byte user siginfo_t on 64-bit): si_signo @0, si_errno @4, si_code @8, then the
// union at 16. Copied to a signal frame or rt_sigtimedwait's buffer as these 48 bytes
// followed by 80 zero bytes (copy_siginfo_to_user).

import { PID, UID } from '../process/identity.ts';
import { BUS_ADRALN, ILL_ILLOPC, SEGV_ACCERR, SEGV_MAPERR, SI_KERNEL, SI_QUEUE, SI_TIMER, SI_TKILL, SI_USER, TRAP_BRKPT } from '../abi.ts';
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

  /** kill / tkill / tgkill: _kill { pid, uid } of the sender (this process). */
  static fromProcess(signo: number, code: number): SigInfo {
    const si = SigInfo.make(signo, code);
    si.view.setInt32(16, PID, true);
    si.view.setUint32(20, UID, true);
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
