// What each instruction does, as a JavaScript fragment. One source serves both the
// interpreter (fragments become the cases of one generated switch, so V8 gets a dense
// jump table with literal case labels) and, later, a block compiler that splices the same
// fragments with constant operands.
//
// Every value a fragment assigns to x[...] must already be an int32 (`| 0` where the
// arithmetic can leave that range): the block compiler keeps registers in JS locals, which,
// unlike the Int32Array, do not wrap (found by the ISA tests: harness/isa).
//
// A fragment sees: x (Int32Array integer halves), fi (Int32Array float halves), m (Memory),
// s (CpuState), H (helpers), rd rs1 rs2 rs3 imm (decoded fields; x operands are slot
// indices 2*r), pc (this instruction), npc (next pc; set it to jump), len, base + n (the
// retired-instruction count before this one), and may `EXIT(code)` to leave the run loop
// with s.pc at this instruction, or `EXIT_AFTER(code)` to leave after retiring it.

import type { OpSpec } from '../decode/opcodes.ts';

const ADDR = '(x[rs1 + 1] * 4294967296 + (x[rs1] >>> 0) + imm)';
/** The address in rs1 alone (atomics have no offset). */
const RS1 = '(x[rs1 + 1] * 4294967296 + (x[rs1] >>> 0))';
const sext = (v: string) => `{ const r = ${v}; x[rd] = r; x[rd + 1] = r >> 31; }`;
const A = 'const al = x[rs1], ah = x[rs1 + 1];';
const AB = 'const al = x[rs1], ah = x[rs1 + 1], bl = x[rs2], bh = x[rs2 + 1];';
const AI = 'const al = x[rs1], ah = x[rs1 + 1], bl = imm, bh = imm >> 31;';
const ltS = '(ah < bh || (ah === bh && (al >>> 0) < (bl >>> 0)))';
const ltU = '((ah >>> 0) < (bh >>> 0) || (ah === bh && (al >>> 0) < (bl >>> 0)))';
/** rd = pc-relative or absolute number v (below 2^53). */
const setNum = (v: string) => `{ const v = ${v}; x[rd] = (v % 4294967296) | 0; x[rd + 1] = Math.floor(v / 4294967296) | 0; }`;

const add = `{ ${AB} const lo = (al + bl) | 0; x[rd + 1] = (ah + bh + ((lo >>> 0) < (al >>> 0) ? 1 : 0)) | 0; x[rd] = lo; }`;
const addi = `{ ${AI} const lo = (al + bl) | 0; x[rd + 1] = (ah + bh + ((lo >>> 0) < (al >>> 0) ? 1 : 0)) | 0; x[rd] = lo; }`;
const sub = `{ ${AB} const lo = (al - bl) | 0; x[rd + 1] = (ah - bh - ((al >>> 0) < (bl >>> 0) ? 1 : 0)) | 0; x[rd] = lo; }`;

const sll = (sh: string) => `{ ${A} const sh = ${sh};
  if (sh === 0) { x[rd] = al; x[rd + 1] = ah; }
  else if (sh < 32) { x[rd + 1] = (ah << sh) | (al >>> (32 - sh)); x[rd] = al << sh; }
  else { x[rd + 1] = al << (sh - 32); x[rd] = 0; } }`;
const srl = (sh: string) => `{ ${A} const sh = ${sh};
  if (sh === 0) { x[rd] = al; x[rd + 1] = ah; }
  else if (sh < 32) { x[rd] = (al >>> sh) | (ah << (32 - sh)); x[rd + 1] = ah >>> sh; }
  else { x[rd] = (ah >>> (sh - 32)) | 0; x[rd + 1] = 0; } }`;
const sra = (sh: string) => `{ ${A} const sh = ${sh};
  if (sh === 0) { x[rd] = al; x[rd + 1] = ah; }
  else if (sh < 32) { x[rd] = (al >>> sh) | (ah << (32 - sh)); x[rd + 1] = ah >> sh; }
  else { x[rd] = ah >> (sh - 32); x[rd + 1] = ah >> 31; } }`;

