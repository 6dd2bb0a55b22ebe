// Directed cases: the rules random data rarely hits, each compared with qemu-riscv64 like
// the random ones (expected values are never written here; the reference decides).

import { insn, type IsaCase, type Item } from './case.ts';
import { D, S, SB, directed, pairs, table, type TableSpec } from './directed-support.ts';
import { I2F_EDGES } from './values.ts';

const u = (v: bigint) => BigInt.asUintN(64, v);
const RMS = ['rne', 'rtz', 'rdn', 'rup', 'rmm'];
/** Rounding-mode variants: static suffixes, then dynamic (no suffix) under each frm. */
const RM_VARIANTS: { suffix: string; fcsr: number; label: string }[] = [
  ...RMS.map((r) => ({ suffix: `, ${r}`, fcsr: 0, label: r })),
  ...RMS.map((r, frm) => ({ suffix: '', fcsr: frm << 5, label: `dyn frm=${r}` })),
];

// ---------------------------------------------------------------- integer

const DIVIDENDS = [0n, 1n, 7n, u(-7n), u(-1n), 0x8000000000000000n, 0x7fffffffffffffffn, u(-0x80000000n), 0x80000000n, 0xffffffffn, 0xffffffff80000000n, 0x0000000180000000n, 0x123456789n];
const DIVISORS = [0n, 1n, u(-1n), 2n, u(-2n), 0x100000000n, 0xffffffffn, 0xffffffff00000000n, 0x8000000000000000n, 0x7fffffffn, u(-0x80000000n)];

function divisionCases(): IsaCase[] {
  return ['div', 'divu', 'rem', 'remu', 'divw', 'divuw', 'remw', 'remuw'].flatMap((op) =>
    table({ name: `${op}: zero divisor, overflow, W-form inputs`, src: ['x', 'x'], dst: 'x', line: (d, a, b) => `${op} ${d}, ${a}, ${b}`, rows: pairs(DIVIDENDS, DIVISORS) }),
  );
}

const W_INPUTS = [0n, 1n, u(-1n), 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x1_7fffffffn, 0xabcdef01_80000000n, 0x8000000000000000n, 0x00000001_00000001n, 0x12345678_9abcdef0n];
const SHAMTS = [0n, 1n, 31n, 32n, 33n, 63n, 64n, 65n, u(-1n), 0xffffffff_ffffffe0n];

function wFormAndShiftCases(): IsaCase[] {
  const out: IsaCase[] = [];
  for (const op of ['addw', 'subw', 'mulw'])
    out.push(...table({ name: `${op}: sign extension of the 32-bit result`, src: ['x', 'x'], dst: 'x', line: (d, a, b) => `${op} ${d}, ${a}, ${b}`, rows: pairs(W_INPUTS, W_INPUTS.slice(0, 6)) }));
  for (const op of ['sll', 'srl', 'sra', 'sllw', 'srlw', 'sraw'])
    out.push(...table({ name: `${op}: shift amounts at and over the width`, src: ['x', 'x'], dst: 'x', line: (d, a, b) => `${op} ${d}, ${a}, ${b}`, rows: pairs(W_INPUTS.slice(0, 8), SHAMTS) }));
  for (const [op, max] of [['slli', 63], ['srli', 63], ['srai', 63], ['slliw', 31], ['srliw', 31], ['sraiw', 31]] as const)
    for (const sh of [0, 1, 31, max])
      out.push(...table({ name: `${op} by ${sh}`, src: ['x'], dst: 'x', line: (d, a) => `${op} ${d}, ${a}, ${sh}`, rows: W_INPUTS.map((v) => [v]) }));
  for (const imm of [0, 1, -1, 2047, -2048])
    out.push(...table({ name: `addiw ${imm}: sign extension`, src: ['x'], dst: 'x', line: (d, a) => `addiw ${d}, ${a}, ${imm}`, rows: W_INPUTS.map((v) => [v]) }));
  const MUL = [0n, 1n, u(-1n), 0x8000000000000000n, 0x7fffffffffffffffn, 0xffffffffn, 0x100000000n, u(-0x100000000n), 3n, 0xdeadbeefcafebaben];
  for (const op of ['mul', 'mulh', 'mulhsu', 'mulhu'])
    out.push(...table({ name: `${op}: 64x64 products at the limits`, src: ['x', 'x'], dst: 'x', line: (d, a, b) => `${op} ${d}, ${a}, ${b}`, rows: pairs(MUL, MUL) }));
  const CMP = [0n, 1n, u(-1n), 0x8000000000000000n, 0x7fffffffffffffffn, 0x80000000n, 0xffffffff80000000n];
  for (const op of ['slt', 'sltu'])
    out.push(...table({ name: `${op}: signed/unsigned order`, src: ['x', 'x'], dst: 'x', line: (d, a, b) => `${op} ${d}, ${a}, ${b}`, rows: pairs(CMP, CMP) }));
  for (const op of ['slti', 'sltiu'])
    for (const imm of [0, -1, 2047, -2048])
      out.push(...table({ name: `${op} ${imm}: immediate sign extension`, src: ['x'], dst: 'x', line: (d, a) => `${op} ${d}, ${a}, ${imm}`, rows: CMP.map((v) => [v]) }));
  // Results to x0 vanish; reading x0 gives 0.
  out.push(
    directed('writes to x0 are ignored', ['add zero, a0, a1', 'addi zero, a0, 1', 'lui zero, 0x12345', 'ld zero, 0(t6)', 'mul zero, a0, a1', 'add a2, zero, zero', 'sub a3, zero, a0'], {
      regs: { a0: 5, a1: 7 },
      mem: { 0: 0x1122334455667788n },
    }),
  );
  out.push(directed('lui/auipc at the sign boundary', ['lui a0, 0x80000', 'lui a1, 0x7ffff', 'lui a2, 0xfffff', 'auipc a3, 0x80000', 'auipc a4, 0xfffff', 'auipc a5, 0']));
  return out;
}

