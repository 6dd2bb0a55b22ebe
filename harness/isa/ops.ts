// How to generate each RV64GC instruction at random: operand registers by class, operand
// values by use (shift amounts, divisors, ...), immediates over their whole range, memory
// accesses inside the scratch, forward branch and jump targets. ecall/ebreak/c.ebreak end
// or divert the process and are covered by directed cases only.

import { ANY, CREG, NZ, NZ_NOT_SP, SP, type CaseBuilder, type MemAccess } from './builder.ts';
import { insn } from './case.ts';
import { ALL_MNEMONICS } from './mnemonics.ts';

type OpGen = (b: CaseBuilder, op: string) => void;

const I12 = { min: -2048, max: 2047 };

// ---- integer ----

const SHIFT_REG = new Set(['sll', 'srl', 'sra', 'sllw', 'srlw', 'sraw']);
const DIVIDE = new Set(['div', 'divu', 'rem', 'remu', 'divw', 'divuw', 'remw', 'remuw']);

const rType: OpGen = (b, op) => {
  const a = b.srcX('int');
  const c = b.srcX(SHIFT_REG.has(op) ? 'shamt' : DIVIDE.has(op) ? 'divisor' : 'int');
  const d = b.dstX();
  b.emit(`${op} ${b.xn(d)}, ${b.xn(a)}, ${b.xn(c)}`);
};

const iType: OpGen = (b, op) => {
  const a = b.srcX('int');
  const d = b.dstX();
  b.emit(`${op} ${b.xn(d)}, ${b.xn(a)}, ${b.imm(I12)}`);
};

const shiftImm =
  (max: number): OpGen =>
  (b, op) => {
    const a = b.srcX('int');
    const d = b.dstX();
    b.emit(`${op} ${b.xn(d)}, ${b.xn(a)}, ${b.imm({ min: 0, max })}`);
  };

const upper: OpGen = (b, op) => {
  const d = b.dstX();
  const v = b.r.chance(0.5) ? b.r.pick([0, 1, 0x7ffff, 0x80000, 0xfffff, 0x80001]) : b.r.int(0, 0xfffff);
  b.emit(`${op} ${b.xn(d)}, 0x${v.toString(16)}`);
};

const branch: OpGen = (b, op) => {
  const a = b.srcX('int');
  const c = b.r.chance(0.25) ? a : b.srcX('int');
  b.jump((l) => [insn(`${op} ${b.xn(a)}, ${b.xn(c)}, %T`, { target: l })]);
};

const jal: OpGen = (b) => {
  const d = b.dstX();
  b.jump((l) => [insn(`jal ${b.xn(d)}, %T`, { target: l })]);
};

const jalr: OpGen = (b) => {
  const t = b.dstX(NZ);
  const d = b.dstX();
  const odd = b.r.int(0, 1); // jalr clears bit 0 of the target
  if (b.r.chance(0.5)) {
    b.jump((l) => [`auipc ${b.xn(t)}, 0`, insn(`jalr ${b.xn(d)}, %K(${b.xn(t)})`, { target: l, anchor: 0, kExtra: odd })]);
  } else {
    const j = b.r.int(-64, 64);
    b.jump((l) => [
      `auipc ${b.xn(t)}, 0`,
      insn(`addi ${b.xn(t)}, ${b.xn(t)}, %K`, { target: l, anchor: 0, kExtra: odd - j }),
      `jalr ${b.xn(d)}, ${j}(${b.xn(t)})`,
    ]);
  }
};

const SIZE: Record<string, number> = { b: 1, h: 2, w: 4, d: 8 };

const load: OpGen = (b, op) => {
  const m = b.mem({ size: SIZE[op[1]], aligned: false, cls: ANY, imm: I12 });
  const d = b.dstX();
  b.emit(...m.pre, `${op} ${b.xn(d)}, ${m.imm}(${b.xn(m.base)})`);
};

const store: OpGen = (b, op) => {
  const m = b.mem({ size: SIZE[op[1]], aligned: false, cls: ANY, imm: I12 });
  const v = b.srcX('int');
  b.emit(...m.pre, `${op} ${b.xn(v)}, ${m.imm}(${b.xn(m.base)})`);
};

