// System V semaphore sets: the arrays, their wait queues and undo lists (Linux 6.1 ipc/sem.c).
// The syscalls are semget.ts, semop.ts (semop, semtimedop) and semctl.ts.
//
// The queues are Linux's: a sleeping single-sop operation waits on its semaphore's
// pending_alter or pending_const list, a multi-sop ("complex") one on the array's lists, and
// while a complex operation sleeps every altering single op is merged into the array's list
// (merge_queues / unmerge_queues) so that they are tried in FIFO order. Whoever changes a
// value runs the queued operations that can now complete, on behalf of their sleepers
// (update_queue, wake_const_ops, do_smart_update), and wakes them with the result. So the
// order in which waiters get a semaphore is Linux's.
//
// SEM_UNDO: each process (its threads share one list, as CLONE_SYSVSEM does for glibc's
// threads; a forked child starts without one, copy_semundo) keeps a struct sem_undo per set
// it adjusted; exitSem() applies them when the process exits (exit_sem, called from
// kernel/process/exit-process.ts), clamping to [0, SEMVMX], and wakes whoever can then go on.

import type { Credentials } from '../process/credentials.ts';
import type { KernelState } from '../state.ts';
import type { Thread } from '../sched/thread.ts';
import { wake } from '../sched/wait.ts';
import { IPC_NOWAIT, SEMAEM, SEMVMX, SEM_UNDO } from '../abi.ts';
import { E } from '../errno.ts';
import { IpcIds, ipcNamespace, newPerm, SEM_LIMITS, type IpcNamespace, type KernIpcPerm } from './namespace.ts';
import { realSeconds } from './msg.ts';

/** struct sembuf. */
export interface Sembuf {
  num: number;
  op: number;
  flg: number;
}

/** struct sem. */
export interface Sem {
  semval: number;
  /** The tgid of the last process to change it (0: none). */
  sempid: number;
  readonly pendingAlter: SemQueue[];
  readonly pendingConst: SemQueue[];
  otime: bigint;
}

/** struct sem_undo: one process's adjustments to one set. semid -1 once the set is gone. */
export interface SemUndo {
  semid: number;
  readonly semadj: number[];
}

/** struct sem_queue: a sleeping semop. status stays -EINTR until a waker completes it. */
export interface SemQueue {
  thread: Thread;
  array: SemArray;
  undo: SemUndo | undefined;
  pid: number;
  status: number;
  sops: Sembuf[];
  blocking?: Sembuf;
  alter: boolean;
  dupsop: boolean;
  /** The list it waits on (undefined once unlinked). */
  list?: SemQueue[];
}

/** struct sem_array. */
export class SemArray {
  readonly pendingAlter: SemQueue[] = [];
  readonly pendingConst: SemQueue[] = [];
  /** list_id: the undo structures of every process for this set, newest first. */
  readonly undos: SemUndo[] = [];
  complexCount = 0;
  readonly sems: Sem[];
  constructor(
    readonly perm: KernIpcPerm,
    readonly nsems: number,
    public ctime: bigint,
  ) {
    this.sems = Array.from({ length: nsems }, () => ({ semval: 0, sempid: 0, pendingAlter: [], pendingConst: [], otime: 0n }));
  }
}

/** The semaphore part of the namespace: ids, used_sems and each process's undo list (sysvsem.undo_list). */
export class SemState {
  readonly ids = new IpcIds<SemArray>();
  usedSems = 0;
  /** pid -> list_proc (most recently used first). */
  readonly undoLists = new Map<number, SemUndo[]>();
  /** The queue entry of each sleeping thread, read when its call is re-executed. */
  readonly waiting = new WeakMap<Thread, SemQueue>();
}

export function semState(ns: IpcNamespace): SemState {
  return ns.kind('sem', () => new SemState());
}

export function semStateOf(state: KernelState): SemState {
  return semState(ipcNamespace(state.procs));
}

