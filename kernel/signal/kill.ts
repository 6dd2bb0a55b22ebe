// kill(2), tkill(2), tgkill(2), rt_sigqueueinfo(2), rt_tgsigqueueinfo(2) (kernel/signal.c).
// The guest's processes (process/process-table.ts: the first is pid 1000; every thread and
// process after it takes the next id) are the targets; a zombie is found (sending to it
// succeeds and does nothing) until it is reaped. Outside them is the parent shell, PPID,
// single-threaded, leader of the process group and the session the guest starts in
// (process/session.ts). It exists, so Linux's checks apply to it as to anyone (a bad signal
// number is EINVAL, signal 0 succeeds), but what it is sent goes nowhere. Any other target
// is ESRCH. As in Linux, the target is looked up first and the signal number checked after
// (check_kill_permission). The guest is root, so every permission check passes.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { PPID } from '../process/identity.ts';
import { ProcessEnded } from '../process/exit-process.ts';
import type { Process } from '../process/process-table.ts';
import type { Thread } from '../sched/thread.ts';
import { sendSignal } from './send.ts';
import { KERNEL_SIGINFO_SIZE, SIGINFO_SIZE, SIG_SICODES, SI_KERNEL, SI_TKILL, SI_USER, SigInfo } from './siginfo.ts';
import { NSIGPOLL, SI_ASYNCNL, SI_DETHREAD } from '../abi.ts';
import { NSIG } from './signal-state.ts';

const INT_MIN = -(2 ** 31);

/** The parent shell as a signal target: it exists, and drops what it is sent. */
const PARENT = 'parent';
/** A thread and the process it belongs to. */
interface Task {
  proc: Process;
  thread: Thread;
}
type Target = Task | typeof PARENT;

/** check_kill_permission() (valid_signal()), then the send — nothing for signal 0 or to a zombie. */
function deliverTo(sig: number, info: () => SigInfo, target: Target, group: boolean): number {
  if (sig < 0 || sig > NSIG) return -E.EINVAL;
  if (sig && target !== PARENT && !target.proc.exit) sendSignal(target.proc.state, info(), target.thread, group);
  return 0;
}

/** The task find_vpid(pid) finds: a live thread of any process (a leader even as a zombie), or the parent. */
function taskOf(k: SyscallContext, pid: number): Target | undefined {
  if (pid === PPID) return PARENT;
  for (const proc of k.state.procs.list) {
    if (proc.pid === pid) return { proc, thread: proc.state.thread.leader };
    const thread = proc.exit ? undefined : proc.state.thread.find(pid);
    if (thread) return { proc, thread };
  }
  return undefined;
}

/** Thread-group id of a target (task_tgid_vnr). */
const tgidOf = (t: Target) => (t === PARENT ? PPID : t.proc.pid);

/** The group leaders kill() reaches: every process of the guest in pid order. */
const leaders = (k: SyscallContext): Task[] => k.state.procs.list.map((proc) => ({ proc, thread: proc.state.thread.leader }));

/**
 * __kill_pgrp_info(): every process of group pgid; 0 if any send succeeded, else the last error.
 * The caller may be a member: a fatal signal ends it (ProcessEnded) only once every member has
 * been sent it, as Linux queues it to all and the caller dies on its way back to user mode.
 */
function killGroup(k: SyscallContext, sig: number, info: () => SigInfo, pgid: number): number {
  const members: Target[] = leaders(k).filter((t) => t.proc.state.proc.session.pgid === pgid);
  if (pgid === PPID) members.push(PARENT); // the shell leads its group
  let retval = -E.ESRCH;
  let success = false;
  let ended: ProcessEnded | undefined;
  for (const m of members) {
    try {
      retval = deliverTo(sig, info, m, true);
    } catch (e) {
      if (!(e instanceof ProcessEnded)) throw e;
      ended = e;
      retval = 0;
    }
    success ||= retval === 0;
  }
  if (ended) throw ended;
  return success ? 0 : retval;
}

export function kill(k: SyscallContext): number {
  const pid = k.i32(0);
  const sig = k.i32(1);
  const info = () => SigInfo.fromProcess(sig, SI_USER, k.state.pid);
  if (pid > 0) {
    const p = taskOf(k, pid);
    return p ? deliverTo(sig, info, p, true) : -E.ESRCH;
  }
  if (pid === INT_MIN) return -E.ESRCH;
  if (pid === 0) return killGroup(k, sig, info, k.state.proc.session.pgid);
  if (pid !== -1) return killGroup(k, sig, info, -pid);
  // -1: every process but init and the caller's own: the parent shell and the other guest processes.
  const others: Target[] = [PARENT, ...leaders(k).filter((t) => t.proc.pid !== k.state.pid)];
  let retval = -E.ESRCH;
  let count = 0;
  for (const t of others) {
    const err = deliverTo(sig, info, t, true);
    if (err !== -E.EPERM) {
      count++;
      retval = err;
    }
  }
  return count ? retval : -E.ESRCH;
}

