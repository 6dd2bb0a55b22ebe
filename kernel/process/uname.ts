// uname(2): struct new_utsname, six NUL-padded 65-byte fields (<linux/utsname.h>), fixed:
//   Linux / zerosys / 6.1.0 / #1 SMP zerosys / riscv64 / (none)
// The release matches the 6.1 UAPI headers zerosys implements. qemu-riscv64 passes the
// host's values through instead (build machine: nodename 'vm', release '6.18.44-fc-v669',
// version '#1 SMP PREEMPT_DYNAMIC @0'); only machine 'riscv64' and domainname '(none)' agree.

import type { SyscallContext } from '../context.ts';
import { StructBuilder, copyOut } from '../user-memory.ts';

const FIELD = 65;
export const UTSNAME = {
  sysname: 'Linux',
  nodename: 'zerosys',
  release: '6.1.0',
  version: '#1 SMP zerosys',
  machine: 'riscv64',
  domainname: '(none)',
};

export function uname(k: SyscallContext): number {
  const b = new StructBuilder(6 * FIELD);
  Object.values(UTSNAME).forEach((v, i) => b.chars(i * FIELD, FIELD, v));
  copyOut(k.mem, k.u(0), b);
  return 0;
}
