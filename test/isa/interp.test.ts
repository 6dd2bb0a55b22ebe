// The fixed-seed ISA batch under zerosys's interpreter: every directed case and RANDOM_RUNS
// random cases, each compared with qemu-riscv64 register by register. Together they must
// exercise every RV64GC mnemonic, and every case must be identical.

import { beforeAll, describe, expect, it } from 'vitest';
import { Coverage, rowStatus } from '../../harness/isa/coverage.ts';
import { directedCases } from '../../harness/isa/directed.ts';
import { formatOutcome } from '../../harness/isa/format.ts';
import { randomCases } from '../../harness/isa/generate.ts';
import { runCases, type CaseOutcome } from '../../harness/isa/run.ts';
import { SKIP_REASON, skipNote } from './tools.ts';

const SEED = 20240601;
const RANDOM_RUNS = 2000;

function failures(res: CaseOutcome[]): string {
  return res
    .filter((r) => r.kind !== 'same')
    .slice(0, 5)
    .map(formatOutcome)
    .join('\n\n');
}

describe.skipIf(SKIP_REASON !== '')(`ISA conformance, interpreter (seed ${SEED})${skipNote}`, () => {
  const coverage = new Coverage();
  let directed: CaseOutcome[] = [];
  let random: CaseOutcome[] = [];

  beforeAll(async () => {
    console.log(`[isa] interpreter batch: seed ${SEED}, ${RANDOM_RUNS} random cases (reproduce one: npm run isa -- --seed ${SEED} --modes interp --case I)`);
    directed = await runCases(directedCases());
    random = await runCases(randomCases(SEED, RANDOM_RUNS));
    directed.forEach((o) => coverage.add(o, 'directed'));
    random.forEach((o) => coverage.add(o, 'random'));
  });

  it('directed cases are identical to qemu-riscv64', () => {
    expect(directed.length).toBeGreaterThan(1000);
    expect(failures(directed)).toBe('');
  });

  it('random cases are identical to qemu-riscv64', () => {
    expect(coverage.totals.randomInstructions).toBeGreaterThan(5000);
    expect(failures(random)).toBe('');
  });

  it('every RV64GC mnemonic is exercised, and only by identical cases', () => {
    const bad = coverage.table().filter((r) => rowStatus(r) !== 'identical');
    expect(bad.map((r) => `${r.name}: ${rowStatus(r)}`)).toEqual([]);
  });
});
