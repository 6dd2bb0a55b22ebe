// mkdirat(2): filename_create (EEXIST, ENOENT, EROFS ...), then a directory with mode
// & ~umask & 01777.

import type { SyscallContext } from '../context.ts';
import { pathArg } from './fd-util.ts';
import { filenameCreate } from './names.ts';

export function mkdirat(k: SyscallContext): number {
  const path = pathArg(k, 1);
  const { dir, name } = filenameCreate(k, k.i32(0), path, true);
  dir.node.mkdir(name, k.u32(2) & ~k.state.vfs.umask & 0o1777);
  return 0;
}
