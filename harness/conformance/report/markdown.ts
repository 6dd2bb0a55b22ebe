// The Markdown summary (reports/summary.md): headline figures, per-kind totals, the
// per-syscall table for syscalls with specs, every non-passing case with its reason.

import type { CaseKind, CaseResult, ConformanceReport, Totals } from '../schema.ts';

const KINDS: CaseKind[] = ['corpus', 'spec', 'property'];

function row(cells: (string | number)[]): string {
  return `| ${cells.map((c) => String(c).replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`;
}

function totalsRow(label: string, t: Totals): string {
  return row([label, t.total, t.pass, t.fail, t.unsupported, t.error, t.skipped]);
}

export function headline(r: ConformanceReport): string {
  const s = r.summary;
  const pct = s.total ? ((100 * s.pass) / s.total).toFixed(1) : '0.0';
  return `${s.pass}/${s.total} cases pass (${pct}%): ${s.fail} fail, ${s.unsupported} unsupported, ${s.error} error, ${s.skipped} skipped`;
}

/** The gate's verdict, and a warning when --allow-skips let uncompared cases through. */
export function gateLines(r: ConformanceReport): string[] {
  const out: string[] = [];
  const g = r.gate;
  if (g) {
    out.push(`Gate against the baseline: ${g.ok ? 'OK' : 'FAILED'} — ${g.regressions} regression(s), ${g.missing} missing, ${g.notCompared} baseline case(s) not compared, ${g.knownFailing} known failing outside the baseline.`);
  }
  if (r.options.allowSkips) {
    out.push(`--allow-skips was used: baseline cases that were not compared${g ? ` (${g.notCompared} in this run)` : ''} did not fail the gate; they passed without a comparison.`);
  }
  return out;
}

/** Which --on-unsupported mode zerosys ran with (reports before it was recorded: fail); or the target judged instead. */
export function unsupportedMode(r: ConformanceReport): string {
  const t = r.options.target;
  if (t) {
    const how = t.command ? ` (\`${t.command.join(' ')}\`${t.source ? `, declared at ${t.source}` : ''}; its syscalls are not traced, so traces were not compared)` : ' (a second run of the reference)';
    return `Implementation under test: target ${t.name}${how}; the "zerosys" columns and fields describe its runs.`;
  }
  return r.options.onUnsupported === 'enosys'
    ? 'Unsupported syscalls: --on-unsupported enosys (zerosys returned -ENOSYS to the guest).'
    : 'Unsupported syscalls: --on-unsupported fail (zerosys stopped the guest; such cases are "unsupported").';
}

function caseLine(c: CaseResult): string {
  const where = c.source ? ` (${c.source})` : '';
  return `- **${c.id}** — ${c.outcome}${c.reference !== 'live' ? ` [${c.reference} reference]` : ''}: ${c.summary}${where}`;
}

