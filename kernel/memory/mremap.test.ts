// Expected behaviour: man 2 mremap and Linux 6.1 mm/mremap.c (order of checks cited in
// mremap.ts). The errno cases marked (x86) were also run on the build machine's Linux 6.18
// (the generic mm code riscv64 shares) with the same results.

import { describe, expect, it } from 'vitest';
import { MemoryFault, PROT_NONE, PROT_READ, PROT_WRITE, USER_TOP } from '../../emulator/memory.ts';
import { ZerosysStop } from '../api.ts';
import { E } from '../errno.ts';
import { err, makeFixture, type Fixture } from '../test-support.ts';
import { MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, MAP_SHARED } from '../abi.ts';

const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const RW = PROT_READ | PROT_WRITE;
const MAYMOVE = 1;
const FIXED = 2;
const DONTUNMAP = 4;
const P = 0x1000;

function map(f: Fixture, len: number, flags = ANON, prot = RW, addr = 0): number {
  const r = f.call('mmap', addr, len, prot, flags | (addr ? MAP_FIXED : 0), -1, 0);
  expect(r > 0n).toBe(true);
  return Number(r);
}

describe('mremap argument checks', () => {
  it('EINVAL / EFAULT in Linux order (x86)', () => {
    const f = makeFixture();
    const p = map(f, 8 * P);
    expect(f.call('mremap', p, P, 2 * P, 8)).toBe(err(E.EINVAL)); // unknown flag
    expect(f.call('mremap', p + 1, P, 2 * P, 0)).toBe(err(E.EINVAL)); // unaligned
    expect(f.call('mremap', p, P, 0, 0)).toBe(err(E.EINVAL)); // new_len 0
    expect(f.call('mremap', 0x1000, P, 2 * P, 0)).toBe(err(E.EFAULT)); // nothing mapped
    expect(f.call('mremap', p, P, 2 * P, FIXED)).toBe(err(E.EINVAL)); // FIXED without MAYMOVE
    expect(f.call('mremap', p, P, 2 * P, MAYMOVE | DONTUNMAP)).toBe(err(E.EINVAL)); // DONTUNMAP resizing
    expect(f.call('mremap', p, P, P, DONTUNMAP)).toBe(err(E.EINVAL)); // DONTUNMAP without MAYMOVE
    expect(f.call('mremap', p, 0, P, MAYMOVE)).toBe(err(E.EINVAL)); // duplicating private memory
    expect(f.call('mremap', p, 9 * P, 10 * P, MAYMOVE)).toBe(err(E.EFAULT)); // past the mapping
    // A failed mmap's -EINVAL used as the address: unaligned (found by the memory property).
    expect(f.call('mremap', -22n, 4 * P, 4 * P, 0)).toBe(err(E.EINVAL));
  });

  it('MREMAP_FIXED checks the new range', () => {
    const f = makeFixture();
    const p = map(f, 4 * P);
    expect(f.call('mremap', p, P, P, MAYMOVE | FIXED, p + 0x10)).toBe(err(E.EINVAL)); // unaligned
    expect(f.call('mremap', p, 2 * P, 2 * P, MAYMOVE | FIXED, p + P)).toBe(err(E.EINVAL)); // overlap
    expect(f.call('mremap', p, P, 2 * P, MAYMOVE | FIXED, USER_TOP - P)).toBe(err(E.EINVAL)); // past user space
  });
});

