// Signal generation and delivery. Expected behaviour: man 7 signal, man 2 sigaction /
// sigreturn / sigaltstack / sigsuspend / sigtimedwait / kill / tgkill, and Linux 6.1
// arch/riscv/kernel/signal.c and kernel/signal.c. Frame offsets: sizeof/offsetof of
// glibc's riscv64 siginfo_t (128) and ucontext_t (uc_stack 16, uc_sigmask 40,
// uc_mcontext 176 = __gregs, __fpregs at +256; fcsr after the 32 doubles), compiled with
// riscv64-linux-gnu-gcc. Trampoline words from riscv64-linux-gnu-as + objdump:
// 08b00893 addi a7,zero,139; 00000073 ecall.

import { describe, expect, it } from 'vitest';
import { GuestKilled, ZerosysStop } from '../api.ts';
import { E } from '../errno.ts';
import { LAYOUT, err } from '../test-support.ts';
import { A0, A7, GLIBC_THREAD_FLAGS, SP, STACK_TOP, makeThreadsFixture, type ThreadsFixture } from '../sched/test-threads.ts';
import { SEGV_MAPERR, SigInfo } from './siginfo.ts';
import { SA_ONSTACK as SA_ONSTACK_FLAG, SA_RESTART as SA_RESTART_FLAG, SA_SIGINFO as SA_SIGINFO_FLAG, SIGCHLD, SIGHUP, SIGQUIT, SIGSEGV, SIGSTOP, SIGTERM, SIGUSR1, SIGUSR2, SI_TKILL, SI_USER } from '../abi.ts';

const D = LAYOUT.data;
const SA_SIGINFO = BigInt(SA_SIGINFO_FLAG);
const SA_ONSTACK = BigInt(SA_ONSTACK_FLAG);
const SA_RESTART = BigInt(SA_RESTART_FLAG);
const HANDLER = 0x40000;
const FRAME_SIZE = 1088;
const bit = (sig: number) => 1n << BigInt(sig - 1);

function sigaction(f: ThreadsFixture, sig: number, handler: number | bigint, flags = 0n, mask = 0n): void {
  f.mem.write(D + 0x800, new Uint8Array(new BigUint64Array([BigInt(handler), flags, mask]).buffer));
  f.sys('rt_sigaction', [sig, D + 0x800, 0, 8]);
  expect(f.a0()).toBe(0n);
}

function sigprocmask(f: ThreadsFixture, how: number, mask: bigint): void {
  f.mem.write(D + 0x880, new Uint8Array(new BigUint64Array([mask]).buffer));
  f.sys('rt_sigprocmask', [how, D + 0x880, 0, 8]);
}

/** The guest dies of signal sig (status 128 + sig). */
function expectKilled(fn: () => void, sig: number): void {
  let stop: unknown;
  try {
    fn();
  } catch (e) {
    stop = e;
  }
  expect(stop).toBeInstanceOf(GuestKilled);
  expect((stop as GuestKilled).status).toBe(128 + sig);
}

const u64 = (f: ThreadsFixture, at: number) => BigInt.asUintN(64, f.mem.readBig64(at));
const i32 = (f: ThreadsFixture, at: number) => f.mem.readU32(at) | 0;