const branch = (cond: string) => `{ ${AB} if (${cond}) npc = pc + imm; }`;
const eq = 'al === bl && ah === bh';

const load = (fn: string, signed: boolean) =>
  signed ? `{ const v = m.${fn}(${ADDR}); x[rd] = v; x[rd + 1] = v >> 31; }` : `{ const v = m.${fn}(${ADDR}); x[rd] = v; x[rd + 1] = 0; }`;

/** Atomic memory operation: old value to rd, op(old, rs2) to memory. */
const amoW = (expr: string) => `{ const a = ${ADDR.replace(' + imm', '')}; H.aligned(a, 4, pc);
  const old = m.ld32(a), b = x[rs2]; m.st32(a, ${expr}); x[rd] = old; x[rd + 1] = old >> 31; }`;
const amoD = (lo: string, hi: string) => `{ const a = ${ADDR.replace(' + imm', '')}; H.aligned(a, 8, pc);
  m.ld64(a, H.t, 0); const al = H.t[0], ah = H.t[1], bl = x[rs2], bh = x[rs2 + 1];
  m.st64(a, ${lo}, ${hi}); x[rd] = al; x[rd + 1] = ah; }`;
const amoDpick = (takeB: string) => amoD(`(${takeB}) ? bl : al`, `(${takeB}) ? bh : ah`);

