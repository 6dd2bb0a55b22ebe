// Region discovery: from a hot block start, the blocks of the same code page that direct
// branches, jumps and fall-through reach. A region becomes one wasm function (codegen.ts)
// whose dispatcher moves between its blocks without returning to the run loop, so a loop
// with branches inside it stays in compiled code (as v86 does for x86 pages). Measured:
// following calls into other pages made regions three times larger (cold paths) and slower
// to compile than the calls they saved; the compiler still tracks regions by every page
// they were built from.

import { OPS } from '../decode/opcodes.ts';
import type { DecodeCache, DecodedPage } from '../cpu/decode-cache.ts';
import type { Insn } from '../cpu/block-compiler.ts';
import { PAGE_SIZE } from '../memory.ts';

export type { Insn };

export interface RegionBlock {
  pc: number;
  /** The decoded page the block starts in. */
  dp: DecodedPage;
  insns: Insn[];
  /** pc after the last instruction (the fall-through of a branch, or where a cut block goes on). */
  nextPc: number;
}

export interface Region {
  /** Blocks; index 0 is the entry the region was compiled for. */
  blocks: RegionBlock[];
}

/**
 * Ops compiled code leaves to the interpreter (they end a block before them): the ones that
 * leave the run loop. Every other op is compiled, natively or as a call to its interpreter
 * fragment (codegen.ts).
 */
const NOT_COMPILED = new Set(['ecall', 'ebreak', 'fence.i']);

export const BRANCHES = new Set(['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu']);
const ENDS = new Set([...BRANCHES, 'jal', 'jalr']);

export const MAX_BLOCK_INSNS = 128;
export const MAX_REGION_BLOCKS = 48;
export const MAX_REGION_INSNS = 1200;

/** The block starting at pc, or undefined if its first instruction is not compiled. */
export function readBlock(cache: DecodeCache, dp: DecodedPage, startPc: number): RegionBlock | undefined {
  const insns: Insn[] = [];
  let pc = startPc;
  while (insns.length < MAX_BLOCK_INSNS) {
    const off = pc - dp.base;
    if (off < 0 || off >= PAGE_SIZE) break;
    const slot = off >> 1;
    let id = dp.op[slot];
    if (id === 0) {
      try {
        id = cache.fill(dp, slot, pc);
      } catch {
        break; // the interpreter raises the trap when (if) execution gets there
      }
    }
    const o = OPS[id - 1];
    if (NOT_COMPILED.has(o.name)) break;
    const len = dp.len[slot];
    insns.push({ o, pc, len, rd: dp.rd[slot], rs1: dp.rs1[slot], rs2: dp.rs2[slot], rs3: dp.rs3[slot], imm: dp.imm[slot] });
    pc += len;
    if (ENDS.has(o.name)) break;
    if (off + len > PAGE_SIZE) break; // straddles into the next page
  }
  return insns.length === 0 ? undefined : { pc: startPc, dp, insns, nextPc: pc };
}

/** Static successors of a block: branch targets and fall-through, jump and call targets, return sites after calls. */
function successors(b: RegionBlock): number[] {
  const last = b.insns[b.insns.length - 1];
  if (BRANCHES.has(last.o.name)) return [last.pc + last.imm, b.nextPc];
  if (last.o.name === 'jal') return last.rd === 64 ? [last.pc + last.imm] : [last.pc + last.imm, b.nextPc];
  if (last.o.name === 'jalr') return [];
  return [b.nextPc];
}

/** Farthest a region reaches from its entry (a jal's range: pc offsets stay small i32s). */
export const REGION_REACH = 1 << 20;

/** Whether a block is where a call inside the region returns to (jalr may land there). */
export function isReturnSite(region: Region, b: RegionBlock): boolean {
  return region.blocks.some((c) => {
    const last = c.insns[c.insns.length - 1];
    return last.o.name === 'jal' && last.rd !== 64 && c.nextPc === b.pc;
  });
}

/**
 * The region entered at entryPc: the blocks its successors reach that the interpreter has
 * executed at least `warm` times (its hit counts), in this page or, through calls, jumps and
 * returns, in others. Cold paths (error handling, the rest of a big function) stay out, so
 * a region holds what runs and compiles fast, and a hot call chain becomes one region.
 */
export function discoverRegion(cache: DecodeCache, dp: DecodedPage, entryPc: number, warm = 1): Region | undefined {
  const first = readBlock(cache, dp, entryPc);
  if (!first) return undefined;
  const blocks = [first];
  const seen = new Set([entryPc]);
  let insns = first.insns.length;
  for (let i = 0; i < blocks.length; i++) {
    for (const t of successors(blocks[i])) {
      if (seen.has(t) || blocks.length >= MAX_REGION_BLOCKS || Math.abs(t - entryPc) >= REGION_REACH) continue;
      seen.add(t);
      // A page without decoded code has never run: nothing there is warm.
      const tdp = t >= dp.base && t < dp.base + PAGE_SIZE ? dp : cache.peek(t);
      if (!tdp) continue;
      const slot = (t - tdp.base) >> 1;
      if (tdp.hits[slot] < warm && tdp.blocks[slot] === undefined) continue; // never (or seldom) run: leave it out
      const b = readBlock(cache, tdp, t);
      if (!b || insns + b.insns.length > MAX_REGION_INSNS) continue;
      insns += b.insns.length;
      blocks.push(b);
    }
  }
  return { blocks: layout(blocks) };
}

/**
 * Order blocks so that a block's fall-through successor follows it where possible (the
 * code generator then falls into it instead of going through the dispatcher); the entry
 * stays first.
 */
function layout(blocks: RegionBlock[]): RegionBlock[] {
  const byPc = new Map(blocks.map((b) => [b.pc, b]));
  const placed = new Set<RegionBlock>();
  const out: RegionBlock[] = [];
  for (const start of blocks) {
    for (let b: RegionBlock | undefined = start; b && !placed.has(b); b = byPc.get(b.nextPc)) {
      placed.add(b);
      out.push(b);
      const last = b.insns[b.insns.length - 1];
      if (last.o.name === 'jal' || last.o.name === 'jalr') break; // no fall-through
    }
  }
  return out;
}
