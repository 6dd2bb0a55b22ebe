// Expected behaviour: man 2 read / write / readv / close / fstat / ioctl_tty / readlink;
// struct layouts from <asm-generic/stat.h> and <asm-generic/termbits.h>; the ENOTTY / EBADF
// cases also match what qemu-riscv64 7.2 returned for the same calls on a pipe.

import { describe, expect, it } from 'vitest';
import { PROT_NONE } from '../../emulator/memory.ts';
import { ZerosysStop } from '../api.ts';
import { E } from '../errno.ts';
import { LAYOUT, TestStdio, cString, err, makeFixture } from '../test-support.ts';
import { AT_EMPTY_PATH, AT_FDCWD } from '../abi.ts';
import { IO_CHUNK } from './iovec-io.ts';

const D = LAYOUT.data;

function iovecs(f: ReturnType<typeof makeFixture>, at: number, segs: [number, number][]): number {
  segs.forEach(([base, len], i) => {
    f.mem.write(at + 16 * i, new Uint8Array(new BigUint64Array([BigInt(base), BigInt(len)]).buffer));
  });
  return at;
}

describe('write / writev', () => {
  it('writes to stdout and stderr', () => {
    const f = makeFixture();
    cString(f.mem, D, 'hello\n');
    expect(f.call('write', 1, D, 6)).toBe(6n);
    expect(f.call('write', 2, D, 5)).toBe(5n);
    expect(f.stdio.text(1)).toBe('hello\n');
    expect(f.stdio.text(2)).toBe('hello');
  });

  it('EBADF for stdin and unknown fds; 0 bytes is 0', () => {
    const f = makeFixture();
    expect(f.call('write', 0, D, 1)).toBe(err(E.EBADF));
    expect(f.call('write', 3, D, 1)).toBe(err(E.EBADF));
    expect(f.call('write', -1, D, 1)).toBe(err(E.EBADF));
    expect(f.call('write', 1, LAYOUT.unmapped, 0)).toBe(0n);
  });

  it('EFAULT when no byte is readable; otherwise writes up to the fault', () => {
    const f = makeFixture();
    expect(f.call('write', 1, LAYOUT.unmapped, 4)).toBe(err(E.EFAULT));
    expect(f.call('write', 1, 2n ** 40n, 4)).toBe(err(E.EFAULT));
    const end = D + LAYOUT.dataSize;
    f.mem.write(end - 3, new Uint8Array([65, 66, 67]));
    expect(f.call('write', 1, end - 3, 10)).toBe(3n);
    expect(f.stdio.text(1)).toBe('ABC');
  });

  it('writev gathers the segments in order', () => {
    const f = makeFixture();
    cString(f.mem, D + 0x100, 'ab');
    cString(f.mem, D + 0x200, 'cde');
    const iov = iovecs(f, D, [[D + 0x100, 2], [D + 0x300, 0], [D + 0x200, 3]]);
    expect(f.call('writev', 1, iov, 3)).toBe(5n);
    expect(f.stdio.text(1)).toBe('abcde');
    expect(f.call('writev', 1, iov, 0)).toBe(0n);
  });

  it('writev errors: EBADF first, then EINVAL / EFAULT from the iovec', () => {
    const f = makeFixture();
    const iov = iovecs(f, D, [[D + 0x100, 2]]);
    expect(f.call('writev', 0, LAYOUT.unmapped, 1)).toBe(err(E.EBADF));
    expect(f.call('writev', 1, iov, 1025)).toBe(err(E.EINVAL)); // > UIO_MAXIOV
    expect(f.call('writev', 1, LAYOUT.unmapped, 1)).toBe(err(E.EFAULT));
    iovecs(f, D + 0x40, [[D, -1]]);
    expect(f.call('writev', 1, D + 0x40, 1)).toBe(err(E.EINVAL)); // negative iov_len
    iovecs(f, D + 0x80, [[LAYOUT.unmapped, 4]]);
    expect(f.call('writev', 1, D + 0x80, 1)).toBe(err(E.EFAULT));
    expect(f.stdio.written).toHaveLength(0);
  });
});

