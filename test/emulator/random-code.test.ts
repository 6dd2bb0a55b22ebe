// Hostile code: random instruction words (valid encodings with random operands, raw 32-bit
// noise and compressed parcels) run on the interpreter alone, with the JavaScript block
// compiler, and with the WebAssembly region compiler.
// Whatever the words are, a run ends only in a guest trap the machine turns into a signal
// (illegal instruction, memory fault, misaligned atomic) or a normal stop — never a host
// exception from the decoder, the generated code or the FPU — and both modes agree exactly:
// registers, FP state, pc, retired-instruction count, memory and the sequence of traps.
// The code page is entered repeatedly so blocks get compiled (HOT entries) mid-test.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NO_BLOCK } from '../../emulator/cpu/block-compiler.ts';
import { CpuState } from '../../emulator/cpu/state.ts';
import { Interpreter, STOP_BUDGET, STOP_EBREAK, STOP_ECALL, type Tier } from '../../emulator/cpu/interpreter.ts';
import { IllegalInstruction, MisalignedAtomic } from '../../emulator/cpu/traps.ts';
import { OPS } from '../../emulator/decode/opcodes.ts';
import { Memory, MemoryFault, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../emulator/memory.ts';

const SEED = Number(process.env.ZEROSYS_RANDOM_CODE_SEED ?? 20261124);
const RUNS = Number(process.env.ZEROSYS_RANDOM_CODE_RUNS ?? 300);
const CODE = 0x10000;
const DATA = 0x20000; // DATA_PAGES read-write pages, then a read-only one, then nothing
const DATA_PAGES = 4;
const HOT = 16; // a low compile threshold, so blocks are compiled early in each program
const ENTRIES = HOT + 6; // enough entries for the block at CODE to be compiled and then run
const STEPS = 200;

/** B-type immediate bits for a byte offset (even, within ±4 KiB). */
const bImm = (o: number) => (((o >> 12) & 1) << 31) | (((o >> 5) & 0x3f) << 25) | (((o >> 1) & 0xf) << 8) | (((o >> 11) & 1) << 7);
/** J-type immediate bits for a byte offset (even, within ±1 MiB). */
const jImm = (o: number) => (((o >> 20) & 1) << 31) | (((o >> 1) & 0x3ff) << 21) | (((o >> 11) & 1) << 20) | (((o >> 12) & 0xff) << 12);

const CSRS = [0x001, 0x002, 0x003, 0xc00, 0xc01, 0xc02];
const RMS = [0, 1, 2, 3, 4, 7];

/**
 * A word that decodes as some RV64GC instruction, operands random. Branch and jal targets
 * mostly stay near the code (loops included), so runs go on long enough to matter.
 */
const validWord = fc
  .tuple(fc.integer({ min: 0, max: OPS.length - 1 }), fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: -24, max: 48 }), fc.boolean())
  .map(([i, r, hop, near]) => {
    const op = OPS[i];
    let w = op.match | (r & ~op.mask);
    if (near && op.fmt === 'B') w = (w & 0x01fff07f) | bImm(hop * 2);
    if (near && op.fmt === 'J') w = (w & 0xfff) | jImm(hop * 2);
    // Mostly CSRs that exist and rounding modes that are not reserved (the rest trap).
    if (near && (op.fmt === 'CSR' || op.fmt === 'CSRI')) w = (w & 0xfffff) | (CSRS[(hop + 24) % CSRS.length] << 20);
    if (near && op.fpu && (op.mask & 0x7000) === 0) w = (w & ~0x7000) | (RMS[(hop + 24) % RMS.length] << 12);
    return w >>> 0;
  });
/** Two compressed parcels (low bits != 11) packed in one word. */
const compressedPair = fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff })).map(([a, b]) => {
  const lo = (a & 3) === 3 ? a & ~1 : a;
  return ((b << 16) | lo) >>> 0;
});
const word = fc.oneof({ weight: 12, arbitrary: validWord }, { weight: 3, arbitrary: compressedPair }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffffffff }) });

/** Register values biased to what reaches memory and the edges. */
const regValue = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(0n, 1n, -1n, 0x7fffffffn, -0x80000000n, 0x7fffffffffffffffn, -0x8000000000000000n, 0xffffffffn) },
  { weight: 5, arbitrary: fc.integer({ min: 0x800, max: DATA_PAGES * 0x1000 + 0x7f8 }).map((o) => BigInt(DATA + (o & ~7))) },
  { weight: 2, arbitrary: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }) },
);

interface Outcome {
  x: number[];
  f: number[];
  fcsr: number;
  pc: number;
  instret: number;
  /** FNV-1a of the data pages. */
  data: number;
  events: string[];
  /** Blocks the block compiler turned into functions (jit only). */
  compiled: number;
}

