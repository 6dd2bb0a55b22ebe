// Priority-inheritance futexes (futex-pi.ts). Expected behaviour: Linux 6.1 kernel/futex/pi.c
// (futex_lock_pi_atomic, attach_to_pi_owner, wake_futex_pi, futex_unlock_pi,
// fixup_pi_state_owner), kernel/futex/core.c (handle_futex_death, exit_pi_state_list) and
// kernel/locking/rtmutex.c (FIFO among SCHED_OTHER waiters, chain-walk deadlock detection).

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { LAYOUT, err, makeFixture } from '../test-support.ts';
import { wake } from './wait.ts';
import { GLIBC_THREAD_FLAGS, STACK_TOP, makeThreadsFixture, type ThreadsFixture } from './test-threads.ts';
import { FUTEX_LOCK_PI, FUTEX_LOCK_PI2, FUTEX_TRYLOCK_PI, FUTEX_UNLOCK_PI, FUTEX_WAIT, FUTEX_WAKE, FUTEX_CMP_REQUEUE, FUTEX_WAKE_OP } from '../abi.ts';

const D = LAYOUT.data;
const PRIVATE = 128;
const CLOCK_REALTIME_FLAG = 256;
const WAITERS = 0x80000000;
const OWNER_DIED = 0x40000000;
const CHILD_STACK = STACK_TOP - 0x100000;

function spawn(f: ThreadsFixture, at = LAYOUT.pc): number {
  f.sys('clone', [GLIBC_THREAD_FLAGS, CHILD_STACK, D + 0x40, 0x7777, D + 0x48], at);
  return Number(f.a0());
}

function timespec(f: { mem: ReturnType<typeof makeFixture>['mem'] }, at: number, ns: bigint): number {
  f.mem.write(at, new Uint8Array(new BigInt64Array([ns / 1_000_000_000n, ns % 1_000_000_000n]).buffer));
  return at;
}

const word = (f: { mem: ReturnType<typeof makeFixture>['mem'] }, at = D) => f.mem.readU32(at) >>> 0;