describe('signal frame', () => {
  it('lays out siginfo and ucontext as Linux riscv64 and enters the handler', () => {
    const f = makeThreadsFixture();
    sigaction(f, SIGUSR1, HANDLER, SA_SIGINFO, bit(SIGUSR2));
    f.cpu.setX(5, 0x1122334455667788n);
    f.cpu.setFBits(3, 0x400921fb54442d18n);
    f.cpu.fcsr = 0x61; // frm 3, NX
    f.sys('tgkill', [1000, 1000, SIGUSR1]);

    const frame = Math.floor((STACK_TOP - FRAME_SIZE) / 16) * 16;
    expect(f.cpu.pc).toBe(HANDLER);
    expect(f.cpu.getU(SP)).toBe(frame);
    expect(f.cpu.getU(A0)).toBe(SIGUSR1);
    expect(f.cpu.getU(A0 + 1)).toBe(frame);
    expect(f.cpu.getU(A0 + 2)).toBe(frame + 128);
    const ra = f.cpu.getU(1);
    expect([f.mem.readU32(ra), f.mem.readU32(ra + 4)]).toEqual([0x08b00893, 0x00000073]);
    expect(f.mem.findVma(ra)?.name).toBe('[vdso]');

    // siginfo: signo, errno, code, then _kill { pid, uid }.
    expect([i32(f, frame), i32(f, frame + 4), i32(f, frame + 8), i32(f, frame + 16), i32(f, frame + 20)]).toEqual([SIGUSR1, 0, SI_TKILL, 1000, 0]);
    const uc = frame + 128;
    expect(u64(f, uc)).toBe(0n); // uc_flags
    expect(u64(f, uc + 8)).toBe(0n); // uc_link
    expect([u64(f, uc + 16), i32(f, uc + 24), u64(f, uc + 32)]).toEqual([0n, 0, 0n]); // uc_stack: none
    expect(u64(f, uc + 40)).toBe(0n); // uc_sigmask: the mask before the handler
    const gregs = uc + 176;
    expect(u64(f, gregs)).toBe(BigInt(LAYOUT.pc + 4)); // pc after the tgkill ecall
    expect(u64(f, gregs + 8 * 2)).toBe(BigInt(STACK_TOP)); // sp
    expect(u64(f, gregs + 8 * 5)).toBe(0x1122334455667788n); // t0
    expect(u64(f, gregs + 8 * 10)).toBe(0n); // a0 = tgkill's result
    expect(u64(f, gregs + 8 * 17)).toBe(131n); // a7 = __NR_tgkill
    const fpregs = gregs + 256;
    expect(u64(f, fpregs + 8 * 3)).toBe(0x400921fb54442d18n);
    expect(f.mem.readU32(fpregs + 256)).toBe(0x61);
    // While the handler runs, the signal and sa_mask are blocked (qemu-riscv64 7.2 ignores sa_mask).
    expect(f.kernel.state.thread.current.blocked).toBe(bit(SIGUSR1) | bit(SIGUSR2));
  });

  it('rt_sigreturn restores registers, FP state and mask; a handler may redirect pc through uc_mcontext', () => {
    const f = makeThreadsFixture();
    sigaction(f, SIGUSR1, HANDLER, SA_SIGINFO);
    f.cpu.setX(5, 0x55n);
    f.cpu.setFBits(3, 0x3ff0000000000000n);
    f.cpu.fcsr = 0x20;
    f.sys('tgkill', [1000, 1000, SIGUSR1]);
    const frame = f.cpu.getU(SP);
    // The handler clobbers registers, moves the resume pc, then returns via the trampoline.
    f.cpu.setX(5, 0x99n);
    f.cpu.setFBits(3, 0n);
    f.cpu.fcsr = 0;
    f.mem.write(frame + 128 + 176, new Uint8Array(new BigUint64Array([0x30000n]).buffer));
    f.sys('rt_sigreturn', [], f.cpu.getU(1) + 4);
    expect(f.cpu.pc).toBe(0x30000);
    expect(f.cpu.getX(5)).toBe(0x55n);
    expect(f.cpu.getU(SP)).toBe(STACK_TOP);
    expect(f.cpu.getX(A0)).toBe(0n);
    expect(f.cpu.getX(A7)).toBe(131n);
    expect(f.cpu.getFBits(3)).toBe(0x3ff0000000000000n);
    expect(f.cpu.fcsr).toBe(0x20);
    expect(f.kernel.state.thread.current.blocked).toBe(0n);
  });

  it('a frame whose reserved FP words are not zero is rejected with SIGSEGV', () => {
    const f = makeThreadsFixture();
    sigaction(f, SIGUSR1, HANDLER);
    f.sys('tgkill', [1000, 1000, SIGUSR1]);
    const frame = f.cpu.getU(SP);
    f.mem.st32(frame + 128 + 176 + 256 + 516, 1); // q.reserved[0]
    expectKilled(() => f.sys('rt_sigreturn', [], f.cpu.getU(1) + 4), SIGSEGV);
  });

  it('delivers every pending signal before user code runs: the lowest number first, so its handler runs last', () => {
    const f = makeThreadsFixture();
    sigaction(f, SIGUSR1, HANDLER);
    sigaction(f, SIGUSR2, HANDLER + 0x100);
    sigprocmask(f, 0, bit(SIGUSR1) | bit(SIGUSR2));
    f.sys('tgkill', [1000, 1000, SIGUSR2]);
    f.sys('tgkill', [1000, 1000, SIGUSR1]);
    sigprocmask(f, 2, 0n);
    // SIGUSR1's frame was built first; SIGUSR2's on top of it runs now.
    expect(f.cpu.pc).toBe(HANDLER + 0x100);
    const top = f.cpu.getU(SP);
    expect(u64(f, top + 128 + 176)).toBe(BigInt(HANDLER)); // it returns into SIGUSR1's handler
  });
});

