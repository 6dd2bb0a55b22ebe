// readv(2): one read of up to the buffers' total size, scattered over the segments in order.
// Checks as Linux do_readv: EBADF first, then the iovec import errors; the segments are
// filled up to the first unwritable byte (EFAULT if that is the very first byte).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { writablePrefix } from '../user-memory.ts';
import { importIovec } from './iovec.ts';

export function readv(k: SyscallContext): number {
  const file = k.state.fds.get(k.u32(0));
  if (!file?.readable) return -E.EBADF;
  const segs = importIovec(k.mem, k.u(1), k.u32(2));
  const total = segs.reduce((n, s) => n + s.len, 0);
  if (total === 0) return 0;

  let room = 0;
  for (const s of segs) {
    const ok = writablePrefix(k.mem, s.base, s.len);
    room += ok;
    if (ok < s.len) break;
  }
  if (room === 0) return -E.EFAULT;

  const data = file.read(room);
  let done = 0;
  for (const s of segs) {
    if (done >= data.length) break;
    const part = data.subarray(done, done + s.len);
    k.mem.write(s.base, part);
    done += part.length;
  }
  return data.length;
}
