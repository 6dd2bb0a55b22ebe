// Determinism of the scheduler: a multithreaded corpus program (pthreads: 40 threads,
// mutexes, condition variables, barriers, sched_yield, detached threads, pthread_kill) run
// twice gives the same output, the same syscall trace (every call, in order, with its
// arguments and result) and the same retired-instruction count — and the same again with
// the block compiler off, so the interleaving depends on retired instructions only. Timer
// expiry too: the itimers and posix-timers corpus programs (ITIMER_REAL waited for with
// sigsuspend, pause and nanosleep; ITIMER_VIRTUAL/PROF and a CPU-time POSIX timer over busy
// loops that spin until the signal comes) give the same output, trace (every call with its
// arguments, result and pc) and count: a signal one instruction later would change how long
// a loop spun. Processes too: fork-wait, exec-self, shared-memory, sysv-ipc (fork, vfork, wait4, waitid, kill,
// execve, posix_spawn) interleave their processes the same way on every run. Skipped without
// the riscv64 cross compiler (the corpus cannot be built).

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
  return { status: result.status, instret: result.instret, stdout: stdio.text(1), stderr: stdio.text(2), events };
}

describe.skipIf(noCompiler !== '')(skipTitle('multithreaded determinism', noCompiler), () => {
  it('two runs agree on output, syscall trace and instruction count, with and without the JIT', async () => {
    const [program] = await buildCorpus({ filter: (spec) => spec.name === 'pthreads' });
    const a = run(program.binary, true);
    const b = run(program.binary, true);
    expect(a.status).toBe(0);
    expect(a.stdout).toContain('mutex counter 160000 (expected 160000)');
    expect(a.events.filter((e) => e.startsWith('clone(')).length).toBe(40);
    expect(a.events.length).toBeGreaterThan(1000); // threads really blocked and woke
    expect(b).toEqual(a);
    const c = run(program.binary, false);
    expect(c).toEqual(a);
  }, 60_000);
});

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

describe.skipIf(noCompiler !== '')(skipTitle('process determinism', noCompiler), () => {
  it('fork, vfork, wait, execve, shared memory and System V IPC: same output, trace and instruction count on every run, with and without the JIT', async () => {
    const names = ['exec-self', 'fork-wait', 'shared-memory', 'sysv-ipc'];
    const programs = await buildCorpus({ filter: (spec) => names.includes(spec.name) });
    expect(programs.map((p) => p.name).sort()).toEqual(names);
    for (const program of programs) {
      const a = run(program.binary, true);
      expect(a.status).toBe(0);
      // Lines qemu-riscv64 prints for the same programs (the corpus comparison checks them all).
      if (program.name === 'fork-wait') expect(a.stdout).toContain('killed child: killed by Terminated\nwaitid: 0, si_signo 17, si_code CLD_EXITED, si_status 5');
      else if (program.name === 'shared-memory') expect(a.stdout).toContain('mutex and condvar: 0 100 1 101 2 102 3 103 4 104\nshm: mapping shows "child wrote page 1", read(2) shows "child wrote page 1", last byte z');
      else if (program.name === 'sysv-ipc') expect(a.stdout).toContain('msgrcv type -4: three\nmsgrcv type 0: five\nmsgrcv except 7: three again');
      else expect(a.stdout).toContain("exec'd: SIGUSR1 default, SIGUSR2 ignored, SIGTERM blocked yes\nexec'd: same pid as before the exec: yes\nfork+execve: exited 22");
      expect(a.events.filter((e) => e.startsWith('clone(')).length).toBeGreaterThan(program.name === 'fork-wait' || program.name === 'exec-self' ? 1 : 0);
      expect(run(program.binary, true)).toEqual(a);
      expect(run(program.binary, false)).toEqual(a);
    }
  }, 120_000);
});
