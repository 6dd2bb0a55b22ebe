// Early exits from deep inside a handler. The dispatcher turns them into a0 = -errno.

import { E, type ErrnoName } from './errno.ts';

/** Thrown by helpers (path reading, iovec import, ...) to make the syscall return -errno. */
export class SyscallErrno extends Error {
  constructor(readonly errno: number) {
    super(`errno ${errno}`);
  }
}

export function fail(name: ErrnoName): never {
  throw new SyscallErrno(E[name]);
}
