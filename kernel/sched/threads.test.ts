// Threads on the deterministic scheduler. Expected behaviour: man 2 clone / futex / exit /
// set_tid_address / set_robust_list / sched_yield / nanosleep, Linux 6.1 kernel/fork.c
// (copy_process checks), kernel/futex/core.c (exit_robust_list), kernel/exit.c, and the
// policy documented in runtime.ts (round robin in tid order, QUANTUM instructions).

import { describe, expect, it } from 'vitest';
import { GuestExit, ZerosysStop } from '../api.ts';
import { E } from '../errno.ts';
import { LAYOUT, err } from '../test-support.ts';
import { WaitQueue } from '../vfs/wait.ts';
import { QUANTUM } from './runtime.ts';
import { A0, GLIBC_THREAD_FLAGS, SP, STACK_TOP, TP, makeThreadsFixture, type ThreadsFixture } from './test-threads.ts';
import { CLONE_SIGHAND, CLONE_THREAD, CLONE_VM, FUTEX_WAIT, FUTEX_WAKE, SIGCHLD } from '../abi.ts';

const D = LAYOUT.data;
const PRIVATE = 128;
const CHILD_STACK = STACK_TOP - 0x100000;

/** pthread_create's clone: parent_tid at D+0x40, tls 0x7777, child_tid at D+0x48. */
function spawn(f: ThreadsFixture, at = LAYOUT.pc): number {
  f.sys('clone', [GLIBC_THREAD_FLAGS, CHILD_STACK, D + 0x40, 0x7777, D + 0x48], at);
  return Number(f.a0());
}

describe('clone', () => {
  it('creates a thread the way glibc asks: tids from 1001, registers, SETTLS, PARENT_SETTID', () => {
    const f = makeThreadsFixture();
    f.cpu.setNum(9, 0x5151);
    expect(spawn(f)).toBe(1001);
    expect(f.tid()).toBe(1000); // the parent goes on
    expect(f.cpu.pc).toBe(LAYOUT.pc + 4);
    expect(f.mem.readU32(D + 0x40)).toBe(1001);
    expect(spawn(f)).toBe(1002);
    const child = f.kernel.state.thread.find(1001)!;
    expect(child.regs.pc).toBe(LAYOUT.pc + 4);
    expect(child.regs.x[2 * A0]).toBe(0);
    const reg = (i: number) => (child.regs.x[2 * i + 1] >>> 0) * 2 ** 32 + (child.regs.x[2 * i] >>> 0);
    expect(reg(SP)).toBe(CHILD_STACK);
    expect(reg(TP)).toBe(0x7777);
    expect(child.regs.x[2 * 9]).toBe(0x5151);
    expect(child.clearChildTid).toBe(BigInt(D + 0x48));
  });

  it('fails with EINVAL for the combinations copy_process() rejects', () => {
    const f = makeThreadsFixture();
    f.sys('clone', [CLONE_THREAD | CLONE_VM, CHILD_STACK]);
    expect(f.a0()).toBe(err(E.EINVAL)); // THREAD without SIGHAND
    f.sys('clone', [CLONE_SIGHAND, CHILD_STACK]);
    expect(f.a0()).toBe(err(E.EINVAL)); // SIGHAND without VM
    f.sys('clone', [0x20000 | 0x200, 0]);
    expect(f.a0()).toBe(err(E.EINVAL)); // NEWNS with FS
  });

  it('stops on a fork when the kernel has no machine for a new address space, and on flags processes cannot take', () => {
    const f = makeThreadsFixture();
    expect(() => f.sys('clone', [SIGCHLD, 0])).toThrowError(/unsupported new address space \(fork\) without a machine factory/);
    expect(() => f.sys('clone', [SIGCHLD | 0x800 /* CLONE_SIGHAND */ | 0x100 /* CLONE_VM */, 0])).toThrowError(/unsupported new process with flags 0x800/);
  });
});

