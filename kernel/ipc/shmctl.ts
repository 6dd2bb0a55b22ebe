// shmctl(2), as Linux 6.1 ipc/shm.c ksys_shmctl() with IPC_64 (riscv64 has no
// ipc_parse_version: IPC_64 in cmd is an unknown command, EINVAL). cmd < 0 or shmid < 0
// EINVAL first; then
//   IPC_INFO          shmctl_ipc_info(): struct shminfo64 (shmmax, shmmin, shmmni, shmseg,
//                     shmall), EFAULT, the highest index in use (0 if none);
//   SHM_INFO          shmctl_shm_info(): struct shm_info (used_ids, shm_tot, shm_rss: pages
//                     present in the segments, shm_swp 0), EFAULT, the highest index;
//   IPC_STAT          shmctl_stat() by checked id: EINVAL, ipcperms(S_IRUGO) EACCES, struct
//                     shmid64_ds (zeroed first), EFAULT; 0;
//   SHM_STAT(_ANY)    the same by index (no sequence check; _ANY without the read check); the full id;
//   IPC_SET           copy_from_user(struct shmid64_ds) EFAULT, then shmctl_down();
//   IPC_RMID          shmctl_down(): ipcctl_obtain_check() (EINVAL, EPERM unless owner,
//                     creator or CAP_SYS_ADMIN); RMID do_shm_rmid() (attached: SHM_DEST and
//                     the key made IPC_PRIVATE, destroyed at the last detach; else now); SET
//                     ipc_update_perm() (EINVAL for uid/gid -1), shm_ctim;
//   SHM_LOCK/UNLOCK   shmctl_do_lock(): by checked id EINVAL; without CAP_IPC_LOCK, EPERM
//                     unless the caller's euid is the owner's or creator's, and SHM_LOCK with
//                     RLIMIT_MEMLOCK 0 EPERM; SHM_LOCK charges the caller's user with the
//                     segment's pages (shmem_lock -> user_shm_lock: past RLIMIT_MEMLOCK
//                     without CAP_IPC_LOCK ENOMEM) and sets SHM_LOCKED; SHM_UNLOCK gives the
//                     charge back. Locking only marks the segment (nothing is ever swapped here).
//   anything else     EINVAL.

import { IPC_INFO, IPC_RMID, IPC_SET, IPC_STAT, SHMMIN, SHMMNI, SHM_INFO, SHM_LOCK, SHM_STAT, SHM_STAT_ANY, SHM_UNLOCK } from '../abi.ts';
import { SHMID64_DS, SHMINFO64, SHM_INFO_STRUCT } from '../abi-structs.ts';
import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { AnonPages, syncOut } from '../memory/shared.ts';
import { CAP } from '../process/credentials.ts';
import { RLIMIT, RLIM_INFINITY } from '../process/limits.ts';
import { copyIn, copyOut, StructBuilder } from '../user-memory.ts';
import { ipcctlObtainCheck, ipcperms, ipcUpdatePerm, putIpc64Perm, readPermUpdate, S_IRUGO } from './namespace.ts';
import { realSeconds } from './msg.ts';
import { doShmRmid, SHM_LIMITS, SHM_LOCKED, shmStateOf, unlockCharge, type ShmSegment, type ShmState } from './shm.ts';

const U64_MAX = (1n << 64n) - 1n;

