// Resource limits. Defaults are Linux's boot-time INIT_RLIMITS (include/asm-generic/resource.h)
// with the UAPI constants from the riscv64 headers; RLIMIT_NPROC and RLIMIT_SIGPENDING, which
// Linux sizes from RAM at boot (max_threads / 2, fork_init), follow the machine's memory
// (--mem, default 4 GiB): RAM / 4096 pages / (8 * 16 KiB thread stack / 4096) / 2, so 16384
// for 4 GiB. qemu-riscv64 reports the host's limits instead (on the build machine NOFILE
// 20000/20000, NPROC 96365), which zerosys must not leak.

import { DEFAULT_RAM_BYTES } from '../memory/mm-state.ts';
import { RLIM_NLIMITS } from '../abi.ts';
import { prefixed } from '../abi-prefixed.ts';

export const RLIM_INFINITY = (1n << 64n) - 1n;
export { RLIM_NLIMITS };

/** Resource numbers, <asm-generic/resource.h>. */
export const RLIMIT = prefixed('RLIMIT_');

/** Linux sysctl fs.nr_open default (NR_OPEN = 1024 * 1024): the NOFILE hard-limit ceiling. */
export const NR_OPEN = 1024n * 1024n;

export const STK_LIM = 8n * 1024n * 1024n; // <linux/resource.h> _STK_LIM
const MLOCK_LIMIT = 8n * 1024n * 1024n; // <linux/resource.h>
const INR_OPEN_CUR = 1024n; // <linux/fs.h>
const INR_OPEN_MAX = 4096n; // <linux/fs.h>
const MQ_BYTES_MAX = 819200n; // include/asm-generic/resource.h
const THREAD_SIZE = 16384; // riscv64 THREAD_SIZE_ORDER 2

/** kernel/fork.c set_max_threads(): threads-max for a machine with ramBytes of memory. */
export function maxThreads(ramBytes: number): number {
  return Math.min(Math.max(Math.floor(ramBytes / 4096 / ((8 * THREAD_SIZE) / 4096)), 20), 0x3fffffff);
}

/** init_task's RLIMIT_NPROC / RLIMIT_SIGPENDING for a machine with ramBytes of memory (max_threads / 2). */
export function threadLimit(ramBytes: number): bigint {
  return BigInt(Math.floor(maxThreads(ramBytes) / 2));
}

export interface Rlimit {
  cur: bigint;
  max: bigint;
}

const INF: Rlimit = { cur: RLIM_INFINITY, max: RLIM_INFINITY };

export function defaultLimits(ramBytes = DEFAULT_RAM_BYTES): Rlimit[] {
  const threads = threadLimit(ramBytes);
  const l: Rlimit[] = [];
  l[RLIMIT.CPU] = { ...INF };
  l[RLIMIT.FSIZE] = { ...INF };
  l[RLIMIT.DATA] = { ...INF };
  l[RLIMIT.STACK] = { cur: STK_LIM, max: RLIM_INFINITY };
  l[RLIMIT.CORE] = { cur: 0n, max: RLIM_INFINITY };
  l[RLIMIT.RSS] = { ...INF };
  l[RLIMIT.NPROC] = { cur: threads, max: threads };
  l[RLIMIT.NOFILE] = { cur: INR_OPEN_CUR, max: INR_OPEN_MAX };
  l[RLIMIT.MEMLOCK] = { cur: MLOCK_LIMIT, max: MLOCK_LIMIT };
  l[RLIMIT.AS] = { ...INF };
  l[RLIMIT.LOCKS] = { ...INF };
  l[RLIMIT.SIGPENDING] = { cur: threads, max: threads };
  l[RLIMIT.MSGQUEUE] = { cur: MQ_BYTES_MAX, max: MQ_BYTES_MAX };
  l[RLIMIT.NICE] = { cur: 0n, max: 0n };
  l[RLIMIT.RTPRIO] = { cur: 0n, max: 0n };
  l[RLIMIT.RTTIME] = { ...INF };
  return l;
}
