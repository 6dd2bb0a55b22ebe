// import_iovec() of Linux 6.1 lib/iov_iter.c for readv/writev: at most UIO_MAXIOV entries;
// the array is copied first (EFAULT), a negative length is EINVAL, then each segment must
// pass access_ok (EFAULT); the total is clamped to MAX_RW_COUNT.

import type { Memory } from '../../emulator/memory.ts';
import { fail } from '../errors.ts';
import { MAX_RW_COUNT, accessOk, copyIn } from '../user-memory.ts';
import { userAddr } from '../context.ts';
import { IOVEC } from '../abi-structs.ts';

/** <linux/uio.h> */
export const UIO_MAXIOV = 1024;

export interface Segment {
  base: number;
  len: number;
}

export function importIovec(mem: Memory, addr: number, count: number): Segment[] {
  if (count > UIO_MAXIOV) fail('EINVAL');
  if (count === 0) return [];
  const raw = copyIn(mem, addr, count * IOVEC.SIZE);
  const segs: Segment[] = [];
  for (let i = 0; i < count; i++) {
    const base = userAddr(raw.getBigUint64(i * IOVEC.SIZE + IOVEC.iov_base, true));
    const len = raw.getBigInt64(i * IOVEC.SIZE + IOVEC.iov_len, true);
    if (len < 0n) fail('EINVAL');
    segs.push({ base, len: Number(len) });
  }
  let total = 0;
  for (const s of segs) {
    if (!accessOk(s.base, s.len)) fail('EFAULT');
    s.len = Math.min(s.len, MAX_RW_COUNT - total);
    total += s.len;
  }
  return segs;
}
