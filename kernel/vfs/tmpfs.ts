// tmpfs: a filesystem in memory (the root, /tmp, /dev, /sys). Behaviour follows Linux's
// shmem: a directory's st_size is 20 bytes (BOGO_DIRENT_SIZE) per entry plus 40, its link
// count 2 + subdirectories; st_blocks counts the 4 KiB pages written (holes are free).
// Listings are in creation order; inode numbers count up from 2 in creation order; times
// come from the virtual clock. atime is not updated by reads (as with noatime).
// Size: as shmem's max_blocks, file data may fill at most maxPages() pages (the default
// mount size is half the machine's RAM, --mem); a write past it stops with ENOSPC (or the
// count written before). Pages of a file go when it is truncated, holed, or gone: no name
// left and no open description.

import { fail } from '../errors.ts';
import { TYPE_DT, TYPE_MODE, type FileType } from './constants.ts';
import type { DirEntry, OpenFile } from './file.ts';
import type { Loc } from './namespace.ts';
import { Filesystem, Vnode, type FileData } from './node.ts';
import type { StatInfo } from './stat.ts';

const BOGO_DIRENT_SIZE = 20;
const PAGE = 4096;

/** A character device: its number and how it opens. */
export interface Device {
  rdev: number;
  open(loc: Loc, flags: number): OpenFile;
}

export class TmpFs extends Filesystem {
  private nextIno = 2;
  readonly root: TmpNode;

  constructor(
    dev: number,
    readonly now: () => bigint,
    opts: { readOnly?: boolean; fsType?: string; rootMode?: number; maxPages?: () => number } = {},
  ) {
    super(dev, opts.fsType ?? 'tmpfs', opts.readOnly ?? false);
    this.root = new TmpNode(this, 'dir', opts.rootMode ?? 0o1777);
    this.maxPages = opts.maxPages ?? (() => Infinity);
  }

  /** Pages of file data in use (shmem used_blocks), and how many there may be. */
  usedPages = 0;
  readonly maxPages: () => number;

  allocIno(): number {
    return this.nextIno++;
  }

  // Building a (possibly read-only) tree at mount time, bypassing the read-only check.
  addDir(dir: TmpNode, name: string, mode = 0o755): TmpNode {
    return dir.insert(name, new TmpNode(this, 'dir', mode));
  }
  addFile(dir: TmpNode, name: string, content: Uint8Array | string, mode = 0o444): TmpNode {
    const node = dir.insert(name, new TmpNode(this, 'reg', mode));
    node.setContent(typeof content === 'string' ? new TextEncoder().encode(content) : content);
    return node;
  }
  addSymlink(dir: TmpNode, name: string, target: string): TmpNode {
    const node = dir.insert(name, new TmpNode(this, 'lnk', 0o777));
    node.target = target;
    return node;
  }
  addDevice(dir: TmpNode, name: string, device: Device, mode = 0o666): TmpNode {
    const node = dir.insert(name, new TmpNode(this, 'chr', mode));
    node.device = device;
    return node;
  }
  /** The directory at a path of names below the root, created as needed (mount points). */
  ensureDir(names: readonly string[]): TmpNode {
    let dir = this.root;
    for (const name of names) {
      const next = dir.children?.get(name);
      dir = next && next.type === 'dir' ? next : this.addDir(dir, name);
    }
    return dir;
  }
}

export class TmpNode extends Vnode {
  readonly ino: number;
  uid = 0;
  gid = 0;
  nlink: number;
  atimeNs: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  /** Directory entries, in creation order. */
  children?: Map<string, TmpNode>;
  /** Symlink target. */
  target = '';
  device?: Device;
  private size = 0;
  private readonly pages = new Map<number, Uint8Array>();
  /** Open descriptions of the contents: while there are any, an unlinked file keeps its pages. */
  private opens = 0;
  /**
   * Set while the pages are mapped MAP_SHARED (kernel/memory/shared.ts): called before the
   * contents are read or changed (the running process's mapped frames of file bytes
   * [offset, offset+len) written to the pages) and after they change (the frames reloaded),
   * so the frames and these pages agree, as one page cache would.
   */
  mapped?: { beforeAccess(offset: number, len: number): void; afterChange(offset: number, len: number): void };

  constructor(
    readonly fs: TmpFs,
    readonly type: FileType,
    public perm: number,
  ) {
    super();
    this.ino = fs.allocIno();
    this.nlink = type === 'dir' ? 2 : 1;
    this.atimeNs = this.mtimeNs = this.ctimeNs = fs.now();
    if (type === 'dir') this.children = new Map();
  }

  override get unlinked(): boolean {
    return this.nlink === 0;
  }

