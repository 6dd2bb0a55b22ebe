// Without --mem, `zerosys run` keeps a runaway guest to half of the host's memory (at most
// the 4 GiB machine): past it the guest is killed with SIGKILL (status 137), as Linux's OOM
// killer or a memory cgroup limit does, while sysinfo still reports the fixed 4 GiB machine
// (nothing host-specific reaches the guest).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultResidentLimit } from '../../harness/host-memory.ts';
import { runGuest } from '../../harness/guest.ts';
import { BufferStdio } from '../../harness/host-stdio.ts';
import { findOnPath } from '../../harness/qemu.ts';
import { skipTitle } from '../skips.ts';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

describe('defaultResidentLimit', () => {
  it('is min(4 GiB, half the host), in whole MiB', () => {
    expect(defaultResidentLimit(24 * GiB)).toBe(4 * GiB);
    expect(defaultResidentLimit(8 * GiB)).toBe(4 * GiB);
    expect(defaultResidentLimit(7 * GiB)).toBe(3.5 * GiB);
    expect(defaultResidentLimit(2 * GiB + 3 * MiB)).toBe(GiB + MiB);
  });
});

// Prints sysinfo's totalram, then mallocs and touches 1 MiB at a time, up to 256 MiB.
const SOURCE = String.raw`
#include <stdio.h>
#include <stdlib.h>
#include <sys/sysinfo.h>
#include <unistd.h>
int main(void) {
  struct sysinfo si;
  sysinfo(&si);
  printf("totalram %lu\n", si.totalram * si.mem_unit);
  fflush(stdout);
  for (int mib = 0; mib < 256; mib++) {
    char *p = malloc(1 << 20);
    if (!p) { printf("ENOMEM at %d MiB\n", mib); return 3; }
    for (int i = 0; i < (1 << 20); i += 4096) p[i] = 1;
  }
  printf("not killed\n");
  return 0;
}
`;

const compiler = findOnPath('riscv64-linux-gnu-gcc');
const noCompiler = compiler ? '' : 'riscv64-linux-gnu-gcc not found on PATH (apt-get install gcc-riscv64-linux-gnu)';
const base = mkdtempSync(join(tmpdir(), 'zerosys-host-memory-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe.skipIf(!compiler)(skipTitle('resident limit (real guest program)', noCompiler), () => {
  it('a guest touching more than the limit is SIGKILLed; sysinfo still shows the 4 GiB machine', () => {
    writeFileSync(join(base, 'eat.c'), SOURCE);
    const binary = join(base, 'eat');
    execFileSync(compiler!, ['-static', '-O2', '-o', binary, join(base, 'eat.c')]);
    const stdio = new BufferStdio();
    const r = runGuest({ program: binary, args: [], env: [], seed: 0n, stdio, residentLimitBytes: 64 * MiB, mounts: [], releaseMemory: true });
    expect(stdio.stdout().toString()).toBe(`totalram ${4 * GiB}\n`);
    expect([r.status, r.stop.message]).toEqual([137, 'killed by signal 9 (out of memory: the guest touched more than 64 MiB (--mem))']);
    // The same guest without the limit allocates all it wants.
    const free = new BufferStdio();
    expect(runGuest({ program: binary, args: [], env: [], seed: 0n, stdio: free, mounts: [], releaseMemory: true }).status).toBe(0);
    expect(free.stdout().toString()).toBe(`totalram ${4 * GiB}\nnot killed\n`);
  }, 60_000);
});
