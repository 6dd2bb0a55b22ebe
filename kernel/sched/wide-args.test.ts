// set_robust_list / get_robust_list / set_tid_address / clone with arguments a JavaScript
// number cannot hold (at and above 2^53, near 2^64). Linux 6.1 keeps these pointers as they
// are and reports them back exactly; sizes are size_t compared exactly.

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { LAYOUT, err, makeFixture } from '../test-support.ts';
import { GLIBC_THREAD_FLAGS, STACK_TOP, makeThreadsFixture } from './test-threads.ts';

const D = LAYOUT.data;
const ODD53 = 2n ** 53n + 1n;
const u64s = (f: ReturnType<typeof makeFixture>, at: number, n: number) => [...new BigUint64Array(f.mem.read(at, 8 * n).buffer)];

describe('robust list head and clear_child_tid are kept with all 64 bits', () => {
  it('get_robust_list reports the head set_robust_list was given (kernel/futex/syscalls.c)', () => {
    // set_robust_list: `current->robust_list = head;` (no check of the pointer);
    // get_robust_list: put_user(sizeof(*head), len_ptr), then put_user(head, head_ptr).
    const f = makeFixture();
    expect(f.call('set_robust_list', ODD53, 24)).toBe(0n);
    expect(f.call('get_robust_list', 0, D, D + 8)).toBe(0n);
    expect(u64s(f, D, 2)).toEqual([ODD53, 24n]);
    expect(f.call('set_robust_list', 2n ** 64n - 24n, 24)).toBe(0n);
    expect(f.call('get_robust_list', 0, D, D + 8)).toBe(0n);
    expect(u64s(f, D, 1)).toEqual([2n ** 64n - 24n]);
    // The two destinations are user pointers: EFAULT past user space (len_ptr is written first).
    expect(f.call('get_robust_list', 0, D, 2n ** 64n - 8n)).toBe(err(E.EFAULT));
    expect(f.call('get_robust_list', 0, ODD53, D + 8)).toBe(err(E.EFAULT));
  });

  it('set_robust_list: len is a size_t compared exactly with 24 (`if (unlikely(len != sizeof(*head))) return -EINVAL;`)', () => {
    const f = makeFixture();
    expect(f.call('set_robust_list', D, 2n ** 32n + 24n)).toBe(err(E.EINVAL)); // not its low 32 bits
    expect(f.call('set_robust_list', D, 2n ** 53n + 24n)).toBe(err(E.EINVAL));
    expect(f.call('set_robust_list', D, 2n ** 64n - 24n)).toBe(err(E.EINVAL));
    expect(f.call('set_robust_list', D, 24)).toBe(0n);
  });

  it('clone(CLONE_CHILD_CLEARTID) keeps child_tidptr exactly (kernel/fork.c copy_process)', () => {
    // `p->clear_child_tid = (clone_flags & CLONE_CHILD_CLEARTID) ? args->child_tid : NULL;`
    const f = makeThreadsFixture();
    f.sys('clone', [GLIBC_THREAD_FLAGS, STACK_TOP - 0x100000, D + 0x40, 0x7777, ODD53]);
    expect(f.a0()).toBe(1001n);
    expect(f.kernel.state.thread.find(1001)!.clearChildTid).toBe(ODD53);
  });

  it('a thread exits cleanly with far clear_child_tid and robust-list pointers (faults are ignored)', () => {
    // kernel/fork.c mm_release(): put_user(0, tsk->clear_child_tid) — its failure is ignored;
    // kernel/futex/core.c exit_robust_list(): a fault fetching the head ends the walk silently.
    const f = makeThreadsFixture();
    f.sys('clone', [GLIBC_THREAD_FLAGS, STACK_TOP - 0x100000, D + 0x40, 0x7777, 2n ** 64n - 4n]);
    f.sys('sched_yield', [], 0x1000);
    expect(f.tid()).toBe(1001);
    f.sys('set_robust_list', [ODD53, 24]);
    expect(f.a0()).toBe(0n);
    f.sys('exit', [0]);
    expect(f.tid()).toBe(1000);
    expect(f.kernel.state.thread.find(1001)).toBeUndefined();
  });
});
