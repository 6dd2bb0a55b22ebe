// Shrinks a failing case by greedy delta debugging, one guest program per round: every
// candidate of a round (one block removed, one input simplified, ...) is a case of the
// same batch, and the first candidate that still differs becomes the new case. Blocks
// are removed whole (an auipc stays with its jalr), pinned address registers and the
// base register keep their values, so every candidate is as safe to run as the original.

import { isBlock, type IsaCase, type Item } from './case.ts';
import { runCases, type CaseOutcome } from './run.ts';
import type { EngineName } from '../../emulator/engines.ts';

const BOXED_ZERO = 0xffffffff00000000n;

function withItems(c: IsaCase, items: Item[]): IsaCase {
  return { ...c, items };
}

type Edit = (c: IsaCase) => IsaCase;

/** Removing one block each (shorter code is the first aim). */
function removals(c: IsaCase): IsaCase[] {
  const out: IsaCase[] = [];
  c.items.forEach((it, i) => {
    if (isBlock(it)) out.push(withItems(c, c.items.filter((_, k) => k !== i)));
  });
  return out;
}

/** Input simplifications, each an edit that can be combined with the others. */
function simplifications(c: IsaCase): Edit[] {
  const out: Edit[] = [];
  if (c.scratch.some((q) => q !== 0n)) out.push((k) => ({ ...k, scratch: k.scratch.map(() => 0n) }));
  if ((c.fcsr & 0xe0) !== 0) out.push((k) => ({ ...k, fcsr: k.fcsr & 0x1f }));
  if ((c.fcsr & 0x1f) !== 0) out.push((k) => ({ ...k, fcsr: k.fcsr & 0xe0 }));
  for (let r = 1; r < 32; r++) {
    if (r === c.base || c.pinned.includes(r) || c.x[r] === 0n) continue;
    out.push((k) => ({ ...k, x: k.x.map((v, i) => (i === r ? 0n : v)) }));
  }
  for (let r = 0; r < 32; r++) {
    for (const v of [0n, BOXED_ZERO]) {
      if (c.f[r] === 0n || c.f[r] === v) continue;
      out.push((k) => ({ ...k, f: k.f.map((w, i) => (i === r ? v : w)) }));
    }
  }
  c.scratch.forEach((q, i) => {
    if (q !== 0n) out.push((k) => ({ ...k, scratch: k.scratch.map((w, j) => (j === i ? 0n : w)) }));
  });
  return out;
}

async function failing(cands: IsaCase[], repeat: number, engine?: EngineName): Promise<CaseOutcome[]> {
  if (!cands.length) return [];
  const res = await runCases(cands, { batchSize: cands.length, parallel: 1, repeat, engine });
  return res.filter((r) => r.kind === 'diff');
}

/** Drop labels no instruction refers to any more. */
function tidy(c: IsaCase): IsaCase {
  const used = new Set<number>();
  for (const it of c.items) if (isBlock(it)) for (const i of it.insns) if (i.target !== undefined) used.add(i.target);
  return withItems(c, c.items.filter((it) => isBlock(it) || used.has(it.id)));
}

export interface ShrinkResult {
  outcome: CaseOutcome;
  rounds: number;
}

/** The smallest variant of a failing case that still differs, with its outcome. */
export async function shrinkCase(first: CaseOutcome, repeat = 1, maxRounds = 100, engine?: EngineName): Promise<ShrinkResult> {
  let best = first;
  let rounds = 0;
  // Code first: drop blocks while the difference stays.
  for (; rounds < maxRounds; rounds++) {
    const [f] = await failing(removals(best.c), repeat, engine);
    if (!f) break;
    best = f;
  }
  // Then inputs: every simplification that keeps the difference, all together if possible.
  for (; rounds < maxRounds; rounds++) {
    const edits = simplifications(best.c);
    const res = await runCases(edits.map((e) => e(best.c)), { batchSize: Math.max(1, edits.length), parallel: 1, repeat, engine });
    const good = edits.filter((_, i) => res[i].kind === 'diff');
    if (!good.length) break;
    const firstGood = res.find((r) => r.kind === 'diff')!;
    if (good.length === 1) {
      best = firstGood;
      continue;
    }
    const [all] = await failing([good.reduce((c, e) => e(c), best.c)], repeat, engine);
    best = all ?? firstGood;
  }
  const c = tidy(best.c);
  return { outcome: { ...best, c: { ...c, name: `${first.c.name} (shrunk)` } }, rounds };
}
