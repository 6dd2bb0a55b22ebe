// `zerosys conformance`: build what is needed, run the corpus, the YAML syscall specs and
// the fast-check properties under qemu-riscv64 and zerosys, write reports/ (JSON, Markdown,
// HTML, JUnit XML), and optionally gate against / update the committed baseline.
// `zerosys conformance-merge`: join shard reports.

import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { REPO_ROOT, toolchainStatus } from '../corpus.ts';
import { qemuStatus } from '../qemu.ts';
import { failedCases, renderFailOnDiff } from './fail-on-diff.ts';
import { acceptRun, gate, gateSummary, readBaseline, renderAcceptance, renderGate, writeBaseline } from './baseline.ts';
import { corpusCases, corpusSkipped, corpusUnrecorded } from './corpus-cases.ts';
import { judgeProgram, runDifferential, type DifferentialCase } from './differential.ts';
import { findTarget, loadTargets, missingCapability, targetDescription, type Target } from './targets.ts';
import { writeMatrix } from './matrix.ts';
import { mergeReports } from './merge.ts';
import { inShard, parseShard, runPool } from './pool.ts';
import { Progress } from './progress.ts';
import { ReferenceStore } from './references.ts';
import { buildReport, hostDescription, writeReport } from './report/build.ts';
import { headline } from './report/markdown.ts';
import type { CaseKind, CaseResult, ConformanceReport } from './schema.ts';
import { loadSyscallTable } from './syscall-table.ts';
import { zerosysVersion } from '../version.ts';

export const DEFAULT_OUT = join(REPO_ROOT, 'reports');
export const DEFAULT_BASELINE = join(REPO_ROOT, 'reports', 'baseline.json');
export const DEFAULT_REFERENCES = join(REPO_ROOT, 'reports', 'references');
/** Default fast-check seed: fixed so every run is reproducible; printed in the report. */
export const DEFAULT_SEED = 20250101;

export interface ConformanceOptions {
  gate?: boolean;
  /** Exit 1 when any case run failed (fail, unsupported, error), baseline or not. */
  failOnDiff?: boolean;
  /** --gate: baseline cases that were not compared (no qemu, no reference) do not fail it. */
  allowSkips?: boolean;
  updateBaseline?: boolean;
  /** --update-baseline: accept a baseline that loses passing cases. */
  allowShrink?: boolean;
  only?: string;
  filter?: string;
  shard?: string;
  jobs?: number;
  out?: string;
  baseline?: string;
  references?: string;
  record?: boolean;
  propertyRuns?: number;
  seed?: string | number;
  quick?: boolean;
  /** Tests: no terminal progress, no console summary. */
  silent?: boolean;
  /**
   * Where spec and property cases run zerosys: in this process (default; fast, sequential)
   * or as `zerosys run` children (isolate: true). Corpus programs always run the CLI.
   */
  isolate?: boolean;
  /** Run every zerosys side in this process, corpus included (tests patching the kernel). */
  inProcess?: boolean;
  /** Use recorded references even where qemu-riscv64 is installed (as on a machine without it). */
  recorded?: boolean;
  /** A YAML file declaring targets (targets.ts). */
  targets?: string;
  /** The implementation under test: zerosys (default), qemu, or a declared target. */
  target?: string;
}

/** A unit of work: one case (or one property) producing one CaseResult. */
export interface Job {
  id: string;
  kind: CaseKind;
  run: () => Promise<CaseResult>;
}

export interface RunContext {
  qemuLive: boolean;
  references: ReferenceStore;
  record: boolean;
  seed: number;
  propertyRuns: number;
  quick: boolean;
  inProcess: boolean;
  /** The implementation under test (default zerosys). */
  target?: Target;
}

/** Run one differential case, with recorded references where qemu is absent. */
export async function runCase(c: DifferentialCase, ctx: RunContext, judge = judgeProgram, extra?: Partial<CaseResult>): Promise<CaseResult> {
  const lacks = ctx.target ? missingCapability(ctx.target, { args: c.args, stdin: c.stdin, files: !!c.files, threads: !!c.threadIds, isa: c.isa ?? 'rv64gc' }) : undefined;
  if (lacks) return { id: c.id, kind: c.kind, outcome: 'skipped', reference: ctx.qemuLive ? 'live' : 'missing', summary: `not run: ${lacks}`, checks: {}, ...extra };
  try {
    const runs = await runDifferential(c, {
      qemuLive: ctx.qemuLive,
      inProcess: ctx.inProcess,
      recorded: async (dc) => ctx.references.load(dc),
      target: ctx.target,
    });
    if (ctx.record && runs.reference === 'live' && runs.qemu) await ctx.references.save(c, runs.qemu);
    return { ...judge(c, runs), ...(c.toolchain ? { toolchain: c.toolchain } : {}), ...extra };
  } catch (error) {
    return {
      id: c.id,
      kind: c.kind,
      outcome: 'error',
      reference: ctx.qemuLive ? 'live' : 'missing',
      summary: `harness error: ${(error as Error).message.split('\n')[0]}`,
      checks: {},
      ...extra,
    };
  }
}

