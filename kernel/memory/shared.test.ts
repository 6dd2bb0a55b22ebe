// MAP_SHARED memory between address spaces (shared.ts): what one process wrote is what the
// next one switched in reads, at whatever address and offset each maps the object; a page
// dropped from the object reads as zeros; private memory never moves; two mappings of one
// object in one process share frames.

import { afterEach, describe, expect, it } from 'vitest';
import { Memory, PROT_READ, PROT_WRITE } from '../../emulator/memory.ts';
import { MmState, PLAIN } from './mm-state.ts';
import { shareWithExisting, switchAddressSpace, syncIn, type AddressSpace, type SharedObject } from './shared.ts';

const P = 4096;
const RW = PROT_READ | PROT_WRITE;
const spaces: AddressSpace[] = [];

function space(): AddressSpace {
  const as = { mem: new Memory(), mm: new MmState() };
  spaces.push(as);
  return as;
}

function mapShared(as: AddressSpace, addr: number, len: number, obj: SharedObject, offset: number): void {
  as.mem.map(addr, len, RW, '/dev/zero (deleted)');
  as.mm.record(addr, addr + len, { ...PLAIN, backing: { kind: 'shared', obj, offset } });
}

const bytes = (as: AddressSpace, addr: number, n: number) => [...as.mem.read(addr, n)];

afterEach(() => {
  for (const as of spaces.splice(0)) as.mem.dispose();
});

describe('shared memory between address spaces', () => {
  it('a write in one process is read in the next one switched in, at another address and offset', () => {
    const a = space();
    const b = space();
    const obj = a.mm.newShm();
    mapShared(a, 0x10000, 2 * P, obj, 0);
    mapShared(b, 0x40000, P, obj, P); // only the object's second page
    a.mem.writeUnchecked(0x11000 + 8, new Uint8Array([1, 2, 3]));
    a.mem.writeUnchecked(0x10000, new Uint8Array([9])); // a page b does not map
    expect(bytes(b, 0x40000 + 8, 3)).toEqual([0, 0, 0]); // not before the switch: b has not run since
    switchAddressSpace(a, b);
    expect(bytes(b, 0x40000 + 8, 3)).toEqual([1, 2, 3]);
    b.mem.writeUnchecked(0x40000 + 9, new Uint8Array([7]));
    switchAddressSpace(b, a);
    expect(bytes(a, 0x11000 + 8, 3)).toEqual([1, 7, 3]);
    expect(bytes(a, 0x10000, 1)).toEqual([9]);
  });

  it('private memory of either process is not touched', () => {
    const a = space();
    const b = space();
    const obj = a.mm.newShm();
    mapShared(a, 0x10000, P, obj, 0);
    mapShared(b, 0x10000, P, obj, 0);
    for (const as of [a, b]) as.mem.map(0x20000, P, RW, '');
    a.mem.writeUnchecked(0x20000, new Uint8Array([5]));
    b.mem.writeUnchecked(0x20000, new Uint8Array([6]));
    switchAddressSpace(a, b);
    switchAddressSpace(b, a);
    expect(bytes(a, 0x20000, 1)).toEqual([5]);
    expect(bytes(b, 0x20000, 1)).toEqual([6]);
  });

  it('a page dropped from the object (a truncated file) reads as zeros once reloaded, in the process that holds it', () => {
    const a = space();
    const b = space();
    const obj = a.mm.newShm();
    mapShared(a, 0x10000, P, obj, 0);
    mapShared(b, 0x10000, P, obj, 0);
    a.mem.writeUnchecked(0x10000, new Uint8Array([4, 4]));
    switchAddressSpace(a, b);
    expect(bytes(b, 0x10000, 2)).toEqual([4, 4]);
    obj.store.drop(0); // what b's ftruncate does to the file's pages (TmpNode.mapped then reloads)
    syncIn(b, { obj, first: 0, last: 1 });
    expect(bytes(b, 0x10000, 2)).toEqual([0, 0]);
    switchAddressSpace(b, a);
    expect(bytes(a, 0x10000, 2)).toEqual([0, 0]);
  });

  it('two mappings of one object in one process share their frames', () => {
    const a = space();
    const obj = a.mm.newShm();
    mapShared(a, 0x10000, 2 * P, obj, 0);
    mapShared(a, 0x30000, P, obj, P);
    shareWithExisting(a, obj, P, 0x30000, 0x30000 + P);
    a.mem.writeUnchecked(0x11000 + 100, new Uint8Array([42]));
    expect(bytes(a, 0x30000 + 100, 1)).toEqual([42]);
    a.mem.writeUnchecked(0x30000, new Uint8Array([43]));
    expect(bytes(a, 0x11000, 1)).toEqual([43]);
  });
});