  stat(): StatInfo {
    let size = this.size;
    if (this.type === 'dir') size = (this.children!.size + 2) * BOGO_DIRENT_SIZE;
    if (this.type === 'lnk') size = this.target.length;
    return {
      dev: this.fs.dev,
      ino: this.ino,
      mode: TYPE_MODE[this.type] | this.perm,
      nlink: this.nlink,
      uid: this.uid,
      gid: this.gid,
      rdev: this.device?.rdev ?? 0,
      size,
      blksize: PAGE,
      blocks: this.pages.size * (PAGE / 512),
      atimeNs: this.atimeNs,
      mtimeNs: this.mtimeNs,
      ctimeNs: this.ctimeNs,
    };
  }

  private touch(): void {
    this.mtimeNs = this.ctimeNs = this.fs.now();
  }
  private changed(): void {
    this.ctimeNs = this.fs.now();
  }
  private checkWritable(): void {
    if (this.fs.readOnly) fail('EROFS');
  }

  override chmod(mode: number): void {
    this.checkWritable();
    this.perm = mode & 0o7777;
    this.changed();
  }
  override chown(uid: number, gid: number): void {
    this.checkWritable();
    if (uid !== -1) this.uid = uid;
    if (gid !== -1) this.gid = gid;
    this.changed();
  }
  override setTimes(atimeNs: bigint | undefined, mtimeNs: bigint | undefined): void {
    this.checkWritable();
    if (atimeNs !== undefined) this.atimeNs = atimeNs;
    if (mtimeNs !== undefined) this.mtimeNs = mtimeNs;
    this.changed();
  }

  // ---- regular file contents: 4 KiB pages, allocated when written (holes read as zeros)

  setContent(bytes: Uint8Array): void {
    this.dropPages(() => true);
    this.size = 0;
    this.writeAt(0, bytes, true);
  }

  /** Free the pages `which` selects. */
  private dropPages(which: (p: number) => boolean): void {
    for (const p of this.pages.keys()) {
      if (!which(p)) continue;
      this.pages.delete(p);
      this.fs.usedPages--;
    }
  }

  /** Evicted: no name and no open description left (unlinked files keep their data until then). */
  private releaseIfGone(): void {
    if (this.nlink === 0 && this.opens === 0) this.dropPages(() => true);
  }

  override openData(_flags: number): FileData {
    if (this.type !== 'reg') fail('ENXIO');
    this.opens++;
    let open = true;
    return {
      size: () => this.size,
      readAt: (offset, len) => this.readAt(offset, len),
      writeAt: (offset, bytes) => this.writeAt(offset, bytes),
      truncate: (size) => this.resize(size),
      punch: (offset, len) => this.punch(offset, len),
      sync: () => {},
      close: () => {
        if (!open) return;
        open = false;
        this.opens--;
        this.releaseIfGone();
      },
    };
  }

  /** The pages as the store of a shared mapping (page index -> 4 KiB page; a missing page is a hole). */
  pageStore(): { get(p: number): Uint8Array | undefined; put(p: number, bytes: Uint8Array): void; drop(p: number): void } {
    return {
      get: (p) => this.pages.get(p),
      put: (p, bytes) => {
        let page = this.pages.get(p);
        if (!page) {
          // A page the mapping touched (shmem_fault allocates it even for a read).
          this.pages.set(p, (page = new Uint8Array(PAGE)));
          this.fs.usedPages++;
        }
        page.set(bytes);
      },
      drop: (p) => this.dropPages((q) => q === p),
    };
  }

  private readAt(offset: number, len: number): Uint8Array {
    this.mapped?.beforeAccess(offset, len);
    const end = Math.min(offset + len, this.size);
    if (end <= offset) return new Uint8Array(0);
    const out = new Uint8Array(end - offset);
    for (let pos = offset; pos < end; ) {
      const p = Math.floor(pos / PAGE);
      const from = pos - p * PAGE;
      const n = Math.min(PAGE - from, end - pos);
      const page = this.pages.get(p);
      if (page) out.set(page.subarray(from, from + n), pos - offset);
      pos += n;
    }
    return out;
  }

  /** Returns the bytes written: fewer when the filesystem is full (ENOSPC if none). */
  private writeAt(offset: number, bytes: Uint8Array, building = false): number {
    if (!building) this.checkWritable();
    this.mapped?.beforeAccess(offset, bytes.length);
    let pos = offset;
    const end = offset + bytes.length;
    while (pos < end) {
      const p = Math.floor(pos / PAGE);
      const from = pos - p * PAGE;
      const n = Math.min(PAGE - from, end - pos);
      let page = this.pages.get(p);
      if (!page) {
        if (!building && this.fs.usedPages >= this.fs.maxPages()) break;
        this.pages.set(p, (page = new Uint8Array(PAGE)));
        this.fs.usedPages++;
      }
      page.set(bytes.subarray(pos - offset, pos - offset + n), from);
      pos += n;
    }
    if (pos === offset && end > offset) fail('ENOSPC');
    if (pos > this.size) this.size = pos;
    if (!building) this.touch();
    this.mapped?.afterChange(offset, pos - offset);
    return pos - offset;
  }

