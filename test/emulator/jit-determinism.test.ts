// The block compiler must be invisible: the same guest with blocks compiled and with
// the interpreter alone gives the same output, the same retired-instruction count, and an
// instruction limit stops both at the same pc. Two runs with the same seed are identical.

import { describe, expect, it, beforeAll } from 'vitest';
import { buildCorpus, toolchainStatus, type BuiltProgram } from '../../harness/corpus.ts';
import { runGuest } from '../../harness/guest.ts';
import { BufferStdio } from '../../harness/host-stdio.ts';
import { missingTools, skipTitle } from '../skips.ts';

const reason = missingTools(toolchainStatus(['c']));
if (reason) console.warn(`jit-determinism skipped: ${reason}`);

const PROGRAMS = ['bench-small', 'printf-double'];

function run(p: BuiltProgram, jit: boolean, maxInsns?: number) {
  const stdio = new BufferStdio(p.stdin);
  // A low compile threshold: most of the run is compiled code, so it is what gets compared.
  const r = runGuest({ program: p.binary, args: p.args, env: ['LANG=C'], seed: 7n, stdio, jit, maxInsns, hot: 16 });
  return { status: r.status, instret: r.instret, out: stdio.stdout().toString('latin1'), message: r.stop.message };
}

describe.skipIf(reason !== '')(skipTitle('block compiler vs interpreter', reason), () => {
  let built: BuiltProgram[] = [];
  beforeAll(async () => {
    built = await buildCorpus({ filter: (s) => PROGRAMS.includes(s.name) });
  });

  it('builds the programs', () => {
    expect(built.map((b) => b.name).sort()).toEqual([...PROGRAMS].sort());
  });

  for (const name of PROGRAMS) {
    it(`${name}: same output and instruction count with and without the JIT, every run`, () => {
      const p = built.find((b) => b.name === name)!;
      const a = run(p, true);
      const b = run(p, false);
      const c = run(p, true);
      expect(a.status).toBe(0);
      expect(a.out.length).toBeGreaterThan(0);
      expect(b).toEqual(a);
      expect(c).toEqual(a);
    });
  }

  it('an instruction limit stops both modes at the same pc and count', () => {
    const p = built.find((b) => b.name === 'bench-small')!;
    const total = run(p, true).instret;
    const limit = Math.floor(total / 3) + 17; // lands inside a block, not at its start
    const a = run(p, true, limit);
    const b = run(p, false, limit);
    expect(a.status).toBe(125);
    expect(a.instret).toBe(limit);
    expect(a).toEqual(b);
    expect(a.message).toMatch(/instruction limit reached .* at pc 0x[0-9a-f]+/);
  });
});
