// Scheduling-policy queries (kernel/sched/core.c). Every thread runs under SCHED_OTHER with
// static priority 0; the priority ranges are Linux's.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { StructBuilder, copyOut } from '../user-memory.ts';
import { SCHED_BATCH, SCHED_DEADLINE, SCHED_FIFO, SCHED_IDLE, SCHED_OTHER, SCHED_RR } from '../abi.ts';

function exists(k: SyscallContext, pid: number): boolean {
  return pid === 0 || pid === k.state.pid || k.state.thread.find(pid) !== undefined;
}

export function sched_getscheduler(k: SyscallContext): number {
  const pid = k.i32(0);
  if (pid < 0) return -E.EINVAL;
  if (!exists(k, pid)) return -E.ESRCH;
  return SCHED_OTHER;
}

export function sched_getparam(k: SyscallContext): number {
  const pid = k.i32(0);
  const param = k.addr(1); // struct sched_param __user *param
  if (!param || pid < 0) return -E.EINVAL;
  if (!exists(k, pid)) return -E.ESRCH;
  copyOut(k.mem, param, new StructBuilder(4).u32(0, 0)); // struct sched_param { int sched_priority; }
  return 0;
}

export function sched_get_priority_max(k: SyscallContext): number {
  switch (k.i32(0)) {
    case SCHED_FIFO:
    case SCHED_RR:
      return 99; // MAX_RT_PRIO - 1
    case SCHED_DEADLINE:
    case SCHED_OTHER:
    case SCHED_BATCH:
    case SCHED_IDLE:
      return 0;
  }
  return -E.EINVAL;
}

export function sched_get_priority_min(k: SyscallContext): number {
  switch (k.i32(0)) {
    case SCHED_FIFO:
    case SCHED_RR:
      return 1;
    case SCHED_DEADLINE:
    case SCHED_OTHER:
    case SCHED_BATCH:
    case SCHED_IDLE:
      return 0;
  }
  return -E.EINVAL;
}
