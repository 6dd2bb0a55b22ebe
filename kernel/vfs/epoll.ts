// epoll_create1 / epoll_ctl / epoll_pwait / epoll_pwait2 (fs/eventpoll.c).
//
// An interest item is keyed by (file, fd) as in Linux and dropped when its file is closed
// for good. Readiness is the file's poll(); a file's WaitQueue notification marks its items
// "woken" and appends them to the ready list, whose order is the report order:
//   level-triggered items stay in the list (moved to its end) while ready;
//   EPOLLET items are reported once per wakeup;
//   EPOLLONESHOT items are disabled after one report until EPOLL_CTL_MOD.
// Wakeups are "the file's state may have changed" — slightly more often than Linux's
// per-event-mask wakeups, which only an edge-triggered watcher could notice.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { SyscallErrno, fail } from '../errors.ts';
import { ERESTARTSYS } from '../signal/restart.ts';
import { SIGSET_SIZE } from '../signal/signal-state.ts';
import { NS_PER_SEC } from '../time/clock.ts';
import { accessOk, copyIn, copyOut, StructBuilder } from '../user-memory.ts';
import { AnonFile } from './anon.ts';
import { O_CLOEXEC, O_RDWR, POLLERR, POLLHUP, POLLIN, POLLRDNORM } from './constants.ts';
import type { VfsEnv } from './env.ts';
import type { OpenFile } from './file.ts';
import { fileOf, nofileLimit } from './fd-util.ts';
import { WaitQueue } from './wait.ts';
// EPOLLET is 0x80000000; every use here is bitwise, so int32 -2^31 and it agree.
import { EPOLLERR, EPOLLET, EPOLLEXCLUSIVE, EPOLLHUP, EPOLLIN, EPOLLOUT, EPOLLRDNORM, EPOLLWRNORM, EPOLLONESHOT, EPOLLWAKEUP, EPOLL_CTL_ADD, EPOLL_CTL_DEL, EPOLL_CTL_MOD } from '../abi.ts';
import { EPOLL_EVENT } from '../abi-structs.ts';

/** Bits that only steer epoll itself (EP_PRIVATE_BITS). */
const PRIVATE_BITS = EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE;
/** Events EPOLLEXCLUSIVE may be combined with (EPOLLEXCLUSIVE_OK_BITS). */
const EXCLUSIVE_OK = EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLRDNORM | EPOLLWRNORM | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE;
/** EP_MAX_EVENTS = INT_MAX / sizeof(struct epoll_event). */
const EP_MAX_EVENTS = Math.floor(0x7fffffff / EPOLL_EVENT.SIZE);

interface Item {
  fd: number;
  file: OpenFile;
  events: number;
  data: bigint;
  unlisten: () => void;
}

export class Epoll extends AnonFile {
  private readonly items: Item[] = [];
  private ready: Item[] = [];
  private readonly waiters = new WaitQueue();

  constructor(env: VfsEnv, flags: number) {
    super(env, '[eventpoll]', flags);
  }

  private find(file: OpenFile, fd: number): Item | undefined {
    return this.items.find((i) => i.file === file && i.fd === fd);
  }
  private wake(item: Item): void {
    if (!this.ready.includes(item)) this.ready.push(item);
    this.waiters.notify();
  }
  private remove(item: Item): void {
    item.unlisten();
    this.items.splice(this.items.indexOf(item), 1);
    this.ready = this.ready.filter((i) => i !== item);
  }

  ctl(op: number, fd: number, file: OpenFile, events: number, data: bigint): void {
    const item = this.find(file, fd);
    switch (op) {
      case EPOLL_CTL_ADD: {
        if (item) fail('EEXIST');
        const added: Item = { fd, file, events: events | POLLERR | POLLHUP, data, unlisten: () => false };
        added.unlisten = file.queue?.listen(() => this.wake(added)) ?? (() => false);
        this.items.push(added);
        this.wake(added); // ep_insert: reported if already ready
        return;
      }
      case EPOLL_CTL_DEL:
        if (!item) fail('ENOENT');
        this.remove(item);
        return;
      case EPOLL_CTL_MOD:
        if (!item) fail('ENOENT');
        if (item.events & EPOLLEXCLUSIVE) fail('EINVAL');
        item.events = events | POLLERR | POLLHUP;
        item.data = data;
        this.wake(item);
        return;
      default:
        fail('EINVAL');
    }
  }

  /** Ready events, at most max; items of closed files are dropped first. */
  collect(max: number): { events: number; data: bigint }[] {
    for (const item of [...this.items]) if (item.file.closed) this.remove(item);
    const out: { events: number; data: bigint }[] = [];
    const requeue: Item[] = [];
    const pending = this.ready;
    this.ready = [];
    while (pending.length && out.length < max) {
      const item = pending.shift()!;
      const wanted = item.events & ~PRIVATE_BITS;
      const revents = wanted ? item.file.poll() & wanted : 0;
      if (!revents) continue;
      out.push({ events: revents, data: item.data });
      if (item.events & EPOLLONESHOT) item.events &= PRIVATE_BITS;
      else if (!(item.events & EPOLLET)) requeue.push(item);
    }
    // Unreported items keep their place at the head, level-triggered ones go to the tail.
    this.ready = [...pending, ...requeue];
    return out;
  }

  override get pollable(): boolean {
    return true;
  }
  override poll(): number {
    const anyReady = this.ready.some((i) => {
      const wanted = i.events & ~PRIVATE_BITS;
      return !i.file.closed && wanted && i.file.poll() & wanted;
    });
    return anyReady ? POLLIN | POLLRDNORM : 0;
  }
  override get queue(): WaitQueue {
    return this.waiters;
  }
  isEpoll(): true {
    return true;
  }
  protected override released(): void {
    for (const item of [...this.items]) this.remove(item);
  }
}

