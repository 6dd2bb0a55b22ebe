// The Rust toolchain preparation (harness/rust.ts): the manifest patches that make Debian's
// crates and rust-src resolvable for cargo -Zbuild-std, the cargo configuration, and the musl
// linker wrapper. Checks against Debian's real files run where the packages are installed
// (harness/setup.sh), and are skipped naming what is missing elsewhere. The programs
// themselves are compared with qemu-riscv64 by test/e2e/corpus.test.ts.

import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyManifestEdits, CARGO, cargoConfig, CRATE_EDITS, findCrate, floatAbi, imacTargetSpec, lfs64Source, MUSL_LFS64_ALIASES, muslLinkerScript, patchStdManifest, RUST_DEBIAN_PACKAGES, RUSTC, rustStatus, STD_CRATES, stdRustflags, zigCpuFlags } from './rust.ts';
import { BUILD_DIR, buildCorpus } from './corpus.ts';
import { findOnPath } from './qemu.ts';
import { missingTools, skipTitle } from '../test/skips.ts';

const scratch = mkdtempSync(join(tmpdir(), 'zerosys-rust-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('manifest patching', () => {
  it('replaces each text exactly once, and refuses a missing or repeated one', () => {
    const text = '[features]\n#x = ["a"]\n';
    expect(applyManifestEdits(text, [{ find: '#x', replace: 'x' }], 'demo')).toBe('[features]\nx = ["a"]\n');
    expect(() => applyManifestEdits(text, [{ find: '#y', replace: 'y' }], 'demo')).toThrow(/demo: expected "#y" exactly once \(absent\)/);
    expect(() => applyManifestEdits('a a', [{ find: 'a', replace: 'b' }], 'demo')).toThrow(/more than once/);
  });

  it("lowers std's compiler_builtins to Debian's and deletes other targets' dependency sections", () => {
    const std = [
      '[dependencies]',
      'compiler_builtins = { version = "0.1.73" }',
      '',
      "[target.'cfg(target_os = \"hermit\")'.dependencies]",
      "hermit-abi = { version = \"0.2.0\", features = ['rustc-dep-of-std'] }",
      '',
      '[target.wasm32-wasi.dependencies]',
      'wasi = { version = "0.11.0" }',
      '',
      '[features]',
      'backtrace = []',
      '',
    ].join('\n');
    const patched = patchStdManifest(std, '0.1.70');
    expect(patched).toContain('compiler_builtins = { version = "0.1.70" }');
    expect(patched).not.toContain('[target.');
    expect(patched).not.toContain('wasi');
    expect(patched).toContain('[features]\nbacktrace = []');
    // A newer Debian crate satisfies the requirement as it stands.
    expect(patchStdManifest(std, '0.1.80')).toContain('compiler_builtins = { version = "0.1.73" }');
    expect(() => patchStdManifest('[dependencies]\n', '0.1.70')).toThrow(/no compiler_builtins requirement/);
  });

  it('takes the newest Debian copy of a version series', () => {
    const registry = join(scratch, 'registry');
    for (const d of ['cfg-if-0.1.9', 'cfg-if-0.1.10', 'cfg-if-1.0.0', 'cfg-if-0.1.10-extra']) mkdirSync(join(registry, d), { recursive: true });
    expect(findCrate(registry, 'cfg-if', '0.1')).toBe('cfg-if-0.1.10');
    expect(findCrate(registry, 'cfg-if', '2.0')).toBeUndefined();
  });
});

