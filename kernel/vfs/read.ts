// read(2): EBADF unless fd is open for reading; EFAULT if the buffer leaves the user half
// (access_ok) or no byte of it is writable; otherwise reads at most as many bytes as fit
// before the first unwritable page (Linux copies up to the fault and returns the count).
// A count of 0 still reaches the file (a directory answers EISDIR, an eventfd EINVAL).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { MAX_RW_COUNT, accessOk, writablePrefix } from '../user-memory.ts';

export function read(k: SyscallContext): number {
  const file = k.state.fds.get(k.u32(0));
  const buf = k.addr(1);
  const count = k.size(2);
  if (!file?.readable) return -E.EBADF;
  if (!accessOk(buf, count)) return -E.EFAULT;
  const want = Math.min(count, MAX_RW_COUNT);
  const room = want === 0 ? 0 : writablePrefix(k.mem, buf, want);
  if (want > 0 && room === 0) return -E.EFAULT;
  const data = file.read(room);
  if (data.length) k.mem.write(buf, data);
  return data.length;
}