describe('interrupted syscalls', () => {
  function blockedWaiter(flags: bigint) {
    const f = makeThreadsFixture();
    sigaction(f, SIGUSR1, HANDLER, flags);
    f.sys('clone', [GLIBC_THREAD_FLAGS, STACK_TOP - 0x100000, D + 0x40, 0, D + 0x48]);
    f.sys('futex', [D, 128 /* WAIT_PRIVATE */, 0], 0x1000); // main sleeps
    f.sys('tgkill', [1000, 1000, SIGUSR1]); // the child signals it
    f.sys('exit', [0]);
    f.ecall(); // main re-executes the wait, which now reports the signal
    return f;
  }

  it('with SA_RESTART the handler returns to the ecall, a0 = the original argument', () => {
    const f = blockedWaiter(SA_RESTART);
    expect(f.tid()).toBe(1000);
    expect(f.cpu.pc).toBe(HANDLER);
    const gregs = f.cpu.getU(SP) + 128 + 176;
    expect(u64(f, gregs)).toBe(0x1000n);
    expect(u64(f, gregs + 8 * 10)).toBe(BigInt(D));
  });

  it('without SA_RESTART the call fails with EINTR', () => {
    const f = blockedWaiter(0n);
    const gregs = f.cpu.getU(SP) + 128 + 176;
    expect(u64(f, gregs)).toBe(0x1004n);
    expect(BigInt.asIntN(64, u64(f, gregs + 8 * 10))).toBe(err(E.EINTR));
  });

  it('rt_sigsuspend: EINTR after the handler, whose frame holds the mask to restore', () => {
    const f = makeThreadsFixture();
    sigaction(f, SIGUSR1, HANDLER);
    sigprocmask(f, 0, bit(SIGUSR1) | bit(SIGHUP));
    f.sys('tgkill', [1000, 1000, SIGUSR1]);
    f.mem.write(D, new Uint8Array(new BigUint64Array([bit(SIGHUP)]).buffer));
    f.sys('rt_sigsuspend', [D, 8]);
    expect(f.cpu.pc).toBe(HANDLER);
    const uc = f.cpu.getU(SP) + 128;
    expect(u64(f, uc + 40)).toBe(bit(SIGUSR1) | bit(SIGHUP));
    expect(BigInt.asIntN(64, u64(f, uc + 176 + 80))).toBe(err(E.EINTR));
    f.sys('rt_sigreturn', [], f.cpu.getU(1) + 4);
    expect(f.kernel.state.thread.current.blocked).toBe(bit(SIGUSR1) | bit(SIGHUP));
  });
});

