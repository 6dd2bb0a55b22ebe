// `zerosys run` with its standard streams redirected: the guest's fstat(0/1/2) shows what
// Linux shows for the same redirection — S_IFREG for a file, S_IFCHR 1:3 for /dev/null,
// S_IFIFO for a pipe — so glibc buffers stdout as under qemu-riscv64 and probes TCGETS
// on /dev/null only (libio/filedoalloc.c: the tty check is made for S_ISCHR only).
// Expected lines were printed by qemu-riscv64 7.2 (Debian 1:7.2+dfsg-7) on a 6.1 host.

import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyStream } from '../../harness/host-stdio.ts';
import { buildCorpus } from '../../harness/corpus.ts';
import { findOnPath, qemuStatus, ZEROSYS_BIN } from '../../harness/qemu.ts';
import { missingTools, skipTitle } from '../skips.ts';

describe('classifyStream', () => {
  const st = (kind: 'file' | 'chr' | 'fifo' | 'sock', rdev = 0) => ({ isFile: () => kind === 'file', isCharacterDevice: () => kind === 'chr', isSocket: () => kind === 'sock', rdev });
  it('names files, /dev/null, terminals, sockets and pipes', () => {
    expect(classifyStream(st('file'), false, 259)).toBe('file');
    expect(classifyStream(st('chr', 259), false, 259)).toBe('null');
    expect(classifyStream(st('chr', 34816), true, 259)).toBe('tty');
    expect(classifyStream(st('fifo'), false, 259)).toBe('pipe');
    expect(classifyStream(st('sock'), false, 259)).toBe('socket');
    // Another character device (</dev/zero) is a stream, not /dev/null.
    expect(classifyStream(st('chr', 261), false, 259)).toBe('pipe');
  });
});

const SOURCE = String.raw`
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
int main(void) {
  char buf[512];
  int n = 0;
  for (int fd = 0; fd < 3; fd++) {
    struct stat st;
    fstat(fd, &st);
    n += sprintf(buf + n, "fd%d fmt=%o mode=%o tty=%d rdev=%u:%u size=%lld\n", fd, st.st_mode & S_IFMT,
                 st.st_mode & 07777, isatty(fd), major(st.st_rdev), minor(st.st_rdev), (long long)st.st_size);
  }
  write(2, buf, n);
  return 0;
}
`;

const NULL_ = 'fmt=20000 mode=666 tty=0 rdev=1:3 size=0';
const PIPE = 'fmt=10000 mode=600 tty=0 rdev=0:0 size=0';
const FILE0 = 'fmt=100000 mode=644 tty=0 rdev=0:0 size=0';
const SOCKET = 'fmt=140000 mode=777 tty=0 rdev=0:0 size=0';

const compiler = findOnPath('riscv64-linux-gnu-gcc');
const reason = missingTools(compiler ? '' : 'riscv64-linux-gnu-gcc not found on PATH (apt-get install gcc-riscv64-linux-gnu)');
const base = mkdtempSync(join(tmpdir(), 'zerosys-stdio-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/**
 * Run argv with fds 0 and 1 opened from these paths, or both pipes (through sh); stderr is
 * captured (Node's 'pipe' is a socketpair: the guest's fd 2 is a socket).
 */
function run(argv: string[], stdin: string | 'pipe', stdout: string | 'pipe'): { stderr: string; status: number | null } {
  const fds: number[] = [];
  const open = (p: string, flags: string) => (fds.push(openSync(p, flags)), fds[fds.length - 1]);
  try {
    const [cmd, args] = stdin === 'pipe' ? ['sh', ['-c', 'printf x | "$@" | cat', 'sh', ...argv]] : [argv[0], argv.slice(1)];
    const r = spawnSync(cmd, args, { cwd: base, stdio: stdin === 'pipe' ? ['ignore', 'ignore', 'pipe'] : [open(stdin, 'r'), open(stdout, 'w'), 'pipe'] });
    return { stderr: r.stderr.toString('latin1'), status: r.status };
  } finally {
    fds.forEach((fd) => closeSync(fd));
  }
}

describe.skipIf(reason !== '')(skipTitle('redirected standard streams (real guest program)', reason), () => {
  const binary = join(base, 'stdio-kinds');
  const zerosys = (stdin: string, stdout: string) => run([process.execPath, ZEROSYS_BIN, 'run', binary], stdin, stdout).stderr.split('\n');
  it('fstat(0/1/2) as Linux shows a file, /dev/null and a pipe', () => {
    writeFileSync(join(base, 'prog.c'), SOURCE);
    execFileSync(compiler!, ['-static', '-O2', '-o', binary, join(base, 'prog.c')]);
    writeFileSync(join(base, 'in.txt'), 'hello\n');
    const out = join(base, 'out.txt');
    expect(zerosys(join(base, 'in.txt'), out)).toEqual([`fd0 fmt=100000 mode=644 tty=0 rdev=0:0 size=6`, `fd1 ${FILE0}`, `fd2 ${SOCKET}`, '']);
    expect(zerosys('/dev/null', '/dev/null')).toEqual([`fd0 ${NULL_}`, `fd1 ${NULL_}`, `fd2 ${SOCKET}`, '']);
    expect(zerosys('pipe', 'pipe')).toEqual([`fd0 ${PIPE}`, `fd1 ${PIPE}`, `fd2 ${SOCKET}`, '']);
  });

  it.skipIf(!qemuStatus().ok)('agrees with qemu-riscv64 on every redirection', () => {
    for (const [i, o] of [[join(base, 'in.txt'), join(base, 'out.txt')], ['/dev/null', '/dev/null'], ['pipe', 'pipe']]) {
      expect(zerosys(i, o)).toEqual(run(['qemu-riscv64', binary], i, o).stderr.split('\n'));
    }
  });

  it.skipIf(!qemuStatus().ok)('stdout a pipe without a reader: killed by SIGPIPE (status 141), as under qemu, no host error', async () => {
    const [hello] = await buildCorpus({ filter: (s) => s.name === 'hello' });
    // `true` exits at once; the program starts 0.3 s later, so its first write finds no reader.
    const run1 = (argv: string[]) => spawnSync('bash', ['-c', 'later() { sleep 0.3; "$@"; }; later "$@" | true; echo "status ${PIPESTATUS[0]}"', 'bash', ...argv], { encoding: 'latin1' });
    const q = run1(['qemu-riscv64', hello.binary]);
    const z = run1([process.execPath, ZEROSYS_BIN, 'run', '--quiet', hello.binary]);
    expect(q.stdout).toBe('status 141\n');
    expect(z.stdout).toBe('status 141\n');
    expect(z.stderr).toBe('');
  }, 60_000);

  it('stdout on /dev/null: glibc probes TCGETS, as under qemu (hello --strace)', async () => {
    const [hello] = await buildCorpus({ filter: (s) => s.name === 'hello' });
    const trace = join(base, 'trace.txt');
    run([process.execPath, ZEROSYS_BIN, 'run', '--strace-file', trace, hello.binary], '/dev/null', '/dev/null');
    // qemu-riscv64 -strace: newfstatat(1,"",…) = 0, then ioctl(1,TCGETS,…) = -1 errno=25.
    expect(readFileSync(trace, 'latin1')).toMatch(/newfstatat\(1,"",0x[0-9a-f]+,0x1000\) = 0\n1000 ioctl\(1,TCGETS,0x[0-9a-f]+\) = -1 errno=25 \(Inappropriate ioctl for device\)\n/);
  }, 60_000);
});
