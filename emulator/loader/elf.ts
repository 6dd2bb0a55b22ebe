// Static RV64 ELF loader, following Linux's fs/binfmt_elf.c load_elf_binary with address
// randomisation off. Every check runs before anything is mapped, and every malformed file
// ends in an ElfError with a one-line message; nothing here allocates in proportion to a
// header field (pages are created lazily by Memory), so garbage cannot hang or exhaust us.

import { Memory, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, USER_TOP } from '../memory.ts';
import { ElfError } from './errors.ts';
import { HWCAP_IMAFDC, STACK_LOW, buildInitialStack, mapStack } from './stack.ts';

export { ElfError } from './errors.ts';

export interface LoadOptions {
  argv: (string | Uint8Array)[];
  envp: (string | Uint8Array)[];
  /** AT_EXECFN string and ProcessImage.execPath. */
  execPath: string;
  /** 16 bytes for AT_RANDOM (the caller derives them from --seed). */
  random16: Uint8Array;
  uid?: number;
  gid?: number;
  /** Defaults to the IMAFDC bits, as riscv64 Linux and qemu-riscv64 report. */
  hwcap?: number;
  /**
   * For a dynamically linked program (PT_INTERP): reads the interpreter (the dynamic linker)
   * by its path, and the top of the area it may be mapped in (the mmap area, top-down, as
   * load_elf_interp's mapping is placed). Without it such a program is refused.
   */
  interpreter?: { read(path: string): Uint8Array; below: number };
}

/** Where the program went: what the kernel keeps (its ProcessImage) and where the hart starts. */
export interface LoadedProgram {
  entry: number;
  /** Initial stack pointer, at argc. */
  sp: number;
  /** First byte after the highest loaded segment, page aligned: initial program break. */
  brkStart: number;
  /** The auxiliary vector as placed on the stack (/proc/self/auxv). */
  auxv: Array<[number, number]>;
  /** AT_EXECFN. */
  execPath: string;
  /** Lowest address of the stack mapping. */
  stackLow: number;
  /** PT_INTERP: the dynamic linker the program was started through. */
  interp?: string;
}

// ELF constants (elf(5), /usr/riscv64-linux-gnu/include/linux/elf.h).
const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const EV_CURRENT = 1;
const ET_REL = 1;
const ET_EXEC = 2;
const ET_DYN = 3;
const ET_CORE = 4;
const EM_RISCV = 243;
const PT_LOAD = 1;
const PT_INTERP = 3;
const PT_PHDR = 6;
const PT_GNU_STACK = 0x6474e551;
const PF_X = 1;
const PF_W = 2;
const PF_R = 4;
/** load_elf_phdrs refuses a header table larger than ELF_MIN_ALIGN (one page). */
const MAX_PHNUM = Math.floor(PAGE_SIZE / PHDR_SIZE);

/**
 * Where an ET_DYN (static-pie) image goes: riscv64's ELF_ET_DYN_BASE =
 * (DEFAULT_MAP_WINDOW / 3) * 2 with DEFAULT_MAP_WINDOW = 2^38 for sv39, i.e.
 * floor(2^38 / 3) * 2 = 0x2aaaaaaaaa, aligned down to the largest PT_LOAD p_align (at least
 * a page) -> 0x2aaaaaa000 for the usual 4 KiB alignment. (Recent kernels load ET_DYN
 * without PT_INTERP into the mmap area instead; a fixed base below the stack and the mmap
 * area keeps our layout simple and deterministic.)
 */
export const ELF_ET_DYN_BASE = Math.floor(2 ** 38 / 3) * 2;

interface Segment {
  index: number; // position in the program header table, for messages
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  align: number;
  flags: number;
}

interface ParsedElf {
  type: number;
  entry: number; // clamped to USER_TOP when larger
  entryRaw: bigint; // for messages
  phoff: number;
  phnum: number;
  loads: Segment[];
  phdrVaddr: number | undefined; // from PT_PHDR
  stackFlags: number; // PT_GNU_STACK p_flags, or PF_R|PF_W when absent
  interp: string | undefined; // PT_INTERP path
}

const hex = (n: number | bigint): string => `0x${n.toString(16)}`;
const BIG_USER_TOP = BigInt(USER_TOP);
const BIG_PAGE = BigInt(PAGE_SIZE);

/**
 * Parse and validate everything that does not depend on the load address. 64-bit fields
 * are checked as BigInt (exact, no overflow) and become numbers only once they are known
 * to be below 2^38.
 */