describe('cargo configuration', () => {
  it('replaces crates.io by the copied crates, offline, with the static C runtime and the linker', () => {
    const config = cargoConfig('/w/vendor', 'riscv64gc-unknown-linux-gnu', 'riscv64-linux-gnu-gcc', stdRustflags('gnu', '/w'));
    expect(config).toContain('[source.crates-io]\nreplace-with = "debian-copies"');
    expect(config).toContain('[source.debian-copies]\ndirectory = "/w/vendor"');
    expect(config).toContain('[net]\noffline = true');
    expect(config).toContain('[target.riscv64gc-unknown-linux-gnu]\nlinker = "riscv64-linux-gnu-gcc"');
    expect(config).toContain('rustflags = ["-C", "target-feature=+crt-static", "--remap-path-prefix", "/w=/zerosys-rust-std"]');
    expect(stdRustflags('musl', '/w')).toEqual(['-C', 'target-feature=+crt-static', '--remap-path-prefix', '/w=/zerosys-rust-std', '-C', 'link-self-contained=no']);
  });
});

describe('musl linker wrapper', () => {
  it('runs zig cc for riscv64 musl without -lgcc_s, adding the LFS64 object beside it', () => {
    const dir = join(scratch, 'musl');
    mkdirSync(dir, { recursive: true });
    // A stand-in zig that prints its arguments and one variable of the environment.
    const fakeZig = join(dir, 'fake zig');
    writeFileSync(fakeZig, '#!/bin/sh\nprintf "%s|" "$ZIG_GLOBAL_CACHE_DIR" "$@"\n');
    chmodSync(fakeZig, 0o755);
    const script = join(dir, 'musl-linker');
    writeFileSync(script, muslLinkerScript(fakeZig, { ZIG_GLOBAL_CACHE_DIR: "/cache/it's" }));
    chmodSync(script, 0o755);
    const out = execFileSync(script, ['a.o', '-lgcc_s', 'with space', '-lc'], { encoding: 'utf8' });
    expect(out).toBe(`/cache/it's|cc|-target|riscv64-linux-musl|a.o|with space|-lc|${dir}/lfs64.o|`);
  });

  it('for imac, runs zig cc for the CPU without F and D', () => {
    const dir = join(scratch, 'imac');
    mkdirSync(dir, { recursive: true });
    const fakeZig = join(dir, 'zig');
    writeFileSync(fakeZig, '#!/bin/sh\nprintf "%s|" "$@"\n');
    chmodSync(fakeZig, 0o755);
    const script = join(dir, 'musl-linker');
    writeFileSync(script, muslLinkerScript(fakeZig, {}, zigCpuFlags('imac')));
    chmodSync(script, 0o755);
    expect(execFileSync(script, ['a.o', '-lgcc_s'], { encoding: 'utf8' })).toBe(`cc|-target|riscv64-linux-musl|-mcpu=baseline_rv64-d-f|a.o|${dir}/lfs64.o|`);
    expect(zigCpuFlags('musl')).toEqual([]);
  });

  it('defines every LFS64 name as a forwarder to its plain function', () => {
    const source = lfs64Source();
    for (const [from, to] of Object.entries(MUSL_LFS64_ALIASES)) {
      expect(source).toContain(`long ${from}(long a, long b, long c, long d, long e, long f) { return ${to}(a, b, c, d, e, f); }`);
    }
  });
});

// ---------------------------------------------------------------------------------------
// Against Debian's real files.

const REGISTRY = '/usr/share/cargo/registry';
const STD_MANIFEST = '/usr/lib/rustlib/src/rust/library/std/Cargo.toml';
const missing = [CARGO, REGISTRY, STD_MANIFEST].filter((p) => !existsSync(p));
const debianReason = missing.length ? `${missing.join(', ')} missing (apt-get install ${RUST_DEBIAN_PACKAGES.join(' ')})` : '';

