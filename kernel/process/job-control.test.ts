// Stops taken while the scheduler switches processes: a child stops its parent and then
// itself; the parent, busy in user code, takes its stop as it is switched in. Nothing can
// continue either (Linux would leave both stopped until a shell sends SIGCONT), so the run
// ends with zerosys's deadlock report: a clean GuestStop, not a host exception.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execaSync } from 'execa';
import { toolchainStatus } from '../../harness/corpus.ts';
import { runGuest } from '../../harness/guest.ts';
import { ZerosysStop } from '../api.ts';
import { TestStdio } from '../test-support.ts';
import { missingTools, skipTitle } from '../../test/skips.ts';

const noCompiler = missingTools(toolchainStatus(['c']));

const SOURCE = `#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
  pid_t parent = getpid();
  if (fork() == 0) {
    kill(parent, SIGSTOP); // pending for the parent, which is busy in user code
    raise(SIGSTOP);        // the child stops at once: the parent is switched in and stops too
    _exit(0);
  }
  for (volatile unsigned long spin = 0;; spin++) {}
}
`;

describe.skipIf(noCompiler !== '')(skipTitle('job control at a switch', noCompiler), () => {
  const dir = mkdtempSync(join(tmpdir(), 'zerosys-jc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a stop taken as a process is switched in, after the running one stopped, ends the run as a deadlock', () => {
    writeFileSync(join(dir, 'p.c'), SOURCE);
    execaSync('riscv64-linux-gnu-gcc', ['-static', '-O2', '-o', join(dir, 'p'), join(dir, 'p.c')]);
    const result = runGuest({ program: join(dir, 'p'), args: [], env: [], seed: 1n, stdio: new TestStdio(), mounts: [], cwd: '/' });
    expect(result.stop).toBeInstanceOf(ZerosysStop);
    expect(result.stop.message).toBe('deadlock: every thread is blocked and none can be woken (process 1000: stopped by signal 19; process 1001: stopped by signal 19)');
  }, 30_000);
});