describe('default actions', () => {
  it('terminate (128+N), core (128+N as a shell shows), ignore, stop', () => {
    const f = makeThreadsFixture();
    expectKilled(() => f.sys('kill', [1000, SIGTERM]), SIGTERM);
    const g = makeThreadsFixture();
    expectKilled(() => g.sys('tgkill', [1000, 1000, SIGQUIT]), SIGQUIT);
    const h = makeThreadsFixture();
    h.sys('kill', [1000, SIGCHLD]);
    expect(h.a0()).toBe(0n);
    expect(h.cpu.pc).toBe(LAYOUT.pc + 4);
    expect(() => h.sys('kill', [1000, SIGSTOP])).toThrowError(ZerosysStop);
  });

  it('a blocked fatal signal kills only when unblocked', () => {
    const f = makeThreadsFixture();
    sigprocmask(f, 0, bit(SIGTERM));
    f.sys('kill', [1000, SIGTERM]);
    expect(f.a0()).toBe(0n);
    f.mem.write(D, new Uint8Array(8));
    f.sys('rt_sigpending', [D, 8]);
    expect(u64(f, D)).toBe(bit(SIGTERM));
    expectKilled(() => sigprocmask(f, 1, bit(SIGTERM)), SIGTERM);
  });
});

describe('synchronous faults', () => {
  it('SIGSEGV reaches a handler with si_code and si_addr, pc at the faulting instruction', () => {
    const f = makeThreadsFixture();
    sigaction(f, SIGSEGV, HANDLER, SA_SIGINFO);
    f.cpu.pc = 0x12344;
    f.rt.trap(SigInfo.fault(SIGSEGV, SEGV_MAPERR, 0x10));
    const frame = f.cpu.getU(SP);
    expect(f.cpu.pc).toBe(HANDLER);
    expect([i32(f, frame), i32(f, frame + 8), Number(u64(f, frame + 16))]).toEqual([SIGSEGV, SEGV_MAPERR, 0x10]);
    expect(u64(f, frame + 128 + 176)).toBe(0x12344n);
  });

  it('a blocked or ignored SIGSEGV kills anyway, and the handler is reset', () => {
    const f = makeThreadsFixture();
    sigaction(f, SIGSEGV, HANDLER);
    sigprocmask(f, 0, bit(SIGSEGV));
    expectKilled(() => f.rt.trap(SigInfo.fault(SIGSEGV, SEGV_MAPERR, 0)), SIGSEGV);
    expect(f.kernel.state.signals.actions[SIGSEGV].handler).toBe(0n);
    const g = makeThreadsFixture();
    sigaction(g, SIGSEGV, 1); // SIG_IGN
    expectKilled(() => g.rt.trap(SigInfo.fault(SIGSEGV, SEGV_MAPERR, 0)), SIGSEGV);
  });

  it('a frame that cannot be written (stack pointer in unmapped memory) kills with SIGSEGV', () => {
    const f = makeThreadsFixture();
    sigaction(f, SIGUSR1, HANDLER);
    f.cpu.setNum(SP, LAYOUT.unmapped + 0x800);
    expectKilled(() => f.sys('tgkill', [1000, 1000, SIGUSR1], LAYOUT.pc), SIGSEGV);
  });
});

