// Dynamically linked programs: built by Debian's riscv64 cross gcc and g++ without -static,
// run by qemu-riscv64 -L with the cross libc (the reference) and by zerosys with the same
// --sysroot: glibc's dynamic linker loads libc, libm and libstdc++ through openat and
// file mmaps (pages past a library's end mapped, SIGBUS there), and the program's output,
// errors and exit status must be byte-identical. Traces are not compared here: under -L
// qemu looks a path up in the sysroot and then on the host (util/path.c), so its dynamic
// linker reads the host's /etc/ld.so.cache, which a guest of zerosys does not have.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execaSync } from 'execa';
import { toolchainStatus } from '../../harness/corpus.ts';
import { DEFAULT_SYSROOT } from '../../harness/guest.ts';
import { qemuStatus, runQemu, runZerosys } from '../../harness/qemu.ts';
import { missingTools, skipTitle } from '../skips.ts';
import { existsSync } from 'node:fs';

const reason = missingTools(toolchainStatus(['c', 'c++']), qemuStatus(), existsSync(join(DEFAULT_SYSROOT, 'lib', 'libc.so.6')) ? '' : `no riscv64 libc in ${DEFAULT_SYSROOT} (apt-get install libc6-riscv64-cross)`);

const C_PROGRAM = `#include <math.h>
#include <stdio.h>
#include <string.h>
#include <dlfcn.h>
int main(int argc, char **argv) {
  printf("argc %d, sqrt(%d) %.6f, argv[0] %s\\n", argc, argc, sqrt((double)argc), strlen(argv[0]) > 0 ? "given" : "empty");
  void *m = dlopen("libm.so.6", RTLD_NOW);
  double (*cosine)(double) = m ? (double (*)(double))dlsym(m, "cos") : 0;
  printf("dlopen libm: %s, cos(0) %.1f\\n", m ? "yes" : dlerror(), cosine ? cosine(0) : -1.0);
  void *none = dlopen("libnothere.so.1", RTLD_NOW);
  printf("dlopen of a missing library: %s\\n", none ? "loaded?" : "NULL");
  fprintf(stderr, "to stderr\\n");
  return 3;
}
`;

const CXX_PROGRAM = `#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
int main() {
  std::map<std::string, int> m{{"b", 2}, {"a", 1}};
  for (const auto &[k, v] : m) std::cout << k << "=" << v << "\\n";
  try {
    throw std::runtime_error("thrown through libstdc++ and libgcc_s");
  } catch (const std::exception &e) {
    std::cout << "caught: " << e.what() << std::endl;
  }
  return 0;
}
`;

describe.skipIf(reason !== '')(skipTitle('dynamically linked programs: qemu-riscv64 -L vs zerosys --sysroot', reason), () => {
  const dir = mkdtempSync(join(tmpdir(), 'zerosys-dynamic-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const build = (name: string, source: string, compiler: string, flags: string[]) => {
    const src = join(dir, name);
    writeFileSync(src, source);
    const out = join(dir, name.replace(/\.\w+$/, ''));
    execaSync(compiler, ['-O2', '-o', out, src, ...flags]);
    return out;
  };

  for (const [name, source, compiler, flags] of [
    ['dyn-c.c', C_PROGRAM, 'riscv64-linux-gnu-gcc', ['-lm', '-ldl']],
    ['dyn-cxx.cc', CXX_PROGRAM, 'riscv64-linux-gnu-g++', ['-std=c++17']],
  ] as const) {
    it(`${name}: same stdout, stderr and exit status`, async () => {
      const program = build(name, source, compiler, [...flags]);
      expect(execaSync('riscv64-linux-gnu-readelf', ['-l', program]).stdout).toContain('Requesting program interpreter');
      const opts = { sysroot: DEFAULT_SYSROOT, timeoutMs: 60_000 };
      const [q, z] = await Promise.all([runQemu(program, ['x'], '', opts), runZerosys(program, ['x'], '', opts)]);
      expect(q.status).toBe(name === 'dyn-c.c' ? 3 : 0);
      expect(z.stdout.toString()).toBe(q.stdout.toString());
      expect(z.stderr.toString()).toBe(q.stderr.toString());
      expect(z.status).toBe(q.status);
    }, 90_000);
  }

  it('reads the interpreter from the sysroot only: a PT_INTERP that climbs out of it is refused', async () => {
    const program = build('escape.c', C_PROGRAM, 'riscv64-linux-gnu-gcc', ['-lm', '-ldl']);
    const bytes = readFileSync(program);
    const interp = Buffer.from('/lib/ld-linux-riscv64-lp64d.so.1');
    const at = bytes.indexOf(interp);
    expect(at).toBeGreaterThan(0);
    const outside = Buffer.alloc(interp.length); // same length, NUL-padded
    outside.write('/../../../../../../etc/hostname');
    outside.copy(bytes, at);
    const escaped = join(dir, 'escaped');
    writeFileSync(escaped, bytes, { mode: 0o755 });
    const z = await runZerosys(escaped, [], '', { sysroot: DEFAULT_SYSROOT, timeoutMs: 60_000 });
    expect(z.status).toBe(125);
    expect(z.stderr.toString()).toMatch(/PT_INTERP \/\.\.\/.*etc\/hostname\): cannot read it from the sysroot .*outside the sysroot/);
  }, 60_000);
});
