// Pipes, eventfd, poll/select, epoll through the syscalls. Expected values: man 7 pipe,
// man 2 eventfd/poll/select/epoll_ctl/epoll_wait, Linux fs/pipe.c (16 page slots, merge of
// short writes) and the poll-events / pipes-dup corpus programs' qemu-riscv64 output.

import { describe, expect, it } from 'vitest';
import { GuestKilled, ZerosysStop } from '../api.ts';
import { E } from '../errno.ts';
import { BUF, vfsFixture, type VfsFixture } from './vfs-test-util.ts';
import { O_CLOEXEC, O_NONBLOCK, POLLHUP, POLLIN, POLLNVAL, POLLOUT } from '../abi.ts';

function pipe(f: VfsFixture, flags = 0): [number, number] {
  expect(f.sys('pipe2', BUF + 0x3000, flags)).toBe(0);
  const v = new DataView(f.bytes(8, BUF + 0x3000).slice().buffer);
  return [v.getInt32(0, true), v.getInt32(4, true)];
}

const u64 = (v: bigint) => {
  const b = new DataView(new ArrayBuffer(8));
  b.setBigUint64(0, v, true);
  return new Uint8Array(b.buffer);
};

describe('pipes', () => {
  it('buffer bytes in order; EOF once no writer is left (dup counts)', () => {
    const f = vfsFixture();
    const [r, w] = pipe(f);
    expect([r, w]).toEqual([3, 4]);
    const w2 = f.sys('dup', w);
    f.write(w, 'abc');
    f.write(w2, 'de');
    expect(f.read(r, 2)).toBe('ab');
    expect(f.read(r, 100)).toBe('cde');
    f.sys('close', w);
    f.sys('close', w2);
    expect(f.read(r, 100)).toBe('');
  });

  it('an empty pipe with a writer and no other thread is a deadlock stop', () => {
    const f = vfsFixture();
    const [r] = pipe(f);
    expect(() => f.sys('read', r, BUF, 1)).toThrowError(ZerosysStop);
    expect(() => f.sys('read', r, BUF, 1)).toThrowError(/deadlock: read from an empty pipe/);
  });

  it('O_NONBLOCK: EAGAIN when empty, capacity 65536 in 1-byte writes', () => {
    const f = vfsFixture();
    const [r, w] = pipe(f, O_NONBLOCK | O_CLOEXEC);
    expect(f.sys('fcntl', r, 1)).toBe(1); // FD_CLOEXEC
    expect(f.sys('fcntl', w, 3)).toBe(1 | O_NONBLOCK);
    expect(f.sys('read', r, BUF, 1)).toBe(-E.EAGAIN);
    f.put('z', BUF + 0x100);
    let n = 0;
    while (f.sys('write', w, BUF + 0x100, 1) === 1) n++;
    expect(n).toBe(65536);
    expect(f.sys('write', w, BUF + 0x100, 1)).toBe(-E.EAGAIN);
    // Reading 4095 bytes frees no page slot; a 2-byte write cannot merge into the last page.
    expect(f.sys('read', r, BUF, 4095)).toBe(4095);
    expect(f.sys('write', w, BUF + 0x100, 2)).toBe(-E.EAGAIN);
    expect(f.sys('read', r, BUF, 1)).toBe(1);
    expect(f.sys('write', w, BUF, 4096)).toBe(4096);
    expect(f.sys('fcntl', w, 1032)).toBe(65536); // F_GETPIPE_SZ
  });

  it('a big non-blocking write takes what fits; F_SETPIPE_SZ rounds to a power of two pages', () => {
    const f = vfsFixture();
    const [r, w] = pipe(f, O_NONBLOCK);
    expect(f.sys('write', w, BUF, 70000)).toBe(65536);
    expect(f.sys('fcntl', w, 1031, 100000)).toBe(131072);
    expect(f.sys('fcntl', w, 1031, 4096)).toBe(-E.EBUSY);
    expect(f.sys('fcntl', r, 1032)).toBe(131072);
    const file = f.open('/tmp/x', 0x40 | 2, 0o644);
    expect(f.sys('fcntl', file, 1032)).toBe(-E.EBADF);
  });

  it('write without a reader: EPIPE when SIGPIPE is ignored, death by SIGPIPE by default', () => {
    const f = vfsFixture();
    const [r, w] = pipe(f);
    f.sys('close', r);
    expect(() => f.sys('write', w, BUF, 1)).toThrowError(GuestKilled);
    expect(() => f.sys('write', w, BUF, 1)).toThrowError(expect.objectContaining({ status: 128 + 13 }));
    f.kernel.state.signals.actions[13].handler = 1n; // SIG_IGN
    expect(f.sys('write', w, BUF, 1)).toBe(-E.EPIPE);
    expect(f.sys('write', w, BUF, 0)).toBe(0); // a null write succeeds first
  });

  it('fstat: a FIFO 0600; ESPIPE for lseek; FIONREAD counts buffered bytes', () => {
    const f = vfsFixture();
    const [r, w] = pipe(f);
    expect(f.sys('fstat', r, BUF)).toBe(0);
    expect(new DataView(f.bytes(128).slice().buffer).getUint32(16, true)).toBe(0o010600);
    expect(f.sys('lseek', r, 0, 0)).toBe(-E.ESPIPE);
    f.write(w, 'hello');
    expect(f.sys('ioctl', r, 0x541b, BUF + 0x200)).toBe(0);
    expect(new DataView(f.bytes(4, BUF + 0x200).slice().buffer).getInt32(0, true)).toBe(5);
    expect(f.sys('pipe2', BUF, 0x1)).toBe(-E.EINVAL);
    expect(f.sys('pipe2', 0x500000, 0)).toBe(-E.EFAULT);
  });
});

