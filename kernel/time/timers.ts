// The process's timers, as Linux 6.1 keeps them in its signal_struct — the ITIMER_REAL
// hrtimer (real_timer, it_real_incr), the CPU itimers (it[CPUCLOCK_PROF], it[CPUCLOCK_VIRT])
// and the POSIX timers (posix-timers.ts) — and when they fire on the virtual clock:
//
//   - hrtimers (ITIMER_REAL; POSIX timers on REALTIME, MONOTONIC, BOOTTIME, TAI; timerfds,
//     queued in `hrtimers` by time/timerfd.ts) expire when
//     CLOCK_MONOTONIC reaches their expiry, to the nanosecond (kernel/time/hrtimer.c,
//     __hrtimer_run_queues: `basenow >= softexpires`): after exactly the instructions that
//     take the clock there, or when the scheduler, every thread blocked, moves the clock to
//     the earliest expiry (sched/runtime.ts);
//   - CPU timers (ITIMER_VIRTUAL, ITIMER_PROF; POSIX timers on CPU clocks) are looked at on
//     the timer tick, as Linux does (update_process_times -> run_posix_cpu_timers, HZ = 250):
//     at the first tick (CLOCK_MONOTONIC a multiple of TICK_NSEC) while the process runs at
//     which its CPU time has reached the expiry. All CPU time is user time here (cpu-time.ts),
//     so the PROF and VIRT clocks read the same: 1 ns per retired instruction.
//
// The run loop asks timerBudget() how many instructions may run before a timer needs looking
// at, and calls runTimers() when the engine stops there and after every syscall; so a timer
// fires at the same retired-instruction count on every run.

import { ITIMER_PROF, RLIMIT_CPU, SIGALRM, SIGKILL, SIGPROF, SIGVTALRM, SIGXCPU } from '../abi.ts';
import { RLIM_INFINITY } from '../process/limits.ts';
import { sendSignal } from '../signal/send.ts';
import { SigInfo } from '../signal/siginfo.ts';
import type { KernelState } from '../state.ts';
import { NS_PER_SEC, TICK_NSEC } from './clock.ts';
import { cpuTimersDue, firePosixCpuTimers, firePosixHrTimers, nextPosixCpuExpiry, nextPosixHrExpiry, type PosixTimer } from './posix-timers.ts';

// include/linux/ktime.h, time64.h
export const KTIME_MAX = (1n << 63n) - 1n;
export const KTIME_MIN = -(1n << 63n);
export const KTIME_SEC_MAX = KTIME_MAX / NS_PER_SEC;
const KTIME_SEC_MIN = KTIME_MIN / NS_PER_SEC; // C division truncates toward zero, as BigInt's
const s64 = (v: bigint) => BigInt.asIntN(64, v);
export const u64 = (v: bigint) => BigInt.asUintN(64, v);

/** ktime_set(): seconds at or past KTIME_SEC_MAX saturate to KTIME_MAX. */
export function ktimeSet(sec: bigint, nsec: bigint): bigint {
  if (sec >= KTIME_SEC_MAX) return KTIME_MAX;
  return s64(sec * NS_PER_SEC + nsec);
}

/** timespec64_to_ns(): clamped to [KTIME_MIN, KTIME_MAX] instead of overflowing. */
export function timespec64ToNs(sec: bigint, nsec: bigint): bigint {
  if (sec >= KTIME_SEC_MAX) return KTIME_MAX;
  if (sec <= KTIME_SEC_MIN) return KTIME_MIN;
  return sec * NS_PER_SEC + nsec;
}

/** ktime_add_safe(): an overflowing sum saturates to ktime_set(KTIME_SEC_MAX, 0) = KTIME_MAX. */
export function ktimeAddSafe(a: bigint, b: bigint): bigint {
  const res = s64(a + b);
  if (res < 0n || res < a || res < b) return ktimeSet(KTIME_SEC_MAX, 0n);
  return res;
}

export interface Timespec64 {
  sec: bigint;
  nsec: bigint;
}

