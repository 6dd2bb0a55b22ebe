// Every RV64GC mnemonic from the ISA manual: the base RV64G table the decoder uses (OPS)
// plus the RV64C compressed forms, each with the base instruction it expands to.

import { OPS } from '../../emulator/decode/opcodes.ts';

/** RV64C mnemonic -> the RV64G mnemonic it expands to (ISA manual, RVC chapter, RV64 column). */
export const RVC_BASE: Readonly<Record<string, string>> = {
  'c.addi4spn': 'addi',
  'c.fld': 'fld',
  'c.lw': 'lw',
  'c.ld': 'ld',
  'c.fsd': 'fsd',
  'c.sw': 'sw',
  'c.sd': 'sd',
  'c.nop': 'addi',
  'c.addi': 'addi',
  'c.addiw': 'addiw',
  'c.li': 'addi',
  'c.addi16sp': 'addi',
  'c.lui': 'lui',
  'c.srli': 'srli',
  'c.srai': 'srai',
  'c.andi': 'andi',
  'c.sub': 'sub',
  'c.xor': 'xor',
  'c.or': 'or',
  'c.and': 'and',
  'c.subw': 'subw',
  'c.addw': 'addw',
  'c.j': 'jal',
  'c.beqz': 'beq',
  'c.bnez': 'bne',
  'c.slli': 'slli',
  'c.fldsp': 'fld',
  'c.lwsp': 'lw',
  'c.ldsp': 'ld',
  'c.jr': 'jalr',
  'c.mv': 'add',
  'c.ebreak': 'ebreak',
  'c.jalr': 'jalr',
  'c.add': 'add',
  'c.fsdsp': 'fsd',
  'c.swsp': 'sw',
  'c.sdsp': 'sd',
};

export interface MnemonicInfo {
  name: string;
  ext: string;
}

/** All RV64GC mnemonics in table order: RV64G by extension as in OPS, then RV64C. */
export const ALL_MNEMONICS: readonly MnemonicInfo[] = [
  ...OPS.map((o) => ({ name: o.name, ext: o.ext })),
  ...Object.keys(RVC_BASE).map((name) => ({ name, ext: 'C' })),
];

const KNOWN = new Set(ALL_MNEMONICS.map((m) => m.name));

/**
 * The mnemonics one assembly line exercises: its own (ordering suffixes .aq/.rl dropped;
 * fence.tso counted as fence) and, for a compressed line, the base form it expands to.
 */
export function mnemonicsOf(asmLine: string): string[] {
  let m = asmLine.trim().split(/\s+/)[0].toLowerCase();
  m = m.replace(/\.(aqrl|aq|rl)$/, '');
  if (m === 'fence.tso') m = 'fence';
  if (!KNOWN.has(m)) throw new Error(`not an RV64GC mnemonic: ${m} (in "${asmLine}")`);
  const base = RVC_BASE[m];
  return base ? [m, base] : [m];
}
