// A signalfd (Linux 6.1 fs/signalfd.c, struct signalfd_ctx): a file that reads the caller's
// pending signals of a mask as struct signalfd_siginfo records instead of having them
// delivered. The syscall is signalfd4.ts (riscv64 has no plain signalfd).
//
//   - The mask never holds SIGKILL or SIGSTOP (do_signalfd4 removes them). Linux keeps its
//     complement in ctx->sigmask, the form dequeue_signal() takes as "blocked"; here `mask`
//     is the signals themselves and the complement is taken when dequeuing.
//   - read (signalfd_read): count /= sizeof(struct signalfd_siginfo) (128), 0 records is
//     EINVAL; then one record per signal dequeued (signalfd_dequeue -> dequeue_signal():
//     the reading thread's own queue first, then the process's, lowest number first with
//     the synchronous signals ahead, as next_signal() orders them; a SIGALRM re-arms
//     ITIMER_REAL, a POSIX timer's entry its timer), each converted by signalfd_copyinfo().
//     The first dequeue finds nothing: EAGAIN under O_NONBLOCK, else the thread waits on
//     sighand->signalfd_wqh (SignalState.signalfdWait) until a signal is queued or the mask
//     changes (signalfd_notify / wake_up), and a signal it does not read ends the wait with
//     -ERESTARTSYS. After the first record the rest are taken without waiting.
//   - poll (signalfd_poll): EPOLLIN while the polling thread's queue or the process's holds a
//     signal of the mask. Readiness follows the thread that asks, as on Linux.
//   - A signal stays pending, and so readable, only while it is blocked: an unblocked one is
//     delivered (or, ignored, dropped) before the thread runs again. The usual way is to
//     block the mask with sigprocmask before creating the signalfd.
// Not modelled: read stops at the first page of the buffer it cannot write (read.ts passes
// the writable prefix), where Linux dequeues one more signal, fails its copy with EFAULT and
// loses it; readv reads its segments in one pass (Linux: one read per segment, signalfd has
// no read_iter).

import { POLLIN, SIGKILL, SIGSTOP } from '../abi.ts';
import { SIGINFO, SIGNALFD_SIGINFO } from '../abi-structs.ts';
import { fail } from '../errors.ts';
import type { KernelState } from '../state.ts';
import { AnonFile } from '../vfs/anon.ts';
import { O_NONBLOCK } from '../vfs/constants.ts';
import type { WaitQueue } from '../vfs/wait.ts';
import { dequeue } from './deliver.ts';
import { siginfoLayout, type SigInfo } from './siginfo.ts';
import { sigbit } from './signal-state.ts';

const ALL = (1n << 64n) - 1n;
const RECORD = SIGNALFD_SIGINFO.SIZE;

/** do_signalfd4(): `sigdelsetmask(mask, sigmask(SIGKILL) | sigmask(SIGSTOP))`. */
export const signalfdMask = (mask: bigint): bigint => BigInt.asUintN(64, mask) & ~(sigbit(SIGKILL) | sigbit(SIGSTOP));

/**
 * signalfd_copyinfo(): a zeroed record with ssi_signo, ssi_errno, ssi_code, then the fields
 * of the union member siginfo_layout() names.
 */
