// uname(2): struct new_utsname, six NUL-padded 65-byte fields (<linux/utsname.h>):
//   Linux / zerosys / 6.1.0 / #1 SMP zerosys / riscv64 / (none)
// The release is LINUX_VERSION's (linux-version.ts), the one Linux zerosys implements. qemu-riscv64 passes the
// host's values through instead (build machine: nodename 'vm', release '6.18.44-fc-v669',
// version '#1 SMP PREEMPT_DYNAMIC @0'); only sysname 'Linux', machine 'riscv64' and
// domainname '(none)' agree. sethostname/setdomainname change the two names (CAP_SYS_ADMIN).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { StructBuilder, copyIn, copyOut } from '../user-memory.ts';
import { LINUX_VERSION } from '../linux-version.ts';
import { CAP } from './credentials.ts';
import { __NEW_UTS_LEN } from '../abi.ts';

/** __NEW_UTS_LEN: the longest name; each field holds it and its NUL. */
const UTS_LEN = __NEW_UTS_LEN;
const FIELD = UTS_LEN + 1;

export const UTSNAME = {
  sysname: 'Linux',
  nodename: 'zerosys',
  release: LINUX_VERSION.release,
  version: '#1 SMP zerosys',
  machine: 'riscv64',
  domainname: '(none)',
};

/** The names a guest may change. */
export class UtsNames {
  nodename = UTSNAME.nodename;
  domainname = UTSNAME.domainname;
}

export function uname(k: SyscallContext): number {
  const names = { ...UTSNAME, nodename: k.state.proc.uts.nodename, domainname: k.state.proc.uts.domainname };
  const b = new StructBuilder(6 * FIELD);
  Object.values(names).forEach((v, i) => b.chars(i * FIELD, FIELD, v));
  copyOut(k.mem, k.addr(0), b); // struct new_utsname __user *name
  return 0;
}

/** sethostname(2) / setdomainname(2): EPERM without CAP_SYS_ADMIN, EINVAL past 64 bytes, EFAULT. */
function setName(k: SyscallContext, field: 'nodename' | 'domainname'): number {
  const len = k.i32(1);
  if (!k.state.proc.creds.capable(CAP.SYS_ADMIN)) return -E.EPERM;
  if (len >>> 0 > UTS_LEN) return -E.EINVAL;
  const v = copyIn(k.mem, k.addr(0), len); // (char __user *name, int len)
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(v.getUint8(i));
  // The kernel stores the bytes and NUL-terminates; uname shows up to the first NUL.
  const nul = s.indexOf('\0');
  k.state.proc.uts[field] = nul >= 0 ? s.slice(0, nul) : s;
  return 0;
}

export const sethostname = (k: SyscallContext) => setName(k, 'nodename');
export const setdomainname = (k: SyscallContext) => setName(k, 'domainname');
