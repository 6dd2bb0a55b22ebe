// A tiny hand-assembled static RV64 ELF for loader tests that must run without the cross
// toolchain (malformed-input cases, fuzzing). Layout follows elf(5):
//
//   file 0x000  Elf64_Ehdr (64 bytes)
//   file 0x040  3 x Elf64_Phdr: PT_LOAD R+X, PT_LOAD R+W (with bss), PT_GNU_STACK RW
//   file 0x100  code (entry), up to 0x200
//   file 0x200  0x40 bytes of data, mapped at 0x11200, followed by 0x1fc0 bytes of bss

export const TEXT_VADDR = 0x10000;
export const TEXT_SIZE = 0x200;
export const ENTRY = 0x10100;
export const DATA_OFFSET = 0x200;
export const DATA_VADDR = 0x11200;
export const DATA_FILESZ = 0x40;
export const DATA_MEMSZ = 0x2000;
export const PHOFF = 0x40;
export const PHNUM = 3;

// Field offsets (Elf64_Ehdr, Elf64_Phdr).
export const E_TYPE = 16;
export const E_MACHINE = 18;
export const E_VERSION = 20;
export const E_ENTRY = 24;
export const E_PHOFF = 32;
export const E_PHENTSIZE = 54;
export const E_PHNUM = 56;
export const P_TYPE = 0;
export const P_FLAGS = 4;
export const P_OFFSET = 8;
export const P_VADDR = 16;
export const P_FILESZ = 32;
export const P_MEMSZ = 40;
export const P_ALIGN = 48;

/** Byte offset of program header i's field. */
export function phField(i: number, field: number): number {
  return PHOFF + 56 * i + field;
}

export function setU16(b: Uint8Array, off: number, v: number): void {
  new DataView(b.buffer, b.byteOffset).setUint16(off, v, true);
}
export function setU32(b: Uint8Array, off: number, v: number): void {
  new DataView(b.buffer, b.byteOffset).setUint32(off, v >>> 0, true);
}
export function setU64(b: Uint8Array, off: number, v: bigint): void {
  new DataView(b.buffer, b.byteOffset).setBigUint64(off, BigInt.asUintN(64, v), true);
}

/** The data bytes placed at DATA_VADDR: 0x40, 0x41, ... */
export function dataPattern(): Uint8Array {
  return Uint8Array.from({ length: DATA_FILESZ }, (_, i) => 0x40 + i);
}

export function minimalElf(): Uint8Array {
  const f = new Uint8Array(DATA_OFFSET + DATA_FILESZ);
  f.set([0x7f, 0x45, 0x4c, 0x46, 2 /* ELFCLASS64 */, 1 /* ELFDATA2LSB */, 1 /* EV_CURRENT */]);
  setU16(f, E_TYPE, 2); // ET_EXEC
  setU16(f, E_MACHINE, 243); // EM_RISCV
  setU32(f, E_VERSION, 1);
  setU64(f, E_ENTRY, BigInt(ENTRY));
  setU64(f, E_PHOFF, BigInt(PHOFF));
  setU32(f, 48, 0x5); // e_flags: RVC, double-float ABI
  setU16(f, 52, 64); // e_ehsize
  setU16(f, E_PHENTSIZE, 56);
  setU16(f, E_PHNUM, PHNUM);

  const ph = (i: number, type: number, flags: number, off: number, vaddr: number, filesz: number, memsz: number, align: number) => {
    setU32(f, phField(i, P_TYPE), type);
    setU32(f, phField(i, P_FLAGS), flags);
    setU64(f, phField(i, P_OFFSET), BigInt(off));
    setU64(f, phField(i, P_VADDR), BigInt(vaddr));
    setU64(f, phField(i, 24), BigInt(vaddr)); // p_paddr
    setU64(f, phField(i, P_FILESZ), BigInt(filesz));
    setU64(f, phField(i, P_MEMSZ), BigInt(memsz));
    setU64(f, phField(i, P_ALIGN), BigInt(align));
  };
  ph(0, 1 /* PT_LOAD */, 4 | 1 /* R X */, 0, TEXT_VADDR, TEXT_SIZE, TEXT_SIZE, 0x1000);
  ph(1, 1 /* PT_LOAD */, 4 | 2 /* R W */, DATA_OFFSET, DATA_VADDR, DATA_FILESZ, DATA_MEMSZ, 0x1000);
  ph(2, 0x6474e551 /* PT_GNU_STACK */, 4 | 2, 0, 0, 0, 0, 16);

  // Code at the entry: li a0, 0; li a7, 93; ecall (exit(0)).
  const code = [0x00000513, 0x05d00893, 0x00000073];
  code.forEach((w, i) => setU32(f, ENTRY - TEXT_VADDR + 4 * i, w));
  f.set(dataPattern(), DATA_OFFSET);
  return f;
}
