// A thread's user registers while it is switched out. The machine has one CpuState; a thread
// switch copies the integer and float registers, pc and fcsr out of it and the next thread's
// in. The LR/SC reservation is dropped on every switch, as a context switch does on hardware
// (an SC after a switch fails, which LR/SC loops retry).

import type { CpuState } from '../../emulator/cpu/state.ts';

export class SavedRegs {
  readonly x = new Int32Array(2 * 33);
  readonly fi = new Int32Array(64);
  pc = 0;
  fflags = 0;
  frm = 0;

  save(cpu: CpuState): void {
    this.x.set(cpu.x);
    this.fi.set(cpu.fi);
    this.pc = cpu.pc;
    this.fflags = cpu.fflags;
    this.frm = cpu.frm;
  }

  load(cpu: CpuState): void {
    cpu.x.set(this.x);
    cpu.fi.set(this.fi);
    cpu.pc = this.pc;
    cpu.fflags = this.fflags;
    cpu.frm = this.frm;
    cpu.reservation = -1;
  }

  /** Integer register i from a JS integer (negative values sign-extended), as CpuState.setNum. */
  setNum(i: number, v: number): void {
    if (i === 0) return;
    this.x[2 * i] = v | 0;
    this.x[2 * i + 1] = Math.floor(v / 4294967296) | 0;
  }
}
