// semop(2) and semtimedop(2), as Linux 6.1 ipc/sem.c ksys_semtimedop() / do_semtimedop() /
// __do_semtimedop(), checks in their order: the timeout is read first (EFAULT); nsops >
// SEMOPM E2BIG, nsops < 1 EINVAL; the sembuf array is read (EFAULT); semid < 0 EINVAL; an
// invalid timespec EINVAL; with SEM_UNDO anywhere, find_alloc_undo() (EINVAL: no such set);
// the set (EINVAL); a semaphore number past the set EFBIG; ipcperms (S_IWUGO if any sem_op
// is non-zero, else S_IRUGO) EACCES; an undo structure of a set removed meanwhile EIDRM. Then
// perform_atomic_semop(): all or nothing — ERANGE past SEMVMX or past the undo range
// (SEMAEM), EAGAIN with IPC_NOWAIT on the operation that would block — or the caller waits
// on the set's queues (sem.ts) until a waker completes its operations (0), the set is removed
// (EIDRM), the timeout passes on the virtual clock (semtimedop: EAGAIN) or a signal comes
// (EINTR: __do_semtimedop returns -EINTR itself, so, unlike msgrcv, the call is never restarted,
// SA_RESTART or not).

import type { SyscallContext } from '../context.ts';
import { SEM_UNDO } from '../abi.ts';
import { SEMBUF, TIMESPEC } from '../abi-structs.ts';
import { E } from '../errno.ts';
import { deadlineIn, sleep } from '../sched/wait.ts';
import type { Thread } from '../sched/thread.ts';
import { NS_PER_SEC } from '../time/clock.ts';
import { copyIn } from '../user-memory.ts';
import { ipcperms, SEM_LIMITS, S_IRUGO, S_IWUGO } from './namespace.ts';
import { realSeconds } from './msg.ts';
import { doSmartUpdate, findAllocUndo, finishUpdate, mergeQueues, performAtomicSemop, semStateOf, setSemotime, unlinkQueue, unmergeQueues, type SemQueue, type Sembuf, type SemUndo } from './sem.ts';

export function semop(k: SyscallContext): number {
  return doSemtimedop(k, undefined);
}

export function semtimedop(k: SyscallContext): number {
  const timeout = k.addr(3);
  if (!timeout) return doSemtimedop(k, undefined);
  // get_timespec64()
  const ts = copyIn(k.mem, timeout, TIMESPEC.SIZE);
  return doSemtimedop(k, { sec: ts.getBigInt64(TIMESPEC.tv_sec, true), nsec: ts.getBigInt64(TIMESPEC.tv_nsec, true) });
}

function doSemtimedop(k: SyscallContext, timeout: { sec: bigint; nsec: bigint } | undefined): number {
  const ss = semStateOf(k.state);
  const t = k.state.thread.current;
  // A re-executed wait: the queue entry (queue.status), then a timeout, then the signal.
  const q = ss.waiting.get(t);
  ss.waiting.delete(t);
  if (q && t.wake !== undefined) {
    unlinkQueue(q.array, q);
    unmergeQueues(q.array);
    if (q.status !== -E.EINTR) return q.status;
    if (t.wake === 'timeout') return -E.EAGAIN;
    return -E.EINTR;
  }

  const semid = k.i32(0);
  const tsops = k.addr(1);
  const nsops = k.u32(2);
  if (nsops > SEM_LIMITS.semopm) return -E.E2BIG;
  if (nsops < 1) return -E.EINVAL;
  const raw = copyIn(k.mem, tsops, nsops * SEMBUF.SIZE);
  const sops: Sembuf[] = [];
  for (let i = 0; i < nsops; i++) {
    const o = i * SEMBUF.SIZE;
    sops.push({ num: raw.getUint16(o + SEMBUF.sem_num, true), op: raw.getInt16(o + SEMBUF.sem_op, true), flg: raw.getInt16(o + SEMBUF.sem_flg, true) });
  }
  // __do_semtimedop
  if (semid < 0) return -E.EINVAL;
  let deadline: bigint | undefined;
  if (timeout) {
    // timespec64_valid(): tv_sec >= 0 and (unsigned) tv_nsec < NSEC_PER_SEC
    if (timeout.sec < 0n || BigInt.asUintN(64, timeout.nsec) >= NS_PER_SEC) return -E.EINVAL;
    deadline = deadlineIn(k.state, timeout.sec * NS_PER_SEC + timeout.nsec);
  }
  let max = 0;
  let undos = false;
  let alter = false;
  let dupsop = false;
  let dup = 0n;
  for (const sop of sops) {
    const mask = 1n << BigInt(sop.num % 64);
    if (sop.num >= max) max = sop.num;
    if (sop.flg & SEM_UNDO) undos = true;
    if (dup & mask) dupsop = true;
    if (sop.op !== 0) {
      alter = true;
      dup |= mask;
    }
  }
  let un: SemUndo | undefined;
  if (undos) {
    const u = findAllocUndo(ss, k.state.pid, semid);
    if (typeof u === 'number') return u;
    un = u;
  }
  const sma = ss.ids.obtainCheck(semid);
  if (typeof sma === 'number') return sma;
  if (max >= sma.nsems) return -E.EFBIG;
  if (ipcperms(k.state.proc.creds, sma.perm, alter ? S_IWUGO : S_IRUGO)) return -E.EACCES;
  if (un && un.semid === -1) return -E.EIDRM;

  const queue: SemQueue = { thread: t, array: sma, undo: un, pid: k.state.pid, status: -E.EINTR, sops, alter, dupsop };
  const error = performAtomicSemop(sma, queue);
  if (error === 0) {
    const wakeQ: Thread[] = [];
    const now = realSeconds(k.state);
    if (alter) doSmartUpdate(sma, sops, true, wakeQ, now);
    else setSemotime(sma, sops, now);
    finishUpdate(sma, wakeQ);
    return 0;
  }
  if (error < 0) return error;

  // Sleep: an expired timeout or a pending signal ends the wait at once (schedule_hrtimeout).
  if (deadline !== undefined && deadline <= k.state.clock.monotonicNs()) return -E.EAGAIN;
  if (t.sigpending) return -E.EINTR;
  if (nsops === 1) {
    const curr = sma.sems[sops[0].num];
    queue.list = alter ? (sma.complexCount ? sma.pendingAlter : curr.pendingAlter) : curr.pendingConst;
  } else {
    if (!sma.complexCount) mergeQueues(sma);
    queue.list = alter ? sma.pendingAlter : sma.pendingConst;
    sma.complexCount++;
  }
  queue.list.push(queue);
  ss.waiting.set(t, queue);
  sleep(k.state.thread, {
    what: `semop on set ${sma.perm.id}`,
    deadline,
    cancel: () => {
      unlinkQueue(sma, queue);
      unmergeQueues(sma);
    },
  });
}
