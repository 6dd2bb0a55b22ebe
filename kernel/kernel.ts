// The syscall dispatcher: a7 selects a row of the table, a0..a5 are the arguments, the
// result (or -errno) goes back to a0 as a 64-bit value.
//
// Fail fast: an unknown or unsupported number, or a syscall whose module is not linked,
// stops the guest with ZerosysStop (the CLI prints it prefixed with 'zerosys: '). With
// onUnsupported 'enosys' (`zerosys run --on-unsupported enosys`) such a call returns -ENOSYS
// instead, as on a kernel built without it, and is counted (`unsupportedAnswered`) for the summary
// the CLI prints at exit. A supported syscall asked for a feature zerosys lacks (a flag, an
// ioctl request: SyscallContext.unsupported) still stops the guest in both modes.
// A MemoryFault raised while a handler copies from/to the guest becomes -EFAULT, at the
// point where the handler touched memory — handlers follow Linux's order of checks, so
// that is where Linux returns EFAULT too.

import { MemoryFault, PAGE_SIZE } from '../emulator/memory.ts';
import { ZerosysStop, GuestStop, type Guest, type ProcessImage, type Stdio } from './api.ts';
import { SyscallContext } from './context.ts';
import { E } from './errno.ts';
import { SyscallErrno } from './errors.ts';
import { setMachineMemory } from './memory/machine-memory.ts';
import { createKernelState, type KernelState } from './state.ts';
import { Process, type ProcessMachine } from './process/process-table.ts';
import type { Engine } from '../emulator/engine.ts';
import type { VfsOptions } from './vfs/vfs-state.ts';
import { SYSCALL_TABLE } from './table.ts';
import { DEFAULT_EPOCH_NS } from './time/clock.ts';
import { MODULES, type ModuleName, type SyscallRow } from './types.ts';
import { A0, A7 } from '../emulator/cpu/registers.ts';

export type { ModuleName } from './types.ts';

/** What an unsupported syscall does: stop the guest (default), or return -ENOSYS. */
export type OnUnsupported = 'fail' | 'enosys';
export const ON_UNSUPPORTED: readonly OnUnsupported[] = ['fail', 'enosys'];

/** An unsupported syscall answered -ENOSYS under onUnsupported 'enosys', and how often. */
export interface EnosysCount {
  name: string;
  nr: number;
  count: number;
}

export interface KernelOptions {
  stdio: Stdio;
  image: ProcessImage;
  /** Seeds getrandom's stream (--seed). */
  seed: bigint;
  /** CLOCK_REALTIME when the guest starts, in ns since 1970 (default 1_700_000_000 s). */
  epochNs?: bigint;
  /** Modules linked into this kernel (default: all). Syscalls of other modules stop the guest. */
  modules?: ModuleName[];
  /** --mem: the machine's memory in bytes (sysinfo) and a cap on mapped bytes, ENOMEM past it like RLIMIT_AS. */
  memBytes?: number;
  /**
   * Most guest memory resident at once when below the machine's (the CLI's host guard):
   * touching more ends the guest with SIGKILL, as a memory cgroup's limit does, while sysinfo
   * still reports the machine. Default: the machine's memory.
   */
  residentLimitBytes?: number;
  /** The file namespace: host directories, /tmp, working directory (default: no host files, cwd /). */
  vfs?: VfsOptions;
  /** An unknown or unsupported syscall, or one of a module not linked: stop the guest ('fail', default) or return -ENOSYS. */
  onUnsupported?: OnUnsupported;
  /** Builds the machine of a new address space (fork); without it, fork stops the guest as unsupported. */
  newMachine?: () => ProcessMachine;
  /** Called once per syscall, after it completes (or as it stops the guest). */
  trace?: (ev: SyscallEvent) => void;
}

export interface SyscallEvent {
  nr: number;
  name: string;
  args: bigint[];
  /** a0 as written back: the result, or -errno (0 when the syscall stopped the guest). */
  ret: bigint;
  pc: number;
  /** Set when the syscall ended the guest (exit, fail-fast stop): the GuestStop message. */
  stop?: string;
}

const MAX_NR = 1024;

export class Kernel {
  /** The first process's state; `state` follows the running process. */
  private readonly initState: KernelState;
  /** Each process's handler context (its machine, image and state). */
  private readonly contexts = new WeakMap<KernelState, SyscallContext>();
  /** The context of the process that made the last call (most calls come from the same one). */
  private lastState?: KernelState;
  private lastContext?: SyscallContext;
  private readonly rows: (SyscallRow | undefined)[] = new Array(MAX_NR);
  private readonly linked: ReadonlySet<ModuleName>;
  private readonly trace?: (ev: SyscallEvent) => void;
  private readonly onUnsupported: OnUnsupported;
  private readonly stdio: Stdio;
  /** Unsupported syscalls answered -ENOSYS (onUnsupported 'enosys'), by number, in first-call order. */
  private readonly answered = new Map<number, EnosysCount>();