function parseElf(file: Uint8Array): ParsedElf {
  if (file.length < EHDR_SIZE) throw new ElfError(`file too short for an ELF header: ${file.length} bytes, need ${EHDR_SIZE}`);
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const u16 = (off: number): number => dv.getUint16(off, true);
  const u32 = (off: number): number => dv.getUint32(off, true);
  const u64 = (off: number): bigint => dv.getBigUint64(off, true);
  const size = BigInt(file.length);

  if (u32(0) !== 0x464c457f) {
    const got = Array.from(file.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new ElfError(`not an ELF file: magic is ${got}, expected 7f 45 4c 46`);
  }
  if (file[4] !== ELFCLASS64) throw new ElfError(`not a 64-bit ELF: EI_CLASS=${file[4]}, expected ELFCLASS64 (2)`);
  if (file[5] !== ELFDATA2LSB) throw new ElfError(`not a little-endian ELF: EI_DATA=${file[5]}, expected ELFDATA2LSB (1)`);
  if (file[6] !== EV_CURRENT) throw new ElfError(`unsupported ELF version: EI_VERSION=${file[6]}, expected EV_CURRENT (1)`);
  const type = u16(16);
  const machine = u16(18);
  if (machine !== EM_RISCV) throw new ElfError(`not a RISC-V executable: e_machine=${machine}, expected EM_RISCV (243)`);
  if (u32(20) !== EV_CURRENT) throw new ElfError(`unsupported ELF version: e_version=${u32(20)}, expected EV_CURRENT (1)`);
  if (type !== ET_EXEC && type !== ET_DYN) {
    const what = type === ET_REL ? ' (relocatable object, not linked)' : type === ET_CORE ? ' (core dump)' : '';
    throw new ElfError(`not an executable: e_type=${type}${what}, expected ET_EXEC (2) or ET_DYN (3)`);
  }
  const entry = u64(24);
  const phoff = u64(32);
  const phentsize = u16(54);
  const phnum = u16(56);
  if (phentsize !== PHDR_SIZE) throw new ElfError(`bad e_phentsize ${phentsize}, expected ${PHDR_SIZE}`);
  if (phnum === 0) throw new ElfError('no program headers (e_phnum=0)');
  if (phnum > MAX_PHNUM) throw new ElfError(`too many program headers: e_phnum=${phnum}, at most ${MAX_PHNUM}`);
  const phend = phoff + BigInt(phnum * PHDR_SIZE);
  if (phend > size) {
    throw new ElfError(
      `program header table [${hex(phoff)}, ${hex(phend)}) extends past the end of the file (${hex(size)} bytes)`,
    );
  }
  const ph0 = Number(phoff);

  const loads: Segment[] = [];
  let phdrVaddr: number | undefined;
  let stackFlags = PF_R | PF_W;
  let interp: string | undefined;
  for (let i = 0; i < phnum; i++) {
    const h = ph0 + i * PHDR_SIZE;
    const ptype = u32(h);
    if (ptype === PT_INTERP) interp = interpPath(file, u64(h + 8), u64(h + 32));
    if (ptype === PT_GNU_STACK) stackFlags = u32(h + 4);
    if (ptype === PT_PHDR && u64(h + 16) < BIG_USER_TOP) phdrVaddr = Number(u64(h + 16));
    if (ptype !== PT_LOAD) continue;
    loads.push(checkLoad(i, u32(h + 4), u64(h + 8), u64(h + 16), u64(h + 32), u64(h + 40), u64(h + 48), size));
  }
  if (loads.length === 0) throw new ElfError('no PT_LOAD segments');
  // An entry at or above 2^38 cannot be inside a segment; keep it out of number range issues.
  const entryNum = entry < BIG_USER_TOP ? Number(entry) : USER_TOP;
  return { type, entry: entryNum, entryRaw: entry, phoff: ph0, phnum, loads, phdrVaddr, stackFlags, interp };
}

/** The PT_INTERP path (up to its NUL; '?' for bytes outside the file or not printable). */
function interpPath(file: Uint8Array, offset: bigint, size: bigint): string {
  let path = '?';
  if (size > 0n && offset + size <= BigInt(file.length)) {
    const off = Number(offset);
    const bytes = file.subarray(off, off + Math.min(Number(size), 4096));
    const nul = bytes.indexOf(0);
    path = Array.from(nul >= 0 ? bytes.subarray(0, nul) : bytes, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '?')).join('');
  }
  return path;
}

/** What a dynamically linked program is refused with when no interpreter can be read. */
export function dynamicallyLinked(path: string): ElfError {
  return new ElfError(`dynamically linked (PT_INTERP ${path}): only static binaries are supported`);
}

