import { describe, expect, it } from 'vitest';
import { OPS } from '../decode/opcodes.ts';
import { decode } from '../decode/decoder.ts';
import { program } from './warm-up.ts';

describe('interpreter warm-up program', () => {
  it('has one word per op, and each word decodes to its op (every case gets type feedback)', () => {
    const words = program();
    expect(words.length).toBe(OPS.length);
    const decoded = Array.from(words, (w) => decode(w, { op: undefined, rd: 0, rs1: 0, rs2: 0, rs3: 0, imm: 0 }).op?.name);
    expect(decoded).toEqual(OPS.map((o) => o.name));
  });
});
