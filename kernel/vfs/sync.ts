// fsync / fdatasync (EBADF; EINVAL for files without fsync: pipes, terminals, devices),
// sync (always 0) and syncfs (EBADF, else 0).

import type { SyscallContext } from '../context.ts';
import { fileOf } from './fd-util.ts';

export function fsync(k: SyscallContext): number {
  fileOf(k, k.i32(0)).sync();
  return 0;
}
export const fdatasync = fsync;

export function sync(): number {
  return 0;
}

export function syncfs(k: SyscallContext): number {
  fileOf(k, k.i32(0));
  return 0;
}
