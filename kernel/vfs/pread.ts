// pread64 / pwrite64 / preadv / pwritev / preadv2 / pwritev2: I/O at an explicit offset
// that leaves the file offset alone. Order as Linux fs/read_write.c: a negative offset is
// EINVAL, a closed fd EBADF, a file without positional I/O (pipe, terminal, eventfd) ESPIPE,
// EBADF for the wrong access mode, then the iovec import; rw_verify_area() makes a
// range whose end passes the largest loff_t EINVAL (no file here has FMODE_UNSIGNED_OFFSET).
// preadv2/pwritev2: offset -1 means "at the file offset, moving it" (readv/writev); the
// RWF_HIPRI/DSYNC/SYNC hints change nothing here, RWF_APPEND writes at the end,
// RWF_NOWAIT stops (partial), other bits are EOPNOTSUPP. RLIMIT_FSIZE (fsize.ts) shortens
// or refuses a write to a regular file at the position it starts at.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { MAX_RW_COUNT, accessOk, readablePrefix, writablePrefix } from '../user-memory.ts';
import type { OpenFile } from './file.ts';
import { importIovec } from './iovec.ts';
import { gatherWrite, scatterRead, totalLength, truncateSegments } from './iovec-io.ts';
import { fsizeLimited, fsizeWriteCount } from './fsize.ts';
import { writesWhole } from './writev.ts';

const RWF_HIPRI = 1;
const RWF_DSYNC = 2;
const RWF_SYNC = 4;
const RWF_NOWAIT = 8;
const RWF_APPEND = 16;

/** rw_verify_area(): pos (a3, exact) + count > LLONG_MAX. */
function rangeOverflows(k: SyscallContext, count: number): boolean {
  return BigInt.asIntN(64, k.big(3)) + BigInt(count) > 0x7fffffffffffffffn;
}

/** The file for positional I/O, or -errno. */
function positionalFile(k: SyscallContext, pos: number): OpenFile | number {
  if (pos < 0) return -E.EINVAL;
  const file = k.state.fds.get(k.u32(0));
  if (!file) return -E.EBADF;
  if (!file.positional) return -E.ESPIPE;
  return file;
}

export function pread64(k: SyscallContext): number {
  const file = positionalFile(k, k.off(3));
  if (typeof file === 'number') return file;
  const buf = k.addr(1);
  const count = k.size(2);
  if (!file.readable) return -E.EBADF;
  if (!accessOk(buf, count)) return -E.EFAULT;
  if (rangeOverflows(k, count)) return -E.EINVAL;
  const want = Math.min(count, MAX_RW_COUNT);
  const room = want === 0 ? 0 : writablePrefix(k.mem, buf, want);
  if (want > 0 && room === 0) return -E.EFAULT;
  const data = file.pread(room, k.off(3));
  if (data.length) k.mem.write(buf, data);
  return data.length;
}

export function pwrite64(k: SyscallContext): number {
  const file = positionalFile(k, k.off(3));
  if (typeof file === 'number') return file;
  const buf = k.addr(1);
  const count = k.size(2);
  if (!file.writable) return -E.EBADF;
  if (!accessOk(buf, count)) return -E.EFAULT;
  if (rangeOverflows(k, count)) return -E.EINVAL;
  let want = Math.min(count, MAX_RW_COUNT);
  if (want === 0) return 0;
  if (fsizeLimited(k, file)) {
    want = fsizeWriteCount(k, file, file.pwritePos(k.off(3)), want);
    if (want < 0) return want;
  }
  const n = readablePrefix(k.mem, buf, want);
  if (n === 0) return -E.EFAULT;
  return file.pwrite(k.mem.read(buf, n), k.off(3));
}

/**
 * preadv, pwritev and their v2 forms, in Linux 6.1's order (fs/read_write.c): the v2 calls
 * take pos -1 as "at the file offset" (do_readv / do_writev); otherwise do_preadv():
 * pos < 0 EINVAL, the fd (EBADF), a positional file (ESPIPE); then vfs_readv():
 * import_iovec() (EFAULT, EINVAL) before do_iter_read() checks the access mode (EBADF),
 * returns 0 for no bytes, checks the range (EINVAL) and only then the RWF flags
 * (kiocb_set_rw_flags(): EOPNOTSUPP).
 */
function vectored(k: SyscallContext, writing: boolean, pos: number, flags: number, v2: boolean): number {
  const atOffset = v2 && pos === -1;
  let file: OpenFile;
  if (atOffset) {
    const f = k.state.fds.get(k.u32(0));
    if (!f) return -E.EBADF;
    file = f;
  } else {
    const f = positionalFile(k, pos);
    if (typeof f === 'number') return f;
    file = f;
  }
  let segs = importIovec(k.mem, k.addr(1), k.u32(2));
  if (!(writing ? file.writable : file.readable)) return -E.EBADF;
  if (totalLength(segs) === 0) return 0;
  if (!atOffset && rangeOverflows(k, totalLength(segs))) return -E.EINVAL;
  if (flags & ~(RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND)) return -E.EOPNOTSUPP;
  if (flags & RWF_NOWAIT) k.unsupported('RWF_NOWAIT');
  if (!writing) return scatterRead(k.mem, segs, file.positional, (len, done) => (atOffset ? file.read(len) : file.pread(len, pos + done)));
  const append = (flags & RWF_APPEND) !== 0;
  if (fsizeLimited(k, file)) {
    const at = append ? file.stat().size : atOffset ? file.writePos() : file.pwritePos(pos);
    const n = fsizeWriteCount(k, file, at, totalLength(segs));
    if (n < 0) return n;
    segs = truncateSegments(segs, n);
  }
  return gatherWrite(k.mem, segs, writesWhole(file), (len) => file.writeBound(len), (data, done) =>
    atOffset && !append ? file.write(data) : file.pwrite(data, append ? file.stat().size : pos + done),
  );
}

/** On 64-bit Linux the offset is pos_l alone (pos_from_hilo shifts pos_h out). */
export const preadv = (k: SyscallContext) => vectored(k, false, k.off(3), 0, false);
export const pwritev = (k: SyscallContext) => vectored(k, true, k.off(3), 0, false);
export const preadv2 = (k: SyscallContext) => vectored(k, false, k.off(3), k.i32(5), true);
export const pwritev2 = (k: SyscallContext) => vectored(k, true, k.off(3), k.i32(5), true);
