// expandCompressed against binutils, exhaustively over all 49152 compressed parcels.
//
// The expected word for each parcel is what riscv64-linux-gnu-as encodes for the base
// instruction objdump says the parcel is (see testdata/gen-rvc-table.ts); so equal words
// mean objdump reads our expansion as the same operation with the same operands. Parcels
// objdump cannot decode (`.2byte`, `c.unimp`) and the few the ISA manual reserves but
// binutils still decodes (noted in the table) must give -1.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expandCompressed } from './compressed.ts';
import { TABLE_PATH, binutilsMissing, generateTable } from './testdata/gen-rvc-table.ts';

interface Entry {
  parcel: number;
  word: number | null; // null: illegal
  text: string;
}

function parseTable(src: string): Entry[] {
  const out: Entry[] = [];
  for (const line of src.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([0-9a-f]{4}) (illegal|[0-9a-f]{8}) (.*)$/.exec(line);
    if (!m) throw new Error(`bad table line: ${line}`);
    out.push({ parcel: parseInt(m[1], 16), word: m[2] === 'illegal' ? null : parseInt(m[2], 16) | 0, text: m[3] });
  }
  return out;
}

const committed = readFileSync(TABLE_PATH, 'utf8');
const table = parseTable(committed);
const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

describe('expandCompressed (RV64GC) vs binutils 2.40', () => {
  it('the table covers every parcel with low bits != 0b11', () => {
    expect(table.length).toBe(49152);
    expect(new Set(table.map((e) => e.parcel)).size).toBe(49152);
    expect(table.every((e) => (e.parcel & 3) !== 3)).toBe(true);
  });

  it('expands every legal parcel to the word gas assembles for its objdump reading', () => {
    const wrong: string[] = [];
    for (const e of table) {
      if (e.word === null) continue;
      const got = expandCompressed(e.parcel);
      if (got !== e.word) wrong.push(`${e.parcel.toString(16)} (${e.text}): got ${hex(got)}, want ${hex(e.word)}`);
    }
    expect(wrong.slice(0, 20)).toEqual([]);
  });

  it('returns -1 for every illegal/reserved parcel', () => {
    const illegal = table.filter((e) => e.word === null);
    // c.unimp, 2048 quadrant-0 funct3=100, 7 c.addi4spn nzuimm=0, 64 c.addiw rd=0,
    // 31 c.lui nzimm=0, 128 reserved CA ops, 64+64 c.lwsp/c.ldsp rd=0, c.jr x0, c.addi16sp 0.
    expect(illegal.length).toBe(1 + 2048 + 7 + 64 + 31 + 128 + 64 + 64 + 1 + 1);
    const wrong = illegal.filter((e) => expandCompressed(e.parcel) !== -1).map((e) => `${e.parcel.toString(16)} ${e.text}`);
    expect(wrong).toEqual([]);
  });

  it('spot checks straight from the ISA manual', () => {
    expect(expandCompressed(0x0001)).toBe(0x00000013); // c.nop = addi x0,x0,0
    expect(expandCompressed(0x9002)).toBe(0x00100073); // c.ebreak = ebreak
    expect(expandCompressed(0x8082)).toBe(0x00008067); // c.jr ra = jalr x0,0(ra) (ret)
    expect(expandCompressed(0x0000)).toBe(-1); // defined illegal
    expect(expandCompressed(0x6101)).toBe(-1); // c.addi16sp 0: reserved
  });

  it('rejects parcels whose low bits are 0b11 (32-bit instructions)', () => {
    expect(expandCompressed(0x0013)).toBe(-1);
    expect(expandCompressed(0xffff)).toBe(-1);
  });

  const missing = binutilsMissing();
  if (missing) console.warn(`skipping table regeneration check: ${missing}`);
  // "[SKIPPED: reason]" in the name: the skip reporter counts it (test/skips.ts; a leaf may not import it).
  it.skipIf(missing !== undefined)(`committed table equals a fresh run of the binutils generator${missing ? ` [SKIPPED: ${missing}]` : ''}`, () => {
    expect(generateTable() === committed).toBe(true);
  });
});