function branchCases(): IsaCase[] {
  const out: IsaCase[] = [];
  const VALS = [0n, 1n, u(-1n), 0x8000000000000000n, 0x7fffffffffffffffn, 0xffffffff00000000n];
  for (const op of ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu']) {
    // Per pair: a3 is set only when the branch falls through.
    const rows = pairs(VALS, VALS);
    for (let i = 0; i < rows.length; i += 12) {
      const items: (string | Item)[] = [];
      const regs: Record<string, bigint> = {};
      rows.slice(i, i + 12).forEach(([a, b], k) => {
        const ra = `x${1 + 2 * k}`;
        const rb = `x${2 + 2 * k}`;
        regs[ra] = a;
        regs[rb] = b;
        items.push({ kind: 'block', insns: [insn(`${op} ${ra}, ${rb}, %T`, { target: k })] });
        items.push({ kind: 'block', insns: [insn(`addi ${ra}, ${ra}, 1`)], shadow: true });
        items.push({ kind: 'label', id: k });
      });
      out.push(directed(`${op}: taken and not taken [pairs ${i}..]`, items, { regs }));
    }
  }
  const jumps: Item[] = [
    { kind: 'block', insns: [insn('auipc a0, 0'), insn('jalr a0, %K(a0)', { target: 0, anchor: 0 })] }, // rd == rs1
    { kind: 'block', insns: [insn('addi a5, zero, 1')], shadow: true },
    { kind: 'label', id: 0 },
    { kind: 'block', insns: [insn('auipc a1, 0'), insn('jalr zero, %K(a1)', { target: 1, anchor: 0, kExtra: 1 })] }, // odd target: bit 0 cleared
    { kind: 'block', insns: [insn('addi a5, zero, 2')], shadow: true },
    { kind: 'label', id: 1 },
    { kind: 'block', insns: [insn('auipc a2, 0'), insn('addi a2, a2, %K', { target: 2, anchor: 0, kExtra: 2000 }), insn('jalr ra, -2000(a2)')] },
    { kind: 'block', insns: [insn('addi a5, zero, 3')], shadow: true },
    { kind: 'label', id: 2 },
    { kind: 'block', insns: [insn('jal zero, %T', { target: 3 })] },
    { kind: 'block', insns: [insn('addi a5, zero, 4')], shadow: true },
    { kind: 'label', id: 3 },
    { kind: 'block', insns: [insn('jal s0, %T', { target: 4 })] },
    { kind: 'label', id: 4 },
  ];
  out.push(directed('jal/jalr: rd == rs1, odd target, negative offset, x0 link', jumps));
  return out;
}

// ---------------------------------------------------------------- memory

function misalignedCases(): IsaCase[] {
  const mem: Record<number, bigint> = {};
  for (let o = 0; o < 256; o += 8) mem[o] = 0x8070605040302010n + BigInt(o) * 0x0101010101010101n;
  const loads = ['lb', 'lbu', 'lh', 'lhu', 'lw', 'lwu', 'ld'];
  const out: IsaCase[] = [];
  for (const off of [1, 2, 3, 5, 6, 7, 125, 127]) {
    const code = loads.map((op, i) => `${op} x${i + 1}, ${off}(t6)`);
    code.push(`flw ft0, ${off}(t6)`, `fld ft1, ${off}(t6)`);
    out.push(directed(`misaligned loads at base+${off}`, code, { mem }));
    const stores = ['sb', 'sh', 'sw', 'sd'].map((op, i) => `${op} a${i}, ${off + 16 * i}(t6)`);
    stores.push(`fsw fa0, ${off + 64}(t6)`, `fsd fa1, ${off + 80}(t6)`);
    out.push(
      directed(`misaligned stores at base+${off}`, stores, {
        mem,
        regs: { a0: 0x1122334455667788n, a1: 0x99aabbccddeeff00n, a2: 0xdeadbeefcafebaben, a3: 0x0123456789abcdefn, fa0: SB(0x7f800001), fa1: D(Math.PI) },
      }),
    );
    // The same through the compressed forms (offsets are scaled; the base is misaligned instead).
    out.push(
      directed(
        `misaligned compressed loads/stores, base+${off}`,
        ['c.lw a0, 4(s0)', 'c.ld a1, 8(s0)', 'c.fld fa0, 16(s0)', 'c.sw a2, 24(s0)', 'c.sd a3, 32(s0)', 'c.fsd fa1, 48(s0)', 'c.lwsp a4, 4(sp)', 'c.ldsp a5, 8(sp)', 'c.fldsp fa2, 16(sp)', 'c.swsp a2, 64(sp)', 'c.sdsp a3, 72(sp)', 'c.fsdsp fa1, 88(sp)'],
        { mem, regs: { s0: { rel: off % 64 }, sp: { rel: (off + 3) % 64 }, a2: 0xfedcba9876543210n, a3: 0x8000000000000001n, fa1: D(-1.5) } },
      ),
    );
  }
  // Straddling a page boundary (at base+128).
  const cross = [121, 122, 124, 125, 127].flatMap((o, i) => [`ld x${i + 1}, ${o}(t6)`, `sd x${i + 10}, ${o + 64}(t6)`, `lw x${i + 20}, ${o + 4}(t6)`]);
  out.push(
    directed('misaligned loads and stores across a page boundary', [...cross, 'fld ft0, 125(t6)', 'fsd ft1, 123(t6)', 'flw ft2, 126(t6)'], {
      mem,
      mode: 'pagecross',
      regs: { x10: 0x1111111111111111n, x11: 0x2222222222222222n, x12: 0x3333333333333333n, x13: 0x4444444444444444n, x14: 0x5555555555555555n, ft1: D(1e300) },
    }),
  );
  return out;
}

