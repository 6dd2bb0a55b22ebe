// Resource limits. Defaults are Linux's boot-time INIT_RLIMITS (include/asm-generic/resource.h)
// with the UAPI constants from the riscv64 headers; RLIMIT_NPROC and RLIMIT_SIGPENDING, which
// Linux sizes from RAM at boot (max_threads / 2), are those of a 1 GiB machine:
// 2^30 / 4096 pages / (8 * 16 KiB stack / 4096) / 2 = 4096. qemu-riscv64 reports the host's
// limits instead (on the build machine NOFILE 20000/20000, NPROC 96365), which zerosys
// must not leak.

export const RLIM_INFINITY = (1n << 64n) - 1n;
export const RLIM_NLIMITS = 16;

/** Resource numbers, <asm-generic/resource.h>. */
export const RLIMIT = {
  CPU: 0,
  FSIZE: 1,
  DATA: 2,
  STACK: 3,
  CORE: 4,
  RSS: 5,
  NPROC: 6,
  NOFILE: 7,
  MEMLOCK: 8,
  AS: 9,
  LOCKS: 10,
  SIGPENDING: 11,
  MSGQUEUE: 12,
  NICE: 13,
  RTPRIO: 14,
  RTTIME: 15,
} as const;

/** Linux sysctl fs.nr_open default (NR_OPEN = 1024 * 1024): the NOFILE hard-limit ceiling. */
export const NR_OPEN = 1024n * 1024n;

const STK_LIM = 8n * 1024n * 1024n; // <linux/resource.h> _STK_LIM
const MLOCK_LIMIT = 8n * 1024n * 1024n; // <linux/resource.h>
const INR_OPEN_CUR = 1024n; // <linux/fs.h>
const INR_OPEN_MAX = 4096n; // <linux/fs.h>
const MQ_BYTES_MAX = 819200n; // include/asm-generic/resource.h
const THREADS_1GIB = 4096n;

export interface Rlimit {
  cur: bigint;
  max: bigint;
}

const INF: Rlimit = { cur: RLIM_INFINITY, max: RLIM_INFINITY };

export function defaultLimits(): Rlimit[] {
  const l: Rlimit[] = [];
  l[RLIMIT.CPU] = { ...INF };
  l[RLIMIT.FSIZE] = { ...INF };
  l[RLIMIT.DATA] = { ...INF };
  l[RLIMIT.STACK] = { cur: STK_LIM, max: RLIM_INFINITY };
  l[RLIMIT.CORE] = { cur: 0n, max: RLIM_INFINITY };
  l[RLIMIT.RSS] = { ...INF };
  l[RLIMIT.NPROC] = { cur: THREADS_1GIB, max: THREADS_1GIB };
  l[RLIMIT.NOFILE] = { cur: INR_OPEN_CUR, max: INR_OPEN_MAX };
  l[RLIMIT.MEMLOCK] = { cur: MLOCK_LIMIT, max: MLOCK_LIMIT };
  l[RLIMIT.AS] = { ...INF };
  l[RLIMIT.LOCKS] = { ...INF };
  l[RLIMIT.SIGPENDING] = { cur: THREADS_1GIB, max: THREADS_1GIB };
  l[RLIMIT.MSGQUEUE] = { cur: MQ_BYTES_MAX, max: MQ_BYTES_MAX };
  l[RLIMIT.NICE] = { cur: 0n, max: 0n };
  l[RLIMIT.RTPRIO] = { cur: 0n, max: 0n };
  l[RLIMIT.RTTIME] = { ...INF };
  return l;
}
