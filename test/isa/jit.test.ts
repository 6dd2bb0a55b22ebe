// The ISA batch under each engine's compiler (JavaScript blocks, wasm regions): every case
// runs JIT_REPEAT times in a row, so its code is compiled and the last passes (whose state
// is dumped) run compiled code.
// Compiling is the cost here, so this batch is a sample: random cases and every 4th
// directed case.

import { beforeAll, describe, expect, it } from 'vitest';
import { directedCases } from '../../harness/isa/directed.ts';
import { formatOutcome } from '../../harness/isa/format.ts';
import { randomCases } from '../../harness/isa/generate.ts';
import { runCases, type CaseOutcome } from '../../harness/isa/run.ts';
import { JIT_REPEAT } from '../../harness/isa/session.ts';
import { SKIP_REASON, skipNote } from './tools.ts';
import { ENGINE_NAMES } from '../../emulator/engines.ts';

const SEED = 777;
const RANDOM_RUNS = 400;

describe.skipIf(SKIP_REASON !== '').each(ENGINE_NAMES)(`ISA conformance, compiled code of engine %s (seed ${SEED})${skipNote}`, (engine) => {
  let res: CaseOutcome[] = [];

  beforeAll(async () => {
    console.log(`[isa] ${engine} compiled-code batch: seed ${SEED}, ${RANDOM_RUNS} random cases x ${JIT_REPEAT} passes (reproduce one: npm run isa -- --seed ${SEED} --modes jit --engine ${engine} --case I)`);
    const cases = [...directedCases().filter((c, i) => i % 4 === 0 && !c.mode), ...randomCases(SEED, RANDOM_RUNS)];
    res = await runCases(cases, { repeat: JIT_REPEAT, engine });
  });

  it('cases run as compiled blocks are identical to qemu-riscv64', () => {
    expect(res.length).toBeGreaterThan(RANDOM_RUNS);
    const bad = res.filter((r) => r.kind !== 'same');
    expect(bad.slice(0, 5).map(formatOutcome).join('\n\n')).toBe('');
  });
});
