// exit_group(2): the process ends with status (code & 0xff).

import { GuestExit } from '../api.ts';
import type { SyscallContext } from '../context.ts';

export function exit_group(k: SyscallContext): never {
  throw new GuestExit(k.i32(0));
}
