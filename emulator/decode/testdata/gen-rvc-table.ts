// Generates rvc-rv64.txt: for every 16-bit parcel whose low bits are not 0b11, what
// binutils says it is, and the 32-bit RV64G word binutils encodes for it.
//
// Why the reference really is binutils and not our expander:
//   1. objdump (-b binary -m riscv:rv64 -M no-aliases) disassembles all 49152 parcels.
//   2. Each `c.X operands` line is rewritten textually into the base instruction the ISA
//      manual defines it as (c.addi rd,imm -> addi rd,rd,imm; c.mv rd,rs2 -> add
//      rd,zero,rs2; c.j target -> jal zero,.+offset; ...). Only operand order and implied
//      registers change; numbers are copied from objdump's text.
//   3. gas (-march=rv64gc with .option norvc, so nothing is re-compressed) assembles those
//      lines and ld resolves the pc-relative ones; the resulting words are the expected
//      expansions. Parcels objdump shows as `.2byte`/`c.unimp` are expected illegal.
// The only non-binutils input is SPEC_RESERVED below: parcels the ISA manual reserves but
// binutils 2.40 still decodes. expandCompressed must return -1 for those.
//
// Run: npx tsx emulator/decode/testdata/gen-rvc-table.ts   (rewrites rvc-rv64.txt)

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TABLE_PATH = join(dirname(fileURLToPath(import.meta.url)), 'rvc-rv64.txt');

const CROSS = 'riscv64-linux-gnu-';

/** The binutils programs the generator needs, or the reason they cannot be used. */
export function binutilsMissing(): string | undefined {
  for (const tool of ['objdump', 'as', 'ld', 'objcopy']) {
    try {
      execFileSync(CROSS + tool, ['--version'], { stdio: 'ignore' });
    } catch {
      return `${CROSS}${tool} not found on PATH`;
    }
  }
  return undefined;
}

/** Parcels the ISA manual marks reserved that objdump still decodes, with the rule. */
const SPEC_RESERVED: Array<{ match: RegExp; why: string }> = [
  { match: /^c\.addi16sp\tsp,0$/, why: 'C.ADDI16SP with nzimm=0 is reserved' },
];

interface Row {
  parcel: number;
  text: string; // objdump's mnemonic and operands, tab between them
  asm?: string; // the base instruction, when the parcel is legal
  note?: string;
}

function allParcels(): number[] {
  const out: number[] = [];
  for (let p = 0; p < 0x10000; p++) if ((p & 3) !== 3) out.push(p);
  return out;
}

