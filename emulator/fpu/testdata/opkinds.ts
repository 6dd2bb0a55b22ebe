// Operand shapes of every F/D mnemonic, shared by the qemu table generator and the tests.

export type RegKind = 'f' | 'x';

export interface OpShape {
  name: string;
  /** Kinds of the source operands, in order (rs1, rs2, rs3). */
  srcs: RegKind[];
  dst: RegKind;
  /** Has a rounding-mode field (rm 5/6 or a bad dynamic frm is illegal). */
  rounds: boolean;
  /** Precision of float operands / results for value generation: 's' or 'd'. */
  prec: 's' | 'd';
  /** Precision of the float result, when it differs from prec (fcvt.s.d, fcvt.d.s). */
  dstPrec?: 's' | 'd';
}

function shapesFor(p: 's' | 'd'): OpShape[] {
  const o = (name: string, srcs: RegKind[], dst: RegKind, rounds: boolean): OpShape => ({ name: `${name}.${p}`, srcs, dst, rounds, prec: p });
  const list: OpShape[] = [
    o('fadd', ['f', 'f'], 'f', true),
    o('fsub', ['f', 'f'], 'f', true),
    o('fmul', ['f', 'f'], 'f', true),
    o('fdiv', ['f', 'f'], 'f', true),
    o('fsqrt', ['f'], 'f', true),
    o('fmadd', ['f', 'f', 'f'], 'f', true),
    o('fmsub', ['f', 'f', 'f'], 'f', true),
    o('fnmsub', ['f', 'f', 'f'], 'f', true),
    o('fnmadd', ['f', 'f', 'f'], 'f', true),
    o('fsgnj', ['f', 'f'], 'f', false),
    o('fsgnjn', ['f', 'f'], 'f', false),
    o('fsgnjx', ['f', 'f'], 'f', false),
    o('fmin', ['f', 'f'], 'f', false),
    o('fmax', ['f', 'f'], 'f', false),
    o('feq', ['f', 'f'], 'x', false),
    o('flt', ['f', 'f'], 'x', false),
    o('fle', ['f', 'f'], 'x', false),
    o('fclass', ['f'], 'x', false),
  ];
  for (const t of ['w', 'wu', 'l', 'lu']) {
    list.push({ name: `fcvt.${t}.${p}`, srcs: ['f'], dst: 'x', rounds: true, prec: p });
    list.push({ name: `fcvt.${p}.${t}`, srcs: ['x'], dst: 'f', rounds: true, prec: p });
  }
  return list;
}

export const OP_SHAPES: OpShape[] = [
  ...shapesFor('s'),
  ...shapesFor('d'),
  { name: 'fcvt.s.d', srcs: ['f'], dst: 'f', rounds: true, prec: 'd', dstPrec: 's' },
  { name: 'fcvt.d.s', srcs: ['f'], dst: 'f', rounds: true, prec: 's', dstPrec: 'd' },
  { name: 'fmv.x.w', srcs: ['f'], dst: 'x', rounds: false, prec: 's' },
  { name: 'fmv.w.x', srcs: ['x'], dst: 'f', rounds: false, prec: 's' },
  { name: 'fmv.x.d', srcs: ['f'], dst: 'x', rounds: false, prec: 'd' },
  { name: 'fmv.d.x', srcs: ['x'], dst: 'f', rounds: false, prec: 'd' },
];

export const SHAPE_BY_NAME = new Map(OP_SHAPES.map((s) => [s.name, s]));

/** Registers used for each operand slot, in both the qemu programs and the tests. */
export const FREG_SRC = [1, 2, 3];
export const XREG_SRC = [11, 12, 13]; // a1, a2, a3
export const FREG_DST = 4;
export const XREG_DST = 10; // a0

/** One line of the expected-results table. */
export interface Case {
  op: string;
  rm: number;
  frm: number;
  inputs: [bigint, bigint, bigint];
  /** Result register bits, or 'illegal' when the instruction must trap. */
  result: bigint | 'illegal';
  fflags: number;
}

const hex = (v: bigint) => v.toString(16).padStart(16, '0');

export function formatCase(c: Case): string {
  const res = c.result === 'illegal' ? 'illegal' : hex(c.result);
  return `${c.op} ${c.rm} ${c.frm} ${c.inputs.map(hex).join(' ')} ${res} ${c.fflags.toString(16).padStart(2, '0')}`;
}

export function parseCase(line: string): Case {
  const [op, rm, frm, a, b, c, res, flags] = line.trim().split(/\s+/);
  return {
    op,
    rm: Number(rm),
    frm: Number(frm),
    inputs: [BigInt(`0x${a}`), BigInt(`0x${b}`), BigInt(`0x${c}`)],
    result: res === 'illegal' ? 'illegal' : BigInt(`0x${res}`),
    fflags: parseInt(flags, 16),
  };
}