const AMO_OPS = ['amoswap', 'amoadd', 'amoxor', 'amoand', 'amoor', 'amomin', 'amomax', 'amominu', 'amomaxu'];
const AMO_PAIRS: [bigint, bigint][] = [
  [0x7fffffffn, 0x80000000n],
  [0x80000000n, 0x7fffffffn],
  [0xffffffffn, 1n],
  [0n, u(-1n)],
  [1n, 0xffffffffn],
  [0x8000000000000000n, 0x7fffffffffffffffn],
  [0x7fffffffffffffffn, 0x8000000000000000n],
  [0xffffffff00000001n, 0x00000000fffffffen],
  [0x123456789abcdef0n, 0x0fedcba987654321n],
];

function amoCases(): IsaCase[] {
  const out: IsaCase[] = [];
  for (const w of ['w', 'd']) {
    for (const op of AMO_OPS) {
      const regs: Record<string, bigint | { rel: number }> = {};
      const mem: Record<number, bigint> = {};
      const code: string[] = [];
      AMO_PAIRS.forEach(([old, val], i) => {
        // .w alternates between the low and high word of its doubleword.
        const off = 8 * i + (w === 'w' && i % 2 ? 4 : 0);
        mem[8 * i] = w === 'w' && i % 2 ? (old << 32n) & 0xffffffff00000000n | 0x5a5a5a5an : old;
        regs[`x${1 + 3 * i}`] = { rel: off };
        regs[`x${2 + 3 * i}`] = val;
        code.push(`${op}.${w}${['', '.aq', '.rl', '.aqrl'][i % 4]} x${3 + 3 * i}, x${2 + 3 * i}, (x${1 + 3 * i})`);
      });
      out.push(directed(`${op}.${w}: old value to rd (sign-extended for .w), signed/unsigned edges`, code, { regs, mem }));
    }
    out.push(
      directed(`amo*.${w}: rd aliasing rs2, rs1 and x0`, [`amoadd.${w} a1, a1, (a0)`, `amoswap.${w} zero, a2, (a0)`, `amoor.${w} a3, a3, (a3)`, `amomax.${w} a0, a4, (a0)`], {
        regs: { a0: { rel: 64 }, a1: 0x80000001n, a2: 0xffffffff00000005n, a3: { rel: 96 }, a4: 3n },
        mem: { 64: 0xfffffffe80000000n, 96: 0x8000000000000000n },
      }),
    );
    out.push(directed(`amoadd.${w} misaligned: SIGBUS`, [`amoadd.${w} a1, a2, (a0)`], { regs: { a0: { rel: 2 } }, mode: 'trap' }));
    out.push(directed(`lr.${w} misaligned: SIGBUS`, [`lr.${w} a1, (a0)`], { regs: { a0: { rel: 2 } }, mode: 'trap' }));
  }
  out.push(directed('amoadd.d at a word-aligned address: SIGBUS', ['amoadd.d a1, a2, (a0)'], { regs: { a0: { rel: 4 } }, mode: 'trap' }));
  out.push(directed('sc.d at a reserved word-aligned address: SIGBUS', ['lr.w a3, (a0)', 'sc.d a1, a2, (a0)'], { regs: { a0: { rel: 4 } }, mode: 'trap' }));
  return out;
}

function lrscCases(): IsaCase[] {
  const mem = { 0: 0xffffffff80000000n, 8: 0x0000000080000000n, 16: 0x1122334455667788n, 24: 0n };
  const regs = { a0: { rel: 0 }, a1: { rel: 8 }, a2: { rel: 16 }, a3: { rel: 24 }, s2: 0x0123456789abcdefn, s3: 0xfedcba9876543210n };
  const c = (name: string, code: string[]) => directed(`LR/SC: ${name}`, code, { mem, regs });
  const out: IsaCase[] = [];
  for (const w of ['w', 'd']) {
    out.push(
      c(`${w}: success, then no reservation`, [`lr.${w} t0, (a0)`, `sc.${w} t1, s2, (a0)`, `sc.${w} t2, s3, (a0)`]),
      c(`${w}: SC without LR fails`, [`sc.${w} t1, s2, (a2)`]),
      c(`${w}: SC to another address fails`, [`lr.${w} t0, (a0)`, `sc.${w} t1, s2, (a1)`, `sc.${w} t2, s2, (a0)`]),
      c(`${w}: a newer LR moves the reservation`, [`lr.${w} t0, (a0)`, `lr.${w} t1, (a2)`, `sc.${w} t2, s2, (a0)`, `lr.${w} t3, (a0)`, `lr.${w} t4, (a2)`, `sc.${w} t5, s2, (a2)`]),
      c(`${w}: store of another value in between`, [`lr.${w} t0, (a2)`, `s${w} s3, 0(a2)`, `sc.${w} t1, s2, (a2)`]),
      c(`${w}: store of the same value in between`, [`lr.${w} t0, (a2)`, `s${w} t0, 0(a2)`, `sc.${w} t1, s2, (a2)`]),
      c(`${w}: store elsewhere in between`, [`lr.${w} t0, (a2)`, `sd s3, 0(a3)`, `sc.${w} t1, s2, (a2)`]),
      c(`${w}: AMO on the reserved address in between`, [`lr.${w} t0, (a2)`, `amoadd.${w} t2, s3, (a2)`, `sc.${w} t1, s2, (a2)`]),
      c(`${w}: rd aliases rs2 and rs1`, [`lr.${w} t0, (a2)`, `sc.${w} s2, s2, (a2)`, `lr.${w} t1, (a3)`, `sc.${w} a3, s3, (a3)`]),
      c(`${w}: syscall between LR and SC`, [`lr.${w} t0, (a2)`, 'addi a7, zero, 57', 'addi a0, zero, -1', 'ecall', `sc.${w} t1, s2, (a2)`]),
      c(`${w}: SC to an unreserved misaligned address fails quietly`, [`sc.${w} t1, s2, (a2)`, `addi a4, a2, 3`, `sc.${w} t2, s2, (a4)`]),
    );
  }
  out.push(
    c('LR.W then SC.D (mixed sizes, sign-extended word)', ['lr.w t0, (a0)', 'sc.d t1, s2, (a0)', 'lr.w t2, (a1)', 'sc.d t3, s2, (a1)']),
    c('LR.D then SC.W (low word compared)', ['lr.d t0, (a0)', 'sc.w t1, s2, (a0)', 'lr.d t2, (a1)', 'sc.w t3, s2, (a1)', 'lr.d t4, (a2)', 'sc.w t5, s2, (a2)']),
  );
  return out;
}

