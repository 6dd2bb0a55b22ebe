// The signal a hardware trap raises (arch/riscv/kernel/traps.c): what the engine reports as
// a stop becomes a siginfo for the faulting thread, with zerosys's one-line detail for the
// message if the signal kills the guest.

import type { EbreakStop, TrapStop } from '../../emulator/engine.ts';
import { SEGV_MAPERR } from '../../emulator/memory.ts';
import { BUS_ADRALN, ILL_ILLOPC, SigInfo, TRAP_BRKPT } from './siginfo.ts';
import { SIGBUS, SIGILL, SIGSEGV, SIGTRAP } from './signal-state.ts';
import { BUS_ADRERR } from '../abi.ts';

/** The siginfo for a trap of the instruction at pc. */
export function trapSignal(why: TrapStop | EbreakStop, pc: number): SigInfo {
  const at = `pc 0x${pc.toString(16)}`;
  let info: SigInfo;
  switch (why.kind) {
    case 'ebreak':
      info = SigInfo.fault(SIGTRAP, TRAP_BRKPT, pc);
      info.detail = `breakpoint at ${at}`;
      break;
    case 'fault':
      // A page of a file mapping past the file's end: filemap_fault's VM_FAULT_SIGBUS.
      if (why.bus) {
        info = SigInfo.fault(SIGBUS, BUS_ADRERR, why.addr);
        info.detail = `BUS_ADRERR: ${why.access} at 0x${why.addr.toString(16)} past the end of a mapped file, ${at}`;
        break;
      }
      info = SigInfo.fault(SIGSEGV, why.code, why.addr);
      info.detail = `${why.code === SEGV_MAPERR ? 'SEGV_MAPERR' : 'SEGV_ACCERR'}: ${why.access} at 0x${why.addr.toString(16)}, ${at}`;
      break;
    case 'illegal':
      info = SigInfo.fault(SIGILL, ILL_ILLOPC, pc);
      info.detail = why.detail;
      break;
    case 'misaligned':
      info = SigInfo.fault(SIGBUS, BUS_ADRALN, why.addr);
      info.detail = why.detail;
      break;
  }
  return info;
}
