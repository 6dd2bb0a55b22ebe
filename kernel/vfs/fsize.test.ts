// RLIMIT_FSIZE on regular files, as Linux 6.1: fs/read_write.c generic_write_check_limits()
// (writes and copy_file_range: SIGXFSZ + EFBIG at or past the limit, shortened across it)
// and fs/attr.c inode_newsize_ok() (truncate, ftruncate, fallocate past it). Pipes are not
// limited (pipe_write never calls generic_write_checks).

import { describe, expect, it } from 'vitest';
import { GuestKilled } from '../api.ts';
import { E } from '../errno.ts';
import { BUF, vfsFixture } from './vfs-test-util.ts';

const RLIMIT_FSIZE = 1;
const SIGXFSZ = 25;
const XFSZ_BIT = 1n << BigInt(SIGXFSZ - 1);
const INF = (1n << 64n) - 1n;
const O_RDWR = 2;
const O_CREAT = 0o100;
const O_APPEND = 0o2000;
const SIG_BLOCK = 0;
const FALLOC_FL_KEEP_SIZE = 1;

function setup(limit: bigint) {
  const f = vfsFixture({ vfs: { cwd: '/tmp' } });
  const LIM = BUF + 0x3000;
  f.mem.write(LIM, new Uint8Array(new BigUint64Array([limit, INF]).buffer));
  expect(f.sys('setrlimit', RLIMIT_FSIZE, LIM)).toBe(0);
  const pending = () => {
    expect(f.sys('rt_sigpending', BUF + 0x3100, 8)).toBe(0);
    return new BigUint64Array(f.mem.read(BUF + 0x3100, 8).buffer.slice(0))[0];
  };
  const blockXfsz = () => {
    f.mem.write(BUF + 0x3200, new Uint8Array(new BigUint64Array([XFSZ_BIT]).buffer));
    expect(f.sys('rt_sigprocmask', SIG_BLOCK, BUF + 0x3200, 0, 8)).toBe(0);
  };
  const size = (path: string) => (f.stat(path) as { size: number }).size;
  return { f, pending, blockXfsz, size };
}

