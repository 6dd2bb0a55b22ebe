// Address-space limits and personality/prctl effects on mappings. Expected behaviour: Linux
// 6.1 may_expand_vm() (RLIMIT_AS counts every mapped page, RLIMIT_DATA private writable
// ones), brk returning the old break on failure, do_mmap's READ_IMPLIES_EXEC, and
// prctl(PR_SET_VMA) (mm/madvise.c madvise_set_anon_name).

import { describe, expect, it } from 'vitest';
import { PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE } from '../../emulator/memory.ts';
import { E } from '../errno.ts';
import { LAYOUT, cString, err, makeFixture } from '../test-support.ts';
import { MAP_FIXED, PR_SET_VMA, RLIMIT_AS, RLIMIT_DATA } from '../abi.ts';

const ANON = 0x22;
const MAP_SHARED_ANON = 0x21;
const RW = PROT_READ | PROT_WRITE;
const P = 0x1000;
const MiB = 1024 * 1024;

function setLimit(f: ReturnType<typeof makeFixture>, resource: number, cur: bigint, max: bigint) {
  f.mem.write(LAYOUT.data, new Uint8Array(new BigUint64Array([cur, max]).buffer));
  expect(f.call('setrlimit', resource, LAYOUT.data)).toBe(0n);
}

describe('--mem', () => {
  it('overcommit heuristic: one private writable mapping larger than the machine is ENOMEM, unless MAP_NORESERVE, read-only or shared', () => {
    const f = makeFixture(); // no --mem: 4 GiB machine, mappings otherwise uncapped
    const big = 4 * 1024 * MiB + P;
    expect(f.call('mmap', 0, big, RW, ANON, -1, 0)).toBe(err(E.ENOMEM));
    expect(f.call('mmap', 0, big, RW, ANON | 0x4000 /* MAP_NORESERVE */, -1, 0)).toBeGreaterThan(0n);
    expect(f.call('mmap', 0, big, PROT_NONE, ANON, -1, 0)).toBeGreaterThan(0n); // Go's arena reservations
    expect(f.call('mmap', 0, big, RW, MAP_SHARED_ANON, -1, 0)).toBeGreaterThan(0n);
    expect(f.call('mmap', 0, 4 * 1024 * MiB, RW, ANON, -1, 0)).toBeGreaterThan(0n); // exactly the machine's size
  });

  it('caps mapped bytes: mmap ENOMEM, brk keeps the old break', () => {
    const f = makeFixture({ memBytes: 32 * MiB });
    const room = 32 * MiB - f.mem.mappedBytes;
    expect(f.call('mmap', 0, room + P, RW, ANON, -1, 0)).toBe(err(E.ENOMEM));
    expect(f.call('mmap', 0, room - P, PROT_NONE, ANON, -1, 0) > 0n).toBe(true); // reservations count too
    expect(f.call('brk', LAYOUT.brkStart + 2 * P)).toBe(BigInt(LAYOUT.brkStart));
    expect(f.call('brk', LAYOUT.brkStart + P)).toBe(BigInt(LAYOUT.brkStart + P));
  });

  it('MAP_FIXED over existing pages only counts the growth', () => {
    const f = makeFixture({ memBytes: 16 * MiB });
    const room = 16 * MiB - f.mem.mappedBytes;
    const a = Number(f.call('mmap', 0x4000_0000, room, RW, ANON | MAP_FIXED, -1, 0));
    expect(f.call('mmap', a, room, PROT_READ, ANON | MAP_FIXED, -1, 0)).toBe(BigInt(a));
    expect(f.call('mmap', a, room + P, PROT_READ, ANON | MAP_FIXED, -1, 0)).toBe(err(E.ENOMEM));
  });
});