describe('eventfd', () => {
  it('counter semantics and EFD_SEMAPHORE', () => {
    const f = vfsFixture();
    const fd = f.sys('eventfd2', 3, O_NONBLOCK);
    expect(f.sys('read', fd, BUF, 8)).toBe(8);
    expect(new DataView(f.bytes(8).slice().buffer).getBigUint64(0, true)).toBe(3n);
    expect(f.sys('read', fd, BUF, 8)).toBe(-E.EAGAIN);
    expect(f.sys('read', fd, BUF, 4)).toBe(-E.EINVAL);
    f.put(u64(2n ** 64n - 1n), BUF + 0x100);
    expect(f.sys('write', fd, BUF + 0x100, 8)).toBe(-E.EINVAL);
    f.put(u64(2n ** 64n - 2n), BUF + 0x100);
    expect(f.sys('write', fd, BUF + 0x100, 8)).toBe(8);
    f.put(u64(1n), BUF + 0x100);
    expect(f.sys('write', fd, BUF + 0x100, 8)).toBe(-E.EAGAIN); // would pass 2^64-2
    const sem = f.sys('eventfd2', 2, 1 | O_NONBLOCK);
    expect(f.sys('read', sem, BUF, 8)).toBe(8);
    expect(new DataView(f.bytes(8).slice().buffer).getBigUint64(0, true)).toBe(1n);
    expect(f.sys('eventfd2', 0, 0x10)).toBe(-E.EINVAL);
    expect(f.sys('fstat', fd, BUF)).toBe(0);
    expect(new DataView(f.bytes(128).slice().buffer).getUint32(16, true)).toBe(0o600); // anon inode: no type bits
  });
});