export function renderMarkdown(r: ConformanceReport): string {
  const out: string[] = [];
  out.push('# zerosys conformance report', '');
  out.push(`Generated ${r.generatedAt} · zerosys ${r.environment.zerosys} · reference: ${r.environment.qemu.available ? r.environment.qemu.version : `absent (${r.environment.qemu.reason})`} · schema v${r.schemaVersion}`);
  if (r.options.shard) out.push('', `Shard ${r.options.shard.index}/${r.options.shard.count}.`);
  if (r.mergedFrom) out.push('', `Merged from ${r.mergedFrom.length} shard reports.`);
  out.push('', `**${headline(r)}.** ${r.summary.specSyscalls} syscalls have specs. Property seed ${r.options.seed}, ${r.options.propertyRuns} runs each. ${unsupportedMode(r)}`, '');
  for (const line of gateLines(r)) out.push(`**${line}**`, '');
  out.push(row(['kind', 'cases', 'pass', 'fail', 'unsupported', 'error', 'skipped']), row(['---', '---:', '---:', '---:', '---:', '---:', '---:']));
  for (const k of KINDS) out.push(totalsRow(k, r.summary.byKind[k]));
  out.push(totalsRow('**all**', r.summary));

  const toolchains = [...new Set(r.cases.flatMap((c) => (c.toolchain ? [c.toolchain] : [])))].sort();
  if (toolchains.length) {
    out.push('', '## Corpus by toolchain', '', 'What the programs of each toolchain need: the syscalls they made (under zerosys), together.', '');
    out.push(row(['toolchain', 'programs', 'pass', 'syscalls made', 'which']), row(['---', '---:', '---:', '---:', '---']));
    for (const t of toolchains) {
      const cases = r.cases.filter((c) => c.toolchain === t);
      const made = [...new Set(cases.flatMap((c) => Object.keys(c.syscalls ?? {})))].sort();
      out.push(row([t, cases.length, cases.filter((c) => c.outcome === 'pass').length, made.length, made.join(' ')]));
    }
  }

  const withSpecs = r.syscalls.filter((s) => s.spec || s.properties.pass + s.properties.fail > 0);
  if (withSpecs.length) {
    out.push('', '## Syscalls with specs', '', row(['syscall', 'support', 'spec cases', 'pass', 'fail', 'properties (pass/fail)', 'corpus programs']));
    out.push(row(['---', '---', '---:', '---:', '---:', '---', '---:']));
    for (const s of withSpecs) {
      out.push(row([s.name, s.support, s.spec?.cases ?? 0, s.spec?.pass ?? 0, s.spec?.fail ?? 0, `${s.properties.pass}/${s.properties.fail}`, s.corpus.length]));
    }
  }
  const bad = r.cases.filter((c) => c.outcome !== 'pass');
  if (bad.length) {
    out.push('', '## Cases not passing', '');
    for (const k of KINDS) {
      const list = bad.filter((c) => c.kind === k);
      if (list.length) out.push(`### ${k} (${list.length})`, '', ...list.map(caseLine), '');
    }
  }
  const deviates = r.cases.filter((c) => c.referenceDeviates);
  if (deviates.length) {
    out.push('', '## Reference deviates', '', `Cases where qemu-riscv64 is known to differ from Linux (a cited entry of harness/conformance/deviations.ts): the call was judged against Linux's documented result, what came before it against qemu. ${deviates.filter((c) => c.outcome === 'pass').length} of ${deviates.length} pass.`, '');
    out.push(row(['case', 'outcome', 'deviation', 'citation']), row(['---', '---', '---', '---']));
    for (const c of deviates) out.push(row([c.id, c.outcome, c.referenceDeviates!.id, c.referenceDeviates!.citation]));
  }
  if (r.references.missing.length || r.references.stale.length) {
    out.push('', '## References', '', `Missing: ${r.references.missing.join(', ') || 'none'}`, '', `Stale: ${r.references.stale.join(', ') || 'none'}`);
  }
  const partial = r.cases.filter((c) => c.kind === 'corpus' && c.trace?.compared !== undefined && c.trace.qemuCalls !== undefined && c.trace.compared < c.trace.qemuCalls);
  if (partial.length) {
    out.push('', '## Trace coverage', '', 'Corpus programs whose trace was not compared call for call in full (calls compared of qemu\'s calls, and what was set aside by which rule):', '');
    out.push(row(['case', 'outcome', 'compared', '%', 'trace']), row(['---', '---', '---:', '---:', '---']));
    for (const c of partial) {
      const t = c.trace!;
      out.push(row([c.id, c.outcome, `${t.compared}/${t.qemuCalls}`, t.qemuCalls ? ((100 * t.compared!) / t.qemuCalls).toFixed(1) : '0', c.summary]));
    }
  }
  out.push('', '## How traces are compared', '', 'Syscall sequences are compared call by call (name, arguments, result/errno) after these normalisations:', '');
  for (const [rule, text] of Object.entries(r.normalisation)) out.push(`- \`${rule}\`: ${text}`);
  out.push('');
  return out.join('\n');
}
