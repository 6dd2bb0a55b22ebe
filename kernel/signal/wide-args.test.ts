// Signal syscalls with size_t and pointer arguments a JavaScript number cannot hold or that a
// 32-bit read would truncate. Linux 6.1 kernel/signal.c compares sigsetsize (size_t) exactly
// with sizeof(sigset_t) = 8 before touching memory, then copies from/to the user pointers.

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { LAYOUT, err, makeFixture } from '../test-support.ts';
import { SIG_BLOCK } from '../abi.ts';

const D = LAYOUT.data;

describe('sigsetsize is a size_t', () => {
  it('rt_sigprocmask: EINVAL for any size but exactly 8 (`if (sigsetsize != sizeof(sigset_t))`)', () => {
    const f = makeFixture();
    for (const size of [2n ** 32n + 8n, 2n ** 53n + 8n, 2n ** 64n - 8n, 2n ** 64n - 1n]) {
      expect(f.call('rt_sigprocmask', SIG_BLOCK, D, D + 0x100, size)).toBe(err(E.EINVAL));
    }
    expect(f.call('rt_sigprocmask', SIG_BLOCK, D, D + 0x100, 8)).toBe(0n);
    // The size check comes first; then copy_from_user(nset) faults past user space: EFAULT.
    expect(f.call('rt_sigprocmask', SIG_BLOCK, 2n ** 53n + 1n, 0, 8)).toBe(err(E.EFAULT));
    expect(f.call('rt_sigprocmask', SIG_BLOCK, 2n ** 64n - 8n, 0, 2n ** 32n + 8n)).toBe(err(E.EINVAL));
  });

  it('rt_sigaction / rt_sigsuspend / rt_sigtimedwait: EINVAL unless exactly 8, before reading anything', () => {
    const f = makeFixture();
    expect(f.call('rt_sigaction', 10, 2n ** 64n - 8n, 0, 2n ** 32n + 8n)).toBe(err(E.EINVAL));
    expect(f.call('rt_sigaction', 10, 0, D, 2n ** 53n + 8n)).toBe(err(E.EINVAL));
    expect(f.call('rt_sigaction', 10, 0, D, 8)).toBe(0n);
    expect(f.call('rt_sigsuspend', D, 2n ** 64n - 8n)).toBe(err(E.EINVAL));
    expect(f.call('rt_sigtimedwait', D, 0, 0, 2n ** 32n + 8n)).toBe(err(E.EINVAL));
  });

  it('rt_sigpending: EINVAL when sigsetsize > 8 (`if (sigsetsize > sizeof(sigset_t))`), any width', () => {
    const f = makeFixture();
    expect(f.call('rt_sigpending', D, 2n ** 64n - 1n)).toBe(err(E.EINVAL));
    expect(f.call('rt_sigpending', D, 2n ** 32n + 4n)).toBe(err(E.EINVAL)); // not its low 32 bits
    expect(f.call('rt_sigpending', D, 4)).toBe(0n);
    expect(f.call('rt_sigpending', 2n ** 64n - 8n, 8)).toBe(err(E.EFAULT));
  });
});
