// How much of a program's syscall trace the reference itself reproduces: qemu-riscv64 run
// twice on the same binary, arguments, stdin and directory, the two traces compared with
// the very rules zerosys is judged by. A single-threaded program compares all of its calls
// with itself; a threaded one only as much as the host's scheduling allows (futex
// contention, Go's clock reads and heap scavenging follow wall time). Where qemu against
// itself compares 50% of a trace, no implementation can be held to 90% against qemu: this
// is the ceiling the "compared" share of a threaded program's verdict is read against.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSide } from './exec.ts';
import type { DifferentialCase } from './differential.ts';
import { compareTraces, parseTrace, type TraceComparison } from './trace.ts';

export interface StabilityRow {
  id: string;
  /** Calls in each qemu run's trace. */
  calls: [number, number];
  /** Calls of the first run compared with a call of the second. */
  compared: number;
  /** compared / calls[0], in percent (100 for an empty trace). */
  percent: number;
  threads: number;
  /** Calls set aside per rule, first run's side. */
  setAside: Record<string, number>;
  /** Where the two runs differ beyond what the rules set aside (undefined: they agree). */
  divergence?: string;
}

/** Compare two traces of the same side and describe it as a row. */
export function stabilityRow(id: string, first: string, second: string): StabilityRow {
  const cmp: TraceComparison = compareTraces(parseTrace(first), parseTrace(second));
  const setAside = Object.fromEntries(Object.entries(cmp.setAside).filter(([, c]) => c.qemu > 0).map(([rule, c]) => [rule, c.qemu]));
  return {
    id,
    calls: [cmp.qemuCalls, cmp.zerosysCalls],
    compared: cmp.compared,
    percent: cmp.qemuCalls === 0 ? 100 : (100 * cmp.compared) / cmp.qemuCalls,
    threads: cmp.threads,
    setAside,
    ...(cmp.divergence ? { divergence: `${cmp.divergence.what}: ${cmp.divergence.qemu ?? '(none)'} / ${cmp.divergence.zerosys ?? '(none)'}` } : {}),
  };
}

/** Run one case's traced qemu run twice, each in a fresh working directory, and compare the traces. */
export async function referenceStability(c: DifferentialCase): Promise<StabilityRow> {
  const base = await mkdtemp(join(tmpdir(), 'zerosys-stability-'));
  try {
    const traces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const work = join(base, `work${i}`);
      await mkdir(work, { recursive: true });
      await c.setup?.(work);
      const run = await runSide('qemu', c.binary, { cwd: work, args: c.args, stdin: c.stdin, timeoutMs: c.timeoutMs, threadIds: c.threadIds, isa: c.isa, trace: true });
      if (run.timedOut) throw new Error(`${c.id}: qemu-riscv64 timed out after ${run.wallMs.toFixed(0)} ms`);
      traces.push(run.trace);
    }
    return stabilityRow(c.id, traces[0], traces[1]);
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

/** The rows as a Markdown table, with zerosys's own compared share beside each where known. */
export function stabilityMarkdown(rows: StabilityRow[], zerosysPercent: Map<string, number>): string {
  const pct = (v: number | undefined) => (v === undefined ? '-' : `${v.toFixed(1)}%`);
  const lines = [
    '| program | threads | calls (run 1 / run 2) | qemu vs qemu: compared | zerosys vs qemu: compared | set aside between the two qemu runs |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map((r) => {
      const aside = Object.entries(r.setAside).sort((a, b) => b[1] - a[1]).map(([rule, n]) => `${n} ${rule}`).join(', ');
      const verdict = r.divergence ? ` (differ: ${r.divergence.replace(/\|/g, '\\|').slice(0, 120)})` : '';
      return `| ${r.id} | ${r.threads} | ${r.calls[0]} / ${r.calls[1]} | ${pct(r.percent)}${verdict} | ${pct(zerosysPercent.get(r.id))} | ${aside || '-'} |`;
    }),
  ];
  return lines.join('\n') + '\n';
}

export async function writeStability(dir: string, rows: StabilityRow[], zerosysPercent: Map<string, number>): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const json = join(dir, 'reference-stability.json');
  const md = join(dir, 'reference-stability.md');
  await writeFile(json, JSON.stringify({ schema: 'zerosys-reference-stability', version: 1, generatedAt: new Date().toISOString(), rows }, null, 1) + '\n');
  const intro =
    '# Reference stability\n\nEach program run twice under qemu-riscv64 and its two traces compared with the rules zerosys is judged by ' +
    '(`npx zerosys reference-stability`). What qemu cannot reproduce of its own trace (thread interleaving, wall-clock-driven calls) ' +
    'is the ceiling for any implementation compared with it.\n\n';
  await writeFile(md, intro + stabilityMarkdown(rows, zerosysPercent));
  return [json, md];
}
