// Copying to and from guest memory the way the Linux uaccess helpers do.
//
// Memory.read/write are all-or-nothing and throw MemoryFault; the dispatcher turns an
// uncaught MemoryFault into -EFAULT. Calls that Linux lets finish partially (read, write,
// getrandom: "bytes copied before the fault, or EFAULT if none") use accessiblePrefix.

import { PROT_READ, PROT_WRITE, USER_TOP, StringTooLong, type Memory } from '../emulator/memory.ts';
import { fail } from './errors.ts';
import { PATH_MAX } from './abi.ts';
export { PATH_MAX } from './abi.ts';

/** Largest count one read/write moves (Linux MAX_RW_COUNT = INT_MAX & PAGE_MASK). */
export const MAX_RW_COUNT = 0x7ffff000;

/** Linux access_ok() on riscv64: [addr, addr+len) lies in the user half. */
export function accessOk(addr: number, len: number): boolean {
  return len <= USER_TOP && addr <= USER_TOP - len;
}

/** How many bytes from addr (up to len) allow `prot`, stopping at the first byte that does not. */
export function accessiblePrefix(mem: Memory, addr: number, len: number, prot: number): number {
  if (!(addr >= 0 && addr < USER_TOP) || len <= 0) return 0;
  const end = Math.min(addr + len, USER_TOP);
  let a = addr;
  while (a < end) {
    const v = mem.findVma(a);
    if (!v || (v.prot & prot) !== prot) break;
    a = v.end;
  }
  return Math.min(a, end) - addr;
}

export const readablePrefix = (mem: Memory, addr: number, len: number) => accessiblePrefix(mem, addr, len, PROT_READ);
export const writablePrefix = (mem: Memory, addr: number, len: number) => accessiblePrefix(mem, addr, len, PROT_WRITE);

/**
 * A NUL-terminated path argument (Linux getname): EFAULT if unreadable, ENAMETOOLONG if no
 * NUL within PATH_MAX bytes. Bytes map 1:1 to chars (latin1) so nothing is lost.
 */
export function readPath(mem: Memory, addr: number): string {
  try {
    return String.fromCharCode(...mem.readCString(addr, PATH_MAX));
  } catch (e) {
    if (e instanceof StringTooLong) fail('ENAMETOOLONG');
    throw e;
  }
}

/** Bytes of a latin1 string (the inverse of readPath). */
export function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** Little-endian builder for a C struct that is then copied out in one go. */
export class StructBuilder {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }
  u8(off: number, v: number): this {
    this.view.setUint8(off, v);
    return this;
  }
  u16(off: number, v: number): this {
    this.view.setUint16(off, v, true);
    return this;
  }
  u32(off: number, v: number): this {
    this.view.setUint32(off, v >>> 0, true);
    return this;
  }
  /** 64-bit field; negative values are stored two's complement. */
  u64(off: number, v: number | bigint): this {
    this.view.setBigUint64(off, BigInt.asUintN(64, BigInt(v)), true);
    return this;
  }
  /** NUL-padded fixed-size char array. */
  chars(off: number, size: number, s: string): this {
    const b = latin1Bytes(s).subarray(0, size - 1);
    this.bytes.set(b, off);
    return this;
  }
}

/** Write a struct; a MemoryFault propagates (→ EFAULT). */
export function copyOut(mem: Memory, addr: number, s: StructBuilder | Uint8Array): void {
  mem.write(addr, s instanceof StructBuilder ? s.bytes : s);
}

/** Read n bytes of a struct argument; a MemoryFault propagates (→ EFAULT). */
export function copyIn(mem: Memory, addr: number, n: number): DataView {
  const b = mem.read(addr, n);
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}
