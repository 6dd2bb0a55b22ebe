// /proc, /dev and /sys as man 5 proc and man 4 null/random describe them: /proc/self is a
// link to the pid's directory, fd/N links name the open file (and open it), cwd/exe
// links, cmdline is NUL-separated argv, maps lists the mappings; /dev/null reads empty,
// /dev/zero reads zeros, /dev/full writes ENOSPC, /dev/urandom is the seeded stream,
// /dev/tty without a controlling terminal is ENXIO.

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { RandomStream } from '../random/xoshiro.ts';
import { AT_FDCWD, BUF, vfsFixture } from './vfs-test-util.ts';
import { O_CREAT, O_RDWR, O_WRONLY } from '../abi.ts';

describe('/proc', () => {
  it('/proc/self -> 1000, and the directory of the process', () => {
    const f = vfsFixture();
    expect(f.sys('readlinkat', AT_FDCWD, '/proc/self', BUF, 100)).toBe(4);
    expect(f.text(4)).toBe('1000');
    expect(f.list('/proc/self')).toEqual(['.', '..', 'auxv', 'cmdline', 'comm', 'cwd', 'environ', 'exe', 'fd', 'maps', 'mounts', 'root', 'status', 'task']);
    expect(f.open('/proc/1/status')).toBe(-E.ENOENT);
    expect(f.open('/proc/self/nope')).toBe(-E.ENOENT);
  });

  it('fd/ lists the open descriptors; each link names the file and opens it', () => {
    const f = vfsFixture({ vfs: { cwd: '/tmp' } });
    const fd = f.open('data', O_CREAT | O_RDWR, 0o644);
    f.write(fd, 'via proc');
    expect(f.list('/proc/self/fd')).toEqual(['.', '..', '0', '1', '2', String(fd), String(fd + 1)]);
    expect(f.sys('readlinkat', AT_FDCWD, `/proc/self/fd/${fd}`, BUF, 100)).toBe(9);
    expect(f.text(9)).toBe('/tmp/data');
    const again = f.open(`/proc/self/fd/${fd}`);
    expect(f.read(again, 100)).toBe('via proc');
    f.sys('unlinkat', AT_FDCWD, 'data', 0);
    expect(f.sys('readlinkat', AT_FDCWD, `/proc/self/fd/${fd}`, BUF, 100)).toBe(19);
    expect(f.text(19)).toBe('/tmp/data (deleted)');
    f.sys('pipe2', BUF + 0x100, 0);
    const r = new DataView(f.bytes(4, BUF + 0x100).slice().buffer).getInt32(0, true);
    const n = f.sys('readlinkat', AT_FDCWD, `/proc/self/fd/${r}`, BUF, 100);
    expect(f.text(n)).toMatch(/^pipe:\[\d+\]$/);
  });

  it('cwd, exe, cmdline, status', () => {
    const f = vfsFixture({ vfs: { cwd: '/tmp', argv: ['/bin/prog', 'a b', ''] } });
    expect(f.sys('readlinkat', AT_FDCWD, '/proc/self/cwd', BUF, 100)).toBe(4);
    expect(f.text(4)).toBe('/tmp');
    expect(f.sys('readlinkat', AT_FDCWD, '/proc/self/exe', BUF, 100)).toBe(16);
    expect(f.text(16)).toBe('/tmp/guest/hello');
    const c = f.open('/proc/self/cmdline');
    expect(f.read(c, 100)).toBe('/bin/prog\0a b\0\0');
    const s = f.open('/proc/self/status');
    const status = f.read(s, 4000);
    expect(status).toMatch(/^Name:\thello\n/);
    expect(status).toContain('\nPid:\t1000\n');
    expect(status).toContain('\nUmask:\t0022\n');
    expect(f.sys('chdir', '/proc/self/cwd')).toBe(0);
    expect(f.sys('getcwd', BUF, 100)).toBe(5);
  });

  it('maps shows the guest mappings in the Linux format', () => {
    const f = vfsFixture();
    const m = f.read(f.open('/proc/self/maps'), 4000);
    const lines = m.trimEnd().split('\n');
    // show_map_vma: "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu", then the name padded to
    // column 73 (seq_setwidth 25 + 6 * sizeof(void *) - 1, seq_pad with ' ').
    expect(lines[0].slice(0, 39)).toBe('00200000-00210000 rw-p 00000000 00:00 0');
    expect(lines[0].slice(73)).toBe('data');
    expect(lines[0].slice(39, 73).trim()).toBe('');
    expect(lines.at(-1)!.slice(0, 43)).toBe('3fff800000-4000000000 rw-p 00000000 00:00 0');
    expect(lines.at(-1)!.slice(73)).toBe('[stack]');
  });

  it('files are read-only snapshots with st_size 0; nothing can be created', () => {
    const f = vfsFixture();
    const st = f.stat('/proc/self/status');
    expect(typeof st === 'number' ? st : st.size).toBe(0);
    expect(f.open('/proc/newfile', O_CREAT | O_WRONLY, 0o644)).toBe(-E.EACCES);
    expect(f.sys('mkdirat', AT_FDCWD, '/proc/dir', 0o755)).toBe(-E.EPERM);
  });
});

