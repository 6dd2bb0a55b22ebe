// The ISA harness itself: the mnemonic table against the ISA manual, the generator
// (reproducible, covers every mnemonic, produces programs that run to the end), case
// serialisation, the coverage rules, and the shrinker on a deliberately broken FPU op.

import { describe, expect, it } from 'vitest';
import { OPS } from '../../emulator/decode/opcodes.ts';
import { fpuOps } from '../../emulator/fpu/index.ts';
import { buildProgram } from '../../harness/isa/assemble.ts';
import { caseFromJson, caseToJson, exercised, isBlock, REGION_BYTES, X_NAMES } from '../../harness/isa/case.ts';
import { Coverage, rowStatus } from '../../harness/isa/coverage.ts';
import { randomCase, randomCases } from '../../harness/isa/generate.ts';
import { ALL_MNEMONICS, mnemonicsOf } from '../../harness/isa/mnemonics.ts';
import { RANDOM_MNEMONICS } from '../../harness/isa/ops.ts';
import { runCases, type CaseOutcome } from '../../harness/isa/run.ts';
import { shrinkCase } from '../../harness/isa/shrink.ts';
import { runOnZerosys } from '../../harness/isa/zerosys-side.ts';
import { binutilsMissing } from '../../harness/isa/assemble.ts';
import { SKIP_REASON, skipNote } from './tools.ts';
import { skipTitle } from '../skips.ts';

// RV64C instruction listing of the ISA manual (RVC chapter, RV64 column).
const MANUAL_RV64C = [
  'c.addi4spn', 'c.fld', 'c.lw', 'c.ld', 'c.fsd', 'c.sw', 'c.sd', 'c.nop', 'c.addi', 'c.addiw', 'c.li', 'c.addi16sp', 'c.lui',
  'c.srli', 'c.srai', 'c.andi', 'c.sub', 'c.xor', 'c.or', 'c.and', 'c.subw', 'c.addw', 'c.j', 'c.beqz', 'c.bnez', 'c.slli',
  'c.fldsp', 'c.lwsp', 'c.ldsp', 'c.jr', 'c.mv', 'c.ebreak', 'c.jalr', 'c.add', 'c.fsdsp', 'c.swsp', 'c.sdsp',
];

describe('mnemonic table', () => {
  it('lists every RV64G mnemonic of the decoder and the 37 RV64C forms of the manual', () => {
    const names = ALL_MNEMONICS.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => n.startsWith('c.')).sort()).toEqual([...MANUAL_RV64C].sort());
    for (const o of OPS) expect(names).toContain(o.name);
    // RV64I 52, Zifencei 1, Zicsr 6, M 13, A 22, F 30, D 32 (manual's RV32/RV64 listings), C 37.
    expect(names.length).toBe(52 + 1 + 6 + 13 + 22 + 30 + 32 + 37);
  });

  it('counts a compressed line under its own and its base mnemonic, without ordering suffixes', () => {
    expect(mnemonicsOf('c.addi a0, 1')).toEqual(['c.addi', 'addi']);
    expect(mnemonicsOf('c.jalr t0')).toEqual(['c.jalr', 'jalr']);
    expect(mnemonicsOf('amoadd.w.aqrl a0, a1, (a2)')).toEqual(['amoadd.w']);
    expect(mnemonicsOf('lr.d.aq a0, (a1)')).toEqual(['lr.d']);
    expect(mnemonicsOf('fence.tso')).toEqual(['fence']);
    expect(() => mnemonicsOf('li a0, 1')).toThrow(/not an RV64GC mnemonic/);
  });
});

