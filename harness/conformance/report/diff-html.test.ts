import { describe, expect, it } from 'vitest';
import { diffReports } from '../report-diff.ts';
import type { CaseResult, Outcome } from '../schema.ts';
import { renderReportDiffHtml } from './diff-html.ts';

const c = (id: string, outcome: Outcome, summary = `${id} ${outcome}`, source?: string): CaseResult => ({ id, kind: 'spec', outcome, reference: 'live', summary, checks: {}, ...(source ? { source } : {}) });

describe('conformance-diff --html', () => {
  const before = { cases: [c('spec/read/bad-fd', 'pass'), c('spec/close/x', 'fail'), c('spec/odd/<b>&amp', 'pass'), c('gone', 'pass')] };
  const after = {
    cases: [c('spec/read/bad-fd', 'fail', 'the call: qemu -1 EBADF, zerosys 0', 'specs/read.yaml:40'), c('spec/close/x', 'pass'), c('spec/odd/<b>&amp', 'fail', 'stdout <differs> & more'), c('new', 'skipped')],
  };
  const html = renderReportDiffHtml([{ target: 'zerosys', diff: diffReports(before, after) }], 'main/report.json', 'pr/report.json');

  it('shows a regression as a row anchored by its case id, with was, now, why and the spec line', () => {
    expect(html).toContain(
      '<tr id="spec/read/bad-fd"><td><a href="#spec/read/bad-fd">spec/read/bad-fd</a> <small>specs/read.yaml:40</small></td><td class="pass">pass</td><td class="fail">fail</td><td>the call: qemu -1 EBADF, zerosys 0</td></tr>',
    );
    expect(html).toContain('<div class="card fail"><b>2</b>newly failing</div>');
    // Newly failing first, then newly passing, added, removed.
    const at = (s: string) => html.indexOf(s);
    expect(at('<h3>Newly failing (2)</h3>')).toBeGreaterThan(0);
    expect(at('<h3>Newly failing (2)</h3>')).toBeLessThan(at('<h3>Newly passing (1)</h3>'));
    expect(at('<h3>Newly passing (1)</h3>')).toBeLessThan(at('<h3>Added (1)</h3>'));
    expect(at('<h3>Added (1)</h3>')).toBeLessThan(at('<h3>Removed (1)</h3>'));
    expect(html).toContain('<tr id="gone"><td><a href="#gone">gone</a></td><td class="pass">pass</td></tr>');
  });

  it('escapes case names and summaries', () => {
    expect(html).toContain('<tr id="spec/odd/&lt;b&gt;&amp;amp"><td><a href="#spec/odd/&lt;b&gt;&amp;amp">spec/odd/&lt;b&gt;&amp;amp</a>');
    expect(html).toContain('<td>stdout &lt;differs&gt; &amp; more</td>');
    expect(html).not.toContain('<b>&amp');
    expect(html).not.toContain('<differs>');
    expect(html).toContain('<title>zerosys conformance diff — main/report.json → pr/report.json</title>');
  });

  it('gives each target a section, and anchors TARGET:ID since a case appears in each', () => {
    const two = renderReportDiffHtml(
      [
        { target: 'my-vm', diff: diffReports({ cases: [c('a', 'pass')] }, { cases: [c('a', 'fail', 'a: status differs')] }) },
        { target: 'zerosys', diff: diffReports({ cases: [c('a', 'pass')] }, { cases: [c('a', 'pass')] }) },
      ],
      'old',
      'new',
    );
    expect(two).toContain('<h2 id="target:my-vm">my-vm</h2>');
    expect(two).toContain('<tr id="my-vm:a"><td><a href="#my-vm:a">a</a></td><td class="pass">pass</td><td class="fail">fail</td><td>a: status differs</td></tr>');
    expect(two).toMatch(/<h2 id="target:zerosys">zerosys<\/h2>\n<div class="meta">0 newly failing, .*1 unchanged\.<\/div>\n<p>No case changed its outcome\.<\/p>/);
    expect(two).toContain('2 targets: <a href="#target:my-vm">my-vm</a>, <a href="#target:zerosys">zerosys</a>');
  });
});