const fence: OpGen = (b) => {
  const sets = ['r', 'w', 'rw', 'i', 'o', 'io', 'iorw', 'ir', 'ow', 'orw', 'iw'];
  b.emit(b.r.pick(['fence', 'fence.tso', `fence ${b.r.pick(sets)}, ${b.r.pick(sets)}`]));
};

const fenceI: OpGen = (b) => b.emit('fence.i');

// ---- Zicsr: only the FP CSRs (cycle/time/instret are host-timing dependent) ----

const CSRS = ['fflags', 'frm', 'fcsr'];

const csrReg: OpGen = (b, op) => {
  const csr = b.r.pick(CSRS);
  const s = b.r.chance(0.15) ? 0 : b.srcX('int');
  if (csr !== 'fflags' && s !== 0 && op !== 'csrrc') b.frmValid = false; // csrrc only clears bits: frm stays < 5
  const d = b.dstX();
  b.emit(`${op} ${b.xn(d)}, ${csr}, ${b.xn(s)}`);
};

const csrImm: OpGen = (b, op) => {
  const csr = b.r.pick(CSRS);
  const u = b.imm({ min: 0, max: 31 });
  // The 5-bit immediate reaches frm only through csr frm (in fcsr it covers fflags alone).
  if (csr === 'frm' && ((op === 'csrrwi' && (u & 7) > 4) || (op === 'csrrsi' && (u & 7) !== 0))) b.frmValid = false;
  const d = b.dstX();
  b.emit(`${op} ${b.xn(d)}, ${csr}, ${u}`);
};

// ---- A ----

const ORDER = ['', '', '.aq', '.rl', '.aqrl'];

const amo: OpGen = (b, op) => {
  const size = op.endsWith('.d') ? 8 : 4;
  const m = b.mem({ size, aligned: true, cls: ANY, imm: { min: 0, max: 0 } });
  const v = b.srcX('int');
  const d = b.dstX();
  b.emit(...m.pre, `${op}${b.r.pick(ORDER)} ${b.xn(d)}, ${b.xn(v)}, (${b.xn(m.base)})`);
};

const lr: OpGen = (b, op) => {
  const size = op.endsWith('.d') ? 8 : 4;
  const m = b.mem({ size, aligned: true, cls: ANY, imm: { min: 0, max: 0 } });
  const d = b.dstX();
  b.lastLr = m.at;
  b.emit(...m.pre, `${op}${b.r.pick(ORDER)} ${b.xn(d)}, (${b.xn(m.base)})`);
};

const sc: OpGen = (b, op) => {
  const size = op.endsWith('.d') ? 8 : 4;
  const access: MemAccess = { size, aligned: true, cls: ANY, imm: { min: 0, max: 0 } };
  if (b.lastLr !== undefined && b.lastLr % size === 0 && b.r.chance(0.7)) access.at = b.lastLr;
  const m = b.mem(access);
  const v = b.srcX('int');
  const d = b.dstX();
  b.emit(...m.pre, `${op}${b.r.pick(ORDER)} ${b.xn(d)}, ${b.xn(v)}, (${b.xn(m.base)})`);
};

// ---- F / D ----

const prec = (op: string): 'S' | 'D' => (op.endsWith('.s') ? 'S' : 'D');

const fArith: OpGen = (b, op) => {
  const p = prec(op);
  const a = b.srcF(p);
  const c = b.srcF(p);
  const d = b.dstF();
  b.emit(`${op} ${b.fn(d)}, ${b.fn(a)}, ${b.fn(c)}${b.rm()}`);
};

const fSqrt: OpGen = (b, op) => {
  const a = b.srcF(prec(op));
  const d = b.dstF();
  b.emit(`${op} ${b.fn(d)}, ${b.fn(a)}${b.rm()}`);
};

const fFma: OpGen = (b, op) => {
  const p = prec(op);
  const [a, c, e] = [b.srcF(p), b.srcF(p), b.srcF(p)];
  const d = b.dstF();
  b.emit(`${op} ${b.fn(d)}, ${b.fn(a)}, ${b.fn(c)}, ${b.fn(e)}${b.rm()}`);
};