describe('random case generator', () => {
  it('is reproducible from (seed, index) and differs between indices', () => {
    const a = JSON.stringify(caseToJson(randomCase(99, 7)));
    expect(JSON.stringify(caseToJson(randomCase(99, 7)))).toBe(a);
    expect(JSON.stringify(caseToJson(randomCase(99, 8)))).not.toBe(a);
  });

  it('draws every generated mnemonic in a few thousand cases, never the base register as a destination', () => {
    const seen = new Set<string>();
    for (const c of randomCases(5, 3000)) {
      for (const m of exercised(c)) seen.add(m);
      expect(c.base).toBeGreaterThanOrEqual(3);
      // The first operand is the destination except for stores, branches, register jumps, fences.
      for (const it of c.items) {
        if (!isBlock(it)) continue;
        for (const i of it.insns) {
          const [m, rest = ''] = i.asm.split(/ (.*)/);
          if (/^(s[bhwd]|fs[wd]|c\.f?s[wd](sp)?|b|c\.b|c\.j|fence|c\.nop)/.test(m)) continue;
          expect(rest.split(',')[0].trim(), i.asm).not.toBe(X_NAMES[c.base]);
        }
      }
    }
    expect(RANDOM_MNEMONICS.filter((m) => !seen.has(m))).toEqual([]);
  });

  it('round-trips a case through its JSON form', () => {
    const c = randomCase(3, 11);
    expect(caseToJson(caseFromJson(JSON.parse(JSON.stringify(caseToJson(c)))))).toEqual(caseToJson(c));
  });

  const noBinutils = binutilsMissing();
  it.skipIf(noBinutils !== '')(skipTitle('produces programs that run to the end on zerosys', noBinutils), async () => {
    const cases = randomCases(11, 400);
    const p = await buildProgram(cases);
    try {
      const r = runOnZerosys(p.elf, 50_000_000);
      expect(r.detail).toBe('exit 0');
      expect(r.stdout.length).toBe(cases.length * REGION_BYTES);
    } finally {
      await p.cleanup();
    }
  });
});

describe('coverage table', () => {
  it('lists unexercised mnemonics as such and a differing case as a mismatch, never as passing', () => {
    const cov = new Coverage();
    const c = randomCase(1, 1);
    const names = new Set(exercised(c));
    cov.add({ c, kind: 'same', diffs: [] }, 'random');
    cov.add({ c, kind: 'diff', diffs: [{ where: 'x1/ra', qemu: '0x1', zerosys: '0x2' }] } as CaseOutcome, 'random');
    for (const r of cov.table()) {
      if (names.has(r.name)) {
        expect(r).toMatchObject({ cases: 2, identical: 1 });
        expect(rowStatus(r)).toBe('MISMATCH');
      } else {
        expect(r.cases).toBe(0);
        expect(rowStatus(r)).toBe('never exercised');
      }
    }
    expect(cov.totals).toMatchObject({ randomCases: 2, identicalCases: 1, mismatchedCases: 1 });
  });
});

describe.skipIf(SKIP_REASON !== '')(`shrinker${skipNote}`, () => {
  it('reduces a case to the one broken instruction and the inputs it needs', async () => {
    // Break fmul.d in this worker's FPU table: results lose their lowest bit when it is set.
    const orig = fpuOps['fmul.d'];
    fpuOps['fmul.d'] = (s, rd, rs1, rs2, rs3, rm) => {
      orig(s, rd, rs1, rs2, rs3, rm);
      s.fi[2 * rd] &= ~1;
    };
    try {
      const cases = randomCases(4242, 1500).filter((c) => exercised(c).includes('fmul.d'));
      const failing = (await runCases(cases)).filter((o) => o.kind === 'diff');
      expect(failing.length).toBeGreaterThan(0);
      const { outcome } = await shrinkCase(failing[0]);
      expect(outcome.kind).toBe('diff');
      const code = outcome.c.items.filter(isBlock).flatMap((b) => b.insns.map((i) => i.asm));
      expect(code.length).toBe(1);
      expect(code[0]).toMatch(/^fmul\.d /);
      expect(outcome.c.scratch.every((q) => q === 0n)).toBe(true);
    } finally {
      fpuOps['fmul.d'] = orig;
    }
  });
});
