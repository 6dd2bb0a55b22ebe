// Boot (execve's second half, fs/binfmt_elf.c load_elf_binary + start_thread): map the
// program and its stack into the machine's memory, lay out argv, envp and auxv on the
// stack, and point the hart at the entry with sp at argc. The caller gives argv and envp
// here once; the process image keeps them for /proc/self/cmdline and environ.

import type { CpuState } from '../emulator/cpu/state.ts';
import type { Memory } from '../emulator/memory.ts';
import { loadElf } from '../emulator/loader/elf.ts';
import type { ProcessImage } from './api.ts';
import { SP } from '../emulator/cpu/registers.ts';
import { DEFAULT_ISA, hwcapOf, type IsaName } from '../emulator/isa.ts';
import { MMAP_BASE } from './memory/vm.ts';


export interface BootOptions {
  /** argv[0] included; text (UTF-8) or, from execve, the guest's bytes. */
  argv: (string | Uint8Array)[];
  envp: (string | Uint8Array)[];
  /** AT_EXECFN and the name /proc/self/exe falls back to (default argv[0]). */
  execPath?: string;
  /** What /proc/self/exe reads as: the absolute, resolved path (default execPath). */
  exeLink?: string;
  /** 16 bytes for AT_RANDOM (derived from --seed by the caller). */
  random16: Uint8Array;
  /** Reads a dynamically linked program's interpreter by its PT_INTERP path (throws ElfError if it cannot). */
  readInterpreter?: (path: string) => Uint8Array;
}

/** Load `file` into the machine and set pc and sp; throws ElfError for a file that cannot run. */
export function boot(machine: { cpu: CpuState; mem: Memory; isa?: IsaName }, file: Uint8Array, opts: BootOptions): ProcessImage {
  const execPath = opts.execPath ?? text(opts.argv[0]);
  // AT_HWCAP names the extensions the machine executes (no F, D under --isa rv64imac).
  const hwcap = hwcapOf(machine.isa ?? DEFAULT_ISA);
  const interpreter = opts.readInterpreter ? { read: opts.readInterpreter, below: MMAP_BASE } : undefined;
  const loaded = loadElf(machine.mem, file, { argv: opts.argv, envp: opts.envp, execPath, random16: opts.random16, hwcap, interpreter });
  machine.cpu.pc = loaded.entry;
  machine.cpu.setNum(SP, loaded.sp);
  const { brkStart, auxv, stackLow, interp } = loaded;
  return { brkStart, auxv, stackLow, interp, execPath, exeLink: opts.exeLink, argv: opts.argv.map(text), envp: opts.envp.map(text) };
}

/** For /proc/self/cmdline and environ: bytes from execve as UTF-8 text. */
const text = (s: string | Uint8Array): string => (typeof s === 'string' ? s : Buffer.from(s).toString('utf8'));
