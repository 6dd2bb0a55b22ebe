// gettid(2): the calling thread's id (the main thread's tid is the pid).

import type { SyscallContext } from '../context.ts';

export function gettid(k: SyscallContext): number {
  return k.state.thread.tid;
}
