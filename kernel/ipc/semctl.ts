// semctl(2), as Linux 6.1 ipc/sem.c ksys_semctl() with IPC_64 (riscv64 has no
// ipc_parse_version: IPC_64 in cmd is an unknown command, EINVAL). semid < 0 EINVAL first; then
//   IPC_INFO, SEM_INFO     semctl_info(): struct seminfo (SEM_INFO: sets in semusz, semaphores in semaem), EFAULT; the highest index (0 if none);
//   IPC_STAT               semctl_stat() by checked id: EINVAL, ipcperms(S_IRUGO) EACCES, struct semid64_ds, EFAULT; 0;
//   SEM_STAT(_ANY)         the same by index (_ANY without the read check); the full id;
//   GETALL, SETALL,        semctl_main(): the set (EINVAL), ipcperms (S_IWUGO for SETALL) EACCES;
//   GETVAL, GETPID,        GETALL copies nsems ushorts out (EFAULT); SETALL reads them (EFAULT),
//   GETNCNT, GETZCNT       ERANGE past SEMVMX, sets every value, clears every undo adjustment and
//                          wakes whoever can go on; the others check semnum (EINVAL) and answer
//                          the value, the last pid, or how many wait for it to grow / be zero;
//   SETVAL                 semctl_setval(): the int in arg (ERANGE outside 0..SEMVMX) checked first,
//                          then the set (EINVAL), semnum (EINVAL), ipcperms(S_IWUGO) EACCES;
//   IPC_SET                copy_from_user(struct semid64_ds) EFAULT, then as IPC_RMID: semctl_down():
//   IPC_RMID               ipcctl_obtain_check() (EINVAL, EPERM unless owner, creator or
//                          CAP_SYS_ADMIN); RMID freeary() (waiters EIDRM); SET ipc_update_perm().

import type { SyscallContext } from '../context.ts';
import {
  GETALL, GETNCNT, GETPID, GETVAL, GETZCNT, IPC_INFO, IPC_RMID, IPC_SET, IPC_STAT, SEMAEM, SEMMAP, SEMMNU, SEMUME, SEMUSZ, SEMVMX,
  SEM_INFO, SEM_STAT, SEM_STAT_ANY, SETALL, SETVAL,
} from '../abi.ts';
import { SEMID64_DS, SEMINFO } from '../abi-structs.ts';
import { E } from '../errno.ts';
import type { Thread } from '../sched/thread.ts';
import { copyIn, copyOut, StructBuilder } from '../user-memory.ts';
import { ipcctlObtainCheck, ipcperms, ipcUpdatePerm, putIpc64Perm, readPermUpdate, SEM_LIMITS, S_IRUGO, S_IWUGO } from './namespace.ts';
import { realSeconds } from './msg.ts';
import { countSemcnt, doSmartUpdate, finishUpdate, freeary, getSemotime, semStateOf, type SemArray, type SemState } from './sem.ts';

export function semctl(k: SyscallContext): number {
  const semid = k.i32(0);
  const semnum = k.i32(1);
  const cmd = k.i32(2);
  const p = k.addr(3);
  if (semid < 0) return -E.EINVAL;
  const ss = semStateOf(k.state);
  switch (cmd) {
    case IPC_INFO:
    case SEM_INFO:
      return semctlInfo(k, ss, cmd, p);
    case IPC_STAT:
    case SEM_STAT:
    case SEM_STAT_ANY: {
      const sma = cmd === IPC_STAT ? ss.ids.obtainCheck(semid) : ss.ids.obtain(semid);
      if (typeof sma === 'number') return sma;
      if (cmd !== SEM_STAT_ANY && ipcperms(k.state.proc.creds, sma.perm, S_IRUGO)) return -E.EACCES;
      const b = new StructBuilder(SEMID64_DS.SIZE);
      putIpc64Perm(b, SEMID64_DS.sem_perm, sma.perm);
      b.u64(SEMID64_DS.sem_otime, getSemotime(sma)).u64(SEMID64_DS.sem_ctime, sma.ctime).u64(SEMID64_DS.sem_nsems, sma.nsems);
      copyOut(k.mem, p, b);
      return cmd === IPC_STAT ? 0 : sma.perm.id;
    }
    case GETALL:
    case GETVAL:
    case GETPID:
    case GETNCNT:
    case GETZCNT:
    case SETALL:
      return semctlMain(k, ss, semid, semnum, cmd, p);
    case SETVAL:
      // the low 32 bits of arg (little-endian 64-bit: val = arg)
      return semctlSetval(k, ss, semid, semnum, k.i32(3));
    case IPC_SET: {
      const v = copyIn(k.mem, p, SEMID64_DS.SIZE);
      return semctlDown(k, ss, semid, cmd, v);
    }
    case IPC_RMID:
      return semctlDown(k, ss, semid, cmd, undefined);
    default:
      return -E.EINVAL;
  }
}

