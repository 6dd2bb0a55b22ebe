// eventfd2(2): a 64-bit counter (fs/eventfd.c). read needs 8 bytes: it returns the counter
// and zeroes it (EFD_SEMAPHORE: returns 1 and decrements); with the counter at 0 it waits
// (EAGAIN with EFD_NONBLOCK). write adds an 8-byte value: 2^64-1 is EINVAL; a sum that
// would pass 2^64-2 waits (EAGAIN). Readable while the counter is nonzero, writable while
// it is below 2^64-2.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { fail } from '../errors.ts';
import { AnonFile } from './anon.ts';
import { O_CLOEXEC, O_NONBLOCK, O_RDWR, POLLERR, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM } from './constants.ts';
import { nofileLimit } from './fd-util.ts';
import { WaitQueue } from './wait.ts';
import { EFD_SEMAPHORE } from '../abi.ts';

const ULLONG_MAX = (1n << 64n) - 1n;

export class EventFd extends AnonFile {
  private readonly waiters = new WaitQueue();
  constructor(
    env: ConstructorParameters<typeof AnonFile>[0],
    private count: bigint,
    private readonly semaphore: boolean,
    flags: number,
  ) {
    super(env, '[eventfd]', flags);
  }
  private get nonblock(): boolean {
    return (this.statusFlags & O_NONBLOCK) !== 0;
  }
  override read(len: number): Uint8Array {
    if (len < 8) fail('EINVAL');
    if (this.count === 0n) {
      if (this.nonblock) fail('EAGAIN');
      this.env.blocker.block([this.waiters], undefined, 'read of an eventfd at 0');
    }
    const value = this.semaphore ? 1n : this.count;
    this.count -= value;
    this.waiters.notify();
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, value, true);
    return out;
  }
  override write(data: Uint8Array): number {
    if (data.length < 8) fail('EINVAL');
    const value = new DataView(data.buffer, data.byteOffset, 8).getBigUint64(0, true);
    if (value === ULLONG_MAX) fail('EINVAL');
    if (ULLONG_MAX - this.count <= value) {
      if (this.nonblock) fail('EAGAIN');
      this.env.blocker.block([this.waiters], undefined, 'write of an eventfd that would overflow');
    }
    this.count += value;
    this.waiters.notify();
    return 8;
  }
  override get pollable(): boolean {
    return true;
  }
  override poll(): number {
    let mask = 0;
    if (this.count > 0n) mask |= POLLIN | POLLRDNORM;
    if (this.count === ULLONG_MAX) mask |= POLLERR;
    if (ULLONG_MAX - 1n > this.count) mask |= POLLOUT | POLLWRNORM;
    return mask;
  }
  override get queue(): WaitQueue {
    return this.waiters;
  }
}

export function eventfd2(k: SyscallContext): number {
  const initval = k.u32(0);
  const flags = k.i32(1);
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | EFD_SEMAPHORE)) return -E.EINVAL;
  const file = new EventFd(k.state.vfs, BigInt(initval), (flags & EFD_SEMAPHORE) !== 0, O_RDWR | (flags & O_NONBLOCK));
  return k.state.fds.allocate(file, nofileLimit(k), (flags & O_CLOEXEC) !== 0);
}
