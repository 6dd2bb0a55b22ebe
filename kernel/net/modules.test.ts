// A kernel linked without the net module (`--modules` without `net`, kernel.ts dispatch):
// every socket syscall stops the guest naming the syscall, its riscv64 number
// (include/uapi/asm-generic/unistd.h) and the module; under --on-unsupported enosys each
// returns -ENOSYS, as a Linux built without CONFIG_NET answers (kernel/sys_ni.c), and is
// counted for the exit summary.

import { describe, expect, it } from 'vitest';
import { EXIT_ZEROSYS_STOP, ZerosysStop } from '../api.ts';
import { E } from '../errno.ts';
import { MODULES } from '../types.ts';
import { LAYOUT, err, makeFixture } from '../test-support.ts';

/** asm-generic/unistd.h numbers of the socket calls. */
const NET_CALLS: [string, number][] = [
  ['socket', 198], ['socketpair', 199], ['bind', 200], ['listen', 201], ['accept', 202], ['connect', 203],
  ['getsockname', 204], ['getpeername', 205], ['sendto', 206], ['recvfrom', 207], ['setsockopt', 208],
  ['getsockopt', 209], ['shutdown', 210], ['sendmsg', 211], ['recvmsg', 212], ['accept4', 242],
];
const WITHOUT_NET = MODULES.filter((m) => m !== 'net');

describe('a kernel without the net module', () => {
  it('is a module of the default link, and the socket calls work when it is linked', () => {
    expect(MODULES).toContain('net');
    const f = makeFixture({ modules: [...MODULES] });
    expect(f.call(198, 1, 1, 0)).toBe(3n); // socket(AF_UNIX, SOCK_STREAM, 0): the first free fd
    const g = makeFixture({ modules: ['net'] }); // net alone: its fds need no other module
    expect(g.call(198, 1, 2, 0)).toBe(3n);
  });

  it('stops the guest (status 125) at socket(), naming the syscall, its number, the pc and the module', () => {
    const f = makeFixture({ modules: WITHOUT_NET });
    let stop: unknown;
    try {
      f.call(198, 1, 1, 0);
    } catch (e) {
      stop = e;
    }
    expect(stop).toBeInstanceOf(ZerosysStop);
    expect((stop as ZerosysStop).status).toBe(EXIT_ZEROSYS_STOP);
    expect((stop as ZerosysStop).message).toBe("unsupported syscall socket (198) at pc 0x10078: module 'net' is not linked");
    // No fd was made: the next open file gets fd 3.
    expect(f.call('dup', 1)).toBe(3n);
  });

  it('stops on every socket call, not only socket()', () => {
    const f = makeFixture({ modules: WITHOUT_NET });
    for (const [name, nr] of NET_CALLS) {
      expect(() => f.call(nr, 3, LAYOUT.data, 16)).toThrowError(`unsupported syscall ${name} (${nr}) at pc 0x10078: module 'net' is not linked`);
    }
    expect(f.kernel.unsupportedAnswered).toEqual([]);
  });

  it("with onUnsupported 'enosys' each returns -ENOSYS and is counted; the rest of the kernel goes on", () => {
    const f = makeFixture({ modules: WITHOUT_NET, onUnsupported: 'enosys' });
    expect(f.call(198, 1, 1, 0)).toBe(err(E.ENOSYS));
    expect(f.call(198, 1, 1 | 0x80000, 0)).toBe(err(E.ENOSYS));
    expect(f.call(199, 1, 1, 0, LAYOUT.data)).toBe(err(E.ENOSYS));
    expect(f.call('dup', 1)).toBe(3n); // nothing was allocated by the refused calls
    expect(f.kernel.unsupportedAnswered).toEqual([
      { name: 'socket', nr: 198, count: 2 },
      { name: 'socketpair', nr: 199, count: 1 },
    ]);
    for (const [, nr] of NET_CALLS) expect(f.call(nr, 3, LAYOUT.data, 16)).toBe(err(E.ENOSYS));
    expect(f.kernel.unsupportedAnswered.map((u) => u.name).sort()).toEqual(NET_CALLS.map(([n]) => n).sort());
  });

  it('a kernel that links net but not vfs still answers for sockets (the fd table is not the vfs module)', () => {
    // Linking is per syscall: close() belongs to vfs, so closing a socket stops there.
    const f = makeFixture({ modules: ['net'] });
    expect(f.call(198, 1, 1, 0)).toBe(3n);
    expect(() => f.call('close', 3)).toThrowError("module 'vfs' is not linked");
  });
});
