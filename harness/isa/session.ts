// One ISA conformance session: directed cases and random cases (in chunks), under the
// interpreter and the block compiler, accumulated into a coverage table; failing cases are
// shrunk. Used by the CLI and by the test suite.

import { instructionCount, type IsaCase } from './case.ts';
import { Coverage } from './coverage.ts';
import { directedCases } from './directed.ts';
import { randomCases, type GenOptions } from './generate.ts';
import { runCases, type CaseOutcome } from './run.ts';
import type { EngineName } from '../../emulator/engines.ts';
import { shrinkCase } from './shrink.ts';

/** Passes per case when comparing compiled code: enough for blocks that start after a
 * 128-instruction block to get hot (16 entries each) and then run compiled several times. */
export const JIT_REPEAT = 40;

export type Mode = 'interp' | 'jit';
export const repeatFor = (m: Mode) => (m === 'jit' ? JIT_REPEAT : 1);

export interface SessionOptions {
  seed: number;
  /** Random cases (per mode). */
  runs: number;
  modes: Mode[];
  directed: boolean;
  gen?: GenOptions;
  /** Shrink at most this many failures (default 10). */
  maxShrink?: number;
  chunk?: number;
  log?: (line: string) => void;
  /** zerosys engine (default: the default engine). */
  engine?: EngineName;
}

export interface Failure {
  mode: Mode;
  original: CaseOutcome;
  shrunk?: CaseOutcome;
}

export interface SessionResult {
  coverage: Coverage;
  failures: Failure[];
}

export async function runSession(o: SessionOptions): Promise<SessionResult> {
  const coverage = new Coverage();
  const failures: Failure[] = [];
  const log = o.log ?? (() => {});
  const collect = (res: CaseOutcome[], kind: 'random' | 'directed', mode: Mode) => {
    for (const r of res) {
      coverage.add(r, kind);
      if (r.kind !== 'same') failures.push({ mode, original: r });
    }
  };
  const directed: IsaCase[] = o.directed ? directedCases() : [];
  for (const mode of o.modes) {
    const repeat = repeatFor(mode);
    if (directed.length) {
      collect(await runCases(directed, { repeat, engine: o.engine }), 'directed', mode);
      log(`[${mode}] directed: ${directed.length} cases`);
    }
    const chunk = o.chunk ?? 1000;
    let insns = 0;
    for (let first = 0; first < o.runs; first += chunk) {
      const cases = randomCases(o.seed, Math.min(chunk, o.runs - first), o.gen, first);
      insns += cases.reduce((n, c) => n + instructionCount(c), 0);
      collect(await runCases(cases, { repeat, engine: o.engine }), 'random', mode);
      log(`[${mode}] random: ${Math.min(first + chunk, o.runs)}/${o.runs} cases, ${insns} instructions, ${failures.length} failing so far`);
    }
  }
  const maxShrink = o.maxShrink ?? 10;
  for (const f of failures.slice(0, maxShrink)) {
    if (f.original.kind === 'diff' && !f.original.c.mode) {
      log(`shrinking ${f.original.c.name} [${f.mode}]`);
      f.shrunk = (await shrinkCase(f.original, repeatFor(f.mode), undefined, o.engine)).outcome;
    }
  }
  return { coverage, failures };
}