function disassembleParcels(dir: string, parcels: number[]): Row[] {
  const bin = Buffer.alloc(parcels.length * 2);
  parcels.forEach((p, i) => bin.writeUInt16LE(p, 2 * i));
  const file = join(dir, 'parcels.bin');
  writeFileSync(file, bin);
  const dump = execFileSync(CROSS + 'objdump', ['-D', '-b', 'binary', '-m', 'riscv:rv64', '-M', 'no-aliases', file], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const rows: Row[] = [];
  for (const line of dump.split('\n')) {
    const m = /^\s*([0-9a-f]+):\t([0-9a-f]{4})\s+\t(.*)$/.exec(line);
    if (!m) continue;
    const addr = parseInt(m[1], 16);
    const parcel = parseInt(m[2], 16);
    if (parcel !== parcels[addr / 2]) throw new Error(`objdump line out of step: ${line}`);
    // Drop objdump's trailing `# value` comments (they restate an operand).
    const text = m[3].replace(/\s*#.*$/, '').trim();
    rows.push({ parcel, text, ...rewrite(text, addr) });
  }
  if (rows.length !== parcels.length) throw new Error(`objdump gave ${rows.length} lines for ${parcels.length} parcels`);
  return rows;
}

/** objdump's `c.X` text at address addr -> the base instruction (gas syntax). */
function rewrite(text: string, addr: number): { asm?: string; note?: string } {
  for (const r of SPEC_RESERVED) if (r.match.test(text)) return { note: r.why };
  const [mnemonic, ops = ''] = text.split('\t');
  const a = ops.split(',');
  const rel = (target: string): string => {
    // objdump prints absolute targets, wrapped to 64 bits below address 0.
    let off = BigInt(target) - BigInt(addr);
    if (off >= 1n << 63n) off -= 1n << 64n;
    return off < 0n ? `.${off}` : `.+${off}`;
  };
  switch (mnemonic) {
    case 'c.unimp':
    case '.2byte':
      return {};
    case 'c.addi4spn':
      return { asm: `addi ${a[0]},${a[1]},${a[2]}` };
    case 'c.fld': case 'c.lw': case 'c.ld': case 'c.fsd': case 'c.sw': case 'c.sd':
      return { asm: `${mnemonic.slice(2)} ${ops}` };
    case 'c.fldsp': case 'c.lwsp': case 'c.ldsp': case 'c.fsdsp': case 'c.swsp': case 'c.sdsp':
      return { asm: `${mnemonic.slice(2, -2)} ${ops}` };
    case 'c.addi': case 'c.addiw': case 'c.andi': case 'c.slli': case 'c.srli': case 'c.srai':
    case 'c.sub': case 'c.xor': case 'c.or': case 'c.and': case 'c.subw': case 'c.addw': case 'c.add':
      return { asm: `${mnemonic.slice(2)} ${a[0]},${a[0]},${a[1]}` };
    case 'c.addi16sp':
      return { asm: `addi ${a[0]},${a[0]},${a[1]}` };
    case 'c.slli64': case 'c.srli64': case 'c.srai64':
      return { asm: `${mnemonic.slice(2, -2)} ${a[0]},${a[0]},0` };
    case 'c.li':
      return { asm: `addi ${a[0]},zero,${a[1]}` };
    case 'c.lui':
      return { asm: `lui ${a[0]},${a[1]}` };
    case 'c.mv':
      return { asm: `add ${a[0]},zero,${a[1]}` };
    case 'c.j':
      return { asm: `jal zero,${rel(a[0])}` };
    case 'c.beqz': case 'c.bnez':
      return { asm: `${mnemonic === 'c.beqz' ? 'beq' : 'bne'} ${a[0]},zero,${rel(a[1])}` };
    case 'c.jr':
      return { asm: `jalr zero,0(${a[0]})` };
    case 'c.jalr':
      return { asm: `jalr ra,0(${a[0]})` };
    case 'c.ebreak':
      return { asm: 'ebreak' };
    default:
      throw new Error(`no rewrite rule for objdump text '${text}'`);
  }
}

/** Assemble and link the base instructions; returns their words in order. */
function assemble(dir: string, lines: string[]): number[] {
  const src = join(dir, 'base.s');
  writeFileSync(src, ['.option norvc', '.option norelax', '.text', ...lines, ''].join('\n'));
  const obj = join(dir, 'base.o');
  const elf = join(dir, 'base.elf');
  const raw = join(dir, 'base.bin');
  execFileSync(CROSS + 'as', ['-march=rv64gc', '-o', obj, src]);
  execFileSync(CROSS + 'ld', ['--no-relax', '-Ttext=0x10000', '-e', '0x10000', '-o', elf, obj]);
  execFileSync(CROSS + 'objcopy', ['-O', 'binary', '-j', '.text', elf, raw]);
  const bytes = readFileSync(raw);
  if (bytes.length !== 4 * lines.length) throw new Error(`assembled ${bytes.length} bytes for ${lines.length} lines`);
  const words: number[] = [];
  for (let i = 0; i < lines.length; i++) words.push(bytes.readInt32LE(4 * i));
  return words;
}

const hex = (n: number, w: number): string => (n >>> 0).toString(16).padStart(w, '0');

/** The table text: a header, then `parcel word|illegal objdump-text [# note]` per line. */
export function generateTable(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rvc-gen-'));
  try {
    const rows = disassembleParcels(dir, allParcels());
    const legal = rows.filter((r) => r.asm !== undefined);
    const words = assemble(dir, legal.map((r) => r.asm!));
    const wordOf = new Map(legal.map((r, i) => [r.parcel, words[i]]));
    const out = [
      '# RV64GC compressed parcels: parcel, expected 32-bit expansion (or illegal), objdump text.',
      '# Generated by gen-rvc-table.ts from riscv64-linux-gnu-objdump/as/ld; do not edit.',
    ];
    for (const r of rows) {
      const w = wordOf.get(r.parcel);
      const expect = w === undefined ? 'illegal' : hex(w, 8);
      out.push(`${hex(r.parcel, 4)} ${expect} ${r.text.replace('\t', ' ')}${r.note ? ` # ${r.note}` : ''}`);
    }
    return out.join('\n') + '\n';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const missing = binutilsMissing();
  if (missing) throw new Error(missing);
  writeFileSync(TABLE_PATH, generateTable());
  console.log(`wrote ${TABLE_PATH}`);
}
