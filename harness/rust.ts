// Rust for the corpus: Debian's rustc 1.63 has no riscv64 std, so the std library is built
// once per target from Debian's rust-src (`cargo -Zbuild-std`, the crates std needs taken
// from Debian's librust-*-dev packages through a directory source, never the network) into a
// sysroot under the git-ignored build directory; each corpus program is then one `rustc
// --sysroot` call. Debian's packages do not fit std 1.63 as shipped; every fix is applied to
// copies (nothing under /usr is edited):
//   - rust-src has no library/Cargo.lock: cargo resolves afresh in a writable copy
//     (__CARGO_TESTS_ONLY_SRC_ROOT names it);
//   - std asks for compiler_builtins 0.1.73, Debian has 0.1.70: the requirement is lowered;
//   - cargo resolves other targets' dependency sections (wasm, sgx, hermit, wasi crates
//     Debian lacks): they are deleted from std's manifest;
//   - Debian removed the `rustc-dep-of-std` features (and the rustc-std-workspace
//     dependencies behind them) from cfg-if 0.1, hashbrown, getopts and unicode-width:
//     restored in copies (CRATE_EDITS);
//   - Debian's addr2line, object and miniz_oxide are too new for this std: std is built
//     without its `backtrace` feature (a panic prints no backtrace, as RUST_BACKTRACE unset).
// Three targets: riscv64gc-unknown-linux-gnu linked by riscv64-linux-gnu-gcc (glibc),
// riscv64gc-unknown-linux-musl linked by zig's `cc` (harness/zig.ts) through a wrapper, and
// ZeroOS's own target, rv64imac with musl and the lp64 soft-float ABI: a target spec derived
// from rustc's musl one (imacTargetSpec), linked by zig's `cc -mcpu=baseline_rv64-d-f`. All
// static (+crt-static).