export function signalfdRecord(info: SigInfo): Uint8Array {
  const out = new Uint8Array(RECORD);
  const o = new DataView(out.buffer);
  const k = new DataView(info.bytes.buffer, info.bytes.byteOffset, info.bytes.byteLength);
  const i32 = (off: number) => k.getInt32(off, true);
  const u64 = (off: number) => k.getBigUint64(off, true);
  const F = SIGNALFD_SIGINFO;
  o.setInt32(F.ssi_signo, info.signo, true);
  o.setInt32(F.ssi_errno, i32(SIGINFO.si_errno), true);
  o.setInt32(F.ssi_code, info.code, true);
  switch (siginfoLayout(info.signo, info.code)) {
    case 'kill':
      o.setInt32(F.ssi_pid, i32(SIGINFO.si_pid), true);
      o.setInt32(F.ssi_uid, i32(SIGINFO.si_uid), true);
      break;
    case 'timer':
      o.setInt32(F.ssi_tid, i32(SIGINFO.si_tid), true);
      o.setInt32(F.ssi_overrun, i32(SIGINFO.si_overrun), true);
      o.setBigUint64(F.ssi_ptr, u64(SIGINFO.si_ptr), true);
      o.setInt32(F.ssi_int, i32(SIGINFO.si_int), true);
      break;
    case 'poll':
      o.setInt32(F.ssi_band, Number(BigInt.asIntN(32, u64(SIGINFO.si_band))), true); // a long into a __u32
      o.setInt32(F.ssi_fd, i32(SIGINFO.si_fd), true);
      break;
    case 'fault':
    case 'fault-bnderr':
    case 'fault-pkuerr':
    case 'fault-perf-event':
      o.setBigUint64(F.ssi_addr, u64(SIGINFO.si_addr), true);
      break;
    case 'fault-trapno':
      o.setBigUint64(F.ssi_addr, u64(SIGINFO.si_addr), true);
      o.setInt32(F.ssi_trapno, i32(SIGINFO.si_trapno), true);
      break;
    case 'fault-mceerr':
      o.setBigUint64(F.ssi_addr, u64(SIGINFO.si_addr), true);
      o.setInt16(F.ssi_addr_lsb, k.getInt16(SIGINFO.si_addr_lsb, true), true);
      break;
    case 'chld':
      o.setInt32(F.ssi_pid, i32(SIGINFO.si_pid), true);
      o.setInt32(F.ssi_uid, i32(SIGINFO.si_uid), true);
      o.setInt32(F.ssi_status, i32(SIGINFO.si_status), true);
      o.setBigUint64(F.ssi_utime, u64(SIGINFO.si_utime), true);
      o.setBigUint64(F.ssi_stime, u64(SIGINFO.si_stime), true);
      break;
    case 'rt':
      o.setInt32(F.ssi_pid, i32(SIGINFO.si_pid), true);
      o.setInt32(F.ssi_uid, i32(SIGINFO.si_uid), true);
      o.setBigUint64(F.ssi_ptr, u64(SIGINFO.si_ptr), true);
      o.setInt32(F.ssi_int, i32(SIGINFO.si_int), true);
      break;
    case 'sys':
      o.setBigUint64(F.ssi_call_addr, u64(SIGINFO.si_call_addr), true);
      o.setInt32(F.ssi_syscall, i32(SIGINFO.si_syscall), true);
      o.setUint32(F.ssi_arch, k.getUint32(SIGINFO.si_arch, true), true);
      break;
  }
  return out;
}

export class SignalFd extends AnonFile {
  /** The signals it reads (never SIGKILL or SIGSTOP); ctx->sigmask is its complement. */
  private sigmask: bigint;

  constructor(
    private readonly state: KernelState,
    mask: bigint,
    flags: number,
  ) {
    super(state.vfs, '[signalfd]', flags);
    this.sigmask = signalfdMask(mask);
  }

  get mask(): bigint {
    return this.sigmask;
  }
  /** do_signalfd4() on an existing signalfd: the new mask, then wake_up(&sighand->signalfd_wqh). */
  set mask(mask: bigint) {
    this.sigmask = signalfdMask(mask);
    this.state.signals.signalfdWait.notify();
  }

  private get nonblock(): boolean {
    return (this.statusFlags & O_NONBLOCK) !== 0;
  }

  /** signalfd_dequeue(): dequeue_signal(current, &ctx->sigmask, ...) without the fault-first step. */
  private dequeue(): SigInfo | undefined {
    return dequeue(this.state, this.state.thread.current, ALL & ~this.sigmask, false);
  }

  override read(len: number): Uint8Array {
    let count = Math.floor(len / RECORD);
    if (!count) fail('EINVAL');
    let info = this.dequeue();
    while (!info) {
      if (this.nonblock) fail('EAGAIN');
      // add_wait_queue(&current->sighand->signalfd_wqh) ... schedule(): a queued signal or a
      // new mask wakes it (the call is re-executed); signal_pending() ends it, -ERESTARTSYS.
      this.env.blocker.block([this.queue], undefined, 'read of a signalfd with no signal of its mask pending');
      info = this.dequeue();
    }
    const records: Uint8Array[] = [];
    // do { ... nonblock = 1; } while (--count): after the first, only what is pending now.
    while (info) {
      records.push(signalfdRecord(info));
      if (--count === 0) break;
      info = this.dequeue();
    }
    const out = new Uint8Array(records.length * RECORD);
    records.forEach((r, i) => out.set(r, i * RECORD));
    return out;
  }

  override get pollable(): boolean {
    return true;
  }
  /** signalfd_poll(): next_signal() of current->pending, then of the shared pending, in the mask. */
  override poll(): number {
    const t = this.state.thread.current;
    return ((t.pending.set | this.state.signals.shared.set) & this.sigmask) !== 0n ? POLLIN : 0;
  }
  override get queue(): WaitQueue {
    return this.state.signals.signalfdWait;
  }
}