const fNoRm: OpGen = (b, op) => {
  const p = prec(op);
  const a = b.srcF(p);
  const c = b.srcF(p);
  const d = b.dstF();
  b.emit(`${op} ${b.fn(d)}, ${b.fn(a)}, ${b.fn(c)}`);
};

const fCompare: OpGen = (b, op) => {
  const p = prec(op);
  const a = b.srcF(p);
  const c = b.r.chance(0.2) ? a : b.srcF(p);
  const d = b.dstX();
  b.emit(`${op} ${b.xn(d)}, ${b.fn(a)}, ${b.fn(c)}`);
};

const fClass: OpGen = (b, op) => {
  const a = b.srcF(prec(op));
  const d = b.dstX();
  b.emit(`${op} ${b.xn(d)}, ${b.fn(a)}`);
};

/** fcvt.<int>.<fp>: float to integer. */
const fToInt: OpGen = (b, op) => {
  const a = b.srcF(prec(op));
  const d = b.dstX();
  b.emit(`${op} ${b.xn(d)}, ${b.fn(a)}${b.rm()}`);
};

/** fcvt.<fp>.<int>: integer to float (exact for w/wu -> d: no rounding-mode operand). */
const intToF: OpGen = (b, op) => {
  const a = b.srcX('i2f');
  const d = b.dstF();
  const exact = op === 'fcvt.d.w' || op === 'fcvt.d.wu';
  b.emit(`${op} ${b.fn(d)}, ${b.xn(a)}${exact ? '' : b.rm()}`);
};

const fcvtSD: OpGen = (b, op) => {
  const a = b.srcF('D');
  const d = b.dstF();
  b.emit(`${op} ${b.fn(d)}, ${b.fn(a)}${b.rm()}`);
};

const fcvtDS: OpGen = (b, op) => {
  const a = b.srcF('S');
  const d = b.dstF();
  b.emit(`${op} ${b.fn(d)}, ${b.fn(a)}`);
};

const fmvToX: OpGen = (b, op) => {
  const a = b.srcF(op === 'fmv.x.w' ? 'S' : 'D');
  const d = b.dstX();
  b.emit(`${op} ${b.xn(d)}, ${b.fn(a)}`);
};

const fmvFromX: OpGen = (b, op) => {
  const a = b.srcX('int');
  const d = b.dstF();
  b.emit(`${op} ${b.fn(d)}, ${b.xn(a)}`);
};

const fLoad: OpGen = (b, op) => {
  const m = b.mem({ size: op === 'flw' ? 4 : 8, aligned: false, cls: ANY, imm: I12 });
  const d = b.dstF();
  b.emit(...m.pre, `${op} ${b.fn(d)}, ${m.imm}(${b.xn(m.base)})`);
};

const fStore: OpGen = (b, op) => {
  const m = b.mem({ size: op === 'fsw' ? 4 : 8, aligned: false, cls: ANY, imm: I12 });
  const v = b.srcF(op === 'fsw' ? 'S' : 'D');
  b.emit(...m.pre, `${op} ${b.fn(v)}, ${m.imm}(${b.xn(m.base)})`);
};

// ---- C (RV64C) ----

/** CI immediates: 6-bit signed, optionally non-zero. */
const ci = (b: CaseBuilder, nonzero: boolean) => {
  let v = b.imm({ min: -32, max: 31 });
  if (nonzero && v === 0) v = b.r.pick([1, -1, 31, -32]);
  return v;
};
const shamt6 = (b: CaseBuilder) => b.imm({ min: 1, max: 63 });

const cLoadStore =
  (size: number, kind: 'x' | 'f', store: boolean, sp: boolean): OpGen =>
  (b, op) => {
    const max = sp ? (size === 4 ? 252 : 504) : size === 4 ? 124 : 248;
    const m = b.mem({ size, aligned: false, cls: sp ? SP : CREG, imm: { min: 0, max, step: size } });
    const cls = sp ? (kind === 'x' && !store ? NZ : ANY) : CREG;
    let r: string;
    if (store) r = kind === 'x' ? b.xn(b.srcX('int', cls)) : b.fn(b.srcF(size === 8 ? 'D' : 'S', cls));
    else r = kind === 'x' ? b.xn(b.dstX(cls)) : b.fn(b.dstF(cls));
    b.emit(...m.pre, `${op} ${r}, ${m.imm}(${b.xn(m.base)})`);
  };