describe('sigaltstack', () => {
  const ALT = STACK_TOP - 0x200000;
  const stackT = (f: ThreadsFixture, at: number, sp: number, flags: number, size: number) => {
    f.mem.write(at, new Uint8Array(24));
    f.mem.write(at, new Uint8Array(new BigUint64Array([BigInt(sp)]).buffer));
    f.mem.st32(at + 8, flags);
    f.mem.write(at + 16, new Uint8Array(new BigUint64Array([BigInt(size)]).buffer));
    return at;
  };

  it('SA_ONSTACK handlers run at the top of the alternate stack; the frame records it', () => {
    const f = makeThreadsFixture();
    f.sys('sigaltstack', [stackT(f, D, ALT, 0, 0x4000), D + 0x40]);
    expect(f.a0()).toBe(0n);
    expect([u64(f, D + 0x40), i32(f, D + 0x48), u64(f, D + 0x50)]).toEqual([0n, 2 /* SS_DISABLE */, 0n]);
    sigaction(f, SIGUSR1, HANDLER, SA_ONSTACK);
    f.sys('tgkill', [1000, 1000, SIGUSR1]);
    const frame = f.cpu.getU(SP);
    expect(frame).toBe(Math.floor((ALT + 0x4000 - FRAME_SIZE) / 16) * 16);
    expect([u64(f, frame + 144), i32(f, frame + 152), u64(f, frame + 160)]).toEqual([BigInt(ALT), 0, 0x4000n]);
    // On the alternate stack: reported as SS_ONSTACK, and it cannot be changed (EPERM).
    f.sys('sigaltstack', [0, D + 0x40]);
    expect(i32(f, D + 0x48)).toBe(1);
    f.sys('sigaltstack', [stackT(f, D, ALT, 0, 0x8000), 0]);
    expect(f.a0()).toBe(err(E.EPERM));
  });

  it('ENOMEM below MINSIGSTKSZ (2048), EINVAL for an unknown mode, EFAULT', () => {
    const f = makeThreadsFixture();
    f.sys('sigaltstack', [stackT(f, D, ALT, 0, 2047), 0]);
    expect(f.a0()).toBe(err(E.ENOMEM));
    f.sys('sigaltstack', [stackT(f, D, ALT, 4, 0x4000), 0]);
    expect(f.a0()).toBe(err(E.EINVAL));
    f.sys('sigaltstack', [LAYOUT.unmapped, 0]);
    expect(f.a0()).toBe(err(E.EFAULT));
  });
});