// ---------------------------------------------------------------- floating point

const QNAN_S = SB(0x7fc00000);
const SNAN_S = SB(0x7f800001);
const NQNAN_S = SB(0xffc00000);
const PAYLOAD_S = SB(0x7fc12345);
const UNBOXED = 0x000000003f800000n; // 1.0f without the NaN box: reads as the canonical NaN
const HALF_BOXED = 0xfffffffe3f800000n;
const QNAN_D = 0x7ff8000000000000n;
const SNAN_D = 0x7ff0000000000001n;
const NQNAN_D = 0xfff8000000000000n;
const PAYLOAD_D = 0x7ff800000000beefn;

const TO_INT_VALUES = [
  NaN, Infinity, -Infinity, 0, -0, 0.5, -0.5, 0.9999, -0.9999, 1.5, -1.5, 2.5, -2.5, 2147483647, 2147483647.5, 2147483648, -2147483648, -2147483648.5,
  -2147483649, 4294967295, 4294967295.5, 4294967296, -1, 9223372036854775807, 9223372036854775808, -9223372036854775808, -9223372036854777856, 18446744073709551615,
  18446744073709551616, 1e300, -1e300, 5e-324, -5e-324,
];

function singles(values: number[]): bigint[] {
  return [...values.map(S), SNAN_S, NQNAN_S, PAYLOAD_S, UNBOXED, SB(0x4effffff), SB(0x5effffff), SB(0xcf000001), SB(0x7f7fffff)];
}
function doubles(values: number[]): bigint[] {
  return [...values.map(D), SNAN_D, NQNAN_D, PAYLOAD_D, 0xffffffff3f800000n, 0x41dfffffffffffffn, 0x43dfffffffffffffn, 0xc3e0000000000001n, 0x41efffffffffffffn];
}

function fcvtCases(): IsaCase[] {
  const out: IsaCase[] = [];
  for (const p of ['s', 'd'] as const) {
    const vals = p === 's' ? singles(TO_INT_VALUES) : doubles(TO_INT_VALUES);
    for (const t of ['w', 'wu', 'l', 'lu'])
      for (const rm of RM_VARIANTS)
        out.push(...table({ name: `fcvt.${t}.${p} ${rm.label}: saturation, NaN, rounding`, src: ['f'], dst: 'x', flags: true, fcsr: rm.fcsr, line: (d, a) => `fcvt.${t}.${p} ${d}, ${a}${rm.suffix}`, rows: vals.map((v) => [v]) }));
    for (const t of ['w', 'wu', 'l', 'lu']) {
      const exact = p === 'd' && (t === 'w' || t === 'wu');
      for (const rm of exact ? [RM_VARIANTS[0]] : RM_VARIANTS)
        out.push(...table({ name: `fcvt.${p}.${t} ${exact ? '' : rm.label}: rounding of wide integers`, src: ['x'], dst: 'f', flags: true, fcsr: rm.fcsr, line: (d, a) => `fcvt.${p}.${t} ${d}, ${a}${exact ? '' : rm.suffix}`, rows: I2F_EDGES.map((v) => [v]) }));
    }
  }
  const narrow = doubles([1 / 3, 1e300, -1e300, 1e-300, 2 ** -149, 2 ** -150, 3 * 2 ** -151, 3.4028235677973366e38, 3.4028234663852886e38, -0, 1 + 2 ** -24, 1 + 3 * 2 ** -25, 2 ** -126 - 2 ** -150]);
  for (const rm of RM_VARIANTS)
    out.push(...table({ name: `fcvt.s.d ${rm.label}: overflow, underflow, NaN`, src: ['f'], dst: 'f', flags: true, fcsr: rm.fcsr, line: (d, a) => `fcvt.s.d ${d}, ${a}${rm.suffix}`, rows: narrow.map((v) => [v]) }));
  out.push(...table({ name: 'fcvt.d.s: NaN payloads, sNaN, unboxed', src: ['f'], dst: 'f', flags: true, line: (d, a) => `fcvt.d.s ${d}, ${a}`, rows: singles([1, -0, 1e-45, 3e38, Infinity]).map((v) => [v]) }));
  return out;
}

const CMP_S = [QNAN_S, SNAN_S, S(-0), S(0), S(1), S(-1), S(Infinity), S(-Infinity), SB(1), UNBOXED];
const CMP_D = [QNAN_D, SNAN_D, D(-0), D(0), D(1), D(-1), D(Infinity), D(-Infinity), 1n, 0xffffffff3f800000n];