const cAluReg: OpGen = (b, op) => {
  const d = b.srcX('int', CREG.filter((r) => r !== b.base));
  const s = b.srcX('int', CREG);
  b.wroteX(d);
  b.emit(`${op} ${b.xn(d)}, ${b.xn(s)}`);
};

/** c.op rd, imm where rd is also read. */
const cRdImm =
  (cls: readonly number[], imm: (b: CaseBuilder) => number): OpGen =>
  (b, op) => {
    const d = b.srcX('int', cls.filter((r) => r !== b.base));
    b.wroteX(d);
    b.emit(`${op} ${b.xn(d)}, ${imm(b)}`);
  };

const C_GENS: Record<string, OpGen> = {
  'c.addi4spn': (b) => {
    b.readX(2);
    const d = b.dstX(CREG);
    b.emit(`c.addi4spn ${b.xn(d)}, sp, ${4 * b.r.int(1, 255)}`);
  },
  'c.fld': cLoadStore(8, 'f', false, false),
  'c.lw': cLoadStore(4, 'x', false, false),
  'c.ld': cLoadStore(8, 'x', false, false),
  'c.fsd': cLoadStore(8, 'f', true, false),
  'c.sw': cLoadStore(4, 'x', true, false),
  'c.sd': cLoadStore(8, 'x', true, false),
  'c.nop': (b) => b.emit('c.nop'),
  'c.addi': cRdImm(NZ, (b) => ci(b, true)),
  'c.addiw': cRdImm(NZ, (b) => ci(b, false)),
  'c.li': (b) => {
    const d = b.dstX(NZ);
    b.emit(`c.li ${b.xn(d)}, ${ci(b, false)}`);
  },
  'c.addi16sp': (b) => {
    b.readX(2);
    b.wroteX(2);
    let v = b.imm({ min: -512, max: 496, step: 16 });
    if (v === 0) v = 16;
    b.emit(`c.addi16sp sp, ${v}`);
  },
  'c.lui': (b) => {
    const d = b.dstX(NZ_NOT_SP);
    const v = b.r.chance(0.5) ? b.r.int(1, 31) : b.r.int(0xfffe0, 0xfffff);
    b.emit(`c.lui ${b.xn(d)}, 0x${v.toString(16)}`);
  },
  'c.srli': cRdImm(CREG, shamt6),
  'c.srai': cRdImm(CREG, shamt6),
  'c.andi': cRdImm(CREG, (b) => ci(b, false)),
  'c.sub': cAluReg,
  'c.xor': cAluReg,
  'c.or': cAluReg,
  'c.and': cAluReg,
  'c.subw': cAluReg,
  'c.addw': cAluReg,
  'c.j': (b) => b.jump((l) => [insn('c.j %T', { target: l })]),
  'c.beqz': (b, op) => {
    const s = b.srcX('zeroish', CREG);
    b.jump((l) => [insn(`${op} ${b.xn(s)}, %T`, { target: l })]);
  },
  'c.bnez': (b, op) => {
    const s = b.srcX('zeroish', CREG);
    b.jump((l) => [insn(`${op} ${b.xn(s)}, %T`, { target: l })]);
  },
  'c.slli': cRdImm(NZ, shamt6),
  'c.fldsp': cLoadStore(8, 'f', false, true),
  'c.lwsp': cLoadStore(4, 'x', false, true),
  'c.ldsp': cLoadStore(8, 'x', false, true),
  'c.jr': (b, op) => cJump(b, op),
  'c.jalr': (b, op) => cJump(b, op),
  'c.mv': (b) => {
    const s = b.srcX('int', NZ);
    const d = b.dstX(NZ);
    b.emit(`c.mv ${b.xn(d)}, ${b.xn(s)}`);
  },
  'c.add': (b) => {
    const d = b.srcX('int', NZ.filter((r) => r !== b.base));
    const s = b.srcX('int', NZ);
    b.wroteX(d);
    b.emit(`c.add ${b.xn(d)}, ${b.xn(s)}`);
  },
  'c.fsdsp': cLoadStore(8, 'f', true, true),
  'c.swsp': cLoadStore(4, 'x', true, true),
  'c.sdsp': cLoadStore(8, 'x', true, true),
};