/** newary(): EINVAL for 0 semaphores, ENOSPC past SEMMNS in total or SEMMNI sets; the id. */
export function newary(ss: SemState, state: KernelState, creds: Credentials, key: number, nsems: number, semflg: number): number {
  if (!nsems) return -E.EINVAL;
  if (ss.usedSems + nsems > SEM_LIMITS.semmns) return -E.ENOSPC;
  const sma = new SemArray(newPerm(key, semflg), nsems, realSeconds(state));
  const idx = ss.ids.add(sma, SEM_LIMITS.semmni, creds);
  if (idx < 0) return idx;
  ss.usedSems += nsems;
  return sma.perm.id;
}

/** perform_atomic_semop_slow(): for operations that touch a semaphore twice (dupsop). */
function performAtomicSemopSlow(sma: SemArray, q: Pick<SemQueue, 'sops' | 'undo' | 'pid' | 'blocking'>): number {
  const { sops, undo: un } = q;
  let i = 0;
  let result = 0;
  let failed: 'block' | 'range' | undefined;
  for (; i < sops.length; i++) {
    const sop = sops[i];
    const curr = sma.sems[sop.num];
    result = curr.semval;
    if (!sop.op && result) {
      failed = 'block';
      break;
    }
    result += sop.op;
    if (result < 0) {
      failed = 'block';
      break;
    }
    if (result > SEMVMX) {
      failed = 'range';
      break;
    }
    if (sop.flg & SEM_UNDO) {
      const undo = un!.semadj[sop.num] - sop.op;
      if (undo < -SEMAEM - 1 || undo > SEMAEM) {
        failed = 'range';
        break;
      }
      un!.semadj[sop.num] = undo;
    }
    curr.semval = result;
  }
  if (!failed) {
    for (let j = sops.length - 1; j >= 0; j--) sma.sems[sops[j].num].sempid = q.pid;
    return 0;
  }
  let ret: number;
  if (failed === 'range') ret = -E.ERANGE;
  else {
    q.blocking = sops[i];
    ret = sops[i].flg & IPC_NOWAIT ? -E.EAGAIN : 1;
  }
  for (let j = i - 1; j >= 0; j--) {
    const sop = sops[j];
    sma.sems[sop.num].semval -= sop.op;
    if (sop.flg & SEM_UNDO) un!.semadj[sop.num] += sop.op;
  }
  return ret;
}

/** perform_atomic_semop(): 0 done, 1 would block, -EAGAIN (IPC_NOWAIT) or -ERANGE. */
export function performAtomicSemop(sma: SemArray, q: Pick<SemQueue, 'sops' | 'undo' | 'pid' | 'blocking' | 'dupsop'>): number {
  if (q.dupsop) return performAtomicSemopSlow(sma, q);
  const { sops, undo: un } = q;
  for (const sop of sops) {
    const result = sma.sems[sop.num].semval;
    if ((!sop.op && result) || result + sop.op < 0) {
      q.blocking = sop;
      return sop.flg & IPC_NOWAIT ? -E.EAGAIN : 1;
    }
    if (result + sop.op > SEMVMX) return -E.ERANGE;
    if (sop.flg & SEM_UNDO) {
      const undo = un!.semadj[sop.num] - sop.op;
      if (undo < -SEMAEM - 1 || undo > SEMAEM) return -E.ERANGE;
    }
  }
  for (const sop of sops) {
    const curr = sma.sems[sop.num];
    if (sop.flg & SEM_UNDO) un!.semadj[sop.num] -= sop.op;
    curr.semval += sop.op;
    curr.sempid = q.pid;
  }
  return 0;
}

/** unlink_queue(): off its list (idempotent). */
export function unlinkQueue(sma: SemArray, q: SemQueue): void {
  if (!q.list) return;
  const i = q.list.indexOf(q);
  if (i >= 0) q.list.splice(i, 1);
  q.list = undefined;
  if (q.sops.length > 1) sma.complexCount--;
}

/** merge_queues(): every per-semaphore pending_alter list spliced at the head of the array's. */
export function mergeQueues(sma: SemArray): void {
  for (const sem of sma.sems) {
    const moved = sem.pendingAlter.splice(0);
    for (const q of moved) q.list = sma.pendingAlter;
    sma.pendingAlter.unshift(...moved);
  }
}

