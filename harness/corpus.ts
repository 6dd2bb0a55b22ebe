// The guest corpus: reads corpus/manifest.yaml and cross-compiles every program into
// corpus/build/ as a static riscv64 binary. A build is cached under a hash of the source
// bytes, the compiler command line and the compiler's version text, so an unchanged
// program is never recompiled.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, execaSync } from 'execa';
import { parse as parseYaml } from 'yaml';
import { findOnPath, type ToolStatus } from './qemu.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS_DIR = join(REPO_ROOT, 'corpus');
export const BUILD_DIR = join(CORPUS_DIR, 'build');
export const MANIFEST_PATH = join(CORPUS_DIR, 'manifest.yaml');

export type Language = 'c' | 'c++';

/** One manifest entry, with defaults filled in and stdin loaded. */
export interface ProgramSpec {
  name: string;
  /** Absolute path of the source file. */
  source: string;
  language: Language;
  args: string[];
  stdin: Buffer;
  /** Where stdin came from, for messages: "empty", "literal" or the file path. */
  stdinLabel: string;
  flags: string[];
  tags: string[];
}

export interface BuiltProgram extends ProgramSpec {
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
  baseFlags: string[];
  libs: string[];
}

const COMPILERS: Record<Language, Compiler> = {
  c: { command: 'riscv64-linux-gnu-gcc', package: 'gcc-riscv64-linux-gnu', baseFlags: ['-static', '-O2'], libs: ['-lm'] },
  'c++': { command: 'riscv64-linux-gnu-g++', package: 'g++-riscv64-linux-gnu', baseFlags: ['-static', '-O2'], libs: [] },
};

// ---------------------------------------------------------------------------------------
// Manifest

function stringList(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new Error(`${what} must be a list of strings`);
  }
  return value;
}

/** Parse the manifest; throws with the entry name on any malformed field. */
export function loadManifest(path = MANIFEST_PATH): ProgramSpec[] {
  const doc = parseYaml(readFileSync(path, 'utf8')) as { programs?: unknown };
  if (!doc || !Array.isArray(doc.programs)) throw new Error(`${path}: expected a top-level "programs" list`);
  const baseDir = dirname(path);
  const seen = new Set<string>();
  return doc.programs.map((entry: unknown, index: number) => {
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
    if (language !== 'c' && language !== 'c++') throw new Error(`${where}: language must be c or c++`);
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
      source: join(baseDir, raw.source),
      language,
      args: stringList(raw.args, `${where}: args`),
      stdin,
      stdinLabel,
      flags: stringList(raw.flags, `${where}: flags`),
      tags: stringList(raw.tags, `${where}: tags`),
    };
  });
}

// ---------------------------------------------------------------------------------------
// Toolchain

const versionCache = new Map<string, string>();

/** Full `--version` text of a compiler (part of the cache key); throws when it will not run. */
function compilerVersion(command: string): string {
  let version = versionCache.get(command);
  if (version === undefined) {
    version = execaSync(command, ['--version'], { stripFinalNewline: false }).stdout;
    versionCache.set(command, version);
  }
  return version;
}

/** Whether the riscv64 cross compilers are usable, with their version or why not. */
export function toolchainStatus(languages: Language[] = ['c', 'c++']): ToolStatus {
  const versions: string[] = [];
  for (const language of languages) {
    const { command, package: pkg } = COMPILERS[language];
    if (!findOnPath(command)) return { ok: false, reason: `${command} not found on PATH (apt-get install ${pkg})` };
    try {
      versions.push(compilerVersion(command).split('\n')[0]);
    } catch (error) {
      return { ok: false, reason: `${command} --version failed: ${(error as Error).message.split('\n')[0]}` };
    }
  }
  return { ok: true, version: [...new Set(versions)].join('; ') };
}

// ---------------------------------------------------------------------------------------
// Build

/** Compiler argv without the output path, and the cache key it implies. */
function buildPlan(spec: ProgramSpec): { command: string; args: string[]; hash: string } {
  const compiler = COMPILERS[spec.language];
  const args = [...compiler.baseFlags, ...spec.flags, spec.source, ...compiler.libs];
  const hash = createHash('sha256')
    .update(JSON.stringify({ command: compiler.command, args: args.map((a) => (a === spec.source ? '<source>' : a)) }))
    .update('\0')
    .update(compilerVersion(compiler.command))
    .update('\0')
    .update(readFileSync(spec.source))
    .digest('hex');
  return { command: compiler.command, args, hash };
}

function binaryPath(spec: ProgramSpec, hash: string): string {
  const stem = basename(spec.source, extname(spec.source));
  return join(BUILD_DIR, `${stem}-${hash.slice(0, 16)}`);
}

async function compile(command: string, args: string[], output: string): Promise<void> {
  // Build beside the target and rename, so a concurrent reader never sees half a binary.
  const temp = `${output}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const result = await execa(command, [...args, '-o', temp], { reject: false, all: true, timeout: 300_000 });
  if (result.exitCode !== 0) {
    rmSync(temp, { force: true });
    throw new Error(`compile failed: ${command} ${args.join(' ')}\n${result.all ?? result.message}`);
  }
  renameSync(temp, output);
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
    compile(p.plan.command, p.plan.args, p.binary),
  );
  return planned.map(({ spec, plan, binary }) => ({ ...spec, binary, hash: plan.hash, cached: !toCompile.has(binary) }));
}

/** `zerosys corpus build`: build everything and print what was compiled vs cached. */
export async function corpusBuildCommand(): Promise<number> {
  const status = toolchainStatus();
  if (!status.ok) {
    console.error(`zerosys corpus build: ${status.reason}`);
    process.exitCode = 1;
    return 1;
  }
  const started = performance.now();
  try {
    const built = await buildCorpus();
    const binaries = new Map(built.map((b) => [b.binary, b.cached]));
    const compiled = [...binaries.values()].filter((cached) => !cached).length;
    for (const b of built) console.log(`${b.cached ? 'cached' : 'built '}  ${b.name.padEnd(20)} ${b.binary}`);
    console.log(
      `corpus: ${built.length} programs, ${binaries.size} binaries: ${compiled} built, ${binaries.size - compiled} cached ` +
        `(${status.version}; ${Math.round(performance.now() - started)} ms)`,
    );
    return 0;
  } catch (error) {
    console.error(`zerosys corpus build: ${(error as Error).message}`);
    process.exitCode = 1;
    return 1;
  }
}

// Also runnable on its own: `npx tsx harness/corpus.ts`.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await corpusBuildCommand();
