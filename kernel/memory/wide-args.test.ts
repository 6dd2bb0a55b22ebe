// 64-bit address arguments that a JavaScript number cannot hold: a -errno used as an address
// (2^64 - 22), odd values at and above 2^53. Rounded, they look page aligned; Linux checks the
// exact value, so alignment comes first (EINVAL) and only an aligned address reaches the range
// checks. Expected answers: Linux 6.1 mm/ (functions cited per case).

import { describe, expect, it } from 'vitest';
import { PROT_READ, PROT_WRITE } from '../../emulator/memory.ts';
import { E } from '../errno.ts';
import { LAYOUT, err, makeFixture } from '../test-support.ts';
import { MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_PRIVATE } from '../abi.ts';

const RW = PROT_READ | PROT_WRITE;
const P = 0x1000;
const NEG22 = 2n ** 64n - 22n;
const ODD53 = 2n ** 53n + 1n;
const TOP_PAGE = 2n ** 64n - 4096n;

describe('addresses near 2^64 and above 2^53', () => {
  it('mincore: an unaligned start is EINVAL before the range check (ENOMEM) (mm/mincore.c sys_mincore)', () => {
    const f = makeFixture();
    expect(f.call('mincore', NEG22, P, LAYOUT.data)).toBe(err(E.EINVAL));
    expect(f.call('mincore', ODD53, P, LAYOUT.data)).toBe(err(E.EINVAL));
    expect(f.call('mincore', TOP_PAGE, P, LAYOUT.data)).toBe(err(E.ENOMEM));
  });

  it('msync: an unaligned start is EINVAL, an aligned one that wraps ENOMEM (mm/msync.c)', () => {
    const f = makeFixture();
    expect(f.call('msync', NEG22, 0, 0)).toBe(err(E.EINVAL));
    expect(f.call('msync', ODD53, 0, 0)).toBe(err(E.EINVAL));
    expect(f.call('msync', NEG22, P, 0)).toBe(err(E.EINVAL));
    expect(f.call('msync', TOP_PAGE, P, 0)).toBe(err(E.ENOMEM));
  });

  it('madvise: an unaligned start is EINVAL even with length 0 (mm/madvise.c do_madvise)', () => {
    const f = makeFixture();
    expect(f.call('madvise', ODD53, 0, 0)).toBe(err(E.EINVAL));
    expect(f.call('madvise', 2n ** 63n + 8n, 0, 0)).toBe(err(E.EINVAL));
    expect(f.call('madvise', NEG22, 0, 0)).toBe(err(E.EINVAL));
    expect(f.call('madvise', 2n ** 63n, 0, 0)).toBe(0n);
  });

  it('mmap MAP_FIXED: an IS_ERR_VALUE address comes back as the result (mm/mmap.c get_unmapped_area)', () => {
    const f = makeFixture();
    const anon = MAP_PRIVATE | MAP_ANONYMOUS;
    // arch_get_unmapped_area_topdown() returns a MAP_FIXED address as it is, and
    // get_unmapped_area() returns it unchanged when IS_ERR_VALUE: -22 is EINVAL, -1 EPERM.
    expect(f.call('mmap', NEG22, P, RW, anon | MAP_FIXED, -1, 0)).toBe(err(E.EINVAL));
    expect(f.call('mmap', -1n, P, RW, anon | MAP_FIXED, -1, 0)).toBe(err(E.EPERM));
    expect(f.call('mmap', -1n, P, RW, anon | MAP_FIXED_NOREPLACE, -1, 0)).toBe(err(E.EPERM));
    // Not an error value: the range check (ENOMEM) comes before the alignment check.
    expect(f.call('mmap', TOP_PAGE, P, RW, anon | MAP_FIXED, -1, 0)).toBe(err(E.ENOMEM));
    expect(f.call('mmap', ODD53, P, RW, anon | MAP_FIXED, -1, 0)).toBe(err(E.ENOMEM));
    // A length longer than the address space is ENOMEM first.
    expect(f.call('mmap', NEG22, 2n ** 40n, RW, anon | MAP_FIXED, -1, 0)).toBe(err(E.ENOMEM));
    // A hint is only a hint: rounded down to -4096, past user space, ignored.
    expect(f.call('mmap', NEG22, P, RW, anon, -1, 0) > 0n).toBe(true);
  });

  it('munmap / mprotect / mremap: unaligned is EINVAL, aligned past user space EINVAL / ENOMEM / EFAULT', () => {
    const f = makeFixture();
    expect(f.call('munmap', NEG22, P)).toBe(err(E.EINVAL));
    expect(f.call('munmap', TOP_PAGE, P)).toBe(err(E.EINVAL));
    expect(f.call('mprotect', ODD53, P, 1)).toBe(err(E.EINVAL));
    expect(f.call('mprotect', TOP_PAGE, P, 1)).toBe(err(E.ENOMEM));
    expect(f.call('mremap', ODD53, P, P, 0)).toBe(err(E.EINVAL));
    expect(f.call('mremap', TOP_PAGE, P, P, 0)).toBe(err(E.EFAULT));
  });
});
