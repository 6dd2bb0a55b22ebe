// clone(2) for threads. riscv64 passes (flags, newsp, parent_tid, tls, child_tid) — the
// order glibc's clone.S and qemu use (checked: a CHILD_SETTID tid lands at a4).
//
// A thread shares everything (CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD, the
// core of both glibc's and Go's flag sets); SYSVSEM, SETTLS, PARENT_SETTID, CHILD_SETTID,
// CHILD_CLEARTID, DETACHED, UNTRACED, PTRACE, PARENT and IO are honoured or harmless.
// The child starts after the ecall with a0 = 0, sp = newsp (when non-zero), tp = tls (with
// SETTLS), the caller's signal mask, nothing pending and no sigaltstack. Without
// CLONE_THREAD the call makes a new process (fork, vfork, posix_spawn): process/fork.ts.
// Making a namespace is not supported and stops the guest.
//
// The failures come in the order of Linux 6.1 (kernel/fork.c kernel_clone, copy_process):
// the invalid flag combinations (EINVAL); CLONE_NEWUSER, which copy_creds() would make (a
// stop: the child would be capable in it, so nothing below refuses it); RLIMIT_NPROC and
// the task count (EAGAIN); then copy_namespaces() (kernel/nsproxy.c): another namespace
// flag without CAP_SYS_ADMIN is EPERM, and only then CLONE_NEWIPC with CLONE_SYSVSEM is
// EINVAL. (zerosys's own bounds on address spaces, process/fork.ts, come after these: in
// Linux copy_mm() precedes copy_namespaces(), but those bounds are the host's, not Linux's.)
// Arguments (kernel/fork.c, CONFIG_CLONE_BACKWARDS): unsigned long clone_flags, unsigned long
// newsp, int __user *parent_tidptr, unsigned long tls, int __user *child_tidptr.

import type { SyscallContext } from '../context.ts';
import { cloneProcess } from '../process/fork.ts';
import { childRegisters, storeTid } from './clone-regs.ts';
import { maxThreads } from '../process/limits.ts';
import { nprocExceeded } from '../process/nproc.ts';
import { CAP } from '../process/credentials.ts';
import { E } from '../errno.ts';
import { CLONE_CHILD_CLEARTID, CLONE_CHILD_SETTID, CLONE_DETACHED, CLONE_FILES, CLONE_FS, CLONE_IO, CLONE_NEWCGROUP, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWUSER, CLONE_NEWUTS, CLONE_PARENT, CLONE_PARENT_SETTID, CLONE_PIDFD, CLONE_PTRACE, CLONE_SETTLS, CLONE_SIGHAND, CLONE_SYSVSEM, CLONE_THREAD, CLONE_UNTRACED, CLONE_VM, CSIGNAL } from '../abi.ts';
export { CLONE_CHILD_CLEARTID, CLONE_CHILD_SETTID, CLONE_DETACHED, CLONE_FILES, CLONE_FS, CLONE_IO, CLONE_NEWCGROUP, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWUSER, CLONE_NEWUTS, CLONE_PARENT, CLONE_PARENT_SETTID, CLONE_PIDFD, CLONE_PTRACE, CLONE_SETTLS, CLONE_SIGHAND, CLONE_SYSVSEM, CLONE_THREAD, CLONE_UNTRACED, CLONE_VFORK, CLONE_VM } from '../abi.ts';

const NAMESPACES = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP;

/** What a thread must share: anything less would be a new process. */
const THREAD_CORE = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD;
const HARMLESS =
  CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID |
  CLONE_DETACHED | CLONE_UNTRACED | CLONE_PTRACE | CLONE_PARENT | CLONE_IO;

