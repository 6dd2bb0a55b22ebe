// writev(2): the segments' bytes gathered in order up to the first unreadable byte and
// written at once. Checks as Linux do_writev: EBADF first, then the iovec import errors;
// EFAULT only if not even the first byte is readable.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { readablePrefix } from '../user-memory.ts';
import { importIovec } from './iovec.ts';

export function writev(k: SyscallContext): number {
  const file = k.state.fds.get(k.u32(0));
  if (!file?.writable) return -E.EBADF;
  const segs = importIovec(k.mem, k.u(1), k.u32(2));
  const total = segs.reduce((n, s) => n + s.len, 0);
  if (total === 0) return 0;

  const parts: Uint8Array[] = [];
  let n = 0;
  for (const s of segs) {
    const ok = readablePrefix(k.mem, s.base, s.len);
    if (ok > 0) parts.push(k.mem.read(s.base, ok));
    n += ok;
    if (ok < s.len) break;
  }
  if (n === 0) return -E.EFAULT;

  const data = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    data.set(p, off);
    off += p.length;
  }
  file.write(data);
  return n;
}
