// shmget(2), as Linux 6.1 ipc/shm.c ksys_shmget(): ipcget() (ipc/util.c, namespace.ts) with
// newseg() (shm.ts: size < SHMMIN or > SHMMAX EINVAL, ENOSPC past SHMALL pages, SHM_HUGETLB
// stops, a size past MAX_LFS_FILESIZE EINVAL, ENOMEM past the machine's memory without
// SHM_NORESERVE, ENOSPC past SHMMNI segments) and, for an existing key, shm_more_checks()
// (a size larger than the segment's EINVAL) before the permission check (EACCES).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { ipcget } from './namespace.ts';
import { newseg, shmStateOf } from './shm.ts';

export function shmget(k: SyscallContext): number {
  const key = k.i32(0);
  const size = k.big(1);
  const shmflg = k.i32(2);
  const ss = shmStateOf(k.state);
  const creds = k.state.proc.creds;
  return ipcget(ss.ids, creds, key, shmflg, {
    getnew: () => newseg(ss, k.state, creds, key, size, shmflg, (what) => k.unsupported(what)),
    moreChecks: (shp) => (shp.segsz < size ? -E.EINVAL : 0),
  });
}