describe('kill, tkill, tgkill', () => {
  it('errors in Linux order', () => {
    const f = makeThreadsFixture();
    const cases: [string, number[], bigint][] = [
      ['tgkill', [0, 1000, SIGUSR1], err(E.EINVAL)],
      ['tgkill', [1000, 0, SIGUSR1], err(E.EINVAL)],
      ['tgkill', [1000, 4242, SIGUSR1], err(E.ESRCH)],
      ['tgkill', [999, 1000, SIGUSR1], err(E.ESRCH)],
      ['tgkill', [1000, 1000, 65], err(E.EINVAL)],
      ['tgkill', [1000, 1000, 0], 0n],
      ['tkill', [-1, SIGUSR1], err(E.EINVAL)],
      ['tkill', [1000, 0], 0n],
      ['kill', [4242, SIGUSR1], err(E.ESRCH)],
      ['kill', [4242, 99], err(E.ESRCH)], // no target before the signal number is checked
      ['kill', [1000, 99], err(E.EINVAL)],
      ['kill', [0, 0], 0n],
      ['kill', [0, 99], err(E.EINVAL)],
      // The parent shell (999) exists and leads the group the guest starts in; a signal to
      // it is checked, then dropped. Linux 6.18 x86_64 and qemu-riscv64 7.2 gave these for
      // getppid() and -1 (other processes exist there too).
      ['kill', [999, 99], err(E.EINVAL)],
      ['kill', [999, 0], 0n],
      ['kill', [999, SIGUSR1], 0n],
      ['kill', [-1, 0], 0n],
      ['kill', [-1, 99], err(E.EINVAL)],
      ['kill', [-1, -1], err(E.EINVAL)],
      ['kill', [-999, 0], 0n],
      ['kill', [-1000, 0], err(E.ESRCH)], // no group 1000 until setpgid(0, 0)
      ['kill', [-(2 ** 31), 0], err(E.ESRCH)],
      ['tkill', [999, 0], 0n],
      ['tkill', [999, 99], err(E.EINVAL)],
      ['tkill', [4242, 99], err(E.ESRCH)],
      ['tgkill', [999, 999, 0], 0n],
      ['tgkill', [1000, 999, 0], err(E.ESRCH)],
      ['rt_sigqueueinfo', [4242, 99, D + 0x400], err(E.ESRCH)],
      ['rt_sigqueueinfo', [0, 0, D + 0x400], err(E.ESRCH)],
      ['rt_sigqueueinfo', [999, 99, D + 0x400], err(E.EINVAL)],
      ['rt_sigqueueinfo', [999, 0, D + 0x400], 0n],
      ['setpgid', [0, 0], 0n],
      ['kill', [-1000, 0], 0n],
      ['kill', [-999, 0], 0n], // the shell's group still has the shell
      ['kill', [-999, 99], err(E.EINVAL)],
    ];
    // An SI_QUEUE (-1) siginfo, as sigqueue(3) builds it: allowed towards other processes.
    f.mem.write(D + 0x400, new Uint8Array(48));
    f.mem.write(D + 0x408, new Uint8Array(new Int32Array([-1]).buffer));
    for (const [name, args, want] of cases) {
      f.sys(name as 'kill', args);
      expect([name, args, f.a0()]).toEqual([name, args, want]);
    }
  });

  it('an si_code of unknown layout needs zeros past kernel_siginfo (E2BIG), checked while copying in', () => {
    // kernel/signal.c (Linux 6.1.20) __copy_siginfo_from_user() -> post_copy_siginfo_from_user()
    // -> known_siginfo_layout(); the -8 / SI_QUEUE / past-NSIGPOLL rows were also run on Linux
    // 6.18 x86_64 (rt_sigqueueinfo to itself: 0, E2BIG, 0 as below).
    const f = makeThreadsFixture();
    /** A siginfo at `at` (written when its case runs): si_code `code`, a 1 at byte `extra` (if >= 0). */
    const info = (at: number, code: number, extra: number) => () => {
      f.mem.write(at, new Uint8Array(Math.min(128, D + LAYOUT.dataSize - at)));
      f.mem.write(at + 8, new Uint8Array(new Int32Array([code]).buffer));
      if (extra >= 0) f.mem.write(at + extra, new Uint8Array([1]));
      return at;
    };
    const I = D + 0x800;
    const cases: Array<[string, Array<number | (() => number)>, bigint]> = [
      ['rt_sigqueueinfo', [999, 0, info(I, -8, -1)], 0n],
      ['rt_sigqueueinfo', [999, 0, info(I, -8, 100)], err(E.E2BIG)],
      ['rt_sigqueueinfo', [999, 0, info(I, -8, 48)], err(E.E2BIG)],
      ['rt_sigqueueinfo', [999, 0, info(I, -8, 47)], 0n], // inside kernel_siginfo
      ['rt_sigqueueinfo', [999, 0, info(I, -1, 100)], 0n], // SI_QUEUE
      ['rt_sigqueueinfo', [999, 0, info(I, -7, 100)], 0n], // SI_DETHREAD
      ['rt_sigqueueinfo', [999, 0, info(I, -60, 100)], 0n], // SI_ASYNCNL
      ['rt_sigqueueinfo', [999, 0, info(I, -59, 100)], err(E.E2BIG)],
      // Positive codes: known up to the signal's limit (NSIGCHLD 6), else NSIGPOLL (6); then
      // the impersonation check towards another process (EPERM).
      ['rt_sigqueueinfo', [999, SIGCHLD, info(I, 6, 100)], err(E.EPERM)],
      ['rt_sigqueueinfo', [999, SIGCHLD, info(I, 7, 100)], err(E.E2BIG)],
      ['rt_sigqueueinfo', [999, SIGSEGV, info(I, 9, 100)], err(E.EPERM)], // NSIGSEGV 9
      ['rt_sigqueueinfo', [999, SIGSEGV, info(I, 10, 100)], err(E.E2BIG)],
      ['rt_sigqueueinfo', [999, SIGUSR1, info(I, 7, 100)], err(E.E2BIG)],
      ['rt_sigqueueinfo', [999, 0x80, info(I, 0x80, 100)], err(E.EPERM)], // SI_KERNEL
      ['rt_tgsigqueueinfo', [1000, 0, 0, info(I, -8, 127)], err(E.E2BIG)], // before pid <= 0 (EINVAL)
      ['rt_tgsigqueueinfo', [1000, 0, 0, info(I, -8, -1)], err(E.EINVAL)],
      // The expansion is read only for an unknown layout: 48 readable bytes do for SI_QUEUE.
      ['rt_sigqueueinfo', [999, 0, info(D + LAYOUT.dataSize - 48, -1, -1)], 0n],
      ['rt_sigqueueinfo', [999, 0, info(D + LAYOUT.dataSize - 48, -8, -1)], err(E.EFAULT)],
    ];
    for (const [name, spec, want] of cases) {
      const args = spec.map((a) => (typeof a === 'function' ? a() : a));
      f.sys(name as 'rt_sigqueueinfo', args);
      expect([name, args, f.a0()]).toEqual([name, args, want]);
    }
  });

  it('a process-directed signal goes to a thread that does not block it, waking it', () => {
    const f = makeThreadsFixture();
    sigaction(f, SIGUSR1, HANDLER);
    sigprocmask(f, 0, bit(SIGUSR1)); // main blocks it; the child inherits that, then unblocks
    f.sys('clone', [GLIBC_THREAD_FLAGS, STACK_TOP - 0x100000, D + 0x40, 0, D + 0x48]);
    f.sys('sched_yield');
    expect(f.tid()).toBe(1001);
    sigprocmask(f, 1, bit(SIGUSR1));
    f.sys('futex', [D, 128, 0], 0x2000); // the child sleeps
    expect(f.tid()).toBe(1000);
    f.sys('kill', [1000, SIGUSR1]);
    expect(f.cpu.pc).toBe(LAYOUT.pc + 4); // not main
    f.sys('sched_yield');
    expect(f.tid()).toBe(1001);
    f.ecall(); // the child's futex wait ends: -ERESTARTSYS, then the handler
    expect(f.cpu.pc).toBe(HANDLER);
    expect(i32(f, f.cpu.getU(SP) + 8)).toBe(SI_USER);
  });
});

