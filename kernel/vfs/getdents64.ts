// getdents64(2): struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type;
// char d_name[]; } each padded to 8 bytes. Linux fs/readdir.c: EBADF, then EFAULT if the
// buffer fails access_ok, ENOTDIR for a non-directory, ENOENT for a removed directory,
// EINVAL if not even the next entry fits; 0 at the end.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { accessOk, latin1Bytes } from '../user-memory.ts';

const HEADER = 19; // offsetof(struct linux_dirent64, d_name)

export function getdents64(k: SyscallContext): number {
  const file = k.state.fds.get(k.u32(0));
  const buf = k.u(1);
  const count = k.u32(2);
  if (!file) return -E.EBADF;
  if (!accessOk(buf, count)) return -E.EFAULT;
  if (file.loc?.node.type === 'dir' && file.loc.node.unlinked) return -E.ENOENT;
  const out = new Uint8Array(Math.min(count, 1 << 20));
  const view = new DataView(out.buffer);
  let used = 0;
  let tooSmall = false;
  file.readdir((entry, nextOffset) => {
    const name = latin1Bytes(entry.name);
    const reclen = (HEADER + name.length + 1 + 7) & ~7;
    if (used + reclen > out.length) {
      tooSmall = used === 0;
      return false;
    }
    view.setBigUint64(used, BigInt(entry.ino), true);
    view.setBigInt64(used + 8, BigInt(nextOffset), true);
    view.setUint16(used + 16, reclen, true);
    view.setUint8(used + 18, entry.type);
    out.set(name, used + HEADER);
    used += reclen;
    return true;
  });
  if (tooSmall) return -E.EINVAL;
  if (used) k.mem.write(buf, out.subarray(0, used));
  return used;
}
