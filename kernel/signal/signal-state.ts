// Signal dispositions and the blocked mask, recorded for the future delivery module.
// Layouts from <asm-generic/signal.h>: _NSIG = 64, sigset_t is one 64-bit word; riscv64
// has no SA_RESTORER, so the kernel's struct sigaction is { handler, flags, mask } = 24 bytes.

export const NSIG = 64;
export const SIGSET_SIZE = 8;
export const SIGKILL = 9;
export const SIGSTOP = 19;

/** Bit of signal sig in a sigset_t. */
export const sigbit = (sig: number): bigint => 1n << BigInt(sig - 1);
/** SIGKILL and SIGSTOP can be neither caught nor blocked. */
export const UNBLOCKABLE = sigbit(SIGKILL) | sigbit(SIGSTOP);

export interface SigAction {
  handler: bigint; // SIG_DFL 0, SIG_IGN 1, or an address
  flags: bigint;
  mask: bigint;
}

export class SignalState {
  /** Index 1..64. */
  readonly actions: SigAction[] = Array.from({ length: NSIG + 1 }, () => ({ handler: 0n, flags: 0n, mask: 0n }));
  blocked = 0n;
}
