// getgroups(2) / setgroups(2), as Linux 6.1 kernel/groups.c. The list starts empty (root
// on the build machine has no supplementary groups); setgroups needs CAP_SETGID, takes at
// most NGROUPS_MAX ids, none of them (gid_t)-1, and stores them sorted.
// Both take (int gidsetsize, gid_t __user *grouplist).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { copyIn, copyOut } from '../user-memory.ts';
import { CAP, NGROUPS_MAX, NO_ID } from './credentials.ts';

export function getgroups(k: SyscallContext): number {
  const size = k.i32(0);
  if (size < 0) return -E.EINVAL;
  const groups = k.state.proc.creds.groups;
  if (size) {
    if (groups.length > size) return -E.EINVAL;
    if (groups.length) copyOut(k.mem, k.addr(1), new Uint8Array(Uint32Array.from(groups).buffer));
  }
  return groups.length;
}

export function setgroups(k: SyscallContext): number {
  const size = k.i32(0);
  const creds = k.state.proc.creds;
  if (!creds.capable(CAP.SETGID)) return -E.EPERM;
  if (size >>> 0 > NGROUPS_MAX) return -E.EINVAL;
  const groups: number[] = [];
  if (size > 0) {
    const v = copyIn(k.mem, k.addr(1), size * 4);
    for (let i = 0; i < size; i++) {
      const gid = v.getUint32(i * 4, true);
      if (gid === NO_ID) return -E.EINVAL;
      groups.push(gid);
    }
  }
  creds.groups = groups.sort((a, b) => a - b);
  return 0;
}
