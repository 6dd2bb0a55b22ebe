// copy_file_range(2): copy bytes between two regular files without passing them through
// user memory. Linux 6.1.y, fs/read_write.c, in its order:
//
//   SYSCALL_DEFINE6(copy_file_range): fdget(fd_in), fdget(fd_out) → EBADF (O_PATH
//     descriptors included); a non-NULL off_in / off_out is read (copy_from_user → EFAULT),
//     a NULL one stands for the file offset; then `if (flags != 0) return -EINVAL` — after
//     the fds and the offset pointers (10bc8e4af659, "vfs: fix copy_file_range() averts
//     filesystem freeze protection", Dec 2022, sent to the stable series; without it
//     vfs_copy_file_range() makes the same check first thing, so the order is the same).
//   vfs_copy_file_range() → generic_copy_file_checks():
//     generic_file_rw_checks(): a directory on either side EISDIR, any other non-regular
//       file EINVAL; fd_in not open for reading, fd_out not open for writing or O_APPEND
//       EBADF;
//     different superblocks EXDEV (no filesystem here has ->copy_file_range; since 5.19,
//       868f9f2f8e00, the generic copy is same-sb only);
//     `pos_in + count < pos_in || pos_out + count < pos_out` in u64 arithmetic EOVERFLOW (so
//       a negative offset with a count that wraps it past 2^64 is EOVERFLOW, not EINVAL);
//     the count is cut to the end of the input (nothing at or past it: 0);
//     generic_write_check_limits(): RLIMIT_FSIZE (fsize.ts: pos_out at or past it SIGXFSZ
//       and EFBIG — even for a count cut to 0 — else the count is cut to end at it), pos_out
//       at or past s_maxbytes EFBIG, else the count is cut below it;
//     the same inode with overlapping ranges (u64 compares) EINVAL;
//   rw_verify_area() for each side with the shortened count: (ssize_t)count < 0, pos < 0 or
//     pos + count past LLONG_MAX EINVAL (regular files have no FMODE_UNSIGNED_OFFSET);
//   a count of 0 returns 0; else do_splice_direct() of at most MAX_RW_COUNT bytes: a short
//     copy at the end of the input or a full filesystem, an error only if nothing was copied.
// Afterwards (ret > 0) each side's position advances by ret: written back through its
// pointer (copy_to_user: EFAULT as the result, though the bytes were copied and the other
// side is still updated) or into the file offset.
//
// Partial: a standard stream redirected to a regular file (the host's descriptor, no
// positional I/O here) stops.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { MemoryFault } from '../../emulator/memory.ts';
import { SyscallErrno } from '../errors.ts';
import { MAX_RW_COUNT } from '../user-memory.ts';
import { O_APPEND, S_IFDIR, S_IFMT, S_IFREG, SEEK_CUR, SEEK_SET } from './constants.ts';
import type { OpenFile } from './file.ts';
import { HostNode } from './hostfs.ts';
import { IO_CHUNK } from './iovec-io.ts';
import type { Vnode } from './node.ts';
import { MAX_FILE_SIZE, RegularFile } from './open-files.ts';
import { fsizeCheckLimits } from './fsize.ts';

const asU64 = (v: bigint) => BigInt.asUintN(64, v);
const asS64 = (v: bigint) => BigInt.asIntN(64, v);
const LLONG_MAX = (1n << 63n) - 1n;

/** copy_from_user of a loff_t: the value, or undefined when the 8 bytes are not all readable. */
function readLoff(k: SyscallContext, addr: number): bigint | undefined {
  try {
    const b = k.mem.read(addr, 8);
    return new DataView(b.buffer, b.byteOffset, 8).getBigInt64(0, true);
  } catch (e) {
    if (e instanceof MemoryFault) return undefined;
    throw e;
  }
}

/** copy_to_user of a loff_t: false when the 8 bytes are not all writable. */
function writeLoff(k: SyscallContext, addr: number, v: bigint): boolean {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, v, true);
  try {
    k.mem.write(addr, b);
    return true;
  } catch (e) {
    if (e instanceof MemoryFault) return false;
    throw e;
  }
}

/**
 * The superblock a file lives on (inode->i_sb): its filesystem; for a host mount the host's
 * device, since under Linux two guest paths on one host filesystem are one sb (and a host
 * directory holding another mount is two).
 */
function superblock(node: Vnode): unknown {
  return node instanceof HostNode ? `host:${node.key.slice(0, node.key.indexOf(':'))}` : node.fs;
}

/** rw_verify_area() for a regular file: EINVAL for a negative count, position or end. */
function verifyArea(pos: bigint, count: bigint): boolean {
  return asS64(count) >= 0n && pos >= 0n && pos + count <= LLONG_MAX;
}

