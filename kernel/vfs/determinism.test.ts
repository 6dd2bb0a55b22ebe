// Two runs of a file-heavy guest in two different host directories (whose files have
// different host inode numbers and times) print the same inode numbers, devices, times,
// listing order and /dev/urandom bytes, and retire the same number of instructions:
// nothing host-specific reaches the guest. Skipped without the riscv64 cross compiler.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferStdio } from '../../harness/host-stdio.ts';
import { runGuest } from '../../harness/guest.ts';
import { findOnPath } from '../../harness/qemu.ts';
import { skipTitle } from '../../test/skips.ts';

const SOURCE = String.raw`
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
static void show(const char *p) {
  struct stat st;
  if (lstat(p, &st)) { printf("%s: missing\n", p); return; }
  printf("%s: ino %lu dev %lx mode %o nlink %lu size %ld mtime %ld.%09ld ctime %ld.%09ld\n", p,
         (unsigned long)st.st_ino, (unsigned long)st.st_dev, st.st_mode, (unsigned long)st.st_nlink, (long)st.st_size,
         (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
}
static void ls(const char *p) {
  DIR *d = opendir(p);
  struct dirent *e;
  printf("ls %s:", p);
  while ((e = readdir(d))) printf(" %s/%lu", e->d_name, (unsigned long)e->d_ino);
  printf("\n");
  closedir(d);
}
int main(void) {
  show("old.txt");
  show("olddir");
  int fd = open("new.txt", O_CREAT | O_WRONLY, 0644);
  write(fd, "new", 3);
  close(fd);
  mkdir("/tmp/d", 0755);
  for (int i = 0; i < 3; i++) { char n[32]; snprintf(n, sizeof n, "/tmp/d/f%d", 2 - i); close(open(n, O_CREAT | O_WRONLY, 0600)); }
  show("new.txt");
  show(".");
  show("/tmp/d/f1");
  ls(".");
  ls("/tmp/d");
  ls("/proc/self/fd");
  unsigned char r[8];
  fd = open("/dev/urandom", O_RDONLY);
  read(fd, r, 8);
  printf("urandom %02x%02x%02x%02x%02x%02x%02x%02x\n", r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
  return 0;
}
`;

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const compiler = findOnPath('riscv64-linux-gnu-gcc');
const noCompiler = compiler ? '' : 'riscv64-linux-gnu-gcc not found on PATH (apt-get install gcc-riscv64-linux-gnu)';

describe.skipIf(!compiler)(skipTitle('file determinism (real guest program)', noCompiler), () => {
  it('same output and instruction count from two different host directories', () => {
    const base = mkdtempSync(join(tmpdir(), 'zerosys-determinism-'));
    made.push(base);
    writeFileSync(join(base, 'prog.c'), SOURCE);
    const binary = join(base, 'prog');
    execFileSync(compiler!, ['-static', '-O2', '-o', binary, join(base, 'prog.c')]);

    const runIn = (name: string, mtime: number) => {
      const dir = join(base, name);
      mkdirSync(dir);
      // Decoys first in one run only, so host inode numbers differ between the runs.
      if (name === 'two') for (let i = 0; i < 5; i++) writeFileSync(join(base, `decoy${i}`), '');
      writeFileSync(join(dir, 'old.txt'), 'existing\n');
      mkdirSync(join(dir, 'olddir'));
      utimesSync(join(dir, 'old.txt'), mtime, mtime);
      const stdio = new BufferStdio();
      const result = runGuest({ program: binary, args: [], env: [], seed: 7n, stdio, mounts: [{ guest: '/work', host: dir }], cwd: '/work' });
      return { status: result.status, instret: result.instret, out: stdio.stdout().toString('latin1') };
    };
    const one = runIn('one', 1_000_000);
    const two = runIn('two', 2_000_000);
    expect(one.status).toBe(0);
    expect(one.out).toBe(two.out);
    expect(one.instret).toBe(two.instret);
    // Host times never show: a pre-existing file has the virtual clock's start.
    expect(one.out).toMatch(/^old\.txt: ino \d+ dev fe01 mode 100644 nlink 1 size 9 mtime 1700000000\.000000000 /m);
    // tmpfs lists in creation order.
    expect(one.out).toMatch(/^ls \/tmp\/d: \.\/\d+ \.\.\/\d+ f2\/\d+ f1\/\d+ f0\/\d+$/m);
  }, 60_000);
});
