// POSIX per-process timers (timer_create(2) and friends), as Linux 6.1
// kernel/time/posix-timers.c (hrtimer clocks: REALTIME, MONOTONIC, BOOTTIME, TAI) and
// kernel/time/posix-cpu-timers.c (CPU-time clocks), on the virtual clock; timers.ts decides
// when they are looked at. The syscalls are timer_create.ts, timer_settime.ts,
// timer_gettime.ts, timer_getoverrun.ts and timer_delete.ts.
//
// A timer owns one preallocated siginfo (SI_TIMER, si_tid = its id, si_value). Expiry queues
// it (send_sigqueue); if it is still queued, si_overrun counts the expiry instead. A periodic
// timer is re-armed when its signal is dequeued (posixtimer_rearm, through si_sys_private),
// not when it fires — unless the signal is ignored, when it re-arms itself.
//
// Ids are 0, 1, 2, ... in creation order, per process, not reused (posix_timer_add); one is
// taken even by a timer_create that then fails with EINVAL (bad sigevent), EFAULT (timer id
// not writable) or in the clock's timer_create.

import { CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, CLOCK_REALTIME, CLOCK_TAI, CLOCK_THREAD_CPUTIME_ID, SIGEV_NONE, SIGEV_THREAD_ID } from '../abi.ts';
import type { Thread } from '../sched/thread.ts';
import { sendSigqueue } from '../signal/send.ts';
import type { SigInfo } from '../signal/siginfo.ts';
import type { KernelState } from '../state.ts';
import { TICK_NSEC } from './clock.ts';
import { hrtimerForward, ktimeAddSafe, processCpuTime, u64 } from './timers.ts';

/** it_requeue_pending's low bit: a signal is queued and the timer waits to be re-armed. */
const REQUEUE_PENDING = 1;
/** collect_timerqueue(): at most this many minus one timers of a base expire per tick. */
const MAX_COLLECTED = 20;
const INT_MAX = 0x7fffffff;

/** What the timer's clock is (clockid_to_kclock + the clock's timer_create). */
export type TimerClock =
  | { kind: 'hrtimer'; clock: number }
  /** A CPU clock: a thread's (thread set) or the process's; `which` is CPUCLOCK_PROF/VIRT/SCHED (all one clock here). */
  | { kind: 'cpu'; clock: number; thread?: Thread };

/** struct k_itimer. */
export class PosixTimer {
  /** The preallocated sigqueue entry. */
  readonly info: SigInfo;
  deleted = false;
  /** it_interval (ktime ns; 0: one-shot). */
  interval = 0n;
  /** it_active: queued to fire (hrtimer), or re-armed after its signal. */
  active = false;
  requeuePending = 0;
  /** it_overrun (s64; -1 after a re-arm) and it_overrun_last (what timer_getoverrun reports). */
  overrun = -1n;
  overrunLast = 0n;
  /** hrtimer clocks: expiry on the timer's base clock, and whether it is queued. */
  expires = 0n;
  queued = false;
  /** The hrtimer's base is CLOCK_REALTIME (an absolute REALTIME timer, or any TAI one) rather than MONOTONIC. */
  realBase = false;
  /** CPU clocks: expiry as an absolute time on the clock (0: none), and whether it is on the timer queue. */
  cpuExpires = 0n;
  cpuQueued = false;

  constructor(
    readonly id: number,
    readonly clock: TimerClock,
    /** it_sigev_notify. */
    readonly notify: number,
    /** Where the signal goes: a thread (SIGEV_THREAD_ID, PIDTYPE_PID), or the process (undefined). */
    readonly target: Thread | undefined,
    info: SigInfo,
  ) {
    this.info = info;
    info.timer = this;
  }

  get sigevNone(): boolean {
    return this.notify === SIGEV_NONE;
  }
}

