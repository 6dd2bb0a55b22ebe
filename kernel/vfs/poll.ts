// ppoll(2) and pselect6(2), checks in the order of Linux 6.1 fs/select.c. Readiness is each
// file's poll(); files without a poll method are always readable and writable. When
// nothing is ready the call waits on the files' WaitQueues through the blocker (one
// thread: a finite timeout passes on the virtual clock, an endless one is a deadlock).
// The remaining time is written back to the timeout (Linux does; a fault there is ignored).
// The temporary signal mask is checked but not applied (signals are not delivered here).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { SyscallErrno, fail } from '../errors.ts';
import { ERESTARTNOHAND, ERESTARTSYS } from '../signal/restart.ts';
import { NS_PER_SEC } from '../time/clock.ts';
import { copyIn, copyOut, StructBuilder } from '../user-memory.ts';
import { POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLPRI, POLLRDBAND, POLLRDNORM, POLLWRBAND, POLLWRNORM } from './constants.ts';
import { checkSigmask } from './epoll.ts';
import { nofileLimit } from './fd-util.ts';
import { userAddr, userSize } from '../context.ts';
import type { WaitQueue } from './wait.ts';
import { POLLFD } from '../abi-structs.ts';

const POLLIN_SET = POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR;
const POLLOUT_SET = POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR;
const POLLEX_SET = POLLPRI;

/** A timeout argument: undefined for NULL (forever); EFAULT / EINVAL as poll_select_set_timeout. */
function readTimeout(k: SyscallContext, addr: number): bigint | undefined {
  if (!addr) return undefined;
  const ts = copyIn(k.mem, addr, 16);
  const sec = ts.getBigInt64(0, true);
  const nsec = ts.getBigInt64(8, true);
  if (sec < 0n || nsec < 0n || nsec >= NS_PER_SEC) fail('EINVAL');
  return sec * NS_PER_SEC + nsec;
}

/**
 * poll_select_finish(): write back what is left of a nonzero timeout — nothing after a
 * timeout; otherwise the time this execution of the call did not spend (a call the
 * scheduler re-executes after a wakeup counts from the re-execution).
 */
function writeRemaining(k: SyscallContext, addr: number, timeoutNs: bigint | undefined, startNs: bigint, timedOut: boolean): void {
  if (!addr || !timeoutNs) return;
  let left = timedOut ? 0n : startNs + timeoutNs - k.state.clock.monotonicNs();
  if (left < 0n) left = 0n;
  try {
    copyOut(k.mem, addr, new StructBuilder(16).u64(0, left / NS_PER_SEC).u64(8, left % NS_PER_SEC));
  } catch {
    // "we don't want the Linux-specific update to the timeval to cause a fault"
  }
}

/**
 * Wait for the files or the timeout. A signal ends the wait as do_poll()/do_select() end it,
 * with -ERESTARTNOHAND (EINTR once a handler runs, SA_RESTART or not; restarted when none
 * does), not the blocker's -ERESTARTSYS; poll_select_finish() still writes back what is left
 * of the timeout, and turns the code into EINTR when it cannot.
 */
function waitForFiles(k: SyscallContext, queues: WaitQueue[], timeoutNs: bigint | undefined, what: string, tsp: number, start: bigint): 'timeout' {
  try {
    return k.state.vfs.blocker.block(queues, timeoutNs, what);
  } catch (e) {
    if (!(e instanceof SyscallErrno) || e.errno !== ERESTARTSYS) throw e;
    if (!tsp || !timeoutNs) throw new SyscallErrno(ERESTARTNOHAND);
    let left = start + timeoutNs - k.state.clock.monotonicNs();
    if (left < 0n) left = 0n;
    try {
      copyOut(k.mem, tsp, new StructBuilder(16).u64(0, left / NS_PER_SEC).u64(8, left % NS_PER_SEC));
    } catch {
      throw new SyscallErrno(E.EINTR); // "we can't restart the system call"
    }
    throw new SyscallErrno(ERESTARTNOHAND);
  }
}

/** Readiness of fd as do_pollfd sees it: POLLNVAL for a closed (or O_PATH) descriptor. */
function pollFd(k: SyscallContext, fd: number, queues: WaitQueue[]): number {
  const file = k.state.fds.get(fd);
  if (!file) return POLLNVAL;
  if (file.queue) queues.push(file.queue);
  return file.poll();
}

