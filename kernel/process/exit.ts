// exit(2). With a single thread the exiting thread is the last one, so the process ends
// with status (code & 0xff), exactly like exit_group.

import { GuestExit } from '../api.ts';
import type { SyscallContext } from '../context.ts';

export function exit(k: SyscallContext): never {
  throw new GuestExit(k.i32(0));
}
