// Reports, shards and merging, checked on hand-made case results (the gate: gate.test.ts).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffBytes, renderBytesDiff } from '../../harness/conformance/bytes-diff.ts';
import { mergeReports } from '../../harness/conformance/merge.ts';
import { inShard, parseShard, runPool } from '../../harness/conformance/pool.ts';
import { buildReport, syscallSummaries, writeReport } from '../../harness/conformance/report/build.ts';
import { renderHtml } from '../../harness/conformance/report/html.ts';
import { renderJunit } from '../../harness/conformance/report/junit.ts';
import { renderMarkdown } from '../../harness/conformance/report/markdown.ts';
import { REPORT_SCHEMA, REPORT_SCHEMA_VERSION, type CaseResult } from '../../harness/conformance/schema.ts';

const TABLE = [
  { nr: 56, name: 'openat', module: 'vfs', support: 'full', note: '' },
  { nr: 57, name: 'close', module: 'vfs', support: 'full', note: '' },
  { nr: 214, name: 'brk', module: 'memory', support: 'full', note: '' },
];

function result(id: string, outcome: CaseResult['outcome'], extra: Partial<CaseResult> = {}): CaseResult {
  const kind = id.split('/')[0] as CaseResult['kind'];
  return { id, kind, outcome, reference: 'live', summary: `${outcome} <&> "x"`, checks: {}, ...extra };
}

const CASES: CaseResult[] = [
  result('corpus/hello', 'pass', { syscalls: { brk: 3, close: 1 } }),
  result('spec/close/bad-fd', 'pass', { syscall: 'close' }),
  result('spec/close/twice', 'fail', { syscall: 'close', diffs: [diffBytes('stdout', Buffer.from('a\n'), Buffer.from('b\n'))!] }),
  result('spec/openat/missing', 'unsupported', { syscall: 'openat' }),
  result('property/files/random', 'pass', { covers: ['openat', 'close'] }),
];

function report(cases = CASES, shard?: { index: number; count: number }, allowSkips?: boolean) {
  return buildReport({
    cases,
    environment: { zerosys: '0.1.0', node: 'v20', qemu: { available: true, version: 'qemu-riscv64 version 7.2' }, toolchain: { available: true }, host: 'test' },
    options: { kinds: ['corpus', 'spec', 'property'], propertyRuns: 5, seed: 1, quick: false, shard, allowSkips },
    references: { missing: [], stale: [] },
    specFiles: { close: 'specs/close.yaml', openat: 'specs/openat.yaml' },
    table: TABLE,
    wallMs: 10,
    generatedAt: '2026-01-01T00:00:00.000Z',
  });
}