describe('RLIMIT_AS and RLIMIT_DATA', () => {
  it('RLIMIT_AS below what is mapped: any growth is ENOMEM', () => {
    const f = makeFixture();
    setLimit(f, RLIMIT_AS, BigInt(f.mem.mappedBytes + 4 * P), 1n << 40n);
    expect(f.call('mmap', 0, 4 * P, RW, ANON, -1, 0) > 0n).toBe(true);
    expect(f.call('mmap', 0, P, RW, ANON, -1, 0)).toBe(err(E.ENOMEM));
  });

  it('RLIMIT_DATA limits private writable memory, not read-only or shared', () => {
    const f = makeFixture();
    setLimit(f, RLIMIT_DATA, 1n * BigInt(MiB), 1n << 40n); // the fixture already has 64 KiB of data
    expect(f.call('mmap', 0, MiB, RW, ANON, -1, 0)).toBe(err(E.ENOMEM));
    expect(f.call('mmap', 0, MiB, PROT_READ, ANON, -1, 0) > 0n).toBe(true);
    expect(f.call('mmap', 0, MiB, RW, MAP_SHARED_ANON, -1, 0) > 0n).toBe(true);
    expect(f.call('mmap', 0, 256 * 1024, RW, ANON, -1, 0) > 0n).toBe(true);
  });
});

describe('mmap_min_addr', () => {
  it('MAP_FIXED below 64 KiB needs CAP_SYS_RAWIO (root has it)', () => {
    const f = makeFixture();
    expect(f.call('mmap', 0x1000, P, RW, ANON | MAP_FIXED, -1, 0)).toBe(0x1000n);
    f.call('setresuid', 1, 1, 1);
    expect(f.call('mmap', 0x2000, P, RW, ANON | MAP_FIXED, -1, 0)).toBe(err(E.EPERM));
  });
});

describe('personality(READ_IMPLIES_EXEC)', () => {
  it('PROT_READ mappings become executable', () => {
    const f = makeFixture();
    expect(f.call('personality', 0x0400000)).toBe(0n);
    const a = Number(f.call('mmap', 0, P, PROT_READ, ANON, -1, 0));
    expect(f.mem.findVma(a)?.prot).toBe(PROT_READ | PROT_EXEC);
    expect(f.call('mprotect', LAYOUT.data, P, RW)).toBe(0n);
    expect(f.mem.findVma(LAYOUT.data)?.prot).toBe(RW | PROT_EXEC);
    expect(f.call('personality', 0xffffffff)).toBe(0x0400000n);
  });
});

describe('prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME)', () => {
  it('names private anonymous memory; EBADF for shared; EINVAL for bad names', () => {
    const f = makeFixture();
    const a = Number(f.call('mmap', 0x4000_0000, 4 * P, RW, ANON | MAP_FIXED, -1, 0));
    const name = cString(f.mem, LAYOUT.data, 'arena 1');
    expect(f.call('prctl', PR_SET_VMA, 0, a + P, 2 * P, name)).toBe(0n);
    expect(f.mem.listVmas().filter((v) => v.start >= a && v.end <= a + 4 * P).map((v) => [v.start - a, v.end - a, v.name])).toEqual([
      [0, P, ''],
      [P, 3 * P, '[anon:arena 1]'],
      [3 * P, 4 * P, ''],
    ]);
    expect(f.call('prctl', PR_SET_VMA, 0, a + P, 2 * P, 0)).toBe(0n); // NULL: unnamed again
    expect(f.mem.findVma(a)).toMatchObject({ start: a, end: a + 4 * P, name: '' });
    const s = Number(f.call('mmap', 0, P, RW, MAP_SHARED_ANON, -1, 0));
    expect(f.call('prctl', PR_SET_VMA, 0, s, P, name)).toBe(err(E.EBADF));
    expect(f.call('prctl', PR_SET_VMA, 0, a, P, cString(f.mem, LAYOUT.data + 0x100, 'a[b]'))).toBe(err(E.EINVAL));
    expect(f.call('prctl', PR_SET_VMA, 0, a, P, cString(f.mem, LAYOUT.data + 0x200, 'x'.repeat(80)))).toBe(err(E.EINVAL));
    expect(f.call('prctl', PR_SET_VMA, 0, a, P, cString(f.mem, LAYOUT.data + 0x300, 'x'.repeat(79)))).toBe(0n);
    expect(f.call('prctl', PR_SET_VMA, 1, a, P, name)).toBe(err(E.EINVAL));
    expect(f.call('prctl', PR_SET_VMA, 0, 0x1000, P, name)).toBe(err(E.ENOMEM));
  });
});