/** cargo's own reading of a manifest (features and dependencies), as JSON. */
function readManifest(dir: string): { features: Record<string, string[]>; dependencies: { name: string; rename: string | null }[] } {
  return JSON.parse(execFileSync(CARGO, ['read-manifest', '--manifest-path', join(dir, 'Cargo.toml')], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', CARGO_HOME: scratch } }));
}

/** Upstream's feature and the dependencies behind it (the crates' own Cargo.toml on crates.io). */
const UPSTREAM_FEATURE: Record<string, string[]> = {
  'cfg-if': ['core', 'compiler_builtins'],
  hashbrown: ['nightly', 'core', 'compiler_builtins', 'alloc', 'rustc-internal-api'],
  getopts: ['unicode-width/rustc-dep-of-std', 'std', 'core'],
  'unicode-width': ['std', 'core', 'compiler_builtins'],
};
const UPSTREAM_DEPS: Record<string, string[]> = {
  'cfg-if': ['rustc-std-workspace-core', 'compiler_builtins'],
  hashbrown: ['rustc-std-workspace-core', 'rustc-std-workspace-alloc', 'compiler_builtins'],
  getopts: ['rustc-std-workspace-core', 'rustc-std-workspace-std', 'unicode-width'],
  'unicode-width': ['rustc-std-workspace-core', 'rustc-std-workspace-std', 'compiler_builtins'],
};

describe.skipIf(debianReason !== '')(skipTitle("Debian's crates, patched for std", debianReason), () => {
  it.each(Object.keys(CRATE_EDITS))('%s gets its rustc-dep-of-std feature and the std workspace dependencies back', (name) => {
    const series = STD_CRATES.find((c) => c.name === name)!.series;
    const dir = findCrate(REGISTRY, name, series);
    expect(dir, `${name} ${series}.x in ${REGISTRY}`).toBeDefined();
    const copy = join(scratch, 'crates', dir!);
    cpSync(join(REGISTRY, dir!), copy, { recursive: true, dereference: true });
    // As Debian ships it, the feature is gone or lacks a part (the reason for the patch).
    expect(readManifest(copy).features['rustc-dep-of-std']).not.toEqual(UPSTREAM_FEATURE[name]);
    writeFileSync(join(copy, 'Cargo.toml'), applyManifestEdits(readFileSync(join(copy, 'Cargo.toml'), 'utf8'), CRATE_EDITS[name], name));
    const manifest = readManifest(copy);
    expect(manifest.features['rustc-dep-of-std']).toEqual(UPSTREAM_FEATURE[name]);
    const deps = new Set(manifest.dependencies.map((d) => d.name));
    for (const dep of UPSTREAM_DEPS[name]) expect(deps, `${name} depends on ${dep}`).toContain(dep);
  });

  it("rust-src's std manifest resolves against Debian's compiler_builtins", () => {
    const builtins = findCrate(REGISTRY, 'compiler_builtins', '0.1');
    expect(builtins).toBeDefined();
    const patched = patchStdManifest(readFileSync(STD_MANIFEST, 'utf8'), builtins!.slice('compiler_builtins-'.length));
    expect(patched).not.toMatch(/^\[target\./m);
    const requirement = /^compiler_builtins = \{ version = "([0-9.]+)" \}$/m.exec(patched)![1];
    const [want, have] = [requirement, builtins!.slice('compiler_builtins-'.length)].map((v) => v.split('.').map(Number));
    const cmp = want.map((n, i) => n - have[i]).find((d) => d !== 0) ?? 0;
    expect(cmp, `std asks ${requirement}, Debian has ${builtins}`).toBeLessThanOrEqual(0);
  });
});

// ---------------------------------------------------------------------------------------
// ZeroOS's target: rv64imac, musl, the lp64 soft-float ABI.

/** rustc 1.63's riscv64gc-unknown-linux-musl spec, the fields the derivation reads or keeps. */
const MUSL_SPEC = {
  arch: 'riscv64',
  'code-model': 'medium',
  cpu: 'generic-rv64',
  'data-layout': 'e-m:e-p:64:64-i64:64-i128:128-n64-S128',
  env: 'musl',
  features: '+m,+a,+f,+d,+c',
  'is-builtin': true,
  'llvm-abiname': 'lp64d',
  'llvm-target': 'riscv64-unknown-linux-musl',
  'max-atomic-width': 64,
};

describe('the rv64imac target spec', () => {
  it("is rustc's musl spec without F, D and is-builtin, with the lp64 ABI", () => {
    const { 'is-builtin': _, ...rest } = MUSL_SPEC;
    expect(JSON.parse(imacTargetSpec(JSON.stringify(MUSL_SPEC)))).toEqual({ ...rest, features: '+m,+a,+c', 'llvm-abiname': 'lp64' });
  });

  it('refuses a base spec it does not know', () => {
    expect(() => imacTargetSpec(JSON.stringify({ ...MUSL_SPEC, 'llvm-abiname': 'lp64f' }))).toThrow(/llvm-abiname is "lp64f", expected "lp64d"/);
    expect(() => imacTargetSpec(JSON.stringify({ ...MUSL_SPEC, env: 'gnu' }))).toThrow(/env is "gnu"/);
  });

  it('reads the float ABI from the ELF header', () => {
    const elf = Buffer.alloc(64);
    elf.writeUInt32BE(0x7f454c46, 0);
    elf[4] = 2;
    elf.writeUInt16LE(243, 18);
    elf.writeUInt32LE(0x1, 48); // RVC, soft-float
    expect(floatAbi(elf)).toBe('soft');
    elf.writeUInt32LE(0x5, 48); // RVC, double-float
    expect(floatAbi(elf)).toBe('double');
    expect(() => floatAbi(Buffer.alloc(64))).toThrow('not a 64-bit RISC-V ELF file');
  });
});

/** F and D mnemonics (compressed forms included) in `objdump -d` text, with counts; fence is not one. */
function floatMnemonics(disassembly: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of disassembly.split('\n')) {
    // "   1043c:\tfld\tfa0,8(sp)" (--no-show-raw-insn): address, mnemonic, operands.
    const mnemonic = /^\s*[0-9a-f]+:\t(\S+)/.exec(line)?.[1];
    if (mnemonic && /^(c\.)?f/.test(mnemonic) && !mnemonic.startsWith('fence')) found.set(mnemonic, (found.get(mnemonic) ?? 0) + 1);
  }
  return found;
}

describe('floatMnemonics', () => {
  it('finds F and D instructions and their compressed forms, not fence', () => {
    const text = ['   1000:\tfld\tfa0,8(sp)', '   1004:\tc.fsdsp\tfs0,0(sp)', '   1006:\tfence\trw,rw', '   100a:\tfence.i', '   100e:\tfrcsr\ta0', '   1012:\tadd\ta0,a0,a1', '0000000000001000 <f>:'].join('\n');
    expect([...floatMnemonics(text)]).toEqual([['fld', 1], ['c.fsdsp', 1], ['frcsr', 1]]);
  });
});

const OBJDUMP = 'riscv64-linux-gnu-objdump';
const imacReason = missingTools(existsSync(RUSTC) ? rustStatus('imac', BUILD_DIR) : `${RUSTC} missing (apt-get install ${RUST_DEBIAN_PACKAGES.join(' ')})`, findOnPath(OBJDUMP) ? '' : `${OBJDUMP} not found on PATH (apt-get install binutils-riscv64-linux-gnu)`);

describe.skipIf(imacReason !== '')(skipTitle('a Rust program built for rv64imac', imacReason), () => {
  // Served from the corpus cache when built (std is built first otherwise: about a minute).
  it('has the soft-float ABI and not one F or D instruction, std and musl included', async () => {
    const [program] = await buildCorpus({ filter: (s) => s.name === 'rust-collections-imac' });
    expect(program.isa).toBe('rv64imac');
    expect(floatAbi(readFileSync(program.binary))).toBe('soft');
    const disassembly = execFileSync(OBJDUMP, ['-d', '--no-show-raw-insn', program.binary], { encoding: 'utf8', maxBuffer: 1 << 30 });
    expect(disassembly.length).toBeGreaterThan(100_000);
    expect(Object.fromEntries(floatMnemonics(disassembly))).toEqual({});
  }, 10 * 60_000);
});