/** unmerge_queues() (at every sem_unlock of the global lock): back to the per-semaphore lists once no complex op waits. */
export function unmergeQueues(sma: SemArray): void {
  if (sma.complexCount) return;
  for (const q of sma.pendingAlter.splice(0)) {
    const list = sma.sems[q.sops[0].num].pendingAlter;
    list.push(q);
    q.list = list;
  }
}

/** wake_up_sem_queue_prepare(): the result for the sleeper; woken after the update (wake_up_q). */
function wakePrepare(q: SemQueue, error: number, wakeQ: Thread[]): void {
  q.status = error;
  wakeQ.push(q.thread);
}

/** check_restart(). */
function checkRestart(sma: SemArray, q: SemQueue): boolean {
  return sma.pendingAlter.length > 0 || q.sops.length > 1;
}

/** wake_const_ops(): the wait-for-zero operations on `semnum` (-1: the array's complex ones) that can now complete. */
function wakeConstOps(sma: SemArray, semnum: number, wakeQ: Thread[]): boolean {
  const list = semnum === -1 ? sma.pendingConst : sma.sems[semnum].pendingConst;
  let completed = false;
  for (const q of [...list]) {
    const error = performAtomicSemop(sma, q);
    if (error > 0) continue;
    unlinkQueue(sma, q);
    wakePrepare(q, error, wakeQ);
    if (error === 0) completed = true;
  }
  return completed;
}

/** do_smart_wakeup_zero(). */
function doSmartWakeupZero(sma: SemArray, sops: Sembuf[] | undefined, wakeQ: Thread[]): boolean {
  let completed = false;
  let gotZero = false;
  const nums = sops ? sops.map((s) => s.num) : sma.sems.map((_, i) => i);
  for (const num of nums) {
    if (sma.sems[num].semval === 0) {
      gotZero = true;
      completed = wakeConstOps(sma, num, wakeQ) || completed;
    }
  }
  if (gotZero) completed = wakeConstOps(sma, -1, wakeQ) || completed;
  return completed;
}

/** update_queue(): the altering operations on `semnum` (-1: the array's list) that can now complete, FIFO. */
function updateQueue(sma: SemArray, semnum: number, wakeQ: Thread[]): boolean {
  const list = semnum === -1 ? sma.pendingAlter : sma.sems[semnum].pendingAlter;
  let completed = false;
  let i = 0;
  while (i < list.length) {
    if (semnum !== -1 && sma.sems[semnum].semval === 0) break;
    const q = list[i];
    const error = performAtomicSemop(sma, q);
    if (error > 0) {
      i++;
      continue;
    }
    unlinkQueue(sma, q);
    let restart = false;
    if (!error) {
      completed = true;
      doSmartWakeupZero(sma, q.sops, wakeQ);
      restart = checkRestart(sma, q);
    }
    wakePrepare(q, error, wakeQ);
    if (restart) i = 0;
  }
  return completed;
}

/** set_semotime(). */
export function setSemotime(sma: SemArray, sops: Sembuf[] | undefined, now: bigint): void {
  sma.sems[sops ? sops[0].num : 0].otime = now;
}

/** do_smart_update(): after values changed (sops undefined: any of them). */
export function doSmartUpdate(sma: SemArray, sops: Sembuf[] | undefined, otime: boolean, wakeQ: Thread[], now: bigint): void {
  otime = doSmartWakeupZero(sma, sops, wakeQ) || otime;
  if (sma.pendingAlter.length) otime = updateQueue(sma, -1, wakeQ) || otime;
  else if (!sops) for (let i = 0; i < sma.nsems; i++) otime = updateQueue(sma, i, wakeQ) || otime;
  else for (const sop of sops) if (sop.op > 0) otime = updateQueue(sma, sop.num, wakeQ) || otime;
  if (otime) setSemotime(sma, sops, now);
}

/** wake_up_q() after the array is unlocked (sem_unlock: unmerge_queues). */
export function finishUpdate(sma: SemArray, wakeQ: Thread[]): void {
  unmergeQueues(sma);
  for (const t of wakeQ) wake(t, 'notified');
}