function semctlInfo(k: SyscallContext, ss: SemState, cmd: number, p: number): number {
  const b = new StructBuilder(SEMINFO.SIZE)
    .u32(SEMINFO.semmni, SEM_LIMITS.semmni)
    .u32(SEMINFO.semmns, SEM_LIMITS.semmns)
    .u32(SEMINFO.semmsl, SEM_LIMITS.semmsl)
    .u32(SEMINFO.semopm, SEM_LIMITS.semopm)
    .u32(SEMINFO.semvmx, SEMVMX)
    .u32(SEMINFO.semmnu, SEMMNU)
    .u32(SEMINFO.semmap, SEMMAP)
    .u32(SEMINFO.semume, SEMUME);
  if (cmd === SEM_INFO) b.u32(SEMINFO.semusz, ss.ids.inUse).u32(SEMINFO.semaem, ss.usedSems);
  else b.u32(SEMINFO.semusz, SEMUSZ).u32(SEMINFO.semaem, SEMAEM);
  const maxIdx = ss.ids.getMaxIdx();
  copyOut(k.mem, p, b);
  return maxIdx < 0 ? 0 : maxIdx;
}

function semctlSetval(k: SyscallContext, ss: SemState, semid: number, semnum: number, val: number): number {
  if (val > SEMVMX || val < 0) return -E.ERANGE;
  const sma = ss.ids.obtainCheck(semid);
  if (typeof sma === 'number') return sma;
  if (semnum < 0 || semnum >= sma.nsems) return -E.EINVAL;
  if (ipcperms(k.state.proc.creds, sma.perm, S_IWUGO)) return -E.EACCES;
  for (const un of sma.undos) un.semadj[semnum] = 0;
  const curr = sma.sems[semnum];
  curr.semval = val;
  curr.sempid = k.state.pid;
  return valuesChanged(k, sma);
}

function semctlMain(k: SyscallContext, ss: SemState, semid: number, semnum: number, cmd: number, p: number): number {
  const sma = ss.ids.obtainCheck(semid);
  if (typeof sma === 'number') return sma;
  const nsems = sma.nsems;
  if (ipcperms(k.state.proc.creds, sma.perm, cmd === SETALL ? S_IWUGO : S_IRUGO)) return -E.EACCES;
  if (cmd === GETALL) {
    const b = new StructBuilder(nsems * 2);
    sma.sems.forEach((s, i) => b.u16(i * 2, s.semval));
    copyOut(k.mem, p, b);
    return 0;
  }
  if (cmd === SETALL) return setall(k, sma, p);
  if (semnum < 0 || semnum >= nsems) return -E.EINVAL;
  const curr = sma.sems[semnum];
  switch (cmd) {
    case GETVAL:
      return curr.semval;
    case GETPID:
      return curr.sempid;
    case GETNCNT:
      return countSemcnt(sma, semnum, false);
    default: // GETZCNT
      return countSemcnt(sma, semnum, true);
  }
}

function setall(k: SyscallContext, sma: SemArray, p: number): number {
  const nsems = sma.nsems;
  const v = copyIn(k.mem, p, nsems * 2);
  const vals: number[] = [];
  for (let i = 0; i < nsems; i++) {
    const x = v.getUint16(i * 2, true);
    if (x > SEMVMX) return -E.ERANGE;
    vals.push(x);
  }
  vals.forEach((x, i) => {
    sma.sems[i].semval = x;
    sma.sems[i].sempid = k.state.pid;
  });
  for (const un of sma.undos) un.semadj.fill(0);
  return valuesChanged(k, sma);
}

function semctlDown(k: SyscallContext, ss: SemState, semid: number, cmd: number, v: DataView | undefined): number {
  const sma = ipcctlObtainCheck(ss.ids, k.state.proc.creds, semid);
  if (typeof sma === 'number') return sma;
  if (cmd === IPC_RMID) {
    freeary(ss, sma);
    return 0;
  }
  const err = ipcUpdatePerm(readPermUpdate(v!, SEMID64_DS.sem_perm), sma.perm);
  if (err) return err;
  sma.ctime = realSeconds(k.state);
  return 0;
}

/** SETVAL/SETALL: ctime, then the sleepers the new values let go (do_smart_update). */
function valuesChanged(k: SyscallContext, sma: Parameters<typeof doSmartUpdate>[0]): number {
  const now = realSeconds(k.state);
  sma.ctime = now;
  const wakeQ: Thread[] = [];
  doSmartUpdate(sma, undefined, false, wakeQ, now);
  finishUpdate(sma, wakeQ);
  return 0;
}
