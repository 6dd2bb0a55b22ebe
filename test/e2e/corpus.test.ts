// End-to-end differential test: every corpus program (except `slow` ones) runs under
// qemu-riscv64 (the reference) and under `zerosys run`; stdout, stderr and the exit status
// must be byte-identical. Without qemu, the C/C++ cross toolchain or the CLI the suite is
// skipped; without a program's own compiler (Go: golang-go) that program is. Either way the
// reason is in the test name and printed as a warning.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCorpus, DYN_INTERP, DYN_SYSROOT, elfInterpreter, loadManifest, REPO_ROOT, toolchainStatus, unbuildableReason, unrunnableReason, type BuiltProgram, type ProgramSpec } from '../../harness/corpus.ts';
import { GUEST_ENV, qemuStatus, runQemu, runZerosys, type RunResult } from '../../harness/qemu.ts';
import { diffBytes, renderBytesDiff } from '../../harness/conformance/bytes-diff.ts';
import { missingTools, skipTitle } from '../skips.ts';
import { E } from '../../kernel/errno.ts';

const inTestSuite = (spec: ProgramSpec) => !spec.tags.includes('slow');
const specs = loadManifest().filter(inTestSuite);

const reason = missingTools(toolchainStatus(), qemuStatus(), existsSync(join(REPO_ROOT, 'harness', 'cli.ts')) ? '' : 'harness/cli.ts (zerosys run) does not exist yet');
if (reason) console.warn(`[e2e] corpus differential tests SKIPPED: ${reason}`);

/** Programs whose compiler is missing, with the reason (C and C++ are the suite's own). */
const unbuildable = new Map(
  specs.flatMap((spec) => {
    const why = reason ? undefined : (unbuildableReason(spec) ?? unrunnableReason(spec));
    return why ? [[spec.name, why] as const] : [];
  }),
);
for (const why of new Set(unbuildable.values())) {
  const names = [...unbuildable].filter(([, w]) => w === why).map(([name]) => name);
  console.warn(`[e2e] corpus programs SKIPPED (${names.join(', ')}): ${why}`);
}
const buildable = (spec: ProgramSpec) => inTestSuite(spec) && !unbuildable.has(spec.name);

const GUEST_TIMEOUT_MS = 120_000;

