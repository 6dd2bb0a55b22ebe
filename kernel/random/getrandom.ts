// getrandom(2) from the seeded stream (xoshiro.ts). Flags as Linux 6.1: only GRND_NONBLOCK,
// GRND_RANDOM and GRND_INSECURE are accepted (EINVAL otherwise, and for INSECURE|RANDOM);
// none changes the bytes — the pool is always "initialised". Length is clamped to
// MAX_RW_COUNT; EFAULT if the buffer leaves the user half or its first byte is not
// writable; otherwise fills up to the first unwritable page and returns the count.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { MAX_RW_COUNT, accessOk, writablePrefix } from '../user-memory.ts';
import { GRND_INSECURE, GRND_NONBLOCK, GRND_RANDOM } from '../abi.ts';

const CHUNK = 64 * 1024;

export function getrandom(k: SyscallContext): number {
  const buf = k.addr(0);
  const len = Math.min(k.size(1), MAX_RW_COUNT);
  const flags = k.u32(2);
  if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) return -E.EINVAL;
  if ((flags & (GRND_INSECURE | GRND_RANDOM)) === (GRND_INSECURE | GRND_RANDOM)) return -E.EINVAL;
  if (!accessOk(buf, len)) return -E.EFAULT;
  if (len === 0) return 0;
  const n = writablePrefix(k.mem, buf, len);
  if (n === 0) return -E.EFAULT;
  for (let done = 0; done < n; done += CHUNK) {
    k.mem.write(buf + done, k.state.random.bytes(Math.min(CHUNK, n - done)));
  }
  return n;
}
