// The initial process stack, laid out as Linux's fs/binfmt_elf.c create_elf_tables (with
// the strings copied first by fs/exec.c) does with address randomisation off:
//
//   STACK_TOP           - 8 bytes of zero (bprm->p starts at vm_end - sizeof(void *))
//                       - execfn string (AT_EXECFN)
//                       - envp strings, then argv strings below them (argv[0] lowest)
//   & ~15               - arch_align_stack (riscv: sp & ~0xf without randomisation)
//                       - no platform string (riscv ELF_PLATFORM is NULL)
//                       - 16 AT_RANDOM bytes
//   & ~15 after room for the words below (STACK_ROUND)
//   sp ->  argc, argv[0..argc-1], NULL, envp[0..envc-1], NULL, auxv pairs, AT_NULL pair
//
// The mapping itself is an 8 MiB '[stack]' VMA (RLIMIT_STACK's usual soft limit) ending at
// STACK_TOP; its pages are created on first touch, so the size costs nothing.

import { Memory, PAGE_SIZE, PROT_READ, PROT_WRITE, USER_TOP } from '../memory.ts';
import { ElfError } from './errors.ts';

/**
 * One past the top of the stack. Linux riscv64 (sv39) has STACK_TOP = TASK_SIZE = 2^38
 * and, with randomisation off, maps the stack right up to it; so do we. (qemu-riscv64
 * puts its guest stack elsewhere, but guest-visible addresses are not compared.)
 */
export const STACK_TOP = USER_TOP;
/** 8 MiB, the default RLIMIT_STACK soft limit. */
export const STACK_SIZE = 8 * 1024 * 1024;
/** Lowest stack address. */
export const STACK_LOW = STACK_TOP - STACK_SIZE;
/** Linux caps argv+envp at a quarter of the stack rlimit (fs/exec.c get_arg_page). */
export const ARG_SPACE_LIMIT = STACK_SIZE / 4;
/** Longest single argument or environment string, NUL included (MAX_ARG_STRLEN). */
export const MAX_ARG_STRLEN = 32 * PAGE_SIZE;

// auxv keys: /usr/riscv64-linux-gnu/include/linux/auxvec.h
export const AT_NULL = 0;
export const AT_PHDR = 3;
export const AT_PHENT = 4;
export const AT_PHNUM = 5;
export const AT_PAGESZ = 6;
export const AT_BASE = 7;
export const AT_FLAGS = 8;
export const AT_ENTRY = 9;
export const AT_UID = 11;
export const AT_EUID = 12;
export const AT_GID = 13;
export const AT_EGID = 14;
export const AT_HWCAP = 16;
export const AT_CLKTCK = 17;
export const AT_SECURE = 23;
export const AT_RANDOM = 25;
export const AT_EXECFN = 31;
export const AT_MINSIGSTKSZ = 51;

/**
 * What riscv64 Linux reports as AT_MINSIGSTKSZ without the V extension:
 * get_rt_frame_size(true) = round_up(sizeof(struct rt_sigframe), 16) = siginfo (128) +
 * ucontext (960) = 1088 (sizes from the cross headers' asm/ucontext.h, asm/sigcontext.h).
 */
export const MINSIGSTKSZ_RISCV64 = 1088;
/** CLOCKS_PER_SEC as the kernel exports it (USER_HZ). */
export const CLKTCK = 100;
/** AT_HWCAP bit per single-letter extension: 1 << (letter - 'A'). */
export const HWCAP_IMAFDC = ['I', 'M', 'A', 'F', 'D', 'C'].reduce((m, c) => m | (1 << (c.charCodeAt(0) - 65)), 0);

/** The per-process facts the auxiliary vector reports. */
export interface AuxInfo {
  phdr: number;
  phent: number;
  phnum: number;
  entry: number;
  uid: number;
  gid: number;
  hwcap: number;
  /** AT_BASE: where the interpreter is loaded (0: none). */
  base?: number;
}

export interface StackInputs {
  argv: (string | Uint8Array)[];
  envp: (string | Uint8Array)[];
  execPath: string;
  random16: Uint8Array;
  aux: AuxInfo;
}

export interface InitialStack {
  sp: number;
  auxv: Array<[number, number]>;
}

/** Map the '[stack]' VMA; `prot` comes from PT_GNU_STACK. Returns its lowest address. */
export function mapStack(mem: Memory, prot: number = PROT_READ | PROT_WRITE): number {
  mem.map(STACK_LOW, STACK_SIZE, prot, '[stack]');
  return STACK_LOW;
}