describe('/dev', () => {
  it('null, zero, full', () => {
    const f = vfsFixture();
    const n = f.open('/dev/null', O_RDWR);
    expect(f.sys('read', n, BUF, 10)).toBe(0);
    expect(f.sys('write', n, BUF, 10)).toBe(10);
    expect(f.sys('lseek', n, 100, 0)).toBe(0);
    const z = f.open('/dev/zero');
    f.put(new Uint8Array(8).fill(9));
    expect(f.sys('read', z, BUF, 8)).toBe(8);
    expect([...f.bytes(8)]).toEqual(new Array(8).fill(0));
    const full = f.open('/dev/full', O_WRONLY);
    expect(f.sys('write', full, BUF, 1)).toBe(-E.ENOSPC);
    expect(f.stat('/dev/null')).toMatchObject({ mode: 0o020666, rdev: (1 << 8) | 3 });
    expect(f.stat('/dev/zero')).toMatchObject({ rdev: (1 << 8) | 5 });
  });

  it('/dev/urandom continues the getrandom stream of --seed', () => {
    const f = vfsFixture({ seed: 42n });
    const u = f.open('/dev/urandom');
    expect(f.sys('read', u, BUF, 20)).toBe(20);
    expect([...f.bytes(20)]).toEqual([...new RandomStream(42n).bytes(20)]);
    expect(f.stat('/dev/urandom')).toMatchObject({ rdev: (1 << 8) | 9 });
  });

  it('/dev/tty exists but opens ENXIO (no controlling terminal); /dev/fd is /proc/self/fd', () => {
    const f = vfsFixture();
    expect(f.stat('/dev/tty')).toMatchObject({ mode: 0o020666, rdev: 5 << 8 });
    expect(f.open('/dev/tty', O_RDWR)).toBe(-E.ENXIO);
    expect(f.list('/dev/fd')).toEqual(['.', '..', '0', '1', '2', '3']); // 3: the listing's own fd
    expect(f.open('/dev/stdin')).toBe(3);
  });
});

describe('/sys', () => {
  it('one CPU online; read-only', () => {
    const f = vfsFixture();
    expect(f.read(f.open('/sys/devices/system/cpu/online'), 100)).toBe('0\n');
    expect(f.read(f.open('/sys/kernel/mm/transparent_hugepage/hpage_pmd_size'), 100)).toBe('2097152\n');
    expect(f.open('/sys/devices/system/cpu/online', O_WRONLY)).toBe(-E.EROFS);
    expect(f.sys('mkdirat', AT_FDCWD, '/sys/x', 0o755)).toBe(-E.EROFS);
    expect(f.open('/sys/class/net')).toBe(-E.ENOENT);
  });
});