/** tier undefined: interpret only. */
function run(words: number[], regs: bigint[], fregs: bigint[], tier?: Tier): Outcome {
  const jit = tier !== undefined;
  const m = new Memory();
  const s = new CpuState(m.buffer);
  m.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
  const code = new Uint8Array(new Uint32Array(words).buffer);
  m.writeUnchecked(CODE, code);
  m.map(DATA, DATA_PAGES * 0x1000, PROT_READ | PROT_WRITE);
  m.map(DATA + DATA_PAGES * 0x1000, 0x1000, PROT_READ);
  for (let i = 1; i < 32; i++) s.setX(i, regs[i % regs.length]);
  for (let i = 0; i < 32; i++) s.setFBits(i, fregs[i % fregs.length]);
  const cpu = new Interpreter(s, m, tier);
  cpu.jit = jit;
  if (cpu.wasm) cpu.wasm.batch = 1; // each region compiled once hot, so the compiled code runs
  cpu.hot = HOT;
  const events: string[] = [];
  for (let entry = 0; entry < ENTRIES; entry++) {
    // Each entry runs up to STEPS instructions; a trap is handled the way a guest's signal
    // handler that skips the instruction would (pc += its length), so code after it runs too.
    s.pc = CODE;
    let left = STEPS;
    while (left > 0) {
      const before = s.instret;
      try {
        const stop = cpu.run(left);
        if (![STOP_BUDGET, STOP_ECALL, STOP_EBREAK].includes(stop)) throw new Error(`unknown stop code ${stop}`);
        events.push(`${entry}: stop ${stop} pc=0x${s.pc.toString(16)} instret=${s.instret}`);
        if (stop === STOP_BUDGET) break;
      } catch (e) {
        if (!(e instanceof IllegalInstruction || e instanceof MemoryFault || e instanceof MisalignedAtomic)) {
          throw new Error(`host exception (tier=${tier ?? 'none'}) on entry ${entry}: ${(e as Error).stack}`);
        }
        events.push(`${entry}: ${e.constructor.name} ${e.message} instret=${s.instret}`);
      }
      left -= s.instret - before + 1;
      const at = s.pc - CODE;
      if (at < 0 || at >= code.length) break; // jumped out of the code: nothing to skip to
      s.pc += (code[at] & 3) === 3 ? 4 : 2;
    }
  }
  const data = m.read(DATA, DATA_PAGES * 0x1000).reduce((h, b) => Math.imul(h ^ b, 16777619) >>> 0, 2166136261);
  // Compiled entries: JavaScript blocks (js), or region entries in the decoded page (wasm).
  const dp = cpu.cache.page(CODE);
  const compiled = cpu.wasm ? dp.entryFn.filter((e) => e > 0).length : dp.blocks.filter((b) => b !== undefined && b !== NO_BLOCK).length;
  const outcome = {
    x: Array.from({ length: 32 }, (_, i) => Number(s.getX(i) & 0xffffffffn) ^ Number(s.getX(i) >> 32n)),
    f: Array.from({ length: 32 }, (_, i) => Number(s.getFBits(i) % 1000000007n)),
    fcsr: s.fflags | (s.frm << 5),
    pc: s.pc,
    instret: s.instret,
    data,
    events,
    compiled,
  };
  m.dispose(); // hundreds of runs: reuse the wasm memory instead of a new 4 GiB one each
  return outcome;
}

const hex = (w: number) => '0x' + (w >>> 0).toString(16).padStart(8, '0');

describe('random code: no host exception, interpreter, JS block compiler and wasm regions agree', () => {
  it(`${RUNS} random programs of 4..48 words (seed ${SEED})`, () => {
    let traps = 0;
    let compiledRuns = 0;
    let wasmRuns = 0;
    let retired = 0;
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 4, maxLength: 48 }),
        fc.array(regValue, { minLength: 31, maxLength: 31 }),
        fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { minLength: 4, maxLength: 4 }),
        (words, regs, fregs) => {
          let a: Outcome;
          let b: Outcome;
          let w: Outcome;
          try {
            a = run(words, regs, fregs);
            b = run(words, regs, fregs, 'js');
            w = run(words, regs, fregs, 'wasm');
          } catch (e) {
            throw new Error(`${(e as Error).message}\nwords: ${words.map(hex).join(' ')}`);
          }
          traps += a.events.filter((e) => !e.includes('stop')).length;
          if (b.compiled > 0) compiledRuns++;
          if (w.compiled > 0) wasmRuns++;
          retired += b.instret;
          expect(a.compiled).toBe(0);
          expect({ ...b, compiled: 0 }, `js, words: ${words.map(hex).join(' ')}`).toEqual(a);
          expect({ ...w, compiled: 0 }, `wasm, words: ${words.map(hex).join(' ')}`).toEqual(a);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    // The generator must reach both outcomes, or the test would prove little.
    if (process.env.ZEROSYS_RANDOM_CODE_STATS) console.log({ traps, compiledRuns, wasmRuns, retired });
    expect(traps).toBeGreaterThan(RUNS);
    expect(compiledRuns).toBeGreaterThan(RUNS / 2);
    expect(wasmRuns).toBeGreaterThan(RUNS / 2);
  }, 30_000 + RUNS * 80); // long runs (ZEROSYS_RANDOM_CODE_RUNS) get time in proportion
});
