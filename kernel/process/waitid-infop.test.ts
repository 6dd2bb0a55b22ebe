// waitid(2)'s infop, as Linux 6.1 kernel/exit.c SYSCALL_DEFINE5(waitid) writes it: whatever
// kernel_waitid() answered, a non-NULL infop gets si_signo, si_errno, si_code (at 0, 4, 8) and
// si_pid, si_uid, si_status (at 16, 20, 24) and nothing else; an unwritable one is EFAULT.
// (qemu-riscv64 7.2 leaves it untouched on error: deviation waitid-infop-on-error.)

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { LAYOUT, err, makeFixture } from '../test-support.ts';
import { P_ALL, P_PID, WEXITED } from '../abi.ts';

const D = LAYOUT.data;

describe('waitid infop', () => {
  it('zeroes exactly the six fields Linux writes, after ECHILD and after EINVAL', () => {
    for (const [args, answer] of [
      [[P_ALL, 0], err(E.ECHILD)],
      [[P_PID, 0], err(E.EINVAL)], // P_PID with pid 0
    ] as const) {
      const f = makeFixture();
      f.mem.write(D, new Uint8Array(32).fill(0xff));
      expect(f.call('waitid', args[0], args[1], D, WEXITED, 0)).toBe(answer);
      const bytes = [...f.mem.read(D, 32)];
      expect(bytes.slice(0, 12)).toEqual(Array(12).fill(0));
      expect(bytes.slice(12, 16)).toEqual(Array(4).fill(0xff)); // padding before the union
      expect(bytes.slice(16, 28)).toEqual(Array(12).fill(0));
      expect(bytes.slice(28, 32)).toEqual(Array(4).fill(0xff));
    }
  });

  it('is EFAULT for an unwritable infop, even with no child; NULL leaves the answer alone', () => {
    const f = makeFixture();
    expect(f.call('waitid', P_ALL, 0, 0x10, WEXITED, 0)).toBe(err(E.EFAULT));
    expect(f.call('waitid', P_ALL, 0, 2n ** 64n - 22n, WEXITED, 0)).toBe(err(E.EFAULT));
    expect(f.call('waitid', P_ALL, 0, 0, WEXITED, 0)).toBe(err(E.ECHILD));
  });
});