export const SEMANTICS: Record<string, string> = {
  lui: '{ x[rd] = imm; x[rd + 1] = imm >> 31; }',
  auipc: setNum('pc + imm'),
  jal: `{ ${setNum('pc + len')} npc = pc + imm; }`,
  jalr: `{ const t = x[rs1 + 1] * 4294967296 + (x[rs1] >>> 0) + imm; ${setNum('pc + len')} npc = t - (t % 2 === 0 ? 0 : 1); }`,
  beq: branch(eq),
  bne: branch(`!(${eq})`),
  blt: branch(ltS),
  bge: branch(`!${ltS}`),
  bltu: branch(ltU),
  bgeu: branch(`!${ltU}`),
  lb: load('ld8', true),
  lh: load('ld16', true),
  lw: load('ld32', true),
  lbu: load('ld8u', false),
  lhu: load('ld16u', false),
  lwu: `{ const v = m.ld32(${ADDR}); x[rd] = v; x[rd + 1] = 0; }`,
  ld: `m.ld64(${ADDR}, x, rd);`,
  sb: `m.st8(${ADDR}, x[rs2]);`,
  sh: `m.st16(${ADDR}, x[rs2]);`,
  sw: `m.st32(${ADDR}, x[rs2]);`,
  sd: `m.st64(${ADDR}, x[rs2], x[rs2 + 1]);`,
  addi,
  slti: `{ ${AI} x[rd] = ${ltS} ? 1 : 0; x[rd + 1] = 0; }`,
  sltiu: `{ ${AI} x[rd] = ${ltU} ? 1 : 0; x[rd + 1] = 0; }`,
  xori: '{ const h = x[rs1 + 1] ^ (imm >> 31); x[rd] = x[rs1] ^ imm; x[rd + 1] = h; }',
  ori: '{ const h = x[rs1 + 1] | (imm >> 31); x[rd] = x[rs1] | imm; x[rd + 1] = h; }',
  andi: '{ const h = x[rs1 + 1] & (imm >> 31); x[rd] = x[rs1] & imm; x[rd + 1] = h; }',
  slli: sll('imm'),
  srli: srl('imm'),
  srai: sra('imm'),
  add,
  sub,
  sll: sll('x[rs2] & 63'),
  slt: `{ ${AB} x[rd] = ${ltS} ? 1 : 0; x[rd + 1] = 0; }`,
  sltu: `{ ${AB} x[rd] = ${ltU} ? 1 : 0; x[rd + 1] = 0; }`,
  xor: '{ const h = x[rs1 + 1] ^ x[rs2 + 1]; x[rd] = x[rs1] ^ x[rs2]; x[rd + 1] = h; }',
  srl: srl('x[rs2] & 63'),
  sra: sra('x[rs2] & 63'),
  or: '{ const h = x[rs1 + 1] | x[rs2 + 1]; x[rd] = x[rs1] | x[rs2]; x[rd + 1] = h; }',
  and: '{ const h = x[rs1 + 1] & x[rs2 + 1]; x[rd] = x[rs1] & x[rs2]; x[rd + 1] = h; }',
  fence: '{}',
  ecall: 'EXIT(1);',
  ebreak: 'EXIT(2);',
  addiw: sext('(x[rs1] + imm) | 0'),
  slliw: sext('x[rs1] << imm'),
  srliw: sext('(x[rs1] >>> imm) | 0'),
  sraiw: sext('x[rs1] >> imm'),
  addw: sext('(x[rs1] + x[rs2]) | 0'),
  subw: sext('(x[rs1] - x[rs2]) | 0'),
  sllw: sext('x[rs1] << (x[rs2] & 31)'),
  srlw: sext('(x[rs1] >>> (x[rs2] & 31)) | 0'),
  sraw: sext('x[rs1] >> (x[rs2] & 31)'),
  'fence.i': 'H.fenceI(); EXIT_AFTER(0);',
  csrrw: 'H.csr(s, 0, imm, rd, x[rs1], true, pc, base + n);',
  csrrs: 'H.csr(s, 1, imm, rd, x[rs1], rs1 !== 0, pc, base + n);',
  csrrc: 'H.csr(s, 2, imm, rd, x[rs1], rs1 !== 0, pc, base + n);',
  csrrwi: 'H.csr(s, 0, imm, rd, rs1, true, pc, base + n);',
  csrrsi: 'H.csr(s, 1, imm, rd, rs1, rs1 !== 0, pc, base + n);',
  csrrci: 'H.csr(s, 2, imm, rd, rs1, rs1 !== 0, pc, base + n);',
  mul: 'H.mul(x, rd, rs1, rs2);',
  mulh: 'H.mulh(x, rd, rs1, rs2);',
  mulhsu: 'H.mulhsu(x, rd, rs1, rs2);',
  mulhu: 'H.mulhu(x, rd, rs1, rs2);',
  div: 'H.divrem(x, rd, rs1, rs2, 0);',
  divu: 'H.divrem(x, rd, rs1, rs2, 1);',
  rem: 'H.divrem(x, rd, rs1, rs2, 2);',
  remu: 'H.divrem(x, rd, rs1, rs2, 3);',
  mulw: sext('Math.imul(x[rs1], x[rs2])'),
  divw: '{ const a = x[rs1], b = x[rs2]; const r = b === 0 ? -1 : a === -2147483648 && b === -1 ? a : (a / b) | 0; x[rd] = r; x[rd + 1] = r >> 31; }',
  divuw: '{ const a = x[rs1] >>> 0, b = x[rs2] >>> 0; const r = b === 0 ? -1 : (a / b) | 0; x[rd] = r; x[rd + 1] = r >> 31; }',
  remw: '{ const a = x[rs1], b = x[rs2]; const r = b === 0 ? a : b === -1 ? 0 : (a % b) | 0; x[rd] = r; x[rd + 1] = r >> 31; }',
  remuw: '{ const a = x[rs1] >>> 0, b = x[rs2] >>> 0; const r = b === 0 ? a | 0 : (a % b) | 0; x[rd] = r; x[rd + 1] = r >> 31; }',
  // A: one hart; the reservation is dropped by SC, by any trap and by a thread switch.
  // As in qemu-riscv64 (target/riscv gen_sc + TCG cmpxchg): SC to an address other than the
  // reservation fails without touching memory (so without an alignment check); at the
  // reserved address it compares memory with the value LR read and always stores (the
  // old value back on a mismatch, so write permission is checked). sc.w compares the low
  // 32 bits for the store and the sign-extended word against the LR value for rd.
  'lr.w': `{ const a = ${RS1}; H.aligned(a, 4, pc); const v = m.ld32(a); s.reservation = a;
    s.reservedValue[0] = v; s.reservedValue[1] = v >> 31; x[rd] = v; x[rd + 1] = v >> 31; }`,
  'lr.d': `{ const a = ${RS1}; H.aligned(a, 8, pc); const rv = s.reservedValue; m.ld64(a, rv, 0); s.reservation = a;
    x[rd] = rv[0]; x[rd + 1] = rv[1]; }`,
  'sc.w': `{ const a = ${RS1}; const held = s.reservation === a; s.reservation = -1;
    if (!held) { x[rd] = 1; x[rd + 1] = 0; }
    else { H.aligned(a, 4, pc); const old = m.ld32(a), rv = s.reservedValue; const same = old === rv[0];
      m.st32(a, same ? x[rs2] : old); x[rd] = same && old >> 31 === rv[1] ? 0 : 1; x[rd + 1] = 0; } }`,
  'sc.d': `{ const a = ${RS1}; const held = s.reservation === a; s.reservation = -1;
    if (!held) { x[rd] = 1; x[rd + 1] = 0; }
    else { H.aligned(a, 8, pc); m.ld64(a, H.t, 0); const ol = H.t[0], oh = H.t[1], rv = s.reservedValue;
      const same = ol === rv[0] && oh === rv[1];
      m.st64(a, same ? x[rs2] : ol, same ? x[rs2 + 1] : oh); x[rd] = same ? 0 : 1; x[rd + 1] = 0; } }`,
  'amoswap.w': amoW('b'),
  'amoadd.w': amoW('(old + b) | 0'),
  'amoxor.w': amoW('old ^ b'),
  'amoand.w': amoW('old & b'),
  'amoor.w': amoW('old | b'),
  'amomin.w': amoW('b < old ? b : old'),
  'amomax.w': amoW('b > old ? b : old'),
  'amominu.w': amoW('(b >>> 0) < (old >>> 0) ? b : old'),
  'amomaxu.w': amoW('(b >>> 0) > (old >>> 0) ? b : old'),
  'amoswap.d': amoD('bl', 'bh'),
  'amoadd.d': amoD('(al + bl) | 0', 'ah + bh + ((((al + bl) | 0) >>> 0) < (al >>> 0) ? 1 : 0)'),
  'amoxor.d': amoD('al ^ bl', 'ah ^ bh'),
  'amoand.d': amoD('al & bl', 'ah & bh'),
  'amoor.d': amoD('al | bl', 'ah | bh'),
  'amomin.d': amoDpick('bh < ah || (bh === ah && (bl >>> 0) < (al >>> 0))'),
  'amomax.d': amoDpick('bh > ah || (bh === ah && (bl >>> 0) > (al >>> 0))'),
  'amominu.d': amoDpick('(bh >>> 0) < (ah >>> 0) || (bh === ah && (bl >>> 0) < (al >>> 0))'),
  'amomaxu.d': amoDpick('(bh >>> 0) > (ah >>> 0) || (bh === ah && (bl >>> 0) > (al >>> 0))'),
  flw: `{ const v = m.ld32(${ADDR}); fi[2 * rd] = v; fi[2 * rd + 1] = -1; }`,
  fld: `m.ld64(${ADDR}, fi, 2 * rd);`,
  fsw: `m.st32(${ADDR}, fi[2 * rs2]);`,
  fsd: `m.st64(${ADDR}, fi[2 * rs2], fi[2 * rs2 + 1]);`,
};

/** Fragment for an op that the FPU module implements. */
export function fpuFragment(id: number): string {
  return `s.pc = pc; F[${id}](s, rd, rs1, rs2, rs3, imm);`;
}

/** The fragment of any op in the table. */
export function fragmentFor(o: OpSpec): string {
  if (o.fpu) return fpuFragment(o.id);
  const f = SEMANTICS[o.name];
  if (f === undefined) throw new Error(`no semantics for ${o.name}`);
  return f;
}
