import { describe, expect, it } from 'vitest';
import { buildMatrix, renderMatrixHtml, renderMatrixMarkdown, targetOf } from './matrix.ts';
import { REPORT_SCHEMA, REPORT_SCHEMA_VERSION, type CaseResult, type ConformanceReport } from './schema.ts';

function report(target: ConformanceReport['options']['target'], cases: Partial<CaseResult>[]): ConformanceReport {
  return {
    schema: REPORT_SCHEMA,
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: '2026-12-05T00:00:00Z',
    environment: { zerosys: '0.1.0', node: 'v20', qemu: { available: true, version: 'qemu-riscv64 7.2' }, toolchain: { available: true }, host: 'test' },
    options: { kinds: ['corpus', 'spec'], propertyRuns: 1, seed: 1, quick: false, ...(target ? { target } : {}) },
    normalisation: {},
    summary: { total: 0, pass: 0, fail: 0, unsupported: 0, error: 0, skipped: 0, byKind: {} as never, specSyscalls: 0, wallMs: 0 },
    syscalls: [],
    cases: cases.map((c) => ({ kind: 'spec', outcome: 'pass', reference: 'live', summary: 'same', checks: {}, ...c }) as CaseResult),
    references: { missing: [], stale: [] },
  };
}

const zerosys = report(undefined, [
  { id: 'spec/read/bad-fd', syscall: 'read', source: 'specs/read.yaml:5' },
  { id: 'spec/getitimer/null', syscall: 'getitimer', referenceDeviates: { id: 'getitimer-null-succeeds', citation: 'kernel/time/itimer.c' } },
  { id: 'corpus/hello', kind: 'corpus' },
  { id: 'spec/close/bad-fd', syscall: 'close' },
]);
const vm = report({ name: 'my-vm', command: ['my-vm', '{prog}'], source: 't.yaml:2' }, [
  { id: 'spec/read/bad-fd', syscall: 'read', outcome: 'fail', summary: 'the call (read): qemu -1 EBADF, my-vm -1 EINVAL' },
  { id: 'corpus/hello', kind: 'corpus', outcome: 'skipped', summary: 'not run: target my-vm lacks threads' },
]);

describe('the matrix across targets', () => {
  it('has one column per report and a row per case, grouped corpus first, then by syscall', () => {
    const m = buildMatrix([zerosys, vm]);
    expect(m.targets.map((t) => [t.name, t.pass, t.total])).toEqual([
      ['zerosys', 4, 4],
      ['my-vm', 0, 2],
    ]);
    expect(m.rows.map((r) => [r.group, r.id])).toEqual([
      ['corpus', 'corpus/hello'],
      ['close', 'spec/close/bad-fd'],
      ['getitimer', 'spec/getitimer/null'],
      ['read', 'spec/read/bad-fd'],
    ]);
    // A case one run did not have is an empty cell, not a pass.
    expect(m.rows[1].cells['my-vm']).toBeUndefined();
    expect(m.rows[3].cells['my-vm']?.outcome).toBe('fail');
  });

  it('renders each cell with its outcome and why, each case with an anchor and its spec line', () => {
    const md = renderMatrixMarkdown(buildMatrix([zerosys, vm]));
    expect(md).toContain('| case | zerosys | my-vm |');
    expect(md).toContain('| <a id="spec/read/bad-fd"></a>spec/read/bad-fd (specs/read.yaml:5) | PASS | FAIL: the call (read): qemu -1 EBADF, my-vm -1 EINVAL |');
    expect(md).toContain('| <a id="spec/close/bad-fd"></a>spec/close/bad-fd | PASS | — |');
    // Judged against Linux where qemu deviates: its own class in the cell.
    expect(md).toContain('| <a id="spec/getitimer/null"></a>spec/getitimer/null | PASS (reference deviates: getitimer-null-succeeds) | — |');
    expect(md).toContain('- **my-vm** — `my-vm {prog}` (t.yaml:2), traces not compared: 0/2 pass');
    const html = renderMatrixHtml(buildMatrix([zerosys, vm]));
    expect(html).toContain('<tr id="corpus/hello"><td><a href="#corpus/hello">corpus/hello</a></td><td class="pass" title="same">PASS</td><td class="skipped" title="not run: target my-vm lacks threads">SKIP');
  });

  it('refuses two reports of the same target, and no reports', () => {
    expect(targetOf(vm)).toBe('my-vm');
    expect(() => buildMatrix([zerosys, zerosys])).toThrow('two reports judge the same target zerosys');
    expect(() => buildMatrix([])).toThrow('no reports to join');
  });
});
