// Process groups and sessions: getpgid(2), setpgid(2), getsid(2), setsid(2), as Linux 6.1
// kernel/sys.c for a process started by a shell (PPID) that leads the session and the
// process group the guest starts in. Other pids do not exist here (ESRCH), and the
// guest's threads other than the leader are not group leaders (EINVAL for setpgid).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { PID, PPID } from './identity.ts';

export class SessionState {
  pgid = PPID;
  sid = PPID;
}

const session = (k: SyscallContext) => k.state.proc.session;

/** pid 0 or one of the guest's own threads: the process; else undefined (no such process). */
function ours(k: SyscallContext, pid: number): boolean {
  return pid === 0 || pid === PID || k.state.thread.find(pid) !== undefined;
}

export function getpgid(k: SyscallContext): number {
  return ours(k, k.i32(0)) ? session(k).pgid : -E.ESRCH;
}

export function getsid(k: SyscallContext): number {
  return ours(k, k.i32(0)) ? session(k).sid : -E.ESRCH;
}

export function setpgid(k: SyscallContext): number {
  let pid = k.i32(0);
  let pgid = k.i32(1);
  const s = session(k);
  if (!pid) pid = PID;
  if (!pgid) pgid = pid;
  if (pgid < 0) return -E.EINVAL;
  if (!ours(k, pid)) return -E.ESRCH;
  if (pid !== PID) return -E.EINVAL; // a thread other than the leader
  if (s.sid === PID) return -E.EPERM; // a session leader cannot move
  // The target group must exist in our session: our own id, the group we are in, or the shell's.
  if (pgid !== pid && pgid !== s.pgid && !(s.sid === PPID && pgid === PPID)) return -E.EPERM;
  s.pgid = pgid;
  return 0;
}

export function setsid(k: SyscallContext): number {
  const s = session(k);
  if (s.pgid === PID) return -E.EPERM; // a process group with our id exists: we lead it
  s.sid = s.pgid = PID;
  return PID;
}
