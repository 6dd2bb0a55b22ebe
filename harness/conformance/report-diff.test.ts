import { describe, expect, it } from 'vitest';
import { diffReports, renderReportDiff } from './report-diff.ts';
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
