// Reference values printed by the authors' C code (prng.di.unimi.it splitmix64.c seeding
// xoshiro256starstar.c), compiled with gcc on the build machine.

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { LAYOUT, err, makeFixture } from '../test-support.ts';
import { RandomStream, SplitMix64, Xoshiro256StarStar } from './xoshiro.ts';

const D = LAYOUT.data;

describe('xoshiro256** seeded by SplitMix64', () => {
  it('matches the reference implementation', () => {
    const sm = new SplitMix64(0n);
    expect([sm.next(), sm.next(), sm.next(), sm.next()]).toEqual([
      0xe220a8397b1dcdafn, 0x6e789e6aa1b965f4n, 0x06c45d188009454fn, 0xf88bb8a8724c81ecn,
    ]);
    const x0 = new Xoshiro256StarStar(0n);
    expect([x0.next(), x0.next(), x0.next(), x0.next(), x0.next()]).toEqual([
      0x99ec5f36cb75f2b4n, 0xbf6e1f784956452an, 0x1a5f849d4933e6e0n, 0x6aa594f1262d2d2cn, 0xbba5ad4a1f842e59n,
    ]);
    const x1 = new Xoshiro256StarStar(0xdeadbeefcafef00dn);
    expect([x1.next(), x1.next(), x1.next(), x1.next(), x1.next()]).toEqual([
      0x9e32cfb5bb93eebbn, 0x16006bd9d4ac0014n, 0x8ada5d6d34b6538en, 0x7c327ca32346a238n, 0xc43a6d6a3492ced2n,
    ]);
  });

  it('the byte stream is little-endian and continuous across calls', () => {
    const expected = [22, 199, 46, 12, 46, 11, 120, 21, 126, 58, 17, 109, 134, 217, 4, 97, 161, 153, 228, 57];
    expect([...new RandomStream(42n).bytes(20)]).toEqual(expected);
    const s = new RandomStream(42n);
    expect([...s.bytes(3), ...s.bytes(9), ...s.bytes(8)]).toEqual(expected);
  });
});

describe('getrandom', () => {
  it('fills the buffer from the seeded stream', () => {
    const f = makeFixture({ seed: 42n });
    expect(f.call('getrandom', D, 20, 0)).toBe(20n);
    expect([...f.mem.read(D, 4)]).toEqual([22, 199, 46, 12]);
    expect(f.call('getrandom', D, 8, 1)).toBe(8n); // GRND_NONBLOCK as glibc's malloc asks
    expect(f.call('getrandom', D, 0, 0)).toBe(0n);
    // A NULL buffer of length 0 is fine on Linux (access_ok(NULL, 0)); the build machine's
    // kernel agrees. qemu-riscv64 7.2 answers EFAULT here.
    expect(f.call('getrandom', 0, 0, 0)).toBe(0n);
  });

  it('same seed, same bytes; different seed, different bytes', () => {
    const a = makeFixture({ seed: 7n });
    const b = makeFixture({ seed: 7n });
    const c = makeFixture({ seed: 8n });
    for (const f of [a, b, c]) f.call('getrandom', D, 64, 2);
    expect(a.mem.read(D, 64)).toEqual(b.mem.read(D, 64));
    expect(a.mem.read(D, 64)).not.toEqual(c.mem.read(D, 64));
  });

  it('flags: EINVAL for unknown bits and for GRND_INSECURE|GRND_RANDOM', () => {
    const f = makeFixture();
    expect(f.call('getrandom', D, 8, 8)).toBe(err(E.EINVAL));
    expect(f.call('getrandom', D, 8, 6)).toBe(err(E.EINVAL));
    expect(f.call('getrandom', D, 8, 4)).toBe(8n);
  });

  it('EFAULT when nothing is writable; a partial count up to the fault', () => {
    const f = makeFixture();
    expect(f.call('getrandom', LAYOUT.ro, 8, 0)).toBe(err(E.EFAULT));
    expect(f.call('getrandom', 2n ** 40n, 8, 0)).toBe(err(E.EFAULT));
    const end = LAYOUT.data + LAYOUT.dataSize;
    expect(f.call('getrandom', end - 5, 100, 0)).toBe(5n);
  });
});
