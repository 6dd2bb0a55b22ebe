// `zerosys run --on-unsupported`: a program prints 25 lines through stdio (fully buffered on a
// pipe) and then calls mount(2), which zerosys does not support (kernel/table.ts). By default
// (fail) zerosys stops it there — exit 125, the fail-fast line, and the buffered lines lost,
// as issue 12 found. With enosys the call returns -ENOSYS, as Linux does for a syscall its
// kernel lacks, so the program goes on, prints the errno and flushes at exit; one zerosys:
// line at exit lists what was answered that way (not with --quiet).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { toolchainStatus } from '../../harness/corpus.ts';
import { ZEROSYS_BIN } from '../../harness/qemu.ts';
import { missingTools, skipTitle } from '../skips.ts';

const SOURCE = `
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  for (int i = 1; i <= 25; i++) printf("line %d\\n", i);
  for (int i = 0; i < 2; i++) {
    errno = 0;
    long r = syscall(SYS_mount, "none", "/mnt", "tmpfs", 0L, (void *)0);
    printf("mount: %ld errno %d %s\\n", r, errno, strerrorname_np(errno));
  }
  return 3;
}
`;

const reason = missingTools(toolchainStatus(['c']));
const dir = mkdtempSync(join(tmpdir(), 'zerosys-run-unsupported-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function zerosys(args: string[], elf: string) {
  const r = await execa(process.execPath, [ZEROSYS_BIN, 'run', ...args, elf], { reject: false, env: { LANG: 'C' }, extendEnv: false });
  return { status: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

const LINES = Array.from({ length: 25 }, (_, i) => `line ${i + 1}`).join('\n');

describe.skipIf(reason !== '')(skipTitle('zerosys run --on-unsupported', reason), () => {
  const elf = join(dir, 'mount');
  it('fail (the default) stops the guest at mount; enosys returns -ENOSYS and lists it at exit', async () => {
    writeFileSync(join(dir, 'mount.c'), SOURCE);
    execFileSync('riscv64-linux-gnu-gcc', ['-static', '-O1', '-o', elf, join(dir, 'mount.c')]);

    const failFast = /^zerosys: unsupported syscall mount \(40\) at pc 0x[0-9a-f]+$/;
    for (const args of [[], ['--on-unsupported', 'fail']]) {
      const r = await zerosys(args, elf);
      expect([r.status, r.stdout], args.join(' ')).toEqual([125, '']);
      expect(r.stderr, args.join(' ')).toMatch(failFast);
    }

    const r = await zerosys(['--on-unsupported', 'enosys'], elf);
    expect(r).toEqual({
      status: 3,
      stdout: `${LINES}\nmount: -1 errno 38 ENOSYS\nmount: -1 errno 38 ENOSYS`,
      stderr: 'zerosys: unsupported syscalls answered ENOSYS: mount (40) x 2',
    });
    // --quiet: stderr exactly as the guest wrote it.
    expect(await zerosys(['--on-unsupported', 'enosys', '--quiet'], elf)).toEqual({ ...r, stderr: '' });
    // A syscall of a module not linked counts as unsupported too.
    const unlinked = await zerosys(['--on-unsupported', 'enosys', '--modules', 'memory,vfs,process,signal,time,random'], elf);
    expect(unlinked.stdout).toBe(r.stdout);
    expect(unlinked.stderr).toMatch(/^zerosys: unsupported syscalls answered ENOSYS: (\w+ \(\d+\) x \d+, )*mount \(40\) x 2(, \w+ \(\d+\) x \d+)*$/);
    expect(unlinked.stderr).toMatch(/set_tid_address \(96\) x 1/); // glibc's start-up call, module sched
  }, 60_000);

  it('--on-unsupported takes fail or enosys; anything else is a usage error (status 125)', async () => {
    const r = await zerosys(['--on-unsupported', 'ignore'], join(dir, 'absent'));
    expect([r.status, r.stdout]).toEqual([125, '']);
    expect(r.stderr).toContain("option '--on-unsupported <mode>' argument 'ignore' is invalid. expected one of: fail, enosys");
  }, 30_000);
});
