// fclass: one-hot classification mask, from raw bits (so signalling vs quiet NaN is exact).

export const CLASS_NEG_INF = 1 << 0;
export const CLASS_NEG_NORMAL = 1 << 1;
export const CLASS_NEG_SUBNORMAL = 1 << 2;
export const CLASS_NEG_ZERO = 1 << 3;
export const CLASS_POS_ZERO = 1 << 4;
export const CLASS_POS_SUBNORMAL = 1 << 5;
export const CLASS_POS_NORMAL = 1 << 6;
export const CLASS_POS_INF = 1 << 7;
export const CLASS_SNAN = 1 << 8;
export const CLASS_QNAN = 1 << 9;

function classify(neg: boolean, expAllOnes: boolean, expZero: boolean, fracZero: boolean, quietBit: boolean): number {
  if (expAllOnes) {
    if (fracZero) return neg ? CLASS_NEG_INF : CLASS_POS_INF;
    return quietBit ? CLASS_QNAN : CLASS_SNAN;
  }
  if (expZero) {
    if (fracZero) return neg ? CLASS_NEG_ZERO : CLASS_POS_ZERO;
    return neg ? CLASS_NEG_SUBNORMAL : CLASS_POS_SUBNORMAL;
  }
  return neg ? CLASS_NEG_NORMAL : CLASS_POS_NORMAL;
}

export function fclassS(bits: number): number {
  const exp = bits & 0x7f800000;
  return classify(bits < 0, exp === 0x7f800000, exp === 0, (bits & 0x7fffff) === 0, (bits & 0x400000) !== 0);
}

export function fclassD(hi: number, lo: number): number {
  const exp = hi & 0x7ff00000;
  return classify(hi < 0, exp === 0x7ff00000, exp === 0, (hi & 0xfffff) === 0 && lo === 0, (hi & 0x80000) !== 0);
}