describe('report', () => {
  const r = report();
  it('is versioned and totals the outcomes', () => {
    expect(r.schema).toBe(REPORT_SCHEMA);
    expect(r.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(r.summary).toMatchObject({ total: 5, pass: 3, fail: 1, unsupported: 1, specSyscalls: 2 });
    expect(r.summary.byKind.spec).toMatchObject({ total: 3, pass: 1, fail: 1, unsupported: 1 });
  });
  it('groups corpus programs by toolchain with the syscalls they made together', () => {
    const tc = report([
      result('corpus/hello', 'pass', { syscalls: { brk: 3, close: 1 }, toolchain: 'C, glibc' }),
      result('corpus/hello-musl', 'fail', { syscalls: { writev: 1, close: 1 }, toolchain: 'C, musl' }),
      result('corpus/pipes-musl', 'pass', { syscalls: { pipe2: 2 }, toolchain: 'C, musl' }),
    ]);
    const md = renderMarkdown(tc);
    expect(md).toContain('## Corpus by toolchain');
    expect(md).toContain('| C, glibc | 1 | 1 | 2 | brk close |');
    expect(md).toContain('| C, musl | 2 | 1 | 3 | close pipe2 writev |');
    expect(renderMarkdown(report())).not.toContain('## Corpus by toolchain');
  });
  it('lists the cases judged against Linux where the reference deviates, with their citations, as their own class', () => {
    const citation = 'qemu-riscv64 7.2 returns 0; Linux answers EFAULT [kernel/time/itimer.c]';
    const dev = report([...CASES, result('spec/getitimer/null', 'pass', { syscall: 'getitimer', referenceDeviates: { id: 'getitimer-null-succeeds', citation } })]);
    const md = renderMarkdown(dev);
    expect(md).toContain('## Reference deviates');
    expect(md).toContain(`| spec/getitimer/null | pass | getitimer-null-succeeds | ${citation} |`);
    expect(md).toContain('1 of 1 pass');
    expect(renderHtml(dev)).toContain(`<small class="deviates" title="${citation}">reference deviates: getitimer-null-succeeds</small>`);
    expect(renderMarkdown(report())).not.toContain('## Reference deviates');
  });
  it('has a row per syscall with spec, property and corpus use', () => {
    const close = r.syscalls.find((s) => s.name === 'close')!;
    expect(close.spec).toEqual({ file: 'specs/close.yaml', cases: 2, pass: 1, fail: 1 });
    expect(close.properties).toEqual({ pass: 1, fail: 0 });
    expect(close.corpus).toEqual(['hello']);
    expect(r.syscalls.find((s) => s.name === 'brk')!.spec).toBeUndefined();
  });
  it('writes JSON, Markdown, HTML and JUnit XML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zerosys-report-'));
    try {
      const paths = writeReport(r, dir);
      expect(JSON.parse(readFileSync(paths.json, 'utf8')).summary.total).toBe(5);
      const md = readFileSync(paths.markdown, 'utf8');
      expect(md).toContain('**3/5 cases pass (60.0%): 1 fail, 1 unsupported, 0 error, 0 skipped.**');
      expect(md).toContain('| close | full | 2 | 1 | 1 | 1/0 | 1 |');
      const html = readFileSync(paths.html, 'utf8');
      expect(html).toContain('<table id="syscalls">');
      expect(html).toContain('data-outcome="fail" data-kind="spec"><td>spec/close/twice</td>');
      expect(html).toContain('fail &lt;&amp;&gt; &quot;x&quot;'); // escaped
      expect(html).not.toMatch(/<(script|link)[^>]+src=|https?:\/\//); // no network needed
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('says when --allow-skips let uncompared baseline cases through the gate', () => {
    const plain = report();
    expect(renderMarkdown(plain)).not.toContain('allow-skips');
    expect(renderHtml(plain)).not.toContain('allow-skips');
    const skipped = report([...CASES, result('corpus/exit42', 'skipped')], undefined, true);
    skipped.gate = { ok: true, allowSkips: true, regressions: 0, missing: 0, notCompared: 1, knownFailing: 2 };
    const md = renderMarkdown(skipped);
    expect(md).toContain('**Gate against the baseline: OK — 0 regression(s), 0 missing, 1 baseline case(s) not compared, 2 known failing outside the baseline.**');
    expect(md).toContain('**--allow-skips was used: baseline cases that were not compared (1 in this run) did not fail the gate; they passed without a comparison.**');
    expect(renderHtml(skipped)).toContain('<p class="gate warn">--allow-skips was used');
    // A merged run says it too when any shard was gated with --allow-skips.
    const merged = mergeReports([report(CASES.slice(0, 2), { index: 1, count: 2 }), report(CASES.slice(2), { index: 2, count: 2 }, true)], ['a', 'b']);
    expect(merged.options.allowSkips).toBe(true);
    expect(renderMarkdown(merged)).toContain('--allow-skips was used: baseline cases that were not compared did not fail the gate');
  });
  it('JUnit: failures, skips and escaping', () => {
    const xml = renderJunit(r);
    expect(xml).toContain('<testsuites name="zerosys conformance" tests="5" failures="2" errors="0" skipped="0">');
    expect(xml).toContain('<testsuite name="spec" tests="3" failures="2" errors="0" skipped="0">');
    expect(xml).toContain('<failure type="unsupported" message="unsupported &lt;&amp;&gt; &quot;x&quot;">');
    expect(xml).toContain('stdout differs at byte 0 (line 1, column 1)');
    expect((xml.match(/<testcase /g) ?? []).length).toBe(5);
    expect((xml.match(/<\/testcase>/g) ?? []).length).toBe(5);
  });
});

describe('a failing property in the per-syscall table', () => {
  it('is charged to the syscall whose step diverged, not to every syscall its family covers', () => {
    const covers = ['openat', 'close', 'brk'];
    const cases = [
      result('property/files', 'fail', { family: 'files', covers, syscall: 'close' }),
      result('property/other', 'pass', { family: 'other', covers }),
    ];
    const props = Object.fromEntries(syscallSummaries(cases, {}, TABLE as never).map((s) => [s.name, s.properties]));
    expect(props).toEqual({ openat: { pass: 1, fail: 0 }, close: { pass: 1, fail: 1 }, brk: { pass: 1, fail: 0 } });
  });

  it('is charged to all of them when no step is known (the property errored)', () => {
    const cases = [result('property/files', 'error', { family: 'files', covers: ['openat', 'close'] })];
    const props = syscallSummaries(cases, {}, TABLE as never).map((s) => s.properties.fail);
    expect(props).toEqual([1, 1, 0]);
  });
});

describe('byte diff', () => {
  it('shows text with escapes and binary as hex', () => {
    const text = diffBytes('stdout', Buffer.from('line one\nline two\n'), Buffer.from('line one\nline tw0\n'))!;
    expect(text).toMatchObject({ offset: 16, line: 2, column: 8, encoding: 'text' });
    expect(renderBytesDiff(text)).toContain('line one\\nline tw⟦o\\n⟧');
    const bin = diffBytes('stdout', Buffer.from([0, 1, 2, 3]), Buffer.from([0, 1, 9, 3]))!;
    expect(bin.encoding).toBe('hex');
    expect(bin.qemu).toBe('00 01 ⟦02 03⟧');
    expect(diffBytes('stderr', Buffer.from('same'), Buffer.from('same'))).toBeUndefined();
  });
});

describe('shards and merge', () => {
  it('partitions ids deterministically: every id in exactly one shard', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `spec/x/case-${i}`);
    const counts = ids.map((id) => [1, 2, 3].filter((i) => inShard(id, { index: i, count: 3 })).length);
    expect(counts.every((c) => c === 1)).toBe(true);
    const sizes = [1, 2, 3].map((i) => ids.filter((id) => inShard(id, { index: i, count: 3 })).length);
    expect(Math.min(...sizes)).toBeGreaterThan(40);
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(() => parseShard('4/3')).toThrow(/1 <= i <= n/);
  });
  it('merging shard reports gives the totals of the whole run', () => {
    const shards = [1, 2].map((i) => report(CASES.filter((c) => inShard(c.id, { index: i, count: 2 })), { index: i, count: 2 }));
    const merged = mergeReports(shards, ['a.json', 'b.json']);
    const whole = report();
    expect(merged.summary.total).toBe(whole.summary.total);
    expect(merged.summary.byKind).toEqual(whole.summary.byKind);
    expect(merged.syscalls).toEqual(whole.syscalls);
    expect(merged.mergedFrom).toEqual(['a.json', 'b.json']);
    expect(() => mergeReports([shards[0], shards[0]], ['a', 'b'])).toThrow(/appears in both/);
  });
  it('the pool returns results in input order', async () => {
    const out = await runPool([30, 10, 20, 0], 3, async (ms, i) => {
      await new Promise((r) => setTimeout(r, ms));
      return i;
    });
    expect(out).toEqual([0, 1, 2, 3]);
  });
});