/** Which clocks can have a timer (clockid_to_kclock): hrtimer, cpu, alarm (no RTC), or why not. */
export function timerClockKind(clock: number): 'hrtimer' | 'cpu' | 'alarm' | 'EINVAL' | 'EOPNOTSUPP' {
  if (clock < 0) return (clock & 7) === 3 ? 'EOPNOTSUPP' : 'cpu'; // CLOCKFD: clock_posix_dynamic has no timer_create
  switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_MONOTONIC:
    case CLOCK_BOOTTIME:
    case CLOCK_TAI:
      return 'hrtimer';
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
      return 'cpu';
    case 8: // CLOCK_REALTIME_ALARM
    case 9: // CLOCK_BOOTTIME_ALARM
      return 'alarm';
    case 4: // MONOTONIC_RAW
    case 5: // REALTIME_COARSE
    case 6: // MONOTONIC_COARSE
      return 'EOPNOTSUPP'; // a k_clock without timer_create
    default:
      return 'EINVAL'; // SGI_CYCLE (removed) and unknown ids
  }
}

// ---- the clocks ------------------------------------------------------------------------

/** CLOCK_REALTIME - CLOCK_MONOTONIC: constant on the virtual clock (nothing sets the time). */
const realOffset = (state: KernelState) => state.clock.realtimeNs() - state.clock.monotonicNs();

/** base->get_time() of the timer's hrtimer base. */
export function hrNow(state: KernelState, t: PosixTimer): bigint {
  return t.realBase ? state.clock.realtimeNs() : state.clock.monotonicNs();
}

/** Whether the task a CPU timer samples still exists (cpu_timer_task_rcu). */
export function cpuTimerTaskAlive(state: KernelState, t: PosixTimer): boolean {
  const c = t.clock;
  return c.kind !== 'cpu' || c.thread === undefined || state.thread.threads.includes(c.thread);
}

/** cpu_clock_sample() / cpu_clock_sample_group(): the timer's CPU clock now. */
export function cpuNow(state: KernelState, t: PosixTimer): bigint {
  const c = t.clock;
  if (c.kind === 'cpu' && c.thread) return BigInt(state.thread.cpuInsns(c.thread, Number(state.clock.busyNs())));
  return processCpuTime(state);
}

/** Whether a CPU timer's clock advances while the current thread runs. */
function advancesNow(state: KernelState, t: PosixTimer): boolean {
  const c = t.clock;
  return c.kind === 'cpu' && (c.thread === undefined || c.thread === state.thread.current);
}

// ---- expiry ------------------------------------------------------------------------------

/** Earliest queued POSIX hrtimer, as a CLOCK_MONOTONIC time. */
export function nextPosixHrExpiry(state: KernelState): bigint | undefined {
  let best: bigint | undefined;
  const off = realOffset(state);
  for (const t of state.timers.posix.values()) {
    if (!t.queued) continue;
    const mono = t.realBase ? t.expires - off : t.expires;
    if (best === undefined || mono < best) best = mono;
  }
  return best;
}

/** CPU time still to run (ns) before the earliest queued CPU timer whose clock advances now. */
export function nextPosixCpuExpiry(state: KernelState): bigint | undefined {
  let best: bigint | undefined;
  for (const t of state.timers.posix.values()) {
    if (!t.cpuQueued || !advancesNow(state, t)) continue;
    const now = cpuNow(state, t);
    const left = t.cpuExpires > now ? t.cpuExpires - now : 0n;
    if (best === undefined || left < best) best = left;
  }
  return best;
}

/**
 * posix_timer_event(): queue the timer's signal (si_sys_private = siPrivate). True when the
 * signal was ignored, so the timer must re-arm itself. A SIGEV_THREAD_ID thread that has
 * exited gets nothing (send_sigqueue finds no task), and the timer stops.
 */
