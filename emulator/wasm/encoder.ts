// A minimal WebAssembly binary writer: just what the region compiler emits (one type per
// signature, imported memory and functions, exported functions, their code). Opcodes are
// named as in the WebAssembly core spec's text format.

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const VOID = 0x40;

/** Opcodes (core spec, section 5.4). */
export const Op = {
  unreachable: 0x00,
  nop: 0x01,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  br_if: 0x0d,
  br_table: 0x0e,
  return: 0x0f,
  call: 0x10,
  call_indirect: 0x11,
  return_call_indirect: 0x13,
  drop: 0x1a,
  select: 0x1b,
  local_get: 0x20,
  local_set: 0x21,
  local_tee: 0x22,
  i32_load: 0x28,
  i64_load: 0x29,
  f32_load: 0x2a,
  f64_load: 0x2b,
  i32_load8_s: 0x2c,
  i32_load8_u: 0x2d,
  i32_load16_s: 0x2e,
  i32_load16_u: 0x2f,
  i64_load8_s: 0x30,
  i64_load8_u: 0x31,
  i64_load16_s: 0x32,
  i64_load16_u: 0x33,
  i64_load32_s: 0x34,
  i64_load32_u: 0x35,
  i32_store: 0x36,
  i64_store: 0x37,
  f64_store: 0x39,
  i32_store8: 0x3a,
  i32_store16: 0x3b,
  i64_store8: 0x3c,
  i64_store16: 0x3d,
  i64_store32: 0x3e,
  i32_const: 0x41,
  i64_const: 0x42,
  f64_const: 0x44,
  i32_eqz: 0x45,
  i32_eq: 0x46,
  i32_ne: 0x47,
  i32_lt_s: 0x48,
  i32_lt_u: 0x49,
  i32_gt_s: 0x4a,
  i32_gt_u: 0x4b,
  i32_le_u: 0x4d,
  i32_ge_u: 0x4f,
  i64_eqz: 0x50,
  i64_eq: 0x51,
  i64_ne: 0x52,
  i64_lt_s: 0x53,
  i64_lt_u: 0x54,
  i64_gt_s: 0x55,
  i64_gt_u: 0x56,
  i64_ge_s: 0x59,
  i64_ge_u: 0x5a,
  i32_add: 0x6a,
  i32_sub: 0x6b,
  i32_mul: 0x6c,
  i32_div_s: 0x6d,
  i32_div_u: 0x6e,
  i32_rem_s: 0x6f,
  i32_rem_u: 0x70,
  i32_and: 0x71,
  i32_or: 0x72,
  i32_xor: 0x73,
  i32_shl: 0x74,
  i32_shr_s: 0x75,
  i32_shr_u: 0x76,
  i64_add: 0x7c,
  i64_sub: 0x7d,
  i64_mul: 0x7e,
  i64_div_s: 0x7f,
  i64_div_u: 0x80,
  i64_rem_s: 0x81,
  i64_rem_u: 0x82,
  i64_and: 0x83,
  i64_or: 0x84,
  i64_xor: 0x85,
  i64_shl: 0x86,
  i64_shr_s: 0x87,
  i64_shr_u: 0x88,
  i32_wrap_i64: 0xa7,
  i64_extend_i32_s: 0xac,
  i64_extend_i32_u: 0xad,
  f64_convert_i64_u: 0xba,
} as const;

/** A growable byte buffer with the spec's integer encodings. */
export class Bytes {
  private buf = new Uint8Array(256);
  length = 0;

  byte(b: number): this {
    if (this.length === this.buf.length) this.grow(1);
    this.buf[this.length++] = b;
    return this;
  }
  bytes(bs: ArrayLike<number>): this {
    if (this.length + bs.length > this.buf.length) this.grow(bs.length);
    this.buf.set(bs, this.length);
    this.length += bs.length;
    return this;
  }
  private grow(need: number): void {
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + need));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  /** Unsigned LEB128 (u32). */
  u32(v: number): this {
    v >>>= 0;
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
    return this;
  }
  /** Signed LEB128 of an int32. */
  s32(v: number): this {
    v |= 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) return this.byte(b);
      this.byte(b | 0x80);
    }
  }
  /** Signed LEB128 of a 64-bit value given as a BigInt (taken modulo 2^64). */
  s64(v: bigint): this {
    v = BigInt.asIntN(64, v);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) return this.byte(b);
      this.byte(b | 0x80);
    }
  }
  f64(v: number): this {
    const t = new DataView(new ArrayBuffer(8));
    t.setFloat64(0, v, true);
    for (let i = 0; i < 8; i++) this.byte(t.getUint8(i));
    return this;
  }
  name(s: string): this {
    const utf8 = new TextEncoder().encode(s);
    return this.u32(utf8.length).bytes(utf8);
  }
  /** A size-prefixed vector or section body. */
  sized(body: Bytes): this {
    return this.u32(body.length).bytes(body.view());
  }
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** Instruction emitters shared by the code generators: operand-free ops, locals, constants, calls, memory. */
export class CodeWriter {
  readonly c = new Bytes();
  op(...bs: number[]): this {
    for (const b of bs) this.c.byte(b);
    return this;
  }
  get(l: number): this {
    this.c.byte(Op.local_get).u32(l);
    return this;
  }
  set(l: number): this {
    this.c.byte(Op.local_set).u32(l);
    return this;
  }
  tee(l: number): this {
    this.c.byte(Op.local_tee).u32(l);
    return this;
  }
  i32(v: number): this {
    this.c.byte(Op.i32_const).s32(v);
    return this;
  }
  call(fn: number): this {
    this.c.byte(Op.call).u32(fn);
    return this;
  }
  /** A load or store with alignment hint 0 (guest accesses may be unaligned). */
  mem(op: number, offset: number): this {
    this.c.byte(op).u32(0).u32(offset);
    return this;
  }
}