export function clone(k: SyscallContext): number {
  const flags = (k.u32(0) & ~CSIGNAL) >>> 0; // lower_32_bits(clone_flags) & ~CSIGNAL
  const parentTid = k.addr(2);
  const has = (f: number) => (flags & f) !== 0;

  if (has(CLONE_PIDFD) && has(CLONE_PARENT_SETTID)) return -E.EINVAL; // pidfd and parent_tid are one pointer
  if (has(CLONE_NEWNS) && has(CLONE_FS)) return -E.EINVAL;
  if (has(CLONE_NEWUSER) && has(CLONE_FS)) return -E.EINVAL;
  if (has(CLONE_THREAD) && !has(CLONE_SIGHAND)) return -E.EINVAL;
  if (has(CLONE_SIGHAND) && !has(CLONE_VM)) return -E.EINVAL;
  if (has(CLONE_THREAD) && (has(CLONE_NEWUSER) || has(CLONE_NEWPID))) return -E.EINVAL;
  if (has(CLONE_PIDFD) && (has(CLONE_DETACHED) || has(CLONE_THREAD))) return -E.EINVAL;

  const hex = `0x${flags.toString(16)}`;
  // copy_creds(): `if (clone_flags & CLONE_NEWUSER) { ret = create_user_ns(new); ...`
  if (has(CLONE_NEWUSER)) k.unsupported(`new process with flags 0x${((flags & NAMESPACES) >>> 0).toString(16)} (flags ${hex})`);

  // copy_process(): RLIMIT_NPROC for the real user (not root, not CAP_SYS_RESOURCE/ADMIN:
  // process/nproc.ts), then `if (data_race(nr_threads >= max_threads)) goto
  // bad_fork_cleanup_count;` (-EAGAIN), every task of the guest counted until it is reaped.
  // Not when a vfork parent's ecall is re-run after its wait: that child exists already.
  if (k.state.thread.current.vforkChild === undefined) {
    if (nprocExceeded(k.state)) return -E.EAGAIN;
    const tasks = k.state.procs.list.reduce((n, p) => n + p.state.thread.threads.length, 0);
    if (tasks >= maxThreads(k.state.mm.ramBytes)) return -E.EAGAIN;
  }

  // copy_namespaces(): `} else if (!ns_capable(user_ns, CAP_SYS_ADMIN)) return -EPERM;` (the
  // caller's user namespace: zerosys has one), then `if ((flags & (CLONE_NEWIPC |
  // CLONE_SYSVSEM)) == (CLONE_NEWIPC | CLONE_SYSVSEM)) return -EINVAL;`
  if (flags & NAMESPACES) {
    if (!k.state.proc.creds.capable(CAP.SYS_ADMIN)) return -E.EPERM;
    if (has(CLONE_NEWIPC) && has(CLONE_SYSVSEM)) return -E.EINVAL;
  }

  if ((flags & CLONE_THREAD) === 0) {
    const unsupported = flags & (CLONE_SIGHAND | CLONE_FS | CLONE_PARENT | CLONE_PIDFD | NAMESPACES);
    if (unsupported) k.unsupported(`new process with flags 0x${(unsupported >>> 0).toString(16)} (flags ${hex})`);
    return cloneProcess(k, flags, k.u32(0) & CSIGNAL);
  }
  if ((flags & THREAD_CORE) !== THREAD_CORE) k.unsupported(`thread that does not share fs/files (flags ${hex})`);
  const other = flags & ~(THREAD_CORE | HARMLESS);
  if (other) k.unsupported(`flags 0x${(other >>> 0).toString(16)} (flags ${hex})`);

  const threads = k.state.thread;
  const parent = threads.current;
  const child = threads.create();
  childRegisters(k, child.regs, flags);
  child.blocked = parent.blocked;
  child.nice = parent.nice;
  if (has(CLONE_CHILD_CLEARTID)) child.clearChildTid = k.big(4); // exact: PR_GET_TID_ADDRESS reports it
  // Linux ignores faults on these two writes.
  if (has(CLONE_PARENT_SETTID)) storeTid(k.mem, parentTid, child.tid);
  if (has(CLONE_CHILD_SETTID)) storeTid(k.mem, k.addr(4), child.tid);
  return child.tid;
}