function posixTimerEvent(state: KernelState, t: PosixTimer, siPrivate: number): boolean {
  t.info.sysPrivate = siPrivate;
  const group = (t.notify & SIGEV_THREAD_ID) === 0;
  // pid_task(it_pid, PIDTYPE_TGID) is the group leader; PIDTYPE_PID the thread itself.
  const to = group ? state.thread.leader : t.target!;
  if (!group && !state.thread.threads.includes(to)) return false;
  return sendSigqueue(state, t.info, to, group) === 'ignored';
}

/** posix_timer_fn(): every queued POSIX hrtimer whose expiry has passed. */
export function firePosixHrTimers(state: KernelState): boolean {
  let fired = false;
  const off = realOffset(state);
  const mono = (t: PosixTimer) => (t.realBase ? t.expires - off : t.expires);
  // In expiry order (ties: creation order), as the hrtimer queue runs them.
  const due = [...state.timers.posix.values()].filter((t) => t.queued && t.expires <= hrNow(state, t));
  due.sort((a, b) => (mono(a) < mono(b) ? -1 : mono(a) > mono(b) ? 1 : a.id - b.id));
  for (const t of due) {
    fired = true;
    t.queued = false;
    t.active = false;
    const siPrivate = t.interval !== 0n ? ++t.requeuePending : 0;
    if (posixTimerEvent(state, t, siPrivate) && t.interval !== 0n) {
      // Ignored: re-arm here, at least a tick ahead for short intervals (no timer storm).
      let now = hrNow(state, t);
      if (t.interval < TICK_NSEC) now += TICK_NSEC;
      const f = hrtimerForward(t.expires, now, t.interval);
      t.expires = f.expires;
      t.overrun += f.overruns;
      t.queued = true;
      ++t.requeuePending;
      t.active = true;
    }
  }
  return fired;
}

/**
 * check_thread_timers() + collect_posix_cputimers() for the running thread, then the
 * process's: the CPU timers due now, taken off the timer queue, in the order they fire.
 */
export function cpuTimersDue(state: KernelState): PosixTimer[] {
  const cur = state.thread.current;
  const all = [...state.timers.posix.values()].filter((t) => t.cpuQueued);
  const byExpiry = (a: PosixTimer, b: PosixTimer) => (a.cpuExpires < b.cpuExpires ? -1 : a.cpuExpires > b.cpuExpires ? 1 : a.id - b.id);
  const out: PosixTimer[] = [];
  for (const group of [all.filter((t) => t.clock.kind === 'cpu' && t.clock.thread === cur), all.filter((t) => t.clock.kind === 'cpu' && t.clock.thread === undefined)]) {
    // One timer queue per CPUCLOCK base (PROF, VIRT, SCHED), each collected in expiry order.
    for (let which = 0; which < 3; which++) {
      const q = group.filter((t) => (t.clock.clock & 3) === which).sort(byExpiry);
      let i = 0;
      for (const t of q) {
        if (++i === MAX_COLLECTED || cpuNow(state, t) < t.cpuExpires) break;
        t.cpuQueued = false;
        out.push(t);
      }
    }
  }
  return out;
}

/** cpu_timer_fire() for each collected timer. */
export function firePosixCpuTimers(state: KernelState, due: PosixTimer[]): boolean {
  for (const t of due) cpuTimerFire(state, t);
  return due.length > 0;
}

function cpuTimerFire(state: KernelState, t: PosixTimer): void {
  if ((t.notify & ~SIGEV_THREAD_ID) === SIGEV_NONE) {
    t.cpuExpires = 0n; // no signal wanted
  } else if (t.interval === 0n) {
    posixTimerEvent(state, t, 0);
    t.cpuExpires = 0n; // one-shot
  } else if (posixTimerEvent(state, t, ++t.requeuePending)) {
    // Ignored: keep it ticking in case the signal becomes deliverable.
    posixCpuTimerRearm(state, t);
    ++t.requeuePending;
  }
}