describe('futex between threads', () => {
  it('a waiter sleeps until another thread wakes it; the wake counts it', () => {
    const f = makeThreadsFixture();
    spawn(f);
    f.sys('futex', [D, FUTEX_WAIT | PRIVATE, 0], 0x1000);
    // Main sleeps; the child runs from just after its clone with a0 = 0.
    expect(f.tid()).toBe(1001);
    expect(f.cpu.pc).toBe(LAYOUT.pc + 4);
    expect(f.a0()).toBe(0n);
    f.sys('futex', [D, FUTEX_WAKE | PRIVATE, 5]);
    expect(f.a0()).toBe(1n);
    f.sys('futex', [D, FUTEX_WAKE | PRIVATE, 5]);
    expect(f.a0()).toBe(0n);
    f.sys('exit', [0]);
    // Main re-executes its futex call and gets 0.
    expect(f.tid()).toBe(1000);
    expect(f.cpu.pc).toBe(0x1000);
    f.ecall();
    expect(f.a0()).toBe(0n);
    expect(f.cpu.pc).toBe(0x1004);
  });

  it('a private wake does not find a shared waiter (different keys)', () => {
    const f = makeThreadsFixture();
    spawn(f);
    f.sys('futex', [D, FUTEX_WAIT, 0]); // shared
    f.sys('futex', [D, FUTEX_WAKE | PRIVATE, 1]);
    expect(f.a0()).toBe(0n);
    f.sys('futex', [D, FUTEX_WAKE, 1]);
    expect(f.a0()).toBe(1n);
  });

  it('threads waiting on each other are a deadlock, reported with every wait', () => {
    const f = makeThreadsFixture();
    spawn(f);
    f.sys('futex', [D, FUTEX_WAIT | PRIVATE, 0], 0x1000);
    expect(() => f.sys('futex', [D + 4, FUTEX_WAIT | PRIVATE, 0], 0x2000)).toThrowError(
      new ZerosysStop(
        'deadlock: every thread is blocked and none can be woken (tid 1000: futex wait on 0x200000 at pc 0x1000; tid 1001: futex wait on 0x200004 at pc 0x2000)',
      ),
    );
  });
});

describe('exit', () => {
  it('ends one thread: clear_child_tid is zeroed and its (shared) futex woken; the last exit ends the process with the main thread status', () => {
    const f = makeThreadsFixture();
    spawn(f);
    f.mem.st32(D + 0x48, 1001);
    // Main joins the way glibc does: a shared FUTEX_WAIT on the tid word.
    f.sys('futex', [D + 0x48, FUTEX_WAIT, 1001], 0x1000);
    expect(f.tid()).toBe(1001);
    f.sys('exit', [3]);
    expect(f.mem.readU32(D + 0x48)).toBe(0);
    expect(f.tid()).toBe(1000);
    f.ecall();
    expect(f.a0()).toBe(0n);
    expect(f.kernel.state.thread.find(1001)).toBeUndefined();

    // The main thread exits first (status 7); the process ends when the last thread does.
    spawn(f);
    f.sys('exit', [7]);
    expect(f.tid()).toBe(1002);
    expect(() => f.sys('exit', [3])).toThrowError(new GuestExit(7));
  });

  it('marks robust futexes the exiting thread holds as owner-died and wakes a waiter', () => {
    const f = makeThreadsFixture();
    spawn(f);
    // The child will hold a robust mutex: list head at D+0x200 -> entry at D+0x300 -> head;
    // futex_offset 16, so the lock word is at D+0x310 = owner tid | FUTEX_WAITERS.
    const head = D + 0x200;
    const entry = D + 0x300;
    const lock = entry + 16;
    f.mem.write(head, new Uint8Array(new BigUint64Array([BigInt(entry), 16n, 0n]).buffer));
    f.mem.write(entry, new Uint8Array(new BigUint64Array([BigInt(head)]).buffer));
    f.mem.st32(lock, (0x80000000 | 1001) | 0);
    // Main waits for the lock (glibc's robust mutexes use shared futex operations).
    f.sys('futex', [lock, FUTEX_WAIT, 0x80000000 | 1001], 0x1000);
    expect(f.tid()).toBe(1001);
    f.sys('set_robust_list', [head, 24]);
    expect(f.a0()).toBe(0n);
    f.sys('exit', [0]);
    expect(f.mem.readU32(lock)).toBe(0xc0000000); // FUTEX_WAITERS | FUTEX_OWNER_DIED
    expect(f.tid()).toBe(1000);
    f.ecall();
    expect(f.a0()).toBe(0n); // woken, not timed out or interrupted
  });
});