export async function runConformance(opts: ConformanceOptions): Promise<{ report: ConformanceReport; exitCode: number; gateText?: string; baselineText?: string; diffText?: string }> {
  const started = performance.now();
  const kinds = (opts.only ? opts.only.split(',').map((k) => k.trim()) : ['corpus', 'spec', 'property']) as CaseKind[];
  for (const k of kinds) if (!['corpus', 'spec', 'property'].includes(k)) throw new Error(`--only: unknown kind "${k}" (corpus, spec, property)`);
  if (opts.allowSkips && !opts.gate) throw new Error('--allow-skips only applies to --gate');
  if (opts.allowShrink && !opts.updateBaseline) throw new Error('--allow-shrink only applies to --update-baseline');
  const shard = opts.shard ? parseShard(opts.shard) : undefined;
  const seed = opts.seed !== undefined ? Number(opts.seed) : DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw new Error(`--seed: expected an integer, got ${opts.seed}`);
  const quick = !!opts.quick;
  const propertyRuns = opts.propertyRuns ?? (quick ? 8 : 30);
  const installed = qemuStatus();
  const qemu: typeof installed = opts.recorded ? { ok: false, reason: 'not used (--recorded: recorded references only)' } : installed;
  const toolchain = toolchainStatus();
  const references = new ReferenceStore(resolve(opts.references ?? DEFAULT_REFERENCES), qemu.ok ? qemu.version : undefined);
  const target = findTarget(opts.target ?? 'zerosys', opts.targets ? loadTargets(resolve(opts.targets)) : []);
  // The committed baseline is zerosys's: another implementation gates against its own.
  if (target.kind !== 'zerosys' && (opts.gate || opts.updateBaseline) && !opts.baseline) throw new Error(`--target ${target.name}: --gate and --update-baseline need --baseline FILE (reports/baseline.json is zerosys's)`);
  const ctx: RunContext = { qemuLive: qemu.ok, references, record: !!opts.record, seed, propertyRuns, quick, inProcess: !!opts.inProcess, target };
  // Spec and property cases: zerosys in process unless --isolate (corpus: the CLI).
  const driverCtx: RunContext = { ...ctx, inProcess: !opts.isolate };
  const filter = opts.filter ? new RegExp(opts.filter) : undefined;
  // Whether --filter matched any case of the selected kinds (in any shard): one that matches
  // nothing is a mistake (a typo, a renamed case), not an empty green run.
  let filterMatched = false;
  const wanted = (id: string) => {
    if (filter && !filter.test(id)) return false;
    filterMatched = true;
    return inShard(id, shard);
  };
  // --quick leaves slow corpus programs out, so only a full selection can tell a case is gone.
  const scope = quick ? undefined : (id: string) => kinds.includes(id.split('/')[0] as CaseKind) && wanted(id);

  // Collect jobs (building binaries as needed).
  const jobs: Job[] = [];
  const specFiles: Record<string, string> = {};
  const problems: CaseResult[] = [];
  if (kinds.includes('corpus')) {
    if (toolchain.ok) {
      for (const c of await corpusCases({ quick }, wanted)) jobs.push({ id: c.id, kind: 'corpus', run: () => runCase(c, ctx) });
      problems.push(...corpusSkipped({ quick }, wanted)); // e.g. Go programs without golang-go
    } else {
      const recorded = references.recordedCorpusCases(wanted);
      for (const c of recorded) jobs.push({ id: c.id, kind: 'corpus', run: () => runCase(c, ctx) });
      // The rest are listed as not compared, not left out (the gate would call them gone).
      problems.push(...corpusUnrecorded({ quick }, wanted, new Set(recorded.map((c) => c.id)), toolchain.reason));
    }
  }
  if (kinds.includes('spec')) {
    const { specJobs } = await import('./specs/jobs.ts');
    const result = await specJobs(driverCtx, wanted, toolchain.ok);
    jobs.push(...result.jobs);
    problems.push(...result.problems);
    Object.assign(specFiles, result.files);
  }
  if (kinds.includes('property')) {
    const { propertyJobs } = await import('./properties/jobs.ts');
    jobs.push(...(await propertyJobs(driverCtx, wanted, toolchain.ok)));
  }

  if (filter && !filterMatched) throw new Error(`--filter ${opts.filter} matches no ${kinds.join(', ')} case`);

  const progress = new Progress(jobs.length, !opts.silent);
  const results = await runPool(jobs, opts.jobs ?? availableParallelism(), (job) => job.run(), (r, n) => progress.done(r, n));
  progress.finish();
  const cases = [...results, ...problems];

  const table = await loadSyscallTable();
  if (table.error && !opts.silent) console.error(`conformance: ${table.error}`);
  const report = buildReport({
    table: table.rows,
    cases,
    environment: {
      zerosys: zerosysVersion(),
      node: process.version,
      qemu: qemu.ok ? { available: true, version: qemu.version } : { available: false, reason: qemu.reason },
      toolchain: toolchain.ok ? { available: true, version: toolchain.version } : { available: false, reason: toolchain.reason },
      host: hostDescription(),
    },
    // zerosys runs fail-fast here (the default of `zerosys run --on-unsupported`): an
    // unsupported syscall ends the case as "unsupported", never as an ENOSYS the guest saw.
    options: { kinds, filter: opts.filter, shard, propertyRuns, seed, quick, onUnsupported: 'fail', ...(opts.allowSkips ? { allowSkips: true } : {}), ...(target.kind !== 'zerosys' ? { target: targetDescription(target) } : {}) },
    references: references.problems(),
    specFiles,
    wallMs: performance.now() - started,
  });
  // The gate runs before the report is written, so the report carries its verdict.
  let exitCode = 0;
  let gateText: string | undefined;
  const baselinePath = resolve(opts.baseline ?? DEFAULT_BASELINE);
  if (opts.gate) {
    const baseline = readBaseline(baselinePath);
    if (!baseline) {
      gateText = `gate: no baseline at ${baselinePath} (create one with --update-baseline)`;
      exitCode = 2;
    } else {
      const g = gate(baseline, report.cases, { scope, allowSkips: opts.allowSkips });
      gateText = renderGate(g);
      report.gate = gateSummary(g);
      if (!g.ok) exitCode = 1;
    }
  }

  // Without --gate or --fail-on-diff the exit status says only that the run completed.
  let diffText: string | undefined;
  if (opts.failOnDiff) {
    const failed = failedCases(report.cases);
    diffText = renderFailOnDiff(failed);
    if (failed.length) exitCode = Math.max(exitCode, 1);
  }

  const out = resolve(opts.out ?? DEFAULT_OUT);
  const paths = writeReport(report, out);
  if (!opts.silent) {
    for (const c of report.cases) {
      if (c.property?.counterexample) console.log(`conformance: ${c.id} failed (seed ${c.property.seed}); shrunk counterexample for specs/${c.syscall ?? 'NAME'}.yaml:\n${c.property.counterexample}`);
    }
    console.log(`conformance: ${headline(report)} (${(report.summary.wallMs / 1000).toFixed(1)} s)`);
    console.log(`conformance: wrote ${[paths.json, paths.markdown, paths.html, paths.junit].map((p) => relative(process.cwd(), p) || p).join(', ')}`);
    if (gateText) console.log(gateText);
    if (diffText) console.log(diffText);
  }

  let baselineText: string | undefined;
  if (opts.updateBaseline) {
    const accepted = acceptRun(readBaseline(baselinePath), report.cases, { scope, allowShrink: opts.allowShrink });
    baselineText = renderAcceptance(accepted);
    if (accepted.refused) exitCode = Math.max(exitCode, 1);
    else {
      writeBaseline(baselinePath, accepted.baseline);
      baselineText = [baselineText, `conformance: baseline ${relative(process.cwd(), baselinePath) || baselinePath} now lists ${accepted.baseline.passing.length} passing cases`].filter(Boolean).join('\n');
    }
    if (!opts.silent) (accepted.refused ? console.error : console.log)(baselineText);
  }
  return { report, exitCode, gateText, baselineText, diffText };
}

