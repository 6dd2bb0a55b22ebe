// The RV64GC instruction table: one row per mnemonic, as in the ISA manual's opcode map.
// Bit patterns are written MSB first, '-' for operand bits; the decoder derives mask and
// match from them. Compressed instructions are expanded to these 32-bit forms first.
//
// Operand kinds say how the decoder stores registers:
//   x = integer register (stored as a slot index 2*r; rd = x0 becomes the sink slot)
//   f = float register (stored as its number)
//   X = integer register inside an FPU op (stored as its number; rd = x0 becomes 32)

export type Format = 'R' | 'I' | 'S' | 'B' | 'U' | 'J' | 'R4' | 'SH6' | 'SH5' | 'CSR' | 'CSRI' | 'FENCE' | 'N';
export type Kind = 'x' | 'f' | 'X' | '';
export type Ext = 'I' | 'M' | 'A' | 'F' | 'D' | 'Zicsr' | 'Zifencei';

export interface OpSpec {
  /** Op id: index in OPS + 1 (0 means "not decoded yet" in the decode cache). */
  id: number;
  name: string;
  ext: Ext;
  mask: number;
  match: number;
  fmt: Format;
  rd: Kind;
  rs1: Kind;
  rs2: Kind;
  /** Goes to fpuOps[name]: operands stored as register numbers, rm in imm. */
  fpu: boolean;
}

type Row = [name: string, ext: Ext, pattern: string, fmt: Format, kinds?: string, fpu?: boolean];

