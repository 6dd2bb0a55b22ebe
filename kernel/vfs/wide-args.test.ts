// vfs syscall arguments a JavaScript number cannot hold: pointers near 2^64 (2^64 - 22 is
// -EINVAL used as an address), sizes of 2^64 - 1, unsigned long arguments with bits above
// 32. Each register is read as its Linux 6.1 parameter type; the expected errno is what the
// cited Linux 6.1 source returns for the exact value.

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { AT_FDCWD, BUF, vfsFixture } from './vfs-test-util.ts';
import { F_ADD_SEALS, F_GETPIPE_SZ, F_SEAL_WRITE, F_SETPIPE_SZ, O_CREAT, O_DIRECTORY, O_RDONLY, O_RDWR } from '../abi.ts';

const NEG22 = 2n ** 64n - 22n;
const MAX64 = 2n ** 64n - 1n;
const SIGSET = BUF + 0x800; // a readable 8-byte sigset_t (zeros)

describe('fcntl: unsigned long arg', () => {
  it('F_ADD_SEALS: bits above 32 are EINVAL before the seal checks (mm/memfd.c memfd_fcntl)', () => {
    const f = vfsFixture();
    const m = f.sys('memfd_create', 'm', 0);
    expect(m).toBeGreaterThanOrEqual(0);
    // memfd_fcntl(): `/* disallow upper 32bit */ if (arg > UINT_MAX) return -EINVAL;`
    expect(f.sys('fcntl', m, F_ADD_SEALS, MAX64)).toBe(-E.EINVAL);
    expect(f.sys('fcntl', m, F_ADD_SEALS, 2n ** 32n + BigInt(F_SEAL_WRITE))).toBe(-E.EINVAL);
    // memfd_add_seals(): `if (seals & ~(unsigned int)F_ALL_SEALS) return -EINVAL;` (0x1f in 6.1)
    expect(f.sys('fcntl', m, F_ADD_SEALS, 0x40)).toBe(-E.EINVAL);
    // A valid seal on a memfd made without MFD_ALLOW_SEALING: `*file_seals & F_SEAL_SEAL` → EPERM.
    expect(f.sys('fcntl', m, F_ADD_SEALS, F_SEAL_WRITE)).toBe(-E.EPERM);
    // memfd_add_seals() checks FMODE_WRITE first: a read-only file is EPERM, whatever it is.
    const fd = f.open('plain', O_CREAT | O_RDWR, 0o644);
    const ro = f.open('plain', O_RDONLY);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(f.sys('fcntl', ro, F_ADD_SEALS, F_SEAL_WRITE)).toBe(-E.EPERM);
    expect(f.sys('fcntl', ro, F_ADD_SEALS, MAX64)).toBe(-E.EINVAL); // the UINT_MAX check is first
  });

  it('F_SETPIPE_SZ: the whole unsigned long is the size; above 2^31 it is EINVAL (fs/pipe.c)', () => {
    const f = vfsFixture();
    expect(f.sys('pipe2', BUF, 0)).toBe(0);
    const r = new DataView(f.bytes(8).slice().buffer).getInt32(0, true);
    // Linux 6.1 do_fcntl(): pipe_fcntl(filp, cmd, arg) with the unsigned long; pipe_set_size():
    // round_pipe_size() returns 0 for `size > (1U << 31)`, then `if (!nr_slots) return -EINVAL;`.
    // 2^32 + 4096 is not 4096.
    expect(f.sys('fcntl', r, F_SETPIPE_SZ, 2n ** 32n + 4096n)).toBe(-E.EINVAL);
    expect(f.sys('fcntl', r, F_SETPIPE_SZ, MAX64)).toBe(-E.EINVAL);
    expect(f.sys('fcntl', r, F_GETPIPE_SZ)).toBe(65536);
    expect(f.sys('fcntl', r, F_SETPIPE_SZ, 2n ** 32n * 3n)).toBe(-E.EINVAL); // low 32 bits 0
  });
});

