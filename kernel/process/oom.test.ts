// Out of memory in a child process: Linux's OOM killer sends the victim SIGKILL
// (mm/oom_kill.c __oom_kill_process) and the system goes on — the parent reaps a child that
// died of SIGKILL. Only the first process's OOM ends the run (status 137), as before.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execaSync } from 'execa';
import { toolchainStatus } from '../../harness/corpus.ts';
import { runGuest } from '../../harness/guest.ts';
import { GuestExit, GuestKilled } from '../api.ts';
import { TestStdio } from '../test-support.ts';
import { missingTools, skipTitle } from '../../test/skips.ts';

const noCompiler = missingTools(toolchainStatus(['c']));

const SOURCE = `#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
static void touch(size_t mib) {
  char *p = mmap(0, mib << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) _exit(3);
  for (size_t i = 0; i < (mib << 20); i += 4096) p[i] = 1;
}
int main(int argc, char **argv) {
  if (argc > 1) { touch(64); return 0; } /* the first process itself runs out */
  pid_t pid = fork();
  if (pid == 0) { touch(64); _exit(0); }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return 2;
  printf("signaled=%d sig=%d\\n", WIFSIGNALED(status), WIFSIGNALED(status) ? WTERMSIG(status) : -1);
  touch(4); /* the parent still runs and has memory to touch */
  printf("parent goes on\\n");
  return 0;
}
`;

describe.skipIf(noCompiler !== '')(skipTitle('OOM in a child process', noCompiler), () => {
  const dir = mkdtempSync(join(tmpdir(), 'zerosys-oom-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const build = () => {
    writeFileSync(join(dir, 'p.c'), SOURCE);
    execaSync('riscv64-linux-gnu-gcc', ['-static', '-O2', '-o', join(dir, 'p'), join(dir, 'p.c')]);
    return join(dir, 'p');
  };
  const run = (program: string, args: string[]) => {
    const stdio = new TestStdio();
    const result = runGuest({ program, args, env: [], seed: 1n, stdio, mounts: [], cwd: '/', residentLimitBytes: 32 << 20 });
    return { stop: result.stop, out: stdio.text(1) };
  };

  it('a child that touches more than the machine has dies of SIGKILL; its parent reaps it and goes on', () => {
    const { stop, out } = run(build(), []);
    expect(out).toBe('signaled=1 sig=9\nparent goes on\n');
    expect(stop).toBeInstanceOf(GuestExit);
    expect((stop as GuestExit).code).toBe(0);
  }, 60_000);

  it("the first process's OOM still ends the run with SIGKILL", () => {
    const { stop } = run(join(dir, 'p'), ['self']);
    expect(stop).toBeInstanceOf(GuestKilled);
    expect((stop as GuestKilled).signal).toBe(9);
  }, 60_000);
});