// kinds: three characters for rd, rs1, rs2 ('.' = unused). Default from the format.
const ROWS: Row[] = [
  // RV64I
  ['lui', 'I', '-------------------- ----- 0110111', 'U', 'x..'],
  ['auipc', 'I', '-------------------- ----- 0010111', 'U', 'x..'],
  ['jal', 'I', '-------------------- ----- 1101111', 'J', 'x..'],
  ['jalr', 'I', '------------ ----- 000 ----- 1100111', 'I', 'xx.'],
  ['beq', 'I', '------- ----- ----- 000 ----- 1100011', 'B', '.xx'],
  ['bne', 'I', '------- ----- ----- 001 ----- 1100011', 'B', '.xx'],
  ['blt', 'I', '------- ----- ----- 100 ----- 1100011', 'B', '.xx'],
  ['bge', 'I', '------- ----- ----- 101 ----- 1100011', 'B', '.xx'],
  ['bltu', 'I', '------- ----- ----- 110 ----- 1100011', 'B', '.xx'],
  ['bgeu', 'I', '------- ----- ----- 111 ----- 1100011', 'B', '.xx'],
  ['lb', 'I', '------------ ----- 000 ----- 0000011', 'I', 'xx.'],
  ['lh', 'I', '------------ ----- 001 ----- 0000011', 'I', 'xx.'],
  ['lw', 'I', '------------ ----- 010 ----- 0000011', 'I', 'xx.'],
  ['ld', 'I', '------------ ----- 011 ----- 0000011', 'I', 'xx.'],
  ['lbu', 'I', '------------ ----- 100 ----- 0000011', 'I', 'xx.'],
  ['lhu', 'I', '------------ ----- 101 ----- 0000011', 'I', 'xx.'],
  ['lwu', 'I', '------------ ----- 110 ----- 0000011', 'I', 'xx.'],
  ['sb', 'I', '------- ----- ----- 000 ----- 0100011', 'S', '.xx'],
  ['sh', 'I', '------- ----- ----- 001 ----- 0100011', 'S', '.xx'],
  ['sw', 'I', '------- ----- ----- 010 ----- 0100011', 'S', '.xx'],
  ['sd', 'I', '------- ----- ----- 011 ----- 0100011', 'S', '.xx'],
  ['addi', 'I', '------------ ----- 000 ----- 0010011', 'I', 'xx.'],
  ['slti', 'I', '------------ ----- 010 ----- 0010011', 'I', 'xx.'],
  ['sltiu', 'I', '------------ ----- 011 ----- 0010011', 'I', 'xx.'],
  ['xori', 'I', '------------ ----- 100 ----- 0010011', 'I', 'xx.'],
  ['ori', 'I', '------------ ----- 110 ----- 0010011', 'I', 'xx.'],
  ['andi', 'I', '------------ ----- 111 ----- 0010011', 'I', 'xx.'],
  ['slli', 'I', '000000 ------ ----- 001 ----- 0010011', 'SH6', 'xx.'],
  ['srli', 'I', '000000 ------ ----- 101 ----- 0010011', 'SH6', 'xx.'],
  ['srai', 'I', '010000 ------ ----- 101 ----- 0010011', 'SH6', 'xx.'],
  ['add', 'I', '0000000 ----- ----- 000 ----- 0110011', 'R', 'xxx'],
  ['sub', 'I', '0100000 ----- ----- 000 ----- 0110011', 'R', 'xxx'],
  ['sll', 'I', '0000000 ----- ----- 001 ----- 0110011', 'R', 'xxx'],
  ['slt', 'I', '0000000 ----- ----- 010 ----- 0110011', 'R', 'xxx'],
  ['sltu', 'I', '0000000 ----- ----- 011 ----- 0110011', 'R', 'xxx'],
  ['xor', 'I', '0000000 ----- ----- 100 ----- 0110011', 'R', 'xxx'],
  ['srl', 'I', '0000000 ----- ----- 101 ----- 0110011', 'R', 'xxx'],
  ['sra', 'I', '0100000 ----- ----- 101 ----- 0110011', 'R', 'xxx'],
  ['or', 'I', '0000000 ----- ----- 110 ----- 0110011', 'R', 'xxx'],
  ['and', 'I', '0000000 ----- ----- 111 ----- 0110011', 'R', 'xxx'],
  ['fence', 'I', '---- ---- ---- ----- 000 ----- 0001111', 'FENCE', '...'],
  ['ecall', 'I', '000000000000 00000 000 00000 1110011', 'N', '...'],
  ['ebreak', 'I', '000000000001 00000 000 00000 1110011', 'N', '...'],
  ['addiw', 'I', '------------ ----- 000 ----- 0011011', 'I', 'xx.'],
  ['slliw', 'I', '0000000 ----- ----- 001 ----- 0011011', 'SH5', 'xx.'],
  ['srliw', 'I', '0000000 ----- ----- 101 ----- 0011011', 'SH5', 'xx.'],
  ['sraiw', 'I', '0100000 ----- ----- 101 ----- 0011011', 'SH5', 'xx.'],
  ['addw', 'I', '0000000 ----- ----- 000 ----- 0111011', 'R', 'xxx'],
  ['subw', 'I', '0100000 ----- ----- 000 ----- 0111011', 'R', 'xxx'],
  ['sllw', 'I', '0000000 ----- ----- 001 ----- 0111011', 'R', 'xxx'],
  ['srlw', 'I', '0000000 ----- ----- 101 ----- 0111011', 'R', 'xxx'],
  ['sraw', 'I', '0100000 ----- ----- 101 ----- 0111011', 'R', 'xxx'],
  // Zifencei
  ['fence.i', 'Zifencei', '------------ ----- 001 ----- 0001111', 'N', '...'],
  // Zicsr
  ['csrrw', 'Zicsr', '------------ ----- 001 ----- 1110011', 'CSR', 'xx.'],
  ['csrrs', 'Zicsr', '------------ ----- 010 ----- 1110011', 'CSR', 'xx.'],
  ['csrrc', 'Zicsr', '------------ ----- 011 ----- 1110011', 'CSR', 'xx.'],
  ['csrrwi', 'Zicsr', '------------ ----- 101 ----- 1110011', 'CSRI', 'x..'],
  ['csrrsi', 'Zicsr', '------------ ----- 110 ----- 1110011', 'CSRI', 'x..'],
  ['csrrci', 'Zicsr', '------------ ----- 111 ----- 1110011', 'CSRI', 'x..'],
  // M
  ['mul', 'M', '0000001 ----- ----- 000 ----- 0110011', 'R', 'xxx'],
  ['mulh', 'M', '0000001 ----- ----- 001 ----- 0110011', 'R', 'xxx'],
  ['mulhsu', 'M', '0000001 ----- ----- 010 ----- 0110011', 'R', 'xxx'],
  ['mulhu', 'M', '0000001 ----- ----- 011 ----- 0110011', 'R', 'xxx'],
  ['div', 'M', '0000001 ----- ----- 100 ----- 0110011', 'R', 'xxx'],
  ['divu', 'M', '0000001 ----- ----- 101 ----- 0110011', 'R', 'xxx'],
  ['rem', 'M', '0000001 ----- ----- 110 ----- 0110011', 'R', 'xxx'],
  ['remu', 'M', '0000001 ----- ----- 111 ----- 0110011', 'R', 'xxx'],
  ['mulw', 'M', '0000001 ----- ----- 000 ----- 0111011', 'R', 'xxx'],
  ['divw', 'M', '0000001 ----- ----- 100 ----- 0111011', 'R', 'xxx'],
  ['divuw', 'M', '0000001 ----- ----- 101 ----- 0111011', 'R', 'xxx'],
  ['remw', 'M', '0000001 ----- ----- 110 ----- 0111011', 'R', 'xxx'],
  ['remuw', 'M', '0000001 ----- ----- 111 ----- 0111011', 'R', 'xxx'],
  // A (aq/rl bits are don't-care: one hart, sequentially consistent)
  ...amoRows('w', '010'),
  ...amoRows('d', '011'),
  // F and D loads/stores (the CPU moves raw bits)
  ['flw', 'F', '------------ ----- 010 ----- 0000111', 'I', 'fx.'],
  ['fld', 'D', '------------ ----- 011 ----- 0000111', 'I', 'fx.'],
  ['fsw', 'F', '------- ----- ----- 010 ----- 0100111', 'S', '.xf'],
  ['fsd', 'D', '------- ----- ----- 011 ----- 0100111', 'S', '.xf'],
  ...fpRows('s', '00', 'F'),
  ...fpRows('d', '01', 'D'),
  ['fcvt.s.d', 'D', '0100000 00001 ----- --- ----- 1010011', 'R', 'ff.', true],
  ['fcvt.d.s', 'D', '0100001 00000 ----- --- ----- 1010011', 'R', 'ff.', true],
  ['fmv.x.w', 'F', '1110000 00000 ----- 000 ----- 1010011', 'R', 'Xf.', true],
  ['fmv.w.x', 'F', '1111000 00000 ----- 000 ----- 1010011', 'R', 'fX.', true],
  ['fmv.x.d', 'D', '1110001 00000 ----- 000 ----- 1010011', 'R', 'Xf.', true],
  ['fmv.d.x', 'D', '1111001 00000 ----- 000 ----- 1010011', 'R', 'fX.', true],
];