function compareCases(): IsaCase[] {
  const out: IsaCase[] = [];
  for (const p of ['s', 'd'] as const) {
    const vals = p === 's' ? CMP_S : CMP_D;
    for (const op of ['fmin', 'fmax'])
      out.push(...table({ name: `${op}.${p}: NaNs, signed zeros, flags`, src: ['f', 'f'], dst: 'f', flags: true, line: (d, a, b) => `${op}.${p} ${d}, ${a}, ${b}`, rows: pairs(vals, vals) }));
    for (const op of ['feq', 'flt', 'fle'])
      out.push(...table({ name: `${op}.${p}: quiet/signalling NaN flags`, src: ['f', 'f'], dst: 'x', flags: true, line: (d, a, b) => `${op}.${p} ${d}, ${a}, ${b}`, rows: pairs(vals, vals) }));
    const classes =
      p === 's'
        ? [S(-Infinity), S(-1), SB(0x80000001), S(-0), S(0), SB(1), S(1), S(Infinity), SNAN_S, QNAN_S, UNBOXED, HALF_BOXED, NQNAN_S]
        : [D(-Infinity), D(-1), 0x8000000000000001n, D(-0), D(0), 1n, D(1), D(Infinity), SNAN_D, QNAN_D, NQNAN_D, 0xffffffff7f800001n];
    out.push(...table({ name: `fclass.${p}: every class`, src: ['f'], dst: 'x', line: (d, a) => `fclass.${p} ${d}, ${a}`, rows: classes.map((v) => [v]) }));
    const sg = p === 's' ? [S(1), S(-1), QNAN_S, NQNAN_S, SNAN_S, UNBOXED, S(-0)] : [D(1), D(-1), QNAN_D, NQNAN_D, SNAN_D, 0xffffffff3f800000n, D(-0)];
    for (const op of ['fsgnj', 'fsgnjn', 'fsgnjx'])
      out.push(...table({ name: `${op}.${p}: sign injection, NaN boxing`, src: ['f', 'f'], dst: 'f', flags: true, line: (d, a, b) => `${op}.${p} ${d}, ${a}, ${b}`, rows: pairs(sg, sg) }));
  }
  const raw = [S(1), S(-1), UNBOXED, HALF_BOXED, 0x8000000080000000n, D(-2), SNAN_D, 0n];
  for (const op of ['fmv.x.w', 'fmv.x.d'])
    out.push(...table({ name: `${op}: raw bits (fmv.x.w sign-extends, ignores boxing)`, src: ['f'], dst: 'x', line: (d, a) => `${op} ${d}, ${a}`, rows: raw.map((v) => [v]) }));
  const ints = [0n, 1n, 0x80000000n, 0xffffffff7f800001n, 0x7ff0000000000001n, u(-1n)];
  for (const op of ['fmv.w.x', 'fmv.d.x'])
    out.push(...table({ name: `${op}: raw bits (fmv.w.x boxes)`, src: ['x'], dst: 'f', line: (d, a) => `${op} ${d}, ${a}`, rows: ints.map((v) => [v]) }));
  out.push(
    directed('flw boxes, fsw stores the low word of any register', ['flw fa0, 0(t6)', 'flw fa1, 8(t6)', 'fsw fa2, 16(t6)', 'fsw fa3, 24(t6)', 'fld fa4, 0(t6)', 'fsd fa5, 32(t6)'], {
      mem: { 0: 0x123456787f800001n, 8: 0xffffffff00000001n },
      regs: { fa2: UNBOXED, fa3: D(Math.E), fa5: SNAN_D },
    }),
  );
  return out;
}

const A_S = [S(1), S(-1), S(1 / 3), S(3), S(0.1), S(10), S(1 + 2 ** -23), S(1 - 2 ** -24), S(3.4028234663852886e38), S(2), S(1e-30), S(1e-45), S(-0), S(0), S(Infinity), QNAN_S, SNAN_S];
const A_D = [D(1), D(-1), D(1 / 3), D(3), D(0.1), D(10), D(1 + 2 ** -52), D(1 - 2 ** -53), D(1.7976931348623157e308), D(2), D(1e-300), D(5e-324), D(-0), D(0), D(Infinity), QNAN_D, SNAN_D];

function fmaRows(v: bigint[]): bigint[][] {
  const [one, m1, third, three, tenth, ten, onePlus, oneMinus, max, two, tiny, sub, nz, z, inf, qnan, snan] = v;
  return [
    [third, three, m1], [onePlus, onePlus, m1], [onePlus, oneMinus, m1], [max, two, max], [tiny, tiny, sub], [tenth, ten, m1],
    [m1, third, third], [nz, one, z], [one, m1, one], [inf, z, qnan], [inf, m1, inf], [snan, one, one], [one, one, snan], [max, max, m1],
    [sub, sub, z], [third, third, third],
  ];
}

function arithRows(v: bigint[]): bigint[][] {
  const [one, m1, third, three, tenth, ten, onePlus, oneMinus, max, two, tiny, sub, nz, z, inf, qnan, snan] = v;
  return [
    [one, third], [one, three], [tenth, ten], [onePlus, oneMinus], [max, max], [max, two], [tiny, tiny], [sub, two], [one, z], [z, z],
    [inf, inf], [inf, m1], [nz, z], [m1, z], [qnan, one], [snan, one], [one, nz], [third, sub],
  ];
}

function arithCases(): IsaCase[] {
  const out: IsaCase[] = [];
  for (const p of ['s', 'd'] as const) {
    const vals = p === 's' ? A_S : A_D;
    for (const rm of RM_VARIANTS) {
      for (const op of ['fmadd', 'fmsub', 'fnmsub', 'fnmadd'])
        out.push(...table({ name: `${op}.${p} ${rm.label}`, src: ['f', 'f', 'f'], dst: 'f', flags: true, fcsr: rm.fcsr, line: (d, a, b, c) => `${op}.${p} ${d}, ${a}, ${b}, ${c}${rm.suffix}`, rows: fmaRows(vals) }));
      for (const op of ['fadd', 'fsub', 'fmul', 'fdiv'])
        out.push(...table({ name: `${op}.${p} ${rm.label}`, src: ['f', 'f'], dst: 'f', flags: true, fcsr: rm.fcsr, line: (d, a, b) => `${op}.${p} ${d}, ${a}, ${b}${rm.suffix}`, rows: arithRows(vals) }));
      out.push(...table({ name: `fsqrt.${p} ${rm.label}`, src: ['f'], dst: 'f', flags: true, fcsr: rm.fcsr, line: (d, a) => `fsqrt.${p} ${d}, ${a}${rm.suffix}`, rows: [...vals, p === 's' ? S(2) : D(2), p === 's' ? S(-0.0001) : D(-0.0001), UNBOXED].map((x) => [x]) }));
    }
  }
  return out;
}