describe('getdents64: the buffer is checked per entry, count is an int (fs/readdir.c)', () => {
  it('a far buffer: ENOTDIR for a file, 0 at the end, EFAULT only when an entry is written', () => {
    const f = vfsFixture();
    const file = f.open('x', O_CREAT | O_RDWR, 0o644);
    // sys_getdents64 has no access_ok(): iterate_dir() answers ENOTDIR first (res = -ENOTDIR
    // when the file has no iterate op).
    expect(f.sys('getdents64', file, NEG22, 4096)).toBe(-E.ENOTDIR);
    const d = f.open('.', O_DIRECTORY);
    // filldir64(): `if (!user_write_access_begin(prev, reclen + prev_reclen)) goto efault;`
    expect(f.sys('getdents64', d, NEG22, 4096)).toBe(-E.EFAULT);
    expect(f.sys('getdents64', d, BUF, 4096)).toBeGreaterThan(0);
    // At the end no entry is filled: buf.error stays 0, whatever the buffer.
    expect(f.sys('getdents64', d, NEG22, 4096)).toBe(0);
  });

  it('count 2^32 - 1 (from 2^64 - 1) is -1 in getdents_callback64.count: EINVAL', () => {
    const f = vfsFixture();
    const d = f.open('.', O_DIRECTORY);
    // SYSCALL_DEFINE3(getdents64, unsigned int, fd, ..., unsigned int, count) keeps the low 32
    // bits; `.count = count` stores them in `int count`, and filldir64's
    // `if (reclen > buf->count)` (both int) is true for a negative count: -EINVAL.
    expect(f.sys('getdents64', d, BUF, MAX64)).toBe(-E.EINVAL);
    expect(f.sys('getdents64', d, BUF, 2n ** 31n)).toBe(-E.EINVAL);
    // 2^32 + 4096 is 4096.
    expect(f.sys('getdents64', d, BUF, 2n ** 32n + 4096n)).toBeGreaterThan(0);
  });
});

describe('poll, select, epoll: pointers and size_t', () => {
  it('ppoll: tsp, sigsetsize, then ufds (fs/select.c SYSCALL_DEFINE5(ppoll))', () => {
    const f = vfsFixture();
    // get_timespec64(&ts, tsp) fails: -EFAULT.
    expect(f.sys('ppoll', BUF, 0, NEG22, 0, 8)).toBe(-E.EFAULT);
    // set_user_sigmask(): `if (sigsetsize != sizeof(sigset_t)) return -EINVAL;` (size_t 2^64 - 1)
    expect(f.sys('ppoll', BUF, 0, 0, SIGSET, MAX64)).toBe(-E.EINVAL);
    expect(f.sys('ppoll', BUF, 0, 0, NEG22, 8)).toBe(-E.EFAULT);
    // do_sys_poll(): copy_from_user(walk->entries, ufds, ...) fails: -EFAULT.
    expect(f.sys('ppoll', NEG22, 1, 0, 0, 8)).toBe(-E.EFAULT);
  });

  it('pselect6: the sigset_argpack pointer and size (fs/select.c get_sigset_argpack)', () => {
    const f = vfsFixture();
    const pack = BUF + 0x900;
    const put = (p: bigint, size: bigint) => {
      const v = new DataView(new ArrayBuffer(16));
      v.setBigUint64(0, p, true);
      v.setBigUint64(8, size, true);
      f.put(new Uint8Array(v.buffer), pack);
    };
    // user_read_access_begin(from, sizeof(*from)) fails: -EFAULT.
    expect(f.sys('pselect6', 0, 0, 0, 0, 0, NEG22)).toBe(-E.EFAULT);
    put(BigInt(SIGSET), MAX64);
    expect(f.sys('pselect6', 0, 0, 0, 0, 0, pack)).toBe(-E.EINVAL); // sigsetsize != 8
    put(NEG22, 8n);
    expect(f.sys('pselect6', 0, 0, 0, 0, 0, pack)).toBe(-E.EFAULT); // copy_from_user(&kmask, ...)
  });

  it('epoll_pwait / epoll_pwait2: sigmask first, then maxevents, then access_ok(events) (fs/eventpoll.c)', () => {
    const f = vfsFixture();
    const ep = f.sys('epoll_create1', 0);
    // do_epoll_pwait(): set_user_sigmask() before do_epoll_wait().
    expect(f.sys('epoll_pwait', ep, NEG22, 0, 0, SIGSET, MAX64)).toBe(-E.EINVAL);
    expect(f.sys('epoll_pwait2', ep, NEG22, 1, 0, NEG22, 8)).toBe(-E.EFAULT);
    // do_epoll_wait(): `maxevents <= 0` EINVAL, then `!access_ok(events, ...)` EFAULT.
    expect(f.sys('epoll_pwait', ep, NEG22, 0, 0, 0, 0)).toBe(-E.EINVAL);
    expect(f.sys('epoll_pwait', ep, NEG22, 1, 0, 0, 0)).toBe(-E.EFAULT);
    // epoll_pwait2(): get_timespec64(&ts, timeout) fails first.
    expect(f.sys('epoll_pwait2', ep, BUF, 1, NEG22, SIGSET, MAX64)).toBe(-E.EFAULT);
    // epoll_ctl(): copy_from_user(&epds, event, ...) for EPOLL_CTL_ADD.
    expect(f.sys('epoll_ctl', ep, 1, 0, NEG22)).toBe(-E.EFAULT);
  });
});