function amoRows(w: string, f3: string): Row[] {
  const ext: Ext = 'A';
  const amo = (name: string, f5: string): Row => [`${name}.${w}`, ext, `${f5} -- ----- ----- ${f3} ----- 0101111`, 'R', 'xxx'];
  return [
    [`lr.${w}`, ext, `00010 -- 00000 ----- ${f3} ----- 0101111`, 'R', 'xx.'],
    amo('sc', '00011'),
    amo('amoswap', '00001'),
    amo('amoadd', '00000'),
    amo('amoxor', '00100'),
    amo('amoand', '01100'),
    amo('amoor', '01000'),
    amo('amomin', '10000'),
    amo('amomax', '10100'),
    amo('amominu', '11000'),
    amo('amomaxu', '11100'),
  ];
}

/** OP-FP and fused multiply-add rows for one precision (fmt field 00 = S, 01 = D). */
function fpRows(p: string, fmt: string, ext: Ext): Row[] {
  const op = (name: string, f5: string, rs2: string, f3: string, kinds: string): Row => [
    `${name}.${p}`,
    ext,
    `${f5}${fmt} ${rs2} ----- ${f3} ----- 1010011`,
    'R',
    kinds,
    true,
  ];
  const fma = (name: string, opcode: string): Row => [`${name}.${p}`, ext, `----- ${fmt} ----- ----- --- ----- ${opcode}`, 'R4', 'fff', true];
  const cvt = (intType: string, rs2: string): Row[] => [
    [`fcvt.${intType}.${p}`, ext, `11000${fmt} ${rs2} ----- --- ----- 1010011`, 'R', 'Xf.', true],
    [`fcvt.${p}.${intType}`, ext, `11010${fmt} ${rs2} ----- --- ----- 1010011`, 'R', 'fX.', true],
  ];
  return [
    fma('fmadd', '1000011'),
    fma('fmsub', '1000111'),
    fma('fnmsub', '1001011'),
    fma('fnmadd', '1001111'),
    op('fadd', '00000', '-----', '---', 'fff'),
    op('fsub', '00001', '-----', '---', 'fff'),
    op('fmul', '00010', '-----', '---', 'fff'),
    op('fdiv', '00011', '-----', '---', 'fff'),
    op('fsqrt', '01011', '00000', '---', 'ff.'),
    op('fsgnj', '00100', '-----', '000', 'fff'),
    op('fsgnjn', '00100', '-----', '001', 'fff'),
    op('fsgnjx', '00100', '-----', '010', 'fff'),
    op('fmin', '00101', '-----', '000', 'fff'),
    op('fmax', '00101', '-----', '001', 'fff'),
    op('feq', '10100', '-----', '010', 'Xff'),
    op('flt', '10100', '-----', '001', 'Xff'),
    op('fle', '10100', '-----', '000', 'Xff'),
    op('fclass', '11100', '00000', '001', 'Xf.'),
    ...cvt('w', '00000'),
    ...cvt('wu', '00001'),
    ...cvt('l', '00010'),
    ...cvt('lu', '00011'),
  ];
}

