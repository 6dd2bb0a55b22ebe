// A pending-signal queue (struct sigpending): the set of pending signals plus the queued
// siginfo of each instance, in arrival order. Standard signals (below SIGRTMIN) queue at
// most once (legacy_queue); real-time signals queue every instance.

import type { SigInfo } from './siginfo.ts';

const bit = (sig: number): bigint => 1n << BigInt(sig - 1);

export class SigPending {
  set = 0n;
  readonly queue: SigInfo[] = [];

  has(sig: number): boolean {
    return (this.set & bit(sig)) !== 0n;
  }

  add(info: SigInfo): void {
    this.queue.push(info);
    this.set |= bit(info.signo);
  }

  /** Remove the first queued instance of sig (collect_signal); the bit stays while others remain. */
  take(sig: number): SigInfo | undefined {
    const i = this.queue.findIndex((q) => q.signo === sig);
    const info = i >= 0 ? this.queue.splice(i, 1)[0] : undefined;
    if (!this.queue.some((q) => q.signo === sig)) this.set &= ~bit(sig);
    return info;
  }

  /** Drop every instance of the signals in mask (flush_sigqueue_mask). */
  flush(mask: bigint): void {
    if ((this.set & mask) === 0n) return;
    this.set &= ~mask;
    for (let i = this.queue.length - 1; i >= 0; i--) if (mask & bit(this.queue[i].signo)) this.queue.splice(i, 1);
  }

  clear(): void {
    this.set = 0n;
    this.queue.length = 0;
  }
}