/** c.jr / c.jalr through a register set up in the same block (c.jalr links in ra). */
function cJump(b: CaseBuilder, op: string): void {
  const t = b.dstX(NZ);
  if (op === 'c.jalr') b.wroteX(1);
  b.jump((l) => [`auipc ${b.xn(t)}, 0`, insn(`addi ${b.xn(t)}, ${b.xn(t)}, %K`, { target: l, anchor: 0 }), `${op} ${b.xn(t)}`]);
}

const GENS: Record<string, OpGen> = { ...C_GENS };

function family(names: string[], g: OpGen): void {
  for (const n of names) GENS[n] = g;
}

family(['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and', 'addw', 'subw', 'sllw', 'srlw', 'sraw'], rType);
family(['mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu', 'mulw', 'divw', 'divuw', 'remw', 'remuw'], rType);
family(['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'addiw'], iType);
family(['slli', 'srli', 'srai'], shiftImm(63));
family(['slliw', 'srliw', 'sraiw'], shiftImm(31));
family(['lui', 'auipc'], upper);
family(['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'], branch);
GENS.jal = jal;
GENS.jalr = jalr;
family(['lb', 'lh', 'lw', 'ld', 'lbu', 'lhu', 'lwu'], load);
family(['sb', 'sh', 'sw', 'sd'], store);
GENS.fence = fence;
GENS['fence.i'] = fenceI;
family(['csrrw', 'csrrs', 'csrrc'], csrReg);
family(['csrrwi', 'csrrsi', 'csrrci'], csrImm);
for (const w of ['w', 'd']) {
  GENS[`lr.${w}`] = lr;
  GENS[`sc.${w}`] = sc;
  family(['amoswap', 'amoadd', 'amoxor', 'amoand', 'amoor', 'amomin', 'amomax', 'amominu', 'amomaxu'].map((a) => `${a}.${w}`), amo);
}
GENS.flw = fLoad;
GENS.fld = fLoad;
GENS.fsw = fStore;
GENS.fsd = fStore;
for (const p of ['s', 'd']) {
  family(['fadd', 'fsub', 'fmul', 'fdiv'].map((o) => `${o}.${p}`), fArith);
  GENS[`fsqrt.${p}`] = fSqrt;
  family(['fmadd', 'fmsub', 'fnmsub', 'fnmadd'].map((o) => `${o}.${p}`), fFma);
  family(['fsgnj', 'fsgnjn', 'fsgnjx', 'fmin', 'fmax'].map((o) => `${o}.${p}`), fNoRm);
  family(['feq', 'flt', 'fle'].map((o) => `${o}.${p}`), fCompare);
  GENS[`fclass.${p}`] = fClass;
  family(['w', 'wu', 'l', 'lu'].map((t) => `fcvt.${t}.${p}`), fToInt);
  family(['w', 'wu', 'l', 'lu'].map((t) => `fcvt.${p}.${t}`), intToF);
}
GENS['fcvt.s.d'] = fcvtSD;
GENS['fcvt.d.s'] = fcvtDS;
family(['fmv.x.w', 'fmv.x.d'], fmvToX);
family(['fmv.w.x', 'fmv.d.x'], fmvFromX);

/** Mnemonics that only directed cases exercise (they end the process or call the kernel). */
export const DIRECTED_ONLY: readonly string[] = ['ecall', 'ebreak', 'c.ebreak'];

/** Every mnemonic the random generator can emit. */
export const RANDOM_MNEMONICS: readonly string[] = ALL_MNEMONICS.map((m) => m.name).filter((n) => !DIRECTED_ONLY.includes(n));

for (const n of RANDOM_MNEMONICS) if (!GENS[n]) throw new Error(`no generator for ${n}`);

export function generateOp(b: CaseBuilder, op: string): void {
  GENS[op](b, op);
}
