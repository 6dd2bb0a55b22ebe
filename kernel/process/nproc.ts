// RLIMIT_NPROC, as Linux 6.1 kernel/fork.c copy_process() applies it to every new task
// (a thread as much as a process):
//
//   retval = -EAGAIN;
//   if (is_ucounts_overlimit(task_ucounts(p), UCOUNT_RLIMIT_NPROC, rlimit(RLIMIT_NPROC))) {
//           if (p->real_cred->user != INIT_USER &&
//               !capable(CAP_SYS_RESOURCE) && !capable(CAP_SYS_ADMIN))
//                   goto bad_fork_cleanup_count;
//   }
//
// copy_creds() has already counted the new task against its real user (inc_rlimit_ucounts),
// and is_ucounts_overlimit() (kernel/ucount.c) is true when that count is above the caller's
// soft limit: with a limit of N the user may have N tasks. A task stops counting when it is
// released (release_task(): dec_rlimit_ucounts): a thread when it exits, a process's leader
// when its zombie is reaped. The guest is the whole machine: its tasks are all there are.
// Root (INIT_USER: real uid 0) and a caller with CAP_SYS_RESOURCE or CAP_SYS_ADMIN are never
// held to it.

import { CAP } from './credentials.ts';
import { RLIMIT } from './limits.ts';
import type { ProcessTable } from './process-table.ts';
import type { KernelState } from '../state.ts';

/** Tasks whose real user is uid, as the user's UCOUNT_RLIMIT_NPROC counts them. */
export function userTasks(procs: ProcessTable, uid: number): number {
  let n = 0;
  for (const p of procs.list) {
    if (p.state.proc.creds.uid.r !== uid) continue;
    if (p.exit) n += 1; // a zombie: its leader, until reaped
    else {
      const threads = p.state.thread;
      n += threads.threads.filter((t) => t.state !== 'exited' || t === threads.leader).length;
    }
  }
  return n;
}

/** copy_process()'s RLIMIT_NPROC check for one more task made by the calling process: true when it must fail (EAGAIN). */
export function nprocExceeded(state: KernelState): boolean {
  const creds = state.proc.creds;
  const uid = creds.uid.r;
  if (uid === 0 || creds.capable(CAP.SYS_RESOURCE) || creds.capable(CAP.SYS_ADMIN)) return false;
  const limit = state.limits[RLIMIT.NPROC].cur;
  return BigInt(userTasks(state.procs, uid) + 1) > limit;
}
