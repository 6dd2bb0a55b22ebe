// kill(2), tkill(2), tgkill(2), rt_sigqueueinfo(2), rt_tgsigqueueinfo(2) (kernel/signal.c).
// There is one process: pid 1000 (also its process group), whose threads have tids 1000,
// 1001, ... Any other target is ESRCH — including kill(-1), which on Linux skips the
// caller's own process. The guest is root, so every permission check passes. Signal 0
// only checks that the target exists; a number above 64 is EINVAL once a target is found.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { PID } from '../process/identity.ts';
import type { Thread } from '../sched/thread.ts';
import { sendSignal } from './send.ts';
import { KERNEL_SIGINFO_SIZE, SI_TKILL, SI_USER, SigInfo } from './siginfo.ts';
import { NSIG } from './signal-state.ts';

const INT_MIN = -(2 ** 31);

/** check_kill_permission() + send: valid_signal(), then nothing for signal 0. */
function deliverTo(k: SyscallContext, sig: number, info: () => SigInfo, target: Thread, group: boolean): number {
  if (sig < 0 || sig > NSIG) return -E.EINVAL;
  if (sig) sendSignal(k.state, info(), target, group);
  return 0;
}

/** The thread kill_pid_info() finds for pid (any tid of ours; the leader even as a zombie). */
function processMember(k: SyscallContext, pid: number): Thread | undefined {
  if (pid === PID) return k.state.thread.leader;
  return k.state.thread.find(pid);
}

export function kill(k: SyscallContext): number {
  const pid = k.i32(0);
  const sig = k.i32(1);
  const info = () => SigInfo.fromProcess(sig, SI_USER);
  if (pid > 0) {
    const p = processMember(k, pid);
    return p ? deliverTo(k, sig, info, p, true) : -E.ESRCH;
  }
  // 0: the caller's process group; -pgid: that group; -1: every process but the caller's.
  if (pid === 0 || (pid !== -1 && pid !== INT_MIN && -pid === PID)) return deliverTo(k, sig, info, k.state.thread.leader, true);
  return -E.ESRCH;
}

/** do_send_specific(): one thread, optionally checked to belong to thread group tgid. */
function sendSpecific(k: SyscallContext, tgid: number, tid: number, sig: number, info: () => SigInfo): number {
  const t = k.state.thread.find(tid);
  if (!t || (tgid > 0 && tgid !== PID)) return -E.ESRCH;
  return deliverTo(k, sig, info, t, false);
}

export function tkill(k: SyscallContext): number {
  const tid = k.i32(0);
  const sig = k.i32(1);
  if (tid <= 0) return -E.EINVAL;
  return sendSpecific(k, 0, tid, sig, () => SigInfo.fromProcess(sig, SI_TKILL));
}

export function tgkill(k: SyscallContext): number {
  const tgid = k.i32(0);
  const tid = k.i32(1);
  const sig = k.i32(2);
  if (tid <= 0 || tgid <= 0) return -E.EINVAL;
  return sendSpecific(k, tgid, tid, sig, () => SigInfo.fromProcess(sig, SI_TKILL));
}

/** __copy_siginfo_from_user(): the 48 bytes of kernel_siginfo, with si_signo forced to sig. */
function userInfo(k: SyscallContext, addr: number, sig: number): SigInfo {
  const info = new SigInfo(k.mem.read(addr, KERNEL_SIGINFO_SIZE));
  info.signo = sig;
  return info;
}

/** Only kernel-looking codes (>= 0) and SI_TKILL are reserved, and only towards others. */
function impersonates(info: SigInfo, target: number, self: number): boolean {
  return (info.code >= 0 || info.code === SI_TKILL) && target !== self;
}

export function rt_sigqueueinfo(k: SyscallContext): number {
  const pid = k.i32(0);
  const sig = k.i32(1);
  const info = userInfo(k, k.u(2), sig);
  if (impersonates(info, pid, k.state.thread.tid)) return -E.EPERM;
  const p = pid > 0 ? processMember(k, pid) : undefined;
  return p ? deliverTo(k, sig, () => info, p, true) : -E.ESRCH;
}

export function rt_tgsigqueueinfo(k: SyscallContext): number {
  const tgid = k.i32(0);
  const tid = k.i32(1);
  const sig = k.i32(2);
  const info = userInfo(k, k.u(3), sig);
  if (tid <= 0 || tgid <= 0) return -E.EINVAL;
  if (impersonates(info, tid, k.state.thread.tid)) return -E.EPERM;
  return sendSpecific(k, tgid, tid, sig, () => info);
}