describe('mremap shrink and grow', () => {
  it('shrinks in place, unmapping the tail', () => {
    const f = makeFixture();
    const p = map(f, 4 * P);
    f.mem.st8(p, 7);
    expect(f.call('mremap', p, 4 * P, P + 1, 0)).toBe(BigInt(p));
    expect(f.mem.ld8(p)).toBe(7);
    expect(f.mem.ld8(p + P + 5)).toBe(0); // new_len rounds up to 2 pages
    expect(() => f.mem.ld8(p + 2 * P)).toThrow(MemoryFault);
  });

  it('grows in place when the pages after it are free, with zeros', () => {
    const f = makeFixture();
    const p = map(f, 2 * P, ANON, RW, 0x4000_0000);
    f.mem.st8(p + P, 9);
    expect(f.call('mremap', p, 2 * P, 6 * P, 0)).toBe(BigInt(p));
    expect(f.mem.ld8(p + P)).toBe(9);
    expect(f.mem.ld8(p + 5 * P)).toBe(0);
    expect(f.mem.findVma(p)).toMatchObject({ start: p, end: p + 6 * P, prot: RW });
  });

  it('without MAYMOVE a blocked growth is ENOMEM; with it the pages move without copying', () => {
    const f = makeFixture();
    const p = map(f, 2 * P, ANON, RW, 0x4000_0000);
    map(f, P, ANON, PROT_READ, p + 2 * P); // blocks growth in place
    f.mem.st8(p, 1);
    f.mem.st8(p + P + 17, 2);
    expect(f.call('mremap', p, 2 * P, 3 * P, 0)).toBe(err(E.ENOMEM));
    const q = Number(f.call('mremap', p, 2 * P, 3 * P, MAYMOVE));
    expect(q).not.toBe(p);
    expect([f.mem.ld8(q), f.mem.ld8(q + P + 17), f.mem.ld8(q + 2 * P)]).toEqual([1, 2, 0]);
    expect(() => f.mem.ld8(p)).toThrow(MemoryFault); // the old range is gone
    expect(f.mem.findVma(q)).toMatchObject({ start: q, end: q + 3 * P, prot: RW });
  });

  it('moves 128 MiB by moving page frames (sparse pages survive)', () => {
    const f = makeFixture();
    const len = 128 * 1024 * 1024;
    const p = map(f, len, ANON, RW, 0x4000_0000);
    map(f, P, ANON, PROT_NONE, p + len);
    for (let off = 0; off < len; off += 1024 * 1024) f.mem.st8(p + off, (off >> 20) & 0x7f);
    const q = Number(f.call('mremap', p, len, 2 * len, MAYMOVE));
    for (let off = 0; off < len; off += 1024 * 1024) expect(f.mem.ld8(q + off)).toBe((off >> 20) & 0x7f);
    expect(f.mem.ld8(q + 2 * len - 1)).toBe(0);
  });

  it('MREMAP_FIXED replaces what is at new_addr', () => {
    const f = makeFixture();
    const p = map(f, P, ANON, RW, 0x4000_0000);
    const t = map(f, 2 * P, ANON, PROT_READ, 0x5000_0000);
    f.mem.st8(p, 42);
    expect(f.call('mremap', p, P, 2 * P, MAYMOVE | FIXED, t)).toBe(BigInt(t));
    expect(f.mem.ld8(t)).toBe(42);
    expect(f.mem.findVma(t)?.prot).toBe(RW);
    expect(() => f.mem.ld8(p)).toThrow(MemoryFault);
  });

  it('MREMAP_DONTUNMAP leaves the old private range mapped and empty', () => {
    const f = makeFixture();
    const p = map(f, 2 * P, ANON, RW, 0x4000_0000);
    f.mem.st8(p, 5);
    const q = Number(f.call('mremap', p, 2 * P, 2 * P, MAYMOVE | DONTUNMAP));
    expect(f.mem.ld8(q)).toBe(5);
    expect(f.mem.ld8(p)).toBe(0);
    expect(f.mem.findVma(p)?.prot).toBe(RW);
  });

  it('old_len 0 on shared memory maps the same pages twice', () => {
    const f = makeFixture();
    const s = map(f, 2 * P, MAP_SHARED | MAP_ANONYMOUS);
    f.mem.st8(s + P, 3);
    const t = Number(f.call('mremap', s, 0, 2 * P, MAYMOVE));
    expect(t).not.toBe(s);
    expect(f.mem.ld8(t + P)).toBe(3);
    f.mem.st8(t, 8);
    expect(f.mem.ld8(s)).toBe(8);
  });

  it('growing shared memory stops the guest (Linux would SIGBUS past the object)', () => {
    const f = makeFixture();
    const s = map(f, P, MAP_SHARED | MAP_ANONYMOUS);
    expect(() => f.call('mremap', s, P, 2 * P, MAYMOVE)).toThrow(ZerosysStop);
  });
});

describe('mremap limits', () => {
  it('growth past --mem is ENOMEM (the cap counts every mapped byte, like RLIMIT_AS)', () => {
    const MiB64 = 64 * 1024 * 1024;
    const f = makeFixture({ memBytes: MiB64 });
    const base = f.mem.mappedBytes; // the fixture's data, read-only page and stack
    const p = map(f, P, ANON, RW, 0x4000_0000);
    expect(f.call('mremap', p, P, MiB64 - base + P, MAYMOVE)).toBe(err(E.ENOMEM));
    expect(f.call('mremap', p, P, MiB64 - base, MAYMOVE)).toBe(BigInt(p));
    expect(f.mem.mappedBytes).toBe(MiB64);
  });
});
