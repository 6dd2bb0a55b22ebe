// getcpu(2): the machine has one CPU (0) on NUMA node 0. Both pointers are written when
// non-NULL, and an EFAULT from either is reported only after both were tried (Linux ORs them).

import { MemoryFault } from '../../emulator/memory.ts';
import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';

export function getcpu(k: SyscallContext): number {
  let fault = false;
  for (const addr of [k.addr(0), k.addr(1)]) { // unsigned __user *cpup, *nodep
    if (!addr) continue;
    try {
      k.mem.write(addr, new Uint8Array(4));
    } catch (e) {
      if (!(e instanceof MemoryFault)) throw e;
      fault = true;
    }
  }
  return fault ? -E.EFAULT : 0;
}
