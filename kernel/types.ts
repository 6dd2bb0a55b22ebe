// Shapes shared by the syscall table, the dispatcher and the handlers.

import type { SyscallContext } from './context.ts';

/** Subsystems a guest can be linked with (ZeroOS's "link only what you need"). */
export const MODULES = ['memory', 'vfs', 'sched', 'signal', 'time', 'random', 'process', 'net', 'ipc'] as const;
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
  /** The kinds of its arguments, one ARG_KINDS letter each, in Linux's order (the row's `name(sig)`). */
  sig?: string;
  /**
   * Why a full/partial row has no spec (specs/NAME.yaml with at least five cases) — what a
   * single-call spec cannot set up, or where the call is exercised instead. kernel/table-specs.test.ts
   * requires it exactly when the spec is missing.
   */
  noSpec?: string;
}

/**
 * Argument kinds of a row's signature (Blink's syscall table has the same idea): what the
 * argument is in Linux's prototype (include/linux/syscalls.h). `pointer` kinds are guest
 * addresses (the trace comparison lets two non-NULL ones differ); the rest are values.
 */
export const ARG_KINDS = {
  f: { what: 'file descriptor', pointer: false },
  d: { what: 'directory fd (AT_FDCWD or an fd)', pointer: false },
  s: { what: 'path or name string', pointer: true },
  b: { what: 'buffer the call writes (or reads and writes)', pointer: true },
  i: { what: 'struct or array the call reads', pointer: true },
  t: { what: 'timespec the call reads', pointer: true },
  v: { what: 'iovec array', pointer: true },
  a: { what: 'address of a mapping', pointer: true },
  N: { what: 'element count', pointer: false },
  z: { what: 'size in bytes', pointer: false },
  Z: { what: 'sigset size', pointer: false },
  o: { what: 'file offset', pointer: false },
  l: { what: 'length of a mapping', pointer: false },
  g: { what: 'flags', pointer: false },
  m: { what: 'mode bits', pointer: false },
  n: { what: 'integer (a command, a which, a count)', pointer: false },
  p: { what: 'process or thread id', pointer: false },
  S: { what: 'signal number', pointer: false },
  c: { what: 'clock id', pointer: false },
  u: { what: 'user or group id', pointer: false },
  R: { what: 'ioctl request', pointer: false },
  Q: { what: 'prctl option', pointer: false },
  C: { what: 'fcntl command', pointer: false },
  F: { what: 'futex operation', pointer: false },
  x: { what: 'depends on another argument (fcntl, prctl)', pointer: false },
} as const satisfies Record<string, { what: string; pointer: boolean }>;

export type ArgKind = keyof typeof ARG_KINDS;