describe('scheduling policy', () => {
  it('preempts after QUANTUM instructions, round robin in tid order', () => {
    const f = makeThreadsFixture();
    spawn(f);
    spawn(f);
    const order = [f.tid()];
    for (let i = 0; i < 4; i++) {
      f.cpu.instret += QUANTUM;
      f.rt.sliceDone();
      order.push(f.tid());
    }
    expect(order).toEqual([1000, 1001, 1002, 1000, 1001]);
  });

  it('does not preempt before the quantum is used', () => {
    const f = makeThreadsFixture();
    spawn(f);
    f.cpu.instret += QUANTUM - 10;
    f.rt.sliceDone();
    expect(f.tid()).toBe(1000);
    expect(f.rt.budget()).toBe(10 - 1); // the clone ecall retired one instruction
  });

  it('sched_yield hands the CPU to the next runnable thread, or returns with none', () => {
    const f = makeThreadsFixture();
    f.sys('sched_yield');
    expect(f.a0()).toBe(0n);
    expect(f.tid()).toBe(1000);
    spawn(f);
    f.sys('sched_yield');
    expect(f.tid()).toBe(1001);
    f.sys('sched_yield');
    expect(f.tid()).toBe(1000);
    expect(f.a0()).toBe(0n);
  });

  it('sleepers wake in deadline order; the clock jumps when everyone sleeps', () => {
    const f = makeThreadsFixture();
    const clock = f.kernel.state.clock;
    const ts = (at: number, ms: number) => {
      f.mem.write(at, new Uint8Array(new BigInt64Array([0n, BigInt(ms) * 1_000_000n]).buffer));
      return at;
    };
    spawn(f);
    const t0 = clock.monotonicNs();
    f.sys('nanosleep', [ts(D, 30), 0], 0x1000); // main: 30 ms
    expect(f.tid()).toBe(1001);
    f.sys('nanosleep', [ts(D + 16, 10), 0], 0x2000); // child: 10 ms
    expect(f.tid()).toBe(1001); // woken first
    expect(clock.monotonicNs() - t0).toBeGreaterThanOrEqual(10_000_000n);
    expect(clock.monotonicNs() - t0).toBeLessThan(30_000_000n);
    f.ecall();
    expect(f.a0()).toBe(0n);
    f.sys('exit', [0]);
    expect(f.tid()).toBe(1000);
    f.ecall();
    expect(f.a0()).toBe(0n);
    expect(clock.monotonicNs() - t0).toBeGreaterThanOrEqual(30_000_000n);
  });
});

describe('nanosleep arguments', () => {
  it('EINVAL for a bad timespec, EFAULT for an unreadable one (Linux; qemu-riscv64 7.2 says EINVAL)', () => {
    const f = makeThreadsFixture();
    f.mem.write(D, new Uint8Array(new BigInt64Array([0n, 1_000_000_000n]).buffer));
    f.sys('nanosleep', [D, 0]);
    expect(f.a0()).toBe(err(E.EINVAL));
    f.mem.write(D, new Uint8Array(new BigInt64Array([-1n, 0n]).buffer));
    f.sys('nanosleep', [D, 0]);
    expect(f.a0()).toBe(err(E.EINVAL));
    f.sys('nanosleep', [LAYOUT.unmapped, 0]);
    expect(f.a0()).toBe(err(E.EFAULT));
    f.sys('clock_nanosleep', [4 /* MONOTONIC_RAW */, 0, D, 0]);
    expect(f.a0()).toBe(err(E.EOPNOTSUPP));
    f.sys('clock_nanosleep', [99, 0, D, 0]);
    expect(f.a0()).toBe(err(E.EINVAL));
  });
});