// SYSCALL_DEFINE5(ppoll, struct pollfd __user *, ufds, unsigned int, nfds,
//   struct __kernel_timespec __user *, tsp, const sigset_t __user *, sigmask, size_t, sigsetsize)
export function ppoll(k: SyscallContext): number {
  const ufds = k.addr(0);
  const nfds = k.u32(1);
  const tsp = k.addr(2);
  const timeoutNs = readTimeout(k, tsp);
  checkSigmask(k, k.addr(3), k.size(4));
  if (nfds > nofileLimit(k)) return -E.EINVAL;
  const raw = nfds ? copyIn(k.mem, ufds, nfds * POLLFD.SIZE) : new DataView(new ArrayBuffer(0));
  const start = k.state.clock.monotonicNs();
  const revents = new Array<number>(nfds).fill(0);
  for (;;) {
    const queues: WaitQueue[] = [];
    let count = 0;
    for (let i = 0; i < nfds; i++) {
      const fd = raw.getInt32(i * POLLFD.SIZE + POLLFD.fd, true);
      const events = raw.getUint16(i * POLLFD.SIZE + POLLFD.events, true);
      revents[i] = fd < 0 ? 0 : pollFd(k, fd, queues) & (events | POLLERR | POLLHUP | POLLNVAL);
      if (revents[i]) count++;
    }
    const timedOut = !count && (timeoutNs === 0n || waitForFiles(k, queues, timeoutNs, 'ppoll with nothing ready', tsp, start) === 'timeout');
    if (count || timedOut) {
      for (let i = 0; i < nfds; i++) k.mem.write(ufds + i * POLLFD.SIZE + POLLFD.revents, new Uint8Array([revents[i] & 0xff, revents[i] >> 8]));
      writeRemaining(k, tsp, timeoutNs, start, timedOut);
      return count;
    }
  }
}

/** Size of the descriptor table (fdt->max_fds): 64, grown in powers of two from 256. */
function maxFds(k: SyscallContext): number {
  const highest = Math.max(-1, ...k.state.fds.fds());
  if (highest < 64) return 64;
  let size = 256;
  while (size <= highest) size *= 2;
  return size;
}

// SYSCALL_DEFINE6(pselect6, int, n, fd_set __user *, inp, fd_set __user *, outp,
//   fd_set __user *, exp, struct __kernel_timespec __user *, tsp, void __user *, sig)
export function pselect6(k: SyscallContext): number {
  let n = k.i32(0);
  const sets = [k.addr(1), k.addr(2), k.addr(3)];
  const tsp = k.addr(4);
  const sig = k.addr(5);
  let maskAddr = 0;
  let maskSize = 0;
  if (sig) {
    // struct sigset_argpack { sigset_t __user *p; size_t size; } (fs/select.c)
    const pack = copyIn(k.mem, sig, 16);
    maskAddr = userAddr(pack.getBigUint64(0, true));
    maskSize = userSize(pack.getBigUint64(8, true));
  }
  const timeoutNs = readTimeout(k, tsp);
  checkSigmask(k, maskAddr, maskSize);
  if (n < 0) return -E.EINVAL;
  n = Math.min(n, maxFds(k));
  const bytes = Math.ceil(n / 64) * 8;
  const inSets = sets.map((addr) => (addr && bytes ? k.mem.read(addr, bytes) : new Uint8Array(bytes)));
  const isSet = (set: Uint8Array, fd: number) => (set[fd >> 3] >> (fd & 7)) & 1;
  for (let fd = 0; fd < n; fd++) {
    if (inSets.some((s) => isSet(s, fd)) && !k.state.fds.getRaw(fd)) return -E.EBADF;
  }
  const start = k.state.clock.monotonicNs();
  for (;;) {
    const queues: WaitQueue[] = [];
    const outSets = sets.map(() => new Uint8Array(bytes));
    let count = 0;
    for (let fd = 0; fd < n; fd++) {
      if (!inSets.some((s) => isSet(s, fd))) continue;
      const mask = pollFd(k, fd, queues);
      [POLLIN_SET, POLLOUT_SET, POLLEX_SET].forEach((want, i) => {
        if (mask & want && isSet(inSets[i], fd)) {
          outSets[i][fd >> 3] |= 1 << (fd & 7);
          count++;
        }
      });
    }
    const timedOut = !count && (timeoutNs === 0n || waitForFiles(k, queues, timeoutNs, 'pselect6 with nothing ready', tsp, start) === 'timeout');
    if (count || timedOut) {
      sets.forEach((addr, i) => addr && bytes && k.mem.write(addr, outSets[i]));
      writeRemaining(k, tsp, timeoutNs, start, timedOut);
      return count;
    }
  }
}
