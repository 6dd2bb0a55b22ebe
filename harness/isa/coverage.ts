// The coverage table: for every RV64GC mnemonic, how many differential cases executed it
// (outside jump shadows) and how many of those were identical to qemu-riscv64. A mnemonic
// no case executed is listed as never exercised, not as passing.

import { exercised, instructionCount } from './case.ts';
import { ALL_MNEMONICS } from './mnemonics.ts';
import type { CaseOutcome } from './run.ts';
import { JIT_REPEAT } from './session.ts';

export interface CoverageRow {
  name: string;
  ext: string;
  /** Cases that executed the mnemonic. */
  cases: number;
  /** Of those, cases identical to qemu-riscv64. */
  identical: number;
  /** Executions (a case may run it several times). */
  instances: number;
}

export type RowStatus = 'identical' | 'MISMATCH' | 'never exercised';

export function rowStatus(r: CoverageRow): RowStatus {
  if (r.cases === 0) return 'never exercised';
  return r.identical === r.cases ? 'identical' : 'MISMATCH';
}

export interface CoverageTotals {
  randomCases: number;
  randomInstructions: number;
  directedCases: number;
  directedInstructions: number;
  identicalCases: number;
  mismatchedCases: number;
  invalidCases: number;
}

export class Coverage {
  private readonly rows = new Map<string, CoverageRow>(ALL_MNEMONICS.map((m) => [m.name, { name: m.name, ext: m.ext, cases: 0, identical: 0, instances: 0 }]));
  readonly totals: CoverageTotals = {
    randomCases: 0,
    randomInstructions: 0,
    directedCases: 0,
    directedInstructions: 0,
    identicalCases: 0,
    mismatchedCases: 0,
    invalidCases: 0,
  };

  add(o: CaseOutcome, kind: 'random' | 'directed'): void {
    const n = instructionCount(o.c);
    if (kind === 'random') {
      this.totals.randomCases++;
      this.totals.randomInstructions += n;
    } else {
      this.totals.directedCases++;
      this.totals.directedInstructions += n;
    }
    if (o.kind === 'same') this.totals.identicalCases++;
    else if (o.kind === 'diff') this.totals.mismatchedCases++;
    else this.totals.invalidCases++;
    const names = exercised(o.c);
    for (const m of names) this.rows.get(m)!.instances++;
    for (const m of new Set(names)) {
      const r = this.rows.get(m)!;
      r.cases++;
      if (o.kind === 'same') r.identical++;
    }
  }

  table(): CoverageRow[] {
    return [...this.rows.values()].map((r) => ({ ...r }));
  }

  /** Mnemonics with no case or with a differing case. */
  problems(): { never: string[]; mismatched: string[] } {
    const t = this.table();
    return {
      never: t.filter((r) => rowStatus(r) === 'never exercised').map((r) => r.name),
      mismatched: t.filter((r) => rowStatus(r) === 'MISMATCH').map((r) => r.name),
    };
  }
}

export interface ReportMeta {
  seed: number;
  runs: number;
  jit: boolean;
  qemu: string;
  wallSeconds: number;
}

export function coverageJson(cov: Coverage, meta: ReportMeta): object {
  return { ...meta, totals: cov.totals, ...cov.problems(), mnemonics: cov.table().map((r) => ({ ...r, status: rowStatus(r) })) };
}

export function coverageMarkdown(cov: Coverage, meta: ReportMeta): string {
  const t = cov.totals;
  const { never, mismatched } = cov.problems();
  const rows = cov.table();
  const lines = [
    '# RV64GC instruction coverage against qemu-riscv64',
    '',
    `Written by \`npm run isa -- --runs ${meta.runs} --seed ${meta.seed}${meta.jit ? '' : ' --no-jit'}\` (reference: ${meta.qemu}).`,
    'Each case loads chosen values into x1-x31, f0-f31, fcsr and scratch memory, runs a short',
    'instruction sequence, and dumps the whole state; a case is identical when every register,',
    'fcsr and the scratch memory match qemu-riscv64 (trap cases: the exit status).',
    meta.jit ? `In the jit mode every case ran ${JIT_REPEAT} times in a row, so zerosys's compiled blocks were compared too.` : '',
    '',
    `- random: ${t.randomCases} cases, ${t.randomInstructions} instructions (seed ${meta.seed})`,
    `- directed: ${t.directedCases} cases, ${t.directedInstructions} instructions`,
    `- identical: ${t.identicalCases}, mismatched: ${t.mismatchedCases}, invalid: ${t.invalidCases}`,
    `- mnemonics: ${rows.length}, exercised: ${rows.length - never.length}, all identical: ${rows.filter((r) => rowStatus(r) === 'identical').length}`,
    `- never exercised: ${never.length ? never.join(', ') : 'none'}`,
    `- with a mismatch: ${mismatched.length ? mismatched.join(', ') : 'none'}`,
    `- wall time: ${meta.wallSeconds.toFixed(1)} s`,
    '',
    '| mnemonic | ext | cases | identical | executions | status |',
    '|---|---|---:|---:|---:|---|',
    ...rows.map((r) => `| \`${r.name}\` | ${r.ext} | ${r.cases} | ${r.identical} | ${r.instances} | ${rowStatus(r)} |`),
    '',
  ];
  return lines.filter((l, i) => l !== '' || lines[i - 1] !== '').join('\n');
}