/**
 * auxv in riscv64 Linux order: ARCH_DLINFO first (AT_SYSINFO_EHDR and the AT_L*_CACHE*
 * entries are left out: there is no vDSO and no cache description, as under
 * qemu-riscv64), then the generic entries of create_elf_tables. No AT_HWCAP2 (riscv
 * defines no ELF_HWCAP2), AT_PLATFORM or AT_EXECFD.
 */
function auxVector(aux: AuxInfo, randomAddr: number, execfnAddr: number): Array<[number, number]> {
  return [
    [AT_MINSIGSTKSZ, MINSIGSTKSZ_RISCV64],
    [AT_HWCAP, aux.hwcap],
    [AT_PAGESZ, PAGE_SIZE],
    [AT_CLKTCK, CLKTCK],
    [AT_PHDR, aux.phdr],
    [AT_PHENT, aux.phent],
    [AT_PHNUM, aux.phnum],
    [AT_BASE, aux.base ?? 0], // the interpreter's load address, 0 without one
    [AT_FLAGS, 0],
    [AT_ENTRY, aux.entry],
    [AT_UID, aux.uid],
    [AT_EUID, aux.uid],
    [AT_GID, aux.gid],
    [AT_EGID, aux.gid],
    [AT_SECURE, 0],
    [AT_RANDOM, randomAddr],
    [AT_EXECFN, execfnAddr],
    [AT_NULL, 0],
  ];
}

const utf8 = new TextEncoder();

/** Build the initial stack in the mapped stack VMA; returns sp and the auxv written. */
export function buildInitialStack(mem: Memory, inputs: StackInputs): InitialStack {
  if (inputs.random16.length !== 16) throw new RangeError(`random16 must be 16 bytes, got ${inputs.random16.length}`);
  const argv = inputs.argv.map(cString);
  const envp = inputs.envp.map(cString);
  const execfn = cString(inputs.execPath);

  const tooLong = [...argv, ...envp].findIndex((a) => a.length > MAX_ARG_STRLEN);
  if (tooLong >= 0) {
    const which = tooLong < argv.length ? `argv[${tooLong}]` : `envp[${tooLong - argv.length}]`;
    throw new ElfError(`argument too long: ${which} is longer than ${MAX_ARG_STRLEN} bytes (E2BIG)`);
  }
  const stringBytes = [...argv, ...envp, execfn].reduce((n, s) => n + s.length, 0);
  const pointerBytes = 8 * (argv.length + envp.length + 2);
  if (stringBytes + pointerBytes > ARG_SPACE_LIMIT) {
    throw new ElfError(
      `argument list too long: argv+envp need ${stringBytes + pointerBytes} bytes, limit ${ARG_SPACE_LIMIT} (E2BIG)`,
    );
  }

  let p = STACK_TOP - 8;
  const push = (bytes: Uint8Array): number => {
    p -= bytes.length;
    mem.writeUnchecked(p, bytes);
    return p;
  };
  const execfnAddr = push(execfn);
  const envAddrs = pushAllInOrder(envp, push);
  const argAddrs = pushAllInOrder(argv, push);

  p = alignDown16(p);
  const randomAddr = push(inputs.random16);

  const auxv = auxVector(inputs.aux, randomAddr, execfnAddr);
  const words = 1 + argv.length + 1 + envp.length + 1 + 2 * auxv.length;
  // STACK_ADD then STACK_ROUND: auxv words, then argc/argv/envp, rounded down to 16.
  const sp = alignDown16(p - 8 * words);

  const table = new Uint8Array(8 * words);
  const view = new DataView(table.buffer);
  let off = 0;
  const put = (v: number): void => {
    view.setUint32(off, v >>> 0, true);
    view.setUint32(off + 4, Math.floor(v / 4294967296) >>> 0, true);
    off += 8;
  };
  put(argv.length);
  argAddrs.forEach(put);
  put(0);
  envAddrs.forEach(put);
  put(0);
  for (const [k, v] of auxv) {
    put(k);
    put(v);
  }
  mem.writeUnchecked(sp, table);
  return { sp, auxv };
}

/** Push strings so that they end up in ascending order (last pushed first, as copy_strings). */
function pushAllInOrder(strings: Uint8Array[], push: (b: Uint8Array) => number): number[] {
  const addrs = new Array<number>(strings.length);
  for (let i = strings.length - 1; i >= 0; i--) addrs[i] = push(strings[i]);
  return addrs;
}

/** A string given as text (UTF-8) or as the guest's own bytes (execve: passed on exactly). */
function cString(s: string | Uint8Array): Uint8Array {
  const body = typeof s === 'string' ? utf8.encode(s) : s;
  const out = new Uint8Array(body.length + 1);
  out.set(body);
  return out;
}

function alignDown16(n: number): number {
  return n - (n % 16);
}
