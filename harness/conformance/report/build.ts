// Assemble the report object from case results, and write every format to a directory.

import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname, release } from 'node:os';
import { join } from 'node:path';
import type { TableRow } from '../syscall-table.ts';
import {
  REPORT_SCHEMA,
  REPORT_SCHEMA_VERSION,
  tally,
  type CaseKind,
  type CaseResult,
  type ConformanceReport,
  type SyscallSummary,
} from '../schema.ts';
import { NORMALISATION_RULES } from '../trace.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';

export interface ReportInputs {
  cases: CaseResult[];
  environment: ConformanceReport['environment'];
  options: ConformanceReport['options'];
  references: ConformanceReport['references'];
  /** spec file per syscall ("specs/openat.yaml"). */
  specFiles: Record<string, string>;
  /** The kernel's syscall table (support levels). */
  table: TableRow[];
  wallMs: number;
  generatedAt?: string;
}

export function syscallSummaries(cases: CaseResult[], specFiles: Record<string, string>, table: TableRow[]): SyscallSummary[] {
  const rows = [...table].sort((a, b) => a.nr - b.nr);
  return rows.map((row) => {
    const specCases = cases.filter((c) => c.kind === 'spec' && c.syscall === row.name && c.outcome !== 'skipped');
    const props = cases.filter((c) => c.kind === 'property' && (c.syscall === row.name || c.covers?.includes(row.name)));
    const corpus = cases.filter((c) => c.kind === 'corpus' && c.syscalls && c.syscalls[row.name]).map((c) => c.id.replace(/^corpus\//, ''));
    const summary: SyscallSummary = {
      nr: row.nr,
      name: row.name,
      module: row.module,
      support: row.support,
      note: row.note,
      // A failing property is charged to the syscall whose step diverged (its counterexample's
      // call), not to every syscall its family covers; without one (an error), to all of them.
      properties: {
        pass: props.filter((c) => c.outcome === 'pass').length,
        fail: props.filter((c) => c.outcome !== 'pass' && c.outcome !== 'skipped' && (c.syscall === undefined || c.syscall === row.name)).length,
      },
      corpus,
    };
    const file = specFiles[row.name];
    if (file || specCases.length) {
      summary.spec = {
        file: file ?? '',
        cases: specCases.length,
        pass: specCases.filter((c) => c.outcome === 'pass').length,
        fail: specCases.filter((c) => c.outcome !== 'pass').length,
      };
    }
    return summary;
  });
}

export function buildReport(inputs: ReportInputs): ConformanceReport {
  const cases = [...inputs.cases].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byKind = Object.fromEntries((['corpus', 'spec', 'property'] as CaseKind[]).map((k) => [k, tally(cases.filter((c) => c.kind === k))])) as Record<CaseKind, ReturnType<typeof tally>>;
  const syscalls = syscallSummaries(cases, inputs.specFiles, inputs.table);
  return {
    schema: REPORT_SCHEMA,
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: inputs.generatedAt ?? new Date().toISOString(),
    environment: inputs.environment,
    options: inputs.options,
    normalisation: { ...NORMALISATION_RULES },
    summary: { ...tally(cases), byKind, specSyscalls: syscalls.filter((s) => s.spec && s.spec.cases > 0).length, wallMs: Math.round(inputs.wallMs) },
    syscalls,
    cases,
    references: inputs.references,
  };
}

export function hostDescription(): string {
  return `${hostname()} ${process.platform} ${release()} ${process.arch}`;
}

export interface WrittenReport {
  json: string;
  markdown: string;
  html: string;
  junit: string;
}

/** Write report.json, summary.md, index.html and junit.xml into dir. */
export function writeReport(report: ConformanceReport, dir: string): WrittenReport {
  mkdirSync(dir, { recursive: true });
  const paths = { json: join(dir, 'report.json'), markdown: join(dir, 'summary.md'), html: join(dir, 'index.html'), junit: join(dir, 'junit.xml') };
  writeFileSync(paths.json, JSON.stringify(report, null, 1) + '\n');
  writeFileSync(paths.markdown, renderMarkdown(report));
  writeFileSync(paths.html, renderHtml(report));
  writeFileSync(paths.junit, renderJunit(report));
  return paths;
}
