// sigaltstack(2) (kernel/signal.c do_sigaltstack), per thread: the old setting goes to
// *oss with ss_flags SS_DISABLE / SS_ONSTACK (sp inside it) / 0, plus SS_AUTODISARM if set;
// a new one is refused while running on the alternate stack (EPERM), for a mode other
// than 0, SS_ONSTACK or SS_DISABLE (EINVAL), or when smaller than MINSIGSTKSZ = 2048
// (ENOMEM). The new stack is installed even if writing *oss then faults.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import type { AltStack, Thread } from '../sched/thread.ts';
import { StructBuilder, copyIn, copyOut } from '../user-memory.ts';
import { SS_AUTODISARM, SS_DISABLE, SS_ONSTACK, onSigStack, sasSsFlags } from './deliver.ts';
import { SP } from '../../emulator/cpu/registers.ts';
import { MINSIGSTKSZ } from '../abi.ts';
import { STACK_T } from '../abi-structs.ts';


/** do_sigaltstack() with a new setting; 0 or -errno. */
export function setAltStack(t: Thread, ss: AltStack, sp: number): number {
  if (onSigStack(t, sp)) return -E.EPERM;
  const mode = ss.flags & ~SS_AUTODISARM;
  if (mode !== SS_DISABLE && mode !== SS_ONSTACK && mode !== 0) return -E.EINVAL;
  const cur = t.altstack;
  if (cur.sp === ss.sp && cur.size === ss.size && cur.flags === ss.flags) return 0;
  if (mode === SS_DISABLE) t.altstack = { sp: 0, size: 0, flags: ss.flags };
  else if (ss.size < MINSIGSTKSZ) return -E.ENOMEM;
  else t.altstack = { ...ss };
  return 0;
}

export function sigaltstack(k: SyscallContext): number {
  const uss = k.addr(0); // const stack_t __user *uss
  const uoss = k.addr(1); // stack_t __user *uoss
  const t = k.state.thread.current;
  let ss: AltStack | undefined;
  if (uss) {
    const v = copyIn(k.mem, uss, STACK_T.SIZE);
    ss = { sp: Number(v.getBigUint64(0, true)), flags: v.getInt32(8, true), size: Number(v.getBigUint64(16, true)) };
  }
  const sp = k.cpu.getU(SP);
  const old = new StructBuilder(STACK_T.SIZE)
    .u64(0, t.altstack.sp)
    .u32(8, sasSsFlags(t, sp) | (t.altstack.flags & SS_AUTODISARM))
    .u64(16, t.altstack.size);
  const err = ss ? setAltStack(t, ss, sp) : 0;
  if (!err && uoss) copyOut(k.mem, uoss, old);
  return err;
}