describe('RLIMIT_FSIZE', () => {
  it('a write crossing the limit is shortened to end at it; one at the limit is EFBIG with SIGXFSZ pending', () => {
    const { f, pending, blockXfsz, size } = setup(10n);
    blockXfsz();
    const fd = f.open('a', O_RDWR | O_CREAT, 0o644);
    expect(f.write(fd, '0123456')).toBe(7);
    expect(pending()).toBe(0n);
    expect(f.write(fd, 'abcdef')).toBe(3); // 7 + 3 = the limit
    expect(pending()).toBe(0n);
    expect(f.sys('write', fd, BUF, 0)).toBe(0); // nothing to write: no check
    expect(pending()).toBe(0n);
    expect(f.write(fd, 'x')).toBe(-E.EFBIG);
    expect(pending()).toBe(XFSZ_BIT);
    expect(size('a')).toBe(10);
  });

  it('pwrite64, writev and O_APPEND: the position the write starts at counts', () => {
    const { f, blockXfsz, size } = setup(8n);
    blockXfsz();
    const fd = f.open('b', O_RDWR | O_CREAT, 0o644);
    f.put('ABCDEFGH');
    expect(f.sys('pwrite64', fd, BUF, 8, 4)).toBe(4);
    expect(f.sys('pwrite64', fd, BUF, 1, 8)).toBe(-E.EFBIG);
    // writev of 3 + 3 bytes at offset 0 of a limit of 8: whole; then at 6: 2 bytes.
    const IOV = BUF + 0x1000;
    f.mem.write(IOV, new Uint8Array(new BigUint64Array([BigInt(BUF), 3n, BigInt(BUF + 3), 3n]).buffer));
    expect(f.sys('writev', fd, IOV, 2)).toBe(6);
    expect(f.sys('writev', fd, IOV, 2)).toBe(2);
    expect(f.sys('writev', fd, IOV, 2)).toBe(-E.EFBIG);
    const ap = f.open('b', O_RDWR | O_APPEND);
    expect(f.write(ap, 'z')).toBe(-E.EFBIG); // at the end, 8
    expect(size('b')).toBe(8);
  });

  it('SIGXFSZ at its default action: the call returns EFBIG first, the signal (core) is taken on the way out', () => {
    // complete_signal() kills at once only for non-core fatal signals; SIGXFSZ dumps core,
    // so the write returns and get_signal() ends the process (run loop: corpus file-size-limit).
    const { f } = setup(0n);
    const fd = f.open('c', O_RDWR | O_CREAT, 0o644);
    expect(f.write(fd, 'x')).toBe(-E.EFBIG);
    const t = f.kernel.state.thread.current;
    expect(t.pending.has(SIGXFSZ)).toBe(true);
    expect(t.sigpending).toBe(true);
    // Sent by another path (kill), the fatal shortcut still applies.
    expect(() => f.sys('kill', f.kernel.state.pid, SIGXFSZ)).toThrowError(GuestKilled);
  });

  it('pipes are not limited', () => {
    const { f, pending, blockXfsz } = setup(0n);
    blockXfsz();
    expect(f.sys('pipe2', BUF + 0x2000, 0)).toBe(0);
    const w = f.mem.readU32(BUF + 0x2004);
    expect(f.write(w, 'abc')).toBe(3);
    expect(pending()).toBe(0n);
  });

  it('truncate, ftruncate and fallocate past the limit: EFBIG and SIGXFSZ (inode_newsize_ok); shrinking is not checked', () => {
    const { f, pending, blockXfsz, size } = setup(100n);
    blockXfsz();
    const fd = f.open('d', O_RDWR | O_CREAT, 0o644);
    expect(f.sys('ftruncate', fd, 100)).toBe(0); // at the limit: not past it
    expect(pending()).toBe(0n);
    expect(f.sys('ftruncate', fd, 101)).toBe(-E.EFBIG);
    expect(pending()).toBe(XFSZ_BIT);
    expect(f.sys('truncate', 'd', 200)).toBe(-E.EFBIG);
    expect(f.sys('fallocate', fd, 0, 90, 20)).toBe(-E.EFBIG);
    expect(f.sys('fallocate', fd, FALLOC_FL_KEEP_SIZE, 90, 20)).toBe(-E.EFBIG); // tmpfs: even with KEEP_SIZE
    expect(f.sys('fallocate', fd, 0, 0, 50)).toBe(0); // within the size
    expect(size('d')).toBe(100);
    expect(f.sys('ftruncate', fd, 1n << 62n)).toBe(-E.EFBIG); // past 2^53: still the limit's SIGXFSZ first
    expect(f.sys('pwrite64', fd, BUF, 1, 1n << 62n)).toBe(-E.EFBIG);
    expect(f.sys('ftruncate', fd, 40)).toBe(0);
    expect(size('d')).toBe(40);
  });

  it('copy_file_range: at or past the limit EFBIG and SIGXFSZ even for nothing to copy; across it shortened', () => {
    const { f, pending, blockXfsz, size } = setup(10n);
    blockXfsz();
    const src = f.open('src', O_RDWR | O_CREAT, 0o644);
    expect(f.write(src, '0123456789abcdef'.slice(0, 10))).toBe(10);
    const dst = f.open('dst', O_RDWR | O_CREAT, 0o644);
    const OFF = BUF + 0x2100;
    f.mem.write(OFF, new Uint8Array(new BigUint64Array([0n, 6n]).buffer)); // off_in 0, off_out 6
    expect(f.sys('copy_file_range', src, OFF, dst, OFF + 8, 10, 0)).toBe(4);
    expect(size('dst')).toBe(10);
    expect(pending()).toBe(0n);
    f.mem.write(OFF, new Uint8Array(new BigUint64Array([100n, 10n]).buffer)); // input at EOF: count 0
    expect(f.sys('copy_file_range', src, OFF, dst, OFF + 8, 10, 0)).toBe(-E.EFBIG);
    expect(pending()).toBe(XFSZ_BIT);
  });

  it('an infinite limit lifts it again', () => {
    const { f } = setup(5n);
    f.mem.write(BUF + 0x3000, new Uint8Array(new BigUint64Array([INF, INF]).buffer));
    expect(f.sys('setrlimit', RLIMIT_FSIZE, BUF + 0x3000)).toBe(0);
    const fd = f.open('e', O_RDWR | O_CREAT, 0o644);
    expect(f.write(fd, '0123456789')).toBe(10);
  });
});