describe('pending signals', () => {
  it('rt_sigpending copies up to sigsetsize bytes (EINVAL above 8); rt_sigtimedwait takes a blocked one', () => {
    const f = makeThreadsFixture();
    sigprocmask(f, 0, bit(SIGUSR1) | bit(SIGUSR2));
    f.sys('tgkill', [1000, 1000, SIGUSR2]);
    f.mem.write(D, new Uint8Array(16).fill(0xee));
    f.sys('rt_sigpending', [D, 4]);
    expect(f.a0()).toBe(0n);
    expect([...f.mem.read(D, 8)]).toEqual([0, 8, 0, 0, 0xee, 0xee, 0xee, 0xee]);
    f.sys('rt_sigpending', [D, 9]);
    expect(f.a0()).toBe(err(E.EINVAL));

    f.mem.write(D + 0x100, new Uint8Array(new BigUint64Array([bit(SIGUSR1) | bit(SIGUSR2)]).buffer));
    f.sys('rt_sigtimedwait', [D + 0x100, D + 0x200, 0, 8]);
    expect(f.a0()).toBe(BigInt(SIGUSR2));
    expect([i32(f, D + 0x200), i32(f, D + 0x208)]).toEqual([SIGUSR2, SI_TKILL]);
    f.mem.write(D + 0x300, new Uint8Array(16)); // zero timeout: no sleep
    f.sys('rt_sigtimedwait', [D + 0x100, 0, D + 0x300, 8]);
    expect(f.a0()).toBe(err(E.EAGAIN));
    // A 1 ms timeout sleeps on the virtual clock.
    f.mem.write(D + 0x300, new Uint8Array(new BigInt64Array([0n, 1_000_000n]).buffer));
    const t0 = f.kernel.state.clock.monotonicNs();
    f.sys('rt_sigtimedwait', [D + 0x100, 0, D + 0x300, 8]);
    f.ecall();
    expect(f.a0()).toBe(err(E.EAGAIN));
    expect(f.kernel.state.clock.monotonicNs() - t0).toBe(1_000_001n);
    expect(f.kernel.state.thread.current.blocked).toBe(bit(SIGUSR1) | bit(SIGUSR2));
  });

  it('SIG_IGN discards a pending signal even while it is blocked', () => {
    const f = makeThreadsFixture();
    sigprocmask(f, 0, bit(SIGUSR1));
    f.sys('kill', [1000, SIGUSR1]);
    sigaction(f, SIGUSR1, 1);
    f.sys('rt_sigpending', [D, 8]);
    expect(u64(f, D)).toBe(0n);
  });
});

