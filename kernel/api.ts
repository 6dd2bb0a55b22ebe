// The contract between the emulator (CPU + memory) and the kernel (library OS).
//
// The engine stops on `ecall` with pc at the ecall; the run loop (run.ts) calls
// Kernel.syscall(), which reads a7 (number) and a0..a5 (arguments) from the CPU state,
// writes the result (or -errno) to a0, and returns. The loop then advances pc by 4. A
// syscall that ends the guest throws one of the GuestStop errors below.

import type { CpuState } from '../emulator/cpu/state.ts';
import type { Memory } from '../emulator/memory.ts';

/** Exit status when zerosys itself stops the guest (unsupported syscall, limit hit, ...). */
export const EXIT_ZEROSYS_STOP = 125;

/** Base class: the guest is finished; `status` is what a shell would show. */
export class GuestStop extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** exit / exit_group. */
export class GuestExit extends GuestStop {
  constructor(readonly code: number) {
    super(code & 0xff, `exit ${code & 0xff}`);
  }
}

/** Killed by a signal whose default action terminates: status 128+N. */
export class GuestKilled extends GuestStop {
  constructor(
    readonly signal: number,
    readonly detail: string,
  ) {
    super(128 + signal, `killed by signal ${signal}${detail ? ` (${detail})` : ''}`);
  }
}

/** zerosys refused to go on (unsupported syscall, instruction limit, ...). */
export class ZerosysStop extends GuestStop {
  constructor(message: string) {
    super(EXIT_ZEROSYS_STOP, message);
  }
}

export interface Guest {
  cpu: CpuState;
  mem: Memory;
}

/** Where the guest's standard streams go. Host fds for the CLI; buffers for tests. */
/**
 * Thrown by Stdio.write when the host stream has no reader left (a closed pipe: `zerosys run
 * PROG | head`) and nothing was written: the guest gets SIGPIPE and EPIPE, as from a pipe.
 */
export class HostBrokenPipe extends Error {
  constructor() {
    super('the host stream has no reader');
  }
}

export interface Stdio {
  /** Read up to len bytes of stdin; 0 at EOF. */
  readStdin(len: number): Uint8Array;
  /** Write all of data; may throw HostBrokenPipe (then nothing was written). */
  write(fd: 1 | 2, data: Uint8Array): void;
  /** Whether guest fd 0/1/2 is a terminal (TCGETS succeeds). */
  isatty(fd: 0 | 1 | 2): boolean;
  /** What guest fd 0/1/2 is for fstat (st_mode). Default: 'tty' if isatty, else 'pipe'. */
  kind?(fd: 0 | 1 | 2): StdioKind;
  /** st_size when kind(fd) is 'file' (e.g. stdin redirected from a file). Default 0. */
  fileSize?(fd: 0 | 1 | 2): number;
}

/** What a standard stream is connected to, as fstat reports it. */
export type StdioKind = 'tty' | 'pipe' | 'socket' | 'file' | 'null';

/** What the loader leaves for the kernel. */
export interface ProcessImage {
  /** First byte after the highest loaded segment, page aligned: initial program break. */
  brkStart: number;
  /** Bytes of AT_RANDOM etc. are placed by the loader; kept here for /proc/self/auxv. */
  auxv: Array<[number, number]>;
  /** Path given for the executable (AT_EXECFN, /proc/self/exe). */
  execPath: string;
  /** What /proc/self/exe reads as: the absolute, resolved path (Linux's d_path). Default execPath. */
  exeLink?: string;
  /** Lowest address of the stack mapping (mmap allocations stay below it). */
  stackLow: number;
  /** PT_INTERP of a dynamically linked program: the dynamic linker it was started through. */
  interp?: string;
  /** argv and envp as booted (/proc/self/cmdline, environ); VfsOptions' own win. */
  argv?: string[];
  envp?: string[];
}
