// prctl(2), as Linux 6.1 kernel/sys.c + security/commoncap.c (+ Yama's PR_SET_PTRACER) on
// riscv64. Options that do not exist on riscv64 6.1 (unaligned access, FP emulation,
// endianness, TSC, FP mode, SVE/SME, pointer authentication, tagged addresses, speculation
// control, MPX) answer EINVAL as there; options that would need machinery zerosys lacks
// (PR_SET_SECCOMP, PR_SET_MM, turning on syscall user dispatch) stop the guest.
//
// Per thread: the name (PR_SET_NAME/PR_GET_NAME), the parent-death signal, timer slack,
// the I/O flusher flag. Per process: dumpable, keep-caps and the other securebits, the
// capability bounding and ambient sets, no_new_privs, child subreaper, THP disable, the
// machine-check kill policy. PR_SET_VMA names private anonymous memory ([anon:NAME]).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { PPID } from './identity.ts';
import { CAP, CAP_LAST_CAP, SECURE_KEEP_CAPS } from './credentials.ts';
import { COMM_MAX, DEFAULT_TIMER_SLACK_NS, SUID_DUMP_DISABLE, SUID_DUMP_USER } from './process-state.ts';
import { setVmaAnonName } from '../memory/anon-name.ts';
import { PR_MCE_KILL_CLEAR, PR_MCE_KILL_DEFAULT, PR_MCE_KILL_EARLY, PR_MCE_KILL_LATE, PR_MCE_KILL_SET, PR_SYS_DISPATCH_OFF, PR_TIMING_STATISTICAL } from '../abi.ts';
import { _NSIG as NSIG, SECURE_ALL_BITS, SECURE_ALL_LOCKS, SECURE_KEEP_CAPS_LOCKED, SECURE_NO_CAP_AMBIENT_RAISE } from '../abi.ts';
import { prefixed } from '../abi-prefixed.ts';

/** Option numbers, <linux/prctl.h>. */
export const PR = prefixed('PR_');

const NOT_ON_RISCV64 = new Set<number>([
  PR.GET_UNALIGN, PR.SET_UNALIGN, PR.GET_FPEMU, PR.SET_FPEMU, PR.GET_FPEXC, PR.SET_FPEXC, PR.GET_ENDIAN, PR.SET_ENDIAN,
  PR.GET_TSC, PR.SET_TSC, PR.MPX_ENABLE_MANAGEMENT, PR.MPX_DISABLE_MANAGEMENT, PR.SET_FP_MODE, PR.GET_FP_MODE,
  PR.SVE_SET_VL, PR.SVE_GET_VL, PR.SME_SET_VL, PR.SME_GET_VL, PR.GET_SPECULATION_CTRL, PR.SET_SPECULATION_CTRL,
  PR.PAC_RESET_KEYS, PR.PAC_SET_ENABLED_KEYS, PR.PAC_GET_ENABLED_KEYS, PR.SET_TAGGED_ADDR_CTRL, PR.GET_TAGGED_ADDR_CTRL,
  PR.SCHED_CORE, // CONFIG_SCHED_CORE is off
]);

const PR_CAP_AMBIENT = { IS_SET: 1, RAISE: 2, LOWER: 3, CLEAR_ALL: 4 };
const PR_SET_PTRACER_ANY = (1n << 64n) - 1n;
/** SECURE_ALL_BITS | SECURE_ALL_LOCKS (<linux/securebits.h>). */

