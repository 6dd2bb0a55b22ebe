// Descriptions of files opened by path: regular files (an offset over FileData),
// directories (a listing cursor) and O_PATH handles.

import { fail } from '../errors.ts';
import { O_APPEND, SEEK_CUR, SEEK_DATA, SEEK_END, SEEK_HOLE, SEEK_SET, TYPE_DT } from './constants.ts';
import { OpenFile, type DirEntry } from './file.ts';
import type { Loc } from './namespace.ts';
import type { FileData } from './node.ts';
import type { StatInfo } from './stat.ts';

/**
 * s_maxbytes of every filesystem here: offsets are JS numbers, exact only below 2^53, so
 * files stop at 2^53 - 1 bytes (Linux tmpfs: MAX_LFS_FILESIZE, 2^63 - 1; ext4: 16 TiB).
 * lseek past it is EINVAL, truncating or writing past it EFBIG, reading past it 0 bytes.
 */
export const MAX_FILE_SIZE = Number.MAX_SAFE_INTEGER;
const MAX_OFFSET = MAX_FILE_SIZE;

/** generic_write_check_limits(): EFBIG at or past s_maxbytes, else the bytes that fit below it. */
function belowMaxSize(bytes: Uint8Array, pos: number): Uint8Array {
  if (bytes.length === 0) return bytes; // generic_write_checks(): nothing to write, no limit to hit
  if (pos >= MAX_FILE_SIZE) fail('EFBIG');
  return bytes.length > MAX_FILE_SIZE - pos ? bytes.subarray(0, MAX_FILE_SIZE - pos) : bytes;
}

/** Offset arithmetic shared by files with a size (generic_file_llseek). */
export function seekTo(pos: number, size: number, offset: number, whence: number): number {
  let to: number;
  switch (whence) {
    case SEEK_SET:
      to = offset;
      break;
    case SEEK_CUR:
      to = pos + offset;
      break;
    case SEEK_END:
      to = size + offset;
      break;
    case SEEK_DATA:
      // No holes are reported: the whole file is data.
      if (offset < 0 || offset >= size) fail('ENXIO');
      to = offset;
      break;
    case SEEK_HOLE:
      if (offset < 0 || offset >= size) fail('ENXIO');
      to = size;
      break;
    default:
      fail('EINVAL');
  }
  if (to < 0 || to > MAX_OFFSET) fail('EINVAL');
  return to;
}

/** A description opened by path: fstat, label and /proc/self/fd come from its place. */
export abstract class LocatedFile extends OpenFile {
  constructor(
    private readonly where: Loc,
    flags: number,
  ) {
    super(flags);
  }
  override get loc(): Loc {
    return this.where;
  }
  get label(): string {
    return this.where.path();
  }
  override get procLink(): string {
    return this.where.path() + (this.where.node.unlinked ? ' (deleted)' : '');
  }
  stat(): StatInfo {
    return this.where.node.stat();
  }
  override get positional(): boolean {
    return true;
  }
}

/** O_PATH: a place, usable as dirfd, for fstat and fchdir; reads and writes are EBADF. */
export class OPathFile extends LocatedFile {}

export class RegularFile extends LocatedFile {
  private pos = 0;
  /**
   * file_remove_privs() before a write that changes the contents (permission.ts
   * removePrivs with the writer's credentials, set by whoever opens the file).
   */
  removePrivs?: () => void;
  constructor(
    loc: Loc,
    flags: number,
    /** The contents; exposed for file-backed mappings. */
    readonly data: FileData,
  ) {
    super(loc, flags);
  }

  override read(len: number): Uint8Array {
    const out = this.data.readAt(this.pos, len);
    this.pos += out.length;
    return out;
  }
  /** Where write() starts: the offset, or the end under O_APPEND (generic_write_checks_count: IOCB_APPEND). */
  writePos(): number {
    return this.statusFlags & O_APPEND ? this.data.size() : this.pos;
  }
  /** Where pwrite(offset) starts: the end under O_APPEND (the quirk below). */
  pwritePos(offset: number): number {
    return this.statusFlags & O_APPEND ? this.data.size() : offset;
  }
  override write(bytes: Uint8Array): number {
    if (this.statusFlags & O_APPEND) this.pos = this.data.size();
    const data = belowMaxSize(bytes, this.pos);
    if (data.length) this.removePrivs?.();
    const n = this.data.writeAt(this.pos, data);
    this.pos += n;
    return n;
  }
  override pread(len: number, offset: number): Uint8Array {
    // filemap_read(): nothing at or past s_maxbytes.
    if (offset >= MAX_FILE_SIZE) return new Uint8Array(0);
    return this.data.readAt(offset, len);
  }
  override pwrite(bytes: Uint8Array, offset: number): number {
    // Linux quirk (man 2 pwrite, BUGS): with O_APPEND, pwrite appends whatever the offset.
    const pos = this.statusFlags & O_APPEND ? this.data.size() : offset;
    const data = belowMaxSize(bytes, pos);
    if (data.length) this.removePrivs?.();
    return this.data.writeAt(pos, data);
  }
  override seek(offset: number, whence: number): number {
    this.pos = seekTo(this.pos, this.data.size(), offset, whence);
    return this.pos;
  }
  override truncate(size: number): void {
    this.data.truncate(size);
  }
  override stat(): StatInfo {
    return this.data.stat?.() ?? super.stat();
  }
  override sync(): void {
    this.data.sync();
  }
  override available(): number {
    return this.data.size() - this.pos;
  }
  protected override released(): void {
    this.data.close();
  }
}

/**
 * A directory: getdents64 walks a listing taken when reading starts at offset 0 (".",
 * "..", then the filesystem's entries); d_off of entry i is i + 1, and lseek to such a
 * value resumes there.
 */
export class DirFile extends LocatedFile {
  private pos = 0;
  private listing?: DirEntry[];

  override read(): Uint8Array {
    fail('EISDIR');
  }
  override pread(): Uint8Array {
    fail('EISDIR');
  }
  override readdir(fits: (e: DirEntry, nextOffset: number) => boolean): void {
    if (this.pos === 0 || !this.listing) this.listing = this.entries();
    while (this.pos < this.listing.length && fits(this.listing[this.pos], this.pos + 1)) this.pos++;
  }
  private entries(): DirEntry[] {
    const here = this.loc;
    const dot = { name: '.', ino: here.node.stat().ino, type: TYPE_DT.dir };
    const dotdot = { name: '..', ino: here.up().node.stat().ino, type: TYPE_DT.dir };
    return [dot, dotdot, ...here.node.list()];
  }
  override seek(offset: number, whence: number): number {
    let to: number;
    if (whence === SEEK_SET) to = offset;
    else if (whence === SEEK_CUR) to = this.pos + offset;
    else fail('EINVAL');
    if (to < 0) fail('EINVAL');
    if (to === 0) this.listing = undefined;
    this.pos = to;
    return to;
  }
  override sync(): void {}
}
