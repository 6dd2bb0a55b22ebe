// RVC (the "C" extension) for RV64: expand a 16-bit parcel to the 32-bit instruction it
// stands for, so the rest of the decoder only knows the base encodings.
//
// Reference: RISC-V Unprivileged ISA, "C" Standard Extension, RVC opcode map (quadrants
// 0..2) and the per-instruction expansions. RV64C specifics: funct3 011/111 of quadrants
// 0 and 2 are c.ld/c.sd/c.ldsp/c.sdsp (not c.flw/c.fsw), quadrant 1 funct3 001 is c.addiw
// (not c.jal), and shift amounts are 6 bits (shamt[5] = 1 is legal).
//
// Illegal or reserved parcels give -1. HINT encodings (rd = x0, c.addi with imm 0,
// shamt 0, ...) are legal and expand to the base instruction they are defined as; with
// rd = x0 (or a zero shift) that has no architectural effect.

/** Bits [hi:lo] of x, moved down to bit 0. */
function bits(x: number, hi: number, lo: number): number {
  return (x >>> lo) & ((1 << (hi - lo + 1)) - 1);
}

/** Bit `from` of x, moved to bit `to`. */
function bitTo(x: number, from: number, to: number): number {
  return ((x >>> from) & 1) << to;
}

/** Sign-extend the low `width` bits of x. */
function sext(x: number, width: number): number {
  const shift = 32 - width;
  return (x << shift) >> shift;
}

// ---- 32-bit base encoders (ISA manual, "Base Instruction Formats") ----

const OP_LOAD = 0x03;
const OP_LOAD_FP = 0x07;
const OP_IMM = 0x13;
const OP_IMM_32 = 0x1b;
const OP_STORE = 0x23;
const OP_STORE_FP = 0x27;
const OP_OP = 0x33;
const OP_OP_32 = 0x3b;
const OP_LUI = 0x37;
const OP_BRANCH = 0x63;
const OP_JALR = 0x67;
const OP_JAL = 0x6f;
const EBREAK = 0x00100073;

const F3_W = 2; // lw / sw
const F3_D = 3; // ld / sd / fld / fsd

