// Helpers for the vfs tests: syscalls by name with string arguments placed in guest memory.

import { LAYOUT, makeFixture, type Fixture } from '../test-support.ts';

export const AT_FDCWD = -100;
const STR_AREA = LAYOUT.data + 0x8000;
/** Scratch buffer for results (stat, getdents, read). */
export const BUF = LAYOUT.data;
export const BUF_SIZE = 0x4000;

export interface VfsFixture extends Fixture {
  /** Syscall with string arguments copied into guest memory (NUL-terminated, latin1). */
  sys(name: Parameters<Fixture['call']>[0], ...args: (number | bigint | string)[]): number;
  /** Bytes at BUF. */
  bytes(n: number, at?: number): Uint8Array;
  text(n: number, at?: number): string;
  put(data: Uint8Array | string, at?: number): number;
  /** struct stat fields of the last stat into BUF. */
  stat(path: string, flags?: number): { mode: number; ino: number; dev: number; nlink: number; size: number; blocks: number; blksize: number; rdev: number; atime: bigint; mtime: bigint; ctime: bigint } | number;
  open(path: string, flags?: number, mode?: number): number;
  write(fd: number, data: string): number;
  read(fd: number, n: number): string;
  /** Names from getdents64 on an open directory fd, in the order returned. */
  list(path: string): string[];
}

export function vfsFixture(opts: Parameters<typeof makeFixture>[0] = {}): VfsFixture {
  const f = makeFixture(opts);
  const sys = (name: Parameters<Fixture['call']>[0], ...args: (number | bigint | string)[]): number => {
    let at = STR_AREA;
    const raw = args.map((a) => {
      if (typeof a !== 'string') return a;
      const b = Buffer.from(a + '\0', 'latin1');
      f.mem.write(at, b);
      const addr = at;
      at += (b.length + 15) & ~15;
      return addr;
    });
    return Number(f.call(name, ...raw));
  };
  const bytes = (n: number, at = BUF) => f.mem.read(at, n);
  const text = (n: number, at = BUF) => Buffer.from(bytes(n, at)).toString('latin1');
  const put = (data: Uint8Array | string, at = BUF) => {
    f.mem.write(at, typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
    return at;
  };
  const stat = (path: string, flags = 0) => {
    const r = sys('newfstatat', AT_FDCWD, path, BUF, flags);
    if (r < 0) return r;
    const v = new DataView(bytes(128).buffer);
    const u64 = (o: number) => Number(v.getBigUint64(o, true));
    const ns = (o: number) => v.getBigInt64(o, true) * 1_000_000_000n + v.getBigInt64(o + 8, true);
    return {
      dev: u64(0),
      ino: u64(8),
      mode: v.getUint32(16, true),
      nlink: v.getUint32(20, true),
      rdev: u64(32),
      size: u64(48),
      blksize: v.getUint32(56, true),
      blocks: u64(64),
      atime: ns(72),
      mtime: ns(88),
      ctime: ns(104),
    };
  };
  const open = (path: string, flags = 0, mode = 0) => sys('openat', AT_FDCWD, path, flags, mode);
  const write = (fd: number, data: string) => sys('write', fd, put(data, BUF + BUF_SIZE), data.length);
  const read = (fd: number, n: number) => {
    const r = sys('read', fd, BUF, n);
    return r < 0 ? `E${-r}` : text(r);
  };
  const list = (path: string) => {
    const fd = open(path, 0x10000);
    if (fd < 0) throw new Error(`open ${path}: ${fd}`);
    const names: string[] = [];
    for (;;) {
      const n = sys('getdents64', fd, BUF, BUF_SIZE);
      if (n <= 0) break;
      const v = new DataView(bytes(n).buffer);
      for (let off = 0; off < n; ) {
        const reclen = v.getUint16(off + 16, true);
        const name = bytes(reclen - 19, BUF + off + 19);
        names.push(Buffer.from(name.subarray(0, name.indexOf(0))).toString('latin1'));
        off += reclen;
      }
    }
    sys('close', fd);
    return names;
  };
  return Object.assign(f, { sys, bytes, text, put, stat, open, write, read, list });
}
