// msgrcv(2), as Linux 6.1 ipc/msg.c do_msgrcv() with do_msg_fill(), checks in its order:
// msqid < 0 or msgsz negative as a long EINVAL; MSG_COPY with MSG_EXCEPT or without
// IPC_NOWAIT EINVAL, then prepare_copy() reads min(msgsz, MSGMAX) bytes at msgp (EFAULT);
// the queue (EINVAL); then, looping: ipcperms(S_IRUGO) EACCES, a removed queue EIDRM,
// find_msg() by msgtyp (0: the first; > 0: the first of that type, or of another type with
// MSG_EXCEPT; < 0: the lowest type <= |msgtyp|; MSG_COPY: the msgtyp'th message, left on the
// queue), a message longer than msgsz E2BIG unless MSG_NOERROR (which truncates), no message
// and IPC_NOWAIT ENOMSG, else a wait. While it waits a sender may hand it a message directly
// (pipelined_send: it then takes it even if a signal woke it too) or E2BIG; IPC_RMID ends it
// with EIDRM; a signal with -ERESTARTNOHAND (EINTR when a handler runs). The result is the
// number of bytes copied to mtext; mtype and mtext are written after the message left the
// queue (EFAULT then loses it, as in Linux).

import type { SyscallContext } from '../context.ts';
import { IPC_NOWAIT, MSG_COPY, MSG_EXCEPT, MSG_NOERROR } from '../abi.ts';
import { MSGBUF } from '../abi-structs.ts';
import { E } from '../errno.ts';
import { ERESTARTNOHAND } from '../signal/restart.ts';
import { sleep } from '../sched/wait.ts';
import type { Thread } from '../sched/thread.ts';
import { StructBuilder, copyOut } from '../user-memory.ts';
import { ipcperms, MSG_LIMITS, S_IRUGO } from './namespace.ts';
import { findMsg, msgStateOf, realSeconds, SEARCH_ANY, SEARCH_EQUAL, SEARCH_LESSEQUAL, SEARCH_NOTEQUAL, SEARCH_NUMBER, ssWakeup, wakeAll, type Msg, type MsgQueue, type Receiver } from './msg.ts';

const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);
const INT_MAX = 0x7fffffff;

/** convert_mode(): the search mode, and msgtyp made positive for SEARCH_LESSEQUAL. */
export function convertMode(msgtyp: bigint, msgflg: number): { mode: number; type: bigint } {
  if (msgflg & MSG_COPY) return { mode: SEARCH_NUMBER, type: msgtyp };
  if (msgtyp === 0n) return { mode: SEARCH_ANY, type: msgtyp };
  if (msgtyp < 0n) return { mode: SEARCH_LESSEQUAL, type: msgtyp === LONG_MIN ? LONG_MAX : -msgtyp };
  if (msgflg & MSG_EXCEPT) return { mode: SEARCH_NOTEQUAL, type: msgtyp };
  return { mode: SEARCH_EQUAL, type: msgtyp };
}

export function msgrcv(k: SyscallContext): number {
  const ms = msgStateOf(k.state);
  const t = k.state.thread.current;
  const msgp = k.addr(1);
  const bufsz = k.size(2);
  const msgflg = k.i32(4);
  const waited = ms.receiving.get(t);
  ms.receiving.delete(t);
  if (waited && t.wake !== undefined) {
    // The receiver record first (r_msg), then a signal, then look again (do_msgrcv's loop).
    const r = waited.result;
    if (r !== undefined) return typeof r === 'number' ? r : fill(k, msgp, r, bufsz);
    if (t.wake === 'signal' || t.sigpending) return -ERESTARTNOHAND;
    return receiveLoop(k, waited.queue, msgp, bufsz, waited.mode, waited.msgtype, msgflg, t, undefined);
  }

  const msqid = k.i32(0);
  if (msqid < 0 || BigInt.asIntN(64, k.big(2)) < 0n) return -E.EINVAL;
  let copyMax: number | undefined;
  if (msgflg & MSG_COPY) {
    if (msgflg & MSG_EXCEPT || !(msgflg & IPC_NOWAIT)) return -E.EINVAL;
    // prepare_copy() -> load_msg(buf, bufsz): it reads the caller's buffer (from msgp itself).
    copyMax = Math.min(bufsz, MSG_LIMITS.ctlmax);
    if (copyMax > 0) k.mem.read(msgp, copyMax);
  }
  const { mode, type } = convertMode(BigInt.asIntN(64, k.big(3)), msgflg);
  const q = ms.ids.obtainCheck(msqid);
  if (typeof q === 'number') return q;
  return receiveLoop(k, q, msgp, bufsz, mode, type, msgflg, t, copyMax);
}

function receiveLoop(k: SyscallContext, q: MsgQueue, msgp: number, bufsz: number, mode: number, msgtyp: bigint, msgflg: number, t: Thread, copyMax: number | undefined): number {
  const ms = msgStateOf(k.state);
  if (ipcperms(k.state.proc.creds, q.perm, S_IRUGO)) return -E.EACCES;
  if (q.perm.deleted) return -E.EIDRM;
  const found = findMsg(q, msgtyp, mode);
  if (typeof found !== 'number') {
    if (bufsz < found.text.length && !(msgflg & MSG_NOERROR)) return -E.E2BIG;
    // MSG_COPY: copy_msg() into the prepared copy, which is EINVAL when it is too small.
    if (msgflg & MSG_COPY) return found.text.length > copyMax! ? -E.EINVAL : fill(k, msgp, found, bufsz);
    q.messages.splice(q.messages.indexOf(found), 1);
    q.rtime = realSeconds(k.state);
    q.lrpid = k.state.pid;
    q.cbytes -= found.text.length;
    ms.bytes -= found.text.length;
    ms.hdrs--;
    const woken: Thread[] = [];
    ssWakeup(q, false, woken);
    wakeAll(woken);
    return fill(k, msgp, found, bufsz);
  }
  if (msgflg & IPC_NOWAIT) return -E.ENOMSG;
  // schedule() returns at once with a signal pending: list_del, then -ERESTARTNOHAND.
  if (t.sigpending) return -ERESTARTNOHAND;
  const r: Receiver = { thread: t, tgid: k.state.pid, queue: q, mode, msgtype: msgtyp, maxsize: msgflg & MSG_NOERROR ? INT_MAX : bufsz };
  q.receivers.push(r);
  ms.receiving.set(t, r);
  sleep(k.state.thread, {
    what: `msgrcv on queue ${q.perm.id}`,
    cancel: () => {
      const i = q.receivers.indexOf(r);
      if (i >= 0) q.receivers.splice(i, 1);
    },
  });
}

/** do_msg_fill(): put_user(mtype), then min(bufsz, m_ts) bytes of text; their count. */
function fill(k: SyscallContext, msgp: number, msg: Msg, bufsz: number): number {
  copyOut(k.mem, msgp, new StructBuilder(8).u64(0, msg.type));
  const n = Math.min(bufsz, msg.text.length);
  if (n > 0) copyOut(k.mem, msgp + MSGBUF.mtext, msg.text.subarray(0, n));
  return n;
}
