// The wasm engine's run loop: the wasm interpreter (interpreter.ts) runs guest code and
// enters compiled regions; whatever it hands back — a page or an instruction not decoded
// yet, a block start that became hot, an instruction it leaves to JavaScript, a trap —
// is done here, the interpreter's way, and it goes on. Traps leave pc and the retired count
// at the faulting instruction, exactly as the JavaScript run loop does.

import { OP_BY_NAME } from '../decode/opcodes.ts';
import { handlerFor } from '../cpu/handlers.ts';
import { BLOCK_END } from '../cpu/block-compiler.ts';
import type { DecodeCache } from '../cpu/decode-cache.ts';
import type { Helpers } from '../cpu/interpreter.ts';
import type { CpuState } from '../cpu/state.ts';
import type { FpuOp } from '../fpu/index.ts';
import { PAGE_SIZE, type Memory } from '../memory.ts';
import { STATE_BLOCK_START, STATE_HOT, STATE_NPC, STATE_STEP, STATE_WHY } from '../layout.ts';
import type { WasmCompiler } from './compiler.ts';
import { interpreterModule, WHY, type InterpretFn } from './interpreter.ts';

const ECALL = OP_BY_NAME.get('ecall')!.id;
const EBREAK = OP_BY_NAME.get('ebreak')!.id;
const FENCE_I = OP_BY_NAME.get('fence.i')!.id;
/** Instructions decoded in straight line after one the interpreter stopped for (DecodeCache.decodeAhead). */
const DECODE_AHEAD = 64;

/** Interpreter.run's stop codes (cpu/interpreter.ts). */
export interface StopCodes {
  budget: number;
  ecall: number;
  ebreak: number;
}

export class WasmTier0 {
  /** Instructions run in JavaScript: all of them, and those a region left at (side exits). */
  readonly stats = { steps: 0, sideSteps: 0 };
  private readonly interpret: InterpretFn;
  private readonly npc: Float64Array;
  private readonly words: Int32Array;

  constructor(
    private readonly s: CpuState,
    private readonly m: Memory,
    private readonly cache: DecodeCache,
    private readonly H: Helpers,
    private readonly F: FpuOp[],
    private readonly compiler: WasmCompiler,
    private readonly stop: StopCodes,
  ) {
    const instance = new WebAssembly.Instance(interpreterModule(), { m: { mem: m.wasm, table: compiler.regionTable } });
    this.interpret = instance.exports.interpret as InterpretFn;
    this.npc = new Float64Array(m.buffer, STATE_NPC, 1);
    this.words = new Int32Array(m.buffer, 0, STATE_HOT / 4 + 1);
  }

  /** Execute up to budget instructions; returns a stop code, throws on traps (pc and instret at the trap). */
  run(budget: number): number {
    const { s, m, cache, H, F, npc, words, stop } = this;
    const base = s.instret;
    this.compiler.retiredBefore = base;
    words[STATE_HOT / 4] = H.jit ? H.hot : 0;
    npc[0] = s.pc;
    let n = 0;
    let blockStart = 1;
    let pc = s.pc;
    try {
      for (;;) {
        n = this.interpret(budget, n, blockStart);
        pc = npc[0];
        blockStart = words[STATE_BLOCK_START / 4];
        switch (words[STATE_WHY / 4]) {
          case WHY.BUDGET:
            s.pc = pc;
            s.instret = base + n;
            return stop.budget;
          case WHY.PAGE:
            cache.pageForWasm(pc); // faults (fetch) here when there is no code
            break;
          case WHY.DECODE: {
            const dp = cache.page(pc);
            cache.fill(dp, (pc - dp.base) >> 1, pc); // raises an illegal instruction here
            cache.decodeAhead(dp, pc, BLOCK_END, DECODE_AHEAD);
            blockStart = 0; // its block start was counted already
            break;
          }
          case WHY.HOT: {
            const dp = cache.page(pc);
            H.compile(dp, (pc - dp.base) >> 1, pc);
            blockStart = 1;
            break;
          }
          case WHY.TRAP: {
            const t = this.compiler.takeTrap();
            pc = t.pc;
            n = t.done;
            throw t.error;
          }
          case WHY.SIDE:
          case WHY.STEP: {
            if (words[STATE_WHY / 4] === WHY.SIDE) {
              // A region left before a load or store it does not do itself: that one, if it fits.
              words[STATE_STEP / 4] = 0;
              if (n >= budget) {
                s.pc = pc;
                s.instret = base + n;
                return stop.budget;
              }
              this.stats.sideSteps++;
            }
            this.stats.steps++;
            const dp = cache.page(pc);
            const slot = (pc - dp.base) >> 1;
            const op = dp.op[slot];
            if (op === ECALL || op === EBREAK) {
              s.pc = pc;
              s.instret = base + n;
              return op === ECALL ? stop.ecall : stop.ebreak;
            }
            const len = dp.len[slot];
            if (op === FENCE_I) {
              H.fenceI();
              s.pc = pc + len;
              s.instret = base + n + 1;
              return stop.budget;
            }
            const next = handlerFor(op)(s, s.x, s.fi, m, H, F, dp.rd[slot], dp.rs1[slot], dp.rs2[slot], dp.rs3[slot], dp.imm[slot], pc, len, base, n);
            n++;
            blockStart = BLOCK_END[op] | (Math.floor(next / PAGE_SIZE) !== Math.floor(pc / PAGE_SIZE) ? 1 : 0);
            pc = next;
            npc[0] = pc;
            break;
          }
          default:
            throw new Error(`wasm interpreter: unknown stop ${words[STATE_WHY / 4]}`);
        }
      }
    } catch (e) {
      // The instruction at pc trapped, n instructions after the start.
      s.pc = pc;
      s.instret = base + n;
      throw e;
    }
  }
}