/** do_send_specific(): one thread, optionally checked to belong to thread group tgid. */
function sendSpecific(k: SyscallContext, tgid: number, tid: number, sig: number, info: () => SigInfo): number {
  const t = taskOf(k, tid);
  if (!t || (tgid > 0 && tgid !== tgidOf(t))) return -E.ESRCH;
  return deliverTo(sig, info, t, false);
}

export function tkill(k: SyscallContext): number {
  const tid = k.i32(0);
  const sig = k.i32(1);
  if (tid <= 0) return -E.EINVAL;
  return sendSpecific(k, 0, tid, sig, () => SigInfo.fromProcess(sig, SI_TKILL, k.state.pid));
}

export function tgkill(k: SyscallContext): number {
  const tgid = k.i32(0);
  const tid = k.i32(1);
  const sig = k.i32(2);
  if (tid <= 0 || tgid <= 0) return -E.EINVAL;
  return sendSpecific(k, tgid, tid, sig, () => SigInfo.fromProcess(sig, SI_TKILL, k.state.pid));
}

/**
 * kernel/signal.c known_siginfo_layout() (Linux 6.1.20), for si_signo = sig: a positive code
 * up to the limit of the signal's sig_sicodes[] entry (the signals of
 * SIG_SPECIFIC_SICODES_MASK), or up to NSIGPOLL for other signals, has a known layout.
 */
function knownSiginfoLayout(sig: number, code: number): boolean {
  if (code === SI_KERNEL) return true;
  if (code > SI_USER) {
    const own = SIG_SICODES[sig];
    return code <= (own ? own.limit : NSIGPOLL);
  }
  return code >= SI_DETHREAD || code === SI_ASYNCNL;
}

/**
 * __copy_siginfo_from_user() (kernel/signal.c, Linux 6.1.20): the 48 bytes of
 * kernel_siginfo (EFAULT), si_signo forced to sig, then post_copy_siginfo_from_user(): for an
 * si_code of unknown layout the 80 bytes after them (SI_EXPANSION_SIZE) are read too
 * (EFAULT) and must be zero, else -E2BIG.
 */
function userInfo(k: SyscallContext, addr: number, sig: number): SigInfo | number {
  const info = new SigInfo(k.mem.read(addr, KERNEL_SIGINFO_SIZE));
  info.signo = sig;
  if (!knownSiginfoLayout(sig, info.code) && k.mem.read(addr + KERNEL_SIGINFO_SIZE, SIGINFO_SIZE - KERNEL_SIGINFO_SIZE).some((b) => b !== 0)) {
    return -E.E2BIG;
  }
  return info;
}

/** Only kernel-looking codes (>= 0) and SI_TKILL are reserved, and only towards others. */
function impersonates(info: SigInfo, target: number, self: number): boolean {
  return (info.code >= 0 || info.code === SI_TKILL) && target !== self;
}

export function rt_sigqueueinfo(k: SyscallContext): number {
  const pid = k.i32(0);
  const sig = k.i32(1);
  const info = userInfo(k, k.addr(2), sig); // (pid_t pid, int sig, siginfo_t __user *uinfo)
  if (typeof info === 'number') return info;
  if (impersonates(info, pid, k.state.thread.tid)) return -E.EPERM;
  // kill_proc_info(): find_vpid() finds nothing for pid <= 0.
  const p = pid > 0 ? taskOf(k, pid) : undefined;
  return p ? deliverTo(sig, () => info, p, true) : -E.ESRCH;
}

export function rt_tgsigqueueinfo(k: SyscallContext): number {
  const tgid = k.i32(0);
  const tid = k.i32(1);
  const sig = k.i32(2);
  const info = userInfo(k, k.addr(3), sig); // (pid_t tgid, pid_t pid, int sig, siginfo_t __user *uinfo)
  if (typeof info === 'number') return info;
  if (tid <= 0 || tgid <= 0) return -E.EINVAL;
  if (impersonates(info, tid, k.state.thread.tid)) return -E.EPERM;
  return sendSpecific(k, tgid, tid, sig, () => info);
}
