// Run one guest program on our emulator + kernel: load, run, report how it stopped.

import { DEFAULT_SYSROOT } from './sysroot.ts';
import { join, resolve, sep } from 'node:path';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import type { Memory } from '../emulator/memory.ts';
import { Machine } from '../emulator/machine.ts';
import { ElfError } from '../emulator/loader/elf.ts';
import type { EngineName } from '../emulator/engines.ts';
import type { IsaName } from '../emulator/isa.ts';
import { boot } from '../kernel/boot.ts';
import { Kernel, type EnosysCount, type KernelOptions, type OnUnsupported } from '../kernel/kernel.ts';
import { runMachine } from '../kernel/run.ts';
import type { GuestStop, Stdio } from '../kernel/api.ts';
import { PID } from '../kernel/process/identity.ts';
import { formatSignalLine, formatStraceLine } from '../kernel/strace.ts';
import type { HostMount } from '../kernel/vfs/vfs-state.ts';
import { straceMemory } from './strace-memory.ts';

export interface GuestOptions {
  program: string;
  /** argv[1..]; argv[0] is the program path as given. */
  args: string[];
  env: string[];
  seed: bigint;
  stdio: Stdio;
  maxInsns?: number;
  /** Which engine runs guest code (default 'js'). */
  engine?: EngineName;
  /** Compile hot blocks to JavaScript (default true); false interprets only. */
  jit?: boolean;
  /** The ISA profile (--isa; default rv64gc): F/D instructions are illegal under rv64imac. */
  isa?: IsaName;
  /** Entries into a block before it is compiled (default: the interpreter's DEFAULT_HOT). */
  hot?: number;
  trace?: KernelOptions['trace'];
  /** Receives one qemu -strace style line per syscall (`zerosys run --strace`). */
  strace?: (line: string) => void;
  /** Host directories the guest sees (default: the host working directory at its own path). */
  mounts?: HostMount[];
  /** Guest working directory (default: the host working directory). */
  cwd?: string;
  /**
   * Where a dynamically linked program's interpreter and libraries come from (--sysroot, as
   * qemu-riscv64 -L): the interpreter is read from SYSROOT/PT_INTERP, and SYSROOT's lib and
   * usr/lib appear read-only at /lib and /usr/lib. Default DEFAULT_SYSROOT when it exists.
   */
  sysroot?: string;
  /** Kernel modules linked (--modules; default all), machine memory (--mem), clock start (--epoch). */
  modules?: KernelOptions['modules'];
  memBytes?: number;
  /** Resident guest memory past which the guest is OOM-killed (default: the machine's). */
  residentLimitBytes?: number;
  epochNs?: bigint;
  /** --on-unsupported: an unsupported syscall stops the guest ('fail', default) or returns -ENOSYS. */
  onUnsupported?: OnUnsupported;
  /**
   * Give the guest's memory back for the next run in this process once this one is over
   * (in-process runs of many short guests); the CLI exits instead.
   */
  releaseMemory?: boolean;
}

/** The default namespace: the host working directory at its own absolute path, cwd there. */
export function defaultMounts(): HostMount[] {
  const cwd = process.cwd();
  return cwd === '/' ? [] : [{ guest: cwd, host: cwd }];
}

export interface GuestResult {
  stop: GuestStop;
  /** Shell-visible status: exit code, 128+N for fatal signal N, 125 when zerosys stopped it. */
  status: number;
  instret: number;
  wallMs: number;
  /** Block compiler: blocks compiled, their instructions, host ms spent compiling. */
  jit: { blocks: number; insns: number; ms: number };
  /** Unsupported syscalls answered -ENOSYS (--on-unsupported enosys), in first-call order. */
  unsupportedAnswered: EnosysCount[];
}

/** The `zerosys:` summary line of unsupported syscalls answered -ENOSYS, or '' when there were none. */
export function formatEnosysSummary(answered: readonly EnosysCount[]): string {
  if (answered.length === 0) return '';
  return `zerosys: unsupported syscalls answered ENOSYS: ${answered.map((c) => `${c.name} (${c.nr}) x ${c.count}`).join(', ')}\n`;
}

/** AT_RANDOM bytes: SplitMix64 over the seed, a stream distinct from getrandom's. */
export function atRandomBytes(seed: bigint): Uint8Array {
  const out = new Uint8Array(16);
  let z = BigInt.asUintN(64, seed ^ 0x41545f52414e444fn); // "AT_RANDO"
  for (let i = 0; i < 2; i++) {
    z = BigInt.asUintN(64, z + 0x9e3779b97f4a7c15n);
    let r = z;
    r = BigInt.asUintN(64, (r ^ (r >> 30n)) * 0xbf58476d1ce4e5b9n);
    r = BigInt.asUintN(64, (r ^ (r >> 27n)) * 0x94d049bb133111ebn);
    r ^= r >> 31n;
    for (let b = 0; b < 8; b++) out[i * 8 + b] = Number((r >> BigInt(8 * b)) & 0xffn);
  }
  return out;
}