describe('paths, structs and lengths', () => {
  it('openat2: usize 2^64 - 1 is E2BIG, a far how EFAULT (fs/open.c SYSCALL_DEFINE4(openat2))', () => {
    const f = vfsFixture();
    // `if (unlikely(usize > PAGE_SIZE)) return -E2BIG;`
    expect(f.sys('openat2', AT_FDCWD, '.', BUF, MAX64)).toBe(-E.E2BIG);
    // copy_struct_from_user() fails: -EFAULT.
    expect(f.sys('openat2', AT_FDCWD, '.', NEG22, 24)).toBe(-E.EFAULT);
  });

  it('path and result pointers near 2^64 are EFAULT', () => {
    const f = vfsFixture();
    const fd = f.open('x', O_CREAT | O_RDWR, 0o644);
    expect(f.sys('openat', AT_FDCWD, NEG22, O_RDONLY)).toBe(-E.EFAULT);
    expect(f.sys('newfstatat', AT_FDCWD, 'x', NEG22, 0)).toBe(-E.EFAULT);
    expect(f.sys('fstat', fd, MAX64)).toBe(-E.EFAULT);
    expect(f.sys('statx', AT_FDCWD, 'x', 0, 0x7ff, NEG22)).toBe(-E.EFAULT);
    expect(f.sys('pipe2', NEG22, 0)).toBe(-E.EFAULT);
    expect(f.sys('memfd_create', NEG22, 0)).toBe(-E.EFAULT);
    expect(f.sys('symlinkat', NEG22, AT_FDCWD, 'l')).toBe(-E.EFAULT);
    expect(f.sys('utimensat', AT_FDCWD, 'x', NEG22, 0)).toBe(-E.EFAULT);
    expect(f.sys('ioctl', fd, 0x5421, NEG22)).toBe(-E.EFAULT); // FIONBIO: get_user(on, argp)
    expect(f.sys('fcntl', fd, 5, NEG22)).toBe(-E.EFAULT); // F_GETLK: copy_from_user(&flock, argp)
  });

  it('fadvise64: len is a loff_t, so 2^63 and up is negative: EINVAL (mm/fadvise.c generic_fadvise)', () => {
    const f = vfsFixture();
    const fd = f.open('x', O_CREAT | O_RDWR, 0o644);
    // riscv64 maps fadvise64 to sys_fadvise64_64(int, loff_t, loff_t, int);
    // generic_fadvise(): `if (!mapping || len < 0) return -EINVAL;`
    expect(f.sys('fadvise64', fd, 0, MAX64, 0)).toBe(-E.EINVAL);
    expect(f.sys('fadvise64', fd, 0, 2n ** 63n, 0)).toBe(-E.EINVAL);
    expect(f.sys('fadvise64', fd, 0, 2n ** 63n - 1n, 0)).toBe(0);
  });
});
