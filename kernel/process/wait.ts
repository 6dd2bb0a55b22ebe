// wait4(2) and waitid(2) (kernel/exit.c, Linux 6.1): argument checks, then do_wait() over
// the caller's children. A child is eligible when it matches the id (a pid, a process
// group, or any) and its exit signal matches __WCLONE (a child whose exit signal is not
// SIGCHLD is a "clone" child: only __WCLONE or __WALL wait for it). No eligible child:
// ECHILD. An eligible zombie is reaped (waitid's WNOWAIT leaves it) and its pid returned
// with its status; otherwise WNOHANG returns 0 and a blocking wait sleeps until a child
// changes state (-ERESTARTSYS on a signal: EINTR, or a restart under SA_RESTART). As
// wait_consider_task, each child in creation order: an exit (WEXITED), then a stop not yet
// reported (WUNTRACED/WSTOPPED: status 0x7f | sig << 8, CLD_STOPPED), then a continue not
// yet reported (WCONTINUED: status 0xffff, CLD_CONTINUED); WNOWAIT reports without taking it.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { CLD_CONTINUED, CLD_STOPPED, P_ALL, P_PGID, P_PID, P_PIDFD, SIGCHLD, SIGCONT, WCONTINUED, WEXITED, WNOHANG, WNOWAIT, WUNTRACED, __WALL, __WCLONE, __WNOTHREAD } from '../abi.ts';
import { RUSAGE, SIGINFO, TIMEVAL } from '../abi-structs.ts';
import { accessOk, copyOut, StructBuilder } from '../user-memory.ts';
import { SIGINFO_SIZE } from '../signal/siginfo.ts';
import { ERESTARTSYS } from '../signal/restart.ts';
import { sleep } from '../sched/wait.ts';
import { wake } from '../sched/wait.ts';
import { NS_PER_SEC } from '../time/clock.ts';
import { RUSAGE_SIZE } from '../time/getrusage.ts';
import type { Process } from './process-table.ts';

const INT_MIN = -(2 ** 31);

/** Which children: a pid, a process group, or all (enum pid_type). */
type Which = { kind: 'pid'; pid: number } | { kind: 'pgid'; pgid: number } | { kind: 'all' };

interface Waited {
  child: Process;
  pid: number;
  /** wait4's status word, waitid's si_code and si_status. */
  wstatus: number;
  code: number;
  status: number;
}

export function wait4(k: SyscallContext): number {
  const upid = k.i32(0);
  const options = k.u32(2);
  if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)) return -E.EINVAL;
  // "-INT_MIN is undefined. Exclude it." (kernel_wait4)
  if (upid === INT_MIN) return -E.ESRCH;
  const which: Which =
    upid === -1 ? { kind: 'all' } : upid < 0 ? { kind: 'pgid', pgid: -upid } : upid === 0 ? { kind: 'pgid', pgid: k.state.proc.session.pgid } : { kind: 'pid', pid: upid };
  const r = doWait(k, which, options | WEXITED);
  if (typeof r === 'number') return r;
  const { child } = r;
  const statAddr = k.addr(1);
  const reaped = child.exit !== undefined;
  if (statAddr !== 0) {
    const b = new StructBuilder(4).u32(0, r.wstatus);
    try {
      copyOut(k.mem, statAddr, b);
    } catch {
      return -E.EFAULT;
    }
  }
  const ru = k.addr(3);
  if (ru !== 0) {
    try {
      copyOut(k.mem, ru, reaped ? childRusage(child) : new StructBuilder(RUSAGE_SIZE));
    } catch {
      return -E.EFAULT;
    }
  }
  return r.pid;
}

export function waitid(k: SyscallContext): number {
  const which = k.i32(0);
  const upid = k.i32(1);
  const options = k.u32(3);
  let r: number | Waited;
  if (options & ~(WNOHANG | WNOWAIT | WEXITED | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)) r = -E.EINVAL;
  else if (!(options & (WEXITED | WUNTRACED | WCONTINUED))) r = -E.EINVAL;
  else r = waitidSelect(k, which, upid, options);
  // SYSCALL_DEFINE5(waitid): whatever kernel_waitid() answered, a non-NULL infop gets
  // si_signo, si_errno, si_code, si_pid, si_uid and si_status (zeros when no child was
  // reaped), and an unwritable one makes the call EFAULT.
  const infop = k.addr(2);
  const ret = typeof r === 'number' ? r : 0;
  if (infop !== 0) {
    if (!accessOk(infop, SIGINFO_SIZE)) return -E.EFAULT;
    const b = new StructBuilder(SIGINFO_SIZE);
    if (typeof r !== 'number') {
      const { child } = r;
      b.u32(SIGINFO.si_signo, SIGCHLD).u32(SIGINFO.si_code, r.code).u32(SIGINFO.si_pid, child.pid);
      b.u32(SIGINFO.si_uid, child.state.proc.creds.uid.r).u32(SIGINFO.si_status, r.status);
    }
    try {
      for (const off of [0, 4, 8, 16, 20, 24]) k.mem.write(infop + off, b.bytes.subarray(off, off + 4));
    } catch {
      return -E.EFAULT;
    }
  }
  const ru = k.addr(4);
  if (typeof r !== 'number' && ru !== 0) {
    try {
      copyOut(k.mem, ru, r.child.exit ? childRusage(r.child) : new StructBuilder(RUSAGE_SIZE));
    } catch {
      return -E.EFAULT;
    }
  }
  return ret;
}