describe('read / readv', () => {
  it('reads stdin until EOF', () => {
    const f = makeFixture({ stdio: new TestStdio(Buffer.from('abcdef')) });
    expect(f.call('read', 0, D, 4)).toBe(4n);
    expect(Buffer.from(f.mem.read(D, 4)).toString()).toBe('abcd');
    expect(f.call('read', 0, D, 100)).toBe(2n);
    expect(f.call('read', 0, D, 100)).toBe(0n);
  });

  it('EBADF on stdout, EFAULT on a bad buffer without consuming input', () => {
    const f = makeFixture({ stdio: new TestStdio(Buffer.from('xy')) });
    expect(f.call('read', 1, D, 1)).toBe(err(E.EBADF));
    expect(f.call('read', 0, LAYOUT.ro, 1)).toBe(err(E.EFAULT));
    expect(f.call('read', 0, D, 2)).toBe(2n);
  });

  it('readv scatters one read over the segments', () => {
    const f = makeFixture({ stdio: new TestStdio(Buffer.from('12345')) });
    const iov = iovecs(f, D, [[D + 0x100, 2], [D + 0x200, 8]]);
    expect(f.call('readv', 0, iov, 2)).toBe(5n);
    expect(Buffer.from(f.mem.read(D + 0x100, 2)).toString()).toBe('12');
    expect(Buffer.from(f.mem.read(D + 0x200, 3)).toString()).toBe('345');
  });
});

