// sysinfo(2): struct sysinfo for a 64-bit kernel (<linux/sysinfo.h>, 112 bytes; offsets
// checked with riscv64-linux-gnu-gcc: procs 80, totalhigh 88, mem_unit 104). The machine is
// virtual and deterministic:
//   uptime    CLOCK_BOOTTIME rounded up to a whole second, as Linux does
//   loads     0 (the load average of a machine booted a second ago)
//   totalram  the machine's memory (--mem, default 4 GiB); freeram what the guest's
//             resident pages leave of it; sharedram the resident shared-memory pages
//   bufferram, swap, high memory  0; mem_unit 1 (values in bytes, as on any 64-bit kernel)
//   procs     the guest's threads

import { PAGE_SIZE } from '../../emulator/memory.ts';
import type { SyscallContext } from '../context.ts';
import { NS_PER_SEC } from '../time/clock.ts';
import { StructBuilder, copyOut } from '../user-memory.ts';
import { SYSINFO } from '../abi-structs.ts';

export const SYSINFO_SIZE = SYSINFO.SIZE;

export function sysinfo(k: SyscallContext): number {
  const boot = k.state.clock.monotonicNs();
  const uptime = boot / NS_PER_SEC + (boot % NS_PER_SEC ? 1n : 0n);
  const mm = k.state.mm;
  const resident = k.mem.residentPages * PAGE_SIZE;
  let shared = 0;
  for (const e of mm.attrs.all()) if (e.value.backing.kind === 'shared') shared += k.mem.countResident(e.start, e.end - e.start) * PAGE_SIZE;
  const b = new StructBuilder(SYSINFO_SIZE)
    .u64(SYSINFO.uptime, uptime)
    .u64(SYSINFO.totalram, mm.ramBytes)
    .u64(SYSINFO.freeram, Math.max(0, mm.ramBytes - resident))
    .u64(SYSINFO.sharedram, shared)
    .u16(SYSINFO.procs, k.state.thread.live().length)
    .u32(SYSINFO.mem_unit, 1);
  copyOut(k.mem, k.addr(0), b); // struct sysinfo __user *info
  return 0;
}
