// `npm run bench`: the benchmark of issue 9. Every `bench`-tagged corpus program runs under
// qemu-riscv64 and under `zerosys run --stats`, interleaved (q, z, q, z, ...) so both sides
// see the same machine load, best of N wall times each. Per program it prints both wall
// times, the ratio zerosys/qemu, zerosys' MIPS and retired instructions, the peak RSS of
// both (GNU time) and whether the output was the same; then the geometric mean of the
// ratios and, each on its own line, the start-up of every `startup`-tagged program: a static
// hello world, and a real Go program's `--version` (esbuild's), median of 7 each.
// Everything also goes to reports/bench.json with the machine it ran on. Without qemu only
// the zerosys columns are filled. Timing never goes into `npm test`: the pure parts are
// unit-tested in bench.test.ts.
//
// Options: --repeat N (best of N, default 3), --quick (the small `bench-quick` stand-ins
// instead: a smoke test of seconds whose figures are start-up-dominated), --zerosys-args
// "..." (more `zerosys run` options, e.g. "--no-jit"), NAME... (only these programs).

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, type } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffBytes, renderBytesDiff } from './conformance/bytes-diff.ts';
import { buildCorpus, REPO_ROOT, toolchainStatus, type BuiltProgram } from './corpus.ts';
import { qemuStatus, rssStatus, runQemu, runZerosys, splitZerosysStats, type RunResult } from './qemu.ts';

const BENCH_TIMEOUT_MS = 30 * 60_000;
/** Measured first: when zerosys cannot run it as qemu does, nothing else is measured. */
const STARTUP_PROGRAM = 'hello';
const STARTUP_TAG = 'startup';
const STARTUP_RUNS = 7;
export const BENCH_JSON = join(REPO_ROOT, 'reports', 'bench.json');

const USAGE = `usage: npm run bench -- [--repeat N] [--quick] [--zerosys-args "OPTIONS"] [NAME...]
  --repeat N             best of N interleaved runs per side (default 3)
  --quick                measure the small bench-quick stand-ins instead (a smoke test)
  --zerosys-args "..."   extra \`zerosys run\` options, split at spaces (e.g. "--no-jit")
  NAME...                only these programs (manifest names)`;

// ---------------------------------------------------------------------------------------
// Pure parts (unit-tested)

export interface ZerosysStats {
  instructions?: number;
  mips?: number;
}

/**
 * Read the counters out of `zerosys:` stats lines ("zerosys: 123 instructions retired in
 * 4.5 ms (27.3 MIPS)"). The retired count wins over other instruction counts, such as the
 * block compiler's line ("12 blocks compiled (345 instructions)").
 */
export function parseZerosysStats(lines: string[]): ZerosysStats {
  const stats: ZerosysStats = {};
  let retired = false;
  for (const line of lines) {
    const insns = /(\d[\d,_]*)\s+(?:instructions|insns)\b(\s+retired)?/i.exec(line);
    if (insns && (insns[2] || (!retired && stats.instructions === undefined))) {
      stats.instructions = Number(insns[1].replace(/[,_]/g, ''));
      retired ||= Boolean(insns[2]);
    }
    const mips = /([\d.]+)\s*MIPS\b/i.exec(line);
    if (mips && stats.mips === undefined) stats.mips = Number(mips[1]);
  }
  return stats;
}

/** Split an option string at whitespace; '...' and "..." group words (no escapes). */
export function splitArgs(text: string): string[] {
  const args: string[] = [];
  for (const m of text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) args.push(m[1] ?? m[2] ?? m[3]);
  return args;
}

export interface BenchOptions {
  repeat: number;
  quick: boolean;
  zerosysArgs: string[];
  names: string[];
  help: boolean;
}

