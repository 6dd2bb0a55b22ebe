// RISC-V integer register numbers by their ABI names (RISC-V psABI, "Integer Register
// Convention"). The kernel reads syscall numbers and arguments through these (a7, a0..a5)
// and builds signal frames and new threads with them (ra, sp, tp, a0..a2).

export const ZERO = 0;
export const RA = 1;
export const SP = 2;
export const GP = 3;
export const TP = 4;
export const T0 = 5;
export const T1 = 6;
export const T2 = 7;
export const S0 = 8;
export const S1 = 9;
export const A0 = 10;
export const A1 = 11;
export const A2 = 12;
export const A3 = 13;
export const A4 = 14;
export const A5 = 15;
export const A6 = 16;
export const A7 = 17;

/**
 * Index of register r's low 32-bit word in CpuState.x (the high word is the next one):
 * `cpu.x[lowWord(A0)]`.
 */
export function lowWord(r: number): number {
  return 2 * r;
}