/** kernel_waitid()'s checks of which and upid, then the wait. */
function waitidSelect(k: SyscallContext, which: number, upid: number, options: number): number | Waited {
  switch (which) {
    case P_ALL:
      return doWait(k, { kind: 'all' }, options);
    case P_PID:
      if (upid <= 0) return -E.EINVAL;
      return doWait(k, { kind: 'pid', pid: upid }, options);
    case P_PGID:
      if (upid < 0) return -E.EINVAL;
      return doWait(k, { kind: 'pgid', pgid: upid === 0 ? k.state.proc.session.pgid : upid }, options);
    case P_PIDFD:
      if (upid < 0) return -E.EINVAL;
      k.unsupported('waitid(P_PIDFD)');
    // falls through (unsupported never returns)
    default:
      return -E.EINVAL;
  }
}

/** do_wait(): reap (or, with WNOWAIT, report) an exited eligible child, or wait for one. */
function doWait(k: SyscallContext, which: Which, options: number): number | Waited {
  const procs = k.state.procs;
  const self = procs.byPid(k.state.pid)!;
  const t = k.state.thread.current;
  const eligible = self.children.filter((c) => matches(c, which) && cloneMatches(c, options));
  if (eligible.length === 0) return -E.ECHILD;
  const keep = (options & WNOWAIT) !== 0;
  for (const c of eligible) {
    if (c.exit && options & WEXITED) {
      if (!keep) {
        self.childInsns += c.ownInsns + c.childInsns;
        procs.remove(c);
      }
      return { child: c, pid: c.pid, wstatus: c.exit.wstatus, code: c.exit.code, status: c.exit.status };
    }
    if (c.exit) continue;
    if (c.stopReport !== undefined && options & WUNTRACED) {
      const sig = c.stopReport;
      if (!keep) c.stopReport = undefined;
      return { child: c, pid: c.pid, wstatus: (sig << 8) | 0x7f, code: CLD_STOPPED, status: sig };
    }
    if (c.continueReport && options & WCONTINUED) {
      if (!keep) c.continueReport = false;
      return { child: c, pid: c.pid, wstatus: 0xffff, code: CLD_CONTINUED, status: SIGCONT };
    }
  }
  if (options & WNOHANG) return 0;
  if (t.wake === 'signal' || t.sigpending) return -ERESTARTSYS;
  const stop = self.childEvents.listen(() => wake(t, 'notified'));
  sleep(k.state.thread, { what: 'wait for a child', cancel: stop });
}

function matches(c: Process, which: Which): boolean {
  if (which.kind === 'all') return true;
  if (which.kind === 'pid') return c.pid === which.pid;
  return c.state.proc.session.pgid === which.pgid;
}

/** eligible_child()'s exit-signal test: __WALL waits for all, __WCLONE only for non-SIGCHLD children. */
function cloneMatches(c: Process, options: number): boolean {
  if (options & __WALL) return true;
  return (c.exitSignal !== SIGCHLD) === ((options & __WCLONE) !== 0);
}

/** The reaped child's struct rusage: its CPU time (and its reaped children's) as user time. */
function childRusage(c: Process): StructBuilder {
  const ns = BigInt(c.ownInsns + c.childInsns);
  const b = new StructBuilder(RUSAGE_SIZE);
  b.u64(RUSAGE.ru_utime + TIMEVAL.tv_sec, ns / NS_PER_SEC).u64(RUSAGE.ru_utime + TIMEVAL.tv_usec, (ns % NS_PER_SEC) / 1000n);
  b.u64(RUSAGE.ru_maxrss, (c.machine.mem.peakResidentPages * 4096) / 1024);
  return b;
}