describe('PI futexes from one thread', () => {
  it('TRYLOCK_PI on a free word writes the tid; LOCK_PI then EDEADLK; UNLOCK_PI clears it, then EPERM', () => {
    const f = makeFixture();
    for (const priv of [0, PRIVATE]) {
      expect(f.call('futex', D, FUTEX_TRYLOCK_PI | priv)).toBe(0n);
      expect(word(f)).toBe(1000);
      expect(f.call('futex', D, FUTEX_LOCK_PI | priv)).toBe(err(E.EDEADLK));
      expect(f.call('futex', D, FUTEX_TRYLOCK_PI | priv)).toBe(err(E.EDEADLK));
      expect(f.call('futex', D, FUTEX_LOCK_PI2 | priv)).toBe(err(E.EDEADLK));
      expect(f.call('futex', D, FUTEX_UNLOCK_PI | priv)).toBe(0n);
      expect(word(f)).toBe(0);
      expect(f.call('futex', D, FUTEX_UNLOCK_PI | priv)).toBe(err(E.EPERM));
    }
  });

  it('UNLOCK_PI of a word with waiter/owner-died bits and no kernel waiters clears them all', () => {
    const f = makeFixture();
    f.mem.st32(D, (WAITERS | OWNER_DIED | 1000) | 0);
    expect(f.call('futex', D, FUTEX_UNLOCK_PI | PRIVATE)).toBe(0n);
    expect(word(f)).toBe(0);
  });

  it('LOCK_PI on a free word keeps FUTEX_OWNER_DIED, drops a stale FUTEX_WAITERS', () => {
    const f = makeFixture();
    f.mem.st32(D, OWNER_DIED | 0);
    expect(f.call('futex', D, FUTEX_LOCK_PI | PRIVATE)).toBe(0n);
    expect(word(f)).toBe((OWNER_DIED | 1000) >>> 0);
    f.mem.st32(D, WAITERS | 0);
    expect(f.call('futex', D, FUTEX_LOCK_PI | PRIVATE)).toBe(0n);
    expect(word(f)).toBe(1000);
  });

  it('a word naming a thread that does not exist: ESRCH, with FUTEX_WAITERS left set', () => {
    const f = makeFixture();
    f.mem.st32(D, 0x3ffffffe);
    expect(f.call('futex', D, FUTEX_LOCK_PI | PRIVATE)).toBe(err(E.ESRCH));
    expect(word(f)).toBe((WAITERS | 0x3ffffffe) >>> 0);
    expect(f.call('futex', D, FUTEX_TRYLOCK_PI | PRIVATE)).toBe(err(E.ESRCH));
    expect(f.call('futex', D, FUTEX_UNLOCK_PI | PRIVATE)).toBe(err(E.EPERM));
  });

  it('faults and bad arguments', () => {
    const f = makeFixture();
    for (const op of [FUTEX_LOCK_PI, FUTEX_TRYLOCK_PI, FUTEX_UNLOCK_PI, FUTEX_LOCK_PI2]) {
      expect(f.call('futex', LAYOUT.unmapped, op | PRIVATE)).toBe(err(E.EFAULT));
      expect(f.call('futex', 2n ** 64n - 4n, op | PRIVATE)).toBe(err(E.EFAULT));
    }
    // A read-only word: the private key is fine, the compare-and-exchange faults.
    expect(f.call('futex', LAYOUT.ro, FUTEX_LOCK_PI | PRIVATE)).toBe(err(E.EFAULT));
    expect(f.call('futex', LAYOUT.ro, FUTEX_TRYLOCK_PI | PRIVATE)).toBe(err(E.EFAULT));
    // Shared: get_futex_key(FUTEX_WRITE) already refuses it.
    expect(f.call('futex', LAYOUT.ro, FUTEX_LOCK_PI)).toBe(err(E.EFAULT));
    // UNLOCK_PI reads the word before the key: not ours is EPERM even when misaligned.
    expect(f.call('futex', LAYOUT.ro, FUTEX_UNLOCK_PI | PRIVATE)).toBe(err(E.EPERM));
    expect(f.call('futex', D + 2, FUTEX_UNLOCK_PI | PRIVATE)).toBe(err(E.EPERM));
    expect(f.call('futex', D + 2, FUTEX_LOCK_PI | PRIVATE)).toBe(err(E.EINVAL));
    expect(f.call('futex', D + 2, FUTEX_TRYLOCK_PI | PRIVATE)).toBe(err(E.EINVAL));
    // FUTEX_CLOCK_REALTIME: only LOCK_PI2 of the PI operations takes it.
    expect(f.call('futex', D, FUTEX_LOCK_PI | PRIVATE | CLOCK_REALTIME_FLAG)).toBe(err(E.ENOSYS));
    expect(f.call('futex', D, FUTEX_TRYLOCK_PI | PRIVATE | CLOCK_REALTIME_FLAG)).toBe(err(E.ENOSYS));
    expect(f.call('futex', D, FUTEX_UNLOCK_PI | PRIVATE | CLOCK_REALTIME_FLAG)).toBe(err(E.ENOSYS));
    // A bad timespec is EINVAL before anything; TRYLOCK and UNLOCK do not read one.
    timespec(f, D + 0x100, 0n);
    f.mem.write(D + 0x108, new Uint8Array(new BigInt64Array([-1n]).buffer));
    expect(f.call('futex', D, FUTEX_LOCK_PI | PRIVATE, 0, D + 0x100)).toBe(err(E.EINVAL));
    expect(f.call('futex', D, FUTEX_LOCK_PI2 | PRIVATE, 0, D + 0x100)).toBe(err(E.EINVAL));
    expect(f.call('futex', D, FUTEX_LOCK_PI | PRIVATE, 0, LAYOUT.unmapped)).toBe(err(E.EFAULT));
    expect(word(f)).toBe(0);
    expect(f.call('futex', D, FUTEX_TRYLOCK_PI | PRIVATE, 0, D + 0x100)).toBe(0n);
    expect(f.call('futex', D, FUTEX_UNLOCK_PI | PRIVATE, 0, D + 0x100)).toBe(0n);
  });

  it('a timeout in the past does not matter when the lock is free', () => {
    const f = makeFixture();
    timespec(f, D + 0x100, 1n);
    expect(f.call('futex', D, FUTEX_LOCK_PI | PRIVATE, 0, D + 0x100)).toBe(0n);
    expect(f.call('futex', D + 4, FUTEX_LOCK_PI2 | PRIVATE | CLOCK_REALTIME_FLAG, 0, D + 0x100)).toBe(0n);
    expect(word(f, D + 4)).toBe(1000);
  });
});

