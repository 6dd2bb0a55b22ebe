// The riscv64 signal frame, exactly as Linux 6.1 arch/riscv/kernel/signal.c lays it out:
//
//   struct rt_sigframe { struct siginfo info; struct ucontext uc; }        1088 bytes
//     info            @0    128  (kernel siginfo + zeros, copy_siginfo_to_user)
//     uc.uc_flags     @128  8    0
//     uc.uc_link      @136  8    0
//     uc.uc_stack     @144  24   { ss_sp @0, int ss_flags @8, ss_size @16 } (__save_altstack)
//     uc.uc_sigmask   @168  8    the mask to restore
//     uc.__unused     @176  120  not written
//     uc.uc_mcontext  @304  784  struct sigcontext (16-aligned):
//       sc_regs       @304  256  pc, x1..x31 (struct user_regs_struct)
//       sc_fpregs     @560  528  union __riscv_fp_state; Linux writes the d member
//                                (f[32] as 64-bit, u32 fcsr, 4 padding bytes) and zeroes
//                                q.reserved[3] @+516; the rest is not written.
//
// Only the bytes Linux writes are written (the unused parts keep whatever the stack held).
// Offsets checked against sizeof/offsetof of glibc's ucontext_t (riscv64-linux-gnu-gcc).

import type { CpuState } from '../../emulator/cpu/state.ts';
import type { Memory } from '../../emulator/memory.ts';
import type { AltStack } from '../sched/thread.ts';
import { RISCV_D_EXT_STATE, RISCV_Q_EXT_STATE, SIGCONTEXT, SIGINFO, STACK, UCONTEXT } from '../abi-structs.ts';
import type { SigInfo } from './siginfo.ts';

// struct rt_sigframe itself is the kernel's own (not UAPI): its two members in order, the
// ucontext at the siginfo's size (16-byte aligned as it is); every other offset and size
// is generated from the riscv64 headers (kernel/abi-structs.ts).
export const FRAME_INFO = 0;
export const FRAME_UC = SIGINFO.SIZE;
export const FRAME_SIZE = FRAME_UC + UCONTEXT.SIZE;
const UC_FLAGS = FRAME_UC + UCONTEXT.uc_flags;
const UC_LINK = FRAME_UC + UCONTEXT.uc_link;
export const UC_STACK = FRAME_UC + UCONTEXT.uc_stack;
export const UC_SIGMASK = FRAME_UC + UCONTEXT.uc_sigmask;
export const UC_MCONTEXT = FRAME_UC + UCONTEXT.uc_mcontext;
const SC_REGS = UC_MCONTEXT + SIGCONTEXT.sc_regs;
const SC_FPREGS = UC_MCONTEXT + SIGCONTEXT.sc_fpregs;
const D_STATE_SIZE = RISCV_D_EXT_STATE.SIZE;
const Q_RESERVED = SC_FPREGS + RISCV_Q_EXT_STATE.reserved;

const le64 = (lo: number, hi: number): Uint8Array => new Uint8Array(new Int32Array([lo, hi]).buffer);

/** Write the frame at `frame` (MemoryFault if any of it is not writable). */
export function writeFrame(
  mem: Memory,
  frame: number,
  cpu: CpuState,
  info: SigInfo,
  savedMask: bigint,
  altstack: AltStack,
): void {
  mem.write(frame + FRAME_INFO, info.toUser());
  mem.write(frame + UC_FLAGS, new Uint8Array(8));
  mem.write(frame + UC_LINK, new Uint8Array(8));
  mem.write(frame + UC_STACK + STACK.ss_sp, u64(altstack.sp));
  mem.write(frame + UC_STACK + STACK.ss_flags, new Uint8Array(new Int32Array([altstack.flags]).buffer));
  mem.write(frame + UC_STACK + STACK.ss_size, u64(altstack.size));
  // sc_regs: pc then x1..x31.
  const regs = new Int32Array(64);
  regs[0] = cpu.pc % 4294967296 | 0;
  regs[1] = Math.floor(cpu.pc / 4294967296) | 0;
  regs.set(cpu.x.subarray(2, 64), 2);
  mem.write(frame + SC_REGS, new Uint8Array(regs.buffer));
  const d = new Int32Array(D_STATE_SIZE / 4);
  d.set(cpu.fi);
  d[64] = cpu.fcsr;
  mem.write(frame + SC_FPREGS, new Uint8Array(d.buffer));
  mem.write(frame + Q_RESERVED, new Uint8Array(12));
  mem.write(frame + UC_SIGMASK, u64(savedMask));
}

/** What rt_sigreturn reads back. */
export interface FrameRegs {
  /** False when q.reserved is not all zero (Linux restores the registers, then rejects the frame). */
  valid: boolean;
  mask: bigint;
  pc: number;
  /** x1..x31 as 32-bit halves at [2*i], [2*i+1] (index 0 unused). */
  x: Int32Array;
  fi: Int32Array;
  fcsr: number;
  altstack: AltStack;
}

export function readFrame(mem: Memory, frame: number): FrameRegs {
  const mask = mem.readBig64(frame + UC_SIGMASK);
  const regs = new Int32Array(mem.read(frame + SC_REGS, SIGCONTEXT.sc_fpregs - SIGCONTEXT.sc_regs).slice().buffer);
  const d = new Int32Array(mem.read(frame + SC_FPREGS, D_STATE_SIZE).slice().buffer);
  const reserved = new Int32Array(mem.read(frame + Q_RESERVED, 12).slice().buffer);
  const x = new Int32Array(64);
  x.set(regs.subarray(2), 2);
  return {
    valid: reserved.every((w) => w === 0),
    mask: BigInt.asUintN(64, mask),
    pc: (regs[1] >>> 0) * 4294967296 + (regs[0] >>> 0),
    x,
    fi: d.slice(0, 64),
    fcsr: d[64],
    altstack: {
      sp: mem.readU64(frame + UC_STACK),
      flags: mem.readU32(frame + UC_STACK + STACK.ss_flags) | 0,
      size: mem.readU64(frame + UC_STACK + STACK.ss_size),
    },
  };
}

function u64(v: number | bigint): Uint8Array {
  const b = BigInt.asUintN(64, BigInt(v));
  return le64(Number(b & 0xffffffffn) | 0, Number(b >> 32n) | 0);
}
