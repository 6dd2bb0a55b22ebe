// System V message queues: the queue objects and their waiters (Linux 6.1 ipc/msg.c). The
// syscalls are msgget.ts, msgsnd.ts, msgrcv.ts and msgctl.ts.
//
// Waiting follows the scheduler's re-execution model (kernel/sched/wait.ts): a receiver or
// sender that must wait leaves a record (a struct msg_receiver / msg_sender) on the queue and
// sleeps; whoever makes progress fills the record in and wakes the thread, whose re-executed
// call reads the record before anything else. So, as in Linux, pipelined_send() hands a
// message straight to a waiting receiver (which then owns it even if a signal woke it first),
// freeque() ends every wait with EIDRM, and IPC_SET wakes everyone to look again.

import type { Credentials } from '../process/credentials.ts';
import type { KernelState } from '../state.ts';
import type { Thread } from '../sched/thread.ts';
import { wake } from '../sched/wait.ts';
import { NS_PER_SEC } from '../time/clock.ts';
import { E } from '../errno.ts';
import { IpcIds, ipcNamespace, MSG_LIMITS, newPerm, type IpcNamespace, type KernIpcPerm } from './namespace.ts';

/** struct msg_msg: its type and text (m_ts is the text's length). */
export interface Msg {
  type: bigint;
  text: Uint8Array;
}

/** The search modes of do_msgrcv (ipc/msg.c SEARCH_*). */
export const SEARCH_ANY = 1;
export const SEARCH_EQUAL = 2;
export const SEARCH_NOTEQUAL = 3;
export const SEARCH_LESSEQUAL = 4;
export const SEARCH_NUMBER = 5;

/** struct msg_receiver: a sleeping msgrcv. `result` is r_msg: undefined while it still waits (-EAGAIN in Linux). */
export interface Receiver {
  thread: Thread;
  /** The receiver's process (q_lrpid when a message is handed to it). */
  tgid: number;
  queue: MsgQueue;
  mode: number;
  msgtype: bigint;
  maxsize: number;
  result?: Msg | number;
}

/** struct msg_sender: a sleeping msgsnd, with the message it loaded before it slept. */
export interface Sender {
  thread: Thread;
  queue: MsgQueue;
  msgsz: number;
  msg: Msg;
  /** Set by freeque (ss_wakeup with kill): the queue is gone. */
  killed: boolean;
}

/** struct msg_queue. */
export class MsgQueue {
  stime = 0n;
  rtime = 0n;
  cbytes = 0;
  /** msg_qnum: the messages queued. */
  get qnum(): number {
    return this.messages.length;
  }
  /** unsigned long: IPC_SET can store a sign-extended int here (msgctl_down takes an int). */
  qbytes: bigint;
  lspid = 0;
  lrpid = 0;
  readonly messages: Msg[] = [];
  readonly receivers: Receiver[] = [];
  readonly senders: Sender[] = [];
  constructor(
    readonly perm: KernIpcPerm,
    public ctime: bigint,
    qbytes: number,
  ) {
    this.qbytes = BigInt(qbytes);
  }

  /** msg_fits_inqueue(). */
  fits(msgsz: number): boolean {
    return BigInt(msgsz + this.cbytes) <= this.qbytes && BigInt(1 + this.qnum) <= this.qbytes;
  }
}

/** The message-queue part of the namespace: ids, and percpu_msg_bytes / percpu_msg_hdrs. */
export class MsgState {
  readonly ids = new IpcIds<MsgQueue>();
  bytes = 0;
  hdrs = 0;
  /** The receiver or sender record of each sleeping thread, read when its call is re-executed. */
  readonly receiving = new WeakMap<Thread, Receiver>();
  readonly sending = new WeakMap<Thread, Sender>();
}

export function msgState(ns: IpcNamespace): MsgState {
  return ns.kind('msg', () => new MsgState());
}

export function msgStateOf(state: KernelState): MsgState {
  return msgState(ipcNamespace(state.procs));
}

/** ktime_get_real_seconds() on the virtual clock. */
export function realSeconds(state: KernelState): bigint {
  return state.clock.realtimeNs() / NS_PER_SEC;
}

