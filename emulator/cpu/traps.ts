// Synchronous exceptions raised while executing an instruction. The machine turns them
// into the signal Linux would deliver (SIGILL, SIGTRAP, SIGSEGV via MemoryFault).

export class IllegalInstruction extends Error {
  constructor(
    readonly pc: number,
    readonly bits: number,
    readonly why = 'illegal instruction',
  ) {
    super(`${why} 0x${(bits >>> 0).toString(16)} at pc 0x${pc.toString(16)}`);
  }
}

/** Misaligned atomic (Linux: SIGBUS, BUS_ADRALN). Plain loads/stores may be misaligned. */
export class MisalignedAtomic extends Error {
  constructor(
    readonly pc: number,
    readonly addr: number,
  ) {
    super(`misaligned atomic access to 0x${addr.toString(16)} at pc 0x${pc.toString(16)}`);
  }
}
