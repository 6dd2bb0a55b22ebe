// Corpus programs as differential cases: built with the cross toolchain (cached), or taken
// from recorded references when the toolchain is absent. A program whose own compiler is
// missing (Go without golang-go) is reported as skipped with the reason, not left out.

import { buildCorpus, loadManifest, unbuildableReason, unrunnableReason, type Language, type ProgramSpec } from '../corpus.ts';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GUEST_ENV } from '../qemu.ts';
import type { DifferentialCase } from './differential.ts';
import type { CaseResult } from './schema.ts';

export interface CorpusSelection {
  /** Leave out programs tagged `slow`. */
  quick: boolean;
}

export const corpusCaseId = (name: string) => `corpus/${name}`;

/** What built a program, as the report groups them (a zkVM guest's toolchain decides its syscalls). */
export const TOOLCHAIN: Record<Language, string> = {
  c: 'C, glibc',
  'c++': 'C++, glibc',
  'c-musl': 'C, musl',
  'c-imac': 'C, musl, rv64imac (no F/D)',
  'c-dyn': 'C, glibc, dynamically linked',
  'c++-dyn': 'C++, glibc, dynamically linked',
  go: 'Go',
  'go-test': 'Go',
  npm: 'prebuilt (npm)',
  rust: 'Rust, glibc',
  'rust-musl': 'Rust, musl',
  'rust-imac': 'Rust, musl, rv64imac (no F/D)',
};

export function corpusSpecs(sel: CorpusSelection): ProgramSpec[] {
  return loadManifest().filter((s) => !(sel.quick && s.tags.includes('slow')));
}

/** Selected programs that cannot be built or compared here, as skipped results naming what is missing. */
export function corpusSkipped(sel: CorpusSelection, wanted: (id: string) => boolean): CaseResult[] {
  return corpusSpecs(sel).flatMap((spec) => {
    if (!wanted(corpusCaseId(spec.name))) return [];
    const unbuilt = unbuildableReason(spec);
    const unrun = unbuilt === undefined ? unrunnableReason(spec) : undefined;
    if (unbuilt === undefined && unrun === undefined) return [];
    const summary = unbuilt !== undefined ? `not built: ${unbuilt}` : `not run: ${unrun}`;
    return [{ id: corpusCaseId(spec.name), kind: 'corpus' as const, outcome: 'skipped' as const, reference: 'missing' as const, summary, checks: {} }];
  });
}

/** Without the toolchain: selected programs with no recorded reference, as skipped results. */
export function corpusUnrecorded(sel: CorpusSelection, wanted: (id: string) => boolean, recorded: Set<string>, reason: string): CaseResult[] {
  return corpusSpecs(sel)
    .map((spec) => corpusCaseId(spec.name))
    .filter((id) => wanted(id) && !recorded.has(id))
    .map((id) => ({ id, kind: 'corpus' as const, outcome: 'skipped' as const, reference: 'missing' as const, summary: `not built: ${reason}; no recorded reference`, checks: {} }));
}

/** Build and describe the corpus cases (ids "corpus/NAME", manifest order); see corpusSkipped for the rest. */
export async function corpusCases(sel: CorpusSelection, wanted: (id: string) => boolean): Promise<DifferentialCase[]> {
  const specs = corpusSpecs(sel).filter((s) => wanted(corpusCaseId(s.name)) && unbuildableReason(s) === undefined && unrunnableReason(s) === undefined);
  const names = new Set(specs.map((s) => s.name));
  if (names.size === 0) return [];
  const built = await buildCorpus({ filter: (s) => names.has(s.name) });
  return built.map((p) => ({
    id: corpusCaseId(p.name),
    kind: 'corpus' as const,
    binary: p.binary,
    args: p.args,
    stdin: p.stdin,
    timeoutMs: p.tags.includes('slow') ? 600_000 : 120_000,
    threadIds: true,
    toolchain: TOOLCHAIN[p.language],
    ...(p.isa ? { isa: p.isa } : {}),
    ...(p.env ? { env: { ...GUEST_ENV, ...p.env } } : {}),
    // Under -L qemu looks a path up in the sysroot and then on the host (util/path.c): its
    // dynamic linker reads the host's /etc/ld.so.cache, which zerosys's guest has not, so the
    // traces of a dynamically linked program differ there (test/e2e/dynamic.test.ts).
    ...(p.sysroot ? { sysroot: p.sysroot, compareTrace: false } : {}),
    ...(p.files.length
      ? {
          files: true,
          setup: async (dir: string) => {
            for (const f of p.files) {
              await mkdir(dirname(join(dir, f.path)), { recursive: true });
              await copyFile(f.host, join(dir, f.path));
            }
          },
          fingerprint: JSON.stringify(p.files.map((f) => ({ path: f.path, sha256: createHash('sha256').update(readFileSync(f.host)).digest('hex') }))),
        }
      : {}),
  }));
}
