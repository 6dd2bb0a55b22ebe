// The virtual clock. No host time reaches the guest: time is a function of the work done.
//
//   CLOCK_REALTIME  = epoch + elapsed          (epoch: --epoch / KernelOptions.epochNs, default 1_700_000_000 s)
//   CLOCK_MONOTONIC = MONOTONIC_START_NS + elapsed   (BOOTTIME and MONOTONIC_RAW are the same)
//   *_COARSE        = the same clock at the last timer tick (HZ = 250: every 4 ms of
//                     monotonic time), as Linux's coarse clocks lag by up to a tick
//   CPU-time clocks = busy time of the process or thread
//   busy    = retired instructions × 1 ns (cpu.instret)
//   elapsed = busy + idle, where idle is time the guest spent blocked (a futex wait that
//             times out advances it by the timeout, as if the thread had slept).

import type { CpuState } from '../../emulator/cpu/state.ts';
import { prefixed } from '../abi-prefixed.ts';

export const NS_PER_SEC = 1_000_000_000n;
export const DEFAULT_EPOCH_NS = 1_700_000_000n * NS_PER_SEC;
/** CLOCK_MONOTONIC at the first instruction: "booted one second ago". */
export const MONOTONIC_START_NS = 1n * NS_PER_SEC;

/** The kernel's timer frequency (CONFIG_HZ=250, as Debian's kernels and the build machine). */
export const HZ = 250n;
/** TICK_NSEC: one timer tick, the resolution of the coarse clocks. */
export const TICK_NSEC = (NS_PER_SEC + HZ / 2n) / HZ;
/** USER_HZ: the unit of clock_t (times(2)). */
export const USER_HZ = 100n;

/** Clock ids from <linux/time.h>. */
export const CLOCK = prefixed('CLOCK_');

export class VirtualClock {
  private idleNs = 0n;
  constructor(
    private cpu: CpuState,
    readonly epochNs: bigint,
  ) {}

  /** Count the instructions of `cpu` from now on: the running process's (the scheduler carries instret across). */
  follow(cpu: CpuState): void {
    this.cpu = cpu;
  }

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

  /** How far the coarse clocks lag: the time since the last tick. */
  private sinceTick(): bigint {
    return this.monotonicNs() % TICK_NSEC;
  }

  /**
   * Value of clock `id` in ns, or undefined where Linux answers EINVAL. CPU-time clocks ask
   * `cpu` (process and thread CPU time; encoded ids name a pid or tid).
   */
  read(id: number, cpu: CpuClocks): bigint | undefined {
    if (id < 0) return readCpuClock(id, cpu);
    switch (id) {
      case CLOCK.REALTIME:
      case CLOCK.TAI: // TAI offset is 0 until adjtimex sets it, as on a freshly booted kernel
        return this.realtimeNs();
      case CLOCK.REALTIME_COARSE:
        return this.realtimeNs() - this.sinceTick();
      case CLOCK.MONOTONIC:
      case CLOCK.MONOTONIC_RAW:
      case CLOCK.BOOTTIME: // never suspended
        return this.monotonicNs();
      case CLOCK.MONOTONIC_COARSE:
        return this.monotonicNs() - this.sinceTick();
      case CLOCK.PROCESS_CPUTIME_ID:
        return cpu.process();
      case CLOCK.THREAD_CPUTIME_ID:
        return cpu.thread(0);
      default:
        // *_ALARM need an RTC device (there is none: EINVAL, as Linux without one);
        // SGI_CYCLE was removed; anything else is not a clock.
        return undefined;
    }
  }
}

/** CPU time sources for the CPU-time clocks. */
export interface CpuClocks {
  /** CPU time of the process (all its threads). */
  process(): bigint;
  /** CPU time of thread tid (0: the caller), or undefined if it is not one of ours. */
  thread(tid: number): bigint | undefined;
  /** Whether pid names this process (or, for process clocks, one of its threads' ids as Linux allows). */
  isOurs(pid: number): boolean;
}

// Negative clock ids encode a CPU clock of a pid/tid or a dynamic clock fd
// (include/linux/posix-timers.h): pid = ~(id >> 3), bit 2 = per-thread, bits 0-1 = which.
const CPUCLOCK_CLOCK_MASK = 3;
const CPUCLOCK_PERTHREAD_MASK = 4;
const CPUCLOCK_MAX = 3; // == CLOCKFD
export const CPUCLOCK_SCHED = 2;

/** Whether a negative clock id is a valid CPU clock encoding (not a clock fd). */
export function isCpuClockId(id: number): boolean {
  return id < 0 && (id & CPUCLOCK_CLOCK_MASK) < CPUCLOCK_MAX;
}

function readCpuClock(id: number, cpu: CpuClocks): bigint | undefined {
  if (!isCpuClockId(id)) return undefined; // clock fd: no such fd
  const pid = ~(id >> 3);
  // PROF, VIRT and SCHED agree: all CPU time is user time here.
  if (id & CPUCLOCK_PERTHREAD_MASK) return cpu.thread(pid);
  if (pid !== 0 && !cpu.isOurs(pid)) return undefined; // no such process
  return cpu.process();
}

/** clock_getres(): resolution of clock id in ns, or undefined where clock_gettime is EINVAL. */
export function clockResolution(id: number, cpu: CpuClocks): bigint | undefined {
  if (id < 0) {
    if (readCpuClock(id, cpu) === undefined) return undefined;
    // posix_cpu_clock_getres: 1 ns for the scheduler clock, a tick (rounded up) otherwise.
    return (id & CPUCLOCK_CLOCK_MASK) === CPUCLOCK_SCHED ? 1n : (NS_PER_SEC + HZ - 1n) / HZ;
  }
  switch (id) {
    case CLOCK.REALTIME_COARSE:
    case CLOCK.MONOTONIC_COARSE:
      return TICK_NSEC;
    case CLOCK.REALTIME:
    case CLOCK.MONOTONIC:
    case CLOCK.PROCESS_CPUTIME_ID:
    case CLOCK.THREAD_CPUTIME_ID:
    case CLOCK.MONOTONIC_RAW:
    case CLOCK.BOOTTIME:
    case CLOCK.TAI:
      return 1n; // high-resolution timers
    default:
      return undefined;
  }
}

/** struct __kernel_timespec { s64 tv_sec; long tv_nsec; } */
export function splitNs(ns: bigint): { sec: bigint; nsec: bigint } {
  return { sec: ns / NS_PER_SEC, nsec: ns % NS_PER_SEC };
}
