// The seam between the emulator and whatever drives it (gVisor's platform interface): an
// engine runs guest code on a CpuState and a Memory until something needs the outside
// world, and says why it stopped. It never throws for guest behaviour and knows nothing
// of syscalls or signals; kernel/run.ts decides what each stop means.
//
// On every stop cpu.pc is at the instruction concerned (the ecall, the ebreak, the
// faulting instruction; after a spent budget, the next one to run), cpu.instret counts
// the instructions retired before it, and memory is as it was before that instruction.

import { MemoryFault, OutOfMemory, type Access } from './memory.ts';
import { IllegalInstruction, MisalignedAtomic } from './cpu/traps.ts';
import type { IsaName } from './isa.ts';

/** The budget is spent (or a block ended exactly at it). */
export interface BudgetStop {
  readonly kind: 'budget';
}
/** An ecall: pc is at it; a7 and a0..a5 hold the request. */
export interface EcallStop {
  readonly kind: 'ecall';
}
export interface EbreakStop {
  readonly kind: 'ebreak';
}
/** A load, store or fetch touched memory it may not (SEGV_MAPERR: nothing there; SEGV_ACCERR: protection). */
export interface FaultStop {
  readonly kind: 'fault';
  readonly access: Access;
  readonly addr: number;
  /** SEGV_MAPERR or SEGV_ACCERR (emulator/memory.ts); 0 with `bus`. */
  readonly code: number;
  /** Past the end of a mapped file: SIGBUS (BUS_ADRERR). */
  readonly bus?: boolean;
}
/** An encoding the hart does not execute (reserved, unknown CSR, bad rounding mode, ...). */
export interface IllegalStop {
  readonly kind: 'illegal';
  /** The raw instruction bits (0 when the reason is not the encoding itself). */
  readonly bits: number;
  /** One line naming the instruction and pc, for the message when it kills the guest. */
  readonly detail: string;
}
/** An LR/SC or AMO at an address not aligned to its size. */
export interface MisalignedStop {
  readonly kind: 'misaligned';
  readonly addr: number;
  readonly detail: string;
}
/** The guest touched more pages than Memory.frameLimit allows. */
export interface OomStop {
  readonly kind: 'oom';
  readonly detail: string;
}

/** A synchronous exception of the instruction at pc. */
export type TrapStop = FaultStop | IllegalStop | MisalignedStop;
export type StopReason = BudgetStop | EcallStop | EbreakStop | TrapStop | OomStop;

// The frequent stops carry nothing: one shared object each, no allocation per slice.
export const BUDGET: BudgetStop = Object.freeze({ kind: 'budget' });
export const ECALL: EcallStop = Object.freeze({ kind: 'ecall' });
export const EBREAK: EbreakStop = Object.freeze({ kind: 'ebreak' });

/** Blocks compiled, their instructions, and host milliseconds spent compiling (--stats only). */
export interface JitStats {
  blocks: number;
  insns: number;
  ms: number;
}

export interface EngineOptions {
  /** Compile hot code (default true); false interprets only. Results are identical either way. */
  jit?: boolean;
  /** Entries into a block before it is compiled (1..65535; default the engine's own). */
  hot?: number;
  /** The ISA profile (default rv64gc): an instruction outside it is an illegal instruction (isa.ts). */
  isa?: IsaName;
}

export interface Engine {
  readonly name: string;
  /** Run at most `budget` instructions (budget >= 1). */
  run(budget: number): StopReason;
  readonly jitStats: Readonly<JitStats>;
}

/**
 * The stop an emulator exception stands for, or undefined for any other error. Engines that
 * raise traps as exceptions use it; so does the kernel, whose own accesses to guest memory
 * (a syscall touching one page too many) raise the same exceptions.
 */
export function stopForError(e: unknown): TrapStop | OomStop | undefined {
  if (e instanceof MemoryFault) return { kind: 'fault', access: e.access, addr: e.addr, code: e.code, ...(e.bus ? { bus: true } : {}) };
  if (e instanceof IllegalInstruction) return { kind: 'illegal', bits: e.bits, detail: e.message };
  if (e instanceof MisalignedAtomic) return { kind: 'misaligned', addr: e.addr, detail: e.message };
  if (e instanceof OutOfMemory) return { kind: 'oom', detail: e.message };
  return undefined;
}