function fcsrCases(): IsaCase[] {
  return [
    directed(
      'fflags accrue across operations',
      ['fdiv.d fa0, ft0, ft1', 'fadd.d fa1, ft0, ft2', 'fmul.d fa2, ft3, ft3', 'fsqrt.d fa3, ft4', 'fmul.d fa4, ft5, ft5', 'csrrs a0, fflags, zero', 'csrrs a1, fcsr, zero', 'fadd.s fa5, fs0, fs0', 'csrrs a2, fflags, zero'],
      { regs: { ft0: D(1), ft1: D(0), ft2: D(2 ** -60), ft3: D(1e300), ft4: D(-1), ft5: D(1e-300), fs0: SNAN_S }, fcsr: 0x40 },
    ),
    directed('fcsr, frm and fflags: read, write, set, clear; upper bits ignored', [
      'csrrw a0, fcsr, a1', 'csrrs a2, frm, zero', 'csrrs a3, fflags, zero', 'csrrw a4, frm, a5', 'csrrs s2, fcsr, zero', 'csrrs s3, fflags, s4', 'csrrc s5, fcsr, s6', 'csrrs s7, fcsr, zero',
      'csrrwi t0, fflags, 31', 'csrrsi t1, frm, 4', 'csrrci t2, fcsr, 3', 'csrrwi t3, fcsr, 0', 'csrrs t4, fcsr, zero', 'csrrw t5, frm, a6', 'csrrs s8, fcsr, zero',
    ], { regs: { a1: 0xfffffffffffffe35n, a5: 0x102n, s4: 0xffffffffffffff03n, s6: 0x21n, a6: 7 }, fcsr: 0x8a }),
    directed('csrrs/csrrc with x0 and csrr*i with 0 do not write', ['csrrs a0, frm, zero', 'csrrc a1, fflags, zero', 'csrrsi a2, fcsr, 0', 'csrrci a3, fcsr, 0', 'csrrs a4, fcsr, zero'], { fcsr: 0xff }),
    directed('frm 5..7 can be written and read while no FP op uses it', ['csrrwi a0, frm, 5', 'csrrs a1, fcsr, zero', 'csrrwi a2, frm, 7', 'fadd.d fa0, fa1, fa2, rtz', 'csrrs a3, fcsr, zero']),
    directed('dynamic rounding with frm = 5: SIGILL', ['csrrwi zero, frm, 5', 'fadd.s ft0, ft1, ft2'], { mode: 'trap' }),
    directed('dynamic rounding with frm = 7: SIGILL', ['csrrwi zero, frm, 7', 'fcvt.w.d a0, ft1'], { mode: 'trap' }),
    directed('static rounding mode 5: SIGILL', [insn('.insn r 0x53, 5, 0, ft0, ft1, ft2', { counts: [] })], { mode: 'trap' }),
    directed('static rounding mode 6 on fcvt.d.w: SIGILL', [insn('.insn r 0x53, 6, 0x69, ft0, a0, x0', { counts: [] })], { mode: 'trap' }),
    directed('user counters read without trapping', ['csrrs a0, cycle, zero', 'csrrs a1, time, zero', 'csrrs a2, instret, zero', 'addi a0, zero, 0', 'addi a1, zero, 0', 'addi a2, zero, 0']),
    directed('write to the cycle counter: SIGILL', ['csrrw zero, cycle, a0'], { mode: 'trap' }),
    directed('supervisor CSR from user mode: SIGILL', ['csrrs a0, sstatus, zero'], { mode: 'trap' }),
  ];
}

// ---------------------------------------------------------------- compressed