export class GuestLoadError extends Error {}

/**
 * The kernel trace hook: the caller's own, plus the --strace line printer. Each line starts
 * with the id of the calling thread (the process id for the main thread), as qemu's trace
 * does under the harness (harness/conformance/strace-tid.ts).
 */
function straceHook(opts: GuestOptions, memory: () => Memory, tid: () => number): KernelOptions['trace'] {
  const { trace, strace } = opts;
  if (!strace) return trace;
  const mem = straceMemory(memory);
  return (ev) => {
    trace?.(ev);
    strace(`${tid()} ${formatStraceLine(ev, mem)}`);
  };
}

/** Debian's riscv64 cross libc (libc6-riscv64-cross): the default --sysroot. */
export { DEFAULT_SYSROOT };

/** The interpreter of a dynamically linked program, from the sysroot (qemu -L's lookup). */
function readInterpreter(sysroot: string | undefined, path: string): Uint8Array {
  if (!sysroot) throw new ElfError(`dynamically linked (PT_INTERP ${path}): give the riscv64 libraries with --sysroot DIR (Debian: apt-get install libc6-riscv64-cross, DIR ${DEFAULT_SYSROOT})`);
  try {
    // Confined to the sysroot: a PT_INTERP with ".." or a symlink out of it reads nothing outside.
    const root = realpathSync(sysroot);
    const file = realpathSync(join(root, path));
    if (!file.startsWith(root + sep)) throw new Error(`it resolves to ${file}, outside the sysroot ${root}`);
    return readFileSync(file);
  } catch (e) {
    throw new ElfError(`dynamically linked (PT_INTERP ${path}): cannot read it from the sysroot ${sysroot}: ${(e as Error).message}`);
  }
}

/** The sysroot's library directories at /lib and /usr/lib, read-only, where the guest's dynamic linker looks. */
function sysrootMounts(sysroot: string): HostMount[] {
  return ['lib', 'usr/lib'].filter((d) => existsSync(join(sysroot, d))).map((d) => ({ guest: `/${d}`, host: join(sysroot, d), readOnly: true }));
}

export function runGuest(opts: GuestOptions): GuestResult {
  let file: Uint8Array;
  try {
    file = readFileSync(opts.program);
  } catch (e) {
    throw new GuestLoadError(`cannot read ${opts.program}: ${(e as Error).message}`);
  }
  const machine = new Machine({ engine: opts.engine, jit: opts.jit, hot: opts.hot, isa: opts.isa });
  const sysroot = opts.sysroot ?? (existsSync(DEFAULT_SYSROOT) ? DEFAULT_SYSROOT : undefined);
  let image;
  try {
    image = boot(machine, file, {
      argv: [opts.program, ...opts.args],
      envp: opts.env,
      exeLink: realpathSync(opts.program),
      random16: atRandomBytes(opts.seed),
      readInterpreter: (path) => readInterpreter(sysroot, path),
    });
  } catch (e) {
    if (e instanceof ElfError) throw new GuestLoadError(`${opts.program}: ${e.message}`);
    throw e;
  }
  // The libraries at /lib and /usr/lib: for a dynamically linked program, or any with --sysroot (it may exec one).
  const mounts = [...(opts.mounts ?? defaultMounts()), ...((image.interp || opts.sysroot) && sysroot ? sysrootMounts(sysroot) : [])];
  const vfs = { mounts, cwd: opts.cwd ?? (opts.mounts ? '/' : process.cwd()), program: { path: resolve(opts.program), bytes: file } };
  let kernel: Kernel | undefined;
  kernel = new Kernel(machine, {
    stdio: opts.stdio,
    image,
    seed: opts.seed,
    trace: straceHook(opts, () => kernel?.state.procs.current.machine.mem ?? machine.mem, () => kernel?.state.thread.tid ?? PID),
    // A forked process gets a machine like the first one (same engine, JIT and ISA).
    newMachine: () => new Machine({ engine: opts.engine, jit: opts.jit, hot: opts.hot, isa: opts.isa }),
    vfs,
    modules: opts.modules,
    memBytes: opts.memBytes,
    residentLimitBytes: opts.residentLimitBytes,
    epochNs: opts.epochNs,
    onUnsupported: opts.onUnsupported,
  });
  const strace = opts.strace;
  if (strace) kernel.state.signals.onTaken = (tid, info) => strace(`${tid} ${formatSignalLine(info.signo, info.code, info.bytes)}`);
  const t0 = performance.now();
  try {
    const stop = runMachine(machine, kernel, { maxInsns: opts.maxInsns });
    const wallMs = performance.now() - t0;
    return { stop, status: stop.status, instret: kernel.state.procs.current.machine.cpu.instret, wallMs, jit: { ...machine.engine.jitStats }, unsupportedAnswered: kernel.unsupportedAnswered };
  } finally {
    if (opts.releaseMemory) machine.dispose();
  }
}
