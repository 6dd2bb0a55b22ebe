// A host directory mounted into the guest, read-write and confined: the guest reaches
// nothing outside it.
//
// Confinement. The namespace walks paths itself, one component at a time, so `..` and
// symlinks are resolved in the guest's namespace and never by the host. Here every host
// call names a path that the walk built from components it has lstat'ed: directories
// that are not symlinks. Before a lookup or change inside a directory, its host realpath
// is compared with the path we expect (a host process swapping a directory for a symlink
// in between is caught), files are opened with O_NOFOLLOW, and an opened descriptor's
// /proc/self/fd link must lie under the root. A symlink's target is stored verbatim and
// only ever interpreted by the guest walk.
//
// Determinism. Host inode numbers, devices and times vary from run to run, so the guest
// sees its own: inode numbers count up from 2 in the order the guest first meets each host
// file (hard links share one), st_dev is the mount's, times are the virtual clock's (files
// that were there before the guest started have the clock's start time; what the guest
// changes gets the time of the change). uid/gid are the guest's; chown and utimensat
// change the guest's view only. Mode, size, link count and blocks are the host's.
// Listings are sorted by name (bytes).

import { createServer } from 'node:net';
import {
  chmodSync,
  closeSync,
  constants as C,
  fchmodSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmdirSync,
  symlinkSync,
  unlinkSync,
  writeSync,
  type BigIntStats,
} from 'node:fs';
import { E, type ErrnoName } from '../errno.ts';
import { SyscallErrno, fail } from '../errors.ts';
import { O_ACCMODE, O_RDWR, O_WRONLY, TYPE_DT, type FileType } from './constants.ts';
import type { DirEntry } from './file.ts';
import { Filesystem, Vnode, type FileData } from './node.ts';
import type { StatInfo } from './stat.ts';

/** Run a host call; its errno becomes the guest's. */
function host<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code && code in E) throw new SyscallErrno(E[code as ErrnoName]);
    throw e;
  }
}

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');

function typeOf(st: BigIntStats): FileType {
  if (st.isFile()) return 'reg';
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'lnk';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'sock';
  if (st.isCharacterDevice()) return 'chr';
  return 'blk';
}

export interface HostFsOptions {
  /** st_dev of the mount. */
  dev: number;
  /** The virtual clock (ns since the epoch). */
  now: () => bigint;
  /** uid/gid the guest sees as owner of every host file. */
  uid: number;
  gid: number;
  /** A read-only mount (EROFS for every change): the sysroot of dynamically linked programs. */
  readOnly?: boolean;
  /**
   * i_writecount of host files, by host inode ("dev:ino"): shared by every mount of one
   * namespace, so a host file seen through two mounts is one inode (Vnode.writeCount).
   */
  writeCounts?: Map<string, number>;
}

export class HostFs extends Filesystem {
  readonly root: HostNode;
  /** Resolved host path of the root; nothing outside it is ever named. */
  readonly rootPath: string;
  private readonly nodes = new Map<string, HostNode>();
  private nextIno = 2;
  private readonly startNs: bigint;
  private exchangeCounter = 0;
  /** Nonzero write counts of host inodes (HostFsOptions.writeCounts). */
  readonly writeCounts: Map<string, number>;

  constructor(
    hostDir: string,
    readonly opts: HostFsOptions,
  ) {
    super(opts.dev, 'hostfs', opts.readOnly ?? false);
    this.writeCounts = opts.writeCounts ?? new Map();
    this.rootPath = host(() => realpathSync.native(hostDir));
    this.startNs = opts.now();
    const st = host(() => lstatSync(this.rootPath, { bigint: true }));
    if (!st.isDirectory()) fail('ENOTDIR');
    this.root = this.nodeFor(st, '');
  }

  hostPath(rel: string): Buffer {
    return rel === '' ? latin1(this.rootPath) : Buffer.concat([latin1(this.rootPath), latin1('/' + rel)]);
  }

  /** The node of a host object just lstat'ed at rel: one per host inode. */
  nodeFor(st: BigIntStats, rel: string): HostNode {
    const key = `${st.dev}:${st.ino}`;
    let node = this.nodes.get(key);
    if (!node) {
      node = new HostNode(this, key, this.nextIno++, typeOf(st), rel, this.startNs);
      this.nodes.set(key, node);
    }
    node.rel = rel;
    node.last = st;
    return node;
  }
  /** The host inode is gone: a later file reusing its number is a new guest inode. */
  forget(node: HostNode): void {
    if (this.nodes.get(node.key) === node) this.nodes.delete(node.key);
  }

  /** Throws ENOENT unless the host directory at rel is where we expect it (no symlink on the way). */
  verifyDir(rel: string): Buffer {
    const path = this.hostPath(rel);
    let real: Buffer;
    try {
      real = realpathSync.native(path, { encoding: 'buffer' });
    } catch {
      fail('ENOENT');
    }
    if (!real.equals(path)) fail('ENOENT');
    return path;
  }