function compressedCases(): IsaCase[] {
  const v = 0x8000000080000001n;
  const mem: Record<number, bigint> = {};
  for (let o = 0; o < 256; o += 8) mem[o] = 0xa5a5a5a5_00000000n + BigInt(o) * 0x10000000100n + 0x80000000n;
  const out: IsaCase[] = [
    directed('c.addi4spn / addi', ['c.addi4spn a0, sp, 1020', 'addi a1, sp, 1020', 'c.addi4spn s0, sp, 4', 'addi s1, sp, 4'], { regs: { sp: 0x7ffffffffffffe00n } }),
    directed('c.lw/c.ld/c.fld at the largest offsets / lw, ld, fld', ['c.lw a0, 124(a5)', 'lw a1, 124(a5)', 'c.ld a2, 248(a5)', 'ld a3, 248(a5)', 'c.fld fa0, 248(a5)', 'fld fa1, 248(a5)', 'c.lw s0, 0(a5)'], { mem, regs: { a5: { rel: 0 } } }),
    directed('c.sw/c.sd/c.fsd / sw, sd, fsd', ['c.sw a0, 124(a5)', 'sw a0, 120(a5)', 'c.sd a1, 248(a5)', 'sd a1, 0(a5)', 'c.fsd fa0, 232(a5)', 'fsd fa0, 8(a5)'], { mem, regs: { a5: { rel: 0 }, a0: v, a1: v, fa0: SNAN_D } }),
    directed('c.nop, c.addi / addi', ['c.nop', 'c.addi a0, -32', 'addi a1, a1, -32', 'c.addi a2, 31', 'addi a3, a3, 31'], { regs: { a0: v, a1: v, a2: u(-1n), a3: u(-1n) } }),
    directed('c.addiw / addiw (sign extension)', ['c.addiw a0, 1', 'addiw a1, a1, 1', 'c.addiw a2, 0', 'addiw a3, a3, 0', 'c.addiw a4, -32', 'addiw a5, a5, -32'], { regs: { a0: 0x7fffffffn, a1: 0x7fffffffn, a2: 0x12345678_9abcdef0n, a3: 0x12345678_9abcdef0n, a4: 0x80000000n, a5: 0x80000000n } }),
    directed('c.li / addi', ['c.li a0, -32', 'addi a1, zero, -32', 'c.li a2, 31', 'c.li a3, 0']),
    directed('c.addi16sp / addi sp', ['c.addi16sp sp, -512', 'addi a0, sp, 0', 'c.addi16sp sp, 496', 'addi a1, sp, 0', 'addi sp, sp, 16'], { regs: { sp: 0x100n } }),
    directed('c.lui / lui', ['c.lui a0, 0xfffe0', 'lui a1, 0xfffe0', 'c.lui a2, 0x1f', 'lui a3, 0x1f', 'c.lui a4, 1', 'c.lui a5, 0xfffff']),
    directed('c.srli, c.srai, c.andi / srli, srai, andi', ['c.srli s0, 63', 'srli a0, a0, 63', 'c.srli s1, 1', 'c.srai a2, 63', 'srai a3, a3, 63', 'c.srai a4, 32', 'c.andi a5, -32', 'andi a6, a6, -32', 'c.andi a1, 31'], {
      regs: { s0: 0x8000000000000000n, a0: 0x8000000000000000n, s1: u(-1n), a2: 0x8000000000000000n, a3: 0x8000000000000000n, a4: 0x80000000_00000000n, a5: u(-1n), a6: u(-1n), a1: 0xffn },
    }),
    directed('c.sub, c.xor, c.or, c.and, c.subw, c.addw / base forms', ['c.sub s0, s1', 'sub a0, a0, s1', 'c.xor a1, s1', 'c.or a2, s1', 'c.and a3, s1', 'c.subw a4, s1', 'subw a6, a6, s1', 'c.addw a5, s1', 'addw a7, a7, s1'], {
      regs: { s0: 0x7fffffffn, a0: 0x7fffffffn, s1: 0x80000000_80000001n, a1: u(-1n), a2: 0x1234n, a3: 0xf0f0f0f0f0f0f0f0n, a4: 0x7fffffffn, a5: 0x7fffffffn, a6: 0x7fffffffn, a7: 0x7fffffffn },
    }),
    directed('c.slli / slli', ['c.slli a0, 63', 'slli a1, a1, 63', 'c.slli a2, 32', 'c.slli a3, 1'], { regs: { a0: 1n, a1: 1n, a2: 0x80000001n, a3: u(-1n) } }),
    directed('c.lwsp / lw', ['c.lwsp a0, 252(sp)', 'lw a1, 252(sp)', 'c.lwsp a4, 128(sp)', 'c.swsp a5, 248(sp)', 'c.swsp a5, 132(sp)'], { mem, regs: { sp: { rel: -128 }, a5: v } }),
    directed('c.ldsp, c.fldsp / ld, fld', ['c.ldsp a2, 504(sp)', 'ld a3, 504(sp)', 'c.fldsp fa0, 504(sp)', 'fld fa1, 504(sp)', 'c.ldsp a4, 256(sp)'], { mem, regs: { sp: { rel: -256 } } }),
    directed('c.sdsp, c.fsdsp / sd, fsd', ['c.sdsp a1, 504(sp)', 'c.fsdsp fa0, 496(sp)', 'c.sdsp zero, 488(sp)', 'sd a1, 480(sp)', 'fsd fa0, 472(sp)'], { mem, regs: { sp: { rel: -256 }, a1: v, fa0: D(-0) } }),
    directed('c.mv, c.add / add', ['c.mv a0, a1', 'add a2, zero, a1', 'c.add a3, a1', 'add a4, a4, a1', 'c.mv ra, sp'], { regs: { a1: 0xfedcba9876543210n, a3: 0x8000000000000000n, a4: 0x8000000000000000n, sp: 12345n } }),
  ];
  const flow: Item[] = [
    { kind: 'block', insns: [insn('c.j %T', { target: 0 })] },
    { kind: 'block', insns: [insn('addi a5, zero, 1')], shadow: true },
    { kind: 'label', id: 0 },
    { kind: 'block', insns: [insn('c.beqz s0, %T', { target: 1 })] }, // s0 = 0: taken
    { kind: 'block', insns: [insn('addi a5, a5, 2')], shadow: true },
    { kind: 'label', id: 1 },
    { kind: 'block', insns: [insn('c.beqz s1, %T', { target: 2 })] }, // s1 != 0: falls through
    { kind: 'block', insns: [insn('addi a5, a5, 4')], shadow: true },
    { kind: 'label', id: 2 },
    { kind: 'block', insns: [insn('c.bnez s1, %T', { target: 3 })] },
    { kind: 'block', insns: [insn('addi a5, a5, 8')], shadow: true },
    { kind: 'label', id: 3 },
    { kind: 'block', insns: [insn('c.bnez s0, %T', { target: 4 })] },
    { kind: 'block', insns: [insn('addi a5, a5, 16')], shadow: true },
    { kind: 'label', id: 4 },
    { kind: 'block', insns: [insn('auipc a0, 0'), insn('addi a0, a0, %K', { target: 5, anchor: 0 }), insn('c.jr a0')] },
    { kind: 'block', insns: [insn('addi a5, a5, 32')], shadow: true },
    { kind: 'label', id: 5 },
    { kind: 'block', insns: [insn('auipc a1, 0'), insn('addi a1, a1, %K', { target: 6, anchor: 0 }), insn('c.jalr a1')] },
    { kind: 'block', insns: [insn('addi a5, a5, 64')], shadow: true },
    { kind: 'label', id: 6 },
    { kind: 'block', insns: [insn('auipc ra, 0'), insn('addi ra, ra, %K', { target: 7, anchor: 0 }), insn('c.jalr ra')] }, // link register is the target register
    { kind: 'label', id: 7 },
  ];
  out.push(directed('c.j, c.beqz, c.bnez, c.jr, c.jalr', flow, { regs: { s0: 0, s1: 0x100000000n } }));
  // HINT encodings execute as their base instruction without effect on x0 (raw parcels).
  const hints = [0x0005, 0x0501, 0x4015, 0x6005, 0x802a, 0x902a, 0x0006, 0x0502, 0x8001, 0x8401];
  out.push(directed('RVC HINT encodings', hints.map((h) => insn(`.2byte 0x${h.toString(16)}`, { counts: [] })), { regs: { a0: 0x1234n, s0: 0x8000000000000000n } }));
  // Reserved encodings: SIGILL.
  for (const r of [0x0000, 0x6101, 0x6501, 0x4002, 0x6002, 0x8002, 0x2005, 0x8000, 0x9c41, 0x9c61])
    out.push(directed(`reserved RVC parcel 0x${r.toString(16).padStart(4, '0')}: SIGILL`, [insn(`.2byte 0x${r.toString(16)}`, { counts: [] })], { mode: 'trap' }));
  return out;
}