/** CLI entry. */
export async function conformanceCommand(raw: Record<string, unknown>): Promise<number> {
  try {
    const opts = raw as ConformanceOptions;
    const targets = opts.target?.split(',').map((t) => t.trim()) ?? [];
    if (targets.length <= 1) return (await runConformance(opts)).exitCode;
    // Several targets: one run each (reports in OUT/NAME/), then one table across them.
    if (opts.gate || opts.updateBaseline) throw new Error('--gate and --update-baseline take one --target');
    const out = resolve(opts.out ?? DEFAULT_OUT);
    let exitCode = 0;
    for (const target of targets) {
      if (!opts.silent) console.log(`conformance: target ${target}`);
      exitCode = Math.max(exitCode, (await runConformance({ ...opts, target, out: join(out, target) })).exitCode);
    }
    const written = writeMatrix(targets.map((t) => join(out, t, 'report.json')), out);
    if (!opts.silent) console.log(`conformance: ${written.matrix.targets.map((t) => `${t.name} ${t.pass}/${t.total}`).join(', ')} → ${relative(process.cwd(), written.html) || written.html}`);
    return exitCode;
  } catch (error) {
    console.error(`zerosys conformance: ${(error as Error).message}`);
    return 2;
  }
}

/** `zerosys conformance-matrix REPORTS...`: the reports of several targets in one table. */
export async function matrixCommand(files: string[], opts: { out?: string }): Promise<number> {
  try {
    const written = writeMatrix(files, resolve(opts.out ?? DEFAULT_OUT));
    console.log(`conformance-matrix: ${written.matrix.targets.map((t) => `${t.name} ${t.pass}/${t.total}`).join(', ')} → ${relative(process.cwd(), written.markdown) || written.markdown}, ${relative(process.cwd(), written.html) || written.html}`);
    return 0;
  } catch (error) {
    console.error(`zerosys conformance-matrix: ${(error as Error).message}`);
    return 2;
  }
}

