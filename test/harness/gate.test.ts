// The regression gate. On hand-made case results: a regression, a case gone, a case not
// compared (no comparison, no pass) each fail it; --allow-skips lets only the last through;
// failures outside the baseline are listed as known failing; --update-baseline refuses to
// drop a passing case without --allow-shrink. End to end: `--gate --recorded` with nothing
// recorded fails (no qemu needed); with qemu, close(2)'s handler deliberately broken in
// memory (a wrong errno for a bad descriptor) makes `conformance --gate` fail naming the spec
// cases that passed in the baseline, and `--update-baseline` refuse to drop them. Everything
// runs in this process (in-process zerosys), so the patched kernel table is the one the
// guest sees.

import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toolchainStatus } from '../../harness/corpus.ts';
import { qemuStatus } from '../../harness/qemu.ts';
import { acceptRun, gate, NAMED, renderAcceptance, renderGate, updatedBaseline, type Baseline } from '../../harness/conformance/baseline.ts';
import { runConformance } from '../../harness/conformance/command.ts';
import { failedCases, renderFailOnDiff } from '../../harness/conformance/fail-on-diff.ts';
import { corpusUnrecorded } from '../../harness/conformance/corpus-cases.ts';
import type { CaseResult } from '../../harness/conformance/schema.ts';
import { SYSCALL_TABLE } from '../../kernel/table.ts';
import { E } from '../../kernel/errno.ts';
import { missingTools, skipTitle } from '../skips.ts';

function result(id: string, outcome: CaseResult['outcome'], extra: Partial<CaseResult> = {}): CaseResult {
  const kind = id.split('/')[0] as CaseResult['kind'];
  const reference = outcome === 'skipped' ? 'missing' : 'live';
  return { id, kind, outcome, reference, summary: outcome === 'skipped' ? 'no reference: qemu-riscv64 is absent' : `${outcome}: why`, checks: {}, ...extra };
}

const baseline = (...passing: string[]): Baseline => ({ schema: 'zerosys-conformance-baseline', version: 1, updatedAt: '', passing: passing.sort() });

