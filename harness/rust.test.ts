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
import { applyManifestEdits, CARGO, cargoConfig, CRATE_EDITS, findCrate, lfs64Source, MUSL_LFS64_ALIASES, muslLinkerScript, patchStdManifest, RUST_DEBIAN_PACKAGES, STD_CRATES, stdRustflags } from './rust.ts';
import { skipTitle } from '../test/skips.ts';

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
