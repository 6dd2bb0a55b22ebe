// Filesystems and their objects (Linux's super_block and inode), as the namespace walks
// them. A Vnode does the mechanics of its filesystem; the generic rules (which errno when
// a name exists, is a directory, is not empty, ...) are checked once, in the syscall code,
// before a Vnode method is called.
//
// Defaults answer as Linux does for an object or filesystem that lacks the operation:
// directory operations on a non-directory are ENOTDIR; changes on a read-only filesystem
// are EROFS (proc, sys) — except where the filesystem refuses with EPERM.

import { fail } from '../errors.ts';
import type { Credentials } from '../process/credentials.ts';
import { O_WRONLY, type FileType } from './constants.ts';
import type { DirEntry, OpenFile } from './file.ts';
import type { Loc } from './namespace.ts';
import type { StatInfo } from './stat.ts';

export abstract class Filesystem {
  /** Mount id (statx stx_mnt_id), set when mounted. */
  mntId = 0;
  constructor(
    /** st_dev of every object in it. */
    readonly dev: number,
    /** Name in /proc/self/mounts ("tmpfs", "proc", "hostfs"). */
    readonly fsType: string,
    readonly readOnly: boolean,
  ) {}
  abstract readonly root: Vnode;
}

/** Byte access to a regular file's contents, one per open (host files hold a host fd). */
export interface FileData {
  size(): number;
  readAt(offset: number, len: number): Uint8Array;
  /** Returns the bytes written: fewer only when the filesystem is full (ENOSPC if none). */
  writeAt(offset: number, data: Uint8Array): number;
  truncate(size: number): void;
  /** FALLOC_FL_PUNCH_HOLE over [offset, offset+len) inside the file, when the filesystem frees pages. */
  punch?(offset: number, len: number): void;
  sync(): void;
  /** fstat through the open file itself, when that is more accurate than the node's stat. */
  stat?(): StatInfo;
  /** Last description using it is gone. */
  close(): void;
}

export abstract class Vnode {
  abstract readonly fs: Filesystem;
  abstract readonly type: FileType;
  abstract stat(): StatInfo;

  /** Set when the object has been removed from every directory (getcwd: ENOENT). */
  get unlinked(): boolean {
    return false;
  }

  /**
   * i_op->permission: the filesystem's own access rule for `mask` (MAY_* of permission.ts),
   * 0 or -errno, in place of generic_permission(); most objects have none.
   */
  permission?(c: Credentials, mask: number): number;

  // ---- i_writecount (include/linux/fs.h): > 0 descriptions open for writing, < 0
  // processes running the file (deny_write_access), never both.
  private writers = 0;
  /** The count itself; a host file's lives in its filesystem, keyed by the host inode (hostfs.ts). */
  get writeCount(): number {
    return this.writers;
  }
  set writeCount(n: number) {
    this.writers = n;
  }
  /** get_write_access(): ETXTBSY while a process runs the file. */
  getWriteAccess(): void {
    if (this.writeCount < 0) fail('ETXTBSY');
    this.writeCount++;
  }
  /** put_write_access(): a description opened for writing is released. */
  putWriteAccess(): void {
    this.writeCount--;
  }
  /** deny_write_access(): ETXTBSY while a description has it open for writing. */
  denyWriteAccess(): void {
    if (this.writeCount > 0) fail('ETXTBSY');
    this.writeCount--;
  }
  /** allow_write_access(): a process no longer runs it. */
  allowWriteAccess(): void {
    this.writeCount++;
  }

  protected refuse(): never {
    fail(this.fs.readOnly ? 'EROFS' : 'EPERM');
  }

  // ---- metadata
  chmod(_mode: number): void {
    this.refuse();
  }
  chown(_uid: number, _gid: number): void {
    this.refuse();
  }
  /** Set atime/mtime (undefined: leave as is) and ctime = now. */
  setTimes(_atimeNs: bigint | undefined, _mtimeNs: bigint | undefined): void {
    this.refuse();
  }

  // ---- regular files
  /** Access to the contents (type 'reg'); `flags` are the open flags. */
  openData(_flags: number): FileData {
    fail('ENXIO');
  }
  /** truncate(2) by path. */
  truncate(size: number): void {
    const data = this.openData(O_WRONLY);
    try {
      data.truncate(size);
    } finally {
      data.close();
    }
  }

  // ---- devices and other special files: their own description
  openSpecial(_loc: Loc, _flags: number): OpenFile {
    fail('ENXIO');
  }

  // ---- symbolic links
  readlink(): string {
    fail('EINVAL');
  }

  // ---- directories (type 'dir'); names are single components, never "." or ".."
  lookup(_name: string): Vnode | undefined {
    fail('ENOTDIR');
  }
  /** Entries in listing order, without "." and "..". */
  list(): DirEntry[] {
    fail('ENOTDIR');
  }
  isEmpty(): boolean {
    return this.list().length === 0;
  }
  create(_name: string, _mode: number): Vnode {
    this.refuse();
  }
  mkdir(_name: string, _mode: number): Vnode {
    this.refuse();
  }
  symlink(_name: string, _target: string): Vnode {
    this.refuse();
  }
  /** A socket inode (S_IFSOCK, what bind(2) of an AF_UNIX socket to a path makes with vfs_mknod). */
  mksock(_name: string, _mode: number): Vnode {
    this.refuse();
  }
  /** O_TMPFILE: a regular file in this directory's filesystem without a name. */
  tmpfile(_mode: number): Vnode {
    fail('EOPNOTSUPP');
  }
  /** New name for `node` (same filesystem, not a directory). */
  link(_name: string, _node: Vnode): void {
    this.refuse();
  }
  /** Remove a non-directory entry. */
  unlink(_name: string): void {
    this.refuse();
  }
  /** Remove an empty directory entry. */
  rmdir(_name: string): void {
    this.refuse();
  }
  /**
   * Move entry `name` to `toDir`/`toName` (same filesystem), replacing what is there —
   * or, with exchange, swapping the two.
   */
  rename(_name: string, _toDir: Vnode, _toName: string, _exchange: boolean): void {
    this.refuse();
  }
}
