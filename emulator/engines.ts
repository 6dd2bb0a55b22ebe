// Engines by name (--engine): each entry builds an engine over a hart's state and memory.
// Every engine passes the same tests and gives the same results; they differ in speed only.

import type { CpuState } from './cpu/state.ts';
import type { Memory } from './memory.ts';
import type { Engine, EngineOptions } from './engine.ts';
import { JsEngine } from './js-engine.ts';

export type EngineFactory = (cpu: CpuState, mem: Memory, opts: EngineOptions) => Engine;

const ENGINES = {
  js: (cpu, mem, opts) => new JsEngine(cpu, mem, opts),
  // The same interpreter as tier 0; hot code compiled to WebAssembly regions (emulator/wasm/).
  wasm: (cpu, mem, opts) => new JsEngine(cpu, mem, opts, 'wasm'),
} satisfies Record<string, EngineFactory>;

export type EngineName = keyof typeof ENGINES;

export const DEFAULT_ENGINE: EngineName = 'wasm';

/** Every engine name, for option parsers and tests that run each engine. */
export const ENGINE_NAMES = Object.keys(ENGINES) as EngineName[];

export function isEngineName(name: string): name is EngineName {
  return Object.hasOwn(ENGINES, name);
}

export function createEngine(name: EngineName, cpu: CpuState, mem: Memory, opts: EngineOptions = {}): Engine {
  if (!isEngineName(name)) throw new RangeError(`unknown engine '${String(name)}' (expected ${ENGINE_NAMES.join(', ')})`);
  return ENGINES[name](cpu, mem, opts);
}
