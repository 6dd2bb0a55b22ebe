// flock(2): advisory whole-file locks held by open file descriptions (fs/locks.c).
// Checks: EBADF; the operation without LOCK_NB must be LOCK_SH, LOCK_EX or LOCK_UN
// (LOCK_MAND is accepted and ignored, as Linux 5.15+ does; else EINVAL). Two descriptions
// conflict unless both hold shared locks — even within one process, so this matters for a
// file opened twice. Converting a lock first drops the old one (not atomic, as Linux).
// A conflict with LOCK_NB is EWOULDBLOCK; without, the caller waits through the blocker
// (one thread: a deadlock stop). Locks go away with LOCK_UN or the description's last close.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { fail } from '../errors.ts';
import { fileOf } from './fd-util.ts';
import type { OpenFile } from './file.ts';
import { WaitQueue } from './wait.ts';
import { LOCK_EX, LOCK_MAND, LOCK_NB, LOCK_SH, LOCK_UN } from '../abi.ts';

interface FileLocks {
  holders: Map<OpenFile, 'sh' | 'ex'>;
  /** Descriptions whose last close already drops their lock. */
  watched: WeakSet<OpenFile>;
  queue: WaitQueue;
}

/** Lock state per locked object (the node, or the description for files without one). */
const tables = new WeakMap<object, FileLocks>();

function locksOf(key: object): FileLocks {
  let l = tables.get(key);
  if (!l) tables.set(key, (l = { holders: new Map(), watched: new WeakSet(), queue: new WaitQueue() }));
  return l;
}

export function flock(k: SyscallContext): number {
  // Linux 6.1 fs/locks.c SYSCALL_DEFINE2(flock): LOCK_MAND is ignored (0) and the operation
  // checked (EINVAL) before the descriptor is looked up (EBADF).
  const op = k.i32(1);
  if (op & LOCK_MAND) return 0;
  const cmd = op & ~LOCK_NB;
  if (cmd !== LOCK_SH && cmd !== LOCK_EX && cmd !== LOCK_UN) return -E.EINVAL;
  const file = fileOf(k, k.i32(0));
  const key: object = file.loc?.node ?? file;
  const locks = locksOf(key);
  const mine = locks.holders.get(file);
  if (cmd === LOCK_UN) {
    if (mine) release(locks, file);
    return 0;
  }
  const want = cmd === LOCK_EX ? 'ex' : 'sh';
  if (mine === want) return 0;
  if (mine) release(locks, file); // flock_lock_inode drops the old lock before trying
  const conflict = [...locks.holders].some(([holder, kind]) => holder !== file && (kind === 'ex' || want === 'ex'));
  if (conflict) {
    if (op & LOCK_NB) fail('EWOULDBLOCK');
    k.state.vfs.blocker.block([locks.queue], undefined, `flock(LOCK_${want.toUpperCase()}) held by another open file`);
    return -E.EWOULDBLOCK; // not reached: the blocker never times out without a timeout
  }
  if (!locks.watched.has(file)) {
    locks.watched.add(file);
    file.onRelease(() => release(locks, file));
  }
  locks.holders.set(file, want);
  return 0;
}

function release(locks: FileLocks, file: OpenFile): void {
  if (locks.holders.delete(file)) locks.queue.notify();
}
