import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { diffCommand, diffReports, diffRuns, readRun, renderReportDiff, renderRunDiff } from './report-diff.ts';
import type { CaseResult, Outcome } from './schema.ts';

const c = (id: string, outcome: Outcome, summary = `${id} ${outcome}`): CaseResult => ({ id, kind: 'spec', outcome, reference: 'live', summary, checks: {} });

describe('diffReports', () => {
  const before = { cases: [c('a', 'pass'), c('b', 'fail'), c('c', 'pass'), c('d', 'error'), c('e', 'pass'), c('gone', 'pass')] };
  const after = { cases: [c('a', 'pass'), c('b', 'pass'), c('c', 'fail', 'c: result differs'), c('d', 'skipped'), c('e', 'skipped'), c('new', 'fail')] };
  const d = diffReports(before, after);

  it('calls a pass that no longer passes a regression, a skip included (not compared is not passing)', () => {
    expect(d.regressed.map((x) => [x.id, x.from, x.to])).toEqual([
      ['c', 'pass', 'fail'],
      ['e', 'pass', 'skipped'],
    ]);
    expect(d.regressed[0].summary).toBe('c: result differs');
  });

  it('lists fixed, otherwise changed, added and removed cases, and counts the unchanged', () => {
    expect(d.fixed.map((x) => x.id)).toEqual(['b']);
    expect(d.changed.map((x) => [x.id, x.from, x.to])).toEqual([['d', 'error', 'skipped']]);
    expect(d.added).toEqual([{ id: 'new', outcome: 'fail' }]);
    expect(d.removed).toEqual([{ id: 'gone', outcome: 'pass' }]);
    expect(d.unchanged).toBe(1);
  });

  it('renders counts first and the regressions before anything else', () => {
    const md = renderReportDiff(d, 'main', 'pr');
    expect(md).toContain('2 newly failing, 1 newly passing, 1 otherwise changed, 1 added, 1 removed, 1 unchanged.');
    expect(md.indexOf('### Newly failing')).toBeLessThan(md.indexOf('### Newly passing'));
    expect(md).toContain('- **c** — pass -> fail: c: result differs');
  });

  it('finds nothing between a run and itself', () => {
    const same = diffReports(after, after);
    expect([same.regressed, same.fixed, same.changed, same.added, same.removed].every((l) => l.length === 0)).toBe(true);
    expect(same.unchanged).toBe(after.cases.length);
  });
});

describe('runs against several targets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zerosys-diff-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // What `conformance --target zerosys,my-vm --out DIR` writes: DIR/NAME/report.json.
  const write = (path: string, target: string | undefined, cases: CaseResult[]) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), JSON.stringify({ schema: 'zerosys-conformance-report', options: target ? { target: { name: target } } : {}, cases }));
    return join(dir, path);
  };
  write('old/zerosys/report.json', undefined, [c('a', 'pass'), c('b', 'fail')]);
  write('old/my-vm/report.json', 'my-vm', [c('a', 'pass'), c('b', 'pass')]);
  write('new/zerosys/report.json', undefined, [c('a', 'pass'), c('b', 'pass')]);
  write('new/my-vm/report.json', 'my-vm', [c('a', 'fail', 'a: status differs'), c('b', 'pass')]);
  write('new/qemu/report.json', 'qemu', [c('a', 'pass')]);

  it('diffs each target with itself, a target only one run has as all added', () => {
    const diffs = diffRuns(readRun(join(dir, 'old')), readRun(join(dir, 'new')));
    expect(diffs.map((t) => t.target)).toEqual(['my-vm', 'qemu', 'zerosys']);
    expect(diffs[0].diff.regressed.map((x) => [x.id, x.to, x.summary])).toEqual([['a', 'fail', 'a: status differs']]);
    expect(diffs[1].diff.added).toEqual([{ id: 'a', outcome: 'pass' }]);
    expect(diffs[2].diff.fixed.map((x) => x.id)).toEqual(['b']);
    const md = renderRunDiff(diffs, 'old', 'new');
    expect(md).toContain('### my-vm\n\n1 newly failing, 0 newly passing');
    expect(md).toContain('#### Newly failing\n\n- **a** — pass -> fail: a: status differs');
    expect(md.indexOf('### my-vm')).toBeLessThan(md.indexOf('### zerosys'));
  });

  it('exits 1 on a regression in any target, writes the HTML, and 2 for what is not a report', () => {
    const html = join(dir, 'diff.html');
    const log = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(diffCommand(join(dir, 'old'), join(dir, 'new'), { html })).toBe(1);
      expect(readFileSync(html, 'utf8')).toContain('<tr id="my-vm:a"><td><a href="#my-vm:a">a</a></td><td class="pass">pass</td><td class="fail">fail</td>');
      // zerosys alone only got better.
      expect(diffCommand(join(dir, 'old/zerosys/report.json'), join(dir, 'new/zerosys/report.json'))).toBe(0);
      expect(diffCommand(join(dir, 'old'), html)).toBe(2);
      expect(err.mock.calls.at(-1)?.[0]).toMatch(/diff\.html: not a conformance report/);
      expect(diffCommand(join(dir, 'old'), join(dir, 'nothing-here'))).toBe(2);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  });
});
