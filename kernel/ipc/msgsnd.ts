// msgsnd(2), as Linux 6.1 ipc/msg.c ksys_msgsnd() / do_msgsnd(), checks in its order:
// get_user(mtype) EFAULT; msgsz > MSGMAX (or negative as a long) or msqid < 0 EINVAL;
// mtype < 1 EINVAL; load_msg() EFAULT; the queue (EINVAL: no such id); then, looping,
// ipcperms(S_IWUGO) EACCES, a removed queue EIDRM, and either room (the message goes to a
// waiting receiver, pipelined_send(), or to the tail of the queue) or IPC_NOWAIT EAGAIN or a
// wait until a receiver makes room. A signal ends the wait with -ERESTARTNOHAND (EINTR when
// a handler runs), checked after EIDRM, as do_msgsnd does after schedule().

import type { SyscallContext } from '../context.ts';
import { IPC_NOWAIT } from '../abi.ts';
import { MSGBUF } from '../abi-structs.ts';
import { E } from '../errno.ts';
import { ERESTARTNOHAND } from '../signal/restart.ts';
import { sleep } from '../sched/wait.ts';
import type { Thread } from '../sched/thread.ts';
import { copyIn } from '../user-memory.ts';
import { MSG_LIMITS } from './namespace.ts';
import { ipcperms, S_IWUGO } from './namespace.ts';
import { msgStateOf, pipelinedSend, realSeconds, wakeAll, type Msg, type MsgQueue, type Sender } from './msg.ts';

export function msgsnd(k: SyscallContext): number {
  const ms = msgStateOf(k.state);
  const t = k.state.thread.current;
  const msgflg = k.i32(3);
  // A re-executed wait: the queue and message it loaded before sleeping (do_msgsnd's loop).
  const waited = ms.sending.get(t);
  if (waited && t.wake !== undefined) {
    ms.sending.delete(t);
    if (waited.killed || waited.queue.perm.deleted) return -E.EIDRM;
    if (t.wake === 'signal' || t.sigpending) return -ERESTARTNOHAND;
    return sendLoop(k, waited.queue, waited.msg, msgflg, t);
  }
  ms.sending.delete(t);

  const msqid = k.i32(0);
  const msgp = k.addr(1);
  const msgsz = k.size(2);
  // ksys_msgsnd: get_user(mtype, &msgp->mtype)
  const mtype = copyIn(k.mem, msgp, 8).getBigInt64(0, true);
  if (msgsz > MSG_LIMITS.ctlmax || msqid < 0) return -E.EINVAL;
  if (mtype < 1n) return -E.EINVAL;
  // load_msg(mtext, msgsz)
  const text = msgsz === 0 ? new Uint8Array(0) : k.mem.read(msgp + MSGBUF.mtext, msgsz).slice();
  const q = ms.ids.obtainCheck(msqid);
  if (typeof q === 'number') return q;
  return sendLoop(k, q, { type: mtype, text }, msgflg, t);
}

function sendLoop(k: SyscallContext, q: MsgQueue, msg: Msg, msgflg: number, t: Thread): number {
  const ms = msgStateOf(k.state);
  const msgsz = msg.text.length;
  if (ipcperms(k.state.proc.creds, q.perm, S_IWUGO)) return -E.EACCES;
  if (q.perm.deleted) return -E.EIDRM;
  if (!q.fits(msgsz)) {
    if (msgflg & IPC_NOWAIT) return -E.EAGAIN;
    // schedule() returns at once with a signal pending: ss_del, then -ERESTARTNOHAND.
    if (t.sigpending) return -ERESTARTNOHAND;
    const s: Sender = { thread: t, queue: q, msgsz, msg, killed: false };
    q.senders.push(s);
    ms.sending.set(t, s);
    sleep(k.state.thread, {
      what: `msgsnd on queue ${q.perm.id}`,
      cancel: () => {
        const i = q.senders.indexOf(s);
        if (i >= 0) q.senders.splice(i, 1);
      },
    });
  }
  const now = realSeconds(k.state);
  q.lspid = k.state.pid;
  q.stime = now;
  const woken: Thread[] = [];
  if (!pipelinedSend(q, msg, now, woken)) {
    q.messages.push(msg);
    q.cbytes += msgsz;
    ms.bytes += msgsz;
    ms.hdrs++;
  }
  wakeAll(woken);
  return 0;
}