export interface FuncType {
  params: number[];
  results: number[];
}

export interface ImportedFunc {
  module: string;
  name: string;
  type: FuncType;
}

export interface DefinedFunc {
  type: FuncType;
  /** Extra locals after the params, in order (one entry per local). */
  locals: number[];
  /** Instructions, ending with `end`. */
  code: Bytes;
  /** Export name, if exported. */
  export?: string;
}

const typeKey = (t: FuncType) => `${t.params.join(',')}>${t.results.join(',')}`;

/** The prefix of the saturating float-to-int conversions; i64.trunc_sat_f64_u is 0xfc 7. */
export const PREFIX_FC = 0xfc;
export const TRUNC_SAT_F64_U_I64 = 7;

export interface ModuleOptions {
  /** Import a funcref table `m.table` (for call_indirect). */
  table?: boolean;
  /** Extra types to declare (call_indirect signatures); their indexes follow the functions' own. */
  extraTypes?: FuncType[];
}

/** Index of a type in a module encoded with these imports, functions and options. */
export function typeIndexOf(imports: ImportedFunc[], funcs: DefinedFunc[], t: FuncType): number {
  const keys: string[] = [];
  for (const f of [...imports, ...funcs]) if (!keys.includes(typeKey(f.type))) keys.push(typeKey(f.type));
  const i = keys.indexOf(typeKey(t));
  if (i < 0) throw new Error(`type ${typeKey(t)} not in the module`);
  return i;
}

/** Encode a module that imports memory `mem` (module `m`) and the given functions. */
export function encodeModule(imports: ImportedFunc[], funcs: DefinedFunc[], opts: ModuleOptions = {}): Uint8Array<ArrayBuffer> {
  const types: FuncType[] = [];
  const typeIndex = new Map<string, number>();
  const typeOf = (t: FuncType) => {
    const k = typeKey(t);
    let i = typeIndex.get(k);
    if (i === undefined) {
      i = types.length;
      types.push(t);
      typeIndex.set(k, i);
    }
    return i;
  };
  for (const f of imports) typeOf(f.type);
  for (const f of funcs) typeOf(f.type);
  for (const t of opts.extraTypes ?? []) typeOf(t);

  const out = new Bytes().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const section = (id: number, body: Bytes) => out.byte(id).sized(body);

  const typeSec = new Bytes().u32(types.length);
  for (const t of types) typeSec.byte(0x60).u32(t.params.length).bytes(t.params).u32(t.results.length).bytes(t.results);
  section(1, typeSec);

  const importSec = new Bytes().u32(imports.length + 1 + (opts.table ? 1 : 0));
  importSec.name('m').name('mem').byte(0x02).byte(0x00).u32(1); // memory, limits: min 1 page, no max
  if (opts.table) importSec.name('m').name('table').byte(0x01).byte(0x70).byte(0x00).u32(1); // funcref, min 1
  for (const f of imports) importSec.name(f.module).name(f.name).byte(0x00).u32(typeOf(f.type));
  section(2, importSec);

  const funcSec = new Bytes().u32(funcs.length);
  for (const f of funcs) funcSec.u32(typeOf(f.type));
  section(3, funcSec);

  const exported = funcs.map((f, i) => ({ f, i })).filter(({ f }) => f.export !== undefined);
  const exportSec = new Bytes().u32(exported.length);
  for (const { f, i } of exported) exportSec.name(f.export!).byte(0x00).u32(imports.length + i);
  section(7, exportSec);

  const codeSec = new Bytes().u32(funcs.length);
  for (const f of funcs) {
    const body = new Bytes();
    // Locals as runs of one type.
    const runs: [number, number][] = [];
    for (const t of f.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    body.u32(runs.length);
    for (const [n, t] of runs) body.u32(n).byte(t);
    body.bytes(f.code.view());
    codeSec.sized(body);
  }
  section(10, codeSec);
  return out.view().slice();
}