export function prctl(k: SyscallContext): number | bigint {
  // SYSCALL_DEFINE5(prctl, int, option, unsigned long, arg2, arg3, arg4, arg5) (kernel/sys.c):
  // the four arguments are exact bigints, so "must be 0" and range checks see every bit.
  const option = k.i32(0);
  const [a2, a3, a4, a5] = [k.big(1), k.big(2), k.big(3), k.big(4)];
  const proc = k.state.proc;
  const creds = proc.creds;
  const me = proc.thread(k.state.thread.tid);
  const putInt = (v: number) => k.mem.write(k.addr(1), new Uint8Array(new Int32Array([v]).buffer));

  if (NOT_ON_RISCV64.has(option)) return -E.EINVAL;
  switch (option) {
    // --- capabilities and securebits (cap_task_prctl) ---
    case PR.CAPBSET_READ:
      if (a2 > BigInt(CAP_LAST_CAP)) return -E.EINVAL;
      return Number((creds.bounding >> a2) & 1n);
    case PR.CAPBSET_DROP:
      if (!creds.capable(CAP.SETPCAP)) return -E.EPERM;
      if (a2 > BigInt(CAP_LAST_CAP)) return -E.EINVAL;
      creds.bounding &= ~(1n << a2);
      return 0;
    case PR.GET_SECUREBITS:
      return creds.securebits;
    case PR.SET_SECUREBITS: {
      const old = BigInt(creds.securebits);
      const locks = old & BigInt(SECURE_ALL_LOCKS);
      if (((locks >> 1n) & (old ^ a2)) || (locks & ~a2) || a2 & ~BigInt(SECURE_ALL_LOCKS | SECURE_ALL_BITS) || !creds.capable(CAP.SETPCAP)) {
        return -E.EPERM;
      }
      creds.securebits = Number(a2);
      return 0;
    }
    case PR.GET_KEEPCAPS:
      return creds.issecure(SECURE_KEEP_CAPS) ? 1 : 0;
    case PR.SET_KEEPCAPS:
      if (a2 > 1n) return -E.EINVAL;
      if (creds.issecure(SECURE_KEEP_CAPS_LOCKED)) return -E.EPERM;
      creds.securebits = a2 ? creds.securebits | (1 << SECURE_KEEP_CAPS) : creds.securebits & ~(1 << SECURE_KEEP_CAPS);
      return 0;
    case PR.CAP_AMBIENT: {
      if (a2 === BigInt(PR_CAP_AMBIENT.CLEAR_ALL)) {
        if (a3 | a4 | a5) return -E.EINVAL;
        creds.ambient = 0n;
        return 0;
      }
      if (a3 > BigInt(CAP_LAST_CAP) || a4 || a5) return -E.EINVAL;
      const bit = 1n << a3;
      if (a2 === BigInt(PR_CAP_AMBIENT.IS_SET)) return creds.ambient & bit ? 1 : 0;
      if (a2 === BigInt(PR_CAP_AMBIENT.RAISE)) {
        if (!(creds.permitted & bit) || !(creds.inheritable & bit) || creds.issecure(SECURE_NO_CAP_AMBIENT_RAISE)) return -E.EPERM;
        creds.ambient |= bit;
        return 0;
      }
      if (a2 === BigInt(PR_CAP_AMBIENT.LOWER)) {
        creds.ambient &= ~bit;
        return 0;
      }
      return -E.EINVAL;
    }
    // --- Yama ---
    case PR.SET_PTRACER: {
      // security/yama/yama_lsm.c yama_task_prctl(): `arg2 == PR_SET_PTRACER_ANY || (int)arg2 == -1`
      // both mean "any"; other values name a tracer by find_get_task_by_vpid((pid_t)arg2).
      if (a2 === 0n || a2 === PR_SET_PTRACER_ANY || BigInt.asIntN(32, a2) === -1n) return 0;
      const pid = Number(BigInt.asIntN(32, a2));
      return pid === k.state.pid || pid === PPID || k.state.thread.find(pid) ? 0 : -E.EINVAL;
    }

    // --- kernel/sys.c ---
    case PR.SET_PDEATHSIG:
      if (a2 > BigInt(NSIG)) return -E.EINVAL;
      me.pdeathsig = Number(a2);
      return 0;
    case PR.GET_PDEATHSIG:
      putInt(me.pdeathsig);
      return 0;
    case PR.GET_DUMPABLE:
      return proc.dumpable;
    case PR.SET_DUMPABLE:
      if (a2 !== BigInt(SUID_DUMP_DISABLE) && a2 !== BigInt(SUID_DUMP_USER)) return -E.EINVAL;
      proc.dumpable = Number(a2);
      return 0;
    case PR.GET_TIMING:
      return PR_TIMING_STATISTICAL;
    case PR.SET_TIMING:
      return a2 !== BigInt(PR_TIMING_STATISTICAL) ? -E.EINVAL : 0;
    case PR.SET_NAME:
      me.name = readName(k, k.addr(1));
      return 0;
    case PR.GET_NAME: {
      const out = new Uint8Array(COMM_MAX + 1);
      for (let i = 0; i < me.name.length; i++) out[i] = me.name.charCodeAt(i);
      k.mem.write(k.addr(1), out);
      return 0;
    }
    case PR.GET_SECCOMP:
      return 0; // SECCOMP_MODE_DISABLED
    case PR.SET_SECCOMP:
      k.unsupported('option PR_SET_SECCOMP');
    // falls through (unsupported never returns)
    case PR.TASK_PERF_EVENTS_DISABLE:
    case PR.TASK_PERF_EVENTS_ENABLE:
      return 0;
    case PR.GET_TIMERSLACK:
      return me.timerSlackNs;
    case PR.SET_TIMERSLACK:
      // arg2 is unsigned long: "<= 0" only catches 0, which restores the default.
      me.timerSlackNs = a2 === 0n ? DEFAULT_TIMER_SLACK_NS : a2;
      return 0;
    case PR.MCE_KILL:
      if (a4 | a5) return -E.EINVAL;
      if (a2 === BigInt(PR_MCE_KILL_CLEAR)) {
        if (a3) return -E.EINVAL;
        proc.mceKill = PR_MCE_KILL_DEFAULT;
        return 0;
      }
      if (a2 !== BigInt(PR_MCE_KILL_SET)) return -E.EINVAL;
      if (a3 === BigInt(PR_MCE_KILL_EARLY)) proc.mceKill = PR_MCE_KILL_EARLY;
      else if (a3 === BigInt(PR_MCE_KILL_LATE)) proc.mceKill = PR_MCE_KILL_LATE;
      else if (a3 === BigInt(PR_MCE_KILL_DEFAULT)) proc.mceKill = PR_MCE_KILL_DEFAULT;
      else return -E.EINVAL;
      return 0;
    case PR.MCE_KILL_GET:
      if (a2 | a3 | a4 | a5) return -E.EINVAL;
      return proc.mceKill;
    case PR.SET_MM:
      k.unsupported('option PR_SET_MM');
    // falls through (unsupported never returns)
    case PR.GET_TID_ADDRESS:
      // prctl_get_tid_address(): put_user(me->clear_child_tid, arg2), the pointer as it was set.
      k.mem.write(k.addr(1), new Uint8Array(new BigUint64Array([k.state.thread.clearChildTid]).buffer));
      return 0;
    case PR.SET_CHILD_SUBREAPER:
      proc.childSubreaper = a2 !== 0n;
      return 0;
    case PR.GET_CHILD_SUBREAPER:
      putInt(proc.childSubreaper ? 1 : 0);
      return 0;
    case PR.SET_NO_NEW_PRIVS:
      if (a2 !== 1n || a3 || a4 || a5) return -E.EINVAL;
      proc.noNewPrivs = true;
      return 0;
    case PR.GET_NO_NEW_PRIVS:
      if (a2 || a3 || a4 || a5) return -E.EINVAL;
      return proc.noNewPrivs ? 1 : 0;
    case PR.GET_THP_DISABLE:
      if (a2 || a3 || a4 || a5) return -E.EINVAL;
      return proc.thpDisable ? 1 : 0;
    case PR.SET_THP_DISABLE:
      if (a3 || a4 || a5) return -E.EINVAL;
      proc.thpDisable = a2 !== 0n;
      return 0;
    case PR.SET_IO_FLUSHER:
      if (!creds.capable(CAP.SYS_RESOURCE)) return -E.EPERM;
      if (a3 || a4 || a5 || a2 > 1n) return -E.EINVAL;
      me.ioFlusher = a2 === 1n;
      return 0;
    case PR.GET_IO_FLUSHER:
      if (!creds.capable(CAP.SYS_RESOURCE)) return -E.EPERM;
      if (a2 || a3 || a4 || a5) return -E.EINVAL;
      return me.ioFlusher ? 1 : 0;
    case PR.SET_SYSCALL_USER_DISPATCH:
      if (a2 !== BigInt(PR_SYS_DISPATCH_OFF)) k.unsupported('PR_SET_SYSCALL_USER_DISPATCH on');
      return a3 || a4 || a5 ? -E.EINVAL : 0;
    case PR.SET_VMA:
      return setVmaAnonName(k, a2, a3, a4, k.addr(4)); // prctl_set_vma(arg2, arg3, arg4, arg5)
    default:
      return -E.EINVAL;
  }
}

/** strncpy_from_user(comm, addr, 15): up to 15 bytes or the NUL; any unreadable byte is EFAULT. */
function readName(k: SyscallContext, addr: number): string {
  let s = '';
  for (let i = 0; i < COMM_MAX; i++) {
    const b = k.mem.ld8u(addr + i);
    if (b === 0) break;
    s += String.fromCharCode(b);
  }
  return s;
}