/** bump_cpu_timer(): move an expired periodic CPU timer past now by whole intervals, counting overruns. */
export function bumpCpuTimer(t: PosixTimer, now: bigint): bigint {
  if (t.interval === 0n || now < t.cpuExpires) return t.cpuExpires;
  let incr = t.interval;
  let delta = u64(now + incr - t.cpuExpires);
  let i = 0;
  while (incr < u64(delta - incr)) {
    incr = u64(incr << 1n);
    i++;
  }
  for (; i >= 0; incr >>= 1n, i--) {
    if (delta < incr) continue;
    t.cpuExpires = u64(t.cpuExpires + incr);
    t.overrun += 1n << BigInt(i);
    delta -= incr;
  }
  return t.cpuExpires;
}

/** posix_cpu_timer_rearm(). */
function posixCpuTimerRearm(state: KernelState, t: PosixTimer): void {
  if (!cpuTimerTaskAlive(state, t)) return;
  bumpCpuTimer(t, cpuNow(state, t));
  t.cpuQueued = true; // arm_timer()
}

/** common_hrtimer_rearm(). */
function hrtimerRearm(state: KernelState, t: PosixTimer): void {
  const f = hrtimerForward(t.expires, hrNow(state, t), t.interval);
  t.expires = f.expires;
  t.overrun += f.overruns;
  t.queued = true; // hrtimer_restart()
}

/** timer_overrun_to_int(): it_overrun_last + base, clamped to INT_MAX. */
export function overrunToInt(t: PosixTimer, base: number): number {
  const sum = t.overrunLast + BigInt(base);
  return sum > BigInt(INT_MAX) ? INT_MAX : Number(BigInt.asIntN(32, sum));
}

/**
 * dequeue_signal() took timer t's entry; `info` is the copy handed on (copy_siginfo). When
 * collect_signal() asks for it (resched_timer: the timer not deleted, si_sys_private set),
 * posixtimer_rearm(): a periodic timer whose signal was the latest it sent is re-armed, and
 * si_overrun becomes the overruns since.
 */
export function posixTimerDequeued(state: KernelState, t: PosixTimer, info: SigInfo): void {
  if (t.deleted || info.sysPrivate === 0) return;
  if (t.interval !== 0n && t.requeuePending === info.sysPrivate) {
    if (t.clock.kind === 'cpu') posixCpuTimerRearm(state, t);
    else hrtimerRearm(state, t);
    t.active = true;
    t.overrunLast = t.overrun;
    t.overrun = -1n;
    ++t.requeuePending;
    info.overrun = overrunToInt(t, info.overrun);
  }
  info.sysPrivate = 0; // never shown to user space
}

// ---- arming (timer_settime) and reading (timer_gettime) -------------------------------------

/** struct itimerspec64 in ns: it_interval and it_value. */
export interface Itimerspec {
  interval: { sec: bigint; nsec: bigint };
  value: { sec: bigint; nsec: bigint };
}

/** common_hrtimer_arm(). */
function hrtimerArm(state: KernelState, t: PosixTimer, expires: bigint, absolute: boolean, sigevNone: boolean): void {
  // Relative CLOCK_REALTIME timers run on CLOCK_MONOTONIC (hrtimer_init); TAI keeps its own base.
  t.realBase = t.clock.clock === CLOCK_TAI || (t.clock.clock === CLOCK_REALTIME && absolute);
  t.expires = absolute ? expires : ktimeAddSafe(expires, hrNow(state, t));
  t.queued = !sigevNone; // hrtimer_start_expires()
}

/** common_timer_get(): the time left (1 ns if expired but its signal not yet delivered) and the interval. */
export function commonTimerGet(state: KernelState, t: PosixTimer, cur: { interval: bigint; value: bigint }): void {
  const iv = t.interval;
  if (iv) cur.interval = iv;
  else if (!t.active && !t.sigevNone) return;
  const now = hrNow(state, t);
  if (iv && ((t.requeuePending & REQUEUE_PENDING) !== 0 || t.sigevNone)) {
    const f = hrtimerForward(t.expires, now, iv);
    t.expires = f.expires;
    t.overrun += f.overruns;
  }
  const remaining = t.expires - now;
  if (remaining <= 0n) {
    if (!t.sigevNone) cur.value = 1n; // not delivered yet
  } else cur.value = remaining;
}