  /** shmem_truncate_range(): pages wholly inside the hole are freed, partly covered ones zeroed. */
  private punch(offset: number, len: number): void {
    this.checkWritable();
    this.mapped?.beforeAccess(offset, len);
    const end = offset + len;
    for (const [p, page] of this.pages) {
      const from = Math.max(offset, p * PAGE) - p * PAGE;
      const to = Math.min(end, (p + 1) * PAGE) - p * PAGE;
      if (from < to && to - from < PAGE) page.fill(0, from, to);
    }
    this.dropPages((p) => p * PAGE >= offset && (p + 1) * PAGE <= end);
    this.touch();
    this.mapped?.afterChange(offset, len);
  }

  private resize(size: number): void {
    this.checkWritable();
    if (size < this.size) {
      this.mapped?.beforeAccess(size, this.size - size);
      this.dropPages((p) => p * PAGE >= size);
      const tail = this.pages.get(Math.floor(size / PAGE));
      tail?.fill(0, size % PAGE);
      this.mapped?.afterChange(size, this.size - size);
    }
    this.size = size;
    this.touch();
  }

  override openSpecial(loc: Loc, flags: number): OpenFile {
    if (!this.device) fail('ENXIO');
    return this.device.open(loc, flags);
  }

  override readlink(): string {
    if (this.type !== 'lnk') fail('EINVAL');
    return this.target;
  }

  // ---- directories

  private dir(): Map<string, TmpNode> {
    if (!this.children) fail('ENOTDIR');
    return this.children;
  }

  /** Add an entry (no checks: callers made them). */
  insert(name: string, node: TmpNode): TmpNode {
    this.dir().set(name, node);
    if (node.type === 'dir') this.nlink++;
    this.touch();
    return node;
  }
  private remove(name: string): TmpNode {
    const node = this.dir().get(name)!;
    this.dir().delete(name);
    if (node.type === 'dir') {
      this.nlink--;
      node.nlink = 0;
    } else {
      node.nlink--;
      node.releaseIfGone();
    }
    node.changed();
    this.touch();
    return node;
  }

  override lookup(name: string): TmpNode | undefined {
    return this.dir().get(name);
  }
  override list(): DirEntry[] {
    return [...this.dir()].map(([name, n]) => ({ name, ino: n.ino, type: TYPE_DT[n.type] }));
  }
  override isEmpty(): boolean {
    return this.dir().size === 0;
  }
  override create(name: string, mode: number): Vnode {
    this.checkWritable();
    return this.insert(name, new TmpNode(this.fs, 'reg', mode & 0o7777));
  }
  override tmpfile(mode: number): Vnode {
    this.checkWritable();
    const node = new TmpNode(this.fs, 'reg', mode & 0o7777);
    node.nlink = 0;
    return node;
  }
  override mkdir(name: string, mode: number): Vnode {
    this.checkWritable();
    return this.insert(name, new TmpNode(this.fs, 'dir', mode & 0o7777));
  }
  override mksock(name: string, mode: number): Vnode {
    this.checkWritable();
    return this.insert(name, new TmpNode(this.fs, 'sock', mode & 0o7777));
  }
  override symlink(name: string, target: string): Vnode {
    this.checkWritable();
    const node = new TmpNode(this.fs, 'lnk', 0o777);
    node.target = target;
    return this.insert(name, node);
  }
  override link(name: string, node: Vnode): void {
    this.checkWritable();
    const n = node as TmpNode;
    n.nlink++;
    n.changed();
    this.insert(name, n);
  }
  override unlink(name: string): void {
    this.checkWritable();
    this.remove(name);
  }
  override rmdir(name: string): void {
    this.checkWritable();
    this.remove(name);
  }
  override rename(name: string, toDir: Vnode, toName: string, exchange: boolean): void {
    this.checkWritable();
    const to = toDir as TmpNode;
    const node = this.dir().get(name)!;
    const other = to.dir().get(toName);
    if (exchange) {
      // Swap in place: both names keep their position in their listing.
      this.dir().set(name, other!);
      to.dir().set(toName, node);
      if (this !== to && node.type !== other!.type) {
        const delta = node.type === 'dir' ? 1 : -1;
        to.nlink += delta;
        this.nlink -= delta;
      }
      node.changed();
      other!.changed();
      this.touch();
      to.touch();
      return;
    }
    if (other) to.remove(toName);
    this.dir().delete(name);
    if (node.type === 'dir') this.nlink--;
    this.touch();
    to.insert(toName, node);
    node.changed();
  }
}
