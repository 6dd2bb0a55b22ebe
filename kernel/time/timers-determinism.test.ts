// Timer expiry is deterministic: the itimers and posix-timers corpus programs (ITIMER_REAL
// waited for with sigsuspend, pause and nanosleep; ITIMER_VIRTUAL/PROF and a CPU-time POSIX
// timer over busy loops that spin until the signal comes) run twice, and once more with the
// block compiler off, give the same output, the same syscall trace (every call with its
// arguments, result and pc) and the same retired-instruction count: a signal that came one
// instruction later would change how long a loop spun. Skipped without the riscv64 cross
// compiler (the corpus cannot be built).

import { describe, expect, it } from 'vitest';
import { buildCorpus, toolchainStatus } from '../../harness/corpus.ts';
import { runGuest } from '../../harness/guest.ts';
import type { SyscallEvent } from '../kernel.ts';
import { TestStdio } from '../test-support.ts';
import { missingTools, skipTitle } from '../../test/skips.ts';

const noCompiler = missingTools(toolchainStatus(['c']));

function run(binary: string, jit: boolean) {
  const events: string[] = [];
  const trace = (ev: SyscallEvent) => events.push(`${ev.name}(${ev.args.join(',')}) = ${ev.ret} @${ev.pc.toString(16)}`);
  const stdio = new TestStdio();
  const result = runGuest({ program: binary, args: [], env: [], seed: 7n, stdio, trace, jit, mounts: [], cwd: '/' });
  return { status: result.status, instret: result.instret, stdout: stdio.text(1), events };
}

describe.skipIf(noCompiler !== '')(skipTitle('timer determinism', noCompiler), () => {
  it('itimers and posix-timers: same output, trace and instruction count on every run, with and without the JIT', async () => {
    const programs = await buildCorpus({ filter: (spec) => spec.name === 'itimers' || spec.name === 'posix-timers' });
    expect(programs.map((p) => p.name).sort()).toEqual(['itimers', 'posix-timers']);
    for (const program of programs) {
      const a = run(program.binary, true);
      expect(a.status).toBe(0);
      expect(a.stdout).toMatch(program.name === 'itimers' ? /SIGVTALRM 3 SIGPROF 3/ : /cpu timer: hits 1 code -2 value 9/);
      expect(a.events.filter((e) => e.startsWith('rt_sigreturn(')).length).toBeGreaterThan(3); // handlers ran
      expect(run(program.binary, true)).toEqual(a);
      expect(run(program.binary, false)).toEqual(a);
    }
  }, 120_000);
});
