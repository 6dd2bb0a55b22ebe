// The descriptor table: fd number → open file description, plus the per-descriptor
// close-on-exec flag. Several descriptors may share a description (dup); the description
// learns when the last one closes (OpenFile.hold/unhold).
//
// For other modules (e.g. file-backed mmap): `get(fd)` is Linux's fdget() (O_PATH
// descriptors excluded: callers answer EBADF), `getRaw(fd)` is fdget_raw(). A regular
// file's bytes are read with `file.pread(len, offset)`; hold()/unhold() keep a description
// alive past close().

import { fail } from '../errors.ts';
import { OpenFile } from './file.ts';

export { OpenFile } from './file.ts';

interface Slot {
  file: OpenFile;
  cloexec: boolean;
}

export class FdTable {
  private readonly slots = new Map<number, Slot>();
  /**
   * Descriptors taken by a call before it has a file to put there, by the call's owner (its
   * thread): Linux's get_unused_fd_flags() marks the number in use at once and fd_install()
   * fills it later, so a blocking accept holds its number while it waits (fs/file.c,
   * net/socket.c __sys_accept4_file). Not open (EBADF), but never handed to another call.
   */
  private readonly reserved = new Map<number, unknown>();

  /** fdget(): undefined for closed and O_PATH descriptors. */
  get(fd: number): OpenFile | undefined {
    const file = this.slots.get(fd)?.file;
    return file && !file.isPath ? file : undefined;
  }
  /** fdget_raw(): O_PATH descriptors included. */
  getRaw(fd: number): OpenFile | undefined {
    return this.slots.get(fd)?.file;
  }
  /** Put file at fd, closing what was there (dup3 semantics). */
  install(fd: number, file: OpenFile, cloexec = false): void {
    file.hold();
    const old = this.slots.get(fd);
    this.slots.set(fd, { file, cloexec });
    old?.file.unhold();
  }
  /** Lowest fd not in use, at or above min. */
  lowestFree(min = 0): number {
    let fd = min;
    while (this.slots.has(fd) || this.reserved.has(fd)) fd++;
    return fd;
  }
  /** get_unused_fd_flags(): the owner's reserved fd, or the lowest free one reserved for it now (EMFILE at limit). */
  reserve(owner: unknown, limit: number): number {
    for (const [fd, o] of this.reserved) if (o === owner) return fd;
    const fd = this.lowestFree();
    if (fd >= limit) fail('EMFILE');
    this.reserved.set(fd, owner);
    return fd;
  }
  /** put_unused_fd(): the owner's reservation given back (its call failed). */
  release(owner: unknown): void {
    for (const [fd, o] of this.reserved) if (o === owner) this.reserved.delete(fd);
  }
  /** fd_install() into a reserved number. */
  installReserved(fd: number, file: OpenFile, cloexec = false): void {
    this.reserved.delete(fd);
    this.install(fd, file, cloexec);
  }
  /** A number reserved and not yet installed (dup3 onto it is EBUSY, fs/file.c do_dup2). */
  isReserved(fd: number): boolean {
    return this.reserved.has(fd);
  }
  /** Lowest free fd >= min and < limit (EMFILE if none), holding file there. */
  allocate(file: OpenFile, limit: number, cloexec = false, min = 0): number {
    const fd = this.lowestFree(min);
    if (fd >= limit) fail('EMFILE');
    this.install(fd, file, cloexec);
    return fd;
  }
  /** False if fd was not open (EBADF). */
  close(fd: number): boolean {
    const slot = this.slots.get(fd);
    if (!slot) return false;
    this.slots.delete(fd);
    slot.file.unhold();
    return true;
  }
  getCloexec(fd: number): boolean {
    return this.slots.get(fd)?.cloexec ?? false;
  }
  setCloexec(fd: number, on: boolean): void {
    const slot = this.slots.get(fd);
    if (slot) slot.cloexec = on;
  }
  /** dup_fd() for fork: the same descriptors, close-on-exec flags and open file descriptions. */
  clone(): FdTable {
    const t = new FdTable();
    for (const [fd, { file, cloexec }] of this.slots) t.install(fd, file, cloexec);
    return t;
  }
  /** Open descriptors in ascending order. */
  fds(): number[] {
    return [...this.slots.keys()].sort((a, b) => a - b);
  }
}
