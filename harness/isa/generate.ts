// Random cases from fast-check: case `index` of run `seed` is drawn from fc.gen() seeded by
// a hash of the two, so any single case can be regenerated from the pair printed with it.

import fc from 'fast-check';
import { CaseBuilder } from './builder.ts';
import type { IsaCase } from './case.ts';
import { RANDOM_MNEMONICS, generateOp } from './ops.ts';
import type { Rng } from './values.ts';

export interface GenOptions {
  /** Most instructions (a jump with its setup counts as one) per case; default 12. */
  maxLen?: number;
  /** Draw only from these mnemonics (default: all but ecall/ebreak/c.ebreak). */
  only?: readonly string[];
}

/** fast-check seed of one case (32-bit mix of run seed and case index). */
export function caseSeed(seed: number, index: number): number {
  let h = Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return (h ^ (h >>> 15)) | 0;
}

const U64_MAX = (1n << 64n) - 1n;

// Unbiased draws: fast-check's default bias toward small numbers would skew which
// mnemonic and which pool entry is picked; the pools themselves carry the edge bias.
const uniformInt = (min: number, max: number) => fc.noBias(fc.integer({ min, max }));
const uniformU64 = () => fc.noBias(fc.bigInt({ min: 0n, max: U64_MAX }));

function rngFrom(g: fc.GeneratorValue): Rng {
  const int = (min: number, max: number) => g(uniformInt, min, max);
  return {
    int,
    bigU64: () => g(uniformU64),
    pick: (a) => a[int(0, a.length - 1)],
    chance: (p) => int(0, 9999) < p * 10000,
  };
}

export function randomCase(seed: number, index: number, opts: GenOptions = {}): IsaCase {
  const [g] = fc.sample(fc.gen(), { seed: caseSeed(seed, index), numRuns: 1 });
  const r = rngFrom(g);
  const pool = opts.only ?? RANDOM_MNEMONICS;
  const b = new CaseBuilder(r);
  const n = r.int(1, opts.maxLen ?? 12);
  for (let i = 0; i < n; i++) generateOp(b, r.pick(pool));
  return b.finish(`random seed=${seed} case=${index}`);
}

export function randomCases(seed: number, count: number, opts: GenOptions = {}, first = 0): IsaCase[] {
  return Array.from({ length: count }, (_, i) => randomCase(seed, first + i, opts));
}