function iType(imm: number, rs1: number, f3: number, rd: number, op: number): number {
  return ((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}

function sType(imm: number, rs2: number, rs1: number, f3: number, op: number): number {
  return (bits(imm, 11, 5) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (bits(imm, 4, 0) << 7) | op;
}

function rType(f7: number, rs2: number, rs1: number, f3: number, rd: number, op: number): number {
  return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}

/** Branch comparing rs1 with x0 (the only form RVC produces). */
function bTypeVsZero(imm: number, rs1: number, f3: number): number {
  return bitTo(imm, 12, 31) | (bits(imm, 10, 5) << 25) | (rs1 << 15) | (f3 << 12) | (bits(imm, 4, 1) << 8) | bitTo(imm, 11, 7) | OP_BRANCH;
}

function jType(imm: number, rd: number): number {
  return bitTo(imm, 20, 31) | (bits(imm, 10, 1) << 21) | bitTo(imm, 11, 20) | (bits(imm, 19, 12) << 12) | (rd << 7) | OP_JAL;
}

/** RV64 shift-immediate: funct6 | shamt[5:0] | rs1 | funct3 | rd | OP-IMM. */
function shiftImm(f6: number, shamt: number, reg: number, f3: number): number {
  return (f6 << 26) | (shamt << 20) | (reg << 15) | (f3 << 12) | (reg << 7) | OP_IMM;
}

// ---- RVC operand fields ----

/** 3-bit register field (x8..x15) at bits [lo+2:lo]. */
function creg(p: number, lo: number): number {
  return 8 + bits(p, lo + 2, lo);
}

/** CI-format 6-bit immediate: imm[5] = p[12], imm[4:0] = p[6:2]. */
function ciImm(p: number): number {
  return bitTo(p, 12, 5) | bits(p, 6, 2);
}

/** CL/CS offset scaled by 8 (c.ld, c.sd, c.fld, c.fsd): uimm[5:3] = p[12:10], uimm[7:6] = p[6:5]. */
function clOffD(p: number): number {
  return (bits(p, 12, 10) << 3) | (bits(p, 6, 5) << 6);
}

/** CL/CS offset scaled by 4 (c.lw, c.sw): uimm[5:3] = p[12:10], uimm[2] = p[6], uimm[6] = p[5]. */
function clOffW(p: number): number {
  return (bits(p, 12, 10) << 3) | bitTo(p, 6, 2) | bitTo(p, 5, 6);
}

/** CB branch offset: imm[8|4:3] = p[12:10], imm[7:6|2:1|5] = p[6:2]. */
function cbOff(p: number): number {
  const u =
    bitTo(p, 12, 8) | (bits(p, 11, 10) << 3) | (bits(p, 6, 5) << 6) | (bits(p, 4, 3) << 1) | bitTo(p, 2, 5);
  return sext(u, 9);
}

/** CJ jump offset: imm[11|4|9:8|10|6|7|3:1|5] = p[12:2]. */
function cjOff(p: number): number {
  const u =
    bitTo(p, 12, 11) |
    bitTo(p, 11, 4) |
    (bits(p, 10, 9) << 8) |
    bitTo(p, 8, 10) |
    bitTo(p, 7, 6) |
    bitTo(p, 6, 7) |
    (bits(p, 5, 3) << 1) |
    bitTo(p, 2, 5);
  return sext(u, 12);
}

const ILLEGAL = -1;

/**
 * The 32-bit RV64G instruction equivalent to the 16-bit parcel `parcel` (low two bits
 * must not be 0b11), as an int32; -1 if the parcel is illegal or reserved in RV64GC.
 */
export function expandCompressed(parcel: number): number {
  const p = parcel & 0xffff;
  const f3 = p >>> 13;
  const rd = bits(p, 11, 7); // also rs1 in CI/CR formats
  const rs2 = bits(p, 6, 2);
  switch (((p & 3) << 3) | f3) {
    // ---------------- quadrant 0 ----------------
    case 0o00: {
      // c.addi4spn: addi rd', sp, nzuimm  (nzuimm[5:4|9:6|2|3] = p[12:5]); 0 is reserved
      // and covers the all-zero parcel, which is defined illegal.
      const nzuimm = (bits(p, 12, 11) << 4) | (bits(p, 10, 7) << 6) | bitTo(p, 6, 2) | bitTo(p, 5, 3);
      if (nzuimm === 0) return ILLEGAL;
      return iType(nzuimm, 2, 0, creg(p, 2), OP_IMM);
    }
    case 0o01: // c.fld
      return iType(clOffD(p), creg(p, 7), F3_D, creg(p, 2), OP_LOAD_FP);
    case 0o02: // c.lw
      return iType(clOffW(p), creg(p, 7), F3_W, creg(p, 2), OP_LOAD);
    case 0o03: // c.ld
      return iType(clOffD(p), creg(p, 7), F3_D, creg(p, 2), OP_LOAD);
    case 0o04: // reserved
      return ILLEGAL;
    case 0o05: // c.fsd
      return sType(clOffD(p), creg(p, 2), creg(p, 7), F3_D, OP_STORE_FP);
    case 0o06: // c.sw
      return sType(clOffW(p), creg(p, 2), creg(p, 7), F3_W, OP_STORE);
    case 0o07: // c.sd
      return sType(clOffD(p), creg(p, 2), creg(p, 7), F3_D, OP_STORE);

    // ---------------- quadrant 1 ----------------
    case 0o10: // c.addi (c.nop when rd = 0 and imm = 0; other rd = 0 or imm = 0 are HINTs)
      return iType(sext(ciImm(p), 6), rd, 0, rd, OP_IMM);
    case 0o11: // c.addiw (RV64); rd = 0 is reserved
      if (rd === 0) return ILLEGAL;
      return iType(sext(ciImm(p), 6), rd, 0, rd, OP_IMM_32);
    case 0o12: // c.li: addi rd, x0, imm (rd = 0 is a HINT)
      return iType(sext(ciImm(p), 6), 0, 0, rd, OP_IMM);
    case 0o13: {
      if (rd === 2) {
        // c.addi16sp: nzimm[9|4|6|8:7|5] = p[12|6|5|4:3|2]; 0 is reserved.
        const u = bitTo(p, 12, 9) | bitTo(p, 6, 4) | bitTo(p, 5, 6) | (bits(p, 4, 3) << 7) | bitTo(p, 2, 5);
        if (u === 0) return ILLEGAL;
        return iType(sext(u, 10), 2, 0, 2, OP_IMM);
      }
      // c.lui: nzimm[17|16:12] = p[12|6:2]; 0 is reserved, rd = 0 is a HINT.
      const imm6 = ciImm(p);
      if (imm6 === 0) return ILLEGAL;
      return ((sext(imm6, 6) & 0xfffff) << 12) | (rd << 7) | OP_LUI;
    }
    case 0o14:
      return expandMiscAlu(p);
    case 0o15: // c.j: jal x0, offset
      return jType(cjOff(p), 0);
    case 0o16: // c.beqz: beq rs1', x0, offset
      return bTypeVsZero(cbOff(p), creg(p, 7), 0);
    case 0o17: // c.bnez: bne rs1', x0, offset
      return bTypeVsZero(cbOff(p), creg(p, 7), 1);

    // ---------------- quadrant 2 ----------------
    case 0o20: // c.slli (rd = 0 or shamt = 0 are HINTs)
      return shiftImm(0, ciImm(p), rd, 1);
    case 0o21: // c.fldsp: uimm[5] = p[12], uimm[4:3] = p[6:5], uimm[8:6] = p[4:2]
      return iType(bitTo(p, 12, 5) | (bits(p, 6, 5) << 3) | (bits(p, 4, 2) << 6), 2, F3_D, rd, OP_LOAD_FP);
    case 0o22: // c.lwsp: uimm[5] = p[12], uimm[4:2] = p[6:4], uimm[7:6] = p[3:2]; rd = 0 reserved
      if (rd === 0) return ILLEGAL;
      return iType(bitTo(p, 12, 5) | (bits(p, 6, 4) << 2) | (bits(p, 3, 2) << 6), 2, F3_W, rd, OP_LOAD);
    case 0o23: // c.ldsp: offset as c.fldsp; rd = 0 reserved
      if (rd === 0) return ILLEGAL;
      return iType(bitTo(p, 12, 5) | (bits(p, 6, 5) << 3) | (bits(p, 4, 2) << 6), 2, F3_D, rd, OP_LOAD);
    case 0o24:
      if ((p & 0x1000) === 0) {
        if (rs2 !== 0) return rType(0, rs2, 0, 0, rd, OP_OP); // c.mv: add rd, x0, rs2
        if (rd === 0) return ILLEGAL; // c.jr with rs1 = 0 is reserved
        return iType(0, rd, 0, 0, OP_JALR); // c.jr: jalr x0, 0(rs1)
      }
      if (rs2 !== 0) return rType(0, rs2, rd, 0, rd, OP_OP); // c.add: add rd, rd, rs2
      if (rd === 0) return EBREAK; // c.ebreak
      return iType(0, rd, 0, 1, OP_JALR); // c.jalr: jalr ra, 0(rs1)
    case 0o25: // c.fsdsp: uimm[5:3] = p[12:10], uimm[8:6] = p[9:7]
      return sType((bits(p, 12, 10) << 3) | (bits(p, 9, 7) << 6), rs2, 2, F3_D, OP_STORE_FP);
    case 0o26: // c.swsp: uimm[5:2] = p[12:9], uimm[7:6] = p[8:7]
      return sType((bits(p, 12, 9) << 2) | (bits(p, 8, 7) << 6), rs2, 2, F3_W, OP_STORE);
    case 0o27: // c.sdsp: as c.fsdsp
      return sType((bits(p, 12, 10) << 3) | (bits(p, 9, 7) << 6), rs2, 2, F3_D, OP_STORE);
    default: // low bits 0b11: not a compressed parcel
      return ILLEGAL;
  }
}

/** Quadrant 1, funct3 100: c.srli, c.srai, c.andi and the register-register ALU group. */
function expandMiscAlu(p: number): number {
  const rdc = creg(p, 7);
  switch (bits(p, 11, 10)) {
    case 0: // c.srli (shamt 0 is a HINT on RV64)
      return shiftImm(0x00, ciImm(p), rdc, 5);
    case 1: // c.srai
      return shiftImm(0x10, ciImm(p), rdc, 5);
    case 2: // c.andi
      return iType(sext(ciImm(p), 6), rdc, 7, rdc, OP_IMM);
    default: {
      const rs2c = creg(p, 2);
      const op = ((p >>> 10) & 4) | bits(p, 6, 5); // p[12] : p[6:5]
      switch (op) {
        case 0: // c.sub
          return rType(0x20, rs2c, rdc, 0, rdc, OP_OP);
        case 1: // c.xor
          return rType(0, rs2c, rdc, 4, rdc, OP_OP);
        case 2: // c.or
          return rType(0, rs2c, rdc, 6, rdc, OP_OP);
        case 3: // c.and
          return rType(0, rs2c, rdc, 7, rdc, OP_OP);
        case 4: // c.subw
          return rType(0x20, rs2c, rdc, 0, rdc, OP_OP_32);
        case 5: // c.addw
          return rType(0, rs2c, rdc, 0, rdc, OP_OP_32);
        default: // reserved
          return ILLEGAL;
      }
    }
  }
}