/** newque(): a queue with the boot default q_qbytes (msg_ctlmnb); its id or -errno. */
export function newque(ms: MsgState, state: KernelState, creds: Credentials, key: number, msgflg: number): number {
  const q = new MsgQueue(newPerm(key, msgflg), realSeconds(state), MSG_LIMITS.ctlmnb);
  const idx = ms.ids.add(q, MSG_LIMITS.ctlmni, creds);
  if (idx < 0) return idx;
  return q.perm.id;
}

/** testmsg(). */
export function testmsg(msg: Msg, type: bigint, mode: number): boolean {
  switch (mode) {
    case SEARCH_ANY:
    case SEARCH_NUMBER:
      return true;
    case SEARCH_LESSEQUAL:
      return msg.type <= type;
    case SEARCH_EQUAL:
      return msg.type === type;
    case SEARCH_NOTEQUAL:
      return msg.type !== type;
  }
  return false;
}

/**
 * find_msg(): the message the mode selects, or -EAGAIN. SEARCH_LESSEQUAL takes the lowest
 * type (the first of them), narrowing `type` as it goes; SEARCH_NUMBER the type'th message.
 */
export function findMsg(q: MsgQueue, msgtyp: bigint, mode: number): Msg | number {
  let found: Msg | undefined;
  let type = msgtyp;
  let count = 0n;
  for (const msg of q.messages) {
    if (!testmsg(msg, type, mode)) continue;
    if (mode === SEARCH_LESSEQUAL && msg.type !== 1n) {
      type = msg.type - 1n;
      found = msg;
    } else if (mode === SEARCH_NUMBER) {
      if (type === count) return msg;
    } else return msg;
    count++;
  }
  return found ?? -E.EAGAIN;
}

/**
 * pipelined_send(): hand `msg` to the first waiting receiver it suits (E2BIG to one whose
 * buffer is too small, which is then woken and skipped); true when a receiver took it.
 */
export function pipelinedSend(q: MsgQueue, msg: Msg, now: bigint, woken: Thread[]): boolean {
  for (const r of [...q.receivers]) {
    if (!testmsg(msg, r.msgtype, r.mode)) continue;
    q.receivers.splice(q.receivers.indexOf(r), 1);
    if (r.maxsize < msg.text.length) {
      r.result = -E.E2BIG;
      woken.push(r.thread);
      continue;
    }
    q.lrpid = r.tgid;
    q.rtime = now;
    r.result = msg;
    woken.push(r.thread);
    return true;
  }
  return false;
}

/**
 * ss_wakeup(): with `kill` (freeque) every sender learns the queue is gone; otherwise the
 * senders whose message now fits are woken and the others move to the tail, in order.
 */
export function ssWakeup(q: MsgQueue, kill: boolean, woken: Thread[]): void {
  for (const s of [...q.senders]) {
    if (kill) {
      s.killed = true;
      woken.push(s.thread);
    } else if (!q.fits(s.msgsz)) {
      q.senders.splice(q.senders.indexOf(s), 1);
      q.senders.push(s);
    } else woken.push(s.thread);
  }
  if (kill) q.senders.length = 0;
}

/** expunge_all(): every receiver is woken with `res` (-EIDRM), or to look again (res undefined: Linux's -EAGAIN). */
export function expungeAll(q: MsgQueue, res: number | undefined, woken: Thread[]): void {
  for (const r of q.receivers) {
    r.result = res;
    woken.push(r.thread);
  }
  q.receivers.length = 0;
}

/** wake_up_q(). */
export function wakeAll(woken: Thread[]): void {
  for (const t of woken) wake(t, 'notified');
}

/** freeque(): waiters end with EIDRM, the id goes, the namespace's totals drop. */
export function freeque(ms: MsgState, q: MsgQueue): void {
  const woken: Thread[] = [];
  expungeAll(q, -E.EIDRM, woken);
  ssWakeup(q, true, woken);
  ms.ids.rmid(q);
  wakeAll(woken);
  ms.hdrs -= q.messages.length;
  ms.bytes -= q.cbytes;
  q.messages.length = 0;
}