  constructor(
    guest: Guest & { readonly engine?: Engine },
    opts: KernelOptions,
  ) {
    const state = createKernelState(guest.cpu, opts.stdio, opts.image, opts.seed, opts.epochNs ?? DEFAULT_EPOCH_NS, { ...opts.vfs, mem: guest.mem });
    this.initState = state;
    if (opts.memBytes !== undefined) setMachineMemory(state, opts.memBytes);
    // Touched pages past the machine's memory end the guest as Linux's OOM killer would.
    guest.mem.frameLimit = Math.floor(Math.min(state.mm.ramBytes, opts.residentLimitBytes ?? Infinity) / PAGE_SIZE);
    state.procs.add(new Process(state.pid, state, guest, opts.image, undefined));
    state.procs.newMachine = opts.newMachine;
    this.stdio = opts.stdio;
    for (const row of SYSCALL_TABLE) this.rows[row.nr] = row;
    this.linked = new Set(opts.modules ?? MODULES);
    this.trace = opts.trace;
    this.onUnsupported = opts.onUnsupported ?? 'fail';
  }

  /** The running process's state (the first process's until another runs). */
  get state(): KernelState {
    return this.initState.procs.current.state;
  }

  /** The handler context of the running process (made on its first syscall). */
  private context(): SyscallContext {
    const proc = this.initState.procs.current;
    if (proc.state === this.lastState) return this.lastContext!;
    let ctx = this.contexts.get(proc.state);
    if (!ctx) {
      ctx = new SyscallContext(proc.machine.cpu, proc.machine.mem, this.stdio, proc.image, proc.state);
      this.contexts.set(proc.state, ctx);
    }
    this.lastState = proc.state;
    this.lastContext = ctx;
    return ctx;
  }

  /** The unsupported syscalls answered -ENOSYS so far, in the order of their first call. */
  get unsupportedAnswered(): EnosysCount[] {
    return [...this.answered.values()].map((c) => ({ ...c }));
  }

  /** Fail fast (ZerosysStop), or under 'enosys' count the call and answer -ENOSYS. */
  private unsupported(name: string, nr: number, message: string): number {
    if (this.onUnsupported === 'fail') throw new ZerosysStop(message);
    const seen = this.answered.get(nr);
    if (seen) seen.count++;
    else this.answered.set(nr, { name, nr, count: 1 });
    return -E.ENOSYS;
  }

  syscall(): void {
    const ctx = this.context();
    const cpu = ctx.cpu;
    const nr = cpu.getS(A7);
    const row = nr >= 0 && nr < MAX_NR ? this.rows[nr] : undefined;
    ctx.nr = nr;
    ctx.name = row?.name ?? `unknown`;
    ctx.pc = cpu.pc;
    const args = this.trace ? [0, 1, 2, 3, 4, 5].map((i) => cpu.getX(A0 + i)) : [];

    let ret: number | bigint;
    try {
      ret = this.dispatch(row, ctx);
    } catch (e) {
      if (e instanceof GuestStop) this.trace?.({ nr, name: ctx.name, args, ret: 0n, pc: ctx.pc, stop: e.message });
      throw e;
    }
    if (typeof ret === 'bigint') cpu.setX(A0, ret);
    else cpu.setNum(A0, ret);
    this.trace?.({ nr, name: ctx.name, args, ret: typeof ret === 'bigint' ? ret : BigInt(ret), pc: ctx.pc });
  }

  private dispatch(row: SyscallRow | undefined, ctx: SyscallContext): number | bigint {
    const where = `at pc 0x${ctx.pc.toString(16)}`;
    if (!row) return this.unsupported('<unknown>', ctx.nr, `unsupported syscall <unknown> (${ctx.nr}) ${where}`);
    if (!this.linked.has(row.module)) {
      return this.unsupported(row.name, row.nr, `unsupported syscall ${row.name} (${row.nr}) ${where}: module '${row.module}' is not linked`);
    }
    if (row.support === 'enosys') return -E.ENOSYS;
    if (!row.handler) return this.unsupported(row.name, row.nr, `unsupported syscall ${row.name} (${row.nr}) ${where}`);
    try {
      return row.handler(ctx);
    } catch (e) {
      if (e instanceof MemoryFault) return -E.EFAULT;
      if (e instanceof SyscallErrno) return -e.errno;
      throw e;
    }
  }
}
