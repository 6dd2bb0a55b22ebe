// mkdirat(2): filename_create (EEXIST, ENOENT, EROFS ...), vfs_mkdir()'s may_create()
// (write and search permission on the parent: EACCES, permission.ts), then a directory with mode
// & ~umask & 01777, owned as inode_init_owner() says (owner.ts: the caller's fsuid; the
// parent's group and S_ISGID when the parent is set-group-ID, else the fsgid).

import type { SyscallContext } from '../context.ts';
import { pathArg } from './fd-util.ts';
import { filenameCreate } from './names.ts';
import { initOwner } from './owner.ts';
import { credsOf, mayCreate } from './permission.ts';

export function mkdirat(k: SyscallContext): number {
  const path = pathArg(k, 1);
  const { dir, name } = filenameCreate(k, k.i32(0), path, true);
  mayCreate(credsOf(k), dir.node);
  initOwner(k, dir.node, dir.node.mkdir(name, k.u32(2) & ~k.state.vfs.umask & 0o1777));
  return 0;
}
