// --mem: how much memory the virtual machine has. sysinfo and _SC_PHYS_PAGES report it, the
// guest may map no more than it (ENOMEM past it, like RLIMIT_AS), and the boot-time thread
// limits (RLIMIT_NPROC, RLIMIT_SIGPENDING) are sized from it as Linux's fork_init does.

import { RLIMIT, threadLimit } from '../process/limits.ts';
import type { KernelState } from '../state.ts';

export function setMachineMemory(state: KernelState, bytes: number): void {
  state.mm.setMachineMemory(bytes);
  const threads = threadLimit(bytes);
  state.limits[RLIMIT.NPROC] = { cur: threads, max: threads };
  state.limits[RLIMIT.SIGPENDING] = { cur: threads, max: threads };
}