function parsePattern(pattern: string): { mask: number; match: number } {
  const bits = pattern.replace(/ /g, '');
  if (bits.length !== 32) throw new Error(`opcode pattern is not 32 bits: ${pattern}`);
  let mask = 0;
  let match = 0;
  for (let i = 0; i < 32; i++) {
    const c = bits[31 - i];
    if (c === '0' || c === '1') {
      mask |= 1 << i;
      if (c === '1') match |= 1 << i;
    }
  }
  return { mask, match };
}

function kind(c: string): Kind {
  return c === '.' ? '' : (c as Kind);
}

export const OPS: readonly OpSpec[] = ROWS.map(([name, ext, pattern, fmt, kinds = '...', fpu = false], i) => ({
  id: i + 1,
  name,
  ext,
  ...parsePattern(pattern),
  fmt,
  rd: kind(kinds[0]),
  rs1: kind(kinds[1]),
  rs2: kind(kinds[2]),
  fpu,
}));

export const OP_BY_NAME: ReadonlyMap<string, OpSpec> = new Map(OPS.map((o) => [o.name, o]));

/** Rows grouped by major opcode (bits 6:0) so decoding scans a handful of rows. */
export const OPS_BY_MAJOR: readonly (readonly OpSpec[])[] = (() => {
  const groups: OpSpec[][] = Array.from({ length: 128 }, () => []);
  for (const o of OPS) {
    for (let major = 0; major < 128; major++) {
      if ((major & o.mask & 0x7f) === (o.match & 0x7f)) groups[major].push(o);
    }
  }
  return groups;
})();