/** Checks on a PT_LOAD that involve only the file and its own fields. */
function checkLoad(
  index: number,
  flags: number,
  offset: bigint,
  vaddr: bigint,
  filesz: bigint,
  memsz: bigint,
  align: bigint,
  fileSize: bigint,
): Segment {
  const what = `PT_LOAD (program header ${index})`;
  if (offset + filesz > fileSize) {
    throw new ElfError(
      `${what}: file range [${hex(offset)}, ${hex(offset + filesz)}) extends past the end of the file (${hex(fileSize)} bytes)`,
    );
  }
  if (filesz > memsz) throw new ElfError(`${what}: p_filesz ${hex(filesz)} is larger than p_memsz ${hex(memsz)}`);
  if (vaddr + memsz > BIG_USER_TOP) {
    throw new ElfError(`${what}: [${hex(vaddr)}, ${hex(vaddr + memsz)}) is outside user space (ends above ${hex(BIG_USER_TOP)})`);
  }
  if (vaddr % BIG_PAGE !== offset % BIG_PAGE) {
    throw new ElfError(`${what}: p_vaddr ${hex(vaddr)} and p_offset ${hex(offset)} differ modulo the page size (${hex(BIG_PAGE)})`);
  }
  return {
    index,
    flags,
    offset: Number(offset),
    vaddr: Number(vaddr),
    filesz: Number(filesz),
    memsz: Number(memsz),
    align: align < BIG_USER_TOP ? Number(align) : 0,
  };
}

/** Load bias: 0 for ET_EXEC, ELF_ET_DYN_BASE-relative for ET_DYN (see ELF_ET_DYN_BASE). */
function loadBias(elf: ParsedElf): number {
  if (elf.type !== ET_DYN) return 0;
  let align = PAGE_SIZE;
  for (const s of elf.loads) {
    // maximum_alignment: power-of-two p_align only, never below a page.
    if (s.align > align && isPowerOfTwo(s.align)) align = s.align;
  }
  const base = Math.floor(ELF_ET_DYN_BASE / align) * align;
  return pageStart(base - elf.loads[0].vaddr);
}

/** Checks that depend on where the image goes: fits below the stack, no overlaps, entry. */
function checkPlacement(elf: ParsedElf, bias: number): void {
  const ranges = elf.loads.filter((s) => s.memsz > 0);
  for (const s of ranges) {
    const start = bias + s.vaddr;
    const end = start + s.memsz;
    if (start < 0 || end > STACK_LOW) {
      throw new ElfError(
        `PT_LOAD (program header ${s.index}): [${hex(start)}, ${hex(end)}) does not fit in user space below the stack (${hex(STACK_LOW)})`,
      );
    }
  }
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const a = ranges[i];
      const b = ranges[j];
      if (a.vaddr < b.vaddr + b.memsz && b.vaddr < a.vaddr + a.memsz) {
        throw new ElfError(
          `PT_LOAD (program header ${a.index}) [${hex(a.vaddr)}, ${hex(a.vaddr + a.memsz)}) overlaps PT_LOAD (program header ${b.index}) [${hex(b.vaddr)}, ${hex(b.vaddr + b.memsz)})`,
        );
      }
    }
  }
  const inExec = ranges.some((s) => s.flags & PF_X && elf.entry >= s.vaddr && elf.entry < s.vaddr + s.memsz);
  if (!inExec) throw new ElfError(`entry point ${hex(elf.entryRaw + BigInt(bias))} is not inside an executable PT_LOAD segment`);
  // Segments sharing a page: the later mapping decides the page's permissions (MAP_FIXED).
  const lastOnEntryPage = ranges.filter((s) => pageStart(s.vaddr) <= elf.entry && elf.entry < pageAlign(s.vaddr + s.memsz)).at(-1)!;
  if (!(lastOnEntryPage.flags & PF_X)) {
    throw new ElfError(
      `entry point ${hex(elf.entry + bias)} is in a page that PT_LOAD (program header ${lastOnEntryPage.index}) maps without execute permission`,
    );
  }
}

function protOf(flags: number): number {
  return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) | (flags & PF_X ? PROT_EXEC : 0);
}

/**
 * Map one PT_LOAD as elf_map + padzero + set_brk do: the file pages covering
 * [p_offset, p_offset + p_filesz) appear whole (bytes before the segment in its first page
 * and after it in its last page included, as with mmap of the file); when there is bss,
 * the rest of the last file page is zeroed and fresh zero pages follow.
 */
function mapSegment(mem: Memory, file: Uint8Array, s: Segment, bias: number): void {
  const start = bias + s.vaddr;
  const mapStart = pageStart(start);
  const mapEnd = pageAlign(start + s.memsz);
  mem.map(mapStart, mapEnd - mapStart, protOf(s.flags), '');
  if (s.filesz > 0) {
    const fileStart = s.offset - (start - mapStart); // >= 0: p_offset ≡ p_vaddr (mod page)
    const fileEnd = Math.min(file.length, fileStart + (pageAlign(start + s.filesz) - mapStart));
    mem.writeUnchecked(mapStart, file.subarray(fileStart, fileEnd));
  }
  if (s.memsz > s.filesz) {
    // padzero(elf_bss): from the end of the file bytes to the end of that page, past the
    // segment's memsz too — the dynamic linker's first allocations use that rest of the
    // page and take it to be zero (rtld's minimal malloc after _end).
    const bssStart = start + s.filesz;
    const zeroEnd = pageAlign(bssStart);
    if (zeroEnd > bssStart) mem.writeUnchecked(bssStart, new Uint8Array(zeroEnd - bssStart));
  }
}

