// Prints a case the way a person reads it: assembly with labels, the initial values that
// are not zero, and where qemu-riscv64 and zerosys disagree.

import { F_NAMES, X_NAMES, hex64, isBlock, type IsaCase } from './case.ts';
import type { CaseOutcome } from './run.ts';

const num = (v: number) => (Object.is(v, -0) ? '-0' : String(v));

function describeFloat(bits: bigint): string {
  const view = new DataView(new ArrayBuffer(8));
  if (bits >> 32n === 0xffffffffn) {
    view.setUint32(0, Number(bits & 0xffffffffn));
    return `single ${num(view.getFloat32(0))}`;
  }
  view.setBigUint64(0, bits);
  return `double ${num(view.getFloat64(0))}`;
}

/** The case's code as assembly (jump offsets resolved to their labels' names). */
export function caseAssembly(c: IsaCase): string[] {
  const lines: string[] = [];
  for (const it of c.items) {
    if (!isBlock(it)) {
      lines.push(`L${it.id}:`);
      continue;
    }
    for (const i of it.insns) {
      let t = i.asm;
      if (i.target !== undefined) t = t.replace('%T', `L${i.target}`).replace('%K', `(L${i.target} - .${i.anchor !== undefined ? ` of insn ${i.anchor}` : ''}${i.kExtra ? ` + ${i.kExtra}` : ''})`);
      lines.push(`    ${t}${it.shadow ? '    # may be jumped over' : ''}`);
    }
  }
  return lines;
}

export function formatCase(c: IsaCase): string {
  const out: string[] = [];
  out.push(`  base register ${X_NAMES[c.base]} = address of the case's scratch memory ("base")`);
  out.push('  initial values (all others 0):');
  c.x.forEach((v, i) => {
    if (i === 0 || i === c.base) return;
    if (typeof v !== 'bigint') out.push(`    ${X_NAMES[i]} = base${v.rel >= 0 ? '+' : ''}${v.rel}`);
    else if (v !== 0n) out.push(`    ${X_NAMES[i]} = ${hex64(v)}`);
  });
  c.f.forEach((v, i) => {
    if (v !== 0n) out.push(`    ${F_NAMES[i]} = ${hex64(v)} (${describeFloat(v)})`);
  });
  if (c.fcsr) out.push(`    fcsr = 0x${c.fcsr.toString(16)} (frm ${c.fcsr >> 5}, fflags 0x${(c.fcsr & 31).toString(16)})`);
  c.scratch.forEach((q, i) => {
    if (q !== 0n) out.push(`    mem[base+${8 * i}] = ${hex64(q)}`);
  });
  out.push('  code:', ...caseAssembly(c));
  return out.join('\n');
}

export function formatOutcome(o: CaseOutcome): string {
  const head = o.kind === 'same' ? 'IDENTICAL' : o.kind === 'invalid' ? 'INVALID CASE' : 'MISMATCH';
  const out = [`${head}: ${o.c.name}${o.note ? ` (${o.note})` : ''}`, formatCase(o.c)];
  if (o.diffs.length) {
    out.push('  differences (qemu-riscv64 | zerosys):');
    for (const d of o.diffs) out.push(`    ${d.where.padEnd(14)} ${d.qemu} | ${d.zerosys}`);
  }
  return out.join('\n');
}