describe('clock_nanosleep on CPU-time and other clocks', () => {
  // Expected results: Linux 6.1 kernel/time/posix-timers.c (clockid_to_kclock, then the
  // request, then nsleep) and posix-cpu-timers.c (posix_cpu_nsleep, pid_for_clock); the same
  // calls gave the same answers natively on Linux 6.18 x86_64 and under qemu-riscv64 7.2
  // (which differs only in reading the request before refusing a clock fd).
  const EINVAL = err(E.EINVAL);
  const EFAULT = err(E.EFAULT);
  const EOPNOTSUPP = err(E.EOPNOTSUPP);
  const cpuClock = (pid: number, low: number) => (~pid << 3) | low;

  it('checks the clock, then the request, then the CPU clock target; a sleep already over returns 0', () => {
    const f = makeThreadsFixture();
    f.cpu.instret = 5000; // 5000 ns of process CPU time
    const req = (sec: bigint, nsec: bigint) => {
      f.mem.write(D, new Uint8Array(new BigInt64Array([sec, nsec]).buffer));
      return D;
    };
    const cases: [number, number, () => number, bigint][] = [
      [-1, 0, () => req(0n, 0n), EINVAL], // the caller's own thread clock (pid 0)
      [-1, 0, () => req(0n, -1n), EINVAL],
      [-1, 0, () => LAYOUT.unmapped, EFAULT], // the request is read before the clock's checks
      [-5, 0, () => LAYOUT.unmapped, EOPNOTSUPP], // a clock fd cannot sleep: before the read
      [3, 0, () => req(0n, -1n), EOPNOTSUPP], // THREAD_CPUTIME_ID has no nsleep
      [-6, 0, () => req(0n, 0n), 0n], // the process clock: a zero relative time
      [-6, 1, () => req(0n, 4999n), 0n], // an absolute time already passed
      [2, 0, () => req(0n, 0n), 0n], // PROCESS_CPUTIME_ID sleeps on that same clock
      [2, 0, () => req(0n, -1n), EINVAL],
      [-7, 0, () => req(0n, 0n), 0n], // the process's VIRT clock
      [8, 0, () => req(0n, -1n), EINVAL], // REALTIME_ALARM: the request before the missing RTC
      [8, 0, () => req(0n, 0n), EOPNOTSUPP],
      [10, 0, () => req(0n, 0n), EINVAL], // SGI_CYCLE is gone
      [cpuClock(1000, 6), 0, () => req(0n, 0n), EINVAL], // own thread, by tid
      [cpuClock(1000, 7), 0, () => req(0n, 0n), EINVAL], // own thread, bad which
      [cpuClock(1000, 2), 0, () => req(0n, 0n), 0n], // own process, by pid
      [cpuClock(999, 2), 0, () => req(0n, 0n), 0n], // the parent's process clock
      [cpuClock(999, 6), 0, () => req(0n, 0n), EINVAL], // the parent is not one of our threads
      [cpuClock(999999, 2), 0, () => req(0n, 0n), EINVAL], // no such process
    ];
    for (const [clock, flags, at, want] of cases) {
      f.sys('clock_nanosleep', [clock, flags, at(), 0]);
      expect([clock, flags, f.a0()]).toEqual([clock, flags, want]);
    }
  });

  it('a real wait on CPU time stops the guest', () => {
    const f = makeThreadsFixture();
    f.mem.write(D, new Uint8Array(new BigInt64Array([0n, 1n]).buffer));
    expect(() => f.sys('clock_nanosleep', [2, 0, D, 0])).toThrowError(ZerosysStop);
    expect(() => f.sys('clock_nanosleep', [-6, 1, D, 0])).toThrowError(ZerosysStop); // instret 0: not yet passed
  });
});

describe('the vfs wait queue blocker', () => {
  it('sleeps until the queue is notified, then the call re-executes; a timeout returns "timeout"', () => {
    const f = makeThreadsFixture();
    const blocker = f.kernel.state.vfs.blocker;
    const q = new WaitQueue();
    spawn(f);
    // Main calls a "syscall" that blocks on q: emulate with a handler-free direct call.
    expect(() => blocker.block([q], undefined, 'pipe read')).toThrowError('thread suspended: pipe read');
    const main = f.kernel.state.thread.current;
    expect(main.state).toBe('blocked');
    q.notify();
    expect(main.state).toBe('runnable');
    expect(main.wake).toBe('notified');
    // Re-executed and still nothing to read: it sleeps again.
    expect(() => blocker.block([q], undefined, 'pipe read')).toThrowError('thread suspended');
    main.wake = undefined;
    main.state = 'runnable';
    // With a timeout of 0 it never sleeps.
    expect(blocker.block([q], 0n, 'poll')).toBe('timeout');
  });
});