import { createHash } from 'node:crypto';
import { accessSync, chmodSync, constants as fsConstants, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { execa, execaSync } from 'execa';
import { findOnPath, type ToolStatus } from './qemu.ts';
import { ensureZig, IMAC_CPU, zigEnv } from './zig.ts';

/** Debian's own toolchain, named by path: a rustup toolchain on PATH must not be picked up. */
export const RUSTC = '/usr/bin/rustc';
export const CARGO = '/usr/bin/cargo';
const RUST_SRC = '/usr/lib/rustlib/src/rust';
const DEBIAN_REGISTRY = '/usr/share/cargo/registry';

/** What harness/setup.sh installs for Rust (also what a missing-toolchain message names). */
export const RUST_DEBIAN_PACKAGES = [
  'rustc',
  'cargo',
  'rust-src',
  'librust-compiler-builtins-dev',
  'librust-libc-dev',
  'librust-hashbrown-dev',
  'librust-cfg-if-0.1-dev',
  'librust-cfg-if-dev',
  'librust-rustc-demangle-dev',
  'librust-getopts-dev',
  'librust-unicode-width-dev',
  'librust-rustc-std-workspace-core-dev',
  'librust-rustc-std-workspace-std-dev',
  'librust-cc-dev',
] as const;

export type RustFlavour = 'gnu' | 'musl' | 'imac';
export const RUST_TARGETS: Record<RustFlavour, string> = {
  gnu: 'riscv64gc-unknown-linux-gnu',
  musl: 'riscv64gc-unknown-linux-musl',
  // A custom target: rustc names it by its spec file's stem (IMAC_SPEC_FILE).
  imac: 'riscv64imac-zerosys-linux-musl',
};

/** Linked by zig against musl (every flavour but gnu). */
const isMusl = (flavour: RustFlavour): boolean => flavour !== 'gnu';

/** The built-in target the imac spec is derived from. */
const IMAC_BASE_TARGET = 'riscv64gc-unknown-linux-musl';
/** The imac spec's file name in its toolchain directory (the stem is the target's name). */
export const IMAC_SPEC_FILE = `${RUST_TARGETS.imac}.json`;

/**
 * ZeroOS's target from rustc's riscv64gc musl spec (`--print target-spec-json`): the same
 * but for the ISA, I, M, A and C only (no F or D), and the lp64 ABI (floats in integer
 * registers, soft-float arithmetic from compiler_builtins). `is-builtin` goes: a spec read
 * from a file is not. Throws when the base spec is not the riscv64gc one this expects.
 */
export function imacTargetSpec(muslSpecJson: string): string {
  const spec = JSON.parse(muslSpecJson) as Record<string, unknown>;
  for (const [field, want] of [['arch', 'riscv64'], ['env', 'musl'], ['features', '+m,+a,+f,+d,+c'], ['llvm-abiname', 'lp64d']] as const) {
    if (spec[field] !== want) throw new Error(`rustc's ${IMAC_BASE_TARGET} spec: ${field} is ${JSON.stringify(spec[field])}, expected ${JSON.stringify(want)}; rustc changed`);
  }
  delete spec['is-builtin'];
  spec.features = '+m,+a,+c';
  spec['llvm-abiname'] = 'lp64';
  return `${JSON.stringify(spec, null, 2)}\n`;
}

/** rustc's own spec of the musl target, as JSON (an unstable option: RUSTC_BOOTSTRAP). */
function muslTargetSpec(): string {
  return execaSync(RUSTC, ['-Z', 'unstable-options', '--print', 'target-spec-json', '--target', IMAC_BASE_TARGET], { extendEnv: false, env: { PATH: '/usr/bin:/bin', RUSTC_BOOTSTRAP: '1' } }).stdout;
}

/** Bump when the build recipe changes in a way the hashed tables below do not show. */
const RECIPE_REVISION = 1;

/**
 * The crates std's workspace resolves, by name and the version series std asks for; the
 * newest Debian copy of each series is taken. (rustc-std-workspace-alloc is not packaged:
 * cargo's build-std patches all three rustc-std-workspace crates to rust-src's own.)
 */
export const STD_CRATES: readonly { name: string; series: string }[] = [
  { name: 'compiler_builtins', series: '0.1' },
  { name: 'libc', series: '0.2' },
  { name: 'hashbrown', series: '0.12' },
  { name: 'cfg-if', series: '0.1' },
  { name: 'rustc-demangle', series: '0.1' },
  { name: 'getopts', series: '0.2' },
  { name: 'unicode-width', series: '0.1' },
  { name: 'cc', series: '1.0' },
  { name: 'rustc-std-workspace-core', series: '1.0' },
  { name: 'rustc-std-workspace-std', series: '1.0' },
];

/** One exact text replacement in a Cargo.toml; `find` must occur exactly once. */
export interface ManifestEdit {
  find: string;
  replace: string;
}

const WORKSPACE_DEPS =
  '[dependencies.core]\nversion = "1.0"\noptional = true\npackage = "rustc-std-workspace-core"\n\n' +
  '[dependencies.std]\nversion = "1.0"\noptional = true\npackage = "rustc-std-workspace-std"\n\n';

/**
 * Undo Debian's manifest patches that drop what std's build needs (each crate's
 * debian/patches shows the removed lines; the restored text is upstream's).
 */
export const CRATE_EDITS: Readonly<Record<string, readonly ManifestEdit[]>> = {
  // debian/patches/drop-compiler-builtins.patch comments the dependency and feature out.
  'cfg-if': [
    { find: '#[dependencies.compiler_builtins]\n#version = "0.1.2"\n#optional = true\n', replace: '[dependencies.compiler_builtins]\nversion = "0.1.2"\noptional = true\n' },
    { find: '#rustc-dep-of-std = ["core", "compiler_builtins"]', replace: 'rustc-dep-of-std = ["core", "compiler_builtins"]' },
  ],
  // debian/patches/disable-alloc.diff removes the alloc dependency.
  hashbrown: [
    { find: '[dependencies.bumpalo]\n', replace: '[dependencies.alloc]\nversion = "1.0.0"\noptional = true\npackage = "rustc-std-workspace-alloc"\n\n[dependencies.bumpalo]\n' },
    { find: '    "compiler_builtins",\n    "rustc-internal-api",\n]', replace: '    "compiler_builtins",\n    "alloc",\n    "rustc-internal-api",\n]' },
  ],
  // debian/patches/relax-std.diff removes core, std and the feature.
  getopts: [
    { find: '[dependencies.unicode-width]\n', replace: `${WORKSPACE_DEPS}[dependencies.unicode-width]\n` },
    { find: '[dev-dependencies.log]\n', replace: '[features]\nrustc-dep-of-std = ["unicode-width/rustc-dep-of-std", "std", "core"]\n\n[dev-dependencies.log]\n' },
  ],
  // debian/patches/drop-uninstallable-featuresets.patch removes core, std and the feature.
  'unicode-width': [{ find: '[features]\n', replace: `${WORKSPACE_DEPS}[features]\nrustc-dep-of-std = [\n    "std",\n    "core",\n    "compiler_builtins",\n]\n` }],
};

/** Apply edits to a manifest's text; throws naming the first edit whose text is not there exactly once. */
export function applyManifestEdits(text: string, edits: readonly ManifestEdit[], what: string): string {
  for (const { find, replace } of edits) {
    const at = text.indexOf(find);
    if (at < 0 || text.indexOf(find, at + 1) >= 0) {
      throw new Error(`${what}: expected ${JSON.stringify(find)} exactly once (${at < 0 ? 'absent' : 'more than once'}); Debian's package changed`);
    }
    text = text.slice(0, at) + replace + text.slice(at + find.length);
  }
  return text;
}

/**
 * std's manifest, made resolvable from Debian's crates: compiler_builtins lowered to the
 * version Debian has (when older), and every `[target.*.dependencies]` section deleted (they
 * name crates of other targets only: dlmalloc, fortanix-sgx-abi, hermit-abi, wasi).
 */
export function patchStdManifest(text: string, builtinsVersion: string): string {
  const requirement = /^compiler_builtins = \{ version = "([0-9.]+)" \}$/m.exec(text);
  if (!requirement) throw new Error('std/Cargo.toml: no compiler_builtins requirement; rust-src changed');
  if (compareVersions(builtinsVersion, requirement[1]) < 0) {
    text = text.replace(requirement[0], `compiler_builtins = { version = "${builtinsVersion}" }`);
  }
  // A section runs from its header to the next header (TOML tables cannot nest otherwise).
  return text.replace(/^\[target\.[^\n]*\]\n(?:(?!\[)[^\n]*\n)*/gm, '');
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The newest directory NAME-SERIES.x of a registry, or undefined. */
export function findCrate(registry: string, name: string, series: string): string | undefined {
  const prefix = `${name}-${series}.`;
  const found = readdirSync(registry)
    .filter((d) => d.startsWith(prefix) && /^\d+(\.\d+)*$/.test(d.slice(prefix.length)))
    .sort((a, b) => compareVersions(a.slice(name.length + 1), b.slice(name.length + 1)));
  return found.at(-1);
}

/**
 * CARGO_HOME/config.toml of the std build: crates.io replaced by a directory source (the
 * copied crates), offline, and the target's linker and rustflags.
 */
export function cargoConfig(vendorDir: string, target: string, linker: string, rustflags: readonly string[]): string {
  const q = (s: string) => JSON.stringify(s);
  return [
    '[source.crates-io]',
    'replace-with = "debian-copies"',
    '',
    '[source.debian-copies]',
    `directory = ${q(vendorDir)}`,
    '',
    '[net]',
    'offline = true',
    '',
    `[target.${target}]`,
    `linker = ${q(linker)}`,
    `rustflags = [${rustflags.map(q).join(', ')}]`,
    '',
  ].join('\n');
}

/**
 * rustflags of the std build: static C runtime; the scratch directory's path remapped, so the
 * sysroot's rlibs (panic locations inside std) do not name a temporary directory; for musl,
 * none of rustc's own crt objects (zig supplies musl's).
 */
export function stdRustflags(flavour: RustFlavour, workDir: string): string[] {
  return ['-C', 'target-feature=+crt-static', '--remap-path-prefix', `${workDir}=/zerosys-rust-std`, ...muslFlags(flavour)];
}

const muslFlags = (flavour: RustFlavour): string[] => (isMusl(flavour) ? ['-C', 'link-self-contained=no'] : []);

/** zig cc's CPU flags of a musl flavour: imac's lacks F and D, so zig's musl is soft-float too. */
export const zigCpuFlags = (flavour: RustFlavour): string[] => (flavour === 'imac' ? [`-mcpu=${IMAC_CPU}`] : []);

/**
 * The package cargo builds std for. As rust's own workspace manifest does, every compiler
 * builtin gets its own object file: otherwise a member holding __udivti3 and its neighbours
 * clashes with libgcc's copy at link time.
 */
const STUB_MANIFEST = [
  '[package]',
  'name = "zerosys-std-stub"',
  'version = "0.0.0"',
  'edition = "2021"',
  '',
  '[profile.release.package.compiler_builtins]',
  'codegen-units = 10000',
  '',
].join('\n');
const STUB_MAIN = 'fn main() {\n    println!("{:?}", std::collections::HashMap::<u8, u8>::new());\n}\n';

/**
 * Names std 1.63 links on musl that musl 1.2.4 (zig 0.11's) no longer defines: on 64-bit
 * they were aliases of the plain functions. (zig's linker has no --defsym.)
 */
export const MUSL_LFS64_ALIASES: Readonly<Record<string, string>> = {
  stat64: 'stat',
  fstat64: 'fstat',
  lstat64: 'lstat',
  fstatat64: 'fstatat',
  open64: 'open',
  openat64: 'openat',
  readdir64: 'readdir',
  readdir64_r: 'readdir_r',
  lseek64: 'lseek',
  ftruncate64: 'ftruncate',
  pread64: 'pread',
  pwrite64: 'pwrite',
  preadv64: 'preadv',
  pwritev64: 'pwritev',
  posix_fallocate64: 'posix_fallocate',
  getrlimit64: 'getrlimit',
  setrlimit64: 'setrlimit',
  mmap64: 'mmap',
  sendfile64: 'sendfile',
};

/**
 * C source of the object that supplies those names: each forwards its argument registers to
 * the plain function (no headers: integer and pointer arguments, variadic ones included, sit
 * in a0-a5 either way in the RISC-V LP64 calling convention).
 */
export function lfs64Source(): string {
  const lines = ['/* Generated by harness/rust.ts: musl 1.2.4 dropped the LFS64 names std 1.63 links. */'];
  for (const [from, to] of Object.entries(MUSL_LFS64_ALIASES)) {
    lines.push(`extern long ${to}(long, long, long, long, long, long);`);
    lines.push(`long ${from}(long a, long b, long c, long d, long e, long f) { return ${to}(a, b, c, d, e, f); }`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The linker rustc runs for the musl targets: zig's clang driver with its musl, plus the
 * LFS64 object beside the script. rustc's crt objects are not passed
 * (-C link-self-contained=no), gcc_s (a shared library) is dropped. `cpuFlags` choose zig's
 * CPU (imac: without F and D, so the C runtime and musl are soft-float as the Rust code is).
 */
export function muslLinkerScript(zig: string, env: Record<string, string>, cpuFlags: readonly string[] = []): string {
  const exports = Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
  return [
    '#!/bin/sh',
    `# rustc -C linker for ${cpuFlags.length ? RUST_TARGETS.imac : RUST_TARGETS.musl} (generated by harness/rust.ts)`,
    ...exports,
    'lfs64="$(dirname "$0")/lfs64.o"',
    'for arg; do',
    '  shift',
    '  case "$arg" in',
    '    -lgcc_s) ;;',
    '    *) set -- "$@" "$arg" ;;',
    '  esac',
    'done',
    `exec ${shellQuote(zig)} cc -target riscv64-linux-musl ${cpuFlags.map(shellQuote).map((f) => `${f} `).join('')}"$@" "$lfs64"`,
    '',
  ].join('\n');
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

// ---------------------------------------------------------------------------------------
// Toolchain status and cache keys

const packageVersions = new Map<string, string>();

/** "PACKAGE VERSION" lines of the installed Debian packages, or the reason some are missing. */
function debianPackages(): ToolStatus {
  if (!findOnPath('dpkg-query')) return { ok: false, reason: 'dpkg-query not found: Rust needs Debian packages (harness/setup.sh)' };
  const result = execaSync('dpkg-query', ['-W', '-f', '${Package} ${Version} ${db:Status-Status}\n', ...RUST_DEBIAN_PACKAGES], { reject: false });
  const installed = new Set<string>();
  for (const line of result.stdout.split('\n')) {
    const [pkg, version, status] = line.split(' ');
    if (status === 'installed') {
      installed.add(pkg);
      packageVersions.set(pkg, version);
    }
  }
  const missing = RUST_DEBIAN_PACKAGES.filter((p) => !installed.has(p));
  if (missing.length) return { ok: false, reason: `Debian's Rust packages missing (apt-get install ${missing.join(' ')})` };
  return { ok: true, version: RUST_DEBIAN_PACKAGES.map((p) => `${p} ${packageVersions.get(p)}`).join('\n') };
}

const statusCache = new Map<RustFlavour, ToolStatus>();

/** Whether programs of this flavour can be built here: ok with the version text, or why not. */
export function rustStatus(flavour: RustFlavour, buildDir: string): ToolStatus {
  const cached = statusCache.get(flavour);
  if (cached) return cached;
  const status = probe(flavour, buildDir);
  statusCache.set(flavour, status);
  return status;
}

function probe(flavour: RustFlavour, buildDir: string): ToolStatus {
  const packages = debianPackages();
  if (!packages.ok) return packages;
  for (const tool of [RUSTC, CARGO]) {
    try {
      accessSync(tool, fsConstants.X_OK);
    } catch {
      return { ok: false, reason: `${tool} is not executable (apt-get install rustc cargo)` };
    }
  }
  let linker: string;
  if (flavour === 'gnu') {
    if (!findOnPath('riscv64-linux-gnu-gcc')) return { ok: false, reason: 'riscv64-linux-gnu-gcc not found on PATH (apt-get install gcc-riscv64-linux-gnu)' };
    linker = execaSync('riscv64-linux-gnu-gcc', ['--version']).stdout.split('\n')[0];
  } else {
    const zig = ensureZig(buildDir);
    if (!zig.ok) return zig;
    linker = ['zig', execaSync(zig.version, ['version'], { env: zigEnv(buildDir) }).stdout.trim(), 'cc -target riscv64-linux-musl', ...zigCpuFlags(flavour)].join(' ');
  }
  const rustc = execaSync(RUSTC, ['-vV']).stdout;
  const cargo = execaSync(CARGO, ['-V']).stdout;
  let spec: string | undefined;
  if (flavour === 'imac') {
    try {
      spec = imacTargetSpec(muslTargetSpec());
    } catch (error) {
      return { ok: false, reason: `no ${RUST_TARGETS.imac} target spec: ${(error as Error).message.split('\n')[0]}` };
    }
  }
  const key = stdKey(flavour, rustc, cargo, packages.version, spec);
  // First line: what messages show; the rest pins the program cache key.
  return { ok: true, version: `${rustc.split('\n')[0]} (Debian ${packageVersions.get('rustc')}), std ${key.slice(0, 16)} for ${RUST_TARGETS[flavour]}; ${linker}\n${rustc}\n${linker}\n${key}\n` };
}

/** The std build's cache key: toolchain versions, Debian package versions, the recipe and (imac) the target spec. */
function stdKey(flavour: RustFlavour, rustc: string, cargo: string, packages: string, spec: string | undefined): string {
  return createHash('sha256')
    .update(
      JSON.stringify({
        RECIPE_REVISION,
        flavour,
        target: RUST_TARGETS[flavour],
        rustc,
        cargo,
        packages,
        STD_CRATES,
        CRATE_EDITS,
        STUB_MANIFEST,
        ...(isMusl(flavour) ? { lfs64: lfs64Source(), linker: muslLinkerScript('ZIG', {}, zigCpuFlags(flavour)) } : {}),
        ...(spec !== undefined ? { spec } : {}),
      }),
    )
    .digest('hex');
}

/** Where a flavour's std sysroot lives (and, for musl, the linker wrapper; for imac, the target spec). */
function toolchainDir(buildDir: string, flavour: RustFlavour, key: string): string {
  return join(buildDir, '.toolchains', `rust-std-${flavour}-${key.slice(0, 16)}`);
}

// ---------------------------------------------------------------------------------------
// The std build

interface RustToolchain {
  sysroot: string;
  /** The program rustc runs as the linker. */
  linker: string;
  /** Extra rustc flags of the flavour. */
  linkFlags: string[];
  /** What rustc's --target names: the built-in target, or (imac) the spec file's path. */
  target: string;
}

const building = new Map<RustFlavour, Promise<RustToolchain>>();

/** The flavour's std sysroot, built on first use (about a minute on two cores), then cached. */
export function ensureRustStd(flavour: RustFlavour, buildDir: string): Promise<RustToolchain> {
  let pending = building.get(flavour);
  if (!pending) {
    pending = buildStd(flavour, buildDir);
    building.set(flavour, pending);
    pending.catch(() => building.delete(flavour));
  }
  return pending;
}

async function buildStd(flavour: RustFlavour, buildDir: string): Promise<RustToolchain> {
  const status = rustStatus(flavour, buildDir);
  if (!status.ok) throw new Error(status.reason);
  const key = status.version.trimEnd().split('\n').pop()!;
  const target = RUST_TARGETS[flavour];
  const home = toolchainDir(buildDir, flavour, key);
  const toolchain = (dir: string): RustToolchain => ({
    sysroot: join(dir, 'sysroot'),
    linker: flavour === 'gnu' ? 'riscv64-linux-gnu-gcc' : join(dir, 'musl-linker'),
    linkFlags: muslFlags(flavour),
    target: flavour === 'imac' ? join(dir, IMAC_SPEC_FILE) : target,
  });
  if (existsSync(join(home, 'sysroot'))) return toolchain(home);

  mkdirSync(join(buildDir, '.toolchains'), { recursive: true });
  const work = mkdtempSync(join(buildDir, '.toolchains', `.rust-std-${flavour}-`));
  try {
    const { linker, target: targetArg } = toolchain(work);
    if (flavour === 'imac') writeFileSync(targetArg, imacTargetSpec(muslTargetSpec()));
    if (isMusl(flavour)) {
      const zig = ensureZig(buildDir);
      if (!zig.ok) throw new Error(zig.reason);
      writeFileSync(linker, muslLinkerScript(zig.version, zigEnv(buildDir), zigCpuFlags(flavour)));
      chmodSync(linker, 0o755);
      writeFileSync(join(work, 'lfs64.c'), lfs64Source());
      const cc = await execa(zig.version, ['cc', '-target', 'riscv64-linux-musl', ...zigCpuFlags(flavour), '-O2', '-c', '-o', join(work, 'lfs64.o'), join(work, 'lfs64.c')], { env: zigEnv(buildDir), reject: false, all: true });
      if (cc.exitCode !== 0) throw new Error(`zig cc lfs64.c failed: ${cc.all ?? cc.message}`);
    }
    // rust-src's library/, writable (cargo writes library/Cargo.lock) and patched.
    const rustCopy = join(work, 'rust');
    cpSync(join(RUST_SRC, 'library'), join(rustCopy, 'library'), { recursive: true });
    const vendor = join(work, 'vendor');
    mkdirSync(vendor);
    let builtins = '';
    for (const { name, series } of STD_CRATES) {
      const dir = findCrate(DEBIAN_REGISTRY, name, series);
      if (!dir) throw new Error(`${DEBIAN_REGISTRY} has no ${name} ${series}.x (apt-get install ${RUST_DEBIAN_PACKAGES.join(' ')})`);
      if (name === 'compiler_builtins') builtins = dir.slice(name.length + 1);
      cpSync(join(DEBIAN_REGISTRY, dir), join(vendor, dir), { recursive: true, dereference: true });
      const edits = CRATE_EDITS[name];
      if (edits) {
        const manifest = join(vendor, dir, 'Cargo.toml');
        writeFileSync(manifest, applyManifestEdits(readFileSync(manifest, 'utf8'), edits, `${dir}/Cargo.toml`));
      }
    }
    const stdManifest = join(rustCopy, 'library', 'std', 'Cargo.toml');
    writeFileSync(stdManifest, patchStdManifest(readFileSync(stdManifest, 'utf8'), builtins));

    const cargoHome = join(work, 'cargo-home');
    mkdirSync(cargoHome);
    writeFileSync(join(cargoHome, 'config.toml'), cargoConfig(vendor, target, linker, stdRustflags(flavour, work)));
    const stub = join(work, 'stub');
    mkdirSync(join(stub, 'src'), { recursive: true });
    writeFileSync(join(stub, 'Cargo.toml'), STUB_MANIFEST);
    writeFileSync(join(stub, 'src', 'main.rs'), STUB_MAIN);

    const targetDir = join(work, 'target');
    const result = await execa(
      CARGO,
      ['build', '--release', '--offline', '-Zbuild-std=std,panic_unwind', '-Zbuild-std-features=panic-unwind', '--target', targetArg],
      {
        cwd: stub,
        // Only what the build needs: no RUSTFLAGS, rustup or cargo settings of the caller's.
        extendEnv: false,
        env: {
          PATH: '/usr/bin:/bin',
          HOME: work,
          CARGO_HOME: cargoHome,
          CARGO_TARGET_DIR: targetDir,
          RUSTC: RUSTC,
          RUSTC_BOOTSTRAP: '1',
          __CARGO_TESTS_ONLY_SRC_ROOT: rustCopy,
        },
        reject: false,
        all: true,
        timeout: 30 * 60_000,
      },
    );
    if (result.exitCode !== 0) throw new Error(`building Rust std for ${target} failed (cargo -Zbuild-std in ${work}):\n${(result.all ?? result.message).split('\n').slice(-40).join('\n')}`);

    const deps = join(targetDir, target, 'release', 'deps');
    const rlibs = readdirSync(deps).filter((f) => f.endsWith('.rlib'));
    if (rlibs.filter((f) => f.startsWith('libstd-')).length !== 1) throw new Error(`Rust std build for ${target}: expected one libstd rlib in ${deps}, found ${rlibs.join(' ')}`);
    const lib = join(work, 'sysroot', 'lib', 'rustlib', target, 'lib');
    mkdirSync(lib, { recursive: true });
    for (const f of rlibs) cpSync(join(deps, f), join(lib, f));
    for (const dir of [rustCopy, vendor, targetDir, stub, cargoHome]) rmSync(dir, { recursive: true, force: true });
    // Renamed into place whole, so a concurrent build never sees half a sysroot.
    try {
      renameSync(work, home);
    } catch (error) {
      if (!existsSync(join(home, 'sysroot'))) throw error; // another build finished first
    }
    return toolchain(home);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------
// Programs

/**
 * rustc flags of every corpus program (part of its cache key; paths are added at build time:
 * the imac target's `--target` names its spec file, whose text the std key covers).
 */
export function rustcFlags(flavour: RustFlavour, target = flavour === 'imac' ? IMAC_SPEC_FILE : RUST_TARGETS[flavour]): string[] {
  return ['--edition', '2021', '--crate-type', 'bin', '-C', 'opt-level=2', '-C', 'debuginfo=0', '--target', target, '-C', 'target-feature=+crt-static'];
}

/**
 * Build one single-file program against the flavour's std. rustc runs in the source's
 * directory on its bare name, so panic messages name `FILE.rs:LINE:COL`, the same on every
 * machine.
 */
export async function buildRustProgram(flavour: RustFlavour, buildDir: string, source: string, flags: string[], output: string): Promise<void> {
  const { sysroot, linker, linkFlags, target } = await ensureRustStd(flavour, buildDir);
  const args = [...rustcFlags(flavour, target), ...flags, '--sysroot', sysroot, '-C', `linker=${linker}`, ...linkFlags, '-o', output, basename(source)];
  const result = await execa(RUSTC, args, {
    cwd: dirname(source),
    extendEnv: false,
    env: { PATH: '/usr/bin:/bin', HOME: dirname(output) },
    reject: false,
    all: true,
    timeout: 300_000,
  });
  if (result.exitCode !== 0) throw new Error(`compile failed: ${RUSTC} ${args.join(' ')}\n${result.all ?? result.message}`);
  const abi = floatAbi(readFileSync(output));
  const want = flavour === 'imac' ? 'soft' : 'double';
  if (abi !== want) throw new Error(`${output}: built for ${RUST_TARGETS[flavour]} with the ${abi}-float ABI, expected ${want}-float (e_flags)`);
}

/**
 * The floating-point ABI an ELF's header names (e_flags bits 1-2, EF_RISCV_FLOAT_ABI_*: what
 * `readelf -h` prints as "soft-float ABI", "double-float ABI").
 */
export function floatAbi(elf: Buffer): 'soft' | 'single' | 'double' | 'quad' {
  if (elf.length < 64 || elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2 || elf.readUInt16LE(18) !== 243) throw new Error('not a 64-bit RISC-V ELF file');
  return (['soft', 'single', 'double', 'quad'] as const)[(elf.readUInt32LE(48) >> 1) & 3];
}
