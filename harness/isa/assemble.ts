// Turns a batch of cases into one guest program: assembly text for GNU as, then a tiny
// static ELF (no libc) linked by GNU ld. Per case: a prologue loads f0..f31, fcsr and
// x1..x31 from the case's input table, the sequence runs, an epilogue stores x1..x31,
// f0..f31 and fcsr after the case's scratch memory. The program ends with one write(2) of
// all regions to stdout and exit(0).

import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath } from '../qemu.ts';
import { DUMP_F, DUMP_FCSR, DUMP_X, REGION_BYTES, SCRATCH, X_NAMES, F_NAMES, hex64, type Block, type IsaCase } from './case.ts';

export const AS = 'riscv64-linux-gnu-as';
export const LD = 'riscv64-linux-gnu-ld';

/** Why the ISA tests cannot run here, or '' when binutils and qemu-riscv64 are present. */
export function binutilsMissing(): string {
  const missing = [AS, LD].filter((t) => !findOnPath(t));
  return missing.length ? `${missing.join(', ')} not found on PATH (apt-get install binutils-riscv64-linux-gnu)` : '';
}

// Input table per case: f0..f31, fcsr, x1..x31.
const IN_FCSR = 32 * 8;
const IN_X = IN_FCSR + 8;

const xr = (i: number) => X_NAMES[i];

/** A register other than the base, used while the prologue/epilogue move fcsr. */
function temp(c: IsaCase): string {
  return xr(c.base === 5 ? 6 : 5);
}

/** Byte offset of every label in a case's sequence (sizes are exact: no relaxation, norvc). */
function labelOffsets(c: IsaCase): Map<number, number> {
  const at = new Map<number, number>();
  let off = 0;
  for (const it of c.items) {
    if (it.kind === 'label') at.set(it.id, off);
    else for (const i of it.insns) off += i.bytes;
  }
  return at;
}

function emitBlock(b: Block, off: number, labels: Map<number, number>, labelName: (id: number) => string, out: string[]): number {
  const starts: number[] = [];
  let o = off;
  for (const i of b.insns) {
    starts.push(o);
    o += i.bytes;
  }
  b.insns.forEach((i, k) => {
    let text = i.asm;
    if (i.target !== undefined) {
      text = text.replace('%T', labelName(i.target));
      if (text.includes('%K')) {
        const to = labels.get(i.target);
        if (to === undefined) throw new Error(`label ${i.target} missing`);
        text = text.replace('%K', String(to - starts[i.anchor ?? k] + (i.kExtra ?? 0)));
      }
    }
    if (i.bytes === 2) out.push('.option push', '.option rvc', `\t${text}`, '.option pop');
    else out.push(`\t${text}`);
  });
  return o;
}

/** Assembly for the code of case number n, run `repeat` times in a row. */
function emitCase(c: IsaCase, n: number, repeat: number, out: string[]): void {
  const R = xr(c.base);
  const t = temp(c);
  out.push(`# case ${n}: ${c.name.replace(/\n/g, ' ')}`);
  if (repeat > 1) out.push('\tlla t0, loop_count', `\tli t1, ${repeat}`, '\tsd t1, 0(t0)');
  out.push(`case_${n}:`);
  out.push(`\tlla ${R}, inputs_${n}`);
  // Drop any LR reservation left by an earlier case (the inputs are never reserved).
  out.push(`\tsc.d zero, zero, (${R})`);
  out.push(`\tld ${t}, ${IN_FCSR}(${R})`, `\tfscsr ${t}`);
  for (let f = 0; f < 32; f++) out.push(`\tfld ${F_NAMES[f]}, ${8 * f}(${R})`);
  for (let x = 1; x < 32; x++) if (x !== c.base) out.push(`\tld ${xr(x)}, ${IN_X + 8 * (x - 1)}(${R})`);
  out.push(`\tlla ${R}, region_${n}`);
  const labels = labelOffsets(c);
  const name = (id: number) => `.Lc${n}_${id}`;
  let off = 0;
  for (const it of c.items) {
    if (it.kind === 'label') out.push(`${name(it.id)}:`);
    else off = emitBlock(it, off, labels, name, out);
  }
  for (let x = 1; x < 32; x++) out.push(`\tsd ${xr(x)}, ${DUMP_X + 8 * (x - 1)}(${R})`);
  for (let f = 0; f < 32; f++) out.push(`\tfsd ${F_NAMES[f]}, ${DUMP_F + 8 * f}(${R})`);
  out.push(`\tfrcsr ${t}`, `\tsd ${t}, ${DUMP_FCSR}(${R})`);
  if (repeat > 1) {
    out.push('\tlla t0, loop_count', '\tld t1, 0(t0)', '\taddi t1, t1, -1', '\tsd t1, 0(t0)');
    out.push(`\tbeqz t1, case_${n}_done`, `\tlla t0, case_${n}`, '\tjr t0', `case_${n}_done:`);
  }
}