/** ns_to_timespec64() of an s64 (a u64 argument is taken as C passes it: reinterpreted). */
export function nsToTimespec64(ns: bigint): Timespec64 {
  const n = s64(ns);
  if (n > 0n) return { sec: n / NS_PER_SEC, nsec: n % NS_PER_SEC };
  if (n < 0n) {
    // Negative times: tv_sec is the earlier second, tv_nsec counts up from it.
    const m = -n - 1n;
    return { sec: -(m / NS_PER_SEC) - 1n, nsec: NS_PER_SEC - (m % NS_PER_SEC) - 1n };
  }
  return { sec: 0n, nsec: 0n };
}

/**
 * hrtimer_forward(): move an expired timer's expiry past `now` by whole intervals; returns
 * the new expiry and the overruns (the intervals moved). hrtimer_resolution is 1 ns with
 * high-resolution timers (CONFIG_HIGH_RES_TIMERS), so only a zero interval is raised.
 */
export function hrtimerForward(expires: bigint, now: bigint, interval: bigint): { expires: bigint; overruns: bigint } {
  const delta = s64(now - expires);
  if (delta < 0n) return { expires, overruns: 0n };
  const incr = interval < 1n ? 1n : interval;
  let orun = 1n;
  let exp = expires;
  if (delta >= incr) {
    orun = delta / incr;
    exp = s64(exp + incr * orun); // hrtimer_add_expires_ns
    if (exp > now) return { expires: exp, overruns: orun };
    orun++;
  }
  return { expires: ktimeAddSafe(exp, incr), overruns: orun }; // hrtimer_add_expires
}

/** struct cpu_itimer: expiry as an absolute process CPU time in ns (0: disarmed), and the reload. */
export interface CpuItimer {
  expires: bigint;
  incr: bigint;
}

/** CPUCLOCK_PROF and CPUCLOCK_VIRT (include/linux/posix-timers.h), indexes of signal->it[]. */
export const CPUCLOCK_PROF = 0;
export const CPUCLOCK_VIRT = 1;

export class ProcessTimers {
  /** ITIMER_REAL: signal->real_timer, an hrtimer on CLOCK_MONOTONIC (expiry in its ns), queued or not. */
  realExpires = 0n;
  realQueued = false;
  /** signal->it_real_incr. */
  realIncr = 0n;
  /** signal->it[CPUCLOCK_PROF] (ITIMER_PROF) and it[CPUCLOCK_VIRT] (ITIMER_VIRTUAL). */
  readonly it: [CpuItimer, CpuItimer] = [
    { expires: 0n, incr: 0n },
    { expires: 0n, incr: 0n },
  ];
  /** signal->posix_timers, by timer id (posix-timers.ts). */
  readonly posix = new Map<number, PosixTimer>();
  /** signal->posix_timer_id: the next id posix_timer_add() tries. */
  nextPosixId = 0;
  /** Other queued hrtimers of the process's files (a timerfd's: time/timerfd.ts). */
  readonly hrtimers = new Set<HrTimer>();

  /** Whether any timer may fire (the run loop's fast path). */
  armed(): boolean {
    return this.realQueued || this.it[0].expires !== 0n || this.it[1].expires !== 0n || this.posix.size > 0 || this.hrtimers.size > 0;
  }
}

/** The CPU itimer of `which` (ITIMER_VIRTUAL or ITIMER_PROF). */
export function cpuItimer(state: KernelState, which: number): CpuItimer {
  return state.timers.it[which === ITIMER_PROF ? CPUCLOCK_PROF : CPUCLOCK_VIRT];
}

/** The process's CPU time in ns (thread_group_cputimer: every instruction of every thread). */
export function processCpuTime(state: KernelState): bigint {
  // The process's own threads (not the other processes'): what each was credited at its
  // last switch-out, the reaped ones', and the running thread's slice if it is one of them.
  const th = state.thread;
  let n = th.reapedInsns;
  for (const t of th.threads) n += t.cpuInsns;
  if (state.procs.current?.state === state) n += Number(state.clock.busyNs()) - th.switchedInAt;
  return BigInt(n);
}

