// The one place a hart's register state and its memory are made, so that how they are laid
// out (e.g. both in one buffer an engine shares) is decided here and nowhere else. Machine
// and the kernel's test fixtures get theirs from here.

import { CpuState } from './cpu/state.ts';
import { Memory } from './memory.ts';

export interface Hart {
  readonly cpu: CpuState;
  readonly mem: Memory;
}

export function createHart(): Hart {
  const mem = new Memory();
  const cpu = new CpuState(mem.buffer); // registers inside the guest's wasm memory (layout.ts)
  return { cpu, mem };
}
