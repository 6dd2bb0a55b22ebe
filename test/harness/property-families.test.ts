// Property generators steer clear of documented qemu deviations and of placement-dependent
// memory: the pick rules of resolveSteps.

import { describe, expect, it } from 'vitest';
import { resolveSteps, type RawStep } from '../../harness/conformance/properties/families.ts';

const int = (v: number) => ({ kind: 'int' as const, value: BigInt(v) });
const mmap = (len: number, sure: boolean): RawStep => ({ name: 'mmap', args: [int(0), int(len), int(3), int(0x22), int(-1), int(0)], sure });
const pick = (add: number, touch: number) => ({ kind: 'pick' as const, of: ['mmap'], pick: 0, add: BigInt(add), fallback: 0n, sure: true, touch: BigInt(touch) });

describe('resolveSteps', () => {
  it('picks only mmaps known to succeed with at least MIN_PAGES (a failed one is a -errno, a short one ends early)', () => {
    const steps = resolveSteps([mmap(1, false), mmap(16384, true), { name: 'write', args: [int(1), pick(4096, 8), int(8)] }]);
    expect(steps[2].args[1]).toEqual({ kind: 'ref', id: 's1', add: 4096n });
  });

  it('passes over a mapping an earlier munmap or mremap opened a hole in, where the probe reaches', () => {
    const steps = resolveSteps([
      mmap(16384, true),
      mmap(16384, true),
      { name: 'munmap', args: [pick(0, 4096), int(4096)], frees: { arg: 0, from: 0n, len: 4096n } },
      { name: 'write', args: [int(1), pick(0, 8), int(8)] }, // s0's first page is gone: s1
      { name: 'write', args: [int(1), pick(8192, 8), int(8)] }, // s0's third page is still there
    ]);
    expect(steps[2].args[0]).toEqual({ kind: 'ref', id: 's0', add: 0n });
    expect(steps[3].args[1]).toEqual({ kind: 'ref', id: 's1', add: 0n });
    expect(steps[4].args[1]).toEqual({ kind: 'ref', id: 's0', add: 8192n });
  });

  it('falls back to the literal when no candidate is left', () => {
    const steps = resolveSteps([{ name: 'write', args: [int(1), pick(0, 8), int(8)] }]);
    expect(steps[0].args[1]).toEqual(int(0));
  });
});
