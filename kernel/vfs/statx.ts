// statx(2): the same lookup as newfstatat; AT_STATX_SYNC_TYPE == 0x6000 and the reserved
// mask bit are EINVAL. Every basic field and stx_mnt_id are returned whatever the mask asks
// (Linux may return more than asked); btime is not recorded, so not reported.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { copyOut } from '../user-memory.ts';
import { AT_EMPTY_PATH, AT_NO_AUTOMOUNT, AT_STATX_SYNC_TYPE, AT_SYMLINK_NOFOLLOW } from './at.ts';
import { pathArg } from './fd-util.ts';
import { lookupAt } from './lookup.ts';
import { STATX__RESERVED, encodeStatx } from './stat.ts';

const VALID_FLAGS = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE;

export function statx(k: SyscallContext): number {
  const flags = k.i32(2);
  const mask = k.u32(3);
  if ((flags & AT_STATX_SYNC_TYPE) === AT_STATX_SYNC_TYPE) return -E.EINVAL;
  if (mask & STATX__RESERVED) return -E.EINVAL;
  if (flags & ~VALID_FLAGS) return -E.EINVAL;
  const target = lookupAt(k, k.i32(0), pathArg(k, 1), flags);
  const fs = target.loc?.node.fs;
  copyOut(k.mem, k.addr(4), encodeStatx(target.stat(), fs?.mntId ?? 0));
  return 0;
}