describe('signals and sleeping threads', () => {
  const ts = (f: ThreadsFixture, at: number, sec: bigint, nsec = 0n) => {
    f.mem.write(at, new Uint8Array(new BigInt64Array([sec, nsec]).buffer));
    return at;
  };

  it('a handled signal ends nanosleep with EINTR and the time left in *rem', () => {
    const f = makeThreadsFixture();
    sigaction(f, SIGUSR1, HANDLER);
    f.sys('clone', [GLIBC_THREAD_FLAGS, STACK_TOP - 0x100000, D + 0x40, 0, D + 0x48]);
    f.sys('nanosleep', [ts(f, D, 5n), D + 0x10], 0x1000); // main sleeps 5 s
    f.sys('tgkill', [1000, 1000, SIGUSR1]); // the child interrupts it at once
    f.sys('exit', [0]);
    f.ecall();
    expect(f.cpu.pc).toBe(HANDLER);
    const gregs = f.cpu.getU(SP) + 128 + 176;
    expect(BigInt.asIntN(64, u64(f, gregs + 8 * 10))).toBe(err(E.EINTR));
    expect(u64(f, D + 0x10)).toBe(4n); // 5 s minus the few instructions that ran: 4.999... s
    expect(u64(f, D + 0x18)).toBeGreaterThan(999_000_000n);
  });

  it('when another thread takes the signal first, the sleep restarts through restart_syscall and runs to its deadline', () => {
    const f = makeThreadsFixture();
    const clock = f.kernel.state.clock;
    sigaction(f, SIGUSR1, HANDLER);
    f.sys('clone', [GLIBC_THREAD_FLAGS, STACK_TOP - 0x100000, D + 0x40, 0, D + 0x48]);
    const t0 = clock.monotonicNs();
    f.sys('nanosleep', [ts(f, D, 1n), 0], 0x1000); // main sleeps 1 s
    f.sys('kill', [1000, SIGUSR1]); // process-directed: main is woken to take it...
    f.mem.write(D + 0x100, new Uint8Array(new BigUint64Array([bit(SIGUSR1)]).buffer));
    f.sys('rt_sigtimedwait', [D + 0x100, 0, ts(f, D + 0x200, 0n), 8]); // ...but the child takes it
    expect(f.a0()).toBe(BigInt(SIGUSR1));
    f.sys('exit', [0]);
    f.ecall(); // main: interrupted, nothing to deliver -> back to the ecall as restart_syscall
    expect(f.cpu.pc).toBe(0x1000);
    expect(f.cpu.getX(A7)).toBe(128n);
    f.ecall(); // restart_syscall sleeps on to the original deadline
    f.ecall();
    expect(f.a0()).toBe(0n);
    expect(clock.monotonicNs() - t0).toBeGreaterThanOrEqual(1_000_000_000n);
    expect(clock.monotonicNs() - t0).toBeLessThan(1_000_001_000n);
  });

  it('a process-directed signal still finds a thread after the main thread has exited', () => {
    const f = makeThreadsFixture();
    sigaction(f, SIGUSR1, HANDLER);
    f.sys('clone', [GLIBC_THREAD_FLAGS, STACK_TOP - 0x100000, D + 0x40, 0, D + 0x48]);
    f.sys('exit', [0]); // main leaves (pthread_exit); the process goes on
    expect(f.tid()).toBe(1001);
    f.sys('kill', [1000, SIGUSR1]);
    expect(f.cpu.pc).toBe(HANDLER);
  });
});
