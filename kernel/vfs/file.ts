// An open file description (Linux struct file): what every descriptor pointing at it
// shares — status flags, the offset, the object behind it. Subclasses override what their
// kind of file supports; the defaults are Linux's answers for a file that lacks the
// operation (no read → EINVAL, not seekable → ESPIPE, no readdir → ENOTDIR, ...).

import { fail } from '../errors.ts';
import { O_ACCMODE, O_PATH, O_RDONLY, O_RDWR, O_WRONLY, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM } from './constants.ts';
import type { StatInfo } from './stat.ts';
import type { Loc } from './namespace.ts';
import type { WaitQueue } from './wait.ts';
import { IO_CHUNK } from './iovec-io.ts';

/** poll() answer of files that are always ready (DEFAULT_POLLMASK). */
export const DEFAULT_POLLMASK = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;

export interface DirEntry {
  name: string;
  ino: number;
  /** DT_* value. */
  type: number;
}

export abstract class OpenFile {
  /** Descriptors (and other holders) referring to this description. */
  private refs = 0;
  /** Short description for fail-fast messages ("stdin", "/tmp/x"). */
  abstract readonly label: string;

  /** @param statusFlags open flags as F_GETFL reports them (access mode, O_APPEND, O_NONBLOCK, ...). */
  constructor(public statusFlags: number) {}

  /** FMODE_READ / FMODE_WRITE; an O_PATH descriptor has neither. */
  get readable(): boolean {
    if (this.statusFlags & O_PATH) return false;
    const acc = this.statusFlags & O_ACCMODE;
    return acc === O_RDONLY || acc === O_RDWR;
  }
  get writable(): boolean {
    if (this.statusFlags & O_PATH) return false;
    const acc = this.statusFlags & O_ACCMODE;
    return acc === O_WRONLY || acc === O_RDWR;
  }
  get isPath(): boolean {
    return (this.statusFlags & O_PATH) !== 0;
  }

  /** What readlink(/proc/self/fd/N) shows: a guest path, "pipe:[ino]", "anon_inode:[eventfd]". */
  get procLink(): string {
    return this.label;
  }
  /** The place in the namespace, for files opened by path (dirfd, fchdir, fchmod, ...). */
  get loc(): Loc | undefined {
    return undefined;
  }

  abstract stat(): StatInfo;

  /** Up to len bytes (len > 0) at the file offset; empty at end of file. */
  read(_len: number): Uint8Array {
    fail('EINVAL');
  }
  /** Write at the offset (or the end, O_APPEND); returns the bytes taken. */
  write(_data: Uint8Array): number {
    fail('EINVAL');
  }
  /**
   * At most how many bytes of a `len`-byte write one write() could take: a vectored write
   * that cannot go in passes gathers no more than this (iovec-io.ts).
   */
  writeBound(len: number): number {
    return Math.min(len, IO_CHUNK);
  }
  /** pread/pwrite are allowed (FMODE_PREAD): regular files, directories, devices. */
  get positional(): boolean {
    return false;
  }
  /** Read at an explicit offset without moving the file offset (pread64). */
  pread(_len: number, _offset: number): Uint8Array {
    fail('ESPIPE');
  }
  pwrite(_data: Uint8Array, _offset: number): number {
    fail('ESPIPE');
  }
  /** lseek: the new offset. */
  seek(_offset: number, _whence: number): number {
    fail('ESPIPE');
  }
  /**
   * Directory entries from the offset on, advancing it while `fits` accepts them (it is
   * told the offset after the entry, for d_off).
   */
  readdir(_fits: (e: DirEntry, nextOffset: number) => boolean): void {
    fail('ENOTDIR');
  }
  /** ftruncate on a file opened for writing. */
  truncate(_size: number): void {
    fail('EINVAL');
  }
  /** fsync / fdatasync. */
  sync(): void {
    fail('EINVAL');
  }
  isatty(): boolean {
    return false;
  }
  /** Bytes FIONREAD reports, or undefined when the file has no FIONREAD (ENOTTY). */
  available(): number | undefined {
    return undefined;
  }

  /** Whether poll/epoll can wait on it (f_op->poll); epoll_ctl refuses others with EPERM. */
  get pollable(): boolean {
    return false;
  }
  /** Current readiness: POLL* bits. */
  poll(): number {
    return DEFAULT_POLLMASK;
  }
  /** Notified when poll() may have changed. */
  get queue(): WaitQueue | undefined {
    return undefined;
  }

  /** A new description of the same object (open of /proc/self/fd/N for a pipe or stream). */
  reopen(_flags: number): OpenFile {
    fail('ENXIO');
  }

  /** Called when the last reference goes away (pipe ends count their readers/writers). */
  protected released(): void {}

  /** No descriptor (or other holder) refers to it any more. */
  get closed(): boolean {
    return this.refs === 0;
  }

  private releaseHooks?: (() => void)[];
  /** Run fn when the last reference goes away (flock locks are dropped then). */
  onRelease(fn: () => void): void {
    (this.releaseHooks ??= []).push(fn);
  }

  hold(): void {
    this.refs++;
  }
  unhold(): void {
    if (--this.refs > 0) return;
    for (const fn of this.releaseHooks?.splice(0) ?? []) fn();
    this.released();
  }
}