/** Parse the command line; throws an Error whose message is the usage problem. */
export function parseBenchArgs(argv: string[]): BenchOptions {
  const options: BenchOptions = { repeat: 3, quick: false, zerosysArgs: [], names: [], help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const [flag, inline] = arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--quick') options.quick = true;
    else if (flag === '--help' || flag === '-h') options.help = true;
    else if (flag === '--repeat') {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) < 1) throw new Error(`--repeat needs a positive integer, not "${v}"`);
      options.repeat = Number(v);
    } else if (flag === '--zerosys-args') options.zerosysArgs.push(...splitArgs(value()));
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else options.names.push(arg);
  }
  return options;
}

/** Geometric mean of positive finite values (undefined for none). */
export function geomean(values: number[]): number | undefined {
  const ok = values.filter((v) => Number.isFinite(v) && v > 0);
  if (ok.length === 0) return undefined;
  return Math.exp(ok.reduce((sum, v) => sum + Math.log(v), 0) / ok.length);
}

/** Median (the mean of the middle two for an even count; undefined for none). */
export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The CPU's name from /proc/cpuinfo text: "model name" (x86, Arm), else "cpu model" or "uarch". */
export function parseCpuModel(cpuinfo: string): string | undefined {
  for (const key of ['model name', 'cpu model', 'uarch']) {
    const m = new RegExp(`^${key}\\s*:\\s*(\\S.*)$`, 'm').exec(cpuinfo);
    if (m) return m[1].trim();
  }
  return undefined;
}

export interface SideResult {
  /** Best (lowest) wall time of the runs. */
  wallMs: number;
  /** Every run's wall time, in order. */
  runsMs: number[];
  /** Peak RSS in KiB: the largest of the runs (undefined when not measured). */
  maxRssKiB?: number;
}

export interface BenchRow {
  name: string;
  args: string[];
  qemu?: SideResult;
  zerosys: SideResult & ZerosysStats;
  /** zerosys/qemu of the best wall times. */
  ratio?: number;
  /** "same output", "MISMATCH (...)", "... timed out", or without qemu "status N". */
  verdict: string;
  /** Counted in the geometric mean: both sides ran and the output was the same. */
  ok: boolean;
}

export interface BenchSummary {
  geomean?: number;
  programs: number;
  worst?: { name: string; ratio: number };
  /** Rows left out of the mean (no reference, mismatch, timeout). */
  excluded: string[];
}

export function summarize(rows: BenchRow[]): BenchSummary {
  const counted = rows.filter((r) => r.ok && r.ratio !== undefined);
  const worst = counted.reduce<BenchRow | undefined>((w, r) => (!w || r.ratio! > w.ratio! ? r : w), undefined);
  return {
    geomean: geomean(counted.map((r) => r.ratio!)),
    programs: counted.length,
    ...(worst ? { worst: { name: worst.name, ratio: worst.ratio! } } : {}),
    excluded: rows.filter((r) => !counted.includes(r)).map((r) => r.name),
  };
}

export interface Startup {
  program: string;
  runs: number;
  qemuMs?: number;
  zerosysMs: number;
  qemuRssKiB?: number;
  zerosysRssKiB?: number;
  verdict: string;
}

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(3));
const mib = (kib: number | undefined) => (kib === undefined ? '-' : (kib / 1024).toFixed(1));
const times = (ratio: number | undefined) => (ratio === undefined ? '-' : `${ratio.toFixed(1)}x`);

