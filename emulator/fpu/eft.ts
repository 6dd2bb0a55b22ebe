// Error-free transformations in round-to-nearest-even double arithmetic (the host's only mode).
// Each returns the exact error of an already-computed rounded result, so callers allocate nothing.

const SPLITTER = 134217729; // 2^27 + 1 (Veltkamp)

/** Knuth's TwoSum: the exact a + b - r where r = fl(a + b). Exact unless a + b overflows. */
export function twoSumErr(a: number, b: number, r: number): number {
  const bv = r - a;
  const av = r - bv;
  return a - av + (b - bv);
}

/**
 * Dekker's TwoProduct: the exact a * b - p where p = fl(a * b). Exact when |a|, |b| < 2^995
 * and the exponents of a and b add up to at least -968 (no partial product underflows).
 */
export function twoProdErr(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/**
 * Sign (-1, 0, 1) of the exact sum a + b + c + d, by growing a nonoverlapping expansion
 * (Shewchuk): the sign of such an expansion is that of its largest nonzero component.
 * Exact as long as no partial sum overflows.
 */
export function sumSign4(a: number, b: number, c: number, d: number): number {
  // [e0, q] = a + b
  let q = a + b;
  const e0 = twoSumErr(a, b, q);
  // grow by c: [h0, h1, q]
  let t = c + e0;
  const h0 = twoSumErr(c, e0, t);
  let u = t + q;
  const h1 = twoSumErr(t, q, u);
  q = u;
  // grow by d: [g0, g1, g2, q]
  t = d + h0;
  const g0 = twoSumErr(d, h0, t);
  u = t + h1;
  const g1 = twoSumErr(t, h1, u);
  const v = u + q;
  const g2 = twoSumErr(u, q, v);
  if (v !== 0) return v > 0 ? 1 : -1;
  if (g2 !== 0) return g2 > 0 ? 1 : -1;
  if (g1 !== 0) return g1 > 0 ? 1 : -1;
  if (g0 !== 0) return g0 > 0 ? 1 : -1;
  return 0;
}
