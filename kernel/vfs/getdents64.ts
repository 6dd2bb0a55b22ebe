// getdents64(2): struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type;
// char d_name[]; } each padded to 8 bytes. Linux 6.1 fs/readdir.c: EBADF; iterate_dir():
// ENOTDIR for a non-directory, ENOENT for a removed directory; then per entry, filldir64():
// EINVAL if it does not fit in what is left of count, EFAULT if it cannot be written
// (user_write_access_begin / unsafe_put_user) — the buffer is not checked up front, so at
// the end of the directory any buffer gives 0, and once an entry was written a later fault
// just ends the call: sys_getdents64 returns the bytes written (`count - buf.count`).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { latin1Bytes, writablePrefix } from '../user-memory.ts';

const HEADER = 19; // offsetof(struct linux_dirent64, d_name)
/** Most bytes one call returns here (a larger count just returns fewer entries). */
const MAX_CHUNK = 1 << 20;

export function getdents64(k: SyscallContext): number {
  const file = k.state.fds.get(k.u32(0)); // unsigned int fd
  const buf = k.addr(1); // struct linux_dirent64 __user *dirent
  // unsigned int count, stored in `int count` of struct getdents_callback64: a count of 2^31
  // or more is negative there, and filldir64's `reclen > buf->count` makes it EINVAL.
  const count = k.i32(2);
  if (!file) return -E.EBADF;
  if (file.loc?.node.type === 'dir' && file.loc.node.unlinked) return -E.ENOENT;
  const limit = Math.max(0, Math.min(count, MAX_CHUNK));
  const room = writablePrefix(k.mem, buf, limit);
  const out = new Uint8Array(limit);
  const view = new DataView(out.buffer);
  let used = 0;
  let error = 0;
  file.readdir((entry, nextOffset) => {
    const name = latin1Bytes(entry.name);
    const reclen = (HEADER + name.length + 1 + 7) & ~7;
    if (used + reclen > limit) {
      error = -E.EINVAL; // "only used if we fail"
      return false;
    }
    if (used + reclen > room) {
      error = -E.EFAULT;
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
  if (!used) return error;
  k.mem.write(buf, out.subarray(0, used));
  return used;
}
