// prctl arguments a JavaScript number cannot hold: unsigned long values at and above 2^53
// and near 2^64. Linux reads each as declared (SYSCALL_DEFINE5(prctl, int, option,
// unsigned long, arg2, ..., arg5), kernel/sys.c): pointers kept and reported back with all
// 64 bits, "must be zero" checks on the exact value. Expected answers: Linux 6.1, cited per case.

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { LAYOUT, err, makeFixture } from '../test-support.ts';
import { PR_SET_VMA } from '../abi.ts';
import { PR } from './prctl.ts';

const D = LAYOUT.data;
const P = 0x1000;
const ODD53 = 2n ** 53n + 1n;
const u64 = (f: ReturnType<typeof makeFixture>, at: number) => new DataView(f.mem.read(at, 8).buffer).getBigUint64(0, true);

describe('prctl with 64-bit arguments', () => {
  it('PR_GET_TID_ADDRESS reports the set_tid_address pointer with all 64 bits (kernel/sys.c prctl_get_tid_address)', () => {
    // kernel/fork.c set_tid_address stores `int __user *tidptr` unchecked; prctl_get_tid_address()
    // is put_user(me->clear_child_tid, tid_addr): 2^53 + 1 comes back as 2^53 + 1, not 2^53.
    const f = makeFixture();
    expect(f.call('set_tid_address', ODD53)).toBe(1000n);
    expect(f.call('prctl', PR.GET_TID_ADDRESS, D)).toBe(0n);
    expect(u64(f, D)).toBe(ODD53);
    f.call('set_tid_address', 2n ** 64n - 3n);
    expect(f.call('prctl', PR.GET_TID_ADDRESS, D)).toBe(0n);
    expect(u64(f, D)).toBe(2n ** 64n - 3n);
    // arg2 is the destination: a pointer past user space is EFAULT (put_user).
    expect(f.call('prctl', PR.GET_TID_ADDRESS, 2n ** 64n - 8n)).toBe(err(E.EFAULT));
  });

  it('PR_SET_PTRACER: any arg2 whose low 32 bits are -1 means "any" (security/yama/yama_lsm.c)', () => {
    // yama_task_prctl(): `arg2 == PR_SET_PTRACER_ANY || (int)arg2 == -1` -> yama_ptracer_add(NULL) = 0;
    // otherwise find_get_task_by_vpid((pid_t)arg2), EINVAL when there is no such task (pid 0 is none).
    const f = makeFixture();
    expect(f.call('prctl', PR.SET_PTRACER, 0xffffffff)).toBe(0n);
    expect(f.call('prctl', PR.SET_PTRACER, ODD53 + 0xfffffffen)).toBe(0n); // low 32 bits 0xffffffff
    expect(f.call('prctl', PR.SET_PTRACER, -1n)).toBe(0n); // PR_SET_PTRACER_ANY
    expect(f.call('prctl', PR.SET_PTRACER, 2n ** 32n)).toBe(err(E.EINVAL)); // (pid_t)arg2 == 0
    expect(f.call('prctl', PR.SET_PTRACER, 2n ** 32n + 1000n)).toBe(0n); // (pid_t)arg2 == 1000, ourselves
  });

  it('an unused argument of 2^53 + 1 is not zero: EINVAL (kernel/sys.c)', () => {
    const f = makeFixture();
    // PR_GET_NO_NEW_PRIVS: `if (arg2 || arg3 || arg4 || arg5) return -EINVAL;`
    expect(f.call('prctl', PR.GET_NO_NEW_PRIVS, 0, ODD53)).toBe(err(E.EINVAL));
    expect(f.call('prctl', PR.GET_NO_NEW_PRIVS, 0, 0, 0, 2n ** 63n)).toBe(err(E.EINVAL));
    expect(f.call('prctl', PR.GET_NO_NEW_PRIVS)).toBe(0n);
    // PR_SET_NO_NEW_PRIVS: `if (arg2 != 1 || arg3 || arg4 || arg5)`: 2^64 - 1 and 2^53 + 1 are not 1.
    expect(f.call('prctl', PR.SET_NO_NEW_PRIVS, 2n ** 64n - 1n)).toBe(err(E.EINVAL));
    expect(f.call('prctl', PR.SET_NO_NEW_PRIVS, 1, 0, ODD53)).toBe(err(E.EINVAL));
    // PR_SET_PDEATHSIG: valid_signal(arg2) on the unsigned long (2^64 - 1 > _NSIG).
    expect(f.call('prctl', PR.SET_PDEATHSIG, 2n ** 64n - 1n)).toBe(err(E.EINVAL));
    // PR_MCE_KILL_GET: `if (arg2 | arg3 | arg4 | arg5) return -EINVAL;`
    expect(f.call('prctl', PR.MCE_KILL_GET, 0, 0, 0, ODD53)).toBe(err(E.EINVAL));
  });

  it('PR_SET_VMA: an address of 2^53 + 1 is unaligned, EINVAL before any lookup (mm/madvise.c madvise_set_anon_name)', () => {
    // `if (start & ~PAGE_MASK) return -EINVAL;` — rounded to a double, 2^53 + 1 looks aligned
    // and would reach the VMA walk (ENOMEM).
    const f = makeFixture();
    expect(f.call('prctl', PR_SET_VMA, 0, ODD53, P, 0)).toBe(err(E.EINVAL));
    expect(f.call('prctl', PR_SET_VMA, 0, 2n ** 64n - 22n, P, 0)).toBe(err(E.EINVAL));
    // Aligned: `end = start + len; if (end < start) return -EINVAL;` for a range wrapping 2^64,
    // and the walk finds no VMA (ENOMEM) for one far above user space.
    expect(f.call('prctl', PR_SET_VMA, 0, 2n ** 64n - 4096n, P, 0)).toBe(err(E.EINVAL));
    expect(f.call('prctl', PR_SET_VMA, 0, 2n ** 53n + 4096n, P, 0)).toBe(err(E.ENOMEM));
    // A size within a page of 2^64 rounds up to 0: `if (len_in && !len) return -EINVAL;`
    expect(f.call('prctl', PR_SET_VMA, 0, D, 2n ** 64n - 1n, 0)).toBe(err(E.EINVAL));
    // A range from a mapping up past the top of user space ends in a hole: ENOMEM.
    expect(f.call('prctl', PR_SET_VMA, 0, LAYOUT.stackLow, 2n ** 52n, 0)).toBe(err(E.ENOMEM));
  });
});
