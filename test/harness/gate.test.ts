// The regression gate bites: with close(2)'s handler deliberately broken in memory (a wrong
// errno for a bad descriptor), `conformance --gate` fails and names the spec cases that
// passed in the baseline. Everything runs in this process (in-process zerosys), so the patched
// kernel table is the one the guest sees.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toolchainStatus } from '../../harness/corpus.ts';
import { qemuStatus } from '../../harness/qemu.ts';
import { runConformance } from '../../harness/conformance/command.ts';
import { SYSCALL_TABLE } from '../../kernel/table.ts';
import { E } from '../../kernel/errno.ts';

const reason = [toolchainStatus(['c']), qemuStatus()].flatMap((s) => (s.ok ? [] : [s.reason])).join('; ');
if (reason) console.warn(`[harness] gate test SKIPPED: ${reason}`);

describe.skipIf(reason !== '')(`conformance --gate${reason ? ` [SKIPPED: ${reason}]` : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'zerosys-gate-'));
  const baseline = join(dir, 'baseline.json');
  const common = { only: 'spec', filter: '^spec/close/', silent: true, inProcess: true, baseline };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes against a baseline taken from the same kernel', async () => {
    const first = await runConformance({ ...common, out: join(dir, 'r1'), updateBaseline: true });
    const passing = first.report.cases.filter((c) => c.outcome === 'pass').map((c) => c.id);
    expect(passing).toContain('spec/close/bad-fd');
    expect(JSON.parse(readFileSync(baseline, 'utf8')).passing).toEqual(passing.sort());
    const again = await runConformance({ ...common, out: join(dir, 'r2'), gate: true });
    expect(again.exitCode).toBe(0);
    expect(again.gateText).toContain('gate: OK');
  }, 120_000);

  it('fails naming each case when close() answers the wrong errno', async () => {
    const row = SYSCALL_TABLE.find((r) => r.name === 'close')!;
    const original = row.handler!;
    // The deliberate bug: EBADF becomes ENOENT.
    (row as { handler: typeof original }).handler = (k) => {
      const ret = original(k);
      return ret === -E.EBADF ? -E.ENOENT : ret;
    };
    try {
      const broken = await runConformance({ ...common, out: join(dir, 'r3'), gate: true });
      expect(broken.exitCode).toBe(1);
      expect(broken.gateText).toContain('gate: FAILED');
      for (const id of ['spec/close/bad-fd', 'spec/close/negative-fd', 'spec/close/twice']) {
        expect(broken.gateText).toContain(`REGRESSION ${id}: fail:`);
      }
      const badFd = broken.report.cases.find((c) => c.id === 'spec/close/bad-fd')!;
      expect(badFd.summary).toContain('the call (close): qemu -1 EBADF, zerosys -1 ENOENT');
      // The JUnit report names it too.
      expect(readFileSync(join(dir, 'r3', 'junit.xml'), 'utf8')).toMatch(/name="spec\/close\/bad-fd"[^>]*>\s*<failure type="fail"/);
    } finally {
      (row as { handler: typeof original }).handler = original;
    }
  }, 120_000);
});