export function epoll_create1(k: SyscallContext): number {
  const flags = k.i32(0);
  if (flags & ~O_CLOEXEC) return -E.EINVAL;
  return k.state.fds.allocate(new Epoll(k.state.vfs, O_RDWR), nofileLimit(k), (flags & O_CLOEXEC) !== 0);
}

export function epoll_ctl(k: SyscallContext): number {
  const epfd = k.i32(0);
  const op = k.i32(1);
  const fd = k.i32(2);
  let events = 0;
  let data = 0n;
  if (op === EPOLL_CTL_ADD || op === EPOLL_CTL_MOD) {
    const ev = copyIn(k.mem, k.addr(3), EPOLL_EVENT.SIZE); // struct epoll_event __user *event
    events = ev.getUint32(0, true) | 0;
    data = ev.getBigUint64(8, true);
  }
  const ep = fileOf(k, epfd);
  const target = fileOf(k, fd);
  if (!target.pollable) return -E.EPERM;
  if (ep === target || !(ep instanceof Epoll)) return -E.EINVAL;
  if ((op === EPOLL_CTL_ADD || op === EPOLL_CTL_MOD) && events & EPOLLEXCLUSIVE) {
    if (op === EPOLL_CTL_MOD) return -E.EINVAL;
    if (target instanceof Epoll || events & ~EXCLUSIVE_OK) return -E.EINVAL;
  }
  ep.ctl(op, fd, target, events, data);
  return 0;
}

/** Shared by epoll_pwait and epoll_pwait2: timeoutNs undefined = wait forever. */
function epollWait(k: SyscallContext, timeoutNs: bigint | undefined): number {
  const epfd = k.i32(0);
  const events = k.addr(1); // struct epoll_event __user *events
  const max = k.i32(2);
  if (max <= 0 || max > EP_MAX_EVENTS) return -E.EINVAL;
  if (!accessOk(events, max * EPOLL_EVENT.SIZE)) return -E.EFAULT;
  const ep = fileOf(k, epfd);
  if (!(ep instanceof Epoll)) return -E.EINVAL;
  for (;;) {
    const ready = ep.collect(max);
    if (ready.length) {
      // epoll_put_uevent() (include/linux/eventpoll.h): __put_user of events, then of data;
      // the 4 bytes of padding between them are left as they were.
      ready.forEach((e, i) => {
        copyOut(k.mem, events + i * EPOLL_EVENT.SIZE + EPOLL_EVENT.events, new StructBuilder(4).u32(0, e.events));
        copyOut(k.mem, events + i * EPOLL_EVENT.SIZE + EPOLL_EVENT.data, new StructBuilder(8).u64(0, e.data));
      });
      return ready.length;
    }
    if (timeoutNs === 0n) return 0;
    if (waitForEvents(k, ep, timeoutNs) === 'timeout') return 0;
  }
}

/**
 * ep_poll()'s sleep. A signal ends it with -EINTR itself (`if (signal_pending(current)) return
 * -EINTR;`), not the blocker's -ERESTARTSYS: the call is never restarted, whether a handler
 * runs (SA_RESTART or not) or none does — epoll_wait is on signal(7)'s list of interfaces
 * never restarted after a handler — and do_epoll_pwait() then keeps the temporary mask only
 * for EINTR (restore_saved_sigmask_unless(error == -EINTR)).
 */
function waitForEvents(k: SyscallContext, ep: Epoll, timeoutNs: bigint | undefined): 'timeout' {
  try {
    return k.state.vfs.blocker.block([ep.queue], timeoutNs, 'epoll_pwait with nothing ready');
  } catch (e) {
    if (e instanceof SyscallErrno && e.errno === ERESTARTSYS) throw new SyscallErrno(E.EINTR);
    throw e;
  }
}

/** set_user_sigmask(): the temporary mask is checked (size, readable) though never used. */
export function checkSigmask(k: SyscallContext, addr: number, size: number): void {
  if (!addr) return;
  if (size !== SIGSET_SIZE) fail('EINVAL');
  copyIn(k.mem, addr, SIGSET_SIZE);
}

// epoll_pwait(int epfd, struct epoll_event __user *events, int maxevents, int timeout,
//   const sigset_t __user *sigmask, size_t sigsetsize)
export function epoll_pwait(k: SyscallContext): number {
  checkSigmask(k, k.addr(4), k.size(5));
  const ms = k.i32(3);
  return epollWait(k, ms < 0 ? undefined : BigInt(ms) * 1_000_000n);
}

// epoll_pwait2(int epfd, struct epoll_event __user *events, int maxevents,
//   const struct __kernel_timespec __user *timeout, const sigset_t __user *sigmask, size_t sigsetsize)
export function epoll_pwait2(k: SyscallContext): number {
  const tsAddr = k.addr(3);
  let timeoutNs: bigint | undefined;
  if (tsAddr) {
    const ts = copyIn(k.mem, tsAddr, 16);
    const sec = ts.getBigInt64(0, true);
    const nsec = ts.getBigInt64(8, true);
    if (sec < 0n || nsec < 0n || nsec >= NS_PER_SEC) return -E.EINVAL;
    timeoutNs = sec * NS_PER_SEC + nsec;
  }
  checkSigmask(k, k.addr(4), k.size(5));
  return epollWait(k, timeoutNs);
}
