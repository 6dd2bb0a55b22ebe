// The program break (brk). Linux keeps the requested, unaligned value; the heap mapping
// '[heap]' covers [start, roundUp(current)).

export class ProgramBreak {
  current: number;
  constructor(readonly start: number) {
    this.current = start;
  }
}