describe('gate', () => {
  const base = baseline('corpus/hello', 'spec/close/twice', 'spec/gone/case');
  const cases = [
    result('corpus/hello', 'pass'),
    result('spec/close/bad-fd', 'pass'),
    result('spec/close/twice', 'fail'),
    result('spec/openat/missing', 'unsupported'),
    result('property/files/random', 'pass'),
  ];

  it('fails on a case that passed in the baseline and fails now, naming it', () => {
    const g = gate(base, cases);
    expect(g.ok).toBe(false);
    expect(g.regressions.map((c) => c.id)).toEqual(['spec/close/twice']);
    expect(g.improvements).toEqual(['spec/close/bad-fd', 'property/files/random']);
    expect(renderGate(g)).toContain('REGRESSION spec/close/twice: fail: fail: why');
  });

  it('fails when a baseline case was not compared: no comparison, no pass', () => {
    const g = gate(base, [result('corpus/hello', 'skipped'), result('spec/close/twice', 'pass')]);
    expect(g.ok).toBe(false);
    expect(g.notCompared.map((c) => c.id)).toEqual(['corpus/hello']);
    const text = renderGate(g);
    expect(text).toContain('gate: FAILED');
    expect(text).toContain('NOT COMPARED corpus/hello: no reference: qemu-riscv64 is absent');
    expect(text).toContain('--allow-skips lets them through');
  });

  it('a pass without any reference is not a comparison', () => {
    const g = gate(base, [result('corpus/hello', 'pass', { reference: 'missing' }), result('spec/close/twice', 'pass', { reference: 'recorded' })]);
    expect(g.ok).toBe(false);
    expect(g.notCompared.map((c) => c.id)).toEqual(['corpus/hello']);
  });

  it('names the first cases not compared, then counts the rest', () => {
    const ids = Array.from({ length: NAMED + 5 }, (_, i) => `spec/x/case-${String(i).padStart(2, '0')}`);
    const text = renderGate(gate(baseline(...ids), ids.map((id) => result(id, 'skipped'))));
    expect(text).toContain(`gate: ${NAMED + 5} baseline case(s) were not compared`);
    expect(text).toContain(`NOT COMPARED spec/x/case-${NAMED - 1}:`);
    expect(text).not.toContain(`NOT COMPARED spec/x/case-${NAMED}:`);
    expect(text).toContain('… and 5 more');
  });

  it('--allow-skips lets cases not compared through, and says so', () => {
    const run = [result('corpus/hello', 'skipped'), result('spec/close/twice', 'pass')];
    const g = gate(base, run, { allowSkips: true });
    expect(g.ok).toBe(true);
    expect(g.allowSkips).toBe(true);
    const text = renderGate(g);
    expect(text).toContain('gate: OK');
    expect(text).toContain('except those not compared, let through by --allow-skips');
    expect(text).toContain('passed only because of --allow-skips');
    expect(text).toContain('NOT COMPARED corpus/hello');
    // It does not excuse a regression.
    expect(gate(base, [result('corpus/hello', 'skipped'), result('spec/close/twice', 'fail')], { allowSkips: true }).ok).toBe(false);
  });

  it('lists failures outside the baseline as known failing, without failing', () => {
    const run = [result('corpus/hello', 'pass'), result('spec/close/twice', 'pass'), result('spec/openat/missing', 'unsupported'), result('spec/x/y', 'skipped'), result('property/files/random', 'error')];
    const g = gate(base, run);
    expect(g.ok).toBe(true);
    expect(g.knownFailing.map((c) => c.id)).toEqual(['spec/openat/missing', 'property/files/random']);
    const text = renderGate(g);
    expect(text).toContain('gate: 2 case(s) outside the baseline fail');
    expect(text).toContain('  known failing: spec/openat/missing: unsupported: why');
    expect(text).toContain('  known failing: property/files/random: error: why');
    expect(text).not.toContain('spec/x/y');
  });

  it('without the toolchain, a corpus program with nothing recorded is not compared, not gone', () => {
    const wanted = (id: string) => id === 'corpus/hello' || id === 'corpus/exit42';
    const unrecorded = corpusUnrecorded({ quick: false }, wanted, new Set(['corpus/exit42']), 'riscv64-linux-gnu-gcc not found');
    expect(unrecorded).toEqual([expect.objectContaining({ id: 'corpus/hello', outcome: 'skipped', summary: 'not built: riscv64-linux-gnu-gcc not found; no recorded reference' })]);
    const g = gate(baseline('corpus/hello'), unrecorded, { scope: wanted });
    expect(g.missing).toEqual([]);
    expect(g.notCompared.map((c) => c.id)).toEqual(['corpus/hello']);
  });

  it('a baseline case inside the scope that no longer exists fails the gate as MISSING', () => {
    const run = [result('corpus/hello', 'pass'), result('spec/close/twice', 'pass')];
    const everySpec = (id: string) => id.startsWith('spec/') || id.startsWith('corpus/');
    const g = gate(base, run, { scope: everySpec });
    expect(g.ok).toBe(false);
    expect(g.missing).toEqual(['spec/gone/case']);
    expect(renderGate(g)).toContain('MISSING spec/gone/case');
    // Not excused by --allow-skips: the case was not skipped, it is gone.
    expect(gate(base, run, { scope: everySpec, allowSkips: true }).ok).toBe(false);
    // Outside the scope (e.g. --only corpus) the same absence is not judged.
    expect(gate(base, run, { scope: (id) => id.startsWith('corpus/') }).ok).toBe(true);
  });

  it('update keeps entries of cases that were not compared and replaces the rest', () => {
    const next = updatedBaseline(base, [...cases, result('spec/never/compared', 'pass', { reference: 'missing' })], new Date(0));
    expect(next.passing).toEqual(['corpus/hello', 'property/files/random', 'spec/close/bad-fd', 'spec/gone/case']);
  });

  it('update drops a case in scope that no longer exists, and keeps one outside the scope', () => {
    const run = [result('corpus/hello', 'pass'), result('spec/close/twice', 'pass')];
    expect(updatedBaseline(base, run, new Date(0), (id) => id.startsWith('spec/')).passing).toEqual(['corpus/hello', 'spec/close/twice']);
    expect(updatedBaseline(base, run, new Date(0), (id) => id.startsWith('corpus/')).passing).toEqual(['corpus/hello', 'spec/close/twice', 'spec/gone/case']);
  });

  it('update refuses to shrink the baseline without --allow-shrink, naming what it would drop', () => {
    const refused = acceptRun(base, cases, { scope: () => true, now: new Date(0) });
    expect(refused.refused).toBe(true);
    expect(refused.dropped).toEqual(['spec/close/twice', 'spec/gone/case']);
    const text = renderAcceptance(refused);
    expect(text).toContain('baseline: NOT updated — 2 case(s) that pass in the baseline would be dropped');
    expect(text).toContain('--update-baseline --allow-shrink');
    expect(text).toContain('DROPPED spec/close/twice');
    expect(text).toContain('DROPPED spec/gone/case');
    const allowed = acceptRun(base, cases, { scope: () => true, allowShrink: true, now: new Date(0) });
    expect(allowed.refused).toBe(false);
    expect(allowed.baseline.passing).toEqual(['corpus/hello', 'property/files/random', 'spec/close/bad-fd']);
    expect(renderAcceptance(allowed)).toContain('--allow-shrink: dropped 2 case(s)');
  });

  it('update that only grows, or skips cases, is accepted as is', () => {
    const grows = acceptRun(base, [result('corpus/hello', 'skipped'), result('spec/close/twice', 'pass'), result('spec/gone/case', 'pass'), result('spec/new/one', 'pass')]);
    expect(grows.refused).toBe(false);
    expect(grows.dropped).toEqual([]);
    expect(grows.baseline.passing).toEqual(['corpus/hello', 'spec/close/twice', 'spec/gone/case', 'spec/new/one']);
    expect(renderAcceptance(grows)).toBe('');
  });
});