// ---------------------------------------------------------------- system, traps, code

function systemCases(): IsaCase[] {
  const patchTo = 0x02a00513; // addi a0, zero, 42
  const patchC = 0x557d; // c.li a0, -1
  // Without fence.i a hart may run stale code (qemu does, up to the end of its translation
  // block), so that variant jumps first: code reached by a jump after the store is new.
  const sync = (fence: boolean, id: number) => (fence ? [insn('fence.i')] : [insn('jal zero, %T', { target: id })]);
  const smc = (fence: boolean): Item[] => [
    { kind: 'block', insns: [insn('auipc t0, 0'), insn('addi t0, t0, %K', { target: 0, anchor: 0 }), insn('sw t1, 0(t0)'), ...sync(fence, 0)] },
    { kind: 'label', id: 0 },
    { kind: 'block', insns: [insn('addi a0, zero, 1')] },
    { kind: 'block', insns: [insn('auipc t2, 0'), insn('addi t2, t2, %K', { target: 1, anchor: 0 }), insn('sh t3, 0(t2)'), ...sync(fence, 1)] },
    { kind: 'label', id: 1 },
    { kind: 'block', insns: [insn('c.li a1, 5')] },
  ];
  return [
    directed('self-modifying code with fence.i', smc(true), { regs: { t1: patchTo, t3: patchC }, mode: 'rwx' }),
    directed('self-modifying code reached by a jump', smc(false), { regs: { t1: patchTo, t3: patchC }, mode: 'rwx' }),
    directed('fence variants', ['fence', 'fence rw, rw', 'fence r, w', 'fence iorw, iorw', 'fence.tso', 'fence.i']),
    directed('ecall: close(-1) = -EBADF, write of 0 bytes = 0', ['addi a7, zero, 57', 'addi a0, zero, -1', 'ecall', 'addi s2, a0, 0', 'addi a7, zero, 64', 'addi a0, zero, 1', 'addi a1, t6, 0', 'addi a2, zero, 0', 'ecall']),
    directed('ebreak: SIGTRAP', ['ebreak'], { mode: 'trap' }),
    directed('c.ebreak: SIGTRAP', ['c.ebreak'], { mode: 'trap' }),
    directed('all-ones word: SIGILL', [insn('.4byte 0xffffffff', { counts: [] })], { mode: 'trap' }),
    directed('load from address 0: SIGSEGV', ['ld a0, 0(zero)'], { mode: 'trap' }),
    // Encodings next to valid ones: reserved fields must make them illegal (or not) as in qemu.
    ...[
      ['slliw with shamt[5] set', '.insn i 0x1b, 1, a0, a0, 0x021'],
      ['slli with a non-zero funct6', '.insn i 0x13, 1, a0, a0, 0x401'],
      ['fsqrt.s with rs2 = 1', '.insn r 0x53, 0, 0x2c, ft0, ft1, f1'],
      ['fcvt.w.s with rs2 = 4', '.insn r 0x53, 1, 0x60, a0, ft1, x4'],
      ['lr.w with rs2 != 0', '.insn r 0x2f, 2, 0x08, a0, a1, a2'],
      ['ecall with rd != 0', '.insn i 0x73, 0, a0, x0, 0'],
      ['fmv.x.w with funct3 = 2', '.insn r 0x53, 2, 0x70, a0, ft1, x0'],
      ['fence.i with non-zero rd, rs1 and imm', '.insn i 0x0f, 1, a0, a1, 5'],
      ['fence with fm = 0xf', '.insn i 0x0f, 0, x0, x0, -1'],
      ['flw with funct3 = 1', '.insn i 0x07, 1, ft0, t6, 0'],
    ].map(([what, line]) => directed(`reserved encoding: ${what}`, [insn(line, { counts: [] })], { mode: 'trap' })),
    directed('store to the code: SIGSEGV', [{ kind: 'block', insns: [insn('auipc t0, 0'), insn('sw zero, 0(t0)')] }], { mode: 'trap' }),
  ];
}

/** Every directed case, in a fixed order. */
export function directedCases(): IsaCase[] {
  return [
    ...divisionCases(),
    ...wFormAndShiftCases(),
    ...branchCases(),
    ...misalignedCases(),
    ...amoCases(),
    ...lrscCases(),
    ...fcvtCases(),
    ...compareCases(),
    ...arithCases(),
    ...fcsrCases(),
    ...compressedCases(),
    ...systemCases(),
  ];
}

export type { TableSpec };