describe('PI futexes between threads', () => {
  it('waiters queue FIFO; UNLOCK_PI hands the lock to the first (tid | FUTEX_WAITERS), no steal before it runs', () => {
    const f = makeThreadsFixture();
    expect(f.call('futex', D, FUTEX_TRYLOCK_PI | PRIVATE)).toBe(0n);
    spawn(f);
    spawn(f);
    f.sys('sched_yield');
    expect(f.tid()).toBe(1001);
    f.sys('futex', [D, FUTEX_LOCK_PI | PRIVATE], 0x1000);
    expect(word(f)).toBe((WAITERS | 1000) >>> 0);
    expect(f.tid()).toBe(1002);
    // A trylock by another thread fails, and a plain wake meets a PI waiter: EINVAL.
    f.sys('futex', [D, FUTEX_TRYLOCK_PI | PRIVATE]);
    expect(f.a0()).toBe(err(E.EAGAIN));
    f.sys('futex', [D, FUTEX_WAKE | PRIVATE, 1]);
    expect(f.a0()).toBe(err(E.EINVAL));
    f.sys('futex', [D, FUTEX_CMP_REQUEUE | PRIVATE, 0, 1, D + 8, WAITERS | 1000]);
    expect(f.a0()).toBe(err(E.EINVAL));
    f.sys('futex', [D, FUTEX_WAKE_OP | PRIVATE, 1, 0, D + 8, 0]);
    expect(f.a0()).toBe(err(E.EINVAL));
    f.sys('futex', [D, FUTEX_UNLOCK_PI | PRIVATE]);
    expect(f.a0()).toBe(err(E.EPERM));
    f.sys('futex', [D, FUTEX_LOCK_PI | PRIVATE], 0x2000);
    expect(f.tid()).toBe(1000);
    // Owner unlocks: the word names 1001 (the first waiter), and it keeps FUTEX_WAITERS.
    f.sys('futex', [D, FUTEX_UNLOCK_PI | PRIVATE]);
    expect(f.a0()).toBe(0n);
    expect(word(f)).toBe((WAITERS | 1001) >>> 0);
    // Main at once wants it back: it must wait behind 1002 (1001 was handed the lock).
    f.sys('futex', [D, FUTEX_LOCK_PI | PRIVATE], 0x3000);
    expect(f.tid()).toBe(1001);
    expect(f.cpu.pc).toBe(0x1000);
    f.ecall();
    expect(f.a0()).toBe(0n);
    expect(word(f)).toBe((WAITERS | 1001) >>> 0);
    f.sys('futex', [D, FUTEX_UNLOCK_PI | PRIVATE]);
    expect(f.a0()).toBe(0n);
    expect(word(f)).toBe((WAITERS | 1002) >>> 0);
    f.sys('exit', [0]);
    expect(f.tid()).toBe(1002);
    f.ecall();
    expect(f.a0()).toBe(0n);
    f.sys('futex', [D, FUTEX_UNLOCK_PI | PRIVATE]);
    expect(word(f)).toBe((WAITERS | 1000) >>> 0);
    f.sys('exit', [0]);
    expect(f.tid()).toBe(1000);
    f.ecall();
    expect(f.a0()).toBe(0n);
    // The last waiter took it: no kernel state is left, so its unlock clears the word.
    f.sys('futex', [D, FUTEX_UNLOCK_PI | PRIVATE]);
    expect(f.a0()).toBe(0n);
    expect(word(f)).toBe(0);
  });

  it('a PI operation meeting a plain FUTEX_WAIT waiter first is EINVAL ([3] in pi.c)', () => {
    const f = makeThreadsFixture();
    spawn(f);
    f.mem.st32(D, 1000);
    f.sys('futex', [D, FUTEX_WAIT | PRIVATE, 1000], 0x1000); // main waits the plain way on a word naming itself
    expect(f.tid()).toBe(1001);
    f.sys('futex', [D, FUTEX_LOCK_PI | PRIVATE]);
    expect(f.a0()).toBe(err(E.EINVAL));
    f.sys('futex', [D, FUTEX_TRYLOCK_PI | PRIVATE]);
    expect(f.a0()).toBe(err(E.EINVAL));
    f.mem.st32(D, 1001);
    f.sys('futex', [D, FUTEX_UNLOCK_PI | PRIVATE]);
    expect(f.a0()).toBe(err(E.EINVAL));
    expect(word(f)).toBe(1001);
  });

  it('an owner that exits holding a robust PI lock: the waiter gets it with FUTEX_OWNER_DIED', () => {
    const f = makeThreadsFixture();
    spawn(f);
    f.sys('sched_yield');
    expect(f.tid()).toBe(1001);
    // The child's robust list: head at D+0x200 -> entry at D+0x300 (PI: bit 0) -> head.
    const head = D + 0x200;
    const entry = D + 0x300;
    const lock = entry + 16;
    f.mem.write(head, new Uint8Array(new BigUint64Array([BigInt(entry) | 1n, 16n, 0n]).buffer));
    f.mem.write(entry, new Uint8Array(new BigUint64Array([BigInt(head)]).buffer));
    f.sys('set_robust_list', [head, 24]);
    f.sys('futex', [lock, FUTEX_LOCK_PI]);
    expect(f.a0()).toBe(0n);
    f.sys('sched_yield');
    expect(f.tid()).toBe(1000);
    f.sys('futex', [lock, FUTEX_LOCK_PI], 0x1000);
    expect(f.tid()).toBe(1001);
    expect(word(f, lock)).toBe((WAITERS | 1001) >>> 0);
    f.sys('exit', [0]);
    // exit_robust_list() marked it (no wake for PI); exit_pi_state_list() handed it over.
    expect(word(f, lock)).toBe((WAITERS | OWNER_DIED) >>> 0);
    expect(f.tid()).toBe(1000);
    f.ecall();
    expect(f.a0()).toBe(0n);
    expect(word(f, lock)).toBe((WAITERS | OWNER_DIED | 1000) >>> 0);
    expect(f.call('futex', lock, FUTEX_UNLOCK_PI)).toBe(0n);
    expect(word(f, lock)).toBe(0);
  });

  it('without a robust list the waiter still gets the lock, FUTEX_OWNER_DIED set by the fixup', () => {
    const f = makeThreadsFixture();
    spawn(f);
    f.sys('sched_yield');
    f.sys('futex', [D, FUTEX_LOCK_PI | PRIVATE]);
    f.sys('sched_yield');
    expect(f.tid()).toBe(1000);
    f.sys('futex', [D, FUTEX_LOCK_PI | PRIVATE], 0x1000);
    f.sys('exit', [0]);
    expect(word(f)).toBe((WAITERS | 1001) >>> 0); // untouched until the waiter runs
    f.ecall();
    expect(f.a0()).toBe(0n);
    expect(word(f)).toBe((WAITERS | OWNER_DIED | 1000) >>> 0);
    // With no waiter left, a later locker of a dead owner's word gets ESRCH.
    f.mem.st32(D + 4, 1001);
    expect(f.call('futex', D + 4, FUTEX_LOCK_PI | PRIVATE)).toBe(err(E.ESRCH));
  });

  it('a lock cycle through two PI futexes is EDEADLK for the thread that closes it', () => {
    const f = makeThreadsFixture();
    spawn(f);
    expect(f.call('futex', D, FUTEX_LOCK_PI | PRIVATE)).toBe(0n); // main holds A
    f.sys('sched_yield');
    expect(f.tid()).toBe(1001);
    f.sys('futex', [D + 4, FUTEX_LOCK_PI | PRIVATE]); // child holds B
    expect(f.a0()).toBe(0n);
    f.sys('futex', [D, FUTEX_LOCK_PI | PRIVATE], 0x2000); // child waits for A
    expect(f.tid()).toBe(1000);
    f.sys('futex', [D + 4, FUTEX_LOCK_PI | PRIVATE]); // main wants B: cycle
    expect(f.a0()).toBe(err(E.EDEADLK));
    expect(word(f, D + 4)).toBe((WAITERS | 1001) >>> 0);
  });

  it('LOCK_PI times out on the virtual clock: LOCK_PI absolute CLOCK_REALTIME, LOCK_PI2 monotonic', () => {
    const f = makeThreadsFixture();
    spawn(f);
    f.mem.st32(D, 1001); // held by the child
    const clock = f.kernel.state.clock;
    // LOCK_PI: an absolute realtime deadline already past (a monotonic reading is far in the past on the realtime clock).
    timespec(f, D + 0x100, clock.monotonicNs() + 1_000_000n);
    f.sys('futex', [D, FUTEX_LOCK_PI | PRIVATE, 0, D + 0x100]);
    expect(f.a0()).toBe(err(E.ETIMEDOUT));
    expect(word(f)).toBe((WAITERS | 1001) >>> 0);
    // LOCK_PI2 without FUTEX_CLOCK_REALTIME: monotonic; the child sleeps too, so the clock jumps.
    const start = clock.monotonicNs();
    timespec(f, D + 0x100, start + 5_000_000n);
    f.sys('futex', [D, FUTEX_LOCK_PI2 | PRIVATE, 0, D + 0x100], 0x1000);
    expect(f.tid()).toBe(1001);
    f.sys('futex', [D + 8, FUTEX_WAIT | PRIVATE, 0], 0x2000);
    expect(f.tid()).toBe(1000);
    f.ecall();
    expect(f.a0()).toBe(err(E.ETIMEDOUT));
    expect(clock.monotonicNs()).toBeGreaterThanOrEqual(start + 5_000_000n);
    // The waiter is gone: the owner's unlock has nobody to hand the lock to.
    expect(f.kernel.state.thread.futexes.waiters(D)).toBe(0);
    // LOCK_PI2 with FUTEX_CLOCK_REALTIME: realtime deadline.
    timespec(f, D + 0x100, clock.realtimeNs() + 1_000_000n);
    f.sys('futex', [D, FUTEX_LOCK_PI2 | PRIVATE | CLOCK_REALTIME_FLAG, 0, D + 0x100], 0x1000);
    expect(f.tid()).toBe(1000); // the child still waits on D+8 with no deadline: the clock jumps
    f.ecall();
    expect(f.a0()).toBe(err(E.ETIMEDOUT));
  });

  it('a signal during LOCK_PI restarts it (-ERESTARTNOINTR) with the waiter removed', () => {
    const f = makeThreadsFixture();
    spawn(f);
    f.mem.st32(D, 1001);
    f.sys('futex', [D, FUTEX_LOCK_PI | PRIVATE], 0x1000);
    expect(f.tid()).toBe(1001);
    const main = f.kernel.state.thread.find(1000)!;
    // Wake it the way signal generation does.
    main.sigpending = true;
    wake(main, 'signal');
    main.sigpending = false;
    expect(f.kernel.state.thread.futexes.waiters(D)).toBe(0);
    f.sys('futex', [D, FUTEX_UNLOCK_PI | PRIVATE]);
    expect(f.a0()).toBe(0n);
    expect(word(f)).toBe(0);
    f.sys('futex', [D + 8, FUTEX_WAIT | PRIVATE, 0], 0x2000);
    expect(f.tid()).toBe(1000);
    f.ecall();
    // -ERESTARTNOINTR with no handler to run: the call is set up again at its ecall.
    expect(f.cpu.pc).toBe(0x1000);
    expect(f.a0()).toBe(BigInt(D));
    f.ecall();
    expect(f.a0()).toBe(0n);
    expect(word(f)).toBe(1000);
  });
});