export function shmctl(k: SyscallContext): number {
  const shmid = k.i32(0);
  const cmd = k.i32(1);
  const buf = k.addr(2);
  if (cmd < 0 || shmid < 0) return -E.EINVAL;
  const ss = shmStateOf(k.state);
  switch (cmd) {
    case IPC_INFO: {
      const b = new StructBuilder(SHMINFO64.SIZE)
        .u64(SHMINFO64.shmmax, SHM_LIMITS.ctlmax)
        .u64(SHMINFO64.shmmin, BigInt(SHMMIN))
        .u64(SHMINFO64.shmmni, BigInt(SHM_LIMITS.ctlmni))
        .u64(SHMINFO64.shmseg, BigInt(SHMMNI))
        .u64(SHMINFO64.shmall, SHM_LIMITS.ctlall & U64_MAX);
      const maxIdx = ss.ids.getMaxIdx();
      copyOut(k.mem, buf, b);
      return maxIdx < 0 ? 0 : maxIdx;
    }
    case SHM_INFO: {
      // The running process's attachments hold what it wrote since it was switched in: out first, so shm_rss counts them.
      syncOut({ mem: k.mem, mm: k.state.mm });
      let rss = 0;
      for (const seg of ss.ids.all()) if (seg.obj.store instanceof AnonPages) rss += seg.obj.store.count;
      const b = new StructBuilder(SHM_INFO_STRUCT.SIZE)
        .u32(SHM_INFO_STRUCT.used_ids, ss.ids.inUse)
        .u64(SHM_INFO_STRUCT.shm_tot, ss.tot)
        .u64(SHM_INFO_STRUCT.shm_rss, BigInt(rss));
      const maxIdx = ss.ids.getMaxIdx();
      copyOut(k.mem, buf, b);
      return maxIdx < 0 ? 0 : maxIdx;
    }
    case SHM_STAT:
    case SHM_STAT_ANY:
    case IPC_STAT: {
      const shp = cmd === IPC_STAT ? ss.ids.obtainCheck(shmid) : ss.ids.obtain(shmid);
      if (typeof shp === 'number') return shp;
      if (cmd !== SHM_STAT_ANY && ipcperms(k.state.proc.creds, shp.perm, S_IRUGO)) return -E.EACCES;
      copyOut(k.mem, buf, shmid64(shp));
      return cmd === IPC_STAT ? 0 : shp.perm.id;
    }
    case IPC_SET: {
      const v = copyIn(k.mem, buf, SHMID64_DS.SIZE);
      return shmctlDown(k, ss, shmid, cmd, readPermUpdate(v, SHMID64_DS.shm_perm));
    }
    case IPC_RMID:
      return shmctlDown(k, ss, shmid, cmd, undefined);
    case SHM_LOCK:
    case SHM_UNLOCK:
      return shmctlDoLock(k, ss, shmid, cmd);
    default:
      return -E.EINVAL;
  }
}

function shmctlDown(k: SyscallContext, ss: ShmState, shmid: number, cmd: number, set: ReturnType<typeof readPermUpdate> | undefined): number {
  const shp = ipcctlObtainCheck(ss.ids, k.state.proc.creds, shmid);
  if (typeof shp === 'number') return shp;
  if (cmd === IPC_RMID) {
    doShmRmid(ss, shp);
    return 0;
  }
  const err = ipcUpdatePerm(set!, shp.perm);
  if (err) return err;
  shp.ctime = realSeconds(k.state);
  return 0;
}

function shmctlDoLock(k: SyscallContext, ss: ShmState, shmid: number, cmd: number): number {
  const shp = ss.ids.obtainCheck(shmid);
  if (typeof shp === 'number') return shp;
  const creds = k.state.proc.creds;
  const memlock = k.state.limits[RLIMIT.MEMLOCK].cur;
  if (!creds.capable(CAP.IPC_LOCK)) {
    const euid = creds.uid.e;
    if (euid !== shp.perm.uid && euid !== shp.perm.cuid) return -E.EPERM;
    if (cmd === SHM_LOCK && memlock === 0n) return -E.EPERM;
  }
  if (cmd === SHM_LOCK) {
    if (shp.mlockUser !== undefined) return 0; // shmem_lock: already VM_LOCKED, nothing charged again
    // user_shm_lock(): the user's locked pages plus these, against RLIMIT_MEMLOCK in pages, unless CAP_IPC_LOCK.
    const user = creds.uid.r;
    const locked = (ss.lockedPages.get(user) ?? 0n) + shp.pages;
    const limit = memlock >= RLIM_INFINITY ? undefined : memlock >> 12n;
    if (limit !== undefined && locked > limit && !creds.capable(CAP.IPC_LOCK)) return -E.ENOMEM;
    ss.lockedPages.set(user, locked);
    shp.mlockUser = user;
    shp.perm.mode |= SHM_LOCKED;
    return 0;
  }
  if (shp.perm.mode & SHM_LOCKED) unlockCharge(ss, shp);
  return 0;
}

/** struct shmid64_ds as shmctl_stat() fills it (zeroed first). */
function shmid64(shp: ShmSegment): StructBuilder {
  const b = new StructBuilder(SHMID64_DS.SIZE);
  putIpc64Perm(b, SHMID64_DS.shm_perm, shp.perm);
  return b
    .u64(SHMID64_DS.shm_segsz, shp.segsz)
    .u64(SHMID64_DS.shm_atime, shp.atime)
    .u64(SHMID64_DS.shm_dtime, shp.dtime)
    .u64(SHMID64_DS.shm_ctime, shp.ctime)
    .u32(SHMID64_DS.shm_cpid, shp.cprid)
    .u32(SHMID64_DS.shm_lpid, shp.lprid)
    .u64(SHMID64_DS.shm_nattch, BigInt(shp.nattch));
}
