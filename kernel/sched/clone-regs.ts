// What copy_thread() and the clone tail give a new task, thread or process alike: the
// caller's registers, a0 = 0 and pc after the ecall, sp = newsp when non-zero, tp = tls with
// CLONE_SETTLS; and the tid stores whose faults Linux ignores (CLONE_PARENT_SETTID,
// CLONE_CHILD_SETTID).

import type { SyscallContext } from '../context.ts';
import { MemoryFault, type Memory } from '../../emulator/memory.ts';
import { A0, SP, TP } from '../../emulator/cpu/registers.ts';
import { CLONE_SETTLS } from '../abi.ts';
import type { SavedRegs } from './regs.ts';

/** The child's registers from the caller's clone(flags, newsp, parent_tid, tls, child_tid). */
export function childRegisters(k: SyscallContext, r: SavedRegs, flags: number): void {
  r.save(k.cpu);
  r.pc = k.pc + 4;
  r.setNum(A0, 0);
  if (k.big(1) !== 0n) copyArg(k, r, SP, 1);
  if (flags & CLONE_SETTLS) copyArg(k, r, TP, 3);
}

/** Register `reg` from argument i, all 64 bits (both halves). */
function copyArg(k: SyscallContext, r: SavedRegs, reg: number, i: number): void {
  r.x[2 * reg] = k.cpu.x[2 * (A0 + i)];
  r.x[2 * reg + 1] = k.cpu.x[2 * (A0 + i) + 1];
}

/** A tid written to the guest; a bad pointer is the caller's problem, not an error of clone. */
export function storeTid(mem: Memory, addr: number, tid: number): void {
  try {
    mem.st32(addr, tid);
  } catch (e) {
    if (!(e instanceof MemoryFault)) throw e;
  }
}
