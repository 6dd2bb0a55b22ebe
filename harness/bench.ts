// `npm run bench`: runs the bench-tagged corpus programs under qemu-riscv64 and under
// `zerosys run --stats` in the same session and prints wall times, the slowdown, zerosys'
// MIPS and retired instruction count. Without qemu only the zerosys columns are filled.
//
// Options: --quick (skip programs tagged slow), --repeat N (best of N runs), NAME... (only
// these programs).

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCorpus, toolchainStatus, type BuiltProgram } from './corpus.ts';
import { qemuStatus, runQemu, runZerosys, splitZerosysStats, type RunResult } from './qemu.ts';

const BENCH_TIMEOUT_MS = 30 * 60_000;

export interface ZerosysStats {
  instructions?: number;
  mips?: number;
}

/** Read the counters out of `zerosys:` stats lines (e.g. "zerosys: 123 instructions retired in 4.5 ms (27.3 MIPS)"). */
export function parseZerosysStats(lines: string[]): ZerosysStats {
  const stats: ZerosysStats = {};
  for (const line of lines) {
    const insns = /(\d[\d,_]*)\s+(?:instructions|insns)\b/i.exec(line);
    if (insns) stats.instructions = Number(insns[1].replace(/[,_]/g, ''));
    const mips = /([\d.]+)\s*MIPS\b/i.exec(line);
    if (mips) stats.mips = Number(mips[1]);
  }
  return stats;
}

interface BenchRow {
  name: string;
  qemuMs?: number;
  zerosysMs?: number;
  stats: ZerosysStats;
  verdict: string;
}

async function bestOf(repeat: number, run: () => Promise<RunResult>): Promise<RunResult> {
  let best: RunResult | undefined;
  for (let i = 0; i < repeat; i++) {
    const r = await run();
    if (!best || r.wallMs < best.wallMs) best = r;
  }
  return best!;
}

async function benchOne(program: BuiltProgram, withQemu: boolean, repeat: number): Promise<BenchRow> {
  const { binary, args, stdin } = program;
  const options = { timeoutMs: BENCH_TIMEOUT_MS };
  const ref = withQemu ? await bestOf(repeat, () => runQemu(binary, args, stdin, options)) : undefined;
  const got = await bestOf(repeat, () => runZerosys(binary, args, stdin, { ...options, stats: true, extraArgs: ['--quiet'] }));
  const { guest, stats } = splitZerosysStats(got.stderr);

  let verdict = `status ${got.status}`;
  if (got.timedOut) verdict = 'zerosys timed out';
  else if (ref) {
    const same = ref.status === got.status && ref.stdout.equals(got.stdout) && ref.stderr.equals(guest);
    verdict = same ? 'same output' : `MISMATCH (status qemu=${ref.status} zerosys=${got.status})`;
  }
  return { name: program.name, qemuMs: ref?.wallMs, zerosysMs: got.wallMs, stats: parseZerosysStats(stats), verdict };
}

function formatTable(rows: BenchRow[]): string {
  const fmt = (n: number | undefined, digits = 0) => (n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits));
  const header = ['program', 'qemu ms', 'zerosys ms', 'zerosys/qemu', 'zerosys MIPS', 'instructions', 'result'];
  const body = rows.map((r) => [
    r.name,
    fmt(r.qemuMs),
    fmt(r.zerosysMs),
    r.qemuMs && r.zerosysMs ? `${(r.zerosysMs / r.qemuMs).toFixed(1)}x` : '-',
    fmt(r.stats.mips, 1),
    r.stats.instructions === undefined ? '-' : r.stats.instructions.toLocaleString('en-US'),
    r.verdict,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** `npm run bench` / `zerosys bench`. Returns the exit status (1 when something could not run). */
export async function benchCommand(argv: string[] = []): Promise<number> {
  let quick = false;
  let repeat = 1;
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--quick') quick = true;
    else if (argv[i] === '--repeat') repeat = Math.max(1, Number(argv[++i]) || 1);
    else names.push(argv[i]);
  }

  const toolchain = toolchainStatus();
  if (!toolchain.ok) {
    console.error(`bench: cannot build the corpus: ${toolchain.reason}`);
    return 1;
  }
  const qemu = qemuStatus();
  console.log(qemu.ok ? `reference: ${qemu.version}` : `reference: none (${qemu.reason}); showing zerosys alone`);

  const programs = await buildCorpus({
    filter: (s) =>
      s.tags.includes('bench') && (!quick || !s.tags.includes('slow')) && (names.length === 0 || names.includes(s.name)),
  });
  if (programs.length === 0) {
    console.error('bench: no bench-tagged programs selected');
    return 1;
  }
  const rows: BenchRow[] = [];
  for (const program of programs) {
    process.stderr.write(`running ${program.name} ${program.args.join(' ')}...\n`);
    rows.push(await benchOne(program, qemu.ok, repeat));
  }
  console.log(formatTable(rows));
  return rows.some((r) => r.verdict.startsWith('MISMATCH') || r.verdict.includes('timed out')) ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await benchCommand(process.argv.slice(2));
}
