// Expected behaviour: man 2 sigaction / sigprocmask and Linux 6.1 kernel/signal.c
// (struct sigaction on riscv64 = { handler, flags, mask }, 24 bytes; sigset_t 8 bytes).

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { SA_RESTART as SA_RESTART_FLAG, SA_SIGINFO as SA_SIGINFO_FLAG, SA_UNSUPPORTED as SA_UNSUPPORTED_FLAG } from '../abi.ts';
import { LAYOUT, err, makeFixture } from '../test-support.ts';

const D = LAYOUT.data;
const SA_SIGINFO = BigInt(SA_SIGINFO_FLAG);
const SA_RESTART = BigInt(SA_RESTART_FLAG);
const SA_UNSUPPORTED = BigInt(SA_UNSUPPORTED_FLAG);
const bit = (sig: number) => 1n << BigInt(sig - 1);

function words(f: ReturnType<typeof makeFixture>, at: number, ...w: bigint[]): number {
  f.mem.write(at, new Uint8Array(new BigUint64Array(w).buffer));
  return at;
}
const read3 = (f: ReturnType<typeof makeFixture>, at: number) => [...new BigUint64Array(f.mem.read(at, 24).buffer)];

describe('rt_sigaction', () => {
  it('records the action and returns the previous one', () => {
    const f = makeFixture();
    const act = words(f, D, 0x12340n, SA_SIGINFO | SA_RESTART | SA_UNSUPPORTED, bit(2) | bit(9));
    expect(f.call('rt_sigaction', 10, act, D + 0x100, 8)).toBe(0n);
    expect(read3(f, D + 0x100)).toEqual([0n, 0n, 0n]); // SIG_DFL before
    expect(f.call('rt_sigaction', 10, 0, D + 0x200, 8)).toBe(0n);
    // Unknown flag bits (SA_UNSUPPORTED) cleared, SIGKILL removed from the mask.
    expect(read3(f, D + 0x200)).toEqual([0x12340n, SA_SIGINFO | SA_RESTART, bit(2)]);
  });

  it('errors', () => {
    const f = makeFixture();
    const act = words(f, D, 1n, 0n, 0n);
    expect(f.call('rt_sigaction', 10, act, 0, 16)).toBe(err(E.EINVAL)); // sigsetsize
    expect(f.call('rt_sigaction', 0, act, 0, 8)).toBe(err(E.EINVAL));
    expect(f.call('rt_sigaction', 65, act, 0, 8)).toBe(err(E.EINVAL));
    expect(f.call('rt_sigaction', 9, act, 0, 8)).toBe(err(E.EINVAL)); // SIGKILL
    expect(f.call('rt_sigaction', 19, act, 0, 8)).toBe(err(E.EINVAL)); // SIGSTOP
    expect(f.call('rt_sigaction', 9, 0, D + 0x100, 8)).toBe(0n); // querying SIGKILL is fine
    expect(f.call('rt_sigaction', 10, LAYOUT.unmapped, 0, 8)).toBe(err(E.EFAULT));
    expect(f.call('rt_sigaction', 0, LAYOUT.unmapped, 0, 8)).toBe(err(E.EFAULT)); // act copied before sig check
  });

  it('an EFAULT writing oact leaves the new action installed', () => {
    const f = makeFixture();
    const act = words(f, D, 1n, 0n, 0n);
    expect(f.call('rt_sigaction', 2, act, LAYOUT.ro, 8)).toBe(err(E.EFAULT));
    expect(f.kernel.state.signals.actions[2].handler).toBe(1n);
  });
});

describe('rt_sigprocmask', () => {
  it('BLOCK / UNBLOCK / SETMASK, never blocking SIGKILL or SIGSTOP', () => {
    const f = makeFixture();
    words(f, D, bit(2) | bit(9) | bit(19) | bit(64));
    expect(f.call('rt_sigprocmask', 0, D, D + 0x100, 8)).toBe(0n);
    expect(f.mem.readBig64(D + 0x100)).toBe(0n);
    words(f, D, bit(2));
    expect(f.call('rt_sigprocmask', 1, D, D + 0x100, 8)).toBe(0n);
    expect(BigInt.asUintN(64, f.mem.readBig64(D + 0x100))).toBe(bit(2) | bit(64));
    words(f, D, bit(5));
    expect(f.call('rt_sigprocmask', 2, D, 0, 8)).toBe(0n);
    expect(f.call('rt_sigprocmask', 0, 0, D + 0x100, 8)).toBe(0n);
    expect(f.mem.readBig64(D + 0x100)).toBe(bit(5));
  });

  it('errors', () => {
    const f = makeFixture();
    words(f, D, bit(2));
    expect(f.call('rt_sigprocmask', 0, D, 0, 4)).toBe(err(E.EINVAL));
    expect(f.call('rt_sigprocmask', 3, D, 0, 8)).toBe(err(E.EINVAL));
    expect(f.call('rt_sigprocmask', 3, 0, D + 0x100, 8)).toBe(0n); // how unchecked without set
    expect(f.call('rt_sigprocmask', 0, LAYOUT.unmapped, 0, 8)).toBe(err(E.EFAULT));
    expect(f.call('rt_sigprocmask', 0, 0, LAYOUT.ro, 8)).toBe(err(E.EFAULT));
  });
});
