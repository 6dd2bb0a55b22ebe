// futex addresses a number cannot hold: get_futex_key() (Linux 6.1 kernel/futex/core.c)
// checks `address % sizeof(u32)` (EINVAL) before access_ok (EFAULT), on the exact value.

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { err, makeFixture } from '../test-support.ts';
import { FUTEX_PRIVATE_FLAG, FUTEX_WAKE } from '../abi.ts';

describe('futex with 64-bit addresses', () => {
  it('a misaligned address near 2^64 or above 2^53 is EINVAL, an aligned one past user space EFAULT', () => {
    const f = makeFixture();
    for (const op of [FUTEX_WAKE, FUTEX_WAKE | FUTEX_PRIVATE_FLAG]) {
      expect(f.call('futex', 2n ** 64n - 1n, op, 1)).toBe(err(E.EINVAL));
      expect(f.call('futex', 2n ** 64n - 22n, op, 1)).toBe(err(E.EINVAL));
      expect(f.call('futex', 2n ** 53n + 2n, op, 1)).toBe(err(E.EINVAL));
      expect(f.call('futex', 2n ** 64n - 4n, op, 1)).toBe(err(E.EFAULT));
    }
  });
});