export async function mergeCommand(files: string[], opts: { out?: string }): Promise<number> {
  try {
    const reports = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as ConformanceReport);
    const merged = mergeReports(reports, files);
    const out = resolve(opts.out ?? DEFAULT_OUT);
    writeReport(merged, out);
    console.log(`conformance-merge: ${headline(merged)} → ${relative(process.cwd(), out) || out}`);
    return 0;
  } catch (error) {
    console.error(`zerosys conformance-merge: ${(error as Error).message}`);
    return 2;
  }
}

/**
 * `zerosys reference-stability`: the threaded corpus programs (as the last report shows
 * them, or --filter) run twice under qemu-riscv64, the two traces compared (reference-stability.ts).
 */
export async function referenceStabilityCommand(opts: { filter?: string; out?: string }): Promise<number> {
  try {
    const status = qemuStatus();
    if (!status.ok) throw new Error(`qemu-riscv64 is needed: ${status.reason}`);
    const out = resolve(opts.out ?? DEFAULT_OUT);
    const { referenceStability, writeStability } = await import('./reference-stability.ts');
    let last: ConformanceReport | undefined;
    try {
      last = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ConformanceReport;
    } catch {
      last = undefined;
    }
    const zerosysPercent = new Map<string, number>();
    const threaded = new Set<string>();
    for (const c of last?.cases ?? []) {
      if (!c.trace || c.trace.qemuCalls === undefined) continue;
      zerosysPercent.set(c.id, c.trace.qemuCalls === 0 ? 100 : (100 * (c.trace.compared ?? 0)) / c.trace.qemuCalls);
      if ((c.trace.threads ?? 1) > 1) threaded.add(c.id);
    }
    const filter = opts.filter ? new RegExp(opts.filter) : undefined;
    if (!filter && threaded.size === 0) throw new Error(`no report with threaded programs in ${out}: run \`zerosys conformance\` first, or name programs with --filter`);
    const cases = await corpusCases({ quick: false }, (id) => (filter ? filter.test(id) : threaded.has(id)));
    if (cases.length === 0) throw new Error('no corpus program selected');
    const rows = [];
    for (const c of cases) {
      const row = await referenceStability(c);
      const z = zerosysPercent.get(c.id);
      console.log(`${c.id}: qemu vs qemu ${row.percent.toFixed(1)}% of ${row.calls[0]} calls compared${row.divergence ? ` (differ: ${row.divergence})` : ''}; zerosys vs qemu ${z === undefined ? '-' : `${z.toFixed(1)}%`}`);
      rows.push(row);
    }
    const written = await writeStability(out, rows, zerosysPercent);
    console.log(`reference-stability: wrote ${written.map((f) => relative(process.cwd(), f) || f).join(', ')}`);
    return 0;
  } catch (error) {
    console.error(`zerosys reference-stability: ${(error as Error).message}`);
    return 2;
  }
}