  /** Throws ENOENT (after closing it) unless host fd refers to something under the root. */
  verifyFd(fd: number): void {
    let target: Buffer;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`, { encoding: 'buffer' });
    } catch {
      return; // no /proc on this host: the O_NOFOLLOW open of a verified directory has to do
    }
    const root = latin1(this.rootPath);
    const inside = target.equals(root) || (target.length > root.length && target.subarray(0, root.length).equals(root) && target[root.length] === 0x2f);
    if (!inside) {
      closeSync(fd);
      fail('ENOENT');
    }
  }

  nextExchangeName(): string {
    return `.zerosys-exchange-${this.exchangeCounter++}`;
  }
}

/** Temporary names of HostNode.mksock. */
let socketCounter = 0;

/** Page size of a shared mapping's store (pageStore). */
const PAGE = 4096;

const join = (rel: string, name: string): string => (rel === '' ? name : `${rel}/${name}`);

export class HostNode extends Vnode {
  uid: number;
  gid: number;
  atimeNs: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  /** Last lstat seen (answers stat when the path has gone stale). */
  last!: BigIntStats;
  private gone = false;
  /**
   * Set while the file is mapped MAP_SHARED (kernel/memory/shared.ts), as TmpNode.mapped:
   * the running process's mapped frames are written to the file before its contents are read
   * or changed, and reloaded after they change.
   */
  mapped?: { beforeAccess(offset: number, len: number): void; afterChange(offset: number, len: number): void };

  constructor(
    readonly fs: HostFs,
    readonly key: string,
    readonly ino: number,
    readonly type: FileType,
    /** Path below the root where the guest last found it. */
    public rel: string,
    startNs: bigint,
  ) {
    super();
    this.uid = fs.opts.uid;
    this.gid = fs.opts.gid;
    this.atimeNs = this.mtimeNs = this.ctimeNs = startNs;
  }

  override get unlinked(): boolean {
    return this.gone;
  }

  // i_writecount belongs to the host inode the node stands for, not to this node.
  override get writeCount(): number {
    return this.fs.writeCounts.get(this.key) ?? 0;
  }
  override set writeCount(n: number) {
    if (n) this.fs.writeCounts.set(this.key, n);
    else this.fs.writeCounts.delete(this.key);
  }

  private fresh(): BigIntStats {
    try {
      const st = lstatSync(this.fs.hostPath(this.rel), { bigint: true });
      if (`${st.dev}:${st.ino}` === this.key) this.last = st;
    } catch {
      // renamed or removed behind this path: keep the last values
    }
    return this.last;
  }

  statFrom(st: BigIntStats): StatInfo {
    return {
      dev: this.fs.dev,
      ino: this.ino,
      mode: Number(st.mode),
      nlink: this.gone ? 0 : Number(st.nlink),
      uid: this.uid,
      gid: this.gid,
      rdev: 0,
      size: Number(st.size),
      blksize: Number(st.blksize),
      blocks: Number(st.blocks),
      atimeNs: this.atimeNs,
      mtimeNs: this.mtimeNs,
      ctimeNs: this.ctimeNs,
    };
  }

  stat(): StatInfo {
    return this.statFrom(this.fresh());
  }

  /** Content changed now. */
  touch(): void {
    this.mtimeNs = this.ctimeNs = this.fs.opts.now();
  }
  private changed(): void {
    this.ctimeNs = this.fs.opts.now();
  }

  /** Open the host object itself (never through a symlink), checked to be under the root. */
  private openHost(flags: number): number {
    if (this.rel !== '') this.fs.verifyDir(this.rel.includes('/') ? this.rel.slice(0, this.rel.lastIndexOf('/')) : '');
    const fd = host(() => openSync(this.fs.hostPath(this.rel), flags | C.O_NOFOLLOW | C.O_NONBLOCK));
    this.fs.verifyFd(fd);
    const st = fstatSync(fd, { bigint: true });
    if (`${st.dev}:${st.ino}` !== this.key) {
      closeSync(fd);
      fail('ENOENT');
    }
    return fd;
  }

  override chmod(mode: number): void {
    const fd = this.openHost(C.O_RDONLY);
    try {
      host(() => fchmodSync(fd, mode & 0o7777));
    } finally {
      closeSync(fd);
    }
    this.changed();
  }
  override chown(uid: number, gid: number): void {
    if (uid !== -1) this.uid = uid;
    if (gid !== -1) this.gid = gid;
    this.changed();
  }
  override setTimes(atimeNs: bigint | undefined, mtimeNs: bigint | undefined): void {
    if (atimeNs !== undefined) this.atimeNs = atimeNs;
    if (mtimeNs !== undefined) this.mtimeNs = mtimeNs;
    this.changed();
  }

  override openData(flags: number): FileData {
    if (this.type !== 'reg') fail('ENXIO');
    const acc = flags & O_ACCMODE;
    const fd = this.openHost(acc === O_RDWR ? C.O_RDWR : acc === O_WRONLY ? C.O_WRONLY : C.O_RDONLY);
    return {
      size: () => Number(fstatSync(fd).size),
      readAt: (offset, len) => {
        this.mapped?.beforeAccess(offset, len);
        const buf = Buffer.alloc(len);
        let got = 0;
        while (got < len) {
          const n = host(() => readSync(fd, buf, got, len - got, offset + got));
          if (n === 0) break;
          got += n;
        }
        return buf.subarray(0, got);
      },
      writeAt: (offset, data) => {
        this.mapped?.beforeAccess(offset, data.length);
        let done = 0;
        while (done < data.length) done += host(() => writeSync(fd, data, done, data.length - done, offset + done));
        this.touch();
        this.mapped?.afterChange(offset, done);
        return done;
      },
      truncate: (size) => {
        this.mapped?.beforeAccess(0, Infinity);
        host(() => ftruncateSync(fd, size));
        this.touch();
        this.mapped?.afterChange(0, Infinity);
      },
      sync: () => host(() => fsyncSync(fd)),
      // By the descriptor: right even after the name was removed or renamed.
      stat: () => this.statFrom(fstatSync(fd, { bigint: true })),
      close: () => closeSync(fd),
    };
  }

  /**
   * The file's pages as the store of a shared mapping, through descriptors of its own (read
   * only, and read-write once a changed page is written back): a page the mapping did not
   * change is not written, so a read-only mapping never writes; writes stop at the file's
   * end (bytes a mapping writes past it, in its last page, are not the file's, as on Linux).
   */
  pageStore(): { get(p: number): Uint8Array | undefined; put(p: number, bytes: Uint8Array): void; drop(p: number): void; close(): void } {
    let reader: number | undefined;
    let writer: number | undefined;
    const read = (p: number): Uint8Array | undefined => {
      reader ??= this.openHost(C.O_RDONLY);
      const buf = Buffer.alloc(PAGE);
      const n = host(() => readSync(reader!, buf, 0, PAGE, p * PAGE));
      return n === 0 ? undefined : new Uint8Array(buf.buffer, buf.byteOffset, PAGE);
    };
    /** The bytes of page p that lie inside the file (0 past its end): the most a page may write. */
    const inFile = (p: number): number => Math.min(PAGE, Number(fstatSync((reader ??= this.openHost(C.O_RDONLY))).size) - p * PAGE);
    return {
      get: read,
      put: (p, bytes) => {
        const len = inFile(p);
        if (len <= 0) return;
        const old = read(p);
        if (old && Buffer.compare(old.subarray(0, len), bytes.subarray(0, len)) === 0) return;
        writer ??= this.openHost(C.O_RDWR);
        let done = 0;
        while (done < len) done += host(() => writeSync(writer!, bytes, done, len - done, p * PAGE + done));
        this.touch();
      },
      drop: (p) => {
        // MADV_REMOVE of a shared file mapping punches a hole: zeros within the file's size.
        const len = inFile(p);
        if (len <= 0) return;
        writer ??= this.openHost(C.O_RDWR);
        host(() => writeSync(writer!, new Uint8Array(len), 0, len, p * PAGE));
      },
      close: () => {
        if (reader !== undefined) closeSync(reader);
        if (writer !== undefined) closeSync(writer);
        reader = writer = undefined;
      },
    };
  }

  override truncate(size: number): void {
    const data = this.openData(O_WRONLY);
    try {
      data.truncate(size);
    } finally {
      data.close();
    }
  }

  override readlink(): string {
    if (this.type !== 'lnk') fail('EINVAL');
    this.fs.verifyDir(this.rel.includes('/') ? this.rel.slice(0, this.rel.lastIndexOf('/')) : '');
    return host(() => readlinkSync(this.fs.hostPath(this.rel), { encoding: 'buffer' })).toString('latin1');
  }

  // ---- directories

  /** Host path of entry `name`, after checking this directory is where we expect it. */
  private child(name: string): Buffer {
    if (this.type !== 'dir') fail('ENOTDIR');
    this.fs.verifyDir(this.rel);
    return this.fs.hostPath(join(this.rel, name));
  }

  override lookup(name: string): HostNode | undefined {
    const path = this.child(name);
    let st: BigIntStats;
    try {
      st = lstatSync(path, { bigint: true });
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ENOENT') return undefined;
      if (code && code in E) throw new SyscallErrno(E[code as ErrnoName]);
      throw e;
    }
    return this.fs.nodeFor(st, join(this.rel, name));
  }

  override list(): DirEntry[] {
    const names = host(() => readdirSync(this.child('.'), { encoding: 'buffer' }));
    names.sort(Buffer.compare);
    const out: DirEntry[] = [];
    for (const raw of names) {
      const name = raw.toString('latin1');
      const node = this.lookup(name);
      if (node) out.push({ name, ino: node.ino, type: TYPE_DT[node.type] });
    }
    return out;
  }

  override isEmpty(): boolean {
    return host(() => readdirSync(this.child('.'))).length === 0;
  }

  private created(name: string): HostNode {
    this.touch();
    const node = this.lookup(name);
    if (!node) fail('ENOENT');
    node.atimeNs = node.mtimeNs = node.ctimeNs = this.mtimeNs;
    return node;
  }

  override create(name: string, mode: number): Vnode {
    const path = this.child(name);
    const fd = host(() => openSync(path, C.O_CREAT | C.O_EXCL | C.O_WRONLY | C.O_NOFOLLOW, mode & 0o7777));
    try {
      fchmodSync(fd, mode & 0o7777); // the host umask must not change the guest's mode
    } finally {
      closeSync(fd);
    }
    return this.created(name);
  }
  override mkdir(name: string, mode: number): Vnode {
    const path = this.child(name);
    host(() => mkdirSync(path, { mode: mode & 0o7777 }));
    const fd = host(() => openSync(path, C.O_RDONLY | C.O_NOFOLLOW | C.O_DIRECTORY));
    try {
      fchmodSync(fd, mode & 0o7777);
    } finally {
      closeSync(fd);
    }
    return this.created(name);
  }
  /**
   * A socket inode on the host. Node has no mknod, but a listening libuv pipe creates one
   * synchronously: bind it under a temporary name through /proc/self/fd/N of this directory
   * (short, whatever the directory's path length), link that to the name (EEXIST if it is
   * taken, as mknod), then close the listener, which unlinks the temporary name.
   */
  override mksock(name: string, mode: number): Vnode {
    const path = this.child(name);
    const dirfd = host(() => openSync(this.fs.verifyDir(this.rel), C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW));
    const tmp = `.zerosys-sock-${process.pid}-${socketCounter++}`;
    const server = createServer();
    server.on('error', () => {});
    try {
      server.listen(`/proc/self/fd/${dirfd}/${tmp}`);
      if (!server.listening) fail('EIO');
      host(() => linkSync(Buffer.concat([this.fs.verifyDir(this.rel), latin1(`/${tmp}`)]), path));
    } finally {
      server.close();
      closeSync(dirfd);
    }
    host(() => chmodSync(path, mode & 0o7777)); // the host umask must not change the guest's mode
    return this.created(name);
  }
  override symlink(name: string, target: string): Vnode {
    const path = this.child(name);
    host(() => symlinkSync(latin1(target), path));
    return this.created(name);
  }
  override link(name: string, node: Vnode): void {
    const from = node as HostNode;
    const path = this.child(name);
    from.fs.verifyDir(from.rel.includes('/') ? from.rel.slice(0, from.rel.lastIndexOf('/')) : '');
    host(() => linkSync(from.fs.hostPath(from.rel), path));
    from.changed();
    this.touch();
  }
  override unlink(name: string): void {
    const node = this.lookup(name);
    const path = this.child(name);
    host(() => unlinkSync(path));
    this.touch();
    if (node) this.dropped(node);
  }
  override rmdir(name: string): void {
    const node = this.lookup(name);
    const path = this.child(name);
    host(() => rmdirSync(path));
    this.touch();
    if (node) this.dropped(node);
  }
  /** After a name went away: forget the host inode if that was its last link. */
  private dropped(node: HostNode): void {
    node.changed();
    if (node.type === 'dir' || Number(node.last.nlink) <= 1) {
      node.gone = true;
      this.fs.forget(node);
    } else {
      node.fresh();
    }
  }
  override rename(name: string, toDir: Vnode, toName: string, exchange: boolean): void {
    const to = toDir as HostNode;
    const from = this.child(name);
    const dest = to.child(toName);
    const moved = this.lookup(name)!;
    const replaced = to.lookup(toName);
    if (exchange) {
      const tmp = this.child(this.fs.nextExchangeName());
      host(() => renameSync(from, tmp));
      host(() => renameSync(dest, from));
      host(() => renameSync(tmp, dest));
      replaced?.changed();
    } else {
      host(() => renameSync(from, dest));
      if (replaced && replaced !== moved) this.dropped(replaced);
    }
    moved.changed();
    this.touch();
    to.touch();
    // Paths changed: the nodes learn their new place.
    to.lookup(toName);
    if (exchange) this.lookup(name);
  }
}
