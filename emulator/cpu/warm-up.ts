// Type feedback for the run loop before the guest starts. The generated switch has a case per
// op; V8 optimises it once it is hot, and the first later visit to a case it never saw
// ("insufficient type feedback") throws the optimised code away, and it is rebuilt — a large
// guest such as a Go test binary meets new instruction kinds for a long time, and each
// rebuild of the whole switch costs tens of milliseconds (measured: 9 re-optimisations of the
// run loop in a 12 M-instruction Go test). So every op runs a few times on a scratch hart
// first, with operands of each shape (small, negative, large), interpreted and compiled.
// Guests cannot tell: the scratch hart shares nothing with them.

import { OPS } from '../decode/opcodes.ts';
import { Memory, MemoryFault, PROT_EXEC, PROT_READ, PROT_WRITE } from '../memory.ts';
import { CpuState } from './state.ts';
import { IllegalInstruction, MisalignedAtomic } from './traps.ts';

const CODE = 0x10000;
const JALR = OPS.findIndex((o) => o.name === 'jalr');
const DATA = 0x40000;

/** B- and J-type immediates for a hop to the next instruction (+4), taken or not. */
const B_NEXT = 4 << 7; // imm[4:1] = 0b0010 sits in bits 11:8
const J_NEXT = 2 << 21; // imm[10:1] = 2

/**
 * One word per op: rd x5 (or f5), rs1 x6 (a data pointer), rs2 x7, rs3 f8; CSR fflags; jalr
 * through x9, which holds the address of the next word.
 */
export function program(): Uint32Array {
  const words: number[] = [];
  for (const op of OPS) {
    let w = op.match | (5 << 7) | ((op.name === 'jalr' ? 9 : 6) << 15) | (7 << 20);
    if (op.fmt === 'R4') w |= 8 << 27;
    if (op.fmt === 'B') w = (w & ~0xf80) | B_NEXT;
    if (op.fmt === 'J') w = (w & 0xfff) | J_NEXT;
    if (op.fmt === 'I' || op.fmt === 'S' || op.fmt === 'U') w &= ~0xfff00000 | (op.mask & 0xfff00000);
    if (op.fmt === 'CSR' || op.fmt === 'CSRI') w = (w & 0xfffff) | (0x001 << 20);
    if (op.fmt === 'S') w &= ~0xf80; // store offset 0
    words.push((w & ~op.mask) | op.match);
  }
  return new Uint32Array(words);
}

interface Runnable {
  jit: boolean;
  run(budget: number): number;
}

/** Run every op on a scratch hart made by `make`, interpreted and then compiled. */
export function warmUp(make: (s: CpuState, m: Memory) => Runnable, hot: number): void {
  const code = new Uint8Array(program().buffer);
  const shapes = [
    [3, 0x7f, 1],
    [-2, -0x80000000, -1],
    [0x7fffffff, 0x12345678, 0x40000000],
  ];
  for (const jit of [false, true]) {
    const s = new CpuState();
    const m = new Memory();
    m.map(CODE, 0x4000, PROT_READ | PROT_EXEC);
    m.writeUnchecked(CODE, code);
    m.map(DATA, 0x2000, PROT_READ | PROT_WRITE);
    const hart = make(s, m);
    hart.jit = jit;
    // Enough passes for the blocks to be compiled (HOT entries) and then run.
    for (let pass = 0; pass < (jit ? hot + 8 : 3); pass++) {
      const [a, b, c] = shapes[pass % shapes.length];
      s.x.fill(0);
      s.setNum(6, DATA + 0x100);
      s.setNum(9, CODE + 4 * (JALR + 1));
      s.setNum(7, a);
      s.setNum(5, b);
      for (let r = 0; r < 32; r++) s.f64[r] = c * (r + 0.5);
      s.pc = CODE;
      for (let steps = 0; steps < 4 * OPS.length && s.pc >= CODE && s.pc < CODE + code.length; steps++) {
        try {
          hart.run(4 * OPS.length); // returns at an ecall or ebreak: step over it
          if (s.pc < CODE || s.pc >= CODE + code.length) break;
          s.pc += 4;
        } catch (e) {
          if (!(e instanceof IllegalInstruction || e instanceof MemoryFault || e instanceof MisalignedAtomic)) throw e;
          if (s.pc < CODE || s.pc >= CODE + code.length) break; // jalr into data
          s.pc += 4;
        }
        s.setNum(6, DATA + 0x100); // a jalr or load may have overwritten the pointer
      }
    }
  }
}
