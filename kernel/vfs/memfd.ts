// memfd_create(2): a nameless tmpfs file, opened O_RDWR, mode 0777 (shmem_file_setup),
// shown in /proc/self/fd as "/memfd:NAME (deleted)". Checks as mm/memfd.c: unknown flags
// EINVAL, the name (EFAULT; longer than 249 bytes EINVAL).
// Partial: MFD_ALLOW_SEALING and MFD_HUGETLB stop (no seals, no huge pages); without
// MFD_ALLOW_SEALING the file is sealed against further seals (F_GET_SEALS: F_SEAL_SEAL).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { StringTooLong } from '../../emulator/memory.ts';
import { O_LARGEFILE, O_RDWR } from './constants.ts';
import { nofileLimit } from './fd-util.ts';
import type { OpenFile } from './file.ts';
import { Loc } from './namespace.ts';
import { RegularFile } from './open-files.ts';
import { TmpFs } from './tmpfs.ts';
import { makedev } from './stat.ts';
import { initOwner } from './owner.ts';
import { credsOf, removePrivs } from './permission.ts';
import { tmpfsMaxPages } from './vfs-state.ts';

const MFD_CLOEXEC = 1;
const MFD_ALLOW_SEALING = 2;
const MFD_HUGETLB = 4;
const MFD_NAME_MAX_LEN = 249;

const memfds = new WeakSet<OpenFile>();

/** The internal shmem mount memfds live in (one per kernel). */
const memfdFs = new WeakMap<object, TmpFs>();

export function memfd_create(k: SyscallContext): number {
  const flags = k.u32(1);
  if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB)) return -E.EINVAL;
  let raw: Uint8Array;
  try {
    raw = k.mem.readCString(k.addr(0), MFD_NAME_MAX_LEN + 1);
  } catch (e) {
    if (e instanceof StringTooLong) return -E.EINVAL;
    throw e;
  }
  if (flags & MFD_ALLOW_SEALING) k.unsupported('MFD_ALLOW_SEALING (file seals)');
  if (flags & MFD_HUGETLB) k.unsupported('MFD_HUGETLB');
  const vfs = k.state.vfs;
  let fs = memfdFs.get(vfs);
  // Linux's internal shm mount has no size limit (memory is): here it has a tmpfs mount's, so
  // memfd data cannot grow past half of --mem either.
  const maxPages = () => tmpfsMaxPages(k.state.mm.ramBytes);
  if (!fs) memfdFs.set(vfs, (fs = new TmpFs(makedev(0, 1), () => vfs.now(), { fsType: 'tmpfs', maxPages })));
  const node = fs.root.tmpfile(0o777);
  initOwner(k, undefined, node); // shmem_file_setup(): no directory
  const name = 'memfd:' + String.fromCharCode(...raw);
  // mm/memfd.c memfd_create(): `file->f_flags |= O_LARGEFILE;` (F_GETFL shows it).
  const file = new RegularFile(new Loc(node, vfs.ns.root, name), O_RDWR | O_LARGEFILE, node.openData(O_RDWR));
  const creds = credsOf(k);
  file.removePrivs = () => removePrivs(creds, node);
  memfds.add(file);
  return k.state.fds.allocate(file, nofileLimit(k), (flags & MFD_CLOEXEC) !== 0);
}

/** memfds answer F_GET_SEALS / F_ADD_SEALS; other files EINVAL. */
export function isMemfd(file: OpenFile): boolean {
  return memfds.has(file);
}