// Found by kernel/fuzz.test.ts: 1024 iovecs naming one buffer made writev gather (twice)
// and readv allocate up to MAX_RW_COUNT (2 GiB) of host memory from a few KiB of guest
// memory. The bytes now move in passes of at most 1 MiB; what the guest sees is Linux's
// (man 2 readv: the segments are used in order, the result is the total transferred).
describe('readv / writev with segments that alias one buffer', () => {
  const CHUNK = 0x4000; // the buffer at D; the iovecs at D + CHUNK
  const N = 80; // 1.25 MiB in all: more than one pass
  const open = (f: ReturnType<typeof makeFixture>, path: string, flags: number) => Number(f.call('openat', AT_FDCWD, cString(f.mem, D + 0xf000, path), flags, 0o644));
  const aliased = (f: ReturnType<typeof makeFixture>, at: number, n: number, len: number) =>
    iovecs(f, at, Array.from({ length: n }, () => [D, len] as [number, number]));

  it('writev writes every segment in order; pwritev at its offset', () => {
    const f = makeFixture();
    f.mem.write(D, Uint8Array.from({ length: CHUNK }, (_, i) => (i * 7) & 0xff));
    const iov = aliased(f, D + CHUNK, N, CHUNK);
    const fd = open(f, '/tmp/w', 0x42); // O_RDWR|O_CREAT
    expect(f.call('writev', fd, iov, N)).toBe(BigInt(N * CHUNK));
    expect(f.call('pwritev', fd, iov, N, 3, 0)).toBe(BigInt(N * CHUNK));
    expect(f.call('fstat', fd, D + 0x8000)).toBe(0n);
    expect(new DataView(f.mem.read(D + 0x8000, 128).buffer).getBigInt64(48, true)).toBe(BigInt(N * CHUNK + 3));
    // Around the 1 MiB pass boundary, and at the end: the buffer's bytes, 3 further on.
    for (const at of [(1 << 20) - 2, N * CHUNK - 4]) {
      expect(f.call('pread64', fd, D + 0x9000, 4, at + 3)).toBe(4n);
      expect([...f.mem.read(D + 0x9000, 4)]).toEqual([0, 1, 2, 3].map((k) => (((at + k) % CHUNK) * 7) & 0xff));
    }
  });

  it('readv fills the segments in order: the buffer ends with the last segment\'s bytes', () => {
    const f = makeFixture();
    const fd = open(f, '/tmp/r', 0x42);
    f.mem.write(D, Uint8Array.from({ length: CHUNK }, (_, i) => i & 0xff));
    expect(f.call('write', fd, D, CHUNK)).toBe(BigInt(CHUNK));
    for (let k = 1; k < N; k++) {
      f.mem.write(D, new Uint8Array(CHUNK).fill(k));
      expect(f.call('write', fd, D, CHUNK)).toBe(BigInt(CHUNK));
    }
    const iov = aliased(f, D + CHUNK, N, CHUNK);
    expect(f.call('preadv', fd, iov, N, 0, 0)).toBe(BigInt(N * CHUNK));
    expect([...f.mem.read(D, 4)]).toEqual([N - 1, N - 1, N - 1, N - 1]);
    expect(f.call('preadv', fd, iov, N, CHUNK, 0)).toBe(BigInt((N - 1) * CHUNK)); // to the end of the file
  });

  it('the host memory they take stays bounded (1024 x 64 KiB = 64 MiB through /dev/null and /dev/zero)', () => {
    // The host buffers a call takes are what the file sees: every pass at most IO_CHUNK, so
    // the 64 MiB go through in 64 passes, never as one buffer (it was 128 MiB for writev and
    // 64 MiB for readv). Measured on the buffers themselves: heap statistics after the call
    // also count garbage a later GC would take, and varied up to 37 MiB with the machine's load.
    const f = makeFixture();
    const iov = iovecs(f, LAYOUT.stackLow, Array.from({ length: 1024 }, () => [D, LAYOUT.dataSize] as [number, number]));
    const nul = open(f, '/dev/null', 2);
    const zero = open(f, '/dev/zero', 0);
    for (const [name, fd] of [['writev', nul], ['readv', zero]] as const) {
      const file = f.kernel.state.fds.get(fd)!;
      const sizes: number[] = [];
      const write = file.write.bind(file);
      const read = file.read.bind(file);
      file.write = (data: Uint8Array) => (sizes.push(data.length), write(data));
      file.read = (len: number) => {
        const data = read(len);
        sizes.push(data.length);
        return data;
      };
      expect(f.call(name, fd, iov, 1024)).toBe(BigInt(1024 * LAYOUT.dataSize));
      expect(sizes.length, name).toBe((1024 * LAYOUT.dataSize) / IO_CHUNK);
      expect(Math.max(...sizes), name).toBe(IO_CHUNK);
    }
  });

  it('a pipe takes what fits, as it did from one gathered buffer', () => {
    const f = makeFixture();
    expect(f.call('pipe2', D + 0x8000, 0)).toBe(0n);
    const w = new Int32Array(f.mem.read(D + 0x8000, 8).slice().buffer)[1];
    f.mem.write(D, new Uint8Array(10).fill(1));
    expect(f.call('write', w, D, 10)).toBe(10n);
    // 1000 segments of 4097 bytes: 4097000 % 4096 = 1000 bytes join the partly filled
    // first page (pipe_write's merge), then the 15 free pages fill: 1000 + 15 * 4096.
    const iov = iovecs(f, D + CHUNK, Array.from({ length: 1000 }, () => [D, 4097] as [number, number]));
    expect(f.call('writev', w, iov, 1000)).toBe(BigInt(1000 + 15 * 4096));
  });
});

describe('close', () => {
  it('closes once; later use is EBADF', () => {
    const f = makeFixture();
    cString(f.mem, D, 'x');
    expect(f.call('close', 1)).toBe(0n);
    expect(f.call('close', 1)).toBe(err(E.EBADF));
    expect(f.call('write', 1, D, 1)).toBe(err(E.EBADF));
    expect(f.call('fstat', 1, D + 0x100)).toBe(err(E.EBADF));
    expect(f.call('write', 2, D, 1)).toBe(1n);
  });
});

