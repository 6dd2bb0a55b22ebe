// Region discovery: from a hot block start, the blocks of the same code page that direct
// branches, jumps and fall-through reach. A region becomes one wasm function (codegen.ts)
// whose dispatcher moves between its blocks without returning to the run loop, so a loop
// with branches inside it stays in compiled code (as v86 does for x86 pages). Measured:
// following calls into other pages made regions three times larger (cold paths) and slower
// to compile than the calls they saved; the compiler still tracks regions by every page
// they were built from.

import type { DecodeCache, DecodedPage } from '../cpu/decode-cache.ts';
import { readStraightLine, type Insn } from '../cpu/block-compiler.ts';
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

// Blocks are read as the JavaScript block compiler reads them (readStraightLine): they stop
// before the ops that leave the run loop (ecall, ebreak, fence.i); every other op is compiled,
// natively or as a call to its interpreter fragment (codegen.ts).

export const BRANCHES = new Set(['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu']);
export const MAX_REGION_BLOCKS = 48;
export const MAX_REGION_INSNS = 1200;

/** The block starting at pc, or undefined if its first instruction is not compiled. */
export function readBlock(cache: DecodeCache, dp: DecodedPage, startPc: number): RegionBlock | undefined {
  const { insns, endPc } = readStraightLine(cache, dp, startPc);
  return insns.length === 0 ? undefined : { pc: startPc, dp, insns, nextPc: endPc };
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
