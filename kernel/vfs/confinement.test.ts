// End to end: a real riscv64 program, run by runGuest with a temporary host directory
// as its working directory, tries to read host files outside that directory — by absolute
// path, by "..", through symlinks the host put there (absolute and relative), through
// symlinks it makes itself, through /proc — and must get ENOENT every time (what Linux
// answers in a namespace that holds only the mounts), never the host bytes.
// Skipped without the riscv64 cross compiler.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferStdio } from '../../harness/host-stdio.ts';
import { runGuest } from '../../harness/guest.ts';
import { findOnPath } from '../../harness/qemu.ts';
import { skipTitle } from '../../test/skips.ts';

const SOURCE = String.raw`
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
static void try(const char *path) {
  char buf[256] = {0};
  int fd = open(path, O_RDONLY);
  if (fd < 0) { printf("%s: %s\n", path, strerrorname_np(errno)); return; }
  ssize_t n = read(fd, buf, sizeof buf - 1);
  printf("%s: READ %zd bytes: %s\n", path, n, buf);
  close(fd);
}
int main(void) {
  try("/etc/passwd");
  try("../../../../../../etc/passwd");
  try("../secret");
  try("host-abs-link");
  try("host-rel-link");
  try("host-dir-link/secret");
  try("/proc/self/root/etc/passwd");
  try("/proc/self/cwd/../secret");
  symlink("/etc/passwd", "guest-abs-link");
  symlink("../secret", "guest-rel-link");
  try("guest-abs-link");
  try("guest-rel-link");
  printf("link: %s\n", link("../secret", "hard") ? strerrorname_np(errno) : "made");
  try("inside.txt");
  return 0;
}
`;

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const compiler = findOnPath('riscv64-linux-gnu-gcc');
const noCompiler = compiler ? '' : 'riscv64-linux-gnu-gcc not found on PATH (apt-get install gcc-riscv64-linux-gnu)';

describe.skipIf(!compiler)(skipTitle('confinement of a host mount (real guest program)', noCompiler), () => {
  it('never reads a host file outside the mounted directory', () => {
    const base = mkdtempSync(join(tmpdir(), 'zerosys-confine-'));
    made.push(base);
    const work = join(base, 'work');
    mkdirSync(work);
    writeFileSync(join(base, 'secret'), 'HOST-SECRET\n');
    writeFileSync(join(work, 'inside.txt'), 'inside ok\n');
    symlinkSync('/etc/passwd', join(work, 'host-abs-link'));
    symlinkSync('../secret', join(work, 'host-rel-link'));
    symlinkSync(base, join(work, 'host-dir-link'));
    writeFileSync(join(base, 'escape.c'), SOURCE);
    const binary = join(base, 'escape');
    execFileSync(compiler!, ['-static', '-O2', '-o', binary, join(base, 'escape.c')]);

    const stdio = new BufferStdio();
    const result = runGuest({ program: binary, args: [], env: [], seed: 0n, stdio, mounts: [{ guest: work, host: work }], cwd: work });
    const out = stdio.stdout().toString('latin1');
    expect(result.status).toBe(0);
    expect(out).not.toContain('HOST-SECRET');
    expect(out).not.toContain('root:');
    expect(out.split('\n').filter(Boolean)).toEqual([
      '/etc/passwd: ENOENT',
      '../../../../../../etc/passwd: ENOENT',
      '../secret: ENOENT',
      'host-abs-link: ENOENT',
      'host-rel-link: ENOENT',
      'host-dir-link/secret: ENOENT',
      '/proc/self/root/etc/passwd: ENOENT',
      '/proc/self/cwd/../secret: ENOENT',
      'guest-abs-link: ENOENT',
      'guest-rel-link: ENOENT',
      'link: ENOENT',
      'inside.txt: READ 10 bytes: inside ok',
    ]);
  }, 60_000);
});
