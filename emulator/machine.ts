// A machine: one hart's registers, its memory, and the engine that runs guest code on them.
// It knows nothing of the kernel: kernel/boot.ts puts a program in it and kernel/run.ts
// drives the engine, turning its stops into syscalls and signals.

import type { CpuState } from './cpu/state.ts';
import type { Memory } from './memory.ts';
import type { Engine, EngineOptions } from './engine.ts';
import { createEngine, DEFAULT_ENGINE, type EngineName } from './engines.ts';
import { createHart, type Hart } from './hart.ts';
import { DEFAULT_ISA, type IsaName } from './isa.ts';

export interface MachineOptions extends EngineOptions {
  /** Which engine runs guest code (default 'js'). */
  engine?: EngineName;
}

export class Machine implements Hart {
  readonly cpu: CpuState;
  readonly mem: Memory;
  readonly engine: Engine;
  /** The ISA profile its engine decodes (AT_HWCAP says the same to the guest: kernel/boot.ts). */
  readonly isa: IsaName;

  constructor(opts: MachineOptions = {}) {
    const { cpu, mem } = createHart();
    this.cpu = cpu;
    this.mem = mem;
    this.isa = opts.isa ?? DEFAULT_ISA;
    this.engine = createEngine(opts.engine ?? DEFAULT_ENGINE, cpu, mem, { jit: opts.jit, hot: opts.hot, isa: this.isa });
  }

  /** Give the guest memory back for reuse; the machine must not be used afterwards. */
  dispose(): void {
    this.mem.dispose();
  }
}
