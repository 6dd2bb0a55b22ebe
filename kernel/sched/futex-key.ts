// Which key and wait queues a futex uses (get_futex_key()): a private futex and a shared one
// in private memory are the process's, keyed by address; a shared futex in MAP_SHARED memory
// is keyed by the object and offset, in the run's table, so every process mapping it meets.

import type { SyscallContext } from '../context.ts';
import { futexKey, isObjectKey, objectFutexKey, type FutexTable } from './futex-table.ts';

/** The key of a shared futex at addr: the object's when addr is in MAP_SHARED memory, else the address's. */
export function sharedFutexKey(k: SyscallContext, addr: number): number {
  if (k.state.mm.sharedMappings === 0) return futexKey(addr, true); // the usual case: no lookup
  const b = k.state.mm.at(addr).backing;
  if (b.kind !== 'shared') return futexKey(addr, true);
  const key = objectFutexKey(b.obj.id, b.offset);
  if (key === undefined) k.unsupported(`a futex at offset ${b.offset} of shared object ${b.obj.id} (keys hold offsets below 4 GiB of 262,144 objects)`);
  return key;
}

/** The wait queues a key lives in: the run's for shared memory, else the process's. */
export function futexTable(k: SyscallContext, key: number): FutexTable {
  return isObjectKey(key) ? k.state.procs.sharedFutexes : k.state.thread.futexes;
}
