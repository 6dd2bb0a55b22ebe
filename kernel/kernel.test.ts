import { describe, expect, it } from 'vitest';
import { A0, lowWord } from '../emulator/cpu/registers.ts';
import { GuestExit, ZerosysStop, EXIT_ZEROSYS_STOP } from './api.ts';
import { E } from './errno.ts';
import type { SyscallEvent } from './kernel.ts';
import { LAYOUT, cString, err, makeFixture } from './test-support.ts';

describe('dispatch', () => {
  it('writes the result to a0 and -errno as a 64-bit negative value', () => {
    const f = makeFixture();
    expect(f.call('getpid')).toBe(1000n);
    expect(f.call('close', 77)).toBe(err(E.EBADF));
    expect([f.cpu.x[lowWord(A0)] >>> 0, f.cpu.x[lowWord(A0) + 1] >>> 0]).toEqual([0xfffffff7, 0xffffffff]); // -9 in all 64 bits
  });

  it('reads a7 as the number and leaves other registers alone', () => {
    const f = makeFixture();
    f.cpu.setX(9, 0x1234n);
    f.call('gettid');
    expect(f.cpu.getX(10)).toBe(1000n);
    expect(f.cpu.getX(9)).toBe(0x1234n);
    expect(f.cpu.pc).toBe(LAYOUT.pc); // the machine, not the kernel, advances pc
  });

  it('stops on an unsupported syscall, naming it and the pc', () => {
    const f = makeFixture();
    expect(() => f.call('io_setup', 1, 0)).toThrowError(new ZerosysStop('unsupported syscall io_setup (0) at pc 0x10078'));
    // Must throw: a stop that is not raised would pass a try/catch unnoticed.
    expect(() => f.call('clone')).toThrowError(ZerosysStop);
    expect(() => f.call('clone')).toThrowError(expect.objectContaining({ status: EXIT_ZEROSYS_STOP }));
  });

  it('stops on numbers that are not riscv64 syscalls', () => {
    const f = makeFixture();
    expect(() => f.call(38)).toThrowError('unsupported syscall <unknown> (38) at pc 0x10078'); // renameat: not on riscv64
    expect(() => f.call(451)).toThrowError('(451)');
    expect(() => f.call(-1)).toThrowError('(-1)');
    expect(() => f.call(1n << 40n as unknown as number)).toThrowError(ZerosysStop);
  });

  it('stops on a syscall whose module is not linked', () => {
    const f = makeFixture({ modules: ['vfs', 'process'] });
    expect(f.call('getpid')).toBe(1000n);
    expect(() => f.call('clock_gettime', 0, LAYOUT.data)).toThrowError(
      "unsupported syscall clock_gettime (113) at pc 0x10078: module 'time' is not linked",
    );
    expect(() => f.call('rseq')).toThrowError("module 'sched' is not linked");
  });

  it("onUnsupported 'enosys': unknown, unsupported and unlinked syscalls return -ENOSYS (as a kernel without them), counted by name", () => {
    const f = makeFixture({ onUnsupported: 'enosys', modules: ['vfs', 'process'] });
    expect(f.call('mount', 0, 0, 0, 0, 0)).toBe(err(E.ENOSYS));
    expect(f.call('mount', 0, 0, 0, 0, 0)).toBe(err(E.ENOSYS));
    expect(f.call(38)).toBe(err(E.ENOSYS)); // no riscv64 syscall: -ENOSYS on Linux too
    expect(f.call('clock_gettime', 0, LAYOUT.data)).toBe(err(E.ENOSYS)); // module 'time' not linked
    expect(f.call('getpid')).toBe(1000n); // the supported ones still work
    expect(f.kernel.unsupportedAnswered).toEqual([
      { name: 'mount', nr: 40, count: 2 },
      { name: '<unknown>', nr: 38, count: 1 },
      { name: 'clock_gettime', nr: 113, count: 1 },
    ]);
    // A supported syscall asked for a feature zerosys lacks still stops (fail-fast inside handlers).
    const all = makeFixture({ onUnsupported: 'enosys' });
    expect(() => all.call('futex', LAYOUT.data, 11 /* FUTEX_WAIT_REQUEUE_PI */)).toThrowError(/unsupported op FUTEX_WAIT_REQUEUE_PI/);
    // A deliberate enosys row is supported behaviour (Linux 6.1 / qemu answer the same): not counted.
    expect(all.call('rseq', LAYOUT.data, 32, 0, 0x53053053)).toBe(err(E.ENOSYS));
    expect(all.kernel.unsupportedAnswered).toEqual([]);
  });

  it("onUnsupported 'fail' (the default) counts nothing", () => {
    const f = makeFixture({ onUnsupported: 'fail' });
    expect(() => f.call('mount')).toThrowError(new ZerosysStop('unsupported syscall mount (40) at pc 0x10078'));
    expect(f.kernel.unsupportedAnswered).toEqual([]);
  });

  it('answers ENOSYS for deliberate enosys rows (as qemu-riscv64 7.2 does)', () => {
    const f = makeFixture();
    expect(f.call('rseq', LAYOUT.data, 32, 0, 0x53053053)).toBe(err(E.ENOSYS));
    expect(f.call('riscv_hwprobe', 0, 0, 0, 0, 0)).toBe(err(E.ENOSYS));
  });

  it('turns a bad guest pointer into EFAULT', () => {
    const f = makeFixture();
    expect(f.call('uname', LAYOUT.unmapped)).toBe(err(E.EFAULT));
    expect(f.call('uname', LAYOUT.ro)).toBe(err(E.EFAULT));
    expect(f.call('clock_gettime', 0, 2n ** 63n)).toBe(err(E.EFAULT));
  });

  it('exit_group and exit end the guest with code & 0xff', () => {
    const f = makeFixture();
    expect(() => f.call('exit_group', 3)).toThrowError(new GuestExit(3));
    expect(() => f.call('exit', 0x1ff)).toThrowError(GuestExit);
    expect(() => f.call('exit', 0x1ff)).toThrowError(expect.objectContaining({ status: 0xff }));
  });

  it('reports every syscall to trace, including the one that stops', () => {
    const events: SyscallEvent[] = [];
    const f = makeFixture({ trace: (ev) => events.push(ev) });
    f.call('close', 5);
    cString(f.mem, LAYOUT.data, 'x');
    f.call('write', 1, LAYOUT.data, 1);
    expect(() => f.call('exit_group', 7)).toThrow(GuestExit);
    expect(events).toHaveLength(3);
    expect(events[0]).toEqual({ nr: 57, name: 'close', args: [5n, 0n, 0n, 0n, 0n, 0n], ret: -9n, pc: LAYOUT.pc });
    expect(events[1].ret).toBe(1n);
    expect(events[2]).toMatchObject({ nr: 94, name: 'exit_group', stop: 'exit 7' });
  });
});
