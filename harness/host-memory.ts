// How much guest memory `zerosys run` lets be resident when --mem is not given: the guest's
// machine stays the fixed 4 GiB it reports (sysinfo, _SC_PHYS_PAGES, thread limits: nothing
// host-specific reaches the guest), but touching more than half of this host's memory ends
// the guest with SIGKILL, as a memory cgroup limit does under Linux. Host cost per resident
// guest page is the 4 KiB frame plus about 120 bytes of page table (measured), so a runaway
// guest leaves the host at least half of its memory.

import { totalmem } from 'node:os';
import { DEFAULT_RAM_BYTES } from '../kernel/memory/mm-state.ts';

const MIB = 2 ** 20;

/** min(the default machine's 4 GiB, half the host's memory), in whole MiB. */
export function defaultResidentLimit(hostBytes = totalmem()): number {
  return Math.min(DEFAULT_RAM_BYTES, Math.floor(hostBytes / 2 / MIB) * MIB);
}
