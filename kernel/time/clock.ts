// The virtual clock. No host time reaches the guest: time is a function of the work done.
//
//   CLOCK_REALTIME  = epoch + elapsed          (epoch: KernelOptions.epochNs, default 1_700_000_000 s)
//   CLOCK_MONOTONIC = MONOTONIC_START_NS + elapsed
//   CPU-time clocks = busy
//   busy    = retired instructions × 1 ns (cpu.instret)
//   elapsed = busy + idle, where idle is time the guest spent blocked (a futex wait that
//             times out advances it by the timeout, as if the thread had slept).

import type { CpuState } from '../../emulator/cpu/state.ts';

export const NS_PER_SEC = 1_000_000_000n;
export const DEFAULT_EPOCH_NS = 1_700_000_000n * NS_PER_SEC;
/** CLOCK_MONOTONIC at the first instruction: "booted one second ago". */
export const MONOTONIC_START_NS = 1n * NS_PER_SEC;

/** Clock ids from <linux/time.h>. */
export const CLOCK = {
  REALTIME: 0,
  MONOTONIC: 1,
  PROCESS_CPUTIME_ID: 2,
  THREAD_CPUTIME_ID: 3,
  MONOTONIC_RAW: 4,
  REALTIME_COARSE: 5,
  MONOTONIC_COARSE: 6,
  BOOTTIME: 7,
  REALTIME_ALARM: 8,
  BOOTTIME_ALARM: 9,
  SGI_CYCLE: 10,
  TAI: 11,
} as const;

// Negative clock ids encode a CPU clock of a pid/tid or a dynamic clock fd
// (include/linux/posix-timers.h): pid = ~(id >> 3), bit 2 = per-thread, bits 0-1 = which.
const CPUCLOCK_CLOCK_MASK = 3;
const CPUCLOCK_MAX = 3; // == CLOCKFD

export class VirtualClock {
  private idleNs = 0n;
  constructor(
    private readonly cpu: CpuState,
    readonly epochNs: bigint,
  ) {}

  /** Time the guest has spent executing. */
  busyNs(): bigint {
    return BigInt(this.cpu.instret);
  }
  elapsedNs(): bigint {
    return this.busyNs() + this.idleNs;
  }
  realtimeNs(): bigint {
    return this.epochNs + this.elapsedNs();
  }
  monotonicNs(): bigint {
    return MONOTONIC_START_NS + this.elapsedNs();
  }
  /** The guest blocked for ns (nobody else can run: time just passes). */
  idle(ns: bigint): void {
    if (ns > 0n) this.idleNs += ns;
  }

  /**
   * Value of clock `id` in ns, or undefined where Linux answers EINVAL. `self` lists the ids
   * that name this process/thread in a CPU-clock encoding (its pid and tid).
   */
  read(id: number, self: readonly number[]): bigint | undefined {
    if (id < 0) return this.readCpuClock(id, self);
    switch (id) {
      case CLOCK.REALTIME:
      case CLOCK.REALTIME_COARSE:
      case CLOCK.TAI: // TAI offset is 0 until adjtimex sets it, as on a freshly booted kernel
        return this.realtimeNs();
      case CLOCK.MONOTONIC:
      case CLOCK.MONOTONIC_RAW:
      case CLOCK.MONOTONIC_COARSE:
      case CLOCK.BOOTTIME: // never suspended
        return this.monotonicNs();
      case CLOCK.PROCESS_CPUTIME_ID:
      case CLOCK.THREAD_CPUTIME_ID:
        return this.busyNs();
      default:
        // *_ALARM need an RTC device (there is none: EINVAL, as Linux without one);
        // SGI_CYCLE was removed; anything else is not a clock.
        return undefined;
    }
  }

  private readCpuClock(id: number, self: readonly number[]): bigint | undefined {
    if ((id & CPUCLOCK_CLOCK_MASK) >= CPUCLOCK_MAX) return undefined; // clock fd: no such fd
    const pid = ~(id >> 3);
    if (pid !== 0 && !self.includes(pid)) return undefined; // no such process
    // Bit 2 (per-thread) does not matter: with one thread, process and thread CPU time coincide.
    return this.busyNs();
  }
}

/** struct __kernel_timespec { s64 tv_sec; long tv_nsec; } */
export function splitNs(ns: bigint): { sec: bigint; nsec: bigint } {
  return { sec: ns / NS_PER_SEC, nsec: ns % NS_PER_SEC };
}