function emitData(c: IsaCase, n: number, out: string[]): void {
  out.push(`region_${n}:`);
  for (const q of c.scratch) out.push(`\t.quad ${hex64(q)}`);
  out.push(`\t.zero ${REGION_BYTES - SCRATCH}`);
}

function emitInputs(c: IsaCase, n: number, out: string[]): void {
  out.push(`inputs_${n}:`);
  for (const f of c.f) out.push(`\t.quad ${hex64(f)}`);
  out.push(`\t.quad ${c.fcsr}`);
  for (let x = 1; x < 32; x++) {
    const v = c.x[x];
    out.push(typeof v === 'bigint' ? `\t.quad ${hex64(v)}` : `\t.quad region_${n} + ${v.rel}`);
  }
}

/**
 * The whole program's assembly text. With repeat > 1 each case runs that many times in a
 * row (each pass reloads every register; its scratch carries over), so an emulator that
 * compiles hot code is compared on its compiled code too; the dump is the last pass's.
 */
export function programSource(cases: IsaCase[], repeat = 1): string {
  const rwx = cases.some((c) => c.mode === 'rwx');
  const out: string[] = [
    '.option norvc',
    '.option norelax',
    rwx ? '.section .smc, "awx", @progbits' : '.text',
    '.globl _start',
    '_start:',
  ];
  cases.forEach((c, n) => emitCase(c, n, repeat, out));
  out.push(
    '\tlla a1, regions',
    `\tli a2, ${cases.length * REGION_BYTES}`,
    '\tli a0, 1',
    '\tli a7, 64',
    '\tecall',
    '\tli a0, 0',
    '\tli a7, 93',
    '\tecall',
    '.data',
    '.balign 16',
  );
  // A page-crossing case: its scratch straddles a page boundary at base+128.
  if (cases.some((c) => c.mode === 'pagecross')) out.push('.balign 4096', `.zero ${4096 - 128}`);
  out.push('regions:');
  cases.forEach((c, n) => emitData(c, n, out));
  out.push('.balign 16');
  cases.forEach((c, n) => emitInputs(c, n, out));
  out.push('loop_count:', '\t.quad 0');
  return out.join('\n') + '\n';
}

export class AssemblyError extends Error {}

/** Assemble and link the cases into a static ELF in a fresh temporary directory. */
export async function buildProgram(cases: IsaCase[], repeat = 1): Promise<{ elf: string; dir: string; source: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'zerosys-isa-'));
  const source = programSource(cases, repeat);
  const s = join(dir, 'isa.s');
  const o = join(dir, 'isa.o');
  const elf = join(dir, 'isa.elf');
  await writeFile(s, source);
  const as = await execa(AS, ['-march=rv64gc', '-mno-relax', '-o', o, s], { reject: false });
  if (as.exitCode !== 0) {
    await rm(dir, { recursive: true, force: true });
    throw new AssemblyError(`${AS} failed:\n${as.stderr}\n--- source (first error context) ---\n${errorContext(source, as.stderr)}`);
  }
  const ld = await execa(LD, ['-static', '--no-relax', '--no-warn-rwx-segments', '-e', '_start', '-o', elf, o], { reject: false });
  if (ld.exitCode !== 0) {
    await rm(dir, { recursive: true, force: true });
    throw new AssemblyError(`${LD} failed:\n${ld.stderr}`);
  }
  return { elf, dir, source, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

function errorContext(source: string, stderr: string): string {
  const m = /:(\d+): Error/.exec(stderr);
  if (!m) return '';
  const line = Number(m[1]);
  return source
    .split('\n')
    .slice(Math.max(0, line - 6), line + 2)
    .join('\n');
}
