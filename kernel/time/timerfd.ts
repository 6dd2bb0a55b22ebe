// A timerfd (Linux 6.1 fs/timerfd.c, struct timerfd_ctx): an hrtimer on the virtual clock
// whose expirations are counted for read(2). The syscalls are timerfd_create.ts,
// timerfd_settime.ts and timerfd_gettime.ts.
//
//   - When the timer's clock reaches its expiry the hrtimer fires (timerfd_triggered):
//     `expired = 1; ticks++`, waiters woken, and it is not re-armed (HRTIMER_NORESTART). The
//     run loop fires it at that instruction (time/timers.ts, the process's hrtimer queue), or
//     the scheduler does when it moves the clock there with every thread blocked; a call on
//     the timerfd that comes first sees the expiry too.
//   - read needs 8 bytes (EINVAL); with no tick it is EAGAIN under O_NONBLOCK and waits
//     otherwise; it returns the ticks as a u64, a periodic timer that expired is moved past
//     now by whole intervals (hrtimer_forward_now) — the intervals it skipped are counted —
//     and queued again, then ticks and expired are cleared.
//   - poll: EPOLLIN while ticks is nonzero.
//   - timerfd_gettime forwards an expired periodic timer the same way (ticks keep the count);
//     it_value is the time left (never negative), it_interval the interval.
//   - timerfd_settime cancels the timer, forwards an expired periodic one, reports the old
//     setting, then sets up the new one: ticks and expired cleared; a nonzero it_value starts
//     it, absolute (TFD_TIMER_ABSTIME) or relative to now (ktime_add_safe).
// The *_ALARM clocks behave as their base clock (there is no suspend for them to wake the
// machine from); CLOCK_REALTIME is never set here (clock_settime is not implemented), so
// TFD_TIMER_CANCEL_ON_SET is accepted and never cancels, as on a Linux whose clock nobody
// sets. A relative CLOCK_REALTIME timer runs on the MONOTONIC base, as hrtimer_init()
// (__hrtimer_init: `if (clock_id == CLOCK_REALTIME && mode & HRTIMER_MODE_REL) clock_id =
// CLOCK_MONOTONIC;`) puts it; the two advance together here.

import { CLOCK_REALTIME, CLOCK_REALTIME_ALARM, POLLIN, TFD_TIMER_ABSTIME, TFD_TIMER_CANCEL_ON_SET } from '../abi.ts';
import type { SyscallContext } from '../context.ts';
import { fail } from '../errors.ts';
import type { KernelState } from '../state.ts';
import { AnonFile } from '../vfs/anon.ts';
import { O_NONBLOCK } from '../vfs/constants.ts';
import { WaitQueue } from '../vfs/wait.ts';
import { hrtimerForward, ktimeAddSafe, type HrTimer } from './timers.ts';

/** include/linux/timerfd.h: TFD_SETTIME_FLAGS (the create flags are TFD_CLOEXEC | TFD_NONBLOCK). */
export const TFD_SETTIME_FLAGS = TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET;

export class TimerFd extends AnonFile {
  private readonly waiters = new WaitQueue();
  /** ctx->t.tmr's expiry, on its base clock (0 until set). */
  private expires = 0n;
  /** The base is CLOCK_REALTIME (absolute REALTIME timers and REALTIME_ALARM), else MONOTONIC (BOOTTIME reads the same). */
  private realBase: boolean;
  /** The hrtimer, while queued in the process's hrtimer queue (expiry on CLOCK_MONOTONIC). */
  private readonly hr: HrTimer = { expires: 0n, fire: () => this.triggered() };
  private queued = false;
  /** ctx->tintv, ctx->ticks, ctx->expired, ctx->settime_flags. */
  private interval = 0n;
  private ticks = 0n;
  private expired = false;
  settimeFlags = 0;

  constructor(
    private readonly state: KernelState,
    readonly clockid: number,
    flags: number,
  ) {
    super(state.vfs, '[timerfd]', flags);
    // timerfd_create(): hrtimer_init(..., clockid, HRTIMER_MODE_ABS), or an alarm of its clock.
    this.realBase = clockid === CLOCK_REALTIME || clockid === CLOCK_REALTIME_ALARM;
  }

  private get nonblock(): boolean {
    return (this.statusFlags & O_NONBLOCK) !== 0;
  }
  /** The base clock now (base->get_time()). */
  private now(): bigint {
    return this.realBase ? this.state.clock.realtimeNs() : this.state.clock.monotonicNs();
  }