/** Expiry (CLOCK_MONOTONIC ns) of the earliest queued hrtimer, or undefined. */
export function earliestClockTimer(state: KernelState): bigint | undefined {
  const t = state.timers;
  let best = t.realQueued ? t.realExpires : undefined;
  const posix = t.posix.size ? nextPosixHrExpiry(state) : undefined;
  if (posix !== undefined && (best === undefined || posix < best)) best = posix;
  for (const h of t.hrtimers) if (best === undefined || h.expires < best) best = h.expires;
  return best;
}

/** Any timer of the process armed, or a finite RLIMIT_CPU (checked like a CPU timer). */
function armed(state: KernelState): boolean {
  return state.timers.armed() || state.limits[RLIMIT_CPU].cur !== RLIM_INFINITY;
}

/** Earliest CPU-time expiry, as the ns of CPU time still to run, of the process's CPU timers and the running thread's. */
function nextCpuExpiry(state: KernelState): bigint | undefined {
  const t = state.timers;
  const now = processCpuTime(state);
  let best: bigint | undefined;
  for (const it of t.it) {
    if (it.expires === 0n) continue;
    const left = it.expires > now ? it.expires - now : 0n;
    if (best === undefined || left < best) best = left;
  }
  const posix = t.posix.size ? nextPosixCpuExpiry(state) : undefined;
  if (posix !== undefined && (best === undefined || posix < best)) best = posix;
  // RLIMIT_CPU: the soft limit (every hard limit is at or above it), in seconds of CPU time.
  const soft = state.limits[RLIMIT_CPU].cur;
  if (soft !== RLIM_INFINITY) {
    const at = soft * NS_PER_SEC;
    const left = at > now ? at - now : 0n;
    if (best === undefined || left < best) best = left;
  }
  return best;
}

/**
 * How many more instructions the running thread may retire before a timer needs looking at
 * (0: now), or undefined when no timer can fire while it runs.
 */
export function timerBudget(state: KernelState): bigint | undefined {
  if (!armed(state)) return undefined;
  const now = state.clock.monotonicNs();
  let best: bigint | undefined;
  const hr = earliestClockTimer(state);
  if (hr !== undefined) best = hr > now ? hr - now : 0n;
  const cpu = nextCpuExpiry(state);
  if (cpu !== undefined) {
    // While the process runs, CPU time and CLOCK_MONOTONIC advance together: the check is
    // at the first tick at or after the instruction that reaches the expiry.
    const reach = now + cpu;
    const tick = ((reach + TICK_NSEC - 1n) / TICK_NSEC) * TICK_NSEC;
    if (best === undefined || tick - now < best) best = tick - now;
  }
  return best;
}

/**
 * Fire what is due while a thread of the process runs (the engine stopped at a timer's
 * instruction count, or a syscall returns): hrtimers at or past their expiry, and on a tick
 * the CPU timers. Returns whether any fired (a signal may now be pending).
 */
export function runTimers(state: KernelState): boolean {
  if (!armed(state)) return false;
  let fired = runClockTimers(state);
  if (state.clock.monotonicNs() % TICK_NSEC === 0n) fired = runCpuTimers(state) || fired;
  return fired;
}

/** hrtimer expiry (__hrtimer_run_queues): every queued hrtimer whose expiry has passed. */
export function runClockTimers(state: KernelState): boolean {
  const t = state.timers;
  let fired = false;
  const now = state.clock.monotonicNs();
  if (t.realQueued && t.realExpires <= now) {
    // it_real_fn(): kill_pid_info(SIGALRM, SEND_SIG_PRIV, leader); HRTIMER_NORESTART — the
    // interval is applied when SIGALRM is dequeued (rearmRealTimer).
    t.realQueued = false;
    fired = true;
    sendSignal(state, SigInfo.kernel(SIGALRM), state.thread.leader, true);
  }
  if (t.posix.size && firePosixHrTimers(state)) fired = true;
  if (t.hrtimers.size && fireHrTimers(t.hrtimers, now)) fired = true;
  return fired;
}

