// JUnit XML for CI systems: one <testsuite> per case kind, one <testcase> per case.
// fail/unsupported -> <failure>, error -> <error>, skipped -> <skipped/>.

import type { CaseKind, ConformanceReport } from '../schema.ts';
import { renderBytesDiff } from '../bytes-diff.ts';

export function xmlEscape(text: string): string {
  return text
    .replace(/[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd]/gu, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function renderJunit(r: ConformanceReport): string {
  const kinds: CaseKind[] = ['corpus', 'spec', 'property'];
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="zerosys conformance" tests="${r.summary.total}" failures="${r.summary.fail + r.summary.unsupported}" errors="${r.summary.error}" skipped="${r.summary.skipped}">`);
  for (const kind of kinds) {
    const cases = r.cases.filter((c) => c.kind === kind);
    if (!cases.length) continue;
    const t = r.summary.byKind[kind];
    out.push(`  <testsuite name="${kind}" tests="${t.total}" failures="${t.fail + t.unsupported}" errors="${t.error}" skipped="${t.skipped}">`);
    for (const c of cases) {
      const seconds = (((c.qemu?.wallMs ?? 0) + (c.zerosys?.wallMs ?? 0)) / 1000).toFixed(3);
      const classname = c.kind === 'corpus' ? 'corpus' : `${c.kind}.${c.syscall ?? c.family ?? 'misc'}`;
      out.push(`    <testcase classname="${xmlEscape(classname)}" name="${xmlEscape(c.id)}" time="${seconds}">`);
      const body = [
        c.summary,
        ...(c.diffs ?? []).map(renderBytesDiff),
        ...(c.trace?.divergence ? [`first syscall divergence (#${c.trace.divergence.index + 1}, ${c.trace.divergence.what}):\n  qemu   : ${c.trace.divergence.qemu ?? '(none)'}\n  zerosys: ${c.trace.divergence.zerosys ?? '(none)'}`] : []),
        ...(c.details ?? []),
      ].join('\n');
      if (c.reference !== 'live') out.push(`      <properties><property name="reference" value="${c.reference}"/></properties>`);
      if (c.outcome === 'fail' || c.outcome === 'unsupported') {
        out.push(`      <failure type="${c.outcome}" message="${xmlEscape(c.summary)}">${xmlEscape(body)}</failure>`);
      } else if (c.outcome === 'error') {
        out.push(`      <error message="${xmlEscape(c.summary)}">${xmlEscape(body)}</error>`);
      } else if (c.outcome === 'skipped') {
        out.push(`      <skipped message="${xmlEscape(c.summary)}"/>`);
      }
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
