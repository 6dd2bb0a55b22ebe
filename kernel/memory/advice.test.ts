// madvise, mincore, mlock family, msync. Expected values: man 2 madvise / mincore / mlock /
// msync and Linux 6.1 mm/ (cited in the handlers). The sequences marked (x86) were run on
// the build machine's Linux 6.18 x86_64 (the same generic mm code) with these results.

import { describe, expect, it } from 'vitest';
import { PROT_NONE, PROT_READ, PROT_WRITE } from '../../emulator/memory.ts';
import { E } from '../errno.ts';
import { LAYOUT, err, makeFixture, type Fixture } from '../test-support.ts';
import { MAP_ANONYMOUS, MAP_FIXED, MAP_LOCKED, MAP_POPULATE, MAP_PRIVATE, MAP_SHARED, MCL_CURRENT, MCL_FUTURE, MCL_ONFAULT, MS_ASYNC, MS_INVALIDATE, MS_SYNC } from '../abi.ts';

const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const RW = PROT_READ | PROT_WRITE;
const P = 0x1000;
const MADV = { DONTNEED: 4, FREE: 8, REMOVE: 9, WIPEONFORK: 18, POPULATE_READ: 22, POPULATE_WRITE: 23, DONTNEED_LOCKED: 24, COLLAPSE: 25, HWPOISON: 100 };
const VEC = LAYOUT.data;

function map(f: Fixture, len: number, flags = ANON, prot = RW, addr = 0x4000_0000): number {
  const r = f.call('mmap', addr, len, prot, flags | MAP_FIXED, -1, 0);
  expect(r).toBe(BigInt(addr));
  return addr;
}

/** mincore of n pages at p, as a string of 0/1 (7 where nothing was written). */
function core(f: Fixture, p: number, n: number): { ret: bigint; bits: string } {
  f.mem.write(VEC, new Uint8Array(n).fill(7));
  const ret = f.call('mincore', p, n * P, VEC);
  return { ret, bits: [...f.mem.read(VEC, n)].join('') };
}

describe('mincore', () => {
  it('1 for touched pages (read or written), 0 for the others (x86)', () => {
    const f = makeFixture();
    const p = map(f, 8 * P);
    f.mem.st8(p, 1);
    f.mem.st8(p + 2 * P, 1);
    f.mem.ld8(p + 4 * P);
    expect(core(f, p, 8)).toEqual({ ret: 0n, bits: '10101000' });
  });

  it('a hole: ENOMEM after storing the bytes before it (x86)', () => {
    const f = makeFixture();
    const p = map(f, 8 * P);
    f.mem.st8(p, 1);
    f.call('munmap', p + 3 * P, P);
    expect(core(f, p, 8)).toEqual({ ret: err(E.ENOMEM), bits: '10077777' });
  });

  it('EINVAL unaligned, ENOMEM unmapped or outside user space, EFAULT for the vector (x86)', () => {
    const f = makeFixture();
    const p = map(f, P);
    expect(f.call('mincore', p + 1, P, VEC)).toBe(err(E.EINVAL));
    expect(f.call('mincore', 0x1000, P, VEC)).toBe(err(E.ENOMEM));
    expect(f.call('mincore', p, P, LAYOUT.ro)).toBe(err(E.EFAULT));
    expect(f.call('mincore', p, 2n ** 40n, VEC)).toBe(err(E.ENOMEM));
  });
});

