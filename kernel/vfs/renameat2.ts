// renameat2(2), in the order of Linux 6.1 do_renameat2 / vfs_rename:
//   flags: unknown → EINVAL, EXCHANGE with NOREPLACE or WHITEOUT → EINVAL, WHITEOUT stops;
//   both parents; different filesystems → EXDEV; old "."/".."/"/" → EBUSY; new one →
//   EEXIST with NOREPLACE, else EBUSY; EROFS; source missing → ENOENT; NOREPLACE with an
//   existing target → EEXIST; EXCHANGE with a missing target → ENOENT; trailing slashes on
//   a non-directory → ENOTDIR; source an ancestor of the target → EINVAL; target an
//   ancestor of the source → ENOTEMPTY (EXCHANGE: EINVAL); the same object → 0, nothing
//   done; may_delete() of the source (write and search permission on its directory:
//   EACCES; the sticky rule: EPERM); may_delete() of the target (the same, then a
//   directory over a non-directory → ENOTDIR, the reverse → EISDIR) or, without one,
//   may_create() in the new directory (EACCES); a directory moving to another parent needs
//   write permission on itself ("we'll need to flip '..'", and so does an exchanged target
//   directory: EACCES) (permission.ts); a mount point → EBUSY; a non-empty target
//   directory → ENOTEMPTY.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { RENAME_EXCHANGE, RENAME_NOREPLACE, RENAME_WHITEOUT } from './at.ts';
import { pathArg } from './fd-util.ts';
import { isAncestor, parentOf } from './names.ts';
import { credsOf, inodePermission, MAY_WRITE, mayCreate, mayDelete, must } from './permission.ts';

export function renameat2(k: SyscallContext): number {
  const flags = k.u32(4);
  if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) return -E.EINVAL;
  if (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT) && flags & RENAME_EXCHANGE) return -E.EINVAL;
  if (flags & RENAME_WHITEOUT) k.unsupported('RENAME_WHITEOUT');
  const exchange = (flags & RENAME_EXCHANGE) !== 0;
  const from = parentOf(k, k.i32(0), pathArg(k, 1));
  const to = parentOf(k, k.i32(2), pathArg(k, 3));
  const ns = k.state.vfs.ns;
  if (from.dir.node.fs !== to.dir.node.fs) return -E.EXDEV;
  if (from.kind !== 'norm') return -E.EBUSY;
  if (to.kind !== 'norm') return flags & RENAME_NOREPLACE ? -E.EEXIST : -E.EBUSY;
  if (from.dir.node.fs.readOnly) return -E.EROFS;
  const source = ns.child(from.dir, from.name);
  if (!source) return -E.ENOENT;
  const target = ns.child(to.dir, to.name);
  if (flags & RENAME_NOREPLACE && target) return -E.EEXIST;
  if (exchange) {
    if (!target) return -E.ENOENT;
    if (target.node.type !== 'dir' && to.trailingSlash) return -E.ENOTDIR;
  }
  if (source.node.type !== 'dir' && (from.trailingSlash || (!exchange && to.trailingSlash))) return -E.ENOTDIR;
  if (isAncestor(source.node, to.dir)) return -E.EINVAL;
  if (target && isAncestor(target.node, from.dir)) return exchange ? -E.EINVAL : -E.ENOTEMPTY;
  if (target && target.node === source.node) return 0;
  const isDir = source.node.type === 'dir';
  // vfs_rename()
  const creds = credsOf(k);
  mayDelete(creds, from.dir.node, source.node, isDir);
  if (!target) mayCreate(creds, to.dir.node);
  else mayDelete(creds, to.dir.node, target.node, exchange ? target.node.type === 'dir' : isDir);
  if (from.dir.node !== to.dir.node) {
    if (isDir) must(inodePermission(creds, source.node, MAY_WRITE));
    if (exchange && target!.node.type === 'dir') must(inodePermission(creds, target!.node, MAY_WRITE));
  }
  if (ns.isMountBoundary(source.node) || (target && ns.isMountBoundary(target.node))) return -E.EBUSY;
  if (target && !exchange && target.node.type === 'dir' && !target.node.isEmpty()) return -E.ENOTEMPTY;
  from.dir.node.rename(from.name, to.dir.node, to.name, exchange);
  return 0;
}
