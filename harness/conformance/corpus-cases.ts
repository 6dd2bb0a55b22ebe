// Corpus programs as differential cases: built with the cross toolchain (cached), or taken
// from recorded references when the toolchain is absent.

import { buildCorpus, loadManifest, type ProgramSpec } from '../corpus.ts';
import type { DifferentialCase } from './differential.ts';

export interface CorpusSelection {
  /** Leave out programs tagged `slow`. */
  quick: boolean;
}

export const corpusCaseId = (name: string) => `corpus/${name}`;

export function corpusSpecs(sel: CorpusSelection): ProgramSpec[] {
  return loadManifest().filter((s) => !(sel.quick && s.tags.includes('slow')));
}

/** Build and describe the corpus cases (ids "corpus/NAME", manifest order). */
export async function corpusCases(sel: CorpusSelection, wanted: (id: string) => boolean): Promise<DifferentialCase[]> {
  const names = new Set(corpusSpecs(sel).map((s) => s.name).filter((n) => wanted(corpusCaseId(n))));
  if (names.size === 0) return [];
  const built = await buildCorpus({ filter: (s) => names.has(s.name) });
  return built.map((p) => ({
    id: corpusCaseId(p.name),
    kind: 'corpus' as const,
    binary: p.binary,
    args: p.args,
    stdin: p.stdin,
    timeoutMs: p.tags.includes('slow') ? 600_000 : 120_000,
  }));
}