describe('ppoll / pselect6', () => {
  function pollfds(f: VfsFixture, list: [number, number][]): number {
    const b = new DataView(new ArrayBuffer(list.length * 8));
    list.forEach(([fd, ev], i) => {
      b.setInt32(i * 8, fd, true);
      b.setInt16(i * 8 + 4, ev, true);
    });
    return f.put(new Uint8Array(b.buffer), BUF + 0x400);
  }
  const revents = (f: VfsFixture, n: number) => {
    const v = new DataView(f.bytes(n * 8, BUF + 0x400).slice().buffer);
    return Array.from({ length: n }, (_, i) => v.getInt16(i * 8 + 6, true));
  };
  const timespec = (f: VfsFixture, sec: bigint, nsec: bigint) => {
    const b = new DataView(new ArrayBuffer(16));
    b.setBigInt64(0, sec, true);
    b.setBigInt64(8, nsec, true);
    return f.put(new Uint8Array(b.buffer), BUF + 0x800);
  };

  it('readiness of pipe ends, a file, a bad fd, a negative fd', () => {
    const f = vfsFixture();
    const [r, w] = pipe(f);
    const file = f.open('/tmp/f', 0x40 | 2, 0o644);
    const ufds = pollfds(f, [[r, POLLIN], [w, POLLOUT], [file, POLLIN | POLLOUT], [99, POLLIN], [-1, POLLIN]]);
    expect(f.sys('ppoll', ufds, 5, timespec(f, 0n, 0n), 0, 8)).toBe(3);
    expect(revents(f, 5)).toEqual([0, POLLOUT, POLLIN | POLLOUT, POLLNVAL, 0]);
    f.sys('close', w);
    expect(f.sys('ppoll', ufds, 1, timespec(f, 0n, 0n), 0, 8)).toBe(1);
    expect(revents(f, 1)).toEqual([POLLHUP]);
  });

  it('a finite timeout passes on the virtual clock and is written back as 0; an endless one is a deadlock', () => {
    const f = vfsFixture();
    const [r] = pipe(f);
    const ufds = pollfds(f, [[r, POLLIN]]);
    const before = f.kernel.state.clock.monotonicNs();
    const ts = timespec(f, 2n, 500n);
    expect(f.sys('ppoll', ufds, 1, ts, 0, 8)).toBe(0);
    expect(f.kernel.state.clock.monotonicNs() - before).toBe(2_000_000_500n);
    expect([...f.bytes(16, ts)]).toEqual(new Array(16).fill(0));
    expect(() => f.sys('ppoll', ufds, 1, 0, 0, 8)).toThrowError(/deadlock/);
    expect(f.sys('ppoll', ufds, 1, timespec(f, 0n, 1_000_000_000n), 0, 8)).toBe(-E.EINVAL);
    expect(f.sys('ppoll', ufds, 1, timespec(f, 0n, 0n), BUF, 4)).toBe(-E.EINVAL); // sigsetsize
    expect(f.sys('ppoll', ufds, 100000, 0, 0, 8)).toBe(-E.EINVAL); // > RLIMIT_NOFILE
  });

  it('pselect6 sets bits per set and counts them; EBADF for a closed fd in a set', () => {
    const f = vfsFixture();
    const [r, w] = pipe(f);
    f.write(w, 'x');
    const set = (fds: number[]) => {
      const b = new Uint8Array(8);
      for (const fd of fds) b[fd >> 3] |= 1 << (fd & 7);
      return b;
    };
    f.put(set([r, w]), BUF + 0x500);
    f.put(set([r, w]), BUF + 0x508);
    expect(f.sys('pselect6', 5, BUF + 0x500, BUF + 0x508, 0, timespec(f, 0n, 0n), 0)).toBe(2);
    expect([...f.bytes(1, BUF + 0x500)]).toEqual([1 << r]);
    expect([...f.bytes(1, BUF + 0x508)]).toEqual([1 << w]);
    f.put(set([9]), BUF + 0x500);
    expect(f.sys('pselect6', 10, BUF + 0x500, 0, 0, timespec(f, 0n, 0n), 0)).toBe(-E.EBADF);
    expect(f.sys('pselect6', -1, 0, 0, 0, 0, 0)).toBe(-E.EINVAL);
  });
});

