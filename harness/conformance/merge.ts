// Join shard reports into one: cases are concatenated (ids are unique across shards),
// totals and the per-syscall table are recomputed from the cases.

import { buildReport } from './report/build.ts';
import { REPORT_SCHEMA, REPORT_SCHEMA_VERSION, type ConformanceReport } from './schema.ts';

export function mergeReports(reports: ConformanceReport[], names: string[]): ConformanceReport {
  if (!reports.length) throw new Error('nothing to merge');
  reports.forEach((r, i) => {
    if (r.schema !== REPORT_SCHEMA || r.schemaVersion !== REPORT_SCHEMA_VERSION) {
      throw new Error(`${names[i]}: not a ${REPORT_SCHEMA} v${REPORT_SCHEMA_VERSION} report`);
    }
  });
  const seen = new Map<string, string>();
  for (const [i, r] of reports.entries()) {
    for (const c of r.cases) {
      const other = seen.get(c.id);
      if (other) throw new Error(`case ${c.id} appears in both ${other} and ${names[i]}`);
      seen.set(c.id, names[i]);
    }
  }
  const first = reports[0];
  const specFiles: Record<string, string> = {};
  for (const r of reports) for (const s of r.syscalls) if (s.spec?.file) specFiles[s.name] = s.spec.file;
  const merged = buildReport({
    cases: reports.flatMap((r) => r.cases),
    environment: first.environment,
    // One shard gated with --allow-skips makes the whole run's verdict one without comparisons.
    options: { ...first.options, shard: undefined, allowSkips: reports.some((r) => r.options.allowSkips) || undefined },
    references: {
      missing: [...new Set(reports.flatMap((r) => r.references.missing))].sort(),
      stale: [...new Set(reports.flatMap((r) => r.references.stale))].sort(),
    },
    specFiles,
    table: first.syscalls.map(({ nr, name, module, support, note }) => ({ nr, name, module, support, note })),
    wallMs: Math.max(...reports.map((r) => r.summary.wallMs)),
  });
  return { ...merged, mergedFrom: names };
}
