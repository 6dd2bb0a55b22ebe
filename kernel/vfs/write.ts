// write(2): EBADF unless fd is open for writing; EFAULT if the buffer leaves the user half
// (access_ok) or its first byte is unreadable; otherwise writes the bytes before the first
// unreadable page and returns what the file took (Linux's partial-copy behaviour).
// RLIMIT_FSIZE (fsize.ts) shortens or refuses a write to a regular file before the bytes
// are copied in (generic_write_checks() in ->write_iter, ahead of the copy's EFAULT).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { MAX_RW_COUNT, accessOk, readablePrefix } from '../user-memory.ts';
import { fsizeLimited, fsizeWriteCount } from './fsize.ts';

export function write(k: SyscallContext): number {
  const file = k.state.fds.get(k.u32(0));
  const buf = k.addr(1);
  const count = k.size(2);
  if (!file?.writable) return -E.EBADF;
  if (!accessOk(buf, count)) return -E.EFAULT;
  let want = Math.min(count, MAX_RW_COUNT);
  if (want === 0) return file.write(new Uint8Array(0));
  if (fsizeLimited(k, file)) {
    want = fsizeWriteCount(k, file, file.writePos(), want);
    if (want < 0) return want;
  }
  const n = readablePrefix(k.mem, buf, want);
  if (n === 0) return -E.EFAULT;
  return file.write(k.mem.read(buf, n));
}