describe('fstat / newfstatat', () => {
  const st = (f: ReturnType<typeof makeFixture>, at: number) => {
    const v = new DataView(f.mem.read(at, 128).buffer);
    return {
      mode: v.getUint32(16, true),
      rdev: Number(v.getBigUint64(32, true)),
      size: Number(v.getBigInt64(48, true)),
      blksize: v.getInt32(56, true),
      blocks: Number(v.getBigInt64(64, true)),
      mtime: Number(v.getBigInt64(88, true)),
    };
  };

  it('a pipe is S_IFIFO, a terminal S_IFCHR (136:0), with virtual-epoch times', () => {
    const f = makeFixture();
    expect(f.call('fstat', 1, D)).toBe(0n);
    expect(st(f, D)).toMatchObject({ mode: 0o010600, blksize: 4096, mtime: 1_700_000_000 });
    const t = makeFixture({ stdio: new TestStdio(undefined, true) });
    expect(t.call('fstat', 0, D)).toBe(0n);
    expect(st(t, D)).toMatchObject({ mode: 0o020620, rdev: (136 << 8) | 0, blksize: 1024 });
  });

  it('a redirected file is S_IFREG with its size; /dev/null is char 1:3', () => {
    const f = makeFixture({ stdio: new TestStdio(undefined, false, { 0: 'file', 2: 'null' }) });
    f.call('fstat', 0, D);
    expect(st(f, D)).toMatchObject({ mode: 0o100644, size: 5000, blocks: 16 });
    f.call('fstat', 2, D);
    expect(st(f, D)).toMatchObject({ mode: 0o020666, rdev: (1 << 8) | 3 });
  });

  it('fstat EFAULT', () => {
    expect(makeFixture().call('fstat', 1, LAYOUT.ro)).toBe(err(E.EFAULT));
  });

  it('newfstatat(fd, "", AT_EMPTY_PATH) is fstat (as glibc calls it for stdio)', () => {
    const f = makeFixture();
    const empty = cString(f.mem, D + 0x200, '');
    expect(f.call('newfstatat', 1, empty, D, AT_EMPTY_PATH)).toBe(0n);
    expect(st(f, D).mode).toBe(0o010600);
  });

  it('newfstatat errors', () => {
    const f = makeFixture();
    const empty = cString(f.mem, D + 0x200, '');
    const rel = cString(f.mem, D + 0x300, 'x');
    expect(f.call('newfstatat', 1, empty, D, 0x80000)).toBe(err(E.EINVAL)); // unknown flag
    expect(f.call('newfstatat', 1, empty, D, 0)).toBe(err(E.ENOENT)); // empty without AT_EMPTY_PATH
    expect(f.call('newfstatat', 9, empty, D, AT_EMPTY_PATH)).toBe(err(E.EBADF));
    expect(f.call('newfstatat', 1, LAYOUT.unmapped, D, 0)).toBe(err(E.EFAULT));
    expect(f.call('newfstatat', 9, rel, D, 0)).toBe(err(E.EBADF));
    expect(f.call('newfstatat', 1, rel, D, 0)).toBe(err(E.ENOTDIR));
    f.mem.write(D + 0x1000, new Uint8Array(4096).fill(0x61));
    expect(f.call('newfstatat', AT_FDCWD, D + 0x1000, D, 0)).toBe(err(E.ENAMETOOLONG));
  });

  it('nothing of the host is visible: /etc/passwd is ENOENT', () => {
    const f = makeFixture();
    const p = cString(f.mem, D + 0x200, '/etc/passwd');
    expect(f.call('newfstatat', AT_FDCWD, p, D, 0)).toBe(err(E.ENOENT));
  });
});

