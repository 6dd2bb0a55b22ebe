// Expected behaviour: man 2 uname / getpid / prlimit; struct new_utsname and rlimit64 from
// <linux/utsname.h> and <linux/resource.h>; default limits from Linux INIT_RLIMITS.

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { LAYOUT, err, makeFixture } from '../test-support.ts';
import { RLIMIT_CORE, RLIMIT_NOFILE, RLIMIT_STACK } from '../abi.ts';

const D = LAYOUT.data;
const INF = (1n << 64n) - 1n;

function rlimit(f: ReturnType<typeof makeFixture>, at: number): bigint[] {
  return [...new BigUint64Array(f.mem.read(at, 16).buffer)];
}

describe('identity', () => {
  it('ids at start', () => {
    const f = makeFixture();
    expect(f.call('getpid')).toBe(1000n);
    expect(f.call('gettid')).toBe(1000n);
    expect(f.call('getppid')).toBe(999n);
    for (const n of ['getuid', 'geteuid', 'getgid', 'getegid'] as const) expect(f.call(n)).toBe(0n);
  });
});

describe('uname', () => {
  it('fills six 65-byte NUL-padded fields', () => {
    const f = makeFixture();
    f.mem.write(D, new Uint8Array(400).fill(0xaa));
    expect(f.call('uname', D)).toBe(0n);
    const field = (i: number) => {
      const b = f.mem.read(D + 65 * i, 65);
      return Buffer.from(b.subarray(0, b.indexOf(0))).toString();
    };
    expect([0, 1, 2, 3, 4, 5].map(field)).toEqual(['Linux', 'zerosys', '6.1.0', '#1 SMP zerosys', 'riscv64', '(none)']);
    expect(f.mem.read(D + 65 * 6 - 1, 1)[0]).toBe(0);
    expect(f.mem.read(D + 390, 1)[0]).toBe(0xaa); // nothing written past the struct
  });
});

describe('prlimit64', () => {
  it('reports Linux boot defaults', () => {
    const f = makeFixture();
    expect(f.call('prlimit64', 0, RLIMIT_STACK, 0, D)).toBe(0n);
    expect(rlimit(f, D)).toEqual([8n << 20n, INF]);
    expect(f.call('prlimit64', 0, RLIMIT_NOFILE, 0, D)).toBe(0n);
    expect(rlimit(f, D)).toEqual([1024n, 4096n]);
    expect(f.call('prlimit64', 1000, RLIMIT_CORE, 0, D)).toBe(0n);
    expect(rlimit(f, D)).toEqual([0n, INF]);
  });

  it('sets a new limit and returns the old one', () => {
    const f = makeFixture();
    f.mem.write(D, new Uint8Array(new BigUint64Array([100n, 200n]).buffer));
    expect(f.call('prlimit64', 0, RLIMIT_NOFILE, D, D + 0x20)).toBe(0n);
    expect(rlimit(f, D + 0x20)).toEqual([1024n, 4096n]);
    expect(f.call('prlimit64', 0, RLIMIT_NOFILE, 0, D + 0x20)).toBe(0n);
    expect(rlimit(f, D + 0x20)).toEqual([100n, 200n]);
  });

  it('errors', () => {
    const f = makeFixture();
    expect(f.call('prlimit64', 0, 16, 0, D)).toBe(err(E.EINVAL));
    expect(f.call('prlimit64', 5, RLIMIT_STACK, 0, D)).toBe(err(E.ESRCH));
    expect(f.call('prlimit64', 0, RLIMIT_STACK, LAYOUT.unmapped, 0)).toBe(err(E.EFAULT));
    expect(f.call('prlimit64', 0, RLIMIT_STACK, 0, LAYOUT.ro)).toBe(err(E.EFAULT));
    f.mem.write(D, new Uint8Array(new BigUint64Array([300n, 200n]).buffer));
    expect(f.call('prlimit64', 0, RLIMIT_STACK, D, 0)).toBe(err(E.EINVAL)); // cur > max
    f.mem.write(D, new Uint8Array(new BigUint64Array([1n, (1n << 20n) + 1n]).buffer));
    expect(f.call('prlimit64', 0, RLIMIT_NOFILE, D, 0)).toBe(err(E.EPERM)); // above fs.nr_open
  });
});