/** AT_PHDR as Linux computes it: the PT_LOAD whose file bytes hold e_phoff (the last such). */
function phdrAddress(elf: ParsedElf, bias: number): number {
  let addr: number | undefined;
  for (const s of elf.loads) {
    if (s.offset <= elf.phoff && elf.phoff < s.offset + s.filesz) addr = elf.phoff - s.offset + s.vaddr;
  }
  addr ??= elf.phdrVaddr;
  return addr === undefined ? 0 : addr + bias;
}

/** Validate `file`, map it and the stack into `mem`, and build the initial stack. */
export function loadElf(mem: Memory, file: Uint8Array, opts: LoadOptions): LoadedProgram {
  const elf = parseElf(file);
  const bias = loadBias(elf);
  checkPlacement(elf, bias);
  // The interpreter is read and checked before anything is mapped, as the program is.
  const interpElf = elf.interp === undefined ? undefined : readInterpreter(elf.interp, opts);

  let brk = 0;
  for (const s of elf.loads) {
    if (s.memsz === 0) continue;
    mapSegment(mem, file, s, bias);
    brk = Math.max(brk, bias + s.vaddr + s.memsz);
  }
  // Linux only looks at PF_X of PT_GNU_STACK; the stack is always readable and writable.
  const stackLow = mapStack(mem, PROT_READ | PROT_WRITE | (elf.stackFlags & PF_X ? PROT_EXEC : 0));
  const entry = elf.entry + bias;
  const interp = interpElf && loadInterpreter(mem, interpElf, opts, stackLow);
  const { sp, auxv } = buildInitialStack(mem, {
    argv: opts.argv,
    envp: opts.envp,
    execPath: opts.execPath,
    random16: opts.random16,
    aux: {
      phdr: phdrAddress(elf, bias),
      phent: PHDR_SIZE,
      phnum: elf.phnum,
      entry,
      uid: opts.uid ?? 0,
      gid: opts.gid ?? 0,
      hwcap: opts.hwcap ?? HWCAP_IMAFDC,
      base: interp?.base ?? 0,
    },
  });
  // With an interpreter the hart starts in it; it finds the program through AT_PHDR/AT_ENTRY.
  return { entry: interp?.entry ?? entry, sp, brkStart: pageAlign(brk), auxv, execPath: opts.execPath, stackLow, interp: elf.interp };
}

/** The dynamic linker named by PT_INTERP, read and checked: an ET_DYN without a PT_INTERP of its own. */
function readInterpreter(path: string, opts: LoadOptions): { path: string; file: Uint8Array; elf: ParsedElf } {
  if (!opts.interpreter) throw dynamicallyLinked(path);
  const file = opts.interpreter.read(path);
  let elf: ParsedElf;
  try {
    elf = parseElf(file);
  } catch (e) {
    if (e instanceof ElfError) throw new ElfError(`interpreter ${path}: ${e.message}`);
    throw e;
  }
  if (elf.type !== ET_DYN || elf.interp !== undefined) throw new ElfError(`interpreter ${path}: not a shared object without an interpreter of its own (ELIBBAD)`);
  return { path, file, elf };
}

/**
 * load_elf_interp(): the dynamic linker mapped whole where the mmap area has room for its
 * span (top-down below the mmap base and the stack), its segments as the program's are.
 * Returns its load address (AT_BASE) and entry.
 */
function loadInterpreter(mem: Memory, interp: { path: string; file: Uint8Array; elf: ParsedElf }, opts: LoadOptions, stackLow: number): { base: number; entry: number } {
  const loads = interp.elf.loads.filter((s) => s.memsz > 0);
  const low = pageStart(loads[0].vaddr);
  const span = pageAlign(Math.max(...loads.map((s) => s.vaddr + s.memsz))) - low;
  const start = mem.findFreeTopDown(span, Math.min(opts.interpreter!.below, stackLow));
  if (start < 0) throw new ElfError(`interpreter ${interp.path}: no room for its ${span} bytes`);
  const bias = start - low;
  for (const s of loads) mapSegment(mem, interp.file, s, bias);
  return { base: bias, entry: interp.elf.entry + bias };
}

function isPowerOfTwo(n: number): boolean {
  return 2 ** Math.round(Math.log2(n)) === n;
}
function pageStart(n: number): number {
  return Math.floor(n / PAGE_SIZE) * PAGE_SIZE;
}
function pageAlign(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}