/** At most `n` guest pairs in flight: one qemu + one zerosys per core on a 2-core box. */
function limiter(n: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((wake) => waiting.push(wake));
    active++;
    try {
      return await job();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

function tail(buf: Buffer, bytes = 400): string {
  return buf.subarray(Math.max(0, buf.length - bytes)).toString('utf8');
}

function compare(program: BuiltProgram, ref: RunResult, got: RunResult): string[] {
  const problems: string[] = [];
  if (got.timedOut) problems.push(`zerosys did not finish within ${GUEST_TIMEOUT_MS} ms`);
  if (got.status !== ref.status) {
    problems.push(
      `exit status differs: qemu=${ref.status} zerosys=${got.status}` +
        (got.stderr.length ? `\n  zerosys stderr (tail): ${JSON.stringify(tail(got.stderr))}` : ''),
    );
  }
  for (const [what, a, b] of [
    ['stdout', ref.stdout, got.stdout],
    ['stderr', ref.stderr, got.stderr],
  ] as const) {
    const difference = diffBytes(what, a, b);
    if (difference) problems.push(renderBytesDiff(difference));
  }
  if (problems.length) problems.unshift(`${program.name}: ${program.binary} ${JSON.stringify(program.args)} (stdin: ${program.stdinLabel})`);
  return problems;
}

describe.skipIf(reason !== '')(
  skipTitle('corpus differential: qemu-riscv64 vs zerosys run', reason),
  () => {
    const built = new Map<string, BuiltProgram>();
    const limit = limiter(2);

    beforeAll(async () => {
      for (const program of await buildCorpus({ filter: buildable })) built.set(program.name, program);
    });

    for (const spec of specs) {
      const why = unbuildable.get(spec.name);
      (why ? it.skip : it.concurrent)(
        skipTitle(spec.name, why ?? ''),
        // Concurrent tests must use the expect of their own context.
        async ({ expect }) => {
          const program = built.get(spec.name);
          expect(program, `${spec.name} was not built`).toBeDefined();
          const { binary, args, stdin, isa, sysroot, env, files } = program!;
          // A program's own files (an npm program's data, its inputs) in each fresh working directory.
          const setup = files.length
            ? async (dir: string) => {
                for (const f of files) {
                  await mkdir(dirname(join(dir, f.path)), { recursive: true });
                  await copyFile(f.host, join(dir, f.path));
                }
              }
            : undefined;
          const common = { timeoutMs: GUEST_TIMEOUT_MS, isa, sysroot, setup, ...(env ? { env: { ...GUEST_ENV, ...env } } : {}) };
          const [ref, got] = await limit(async () => [
            await runQemu(binary, args, stdin, common),
            // --quiet: no zerosys diagnostic on death by signal, so stderr is the guest's alone.
            await runZerosys(binary, args, stdin, { ...common, extraArgs: ['--quiet'] }),
          ]);
          // The reference itself must have run cleanly, or the comparison means nothing.
          expect(ref.timedOut, `qemu-riscv64 timed out on ${spec.name}`).toBe(false);
          expect(ref.outputTruncated, `qemu-riscv64 output of ${spec.name} hit the cap`).toBe(false);

          const problems = compare(program!, ref, got);
          if (problems.length) expect.fail(problems.join('\n'));
          expect(got.status).toBe(ref.status);
          expect(got.stdout.equals(ref.stdout)).toBe(true);
          expect(got.stderr.equals(ref.stderr)).toBe(true);
        },
        10 * 60_000,
      );
    }
  },
);

// ---------------------------------------------------------------------------------------
// The Go build itself (no qemu needed).

describe('Go corpus programs', () => {
  it('names a missing go and its Debian package', () => {
    // Synchronous from start to end: no other test can run while PATH lacks the tools.
    const saved = process.env.PATH;
    try {
      process.env.PATH = join(tmpdir(), 'zerosys-no-such-dir');
      expect(toolchainStatus(['go'])).toEqual({ ok: false, reason: 'go not found on PATH (apt-get install golang-go)' });
      const goSpec = loadManifest().find((s) => s.language === 'go')!;
      expect(unbuildableReason(goSpec)).toBe('go not found on PATH (apt-get install golang-go)');
    } finally {
      process.env.PATH = saved;
    }
  });

  it('rejects an unknown language in the manifest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zerosys-manifest-'));
    try {
      writeFileSync(join(dir, 'manifest.yaml'), 'programs:\n  - name: x\n    source: x.f90\n    language: fortran\n');
      expect(() => loadManifest(join(dir, 'manifest.yaml'))).toThrow('language must be one of c, c++, go');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes a go-test source as a std import path, never a file path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zerosys-manifest-'));
    try {
      const entry = (source: string) => `programs:\n  - name: t\n    source: ${source}\n    language: go-test\n`;
      writeFileSync(join(dir, 'manifest.yaml'), entry('container/heap'));
      expect(loadManifest(join(dir, 'manifest.yaml'))[0].source).toBe('container/heap');
      for (const bad of ['../x', '/etc', 'Sort', 'go/x.go']) {
        writeFileSync(join(dir, 'manifest.yaml'), entry(bad));
        expect(() => loadManifest(join(dir, 'manifest.yaml')), bad).toThrow('a go-test source is a std import path');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('derives musl, rv64imac and dynamically linked builds of C, C++ and Rust programs, except benchmarks and those that say why not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zerosys-manifest-'));
    try {
      const manifest = join(dir, 'manifest.yaml');
      writeFileSync(
        manifest,
        'programs:\n' +
          '  - name: a\n    source: a.c\n    language: c\n    tags: [startup]\n' +
          '  - name: b\n    source: b.c\n    language: c\n    tags: [bench]\n' +
          '  - name: c\n    source: c.c\n    language: c\n    imac: inline F assembly\n' +
          '  - name: d\n    source: d.c\n    language: c\n    musl: glibc only\n' +
          '  - name: e\n    source: e.c\n    language: c\n    dyn: prints its own addresses\n    tags: [slow]\n' +
          '  - name: f\n    source: f.c\n    language: c\n    tags: [slow, bench-quick]\n' +
          '  - name: x\n    source: x.cpp\n    language: c++\n    tags: [slow]\n' +
          '  - name: y\n    source: y.cpp\n    language: c++\n    dyn: static only\n' +
          '  - name: g\n    source: g.go\n    language: go\n' +
          '  - name: r\n    source: r.rs\n    language: rust\n' +
          '  - name: s\n    source: s.rs\n    language: rust\n    imac: no soft float\n',
      );
      const specs = loadManifest(manifest);
      const got = specs.map((s) => [s.name, s.language, s.isa ?? 'rv64gc', s.tags.join(','), s.sysroot ?? '']);
      expect(got).toEqual([
        ['a', 'c', 'rv64gc', 'startup', ''],
        ['a-musl', 'c-musl', 'rv64gc', '', ''],
        ['a-imac', 'c-imac', 'rv64imac', '', ''],
        ['a-dyn', 'c-dyn', 'rv64gc', '', DYN_SYSROOT],
        ['b', 'c', 'rv64gc', 'bench', ''],
        ['b-musl', 'c-musl', 'rv64gc', '', ''],
        ['c', 'c', 'rv64gc', '', ''],
        ['c-musl', 'c-musl', 'rv64gc', '', ''],
        ['c-dyn', 'c-dyn', 'rv64gc', '', DYN_SYSROOT],
        ['d', 'c', 'rv64gc', '', ''],
        ['d-dyn', 'c-dyn', 'rv64gc', '', DYN_SYSROOT],
        // An opt-out gives no dynamic build; a benchmark gets none by rule; slow stays slow.
        ['e', 'c', 'rv64gc', 'slow', ''],
        ['e-musl', 'c-musl', 'rv64gc', 'slow', ''],
        ['e-imac', 'c-imac', 'rv64imac', 'slow', ''],
        ['f', 'c', 'rv64gc', 'slow,bench-quick', ''],
        ['f-musl', 'c-musl', 'rv64gc', 'slow', ''],
        ['x', 'c++', 'rv64gc', 'slow', ''],
        ['x-dyn', 'c++-dyn', 'rv64gc', 'slow', DYN_SYSROOT],
        ['y', 'c++', 'rv64gc', '', ''],
        // Go and Rust programs have no dynamic build.
        ['g', 'go', 'rv64gc', '', ''],
        ['r', 'rust', 'rv64gc', '', ''],
        ['r-musl', 'rust-musl', 'rv64gc', '', ''],
        ['r-imac', 'rust-imac', 'rv64imac', '', ''],
        ['s', 'rust', 'rv64gc', '', ''],
        ['s-musl', 'rust-musl', 'rv64gc', '', ''],
      ]);
      expect(specs.find((s) => s.name === 'e')!.dynReason).toBe('prints its own addresses');
      writeFileSync(manifest, 'programs:\n  - name: g\n    source: g.go\n    language: go\n    imac: no\n');
      expect(() => loadManifest(manifest)).toThrow('imac applies to c and rust programs only');
      for (const language of ['go', 'rust']) {
        writeFileSync(manifest, `programs:\n  - name: g\n    source: g.x\n    language: ${language}\n    dyn: no\n`);
        expect(() => loadManifest(manifest), language).toThrow('dyn applies to c and c++ programs only');
      }
      writeFileSync(manifest, 'programs:\n  - name: a\n    source: a.c\n    language: c\n    dyn: ""\n');
      expect(() => loadManifest(manifest)).toThrow('dyn is the reason the program is not built dynamically linked');
      writeFileSync(manifest, 'programs:\n  - name: a\n    source: a.c\n    language: c\n  - name: a-dyn\n    source: b.c\n    language: c\n    dyn: taken\n');
      expect(() => loadManifest(manifest)).toThrow('its dynamically linked build would be named a-dyn, which another entry has');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names in musl-compat.h every errno the riscv64 headers define, the first name of each value', () => {
    // strerrorname_np for musl builds: the names a glibc build prints (kernel/errno.ts is
    // generated from <asm-generic/errno*.h>).
    const header = readFileSync(join(REPO_ROOT, 'corpus', 'c', 'musl-compat.h'), 'utf8');
    const cases = [...header.matchAll(/case (E[A-Z0-9]+): return "\1";/g)].map((m) => m[1]);
    const firstNames = [...new Map(Object.entries(E).reverse().map(([name, value]) => [value, name])).values()].reverse();
    expect(new Set(cases)).toEqual(new Set(firstNames));
  });

  it('takes an npm source only as package@x.y.z/path with the tarball integrity pinned', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zerosys-manifest-'));
    const integrity = 'sha512-GeXCej4IQtU1B+QlDV8W/RRvbzI3O/Stss+/bCXv4lZls5WGRtu2a+3JkA3i4qIUlMXpcHebWpF8AkJhATowuA==';
    try {
      const entry = (source: string, pin?: string) =>
        `programs:\n  - name: t\n    source: "${source}"\n    language: npm\n${pin === undefined ? '' : `    integrity: ${pin}\n`}`;
      const file = join(dir, 'manifest.yaml');
      writeFileSync(file, entry('@esbuild/linux-riscv64@0.28.2/bin/esbuild', integrity));
      expect(loadManifest(file)[0]).toMatchObject({ source: '@esbuild/linux-riscv64@0.28.2/bin/esbuild', integrity });
      // A range or tag instead of an exact version, no path, a path leaving the package.
      for (const bad of ['@esbuild/linux-riscv64@^0.28.2/bin/esbuild', 'esbuild@latest/bin/esbuild', 'esbuild@0.28.2', 'esbuild@0.28.2/../../etc/passwd']) {
        writeFileSync(file, entry(bad, integrity));
        expect(() => loadManifest(file), bad).toThrow('an npm source is package@x.y.z/path/in/package');
      }
      for (const pin of [undefined, 'sha1-abc', 'sha512-not base64']) {
        writeFileSync(file, entry('esbuild@0.28.2/bin/esbuild', pin));
        expect(() => loadManifest(file), String(pin)).toThrow('an npm program needs its integrity');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes sysroot, env and files (a corpus file or a pinned npm file) for a program', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zerosys-manifest-'));
    const integrity = 'sha512-GeXCej4IQtU1B+QlDV8W/RRvbzI3O/Stss+/bCXv4lZls5WGRtu2a+3JkA3i4qIUlMXpcHebWpF8AkJhATowuA==';
    try {
      const file = join(dir, 'manifest.yaml');
      const entry = (extra: string) => `programs:\n  - name: t\n    source: "a@1.0.0/bin/a"\n    language: npm\n    integrity: ${integrity}\n${extra}`;
      writeFileSync(file, entry(`    sysroot: /usr/riscv64-linux-gnu\n    env: { A: "{cwd}/x" }\n    files:\n      - { path: d/in.txt, source: inputs/in.txt }\n      - { path: p.wasm, npm: "b@2.0.0/p.wasm", integrity: ${integrity} }\n`));
      expect(loadManifest(file)[0]).toMatchObject({
        sysroot: '/usr/riscv64-linux-gnu',
        env: { A: '{cwd}/x' },
        files: [{ path: 'd/in.txt', source: join(dir, 'inputs/in.txt') }, { path: 'p.wasm', npm: 'b@2.0.0/p.wasm', integrity }],
      });
      for (const [extra, message] of [
        ['    sysroot: lib\n', 'sysroot is an absolute directory'],
        ['    env: [A]\n', 'env is a map of NAME: text'],
        ['    files:\n      - { path: ../x, source: a }\n', "a file's path is relative to the working directory"],
        ['    files:\n      - { path: x, npm: "b@2.0.0/p.wasm" }\n', 'an npm file needs its integrity'],
        ['    files:\n      - { path: x, npm: "b@latest/p.wasm", integrity: sha512-AA== }\n', 'npm is package@x.y.z/path/in/package'],
        ['    files:\n      - { path: x }\n', 'give either source'],
      ]) {
        writeFileSync(file, entry(extra));
        expect(() => loadManifest(file), extra).toThrow(message);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const cc = toolchainStatus(['c-dyn']);
  it.skipIf(!cc.ok)(skipTitle('builds NAME-dyn without -static: PT_INTERP names glibc\'s riscv64 dynamic linker', missingTools(cc)), async () => {
    const [hello, dyn] = await buildCorpus({ filter: (s) => s.name === 'hello' || s.name === 'hello-dyn' });
    expect([hello.name, dyn.name]).toEqual(['hello', 'hello-dyn']);
    expect(elfInterpreter(readFileSync(hello.binary))).toBeUndefined();
    expect(elfInterpreter(readFileSync(dyn.binary))).toBe(DYN_INTERP);
    expect(dyn).toMatchObject({ language: 'c-dyn', sysroot: DYN_SYSROOT, tags: [] });
    expect(dyn.binary).not.toBe(hello.binary);
  });

  const go = toolchainStatus(['go']);
  it.skipIf(!go.ok)(skipTitle('builds a static riscv64 executable, then serves it from the cache', missingTools(go)), async () => {
    const only = (s: ProgramSpec) => s.name === 'go-hello';
    const [first] = await buildCorpus({ filter: only });
    const [again] = await buildCorpus({ filter: only });
    expect(again.cached).toBe(true);
    expect(again.binary).toBe(first.binary);
    // ELF64 header (elf(5)): class 2, little-endian, ET_EXEC, EM_RISCV (243); static means
    // no PT_INTERP (3) among the program headers.
    const elf = readFileSync(first.binary);
    expect([elf[4], elf[5], elf.readUInt16LE(16), elf.readUInt16LE(18)]).toEqual([2, 1, 2, 243]);
    const phoff = Number(elf.readBigUInt64LE(32));
    const types = Array.from({ length: elf.readUInt16LE(56) }, (_, i) => elf.readUInt32LE(phoff + i * elf.readUInt16LE(54)));
    expect(types).not.toContain(3);
    // -trimpath: source files are named by module path, never by the build directory.
    expect(elf.includes(Buffer.from('zerosys.corpus/hello/main.go'))).toBe(true);
    expect(elf.includes(Buffer.from(join(tmpdir(), 'zerosys-go-')))).toBe(false);
  });
});
