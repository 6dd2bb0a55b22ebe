// rt_sigreturn(2) (arch/riscv/kernel/signal.c): the handler returned through the
// trampoline with sp at its rt_sigframe. Restores the signal mask, pc and x1..x31, the F/D
// registers and fcsr, and the sigaltstack settings; the syscall "returns" the restored a0
// and execution resumes at the restored pc (a restarted syscall's ecall included). A frame
// that cannot be read, or whose reserved FP words are not zero, gets SIGSEGV. Any pending
// restart_syscall continuation is dropped.

import { MemoryFault } from '../../emulator/memory.ts';
import type { SyscallContext } from '../context.ts';
import { accessOk } from '../user-memory.ts';
import { FRAME_SIZE, readFrame } from './frame.ts';
import { forceSignal, setBlocked } from './send.ts';
import { SigInfo } from './siginfo.ts';
import { SIGSEGV } from './signal-state.ts';
import { setAltStack } from './sigaltstack.ts';
import { SP, A0 } from '../../emulator/cpu/registers.ts';


export function rt_sigreturn(k: SyscallContext): number | bigint {
  const t = k.state.thread.current;
  t.restart = undefined;
  const frame = k.cpu.getU(SP);
  let regs;
  try {
    regs = accessOk(frame, FRAME_SIZE) ? readFrame(k.mem, frame) : null;
  } catch (e) {
    if (!(e instanceof MemoryFault)) throw e;
    regs = null;
  }
  if (regs === null) return badFrame(k);
  setBlocked(k.state, t, regs.mask);
  const cpu = k.cpu;
  cpu.x.set(regs.x.subarray(2), 2);
  cpu.fi.set(regs.fi);
  cpu.fcsr = regs.fcsr & 0xff;
  t.returnPc = regs.pc;
  if (!regs.valid) return badFrame(k);
  // restore_altstack(): errors other than EFAULT are ignored; sp is now the interrupted one.
  setAltStack(t, regs.altstack, cpu.getU(SP));
  return cpu.getX(A0);
}

function badFrame(k: SyscallContext): number {
  forceSignal(k.state, k.state.thread.current, SigInfo.kernel(SIGSEGV));
  return 0;
}