describe('--fail-on-diff', () => {
  it('fails on every case run that did not pass, not on cases not compared', () => {
    const run = [result('corpus/hello', 'pass'), result('spec/close/twice', 'fail'), result('spec/x/u', 'unsupported'), result('property/files/e', 'error'), result('spec/x/s', 'skipped')];
    expect(failedCases(run).map((c) => c.id)).toEqual(['spec/close/twice', 'spec/x/u', 'property/files/e']);
    const text = renderFailOnDiff(failedCases(run));
    expect(text).toContain('fail-on-diff: FAILED — 3 case(s)');
    expect(text).toContain('  FAIL spec/close/twice: fail: why');
    expect(text).toContain('  UNSUPPORTED spec/x/u: unsupported: why');
    expect(text).not.toContain('spec/x/s');
    expect(renderFailOnDiff(failedCases([result('corpus/hello', 'pass'), result('spec/x/s', 'skipped')]))).toBe('fail-on-diff: OK — every case compared passes');
  });
});

// `--gate --recorded` with nothing recorded: every case is skipped, so the gate fails. Needs
// neither qemu nor the toolchain (without it the spec driver is missing: skipped as well).
describe('conformance --gate --recorded without recorded references', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zerosys-gate-recorded-'));
  const common = { only: 'spec', filter: '^spec/close/', silent: true, inProcess: true, recorded: true, references: join(dir, 'refs'), baseline: join(dir, 'baseline.json') };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails naming the cases not compared; --allow-skips passes and the report says so', async () => {
    const probe = await runConformance({ ...common, out: join(dir, 'r0') });
    const ids = probe.report.cases.map((c) => c.id);
    expect(ids).toContain('spec/close/bad-fd');
    expect(probe.report.cases.every((c) => c.outcome === 'skipped')).toBe(true);
    // Which --on-unsupported mode zerosys ran with: always fail-fast in conformance.
    expect(probe.report.options.onUnsupported).toBe('fail');
    expect(readFileSync(join(dir, 'r0', 'summary.md'), 'utf8')).toContain('Unsupported syscalls: --on-unsupported fail');
    expect(readFileSync(join(dir, 'r0', 'index.html'), 'utf8')).toContain('Unsupported syscalls: --on-unsupported fail');
    writeFileSync(common.baseline, JSON.stringify(baseline(...ids)));

    const gated = await runConformance({ ...common, out: join(dir, 'r1'), gate: true });
    expect(gated.exitCode).toBe(1);
    expect(gated.gateText).toContain('gate: FAILED');
    expect(gated.gateText).toContain(`gate: ${ids.length} baseline case(s) were not compared`);
    expect(gated.gateText).toContain('NOT COMPARED spec/close/bad-fd:');
    expect(gated.report.gate).toMatchObject({ ok: false, allowSkips: false, notCompared: ids.length });

    // --fail-on-diff counts only cases compared: none failed.
    const noDiff = await runConformance({ ...common, out: join(dir, 'r1d'), failOnDiff: true });
    expect(noDiff.exitCode).toBe(0);

    const allowed = await runConformance({ ...common, out: join(dir, 'r2'), gate: true, allowSkips: true });
    expect(allowed.exitCode).toBe(0);
    expect(allowed.gateText).toContain('gate: OK');
    const json = JSON.parse(readFileSync(join(dir, 'r2', 'report.json'), 'utf8'));
    expect(json.options.allowSkips).toBe(true);
    expect(json.gate).toMatchObject({ ok: true, allowSkips: true, notCompared: ids.length });
    expect(readFileSync(join(dir, 'r2', 'summary.md'), 'utf8')).toContain(`--allow-skips was used: baseline cases that were not compared (${ids.length} in this run)`);
    expect(readFileSync(join(dir, 'r2', 'index.html'), 'utf8')).toContain('--allow-skips was used');
    // The report of a run without it says nothing of the kind.
    expect(readFileSync(join(dir, 'r1', 'summary.md'), 'utf8')).not.toContain('--allow-skips was used');
  }, 120_000);

  it('a --filter that matches no case of the selected kinds is an error, naming the filter', async () => {
    await expect(runConformance({ ...common, filter: '^spec/no-such-syscall/', out: join(dir, 'r4') })).rejects.toThrow('--filter ^spec/no-such-syscall/ matches no spec case');
    // It matches corpus cases, but only specs were asked for.
    await expect(runConformance({ ...common, filter: '^corpus/hello$', out: join(dir, 'r4') })).rejects.toThrow('--filter ^corpus/hello$ matches no spec case');
    // A shard that holds none of the matching cases is not an error: the filter matched.
    const shards = await Promise.all(['1/2', '2/2'].map((shard, i) => runConformance({ ...common, filter: '^spec/close/bad-fd$', shard, out: join(dir, `r5-${i}`) })));
    expect(shards.map((s) => s.report.cases.length).sort()).toEqual([0, 1]);
  });

  it('--allow-skips and --allow-shrink only go with --gate and --update-baseline', async () => {
    await expect(runConformance({ ...common, out: join(dir, 'r3'), allowSkips: true })).rejects.toThrow('--allow-skips only applies to --gate');
    await expect(runConformance({ ...common, out: join(dir, 'r3'), allowShrink: true })).rejects.toThrow('--allow-shrink only applies to --update-baseline');
  });
});

