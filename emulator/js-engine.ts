// The interpreter as an engine (cpu/interpreter.ts), under either tier: 'js' (hot blocks
// compiled to JavaScript functions) or 'wasm' (hot regions compiled to WebAssembly, wasm/).
// The interpreter reports traps by throwing; here they become stop reasons.

import type { CpuState } from './cpu/state.ts';
import type { Memory } from './memory.ts';
import { Interpreter, STOP_EBREAK, STOP_ECALL, type Tier } from './cpu/interpreter.ts';
import { BUDGET, EBREAK, ECALL, stopForError, type Engine, type EngineOptions, type JitStats, type StopReason } from './engine.ts';

export class JsEngine implements Engine {
  readonly name: string;
  private readonly interp: Interpreter;

  constructor(cpu: CpuState, mem: Memory, opts: EngineOptions = {}, tier: Tier = 'js') {
    this.name = tier;
    this.interp = new Interpreter(cpu, mem, tier, opts.isa);
    this.interp.jit = opts.jit ?? true;
    if (opts.hot !== undefined) this.interp.hot = opts.hot;
  }

  get jitStats(): Readonly<JitStats> {
    const w = this.interp.wasm;
    return w ? { blocks: w.stats.regions, insns: w.stats.insns, ms: w.stats.ms } : this.interp.jitStats;
  }

  run(budget: number): StopReason {
    let code: number;
    try {
      code = this.interp.run(budget);
    } catch (e) {
      // The interpreter has already left pc and instret at the trapping instruction.
      const why = stopForError(e);
      if (why) return why;
      throw e;
    }
    return code === STOP_ECALL ? ECALL : code === STOP_EBREAK ? EBREAK : BUDGET;
  }
}