/** get_semotime(). */
export function getSemotime(sma: SemArray): bigint {
  let res = sma.sems[0].otime;
  for (const s of sma.sems) if (s.otime > res) res = s.otime;
  return res;
}

/** count_semcnt(): how many wait for semaphore `semnum` to grow (GETNCNT) or to be zero (GETZCNT). */
export function countSemcnt(sma: SemArray, semnum: number, countZero: boolean): number {
  const sem = sma.sems[semnum];
  let n = (countZero ? sem.pendingConst : sem.pendingAlter).length;
  const checkQop = (q: SemQueue) => {
    const sop = q.blocking!;
    if (sop.num !== semnum) return 0;
    if (countZero && sop.op === 0) return 1;
    if (!countZero && sop.op < 0) return 1;
    return 0;
  };
  for (const q of sma.pendingAlter) n += checkQop(q);
  if (countZero) for (const q of sma.pendingConst) n += checkQop(q);
  return n;
}

/** freeary(): undo structures forgotten, every waiter ends with EIDRM, the id goes. */
export function freeary(ss: SemState, sma: SemArray): void {
  for (const un of sma.undos.splice(0)) {
    un.semid = -1;
    for (const list of ss.undoLists.values()) {
      const i = list.indexOf(un);
      if (i >= 0) list.splice(i, 1);
    }
  }
  const wakeQ: Thread[] = [];
  const lists = [sma.pendingConst, sma.pendingAlter, ...sma.sems.flatMap((s) => [s.pendingConst, s.pendingAlter])];
  for (const list of lists) {
    for (const q of [...list]) {
      unlinkQueue(sma, q);
      wakePrepare(q, -E.EIDRM, wakeQ);
    }
  }
  for (const s of sma.sems) s.sempid = 0;
  ss.ids.rmid(sma);
  for (const t of wakeQ) wake(t, 'notified');
  ss.usedSems -= sma.nsems;
}

/**
 * find_alloc_undo(): the caller's sem_undo for `semid`, moved to the front of its list, or
 * a new one (EINVAL when the set does not exist).
 */
export function findAllocUndo(ss: SemState, pid: number, semid: number): SemUndo | number {
  let ulp = ss.undoLists.get(pid);
  if (!ulp) {
    ulp = [];
    ss.undoLists.set(pid, ulp);
  }
  const i = ulp.findIndex((u) => u.semid === semid);
  if (i >= 0) {
    const [un] = ulp.splice(i, 1);
    ulp.unshift(un);
    return un;
  }
  const sma = ss.ids.obtainCheck(semid);
  if (typeof sma === 'number') return sma;
  const un: SemUndo = { semid, semadj: new Array<number>(sma.nsems).fill(0) };
  ulp.unshift(un);
  sma.undos.unshift(un);
  return un;
}

/**
 * exit_sem(): the exiting process's adjustments, most recently used set first, each value
 * clamped to [0, SEMVMX] (sempid the exiting process), then whoever can go on is woken.
 */
export function exitSem(state: KernelState): void {
  const ss = semStateOf(state);
  const ulp = ss.undoLists.get(state.pid);
  if (!ulp) return;
  ss.undoLists.delete(state.pid);
  while (ulp.length) {
    const un = ulp.shift()!;
    if (un.semid === -1) continue;
    const sma = ss.ids.obtainCheck(un.semid);
    if (typeof sma === 'number') continue;
    const j = sma.undos.indexOf(un);
    if (j >= 0) sma.undos.splice(j, 1);
    for (let i = 0; i < sma.nsems; i++) {
      const sem = sma.sems[i];
      if (un.semadj[i]) {
        sem.semval += un.semadj[i];
        if (sem.semval < 0) sem.semval = 0;
        if (sem.semval > SEMVMX) sem.semval = SEMVMX;
        sem.sempid = state.pid;
      }
    }
    const wakeQ: Thread[] = [];
    doSmartUpdate(sma, undefined, true, wakeQ, realSeconds(state));
    finishUpdate(sma, wakeQ);
  }
}