describe('ioctl', () => {
  const TCGETS = 0x5401;
  const TIOCGWINSZ = 0x5413;

  it('ENOTTY for terminal requests on a pipe, EBADF on a closed fd', () => {
    const f = makeFixture();
    expect(f.call('ioctl', 1, TCGETS, D)).toBe(err(E.ENOTTY));
    expect(f.call('ioctl', 1, TIOCGWINSZ, D)).toBe(err(E.ENOTTY));
    expect(f.call('ioctl', 1, 0x5402, D)).toBe(err(E.ENOTTY)); // TCSETS
    expect(f.call('ioctl', 5, TCGETS, D)).toBe(err(E.EBADF));
  });

  it('TCGETS on a terminal returns tty_std_termios', () => {
    const f = makeFixture({ stdio: new TestStdio(undefined, true) });
    expect(f.call('ioctl', 1, TCGETS, D)).toBe(0n);
    const v = new DataView(f.mem.read(D, 36).buffer);
    expect(v.getUint32(0, true)).toBe(0x100 | 0x400); // ICRNL | IXON
    expect(v.getUint32(4, true)).toBe(0x1 | 0x4); // OPOST | ONLCR
    expect(v.getUint32(8, true)).toBe(0xf | 0x30 | 0x80 | 0x400); // B38400 | CS8 | CREAD | HUPCL
    expect(v.getUint32(12, true)).toBe(0x1 | 0x2 | 0x8 | 0x10 | 0x20 | 0x200 | 0x800 | 0x8000);
    expect([...f.mem.read(D + 17, 17)]).toEqual([3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0]);
    expect(f.call('ioctl', 1, TCGETS, LAYOUT.ro)).toBe(err(E.EFAULT));
  });

  it('TIOCGWINSZ on a terminal: 24x80', () => {
    const f = makeFixture({ stdio: new TestStdio(undefined, true) });
    expect(f.call('ioctl', 0, TIOCGWINSZ, D)).toBe(0n);
    expect([...new Uint16Array(f.mem.read(D, 8).buffer)]).toEqual([24, 80, 0, 0]);
  });

  it('stops on requests Linux would serve', () => {
    const f = makeFixture();
    expect(() => f.call('ioctl', 1, 0x541b, D)).toThrowError('unsupported request FIONREAD (0x541b) on fd 1 in ioctl (29)');
    const t = makeFixture({ stdio: new TestStdio(undefined, true) });
    expect(() => t.call('ioctl', 1, 0x5402, D)).toThrowError(ZerosysStop);
  });
});

describe('readlinkat', () => {
  it('/proc/self/exe is the executable path, truncated to bufsiz, without NUL', () => {
    const f = makeFixture();
    const p = cString(f.mem, D + 0x200, '/proc/self/exe');
    f.mem.write(D, new Uint8Array(32).fill(0xee));
    expect(f.call('readlinkat', AT_FDCWD, p, D, 4096)).toBe(16n);
    expect(Buffer.from(f.mem.read(D, 17)).toString('latin1')).toBe('/tmp/guest/hello\xee');
    expect(f.call('readlinkat', AT_FDCWD, p, D + 0x100, 4)).toBe(4n);
    expect(Buffer.from(f.mem.read(D + 0x100, 4)).toString()).toBe('/tmp');
    const byPid = cString(f.mem, D + 0x300, '/proc/1000/exe');
    expect(f.call('readlinkat', AT_FDCWD, byPid, D, 64)).toBe(16n);
  });

  it('errors', () => {
    const f = makeFixture();
    const p = cString(f.mem, D + 0x200, '/proc/self/exe');
    const other = cString(f.mem, D + 0x300, '/etc/localtime');
    const rel = cString(f.mem, D + 0x400, 'link');
    const empty = cString(f.mem, D + 0x500, '');
    expect(f.call('readlinkat', AT_FDCWD, p, D, 0)).toBe(err(E.EINVAL));
    expect(f.call('readlinkat', AT_FDCWD, p, D, -1)).toBe(err(E.EINVAL));
    expect(f.call('readlinkat', AT_FDCWD, LAYOUT.unmapped, D, 10)).toBe(err(E.EFAULT));
    expect(f.call('readlinkat', AT_FDCWD, p, LAYOUT.ro, 10)).toBe(err(E.EFAULT));
    expect(f.call('readlinkat', AT_FDCWD, empty, D, 10)).toBe(err(E.ENOENT));
    expect(f.call('readlinkat', AT_FDCWD, other, D, 10)).toBe(err(E.ENOENT));
    expect(f.call('readlinkat', 42, rel, D, 10)).toBe(err(E.EBADF));
    expect(f.call('readlinkat', 0, rel, D, 10)).toBe(err(E.ENOTDIR));
  });

  it('a path with its NUL on a PROT_NONE page is EFAULT', () => {
    const f = makeFixture();
    const end = LAYOUT.data + LAYOUT.dataSize;
    f.call('mmap', end, 0x1000, PROT_NONE, 0x22 | 0x10, -1, 0);
    f.mem.write(end - 3, new Uint8Array([0x2f, 0x61, 0x62]));
    expect(f.call('readlinkat', AT_FDCWD, end - 3, D, 10)).toBe(err(E.EFAULT));
  });
});