describe('mlock family', () => {
  it('locks create the pages; PROT_NONE cannot be populated (ENOMEM) (x86)', () => {
    const f = makeFixture();
    const p = map(f, 8 * P, ANON, PROT_NONE);
    expect(f.call('mlock', p, P)).toBe(err(E.ENOMEM));
    expect(core(f, p, 1).bits).toBe('0');
    // The first page stayed marked: becoming writable populates it (mprotect_fixup).
    expect(f.call('mprotect', p, 8 * P, RW)).toBe(0n);
    expect(core(f, p, 8).bits).toBe('10000000');
    expect(f.call('mlock', p + P, P)).toBe(0n);
    expect(core(f, p, 8).bits).toBe('11000000');
  });

  it('DONTNEED refuses mlocked memory, DONTNEED_LOCKED does not (x86)', () => {
    const f = makeFixture();
    const p = map(f, 2 * P);
    expect(f.call('mlock', p + P, P)).toBe(0n);
    f.mem.st8(p + P, 9);
    expect(f.call('madvise', p + P, P, MADV.DONTNEED)).toBe(err(E.EINVAL));
    expect(f.call('madvise', p + P, P, MADV.DONTNEED_LOCKED)).toBe(0n);
    expect(f.mem.ld8(p + P)).toBe(0);
    expect(f.call('munlock', p, 2 * P)).toBe(0n);
    expect(f.call('madvise', p + P, P, MADV.DONTNEED)).toBe(0n);
  });

  it('rounds the range out to pages; holes are ENOMEM', () => {
    const f = makeFixture();
    const p = map(f, 4 * P);
    expect(f.call('mlock', p + 0xfff, 2)).toBe(0n); // touches pages 0 and 1
    expect(core(f, p, 4).bits).toBe('1100');
    expect(f.call('mlock', 0x1000, P)).toBe(err(E.ENOMEM));
    expect(f.call('mlock', p, 8 * P)).toBe(err(E.ENOMEM));
    expect(f.call('mlock2', p, P, 2)).toBe(err(E.EINVAL));
  });

  it('mlock2(MLOCK_ONFAULT) marks without populating', () => {
    const f = makeFixture();
    const p = map(f, 2 * P);
    expect(f.call('mlock2', p, 2 * P, 1)).toBe(0n);
    expect(core(f, p, 2).bits).toBe('00');
    expect(f.call('madvise', p, P, MADV.DONTNEED)).toBe(err(E.EINVAL));
  });

  it('mlockall flags; MCL_FUTURE populates later mappings (x86)', () => {
    const f = makeFixture();
    expect(f.call('mlockall', 0)).toBe(err(E.EINVAL));
    expect(f.call('mlockall', MCL_ONFAULT)).toBe(err(E.EINVAL));
    expect(f.call('mlockall', 8)).toBe(err(E.EINVAL));
    expect(f.call('mlockall', MCL_FUTURE)).toBe(0n);
    const q = map(f, 2 * P);
    expect(core(f, q, 2).bits).toBe('11');
    expect(f.call('munlockall')).toBe(0n);
    const r = map(f, 2 * P, ANON, RW, 0x4100_0000);
    expect(core(f, r, 2).bits).toBe('00');
  });

  it('MCL_CURRENT populates and locks what is mapped; MAP_LOCKED populates', () => {
    const f = makeFixture();
    const p = map(f, 2 * P);
    expect(f.call('mlockall', MCL_CURRENT)).toBe(0n);
    expect(core(f, p, 2).bits).toBe('11');
    expect(f.call('madvise', p, P, MADV.DONTNEED)).toBe(err(E.EINVAL));
    const g = makeFixture();
    const q = Number(g.call('mmap', 0, 3 * P, RW, ANON | MAP_LOCKED, -1, 0));
    expect(core(g, q, 3).bits).toBe('111');
    const r = Number(g.call('mmap', 0, 2 * P, RW, ANON | MAP_POPULATE, -1, 0));
    expect(core(g, r, 2).bits).toBe('11');
  });

  it('without CAP_IPC_LOCK, RLIMIT_MEMLOCK applies (ENOMEM; MAP_LOCKED EAGAIN)', () => {
    const f = makeFixture();
    expect(f.call('setresuid', 1000, 1000, 1000)).toBe(0n); // drops every capability
    const p = map(f, 4096 * P);
    expect(f.call('mlock', p, 2048 * P)).toBe(0n); // 8 MiB: the default limit
    expect(f.call('mlock', p, 2048 * P)).toBe(0n); // already locked pages do not count twice
    expect(f.call('mlock', p + 2048 * P, P)).toBe(err(E.ENOMEM));
    expect(f.call('mmap', 0, P, RW, ANON | MAP_LOCKED, -1, 0)).toBe(err(E.EAGAIN));
  });
});

