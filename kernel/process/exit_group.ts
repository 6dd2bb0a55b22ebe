// exit_group(2): every thread of the process ends, the process with status (code & 0xff).
// The first process's exit ends the run; another becomes a zombie (exit-process.ts).

import type { SyscallContext } from '../context.ts';
import { endProcess, exitedWith } from './exit-process.ts';

export function exit_group(k: SyscallContext): never {
  endProcess(k.state, exitedWith(k.i32(0)));
  throw new Error('unreachable: endProcess ends the running process');
}
