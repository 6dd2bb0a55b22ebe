// Process groups and sessions: getpgid(2), setpgid(2), getsid(2), setsid(2), as Linux 6.1
// kernel/sys.c. The first process is started by a shell (PPID) that leads the session and
// the process group it starts in; children inherit both (fork). Any thread id of a guest
// process finds that process (find_task_by_vpid); the shell and other pids are ESRCH, and a
// thread other than its process's leader is not a group leader (EINVAL for setpgid).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { PPID } from './identity.ts';
import type { Process } from './process-table.ts';

export class SessionState {
  pgid = PPID;
  sid = PPID;
}

/** find_task_by_vpid(): the process holding thread `pid` (0: the caller), with whether `pid` is its leader. */
function lookup(k: SyscallContext, pid: number): { proc: Process; leader: boolean } | undefined {
  const procs = k.state.procs;
  if (pid === 0) return { proc: procs.byPid(k.state.pid)!, leader: true };
  for (const proc of procs.list) {
    if (proc.pid === pid) return { proc, leader: true };
    if (!proc.exit && proc.state.thread.find(pid)) return { proc, leader: false };
  }
  return undefined;
}

const sessionOf = (p: Process) => p.state.proc.session;

export function getpgid(k: SyscallContext): number {
  const t = lookup(k, k.i32(0));
  return t ? sessionOf(t.proc).pgid : -E.ESRCH;
}

export function getsid(k: SyscallContext): number {
  const t = lookup(k, k.i32(0));
  return t ? sessionOf(t.proc).sid : -E.ESRCH;
}

export function setpgid(k: SyscallContext): number {
  const self = k.state.procs.byPid(k.state.pid)!;
  let pid = k.i32(0);
  let pgid = k.i32(1);
  if (!pid) pid = self.pid;
  if (!pgid) pgid = pid;
  if (pgid < 0) return -E.EINVAL;
  const t = lookup(k, pid);
  if (!t) return -E.ESRCH;
  if (!t.leader) return -E.EINVAL; // not a thread-group leader
  const p = t.proc;
  const ours = sessionOf(self);
  if (p.parent === self) {
    if (sessionOf(p).sid !== ours.sid) return -E.EPERM; // a child in another session
    if (p.execed) return -E.EACCES; // a child that has exec'd (PF_FORKNOEXEC cleared)
  } else if (p !== self) return -E.ESRCH;
  if (sessionOf(p).sid === p.pid) return -E.EPERM; // a session leader cannot move
  // The target group must exist in our session: the target's own id, or a group some
  // process of the session is in (the shell's among them).
  if (pgid !== pid) {
    const inGroup = k.state.procs.list.some((q) => !q.exit && sessionOf(q).pgid === pgid && sessionOf(q).sid === ours.sid);
    const shellGroup = pgid === PPID && ours.sid === PPID;
    if (!inGroup && !shellGroup) return -E.EPERM;
  }
  sessionOf(p).pgid = pgid;
  return 0;
}

export function setsid(k: SyscallContext): number {
  const self = k.state.pid;
  // "Fail if a process group id already exists that equals the proposed session id."
  if (k.state.procs.list.some((q) => !q.exit && sessionOf(q).pgid === self)) return -E.EPERM;
  const s = k.state.proc.session;
  s.sid = s.pgid = self;
  return self;
}
