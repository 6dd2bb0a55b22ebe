// getrlimit(2), setrlimit(2) and the do_prlimit() they share with prlimit64, as Linux 6.1
// kernel/sys.c: EINVAL for resource >= RLIM_NLIMITS or cur > max; EPERM for a NOFILE hard
// limit above fs.nr_open, or for raising a hard limit without CAP_SYS_RESOURCE.
// Enforced: RLIMIT_AS, RLIMIT_DATA, RLIMIT_MEMLOCK (memory module), RLIMIT_NOFILE (vfs
// module), RLIMIT_CPU (kernel/time/timers.ts: SIGXCPU at the soft limit and every second
// after, SIGKILL at the hard one, checked on the tick), RLIMIT_FSIZE (vfs/fsize.ts: writes
// to regular files shortened at it, SIGXFSZ and EFBIG at or past it; truncate, ftruncate and
// fallocate past it likewise). The others are recorded and reported only. Limits are per
// process: copied by fork, kept across execve.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { StructBuilder, copyIn, copyOut } from '../user-memory.ts';
import { CAP } from './credentials.ts';
import { NR_OPEN, RLIMIT, RLIM_NLIMITS, type Rlimit } from './limits.ts';

/** do_prlimit(): checks, then install `next` (if any); returns [errno-or-0, the limit before]. */
export function doPrlimit(k: SyscallContext, resource: number, next: Rlimit | undefined): { err: number; old?: Rlimit } {
  if (resource >= RLIM_NLIMITS) return { err: -E.EINVAL };
  const old = k.state.limits[resource];
  if (next) {
    if (next.cur > next.max) return { err: -E.EINVAL };
    if (resource === RLIMIT.NOFILE && next.max > NR_OPEN) return { err: -E.EPERM };
    if (next.max > old.max && !k.state.proc.creds.capable(CAP.SYS_RESOURCE)) return { err: -E.EPERM };
    k.state.limits[resource] = next;
  }
  return { err: 0, old };
}

export function readRlimit(k: SyscallContext, addr: number): Rlimit {
  const v = copyIn(k.mem, addr, 16);
  return { cur: v.getBigUint64(0, true), max: v.getBigUint64(8, true) };
}

export function writeRlimit(k: SyscallContext, addr: number, r: Rlimit): void {
  copyOut(k.mem, addr, new StructBuilder(16).u64(0, r.cur).u64(8, r.max));
}

export function getrlimit(k: SyscallContext): number {
  const { err, old } = doPrlimit(k, k.u32(0), undefined);
  if (err) return err;
  writeRlimit(k, k.addr(1), old!); // (unsigned int resource, struct rlimit __user *rlim)
  return 0;
}

export function setrlimit(k: SyscallContext): number {
  const next = readRlimit(k, k.addr(1));
  return doPrlimit(k, k.u32(0), next).err;
}