const reason = missingTools(toolchainStatus(['c']), qemuStatus());

describe.skipIf(reason !== '')(skipTitle('conformance --gate', reason), () => {
  const dir = mkdtempSync(join(tmpdir(), 'zerosys-gate-'));
  const baselinePath = join(dir, 'baseline.json');
  const common = { only: 'spec', filter: '^spec/close/', silent: true, inProcess: true, baseline: baselinePath };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes against a baseline taken from the same kernel', async () => {
    const first = await runConformance({ ...common, out: join(dir, 'r1'), updateBaseline: true });
    const passing = first.report.cases.filter((c) => c.outcome === 'pass').map((c) => c.id);
    expect(passing).toContain('spec/close/bad-fd');
    expect(JSON.parse(readFileSync(baselinePath, 'utf8')).passing).toEqual(passing.sort());
    const again = await runConformance({ ...common, out: join(dir, 'r2'), gate: true });
    expect(again.exitCode).toBe(0);
    expect(again.gateText).toContain('gate: OK');
    expect(again.gateText).not.toContain('NOT COMPARED');
  }, 120_000);

  it('fails naming each case when close() answers the wrong errno, and the baseline cannot shrink silently', async () => {
    const row = SYSCALL_TABLE.find((r) => r.name === 'close')!;
    const original = row.handler!;
    // The deliberate bug: EBADF becomes ENOENT.
    (row as { handler: typeof original }).handler = (k) => {
      const ret = original(k);
      return ret === -E.EBADF ? -E.ENOENT : ret;
    };
    const broken = ['spec/close/bad-fd', 'spec/close/negative-fd', 'spec/close/twice'];
    try {
      const gated = await runConformance({ ...common, out: join(dir, 'r3'), gate: true });
      expect(gated.exitCode).toBe(1);
      expect(gated.gateText).toContain('gate: FAILED');
      for (const id of broken) expect(gated.gateText).toContain(`REGRESSION ${id}: fail:`);
      const badFd = gated.report.cases.find((c) => c.id === 'spec/close/bad-fd')!;
      expect(badFd.summary).toContain('the call (close): qemu -1 EBADF, zerosys -1 ENOENT');
      // The JUnit report names it too.
      expect(readFileSync(join(dir, 'r3', 'junit.xml'), 'utf8')).toMatch(/name="spec\/close\/bad-fd"[^>]*>\s*<failure type="fail"/);

      // Without --gate the run exits 0 however many cases fail; --fail-on-diff exits 1.
      expect((await runConformance({ ...common, out: join(dir, 'r6') })).exitCode).toBe(0);
      const diffed = await runConformance({ ...common, out: join(dir, 'r7'), failOnDiff: true });
      expect(diffed.exitCode).toBe(1);
      for (const id of broken) expect(diffed.diffText).toContain(`FAIL ${id}: the call (close): qemu -1 EBADF, zerosys -1 ENOENT`);

      // Accepting the broken state would drop them: refused, the file left as it was.
      const before = readFileSync(baselinePath, 'utf8');
      const refused = await runConformance({ ...common, out: join(dir, 'r4'), updateBaseline: true });
      expect(refused.exitCode).toBe(1);
      expect(refused.baselineText).toContain('baseline: NOT updated');
      for (const id of broken) expect(refused.baselineText).toContain(`DROPPED ${id}`);
      expect(readFileSync(baselinePath, 'utf8')).toBe(before);
      // With --allow-shrink it is written (to a copy: the baseline above stays whole).
      const copy = join(dir, 'shrunk.json');
      copyFileSync(baselinePath, copy);
      const shrunk = await runConformance({ ...common, out: join(dir, 'r5'), updateBaseline: true, allowShrink: true, baseline: copy });
      expect(shrunk.exitCode).toBe(0);
      const left = JSON.parse(readFileSync(copy, 'utf8')).passing as string[];
      for (const id of broken) expect(left).not.toContain(id);
    } finally {
      (row as { handler: typeof original }).handler = original;
    }
  }, 240_000);
});
