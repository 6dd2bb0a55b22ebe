// semget(2), as Linux 6.1 ipc/sem.c ksys_semget(): nsems < 0 or > SEMMSL EINVAL first, then
// ipcget() (namespace.ts) with newary() (nsems 0 EINVAL, ENOSPC past SEMMNS semaphores or
// SEMMNI sets) and, for an existing key, sem_more_checks() (nsems larger than the set's EINVAL)
// before the permission check.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { ipcget, SEM_LIMITS } from './namespace.ts';
import { newary, semStateOf } from './sem.ts';

export function semget(k: SyscallContext): number {
  const key = k.i32(0);
  const nsems = k.i32(1);
  const semflg = k.i32(2);
  if (nsems < 0 || nsems > SEM_LIMITS.semmsl) return -E.EINVAL;
  const ss = semStateOf(k.state);
  const creds = k.state.proc.creds;
  return ipcget(ss.ids, creds, key, semflg, {
    getnew: () => newary(ss, k.state, creds, key, nsems, semflg),
    moreChecks: (sma) => (nsems > sma.nsems ? -E.EINVAL : 0),
  });
}