describe('epoll', () => {
  const event = (f: VfsFixture, events: number, data: bigint) => {
    const b = new DataView(new ArrayBuffer(16));
    b.setUint32(0, events >>> 0, true);
    b.setBigUint64(8, data, true);
    return f.put(new Uint8Array(b.buffer), BUF + 0x600);
  };
  const results = (f: VfsFixture, n: number) => {
    const v = new DataView(f.bytes(n * 16, BUF + 0x700).slice().buffer);
    return Array.from({ length: n }, (_, i) => [v.getUint32(i * 16, true), Number(v.getBigUint64(i * 16 + 8, true))]);
  };

  it('writes events and data of each ready event, not the padding between them (epoll_put_uevent)', () => {
    const f = vfsFixture();
    const ep = f.sys('epoll_create1', 0);
    const [r, w] = pipe(f);
    expect(f.sys('epoll_ctl', ep, 1, r, event(f, POLLIN, 7n))).toBe(0);
    f.write(w, 'ab');
    f.put(new Uint8Array(16).fill(0xa5), BUF + 0x700);
    expect(f.sys('epoll_pwait', ep, BUF + 0x700, 8, 0, 0, 8)).toBe(1);
    expect([...f.bytes(16, BUF + 0x700)]).toEqual([1, 0, 0, 0, 0xa5, 0xa5, 0xa5, 0xa5, 7, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('level-triggered, edge-triggered, one-shot', () => {
    const f = vfsFixture();
    const ep = f.sys('epoll_create1', O_CLOEXEC);
    const [r, w] = pipe(f);
    expect(f.sys('epoll_ctl', ep, 1, r, event(f, POLLIN, 7n))).toBe(0);
    expect(f.sys('epoll_ctl', ep, 1, r, event(f, POLLIN, 7n))).toBe(-E.EEXIST);
    expect(f.sys('epoll_pwait', ep, BUF + 0x700, 8, 0, 0, 8)).toBe(0);
    f.write(w, 'ab');
    expect(f.sys('epoll_pwait', ep, BUF + 0x700, 8, 0, 0, 8)).toBe(1);
    expect(results(f, 1)).toEqual([[POLLIN, 7]]);
    expect(f.sys('epoll_pwait', ep, BUF + 0x700, 8, 0, 0, 8)).toBe(1); // still readable
    expect(f.sys('epoll_ctl', ep, 3, r, event(f, POLLIN | 0x80000000, 8n))).toBe(0); // EPOLLET
    expect(f.sys('epoll_pwait', ep, BUF + 0x700, 8, 0, 0, 8)).toBe(1);
    expect(f.sys('epoll_pwait', ep, BUF + 0x700, 8, 0, 0, 8)).toBe(0);
    f.write(w, 'c');
    expect(f.sys('epoll_pwait', ep, BUF + 0x700, 8, 0, 0, 8)).toBe(1);
    expect(f.sys('epoll_ctl', ep, 3, r, event(f, POLLIN | 0x40000000, 9n))).toBe(0); // EPOLLONESHOT
    expect(f.sys('epoll_pwait', ep, BUF + 0x700, 8, 0, 0, 8)).toBe(1);
    expect(f.sys('epoll_pwait', ep, BUF + 0x700, 8, 0, 0, 8)).toBe(0);
    f.sys('close', w);
    expect(f.sys('epoll_ctl', ep, 3, r, event(f, POLLIN, 10n))).toBe(0);
    expect(f.sys('epoll_pwait', ep, BUF + 0x700, 8, 0, 0, 8)).toBe(1);
    expect(results(f, 1)).toEqual([[POLLIN | POLLHUP, 10]]);
    f.sys('close', r);
    expect(f.sys('epoll_pwait', ep, BUF + 0x700, 8, 0, 0, 8)).toBe(0); // closed files leave
  });

  it('epoll_ctl / epoll_pwait errors', () => {
    const f = vfsFixture();
    const ep = f.sys('epoll_create1', 0);
    const [r] = pipe(f);
    const file = f.open('/tmp/f', 0x40 | 2, 0o644);
    expect(f.sys('epoll_create1', 1)).toBe(-E.EINVAL);
    expect(f.sys('epoll_ctl', ep, 1, file, event(f, POLLIN, 0n))).toBe(-E.EPERM);
    expect(f.sys('epoll_ctl', ep, 1, ep, event(f, POLLIN, 0n))).toBe(-E.EINVAL);
    expect(f.sys('epoll_ctl', r, 1, ep, event(f, POLLIN, 0n))).toBe(-E.EINVAL);
    expect(f.sys('epoll_ctl', ep, 1, 99, event(f, POLLIN, 0n))).toBe(-E.EBADF);
    expect(f.sys('epoll_ctl', ep, 2, r, 0)).toBe(-E.ENOENT);
    expect(f.sys('epoll_ctl', ep, 9, r, event(f, POLLIN, 0n))).toBe(-E.EINVAL);
    expect(f.sys('epoll_ctl', ep, 1, r, 0x500000)).toBe(-E.EFAULT);
    expect(f.sys('epoll_pwait', ep, BUF, 0, 0, 0, 8)).toBe(-E.EINVAL);
    expect(f.sys('epoll_pwait', r, BUF, 1, 0, 0, 8)).toBe(-E.EINVAL);
    expect(f.sys('epoll_pwait', ep, BUF, 1, 0, BUF, 16)).toBe(-E.EINVAL);
    expect(() => f.sys('epoll_pwait', ep, BUF, 1, -1, 0, 8)).toThrowError(/deadlock/);
    const before = f.kernel.state.clock.monotonicNs();
    expect(f.sys('epoll_pwait', ep, BUF, 1, 25, 0, 8)).toBe(0);
    expect(f.kernel.state.clock.monotonicNs() - before).toBe(25_000_000n);
  });
});
