// rt_sigaction(2), as Linux 6.1: EINVAL unless sigsetsize is 8; EFAULT reading act; EINVAL
// for a signal outside 1..64 or for changing SIGKILL/SIGSTOP; unknown sa_flags bits are
// cleared (UAPI_SA_FLAGS); SIGKILL/SIGSTOP are dropped from sa_mask; oact is written after
// the change (so an EFAULT there leaves the new action installed, as on Linux). Making a
// signal ignored (SIG_IGN, or SIG_DFL for one whose default is to ignore) discards its
// pending instances in every queue, blocked or not (POSIX 3.3.1.3).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { StructBuilder, copyIn, copyOut } from '../user-memory.ts';
import {
  NSIG,
  SA_EXPOSE_TAGBITS,
  SA_NOCLDSTOP,
  SA_NOCLDWAIT,
  SA_NODEFER,
  SA_ONSTACK,
  SA_RESETHAND,
  SA_RESTART,
  SA_SIGINFO,
  SIGKILL,
  SIGSET_SIZE,
  SIGSTOP,
  UNBLOCKABLE,
  handlerIgnores,
  sigbit,
} from './signal-state.ts';
import { SIGACTION } from '../abi-structs.ts';


const UAPI_SA_FLAGS =
  SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK | SA_RESTART | SA_NODEFER | SA_RESETHAND | SA_EXPOSE_TAGBITS;

export function rt_sigaction(k: SyscallContext): number {
  const sig = k.i32(0);
  // (int sig, const struct sigaction __user *act, struct sigaction __user *oact, size_t
  // sigsetsize), kernel/signal.c: the exact sigsetsize is checked first (EINVAL).
  const act = k.addr(1);
  const oact = k.addr(2);
  if (k.size(3) !== SIGSET_SIZE) return -E.EINVAL;
  const next = act ? copyIn(k.mem, act, SIGACTION.SIZE) : undefined;
  if (sig < 1 || sig > NSIG || (next && (sig === SIGKILL || sig === SIGSTOP))) return -E.EINVAL;

  const actions = k.state.signals.actions;
  const old = actions[sig];
  if (next) {
    actions[sig] = {
      handler: next.getBigUint64(0, true),
      flags: next.getBigUint64(8, true) & UAPI_SA_FLAGS,
      mask: next.getBigUint64(16, true) & ~UNBLOCKABLE,
    };
    if (handlerIgnores(actions[sig], sig)) {
      k.state.signals.shared.flush(sigbit(sig));
      for (const t of k.state.thread.threads) t.pending.flush(sigbit(sig));
    }
  }
  if (oact) {
    copyOut(k.mem, oact, new StructBuilder(SIGACTION.SIZE).u64(SIGACTION.sa_handler, old.handler).u64(SIGACTION.sa_flags, old.flags).u64(SIGACTION.sa_mask, old.mask));
  }
  return 0;
}
