// Expected behaviour: man 2 brk / mmap / munmap / mprotect and Linux 6.1 mm/ (cited in the
// handlers); the EINVAL cases also match what qemu-riscv64 7.2 returned for the same calls.

import { describe, expect, it } from 'vitest';
import { MemoryFault, PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE, USER_TOP } from '../../emulator/memory.ts';
import { ZerosysStop } from '../api.ts';
import { E } from '../errno.ts';
import { LAYOUT, err, makeFixture } from '../test-support.ts';
import { MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_GROWSDOWN, MAP_PRIVATE, MAP_SHARED, PROT_GROWSDOWN, PROT_GROWSUP } from '../abi.ts';

const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const RW = PROT_READ | PROT_WRITE;
/** mm/util.c mmap_base() without randomisation: STACK_TOP (2^38) - max(8 MiB _STK_LIM + 1 MiB stack_guard_gap, 128 MiB MIN_GAP). */
const MMAP_BASE = USER_TOP - 128 * 1024 * 1024;

describe('brk', () => {
  it('brk(0) returns the initial break', () => {
    expect(makeFixture().call('brk', 0)).toBe(BigInt(LAYOUT.brkStart));
  });

  it('grows with zeroed RW [heap] pages and keeps the unaligned value', () => {
    const f = makeFixture();
    const want = LAYOUT.brkStart + 0x1800;
    expect(f.call('brk', want)).toBe(BigInt(want));
    expect(f.call('brk', 0)).toBe(BigInt(want));
    const vma = f.mem.findVma(LAYOUT.brkStart)!;
    expect(vma).toMatchObject({ start: LAYOUT.brkStart, end: LAYOUT.brkStart + 0x2000, prot: RW, name: '[heap]' });
    expect(f.mem.ld8(LAYOUT.brkStart + 0x1fff)).toBe(0);
    f.mem.st8(LAYOUT.brkStart + 0x1fff, 7);
  });

  it('shrinks by unmapping whole pages above the new break; regrown pages are zero', () => {
    const f = makeFixture();
    f.call('brk', LAYOUT.brkStart + 0x3000);
    f.mem.st8(LAYOUT.brkStart + 0x10, 0x55);
    f.mem.st8(LAYOUT.brkStart + 0x2000, 0x66);
    expect(f.call('brk', LAYOUT.brkStart + 0x100)).toBe(BigInt(LAYOUT.brkStart + 0x100));
    expect(f.mem.findVma(LAYOUT.brkStart)!.end).toBe(LAYOUT.brkStart + 0x1000);
    expect(() => f.mem.ld8(LAYOUT.brkStart + 0x2000)).toThrow(MemoryFault);
    expect(f.mem.ld8(LAYOUT.brkStart + 0x10)).toBe(0x55); // same page as the break: kept
    f.call('brk', LAYOUT.brkStart + 0x3000);
    expect(f.mem.ld8(LAYOUT.brkStart + 0x2000)).toBe(0);
  });

  it('returns the old break (never ENOMEM) below the start or beyond the address space', () => {
    const f = makeFixture();
    f.call('brk', LAYOUT.brkStart + 0x1000);
    expect(f.call('brk', LAYOUT.brkStart - 0x1000)).toBe(BigInt(LAYOUT.brkStart + 0x1000));
    expect(f.call('brk', USER_TOP + 0x1000)).toBe(BigInt(LAYOUT.brkStart + 0x1000));
    expect(f.call('brk', -1n)).toBe(BigInt(LAYOUT.brkStart + 0x1000));
  });

  it('keeps a one-page gap before the next mapping', () => {
    const f = makeFixture();
    const next = LAYOUT.brkStart + 0x10000;
    expect(f.call('mmap', next, 0x1000, RW, ANON | MAP_FIXED, -1, 0)).toBe(BigInt(next));
    expect(f.call('brk', next - 0xfff)).toBe(BigInt(LAYOUT.brkStart)); // would end at `next`: no gap
    expect(f.call('brk', next - 0x1000)).toBe(BigInt(next - 0x1000));
  });
});

