// Where a signal handler returns to. Linux points ra at __vdso_rt_sigreturn in the vDSO
// (`li a7, 139; ecall`); zerosys maps one read+exec page with the same two instructions,
// named [vdso], the first time a handler is entered (so programs that never catch a signal
// keep exactly the address-space layout they had). It sits in the mmap area just below the
// stack, where Linux puts the vDSO. Because the code is real, unwinders that recognise the
// sigreturn sequence (libgcc's riscv linux-unwind.h) work through signal frames.

import { PAGE_SIZE, PROT_EXEC, PROT_READ, USER_TOP, type Memory } from '../../emulator/memory.ts';
import type { SignalState } from './signal-state.ts';

const LI_A7_139 = 0x08b00893; // addi a7, zero, 139 (__NR_rt_sigreturn)
const ECALL = 0x00000073;

/** The trampoline address, mapping its page first if needed; 0 if no room is left. */
export function sigreturnTrampoline(mem: Memory, signals: SignalState): number {
  if (signals.trampoline && mem.findVma(signals.trampoline)?.name === '[vdso]') return signals.trampoline;
  const stack = mem.listVmas().find((v) => v.name === '[stack]');
  const addr = mem.findFreeTopDown(PAGE_SIZE, stack ? stack.start : USER_TOP);
  if (addr < 0) return 0;
  mem.map(addr, PAGE_SIZE, PROT_READ | PROT_EXEC, '[vdso]');
  mem.writeUnchecked(addr, new Uint8Array(new Uint32Array([LI_A7_139, ECALL]).buffer));
  signals.trampoline = addr;
  return addr;
}
