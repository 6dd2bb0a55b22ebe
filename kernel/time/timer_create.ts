// timer_create(2), Linux 6.1 kernel/time/posix-timers.c SYSCALL_DEFINE3(timer_create) and
// do_timer_create(), in their order:
//   1. a non-NULL sigevent is copied in (EFAULT);
//   2. the clock (clockid_to_kclock): EINVAL for no such clock, EOPNOTSUPP for one without
//      timers (MONOTONIC_RAW, the COARSE clocks, a clock fd);
//   3. an id is taken (posix_timer_add: 0, 1, 2, ... — kept even if what follows fails);
//   4. the sigevent (good_sigevent): SIGEV_SIGNAL and SIGEV_THREAD need a signal in
//      1..SIGRTMAX, SIGEV_SIGNAL|SIGEV_THREAD_ID also a thread of this process, SIGEV_NONE
//      nothing, anything else is EINVAL; without a sigevent, SIGEV_SIGNAL with SIGALRM and
//      si_value.sival_int = the id;
//   5. the id is written out (EFAULT);
//   6. the clock's timer_create: a CPU clock must name this process or one of its threads
//      (pid_for_clock: EINVAL); the alarm clocks need an RTC (EOPNOTSUPP: there is none).
// A CPU-time timer on the parent process's clock stops the guest (its CPU time is unknown).

import { PPID } from '../process/identity.ts';
import { CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID, SIGALRM, SIGEV_NONE, SIGEV_SIGNAL, SIGEV_THREAD, SIGEV_THREAD_ID, SIGRTMAX } from '../abi.ts';
import { SIGEVENT } from '../abi-structs.ts';
import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import type { Thread } from '../sched/thread.ts';
import { SigInfo } from '../signal/siginfo.ts';
import { StructBuilder, copyIn, copyOut } from '../user-memory.ts';
import { CPUCLOCK_SCHED } from './clock.ts';
import { PosixTimer, allocTimerId, timerClockKind, type TimerClock } from './posix-timers.ts';

const CPUCLOCK_PERTHREAD_MASK = 4;
const CPUCLOCK_CLOCK_MASK = 3;
/** make_process_cpuclock(0, CPUCLOCK_SCHED) and make_thread_cpuclock(0, CPUCLOCK_SCHED) (include/linux/posix-timers.h). */
const PROCESS_CLOCK = (~0 << 3) | CPUCLOCK_SCHED;
const THREAD_CLOCK = PROCESS_CLOCK | CPUCLOCK_PERTHREAD_MASK;

/** pid_for_clock(clock, gettime = false) for a new CPU timer: whose clock, or EINVAL. */
function cpuClockOf(k: SyscallContext, clock: number): TimerClock | number {
  if ((clock & CPUCLOCK_CLOCK_MASK) === 3) return -E.EINVAL; // CPUCLOCK_WHICH >= CPUCLOCK_MAX
  const perThread = (clock & CPUCLOCK_PERTHREAD_MASK) !== 0;
  const pid = ~(clock >> 3);
  const threads = k.state.thread;
  if (pid === 0) return perThread ? { kind: 'cpu', clock, thread: threads.current } : { kind: 'cpu', clock };
  if (perThread) {
    const t = threads.find(pid); // same_thread_group(): only our own threads
    return t ? { kind: 'cpu', clock, thread: t } : -E.EINVAL;
  }
  if (pid === k.state.pid) return { kind: 'cpu', clock }; // pid_has_task(pid, PIDTYPE_TGID): a process
  if (pid === PPID) k.unsupported('a CPU-time timer on the parent process\'s clock');
  return -E.EINVAL;
}

export function timer_create(k: SyscallContext): number {
  // (const clockid_t which_clock, struct sigevent __user *timer_event_spec, timer_t __user *created_timer_id)
  const which = k.i32(0);
  const sevp = k.addr(1);
  const idp = k.addr(2);
  let event: { value: bigint; signo: number; notify: number; tid: number } | undefined;
  if (sevp) {
    const v = copyIn(k.mem, sevp, SIGEVENT.SIZE);
    event = {
      value: v.getBigUint64(SIGEVENT.sigev_value, true),
      signo: v.getInt32(SIGEVENT.sigev_signo, true),
      notify: v.getInt32(SIGEVENT.sigev_notify, true),
      tid: v.getInt32(SIGEVENT.sigev_notify_thread_id, true),
    };
  }
  const kind = timerClockKind(which);
  if (kind === 'EINVAL' || kind === 'EOPNOTSUPP') return -E[kind];
  const id = allocTimerId(k.state);
  if (id === undefined) return -E.EAGAIN;

  let notify = SIGEV_SIGNAL;
  let signo = SIGALRM;
  let value = BigInt(id); // sival_int = the id, the rest of the union zero
  let target: Thread | undefined;
  if (event) {
    ({ notify, signo, value } = event);
    // good_sigevent(): the thread (SIGEV_SIGNAL|SIGEV_THREAD_ID), then the signal number.
    const threadId = event.notify === (SIGEV_SIGNAL | SIGEV_THREAD_ID);
    if (!threadId && event.notify !== SIGEV_SIGNAL && event.notify !== SIGEV_THREAD && event.notify !== SIGEV_NONE) return -E.EINVAL;
    if (threadId) {
      target = k.state.thread.find(event.tid);
      if (!target) return -E.EINVAL;
    }
    if (event.notify !== SIGEV_NONE && (event.signo <= 0 || event.signo > SIGRTMAX)) return -E.EINVAL;
  }
  const info = SigInfo.timer(signo, id, value);
  copyOut(k.mem, idp, new StructBuilder(4).u32(0, id));

  let clock: TimerClock;
  if (kind === 'alarm') return -E.EOPNOTSUPP; // alarm_timer_create(): no RTC device
  if (kind === 'hrtimer') clock = { kind: 'hrtimer', clock: which };
  else {
    const c = cpuClockOf(k, which === CLOCK_PROCESS_CPUTIME_ID ? PROCESS_CLOCK : which === CLOCK_THREAD_CPUTIME_ID ? THREAD_CLOCK : which);
    if (typeof c === 'number') return c;
    clock = c;
  }
  k.state.timers.posix.set(id, new PosixTimer(id, clock, notify, target, info));
  return 0;
}