  private enqueue(): void {
    const clock = this.state.clock;
    // CLOCK_REALTIME and CLOCK_MONOTONIC advance together: their offset is fixed.
    this.hr.expires = this.realBase ? this.expires - (clock.realtimeNs() - clock.monotonicNs()) : this.expires;
    this.queued = true;
    this.state.timers.hrtimers.delete(this.hr);
    this.state.timers.hrtimers.add(this.hr);
  }
  /** hrtimer_try_to_cancel(). */
  private dequeue(): void {
    this.queued = false;
    this.state.timers.hrtimers.delete(this.hr);
  }

  /** timerfd_triggered(). */
  private triggered(): void {
    this.dequeue();
    this.expired = true;
    this.ticks++;
    this.waiters.notify();
  }
  /** The hrtimer has fired by now if its expiry has passed (the interrupt came first). */
  private catchUp(): void {
    if (this.queued && this.now() >= this.expires) this.triggered();
  }

  /** hrtimer_forward_now() then hrtimer_restart(): the overruns, the timer queued past now. */
  private forwardAndRestart(): bigint {
    const f = hrtimerForward(this.expires, this.now(), this.interval);
    this.expires = f.expires;
    this.enqueue();
    return f.overruns;
  }

  /** timerfd_get_remaining(): the time left on the base clock, never negative. */
  private remaining(): bigint {
    const left = this.expires - this.now();
    return left < 0n ? 0n : left;
  }

  override read(len: number): Uint8Array {
    if (len < 8) fail('EINVAL');
    this.catchUp();
    while (this.ticks === 0n) {
      if (this.nonblock) fail('EAGAIN');
      // wait_event_interruptible_locked_irq(ctx->wqh, ctx->ticks): the hrtimer's expiry (or
      // TFD_IOC_SET_TICKS) wakes it; a signal ends it with -ERESTARTSYS.
      this.env.blocker.block([this.waiters], undefined, 'read of a timerfd that has not expired');
      this.catchUp();
    }
    let ticks = this.ticks;
    if (this.expired && this.interval) ticks += this.forwardAndRestart() - 1n;
    this.expired = false;
    this.ticks = 0n;
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, ticks), true);
    return out;
  }

  override get pollable(): boolean {
    return true;
  }
  override poll(): number {
    this.catchUp();
    return this.ticks ? POLLIN : 0;
  }
  override get queue(): WaitQueue {
    return this.waiters;
  }

  /** do_timerfd_gettime(): it_value (time left) and it_interval, in ns. */
  get(): { value: bigint; interval: bigint } {
    this.catchUp();
    if (this.expired && this.interval) {
      this.expired = false;
      this.ticks += this.forwardAndRestart() - 1n;
    }
    return { value: this.remaining(), interval: this.interval };
  }

  /**
   * do_timerfd_settime() once its checks passed: the old setting, then timerfd_setup() with
   * `value` / `interval` in ns (timespec64_to_ktime, already saturated at KTIME_MAX).
   */
  set(flags: number, value: bigint, interval: bigint): { value: bigint; interval: bigint } {
    this.catchUp();
    this.dequeue();
    // "If the timer is expired and it's periodic, we need to advance it because the caller
    // may want to know the previous expiration time." (no tick is counted)
    if (this.expired && this.interval) this.expires = hrtimerForward(this.expires, this.now(), this.interval).expires;
    const old = { value: this.remaining(), interval: this.interval };
    const abs = (flags & TFD_TIMER_ABSTIME) !== 0;
    this.realBase = this.clockid === CLOCK_REALTIME_ALARM || (this.clockid === CLOCK_REALTIME && abs);
    this.expired = false;
    this.ticks = 0n;
    this.interval = interval;
    this.expires = value; // hrtimer_set_expires(&ctx->t.tmr, texp)
    if (value !== 0n) {
      if (!abs) this.expires = ktimeAddSafe(value, this.now()); // hrtimer_start(..., HRTIMER_MODE_REL)
      this.enqueue();
    }
    this.settimeFlags = flags & TFD_SETTIME_FLAGS;
    return old;
  }

  /** TFD_IOC_SET_TICKS (timerfd_ioctl, CONFIG_CHECKPOINT_RESTORE): ticks to report; 0 is EINVAL. */
  setTicks(ticks: bigint): void {
    if (ticks === 0n) fail('EINVAL');
    this.ticks = ticks;
    this.waiters.notify();
  }

  protected override released(): void {
    this.dequeue(); // timerfd_release(): hrtimer_cancel()
  }
}

/** timerfd_fget(): fdget() (EBADF, O_PATH too), then `f.file->f_op != &timerfd_fops` is EINVAL. */
export function timerfdOf(k: SyscallContext, fd: number): TimerFd {
  const file = k.state.fds.get(fd);
  if (!file) fail('EBADF');
  if (!(file instanceof TimerFd)) fail('EINVAL');
  return file;
}
