// Scatter/gather between guest iovecs and a file, shared by readv/writev and the
// positional variants: segments are used up to the first inaccessible byte (EFAULT only
// if that is the very first byte), as Linux's copy_to/from_iter do.

import type { Memory } from '../../emulator/memory.ts';
import { E } from '../errno.ts';
import { readablePrefix, writablePrefix } from '../user-memory.ts';
import type { Segment } from './iovec.ts';

/** Read once, up to the segments' writable room, and scatter. Returns the count or -EFAULT. */
export function scatterRead(mem: Memory, segs: Segment[], read: (len: number) => Uint8Array): number {
  let room = 0;
  for (const s of segs) {
    const ok = writablePrefix(mem, s.base, s.len);
    room += ok;
    if (ok < s.len) break;
  }
  if (room === 0) return -E.EFAULT;
  const data = read(room);
  let done = 0;
  for (const s of segs) {
    if (done >= data.length) break;
    const part = data.subarray(done, done + s.len);
    mem.write(s.base, part);
    done += part.length;
  }
  return data.length;
}

/** Gather the readable prefix of the segments and write it once. Returns the count or -EFAULT. */
export function gatherWrite(mem: Memory, segs: Segment[], write: (data: Uint8Array) => number): number {
  const parts: Uint8Array[] = [];
  let n = 0;
  for (const s of segs) {
    const ok = readablePrefix(mem, s.base, s.len);
    if (ok > 0) parts.push(mem.read(s.base, ok));
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
  return write(data);
}

export const totalLength = (segs: Segment[]): number => segs.reduce((n, s) => n + s.len, 0);