export function copy_file_range(k: SyscallContext): number {
  const fin = k.state.fds.get(k.i32(0));
  if (!fin) return -E.EBADF;
  const fout = k.state.fds.get(k.i32(2));
  if (!fout) return -E.EBADF;
  const offIn = k.big(1) !== 0n ? k.addr(1) : undefined;
  const offOut = k.big(3) !== 0n ? k.addr(3) : undefined;
  let posIn: bigint | undefined;
  let posOut: bigint | undefined;
  if (offIn !== undefined && (posIn = readLoff(k, offIn)) === undefined) return -E.EFAULT;
  if (offOut !== undefined && (posOut = readLoff(k, offOut)) === undefined) return -E.EFAULT;
  if (k.u32(5) !== 0) return -E.EINVAL;

  // generic_file_rw_checks()
  const typeIn = fin.stat().mode & S_IFMT;
  const typeOut = fout.stat().mode & S_IFMT;
  if (typeIn === S_IFDIR || typeOut === S_IFDIR) return -E.EISDIR;
  if (typeIn !== S_IFREG || typeOut !== S_IFREG) return -E.EINVAL;
  if (!fin.readable || !fout.writable || fout.statusFlags & O_APPEND) return -E.EBADF;
  if (!(fin instanceof RegularFile) || !(fout instanceof RegularFile)) {
    k.unsupported('copy_file_range on a standard stream redirected to a regular file');
  }
  // A NULL offset pointer: the file offset (f_pos), read only now since nothing before needs it.
  posIn ??= BigInt(fin.seek(0, SEEK_CUR));
  posOut ??= BigInt(fout.seek(0, SEEK_CUR));

  // generic_copy_file_checks()
  const nodeIn = fin.loc.node;
  const nodeOut = fout.loc.node;
  if (superblock(nodeIn) !== superblock(nodeOut)) return -E.EXDEV;
  let count = k.big(4); // size_t, as the u64 `count` there
  if (asU64(posIn + count) < asU64(posIn) || asU64(posOut + count) < asU64(posOut)) return -E.EOVERFLOW;
  const sizeIn = BigInt(fin.data.size());
  if (posIn >= sizeIn) count = 0n;
  else if (count > asU64(sizeIn - posIn)) count = asU64(sizeIn - posIn);
  // generic_write_check_limits(): RLIMIT_FSIZE, then loff_t arithmetic against s_maxbytes
  // (MAX_FILE_SIZE here).
  const allowed = fsizeCheckLimits(k, posOut, count);
  if (allowed === undefined) return -E.EFBIG;
  count = allowed;
  const maxSize = BigInt(MAX_FILE_SIZE);
  if (posOut >= maxSize) return -E.EFBIG;
  if (asS64(count) > maxSize - posOut) count = maxSize - posOut;
  if (nodeIn === nodeOut && asU64(posOut + count) > asU64(posIn) && asU64(posOut) < asU64(posIn + count)) return -E.EINVAL;

  if (!verifyArea(posIn, count) || !verifyArea(posOut, count)) return -E.EINVAL;
  if (count === 0n) return 0;

  // Both positions are now within [0, 2^53 - 1] with their ends, so numbers are exact.
  const want = Math.min(Number(count), MAX_RW_COUNT);
  const ret = splice(fin, Number(posIn), fout, Number(posOut), want);
  if (ret <= 0) return ret;

  let result = ret;
  const endIn = posIn + BigInt(ret);
  const endOut = posOut + BigInt(ret);
  if (offIn !== undefined) {
    if (!writeLoff(k, offIn, endIn)) result = -E.EFAULT;
  } else fin.seek(Number(endIn), SEEK_SET);
  if (offOut !== undefined) {
    if (!writeLoff(k, offOut, endOut)) result = -E.EFAULT;
  } else fout.seek(Number(endOut), SEEK_SET);
  return result;
}

/**
 * do_splice_direct(): up to len bytes from pos in `from` to pos in `to`, in passes of at
 * most IO_CHUNK; stops early at the end of the input or when the output takes fewer bytes
 * (a full filesystem). An error ends the copy: it is the result only if nothing was copied.
 */
function splice(from: OpenFile, posIn: number, to: OpenFile, posOut: number, len: number): number {
  let done = 0;
  while (done < len) {
    try {
      const data = from.pread(Math.min(IO_CHUNK, len - done), posIn + done);
      if (data.length === 0) break;
      const n = to.pwrite(data, posOut + done);
      done += n;
      if (n < data.length) break;
    } catch (e) {
      if (done > 0 && e instanceof SyscallErrno) break;
      throw e;
    }
  }
  return done;
}
