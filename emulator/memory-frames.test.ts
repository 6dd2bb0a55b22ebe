// Memory's page-frame operations used by mremap, shared memory and mincore. Expected
// values follow from the definitions: frames move or are shared, never copied.

import { describe, expect, it } from 'vitest';
import { Memory, MemoryFault, OutOfMemory, PAGE_SIZE, PROT_READ, PROT_WRITE } from './memory.ts';

const RW = PROT_READ | PROT_WRITE;
const P = PAGE_SIZE;

describe('Memory frames', () => {
  it('frameLimit: touching a page past the limit is OutOfMemory, not a fault; existing frames still work', () => {
    const m = new Memory();
    m.map(0x10000, 8 * P, RW);
    m.frameLimit = 3;
    m.st8(0x10000, 1);
    m.st8(0x11000, 2);
    expect(m.ld8(0x12000)).toBe(0); // a read of an untouched page takes a frame too
    expect(() => m.st8(0x13000, 4)).toThrow(OutOfMemory);
    expect(() => m.populate(0x14000, P)).toThrow(OutOfMemory);
    expect(() => m.writeUnchecked(0x15000, new Uint8Array([5]))).toThrow(OutOfMemory);
    m.st8(0x11001, 9); // resident pages are unaffected
    expect([m.ld8(0x10000), m.ld8(0x11001), m.residentPages]).toEqual([1, 9, 3]);
  });

  it('move: mappings and contents go to the new place, the old one is unmapped', () => {
    const m = new Memory();
    m.map(0x10000, 3 * P, RW, 'a');
    m.map(0x13000, P, PROT_READ, 'a');
    m.st8(0x10000, 1);
    m.st8(0x12fff, 2);
    m.move(0x10000, 0x80000, 4 * P);
    expect(() => m.ld8(0x10000)).toThrow(MemoryFault);
    expect([m.ld8(0x80000), m.ld8(0x82fff), m.ld8(0x83000)]).toEqual([1, 2, 0]);
    expect(m.listVmas().map((v) => [v.start, v.end, v.prot])).toEqual([
      [0x80000, 0x83000, RW],
      [0x83000, 0x84000, PROT_READ],
    ]);
    expect(m.mappedBytes).toBe(4 * P);
    expect(m.isResident(0x10000)).toBe(false);
  });

  it('share: two addresses, one frame', () => {
    const m = new Memory();
    m.map(0x10000, P, RW);
    m.map(0x20000, P, RW);
    m.st8(0x10010, 5);
    m.share(0x10000, 0x20000, P);
    expect(m.ld8(0x20010)).toBe(5);
    m.st8(0x20011, 6);
    expect(m.ld8(0x10011)).toBe(6);
    m.zero(0x10000, P);
    expect(m.ld8(0x20010)).toBe(0);
  });

  it('populate / residency counts; the peak survives unmapping', () => {
    const m = new Memory();
    m.map(0x10000, 8 * P, RW);
    m.populate(0x10000, 3 * P);
    expect(m.countResident(0x10000, 8 * P)).toBe(3);
    expect(m.residentPages).toBe(3);
    m.unmap(0x10000, 8 * P);
    expect(m.residentPages).toBe(0);
    expect(m.peakResidentPages).toBe(3);
  });

  it('rename splits and merges by name', () => {
    const m = new Memory();
    m.map(0x10000, 4 * P, RW);
    m.rename(0x11000, P, 'x');
    expect(m.listVmas().map((v) => v.name)).toEqual(['', 'x', '']);
    m.rename(0x11000, P, '');
    expect(m.listVmas()).toHaveLength(1);
  });
});
