// Region discovery: from a hot block start, the warm blocks (ones the interpreter ran) that
// branches, jumps, calls, returns and fall-through reach, in any page. A region becomes one
// wasm function (codegen.ts) whose dispatcher moves between its blocks without returning to
// the run loop, so a loop with branches and calls inside it stays in compiled code (as v86
// does for x86 pages). Cold blocks stay out: following every path made regions three times
// larger and slower to compile than the transfers they saved. An indirect jalr (a call through
// a function pointer or an interface, a jump table) is followed to the target the interpreter
// saw it take last, behind a run-time check: Go's sort test spent two thirds of its region
// transfers on interface calls and their returns (12.3M -> 3.9M transfers).
//
// A block already compiled into another region is not copied into a new one: the new region
// ends there and the dispatcher carries on in the old one. Copies made regions overlap
// (a big function cut by the block limit was compiled again from every exit), and V8's
// optimising compiler, not the transfers between regions, was the larger cost: binary-trees
// compiled 7,680 guest instructions for about 1,500 distinct ones; without copies 2,035,
// and its run took 0.82 s instead of 1.09 s although regions transfer 19.7M times, not 11.7M.

import type { DecodeCache, DecodedPage } from '../cpu/decode-cache.ts';
import { readStraightLine, type Insn } from '../cpu/block-compiler.ts';
import { PAGE_SIZE } from '../memory.ts';
import type { TargetMemo } from '../cpu/jalr-targets.ts';

export type { Insn };

export interface RegionBlock {
  pc: number;
  /** The decoded page the block starts in. */
  dp: DecodedPage;
  insns: Insn[];
  /** pc after the last instruction (the fall-through of a branch, or where a cut block goes on). */
  nextPc: number;
  /**
   * A block ending in an indirect jalr (not a return): where the interpreter saw it go last.
   * The region follows it there; the code checks at run time that the target is the same.
   */
  target?: number;
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
export function readBlockAt(cache: DecodeCache, dp: DecodedPage, startPc: number): RegionBlock | undefined {
  const { insns, endPc } = readStraightLine(cache, dp, startPc);
  return insns.length === 0 ? undefined : { pc: startPc, dp, insns, nextPc: endPc };
}

/** The block with the last target its indirect jalr took, if it ends in one that ran. */
function withTarget(b: RegionBlock | undefined, targets: TargetMemo | undefined): RegionBlock | undefined {
  const last = b?.insns[b.insns.length - 1];
  if (!b || !targets || last!.o.name !== 'jalr' || isReturn(last!)) return b;
  const target = targets.get(last!.pc);
  return target === undefined ? b : { ...b, target };
}

/** x1 (ra) as a decoded register operand (x[2r], x0 being the sink 64). */
const RA = 2;

/** Whether a block's last instruction is a call (jal or jalr linking a register): its next pc is a return site. */
function endsInCall(b: RegionBlock): boolean {
  const last = b.insns[b.insns.length - 1];
  return (last.o.name === 'jal' || last.o.name === 'jalr') && last.rd !== 64;
}

/** Whether a jalr is a return (`jalr x0, 0(ra)`): its targets are the region's return sites. */
export function isReturn(i: Insn): boolean {
  return i.o.name === 'jalr' && i.rd === 64 && i.rs1 === RA && i.imm === 0;
}

/**
 * Successors of a block: branch targets and fall-through, jump and call targets, the return
 * site after a call, and the last target of an indirect jalr (calls through a function
 * pointer or an interface, switch tables), which the code checks before going there.
 */
function successors(b: RegionBlock): number[] {
  const last = b.insns[b.insns.length - 1];
  if (BRANCHES.has(last.o.name)) return [last.pc + last.imm, b.nextPc];
  if (last.o.name === 'jal') return endsInCall(b) ? [last.pc + last.imm, b.nextPc] : [last.pc + last.imm];
  if (last.o.name === 'jalr') {
    const out = b.target !== undefined ? [b.target] : [];
    return endsInCall(b) ? [...out, b.nextPc] : out;
  }
  return [b.nextPc];
}

/** Farthest a region reaches from its entry (a jal's range: pc offsets stay small i32s). */
export const REGION_REACH = 1 << 20;

/** Whether a block is where a call inside the region returns to (jalr may land there). */
export function isReturnSite(region: Region, b: RegionBlock): boolean {
  return region.blocks.some((c) => endsInCall(c) && c.nextPc === b.pc);
}

/**
 * The region entered at entryPc: the blocks its successors reach that the interpreter has
 * executed at least `warm` times (its hit counts), in this page or, through calls, jumps and
 * returns, in others. Cold paths (error handling, the rest of a big function) stay out, so
 * a region holds what runs and compiles fast, and a hot call chain becomes one region.
 */
export function discoverRegion(cache: DecodeCache, dp: DecodedPage, entryPc: number, warm = 1, targets?: TargetMemo): Region | undefined {
  const readBlock = (d: DecodedPage, pc: number) => withTarget(readBlockAt(cache, d, pc), targets);
  const first = readBlock(dp, entryPc);
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
      // Never (or seldom) run, or already compiled in another region (which the dispatcher
      // enters from here): leave it out.
      if (tdp.hits[slot] < warm || tdp.entryFn[slot] !== 0) continue;
      const b = readBlock(tdp, t);
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