/**
 * A queued hrtimer of some file (a timerfd's): `expires` on CLOCK_MONOTONIC; it leaves the
 * queue, then fire() runs (HRTIMER_NORESTART: a periodic owner queues it again itself).
 */
export interface HrTimer {
  expires: bigint;
  fire(): void;
}

/** Fire the queued hrtimers due at `now`, earliest first (ties: in the order queued). */
function fireHrTimers(queue: Set<HrTimer>, now: bigint): boolean {
  const due = [...queue].filter((h) => h.expires <= now).sort((a, b) => (a.expires < b.expires ? -1 : a.expires > b.expires ? 1 : 0));
  for (const h of due) {
    queue.delete(h);
    h.fire();
  }
  return due.length > 0;
}

/**
 * run_posix_cpu_timers() on a tick, for the running thread: its thread CPU timers, then the
 * process's (check_process_timers: the POSIX ones collected, then ITIMER_PROF, then
 * ITIMER_VIRTUAL, each sending its signal to the process at once), then the collected POSIX
 * timers fire.
 */
function runCpuTimers(state: KernelState): boolean {
  const t = state.timers;
  const due = t.posix.size ? cpuTimersDue(state) : [];
  const now = processCpuTime(state);
  const a = checkCpuItimer(state, t.it[CPUCLOCK_PROF], now, SIGPROF);
  const b = checkCpuItimer(state, t.it[CPUCLOCK_VIRT], now, SIGVTALRM);
  const r = checkCpuRlimit(state, now);
  const c = due.length > 0 && firePosixCpuTimers(state, due);
  return a || b || r || c;
}

/**
 * check_process_timers()'s RLIMIT_CPU part: at the hard limit SIGKILL, and nothing more; at
 * the soft one SIGXCPU, and the soft limit moves one second on (so the next comes a second
 * of CPU time later), each sent as check_rlimit does (SEND_SIG_PRIV to the running thread).
 */
function checkCpuRlimit(state: KernelState, now: bigint): boolean {
  const lim = state.limits[RLIMIT_CPU];
  if (lim.cur === RLIM_INFINITY) return false;
  if (lim.max !== RLIM_INFINITY && now >= lim.max * NS_PER_SEC) {
    sendSignal(state, SigInfo.kernel(SIGKILL), state.thread.current, true);
    return true;
  }
  if (now < lim.cur * NS_PER_SEC) return false;
  state.limits[RLIMIT_CPU] = { cur: lim.cur + 1n, max: lim.max };
  sendSignal(state, SigInfo.kernel(SIGXCPU), state.thread.current, true);
  return true;
}

/** check_cpu_itimer(): reload by one interval (or disarm), and signal the process with SEND_SIG_PRIV. */
function checkCpuItimer(state: KernelState, it: CpuItimer, now: bigint, signo: number): boolean {
  if (it.expires === 0n || now < it.expires) return false;
  it.expires = it.incr ? u64(it.expires + it.incr) : 0n;
  // send_signal_locked(signo, SEND_SIG_PRIV, tsk, PIDTYPE_TGID): tsk is the running thread.
  sendSignal(state, SigInfo.kernel(signo), state.thread.current, true);
  return true;
}

/**
 * dequeue_signal() took SIGALRM from the process's queue: a periodic ITIMER_REAL is restarted
 * here, not when it fires (Linux 6.1 kernel/signal.c dequeue_signal(), "itimer signal ?"):
 * forwarded past now by whole intervals.
 */
export function rearmRealTimer(state: KernelState): void {
  const t = state.timers;
  if (t.realQueued || t.realIncr === 0n) return;
  t.realExpires = hrtimerForward(t.realExpires, state.clock.monotonicNs(), t.realIncr).expires;
  t.realQueued = true; // hrtimer_restart()
}
