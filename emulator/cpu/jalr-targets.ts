// Where each indirect jalr went last, by the jalr's pc: a region follows an indirect call or
// jump to that target behind a run-time check (wasm/region.ts). A direct-mapped table in the
// guest's wasm memory (layout.ts JALR_TARGETS), written by the JavaScript jalr handler and by
// the wasm interpreter alike; a collision forgets the older jalr (speed only).

import { JALR_TARGET_ENTRIES, JALR_TARGETS } from '../layout.ts';

export interface TargetMemo {
  get(pc: number): number | undefined;
  set(pc: number, target: number): void;
}

const TWO32 = 4294967296;

export class JalrTargets implements TargetMemo {
  /** [pc lo, pc hi, target lo, target hi] per entry; an odd pc tag is empty. */
  private readonly words: Int32Array;
  constructor(buffer: ArrayBuffer) {
    this.words = new Int32Array(buffer, JALR_TARGETS, JALR_TARGET_ENTRIES * 4);
    this.words.fill(1);
  }
  private index(pc: number): number {
    return 4 * (Math.floor(pc / 2) & (JALR_TARGET_ENTRIES - 1));
  }
  get(pc: number): number | undefined {
    const i = this.index(pc);
    const w = this.words;
    if (w[i] !== (pc % TWO32 | 0) || w[i + 1] !== Math.floor(pc / TWO32)) return undefined;
    return (w[i + 3] >>> 0) * TWO32 + (w[i + 2] >>> 0);
  }
  /** Every jalr noted, with its target (tests, debugging). */
  entries(): [number, number][] {
    const out: [number, number][] = [];
    const w = this.words;
    for (let i = 0; i < w.length; i += 4) {
      if ((w[i] & 1) === 0) out.push([(w[i + 1] >>> 0) * TWO32 + (w[i] >>> 0), (w[i + 3] >>> 0) * TWO32 + (w[i + 2] >>> 0)]);
    }
    return out;
  }
  set(pc: number, target: number): void {
    const i = this.index(pc);
    const w = this.words;
    w[i] = pc % TWO32 | 0;
    w[i + 1] = Math.floor(pc / TWO32);
    w[i + 2] = target % TWO32 | 0;
    w[i + 3] = Math.floor(target / TWO32);
  }
}