describe('madvise', () => {
  it('argument checks; holes are ENOMEM but the mapped parts are advised (x86)', () => {
    const f = makeFixture();
    const p = map(f, 4 * P);
    expect(f.call('madvise', p + 1, P, MADV.DONTNEED)).toBe(err(E.EINVAL));
    expect(f.call('madvise', p, P, 999)).toBe(err(E.EINVAL));
    expect(f.call('madvise', p, -1n, MADV.DONTNEED)).toBe(err(E.EINVAL)); // rounds to 0
    expect(f.call('madvise', p, 0, MADV.DONTNEED)).toBe(0n);
    expect(f.call('madvise', 0x1000, P, MADV.DONTNEED)).toBe(err(E.ENOMEM));
    f.mem.st8(p, 3);
    f.call('munmap', p + P, P);
    expect(f.call('madvise', p, 4 * P, MADV.DONTNEED)).toBe(err(E.ENOMEM));
    expect(f.mem.ld8(p)).toBe(0);
  });

  it('private memory: DONTNEED zeroes, FREE keeps, REMOVE is EINVAL, WIPEONFORK ok (x86)', () => {
    const f = makeFixture();
    const p = map(f, 2 * P);
    f.mem.st8(p, 1);
    f.mem.st8(p + P, 2);
    expect(f.call('madvise', p, P, MADV.DONTNEED)).toBe(0n);
    expect(f.call('madvise', p + P, P, MADV.FREE)).toBe(0n);
    expect([f.mem.ld8(p), f.mem.ld8(p + P)]).toEqual([0, 2]);
    expect(f.call('madvise', p, P, MADV.REMOVE)).toBe(err(E.EINVAL));
    expect(f.call('madvise', p, P, MADV.WIPEONFORK)).toBe(0n);
  });

  it('shared memory: DONTNEED keeps, FREE and WIPEONFORK EINVAL, REMOVE zeroes (x86)', () => {
    const f = makeFixture();
    const s = map(f, 4 * P, MAP_SHARED | MAP_ANONYMOUS);
    f.mem.st8(s, 5);
    expect(f.call('madvise', s, P, MADV.DONTNEED)).toBe(0n);
    expect(f.mem.ld8(s)).toBe(5);
    expect(f.call('madvise', s, P, MADV.FREE)).toBe(err(E.EINVAL));
    expect(f.call('madvise', s, P, MADV.WIPEONFORK)).toBe(err(E.EINVAL));
    expect(f.call('madvise', s, P, MADV.REMOVE)).toBe(0n);
    expect(f.mem.ld8(s)).toBe(0);
    const ro = map(f, P, MAP_SHARED | MAP_ANONYMOUS, PROT_READ, 0x4200_0000);
    expect(f.call('madvise', ro, P, MADV.REMOVE)).toBe(err(E.EACCES));
  });

  it('POPULATE_* need the permission (EINVAL); COLLAPSE needs room for a huge page (x86)', () => {
    const f = makeFixture();
    const p = map(f, 2 * P);
    expect(f.call('madvise', p, 2 * P, MADV.POPULATE_READ)).toBe(0n);
    expect(core(f, p, 2).bits).toBe('11');
    f.call('mprotect', p, P, PROT_READ);
    expect(f.call('madvise', p, 2 * P, MADV.POPULATE_WRITE)).toBe(err(E.EINVAL));
    expect(f.call('madvise', p, P, MADV.COLLAPSE)).toBe(err(E.EINVAL));
    const big = map(f, 4 * 1024 * 1024, ANON, RW, 0x4400_0000);
    f.mem.st8(big, 1);
    expect(f.call('madvise', big, 2 * 1024 * 1024, MADV.COLLAPSE)).toBe(0n);
    expect(f.mem.ld8(big)).toBe(1);
  });

  it('HWPOISON is unknown advice without CONFIG_MEMORY_FAILURE: EINVAL (x86 build machine too)', () => {
    const f = makeFixture();
    const p = map(f, P);
    expect(f.call('madvise', p, P, MADV.HWPOISON)).toBe(err(E.EINVAL));
  });
});

describe('msync', () => {
  it('flags, holes and locked memory (x86)', () => {
    const f = makeFixture();
    const p = map(f, 8 * P);
    expect(f.call('msync', p + 1, P, MS_SYNC)).toBe(err(E.EINVAL));
    expect(f.call('msync', p, P, MS_SYNC | MS_ASYNC)).toBe(err(E.EINVAL));
    expect(f.call('msync', p, P, 8)).toBe(err(E.EINVAL));
    expect(f.call('msync', 0x1000, P, MS_SYNC)).toBe(err(E.ENOMEM));
    expect(f.call('msync', p, 8 * P, MS_ASYNC)).toBe(0n);
    expect(f.call('msync', p, -1n, MS_SYNC)).toBe(0n); // the length wraps to 0
    f.call('munmap', p + 3 * P, P);
    expect(f.call('msync', p, 8 * P, MS_SYNC)).toBe(err(E.ENOMEM));
    f.call('mlock', p, P);
    expect(f.call('msync', p, 2 * P, MS_INVALIDATE)).toBe(err(E.EBUSY));
  });
});