describe('mmap', () => {
  it('places anonymous memory top-down below mmap_base, zero-filled', () => {
    const f = makeFixture();
    const a = f.call('mmap', 0, 0x2800, RW, ANON, -1, 0);
    expect(a).toBe(BigInt(MMAP_BASE - 0x3000));
    const b = f.call('mmap', 0, 0x1000, PROT_READ, ANON, -1, 0);
    expect(b).toBe(a - 0x1000n);
    expect(f.mem.ld8(Number(a) + 0x2fff)).toBe(0);
    f.mem.st8(Number(a), 1);
    expect(() => f.mem.st8(Number(b), 1)).toThrow(MemoryFault);
  });

  it('leaves the gap below the stack free until the area below mmap_base is full', () => {
    const f = makeFixture();
    // Everything from mmap_min_addr to mmap_base taken: arch_get_unmapped_area_topdown falls
    // back to the lowest gap above TASK_UNMAPPED_BASE, which is mmap_base itself.
    expect(f.call('mmap', 0x10000, MMAP_BASE - 0x10000, PROT_NONE, ANON | MAP_FIXED, -1, 0)).toBe(0x10000n);
    expect(f.call('mmap', 0, 0x2000, RW, ANON, -1, 0)).toBe(BigInt(MMAP_BASE));
    expect(f.call('mmap', 0, 0x1000, RW, ANON, -1, 0)).toBe(BigInt(MMAP_BASE + 0x2000));
  });

  it('honours a free hint (rounded down to a page, round_hint_to_min) and ignores a taken one', () => {
    const f = makeFixture();
    // qemu-riscv64 and Linux 6.18 x86_64 both place hint 0x70000001 at 0x70000000.
    expect(f.call('mmap', 0x7000_0001, 0x1000, RW, ANON, -1, 0)).toBe(0x7000_0000n);
    expect(f.call('mmap', LAYOUT.data, 0x1000, RW, ANON, -1, 0)).toBe(BigInt(MMAP_BASE - 0x1000));
    expect(f.call('mmap', 0x1000, 0x1000, RW, ANON, -1, 0)).toBe(0x10000n); // raised to mmap_min_addr
  });

  it('MAP_FIXED replaces what is there; MAP_FIXED_NOREPLACE refuses with EEXIST', () => {
    const f = makeFixture();
    f.mem.st8(LAYOUT.data, 9);
    expect(f.call('mmap', LAYOUT.data, 0x1000, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0)).toBe(err(E.EEXIST));
    expect(f.mem.ld8(LAYOUT.data)).toBe(9);
    expect(f.call('mmap', LAYOUT.data, 0x1000, RW, ANON | MAP_FIXED, -1, 0)).toBe(BigInt(LAYOUT.data));
    expect(f.mem.ld8(LAYOUT.data)).toBe(0);
    expect(f.call('mmap', 0x9000_0000, 0x1000, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0)).toBe(0x9000_0000n);
  });

  it('PROT_NONE reserves without access', () => {
    const f = makeFixture();
    const a = Number(f.call('mmap', 0, 0x4000, PROT_NONE, ANON, -1, 0));
    expect(f.mem.findVma(a)?.prot).toBe(PROT_NONE);
    expect(() => f.mem.ld8(a)).toThrow(MemoryFault);
  });

  it('MAP_SHARED anonymous memory is usable', () => {
    const f = makeFixture();
    const a = Number(f.call('mmap', 0, 0x1000, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    f.mem.st8(a, 3);
    expect(f.mem.ld8(a)).toBe(3);
  });

  it('rejects bad arguments with the Linux errno', () => {
    const f = makeFixture();
    expect(f.call('mmap', 0, 0, PROT_READ, ANON, -1, 0)).toBe(err(E.EINVAL)); // zero length
    expect(f.call('mmap', 0, 0x1000, PROT_READ, MAP_ANONYMOUS, -1, 0)).toBe(err(E.EINVAL)); // no type
    expect(f.call('mmap', 0, 0x1000, PROT_READ, 3 | MAP_ANONYMOUS, -1, 0)).toBe(err(E.EINVAL)); // SHARED_VALIDATE
    expect(f.call('mmap', 0, 0x1000, PROT_READ, ANON, -1, 5)).toBe(err(E.EINVAL)); // unaligned offset
    expect(f.call('mmap', 0, 0x1000, PROT_WRITE, ANON, -1, 0)).toBe(err(E.EINVAL)); // riscv 6.1: W without R
    expect(f.call('mmap', 0, 0x1000, PROT_WRITE | PROT_EXEC, ANON, -1, 0)).toBe(err(E.EINVAL));
    expect(f.call('mmap', 0x200001, 0x1000, RW, ANON | MAP_FIXED, -1, 0)).toBe(err(E.EINVAL)); // unaligned fixed
    expect(f.call('mmap', USER_TOP - 0x1000, 0x2000, RW, ANON | MAP_FIXED, -1, 0)).toBe(err(E.ENOMEM));
    expect(f.call('mmap', 0, USER_TOP + 1, RW, ANON, -1, 0)).toBe(err(E.ENOMEM));
    expect(f.call('mmap', 0, -1n, RW, ANON, -1, 0)).toBe(err(E.ENOMEM)); // PAGE_ALIGN wraps
    expect(f.call('mmap', 0, 0x1000, PROT_READ, MAP_PRIVATE, 7, 0)).toBe(err(E.EBADF));
    expect(f.call('mmap', 0, 0x1000, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0)).toBe(err(E.EINVAL));
  });

  it('ENODEV for a file without mmap (a pipe); stops on what it does not implement', () => {
    const f = makeFixture();
    expect(f.call('mmap', 0, 0x1000, PROT_READ, MAP_PRIVATE, 0, 0)).toBe(err(E.ENODEV)); // stdin: a pipe
    expect(() => f.call('mmap', 0, 0x1000, RW, ANON | MAP_GROWSDOWN, -1, 0)).toThrow(ZerosysStop);
    expect(() => f.call('mmap', 0, 0x1000, RW, ANON | 0x40000, -1, 0)).toThrowError(/unsupported flag MAP_HUGETLB in mmap/);
  });
});

describe('munmap', () => {
  it('unmaps, splitting mappings; unmapping nothing is fine', () => {
    const f = makeFixture();
    expect(f.call('munmap', LAYOUT.data + 0x1000, 0x1001)).toBe(0n); // length rounds up to 2 pages
    expect(() => f.mem.ld8(LAYOUT.data + 0x2fff)).toThrow(MemoryFault);
    expect(f.mem.ld8(LAYOUT.data + 0x3000)).toBe(0);
    expect(f.mem.ld8(LAYOUT.data + 0xfff)).toBe(0);
    expect(f.call('munmap', LAYOUT.unmapped, 0x1000)).toBe(0n);
  });

  it('EINVAL for an unaligned address, zero length or a range leaving user space', () => {
    const f = makeFixture();
    expect(f.call('munmap', LAYOUT.data + 1, 0x1000)).toBe(err(E.EINVAL));
    expect(f.call('munmap', LAYOUT.data, 0)).toBe(err(E.EINVAL));
    expect(f.call('munmap', USER_TOP - 0x1000, 0x2000)).toBe(err(E.EINVAL));
    expect(f.call('munmap', 2n ** 63n, 0x1000)).toBe(err(E.EINVAL));
  });
});

describe('mprotect', () => {
  it('changes permissions', () => {
    const f = makeFixture();
    expect(f.call('mprotect', LAYOUT.data, 0x1000, PROT_READ)).toBe(0n);
    expect(() => f.mem.st8(LAYOUT.data, 1)).toThrow(MemoryFault);
    f.mem.st8(LAYOUT.data + 0x1000, 1);
    expect(f.call('mprotect', LAYOUT.data, 1, RW)).toBe(0n);
    f.mem.st8(LAYOUT.data, 1);
  });

  it('makes PROT_WRITE pages readable too (no write-only PTEs on RISC-V)', () => {
    const f = makeFixture();
    expect(f.call('mprotect', LAYOUT.data, 0x1000, PROT_WRITE)).toBe(0n);
    expect(f.mem.findVma(LAYOUT.data)?.prot).toBe(RW);
  });

  it('errors in Linux order', () => {
    const f = makeFixture();
    expect(f.call('mprotect', LAYOUT.data + 1, 0x1000, PROT_READ)).toBe(err(E.EINVAL));
    expect(f.call('mprotect', LAYOUT.unmapped, 0, PROT_READ)).toBe(0n); // zero length: nothing to check
    expect(f.call('mprotect', LAYOUT.data, 0x1000, 0x100)).toBe(err(E.EINVAL)); // unknown prot bit
    expect(f.call('mprotect', LAYOUT.data, 0x1000, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP)).toBe(err(E.EINVAL));
    expect(f.call('mprotect', LAYOUT.data, 0x1000, PROT_READ | PROT_GROWSDOWN)).toBe(err(E.EINVAL)); // not a stack vma
    expect(f.call('mprotect', LAYOUT.unmapped, 0x1000, PROT_READ)).toBe(err(E.ENOMEM));
    expect(f.call('mprotect', LAYOUT.data, -0x1000n, PROT_READ)).toBe(err(E.ENOMEM)); // end wraps
    expect(f.call('mprotect', 0x3f_0000_0000, 0x1000, PROT_READ)).toBe(err(E.ENOMEM)); // nothing mapped there
  });

  it('changes the mapped part before a hole, then fails with ENOMEM', () => {
    const f = makeFixture();
    const end = LAYOUT.data + LAYOUT.dataSize;
    expect(f.call('mprotect', end - 0x2000, 0x4000, PROT_READ)).toBe(err(E.ENOMEM));
    expect(f.mem.findVma(end - 0x2000)?.prot).toBe(PROT_READ);
    expect(f.mem.findVma(end - 0x3000)?.prot).toBe(RW);
  });
});

describe('riscv_flush_icache', () => {
  it('accepts flags 0 and SYS_RISCV_FLUSH_ICACHE_LOCAL, EINVAL for other bits', () => {
    const f = makeFixture();
    expect(f.call('riscv_flush_icache', 0, 0, 0)).toBe(0n);
    expect(f.call('riscv_flush_icache', 0, 0, 1)).toBe(0n);
    expect(f.call('riscv_flush_icache', 0, 0, 2)).toBe(err(E.EINVAL));
    expect(f.call('riscv_flush_icache', 0, 0, 1n << 40n)).toBe(err(E.EINVAL));
  });
});