/** common_timer_set() (Linux 6.1): the old setting first, then cancel and arm anew. */
export function commonTimerSet(state: KernelState, t: PosixTimer, absolute: boolean, value: bigint, interval: bigint, old?: { interval: bigint; value: bigint }): void {
  if (old) commonTimerGet(state, t, old);
  t.interval = 0n;
  t.queued = false; // hrtimer_try_to_cancel()
  t.active = false;
  t.requeuePending = (t.requeuePending + 2) & ~REQUEUE_PENDING;
  t.overrunLast = 0n;
  if (value === 0n) return; // tv_sec and tv_nsec both 0: disarmed
  t.interval = interval;
  hrtimerArm(state, t, value, absolute, t.sigevNone);
  t.active = !t.sigevNone;
}

/**
 * posix_cpu_timer_set(): ESRCH if the clock's task is gone. The old value is bumped past
 * now first (overruns counted); an expiry already passed fires at once.
 */
export function posixCpuTimerSet(state: KernelState, t: PosixTimer, absolute: boolean, value: bigint, interval: bigint, old?: { interval: bigint; value: bigint }): number | undefined {
  if (!cpuTimerTaskAlive(state, t)) return undefined; // -ESRCH
  let newExpires = u64(value);
  const oldIncr = t.interval;
  let oldExpires = t.cpuExpires;
  t.cpuQueued = false; // cpu_timer_dequeue()
  const val = cpuNow(state, t);
  if (old) {
    if (oldExpires === 0n) old.value = 0n;
    else {
      const exp = bumpCpuTimer(t, val);
      if (val < exp) {
        oldExpires = exp - val;
        old.value = oldExpires;
      } else old.value = 1n;
    }
    old.interval = oldIncr;
  }
  if (newExpires !== 0n && !absolute) newExpires = u64(newExpires + val);
  t.cpuExpires = newExpires;
  if (newExpires !== 0n && val < newExpires) t.cpuQueued = true; // arm_timer()
  t.interval = interval;
  t.requeuePending = (t.requeuePending + 2) & ~REQUEUE_PENDING;
  t.overrunLast = 0n;
  t.overrun = -1n;
  if (newExpires !== 0n && val >= newExpires) cpuTimerFire(state, t); // already passed: notify now
  return 0;
}

/** posix_cpu_timer_get(). */
export function posixCpuTimerGet(state: KernelState, t: PosixTimer, cur: { interval: bigint; value: bigint }): void {
  if (!cpuTimerTaskAlive(state, t)) return;
  cur.interval = t.interval;
  if (!t.cpuExpires) return;
  const now = cpuNow(state, t);
  cur.value = now < t.cpuExpires ? t.cpuExpires - now : 1n; // "just about to expire"
}

/** timer_delete_hook(): disarm (common_timer_del / posix_cpu_timer_del); a queued signal stays queued. */
export function deleteTimer(state: KernelState, t: PosixTimer): void {
  t.interval = 0n;
  t.queued = false;
  t.active = false;
  t.cpuQueued = false;
  t.deleted = true; // sigqueue_free(): no longer SIGQUEUE_PREALLOC, so its signal re-arms nothing
  state.timers.posix.delete(t.id);
}

/** posix_timer_add(): the next free id (ids wrap to 0 past INT_MAX); undefined when all are taken (EAGAIN). */
export function allocTimerId(state: KernelState): number | undefined {
  const timers = state.timers;
  const first = timers.nextPosixId;
  for (;;) {
    const id = timers.nextPosixId;
    timers.nextPosixId = id === INT_MAX ? 0 : id + 1;
    if (!timers.posix.has(id)) return id;
    if (timers.nextPosixId === first) return undefined;
  }
}
