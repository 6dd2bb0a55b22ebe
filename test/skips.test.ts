// Skips for missing tools name their reason, and the reporter counts them: CI
// (ZEROSYS_REQUIRE_COMPARISONS=1) fails on any.

import { describe, expect, it } from 'vitest';
import { missingTools, skipTitle } from './skips.ts';
import { summarizeSkips } from './skip-reporter.ts';

describe('skip names', () => {
  it('collects the reasons of missing tools, and puts them in the name', () => {
    expect(missingTools({ ok: true, version: 'x' }, '', undefined)).toBe('');
    const reason = missingTools({ ok: false, reason: 'qemu-riscv64 not found on PATH' }, { ok: true, version: 'gcc' }, 'as not found', 'as not found');
    expect(reason).toBe('qemu-riscv64 not found on PATH; as not found');
    expect(skipTitle('corpus differential', reason)).toBe('corpus differential [SKIPPED: qemu-riscv64 not found on PATH; as not found]');
    expect(skipTitle('corpus differential', '')).toBe('corpus differential');
  });
});

describe('skip reporter', () => {
  const tests = [
    { fullName: 'corpus differential [SKIPPED: qemu-riscv64 not found] > hello', file: 'test/e2e/corpus.test.ts' },
    { fullName: 'corpus differential [SKIPPED: qemu-riscv64 not found] > exit42', file: 'test/e2e/corpus.test.ts' },
    { fullName: 'decoder vs GNU as [SKIPPED: riscv64-linux-gnu-as not installed] > add', file: 'emulator/decode/decoder.test.ts' },
    { fullName: 'reports what it found', file: 'kernel/fuzz.test.ts' },
  ];

  it('counts skipped comparisons by reason and names skips without one', () => {
    const s = summarizeSkips(tests, false);
    expect(s.skipped).toBe(3);
    expect(s.fail).toBe(false);
    expect(s.lines[0]).toBe('zerosys: 3 differential comparison(s) skipped because a tool is missing:');
    expect(s.lines).toContain('  2 × qemu-riscv64 not found (e.g. corpus differential [SKIPPED: qemu-riscv64 not found] > hello)');
    expect(s.lines).toContain('zerosys: 1 test(s) skipped without a reason in their names:');
    expect(s.lines).toContain('  kernel/fuzz.test.ts: reports what it found');
  });

  it('fails the run under ZEROSYS_REQUIRE_COMPARISONS only when a comparison was skipped', () => {
    expect(summarizeSkips(tests, true).fail).toBe(true);
    const none = summarizeSkips(tests.slice(3), true);
    expect(none).toMatchObject({ skipped: 0, fail: false });
    expect(none.lines[0]).toBe('zerosys: 0 differential comparison(s) skipped because a tool is missing');
  });
});