export function formatTable(rows: BenchRow[]): string {
  const header = ['program', 'qemu s', 'zerosys s', 'zerosys/qemu', 'MIPS', 'instructions', 'qemu MiB', 'zerosys MiB', 'result'];
  const body = rows.map((r) => [
    r.name,
    seconds(r.qemu?.wallMs),
    seconds(r.zerosys.wallMs),
    times(r.ratio),
    r.zerosys.mips === undefined ? '-' : r.zerosys.mips.toFixed(1),
    r.zerosys.instructions === undefined ? '-' : r.zerosys.instructions.toLocaleString('en-US'),
    mib(r.qemu?.maxRssKiB),
    mib(r.zerosys.maxRssKiB),
    r.verdict,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  // Names and verdicts left-aligned, numbers right-aligned.
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function formatSummary(s: BenchSummary): string {
  if (s.geomean === undefined) return `geometric mean zerosys/qemu: - (no program with both sides and the same output)`;
  const worst = s.worst ? `; worst ${s.worst.name} ${times(s.worst.ratio)}` : '';
  const left = s.excluded.length ? `; left out: ${s.excluded.join(', ')}` : '';
  return `geometric mean zerosys/qemu: ${times(s.geomean)} over ${s.programs} program${s.programs === 1 ? '' : 's'}${worst}${left}`;
}

export function formatStartup(s: Startup): string {
  const ratio = s.qemuMs ? ` (${times(s.zerosysMs / s.qemuMs)})` : '';
  const rss = s.zerosysRssKiB !== undefined ? `; peak RSS qemu ${mib(s.qemuRssKiB)} MiB, zerosys ${mib(s.zerosysRssKiB)} MiB` : '';
  return (
    `start-up (static ${s.program}, median of ${s.runs}): qemu ${seconds(s.qemuMs)} s, zerosys ${seconds(s.zerosysMs)} s` +
    `${ratio}${rss}${s.verdict === 'same output' ? '' : `; ${s.verdict}`}`
  );
}

// ---------------------------------------------------------------------------------------
// Running

interface Pair {
  ref?: RunResult;
  got: RunResult;
}

/** The verdict of one q/z pair; `detail` holds byte diffs of the streams that differ. */
function judge({ ref, got }: Pair): { verdict: string; detail?: string } {
  const { guest } = splitZerosysStats(got.stderr);
  if (got.timedOut) return { verdict: 'zerosys timed out' };
  if (!ref) return { verdict: `status ${got.status}` };
  if (ref.timedOut) return { verdict: 'qemu timed out' };
  const differs = [
    ref.status !== got.status ? `status qemu=${ref.status} zerosys=${got.status}` : '',
    ref.stdout.equals(got.stdout) ? '' : 'stdout',
    ref.stderr.equals(guest) ? '' : 'stderr',
  ].filter(Boolean);
  if (differs.length === 0) return { verdict: 'same output' };
  const diffs = [diffBytes('stdout', ref.stdout, got.stdout), diffBytes('stderr', ref.stderr, guest)].flatMap((d) => (d ? [renderBytesDiff(d)] : []));
  return { verdict: `MISMATCH (${differs.join(', ')})`, detail: diffs.join('\n') };
}

interface RunSettings {
  withQemu: boolean;
  measureRss: boolean;
  zerosysArgs: string[];
}

/** Run the pair `count` times interleaved, q before z each time. */
async function interleaved(
  program: Pick<BuiltProgram, 'binary' | 'args' | 'stdin'>,
  count: number,
  settings: RunSettings,
  stats: boolean,
  onRun: (p: Pair) => void,
): Promise<Pair[]> {
  const { binary, args, stdin } = program;
  const options = { timeoutMs: BENCH_TIMEOUT_MS, measureRss: settings.measureRss };
  const pairs: Pair[] = [];
  for (let i = 0; i < count; i++) {
    const ref = settings.withQemu ? await runQemu(binary, args, stdin, options) : undefined;
    // --quiet: no zerosys diagnostic on death by signal, so stderr is the guest's alone.
    const got = await runZerosys(binary, args, stdin, { ...options, stats, extraArgs: ['--quiet', ...settings.zerosysArgs] });
    pairs.push({ ref, got });
    onRun({ ref, got });
  }
  return pairs;
}

function maxOf(values: (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length ? Math.max(...known) : undefined;
}

function side(runs: RunResult[]): SideResult {
  const runsMs = runs.map((r) => r.wallMs);
  const maxRssKiB = maxOf(runs.map((r) => r.maxRssKiB));
  return { wallMs: Math.min(...runsMs), runsMs, ...(maxRssKiB === undefined ? {} : { maxRssKiB }) };
}

async function benchOne(program: BuiltProgram, repeat: number, settings: RunSettings): Promise<BenchRow> {
  process.stderr.write(`${program.name} ${program.args.join(' ')}:`);
  const pairs = await interleaved(program, repeat, settings, true, ({ ref, got }) =>
    process.stderr.write(`${ref ? ` q ${seconds(ref.wallMs)}` : ''} z ${seconds(got.wallMs)}`),
  );
  process.stderr.write('\n');

  const judged = pairs.map(judge);
  const bad = judged.find((j) => j.verdict !== 'same output' && !j.verdict.startsWith('status '));
  if (bad?.detail) process.stderr.write(`${program.name}: ${bad.verdict}\n${bad.detail}\n`);
  const verdict = bad?.verdict ?? judged[0].verdict;

  // The counters come from the fastest zerosys run (they are the same in every run).
  const best = pairs.reduce((b, p) => (p.got.wallMs < b.got.wallMs ? p : b));
  const zerosys = { ...side(pairs.map((p) => p.got)), ...parseZerosysStats(splitZerosysStats(best.got.stderr).stats) };
  const qemu = settings.withQemu ? side(pairs.map((p) => p.ref!)) : undefined;
  return {
    name: program.name,
    args: program.args,
    ...(qemu ? { qemu } : {}),
    zerosys,
    ...(qemu ? { ratio: zerosys.wallMs / qemu.wallMs } : {}),
    verdict,
    ok: verdict === 'same output',
  };
}

async function measureStartup(hello: BuiltProgram, settings: RunSettings): Promise<Startup> {
  process.stderr.write(`start-up (${hello.name}, ${STARTUP_RUNS} runs each):`);
  // One untimed run first: after a source edit, bin/zerosys.js bundles the sources on its
  // first start (about a second), which no timed run should pay for.
  await runZerosys(hello.binary, hello.args, hello.stdin, { timeoutMs: BENCH_TIMEOUT_MS, extraArgs: ['--quiet', ...settings.zerosysArgs] });
  const pairs = await interleaved(hello, STARTUP_RUNS, settings, false, () => process.stderr.write('.'));
  process.stderr.write('\n');
  const judged = pairs.map(judge);
  const badIndex = judged.findIndex((j) => j.verdict !== 'same output' && !j.verdict.startsWith('status '));
  const bad = judged[badIndex];
  if (bad) {
    const stderr = pairs[badIndex].got.stderr.toString('utf8').slice(-2000);
    process.stderr.write(`${hello.name}: ${bad.verdict}\n${bad.detail ?? ''}\nzerosys stderr: ${stderr}\n`);
  }
  const refs = pairs.flatMap((p) => (p.ref ? [p.ref] : []));
  const qemuMs = median(refs.map((r) => r.wallMs));
  const qemuRssKiB = median(refs.flatMap((r) => (r.maxRssKiB === undefined ? [] : [r.maxRssKiB])));
  const zerosysRssKiB = median(pairs.flatMap((p) => (p.got.maxRssKiB === undefined ? [] : [p.got.maxRssKiB])));
  return {
    program: hello.name,
    runs: STARTUP_RUNS,
    ...(qemuMs === undefined ? {} : { qemuMs }),
    zerosysMs: median(pairs.map((p) => p.got.wallMs))!,
    ...(qemuRssKiB === undefined ? {} : { qemuRssKiB }),
    ...(zerosysRssKiB === undefined ? {} : { zerosysRssKiB }),
    verdict: bad?.verdict ?? (settings.withQemu ? 'same output' : `status ${pairs[0].got.status}`),
  };
}

function machine(qemuVersion: string | undefined) {
  let cpu: string | undefined;
  try {
    cpu = parseCpuModel(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    // not Linux: os.cpus() below
  }
  return {
    cpu: cpu ?? cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    os: `${type()} ${release()}`,
    node: process.version,
    qemu: qemuVersion ?? null,
    // The load when the run started: a loaded machine slows zerosys more than qemu.
    loadavg: loadavg().map((l) => Number(l.toFixed(2))),
  };
}

/** `npm run bench`. Returns the exit status (1 when something could not run or differed). */
export async function benchCommand(argv: string[] = []): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(argv);
  } catch (error) {
    console.error(`bench: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }

  const toolchain = toolchainStatus();
  if (!toolchain.ok) {
    console.error(`bench: cannot build the corpus: ${toolchain.reason}`);
    return 1;
  }
  const qemu = qemuStatus();
  console.log(qemu.ok ? `reference: ${qemu.version}` : `reference: none (${qemu.reason}); showing zerosys alone`);
  const rss = rssStatus();
  if (!rss.ok) console.log(`peak RSS: not measured (${rss.reason})`);
  if (options.zerosysArgs.length) console.log(`zerosys run options: ${options.zerosysArgs.join(' ')}`);
  const started = new Date();
  const host = machine(qemu.ok ? qemu.version : undefined);

  const tag = options.quick ? 'bench-quick' : 'bench';
  const selected = (name: string, tags: string[]) => tags.includes(tag) && (options.names.length === 0 || options.names.includes(name));
  const built = await buildCorpus({ filter: (s) => selected(s.name, s.tags) || s.name === STARTUP_PROGRAM || s.tags.includes(STARTUP_TAG) });
  const programs = built.filter((p) => selected(p.name, p.tags));
  const missing = options.names.filter((n) => !programs.some((p) => p.name === n));
  if (missing.length) {
    console.error(`bench: not ${tag}-tagged programs in corpus/manifest.yaml: ${missing.join(', ')}`);
    return 2;
  }
  if (programs.length === 0) {
    console.error(`bench: no ${tag}-tagged programs selected`);
    return 1;
  }
  const settings: RunSettings = { withQemu: qemu.ok, measureRss: rss.ok, zerosysArgs: options.zerosysArgs };

  // Start-up first: it also shows at once when zerosys cannot run at all (a bad option).
  const startup = await measureStartup(built.find((p) => p.name === STARTUP_PROGRAM)!, settings);
  if (startup.verdict !== 'same output' && !startup.verdict.startsWith('status ')) {
    console.error(`bench: zerosys does not run ${STARTUP_PROGRAM} as qemu does (${startup.verdict}); nothing measured`);
    return 1;
  }
  const startups = [startup];
  for (const p of built) if (p.tags.includes(STARTUP_TAG) && p.name !== STARTUP_PROGRAM) startups.push(await measureStartup(p, settings));
  const rows: BenchRow[] = [];
  for (const program of programs) rows.push(await benchOne(program, options.repeat, settings));
  const summary = summarize(rows);

  console.log(formatTable(rows));
  if (qemu.ok) console.log(formatSummary(summary));
  for (const s of startups) console.log(formatStartup(s));

  const report = {
    schema: 1,
    date: started.toISOString(),
    machine: host,
    options: { repeat: options.repeat, quick: options.quick, zerosysArgs: options.zerosysArgs, names: options.names, rss: rss.ok },
    rows,
    geomean: summary.geomean ?? null,
    summary,
    startup,
    startups,
  };
  mkdirSync(dirname(BENCH_JSON), { recursive: true });
  // Microseconds and thousandths of a ratio are plenty; full doubles only add noise.
  const rounded = (_key: string, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v);
  writeFileSync(BENCH_JSON, `${JSON.stringify(report, rounded, 2)}\n`);
  console.log(`wrote ${BENCH_JSON}`);

  const failed = rows.some((r) => !r.ok && !(!qemu.ok && r.verdict.startsWith('status ')));
  return failed || startups.some((s) => s.verdict.startsWith('MISMATCH') || s.verdict.includes('timed out')) ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await benchCommand(process.argv.slice(2));
}
