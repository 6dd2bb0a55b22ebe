// Pipes, modelled on Linux 6.1 fs/pipe.c: a ring of 16 page-sized buffers (64 KiB).
// A write first merges its (length mod 4096) leading bytes into the last buffer if they
// fit there, then fills fresh pages; so a write of at most PIPE_BUF bytes is atomic and
// F_GETPIPE_SZ / non-blocking fill counts come out as on Linux.
//
//   read:  whatever is buffered, up to len; empty with no writer left: 0 (EOF); empty with
//          a writer: EAGAIN (O_NONBLOCK) or wait.
//   write: no reader left: SIGPIPE and EPIPE. A full pipe: EAGAIN (O_NONBLOCK, nothing
//          written yet) or wait. Differs from Linux in one point: a blocking write that has
//          put some bytes in before the pipe filled returns that short count instead of
//          waiting for room for the rest (callers of write(2) loop on short counts).
// Waiting goes through the VfsEnv blocker (wait.ts): with one thread it is a deadlock stop.

import { fail } from '../errors.ts';
import { O_NONBLOCK, O_RDONLY, O_WRONLY, POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM, S_IFIFO } from './constants.ts';
import { OpenFile } from './file.ts';
import { makedev, type StatInfo } from './stat.ts';
import { WaitQueue } from './wait.ts';
import type { VfsEnv } from './env.ts';

const PAGE = 4096;
export const PIPE_DEF_BUFFERS = 16;
/** /proc/sys/fs/pipe-max-size default. */
export const PIPE_MAX_SIZE = 1 << 20;
/** pipefs: anonymous device 0:13 as on a typical boot. */
const PIPEFS_DEV = makedev(0, 13);

interface Buf {
  bytes: Uint8Array;
  off: number;
  len: number;
}

export class Pipe {
  readers = 0;
  writers = 0;
  maxUsage = PIPE_DEF_BUFFERS;
  private bufs: Buf[] = [];
  readonly queue = new WaitQueue();
  readonly createdNs: bigint;

  constructor(
    readonly env: VfsEnv,
    readonly ino: number,
    /** fs/pipe.c get_pipe_inode(): the creator's fsuid and fsgid. */
    private readonly owner: { uid: number; gid: number } = env,
  ) {
    this.createdNs = env.now();
  }

  get available(): number {
    return this.bufs.reduce((n, b) => n + b.len, 0);
  }
  get usedSlots(): number {
    return this.bufs.length;
  }
  private get full(): boolean {
    return this.bufs.length >= this.maxUsage;
  }

  read(len: number, nonblock: boolean): Uint8Array {
    if (len === 0) return new Uint8Array(0);
    if (this.bufs.length === 0) {
      if (this.writers === 0) return new Uint8Array(0);
      if (nonblock) fail('EAGAIN');
      this.env.blocker.block([this.queue], undefined, 'read from an empty pipe');
      return new Uint8Array(0);
    }
    const out = new Uint8Array(Math.min(len, this.available));
    let got = 0;
    while (got < out.length) {
      const b = this.bufs[0];
      const n = Math.min(b.len, out.length - got);
      out.set(b.bytes.subarray(b.off, b.off + n), got);
      b.off += n;
      b.len -= n;
      got += n;
      if (b.len === 0) this.bufs.shift();
    }
    this.queue.notify();
    return out;
  }

  write(data: Uint8Array, nonblock: boolean): number {
    if (data.length === 0) return 0;
    if (this.readers === 0) {
      this.env.sigpipe();
      fail('EPIPE');
    }
    let done = 0;
    const chars = data.length % PAGE;
    const last = this.bufs[this.bufs.length - 1];
    if (chars && last && last.off + last.len + chars <= PAGE) {
      last.bytes.set(data.subarray(0, chars), last.off + last.len);
      last.len += chars;
      done = chars;
    }
    while (done < data.length && !this.full) {
      const n = Math.min(PAGE, data.length - done);
      const bytes = new Uint8Array(PAGE);
      bytes.set(data.subarray(done, done + n));
      this.bufs.push({ bytes, off: 0, len: n });
      done += n;
    }
    if (done === 0) {
      if (nonblock) fail('EAGAIN');
      this.env.blocker.block([this.queue], undefined, 'write to a full pipe');
    }
    this.queue.notify();
    return done;
  }

  /** F_SETPIPE_SZ: slots for `size` bytes (rounded up to a power of two pages). */
  resize(size: number): number {
    let slots = 1;
    while (slots * PAGE < size) slots *= 2;
    if (slots < this.bufs.length) fail('EBUSY');
    this.maxUsage = slots;
    this.queue.notify();
    return slots * PAGE;
  }

  stat(): StatInfo {
    return {
      dev: PIPEFS_DEV,
      ino: this.ino,
      mode: S_IFIFO | 0o600,
      nlink: 1,
      uid: this.owner.uid,
      gid: this.owner.gid,
      rdev: 0,
      size: 0,
      blksize: PAGE,
      blocks: 0,
      atimeNs: this.createdNs,
      mtimeNs: this.createdNs,
      ctimeNs: this.createdNs,
    };
  }
}

export class PipeEnd extends OpenFile {
  readonly label: string;
  constructor(
    readonly pipe: Pipe,
    readonly isReader: boolean,
    flags: number,
  ) {
    super((isReader ? O_RDONLY : O_WRONLY) | (flags & O_NONBLOCK));
    this.label = `pipe:[${pipe.ino}]`;
    if (isReader) pipe.readers++;
    else pipe.writers++;
  }
  private get nonblock(): boolean {
    return (this.statusFlags & O_NONBLOCK) !== 0;
  }
  override read(len: number): Uint8Array {
    return this.pipe.read(len, this.nonblock);
  }
  override write(data: Uint8Array): number {
    return this.pipe.write(data, this.nonblock);
  }
  /**
   * Pipe.write merges len % PAGE bytes into the last page, then fills at most maxUsage
   * pages: a prefix of that length modulo PAGE and longer than all of it is taken alike.
   */
  override writeBound(len: number): number {
    return Math.min(len, (this.pipe.maxUsage + 1) * PAGE + (len % PAGE));
  }
  stat(): StatInfo {
    return this.pipe.stat();
  }
  override available(): number {
    return this.pipe.available;
  }
  override get pollable(): boolean {
    return true;
  }
  override poll(): number {
    const p = this.pipe;
    let mask = 0;
    if (this.isReader) {
      if (p.available > 0) mask |= POLLIN | POLLRDNORM;
      if (p.writers === 0) mask |= POLLHUP;
    } else {
      if (p.usedSlots < p.maxUsage) mask |= POLLOUT | POLLWRNORM;
      if (p.readers === 0) mask |= POLLERR;
    }
    return mask;
  }
  override get queue(): WaitQueue {
    return this.pipe.queue;
  }
  /** fifo_open on the pipe: O_RDONLY gives a reader, O_WRONLY a writer (O_RDWR: not provided). */
  override reopen(flags: number): OpenFile {
    const acc = flags & 3;
    if (acc === 2) fail('EINVAL');
    return new PipeEnd(this.pipe, acc === O_RDONLY, flags);
  }
  protected override released(): void {
    if (this.isReader) this.pipe.readers--;
    else this.pipe.writers--;
    this.pipe.queue.notify();
  }
}
