// Scatter/gather between guest iovecs and a file, shared by readv/writev and the
// positional variants: segments are used up to the first inaccessible byte (EFAULT only
// if that is the very first byte), as Linux's copy_to/from_iter do.
//
// Host memory stays bounded however the segments alias: 1024 iovecs may name the same
// buffer, up to MAX_RW_COUNT (2 GiB) in all, from a guest with a few MiB. Linux copies
// page by page; here the bytes move in passes of at most IO_CHUNK when the file takes
// them that way unchanged (`streaming`: regular files and devices never block or take
// less than they are given short of an error, standard streams are written through), and
// otherwise in one pass of at most what one call can take (`bound`: a pipe's capacity).
// After a pass has moved bytes, a failing one ends the transfer with the count so far.

import { PROT_READ, PROT_WRITE, type Memory } from '../../emulator/memory.ts';
import { E } from '../errno.ts';
import { SyscallErrno } from '../errors.ts';
import { accessiblePrefix } from '../user-memory.ts';
import type { Segment } from './iovec.ts';

/** Most bytes one pass holds in host memory. */
export const IO_CHUNK = 1 << 20;

/** The segments clipped at the first byte that does not allow `prot`. */
function accessible(mem: Memory, segs: Segment[], prot: number): Segment[] {
  const out: Segment[] = [];
  for (const s of segs) {
    const ok = accessiblePrefix(mem, s.base, s.len, prot);
    if (ok > 0) out.push({ base: s.base, len: ok });
    if (ok < s.len) break;
  }
  return out;
}

/** Call fn(guest address, length, offset in data) for bytes [at, at+len) of the segments laid end to end. */
function walk(segs: Segment[], at: number, len: number, fn: (addr: number, n: number, off: number) => void): void {
  let skip = at;
  let off = 0;
  for (const s of segs) {
    if (off >= len) break;
    if (skip >= s.len) {
      skip -= s.len;
      continue;
    }
    const n = Math.min(s.len - skip, len - off);
    fn(s.base + skip, n, off);
    off += n;
    skip = 0;
  }
}

/** Read in passes up to the segments' writable room and scatter. Returns the count or -EFAULT. */
export function scatterRead(mem: Memory, segs: Segment[], streaming: boolean, read: (len: number, done: number) => Uint8Array): number {
  const ok = accessible(mem, segs, PROT_WRITE);
  const room = totalLength(ok);
  if (room === 0) return -E.EFAULT;
  let done = 0;
  do {
    const want = streaming ? Math.min(IO_CHUNK, room - done) : room;
    let data: Uint8Array;
    try {
      data = read(want, done);
    } catch (e) {
      if (done > 0 && e instanceof SyscallErrno) break;
      throw e;
    }
    walk(ok, done, data.length, (addr, n, off) => mem.write(addr, data.subarray(off, off + n)));
    done += data.length;
    if (data.length < want) break;
  } while (streaming && done < room);
  return done;
}

/** Gather the readable prefix of the segments and write it in passes. Returns the count or -EFAULT. */
export function gatherWrite(
  mem: Memory,
  segs: Segment[],
  streaming: boolean,
  bound: (len: number) => number,
  write: (data: Uint8Array, done: number) => number,
): number {
  const ok = accessible(mem, segs, PROT_READ);
  const n = totalLength(ok);
  if (n === 0) return -E.EFAULT;
  let done = 0;
  do {
    const len = streaming ? Math.min(IO_CHUNK, n - done) : Math.min(n, bound(n));
    const data = new Uint8Array(len);
    walk(ok, done, len, (addr, k, off) => data.set(mem.read(addr, k), off));
    let took: number;
    try {
      took = write(data, done);
    } catch (e) {
      if (done > 0 && e instanceof SyscallErrno) break;
      throw e;
    }
    done += took;
    if (took < len) break;
  } while (streaming && done < n);
  return done;
}

export const totalLength = (segs: Segment[]): number => segs.reduce((n, s) => n + s.len, 0);

/** iov_iter_truncate(): the segments cut to their first `n` bytes. */
export function truncateSegments(segs: Segment[], n: number): Segment[] {
  const out: Segment[] = [];
  let left = n;
  for (const s of segs) {
    if (left <= 0) break;
    out.push(s.len <= left ? s : { base: s.base, len: left });
    left -= s.len;
  }
  return out;
}
