// The exact argument accessors: values a JavaScript number cannot hold (2^53 and up) keep
// what the kernel's checks look at.

import { describe, expect, it } from 'vitest';
import { FAR_ADDR, HUGE, SyscallContext } from './context.ts';
import { makeFixture } from './test-support.ts';

function ctx(...args: bigint[]) {
  const f = makeFixture();
  args.forEach((v, i) => f.cpu.setX(10 + i, v));
  return new SyscallContext(f.cpu, f.mem, f.stdio, f.image, f.kernel.state);
}

describe('SyscallContext exact accessors', () => {
  it('addr: exact below 2^53; beyond, far above user space with the exact offset in the page', () => {
    const k = ctx(2n ** 53n - 1n, 2n ** 64n - 22n, 2n ** 53n + 1n, 2n ** 64n - 4096n, 0x1234n);
    expect(k.addr(0)).toBe(2 ** 53 - 1);
    expect(k.addr(1)).toBe(FAR_ADDR + 4096 - 22);
    expect(k.addr(1) % 4).toBe(2); // 2^64 - 22 is misaligned (as a double it would round to 2^64)
    expect(Number(2n ** 64n - 22n) % 4).toBe(0);
    expect(k.addr(2) % 2).toBe(1);
    expect(k.addr(3) % 4096).toBe(0);
    expect(k.addr(4)).toBe(0x1234);
    expect(k.lowBits(1, 12)).toBe(4096 - 22);
  });

  it('isErrValue: -4095..-1 only', () => {
    const k = ctx(2n ** 64n - 1n, 2n ** 64n - 4095n, 2n ** 64n - 4096n, 0n);
    expect([0, 1, 2, 3].map((i) => k.isErrValue(i))).toEqual([true, true, false, false]);
  });

  it('size / pageLen / off: exact or HUGE; a page-rounded length near 2^64 wraps to 0', () => {
    const k = ctx(2n ** 53n - 1n, 2n ** 53n, 2n ** 64n - 1n, 2n ** 63n, 2n ** 64n - 4096n, 4097n);
    expect(k.size(0)).toBe(2 ** 53 - 1);
    expect(k.size(1)).toBe(HUGE);
    expect(k.size(2)).toBe(HUGE);
    expect(k.pageLen(2)).toBe(0);
    expect(k.pageLen(4)).toBe(HUGE);
    expect(k.pageLen(5)).toBe(8192);
    expect(k.off(2)).toBe(-1);
    expect(k.off(3)).toBe(-HUGE);
    expect(k.off(1)).toBe(HUGE);
    expect(k.off(0)).toBe(2 ** 53 - 1);
  });
});
