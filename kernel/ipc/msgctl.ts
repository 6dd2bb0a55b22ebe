// msgctl(2), as Linux 6.1 ipc/msg.c ksys_msgctl() with IPC_64 (riscv64 has no
// ipc_parse_version: IPC_64 in cmd is an unknown command, EINVAL). msqid < 0 or cmd < 0
// EINVAL first; then
//   IPC_INFO, MSG_INFO   msgctl_info(): struct msginfo (MSG_INFO: queues, messages and bytes
//                        in use in msgpool, msgmap, msgtql), EFAULT, the highest index in use (0 if none);
//   IPC_STAT             msgctl_stat() by checked id: EINVAL, ipcperms(S_IRUGO) EACCES, struct msqid64_ds, EFAULT; 0;
//   MSG_STAT(_ANY)       the same by index (no sequence check; _ANY without the read check); the full id;
//   IPC_SET              copy_from_user(struct msqid64_ds) EFAULT, then msgctl_down();
//   IPC_RMID             msgctl_down(): ipcctl_obtain_check() (EINVAL, EPERM unless owner,
//                        creator or CAP_SYS_ADMIN); RMID freeque(); SET: msg_qbytes (an int)
//                        above MSGMNB needs CAP_SYS_RESOURCE (EPERM), ipc_update_perm()
//                        (EINVAL for uid/gid -1), then wakes receivers and senders to look again.

import type { SyscallContext } from '../context.ts';
import { IPC_INFO, IPC_RMID, IPC_SET, IPC_STAT, MSGMAP, MSGPOOL, MSGSEG, MSGSSZ, MSGTQL, MSG_INFO, MSG_STAT, MSG_STAT_ANY } from '../abi.ts';
import { MSGINFO, MSQID64_DS } from '../abi-structs.ts';
import { E } from '../errno.ts';
import { CAP } from '../process/credentials.ts';
import type { Thread } from '../sched/thread.ts';
import { copyIn, copyOut, StructBuilder } from '../user-memory.ts';
import { ipcctlObtainCheck, ipcperms, ipcUpdatePerm, MSG_LIMITS, putIpc64Perm, readPermUpdate, S_IRUGO } from './namespace.ts';
import { expungeAll, freeque, msgStateOf, realSeconds, ssWakeup, wakeAll, type MsgQueue, type MsgState } from './msg.ts';

const INT_MAX = 0x7fffffff;

export function msgctl(k: SyscallContext): number {
  const msqid = k.i32(0);
  const cmd = k.i32(1);
  const buf = k.addr(2);
  if (msqid < 0 || cmd < 0) return -E.EINVAL;
  const ms = msgStateOf(k.state);
  switch (cmd) {
    case IPC_INFO:
    case MSG_INFO: {
      const b = new StructBuilder(MSGINFO.SIZE)
        .u32(MSGINFO.msgmni, MSG_LIMITS.ctlmni)
        .u32(MSGINFO.msgmax, MSG_LIMITS.ctlmax)
        .u32(MSGINFO.msgmnb, MSG_LIMITS.ctlmnb)
        .u32(MSGINFO.msgssz, MSGSSZ)
        .u16(MSGINFO.msgseg, MSGSEG);
      if (cmd === MSG_INFO) {
        b.u32(MSGINFO.msgpool, ms.ids.inUse).u32(MSGINFO.msgmap, Math.min(ms.hdrs, INT_MAX)).u32(MSGINFO.msgtql, Math.min(ms.bytes, INT_MAX));
      } else {
        b.u32(MSGINFO.msgmap, MSGMAP).u32(MSGINFO.msgpool, MSGPOOL).u32(MSGINFO.msgtql, MSGTQL);
      }
      const maxIdx = ms.ids.getMaxIdx();
      copyOut(k.mem, buf, b);
      return maxIdx < 0 ? 0 : maxIdx;
    }
    case MSG_STAT:
    case MSG_STAT_ANY:
    case IPC_STAT: {
      const q = cmd === IPC_STAT ? ms.ids.obtainCheck(msqid) : ms.ids.obtain(msqid);
      if (typeof q === 'number') return q;
      if (cmd !== MSG_STAT_ANY && ipcperms(k.state.proc.creds, q.perm, S_IRUGO)) return -E.EACCES;
      copyOut(k.mem, buf, msqid64(q));
      return cmd === IPC_STAT ? 0 : q.perm.id;
    }
    case IPC_SET: {
      const v = copyIn(k.mem, buf, MSQID64_DS.SIZE);
      // msgctl_down(..., int msg_qbytes): the unsigned long is cut to an int.
      const qbytes = Number(BigInt.asIntN(32, v.getBigUint64(MSQID64_DS.msg_qbytes, true)));
      return msgctlDown(k, ms, msqid, cmd, { perm: readPermUpdate(v, MSQID64_DS.msg_perm), qbytes });
    }
    case IPC_RMID:
      return msgctlDown(k, ms, msqid, cmd, undefined);
    default:
      return -E.EINVAL;
  }
}

function msgctlDown(k: SyscallContext, ms: MsgState, msqid: number, cmd: number, set: { perm: ReturnType<typeof readPermUpdate>; qbytes: number } | undefined): number {
  const creds = k.state.proc.creds;
  const q = ipcctlObtainCheck(ms.ids, creds, msqid);
  if (typeof q === 'number') return q;
  if (cmd === IPC_RMID) {
    freeque(ms, q);
    return 0;
  }
  if (set!.qbytes > MSG_LIMITS.ctlmnb && !creds.capable(CAP.SYS_RESOURCE)) return -E.EPERM;
  const err = ipcUpdatePerm(set!.perm, q.perm);
  if (err) return err;
  q.qbytes = BigInt.asUintN(64, BigInt(set!.qbytes));
  q.ctime = realSeconds(k.state);
  const woken: Thread[] = [];
  // Sleeping receivers might be excluded by stricter permissions; senders may now fit.
  expungeAll(q, undefined, woken);
  ssWakeup(q, false, woken);
  wakeAll(woken);
  return 0;
}

/** struct msqid64_ds as msgctl_stat() fills it (zeroed first). */
function msqid64(q: MsgQueue): StructBuilder {
  const b = new StructBuilder(MSQID64_DS.SIZE);
  putIpc64Perm(b, MSQID64_DS.msg_perm, q.perm);
  return b
    .u64(MSQID64_DS.msg_stime, q.stime)
    .u64(MSQID64_DS.msg_rtime, q.rtime)
    .u64(MSQID64_DS.msg_ctime, q.ctime)
    .u64(MSQID64_DS.msg_cbytes, q.cbytes)
    .u64(MSQID64_DS.msg_qnum, q.qnum)
    .u64(MSQID64_DS.msg_qbytes, q.qbytes)
    .u32(MSQID64_DS.msg_lspid, q.lspid)
    .u32(MSQID64_DS.msg_lrpid, q.lrpid);
}
