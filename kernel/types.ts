// Shapes shared by the syscall table, the dispatcher and the handlers.

import type { SyscallContext } from './context.ts';

/** Subsystems a guest can be linked with (ZeroOS's "link only what you need"). */
export const MODULES = ['memory', 'vfs', 'sched', 'signal', 'time', 'random', 'process'] as const;
export type ModuleName = (typeof MODULES)[number];

/**
 * How much of a syscall's Linux behaviour zerosys provides.
 *  full        – what Linux does, for everything a single-threaded process can ask.
 *  partial     – the note says exactly what is missing; asking for it stops the guest.
 *  enosys      – deliberately answers -ENOSYS (the note says why programs cope).
 *  unsupported – calling it stops the guest (fail fast).
 */
export type Support = 'full' | 'partial' | 'enosys' | 'unsupported';

/** Returns the value for a0: a result, or -errno. */
export type Handler = (k: SyscallContext) => number | bigint;

export interface SyscallRow {
  nr: number;
  name: string;
  module: ModuleName;
  support: Support;
  note: string;
  handler?: Handler;
  /** The errnos Linux can return for the call (names; empty for enosys/unsupported rows). */
  errors: readonly string[];
  /**
   * Why a full/partial row has no spec (specs/NAME.yaml with at least five cases) — what a
   * single-call spec cannot set up, or where the call is exercised instead. kernel/table-specs.test.ts
   * requires it exactly when the spec is missing.
   */
  noSpec?: string;
}
