// Shared steps of the calls that add or remove names (fs/namei.c).

import type { SyscallContext } from '../context.ts';
import { fail } from '../errors.ts';
import { startOf } from './fd-util.ts';
import type { Loc, ParentLookup } from './namespace.ts';
import { walkOf } from './permission.ts';

/**
 * filename_create(): the directory and free name for a new entry. "." / ".." / "/" and an
 * existing name (even a dangling symlink) are EEXIST; a trailing slash is allowed only for
 * mkdir (else ENOENT); a removed directory is ENOENT; a read-only filesystem EROFS. The
 * caller then asks may_create() (permission.ts mayCreate) where its vfs_*() function does.
 */
export function filenameCreate(k: SyscallContext, dirfd: number, path: string, forDir: boolean): { dir: Loc; name: string } {
  const ns = k.state.vfs.ns;
  const p = ns.resolveParent(startOf(k, dirfd, path), path, walkOf(k));
  if (p.kind !== 'norm') fail('EEXIST');
  if (ns.child(p.dir, p.name)) fail('EEXIST');
  if (p.trailingSlash && !forDir) fail('ENOENT');
  if (p.dir.node.unlinked) fail('ENOENT');
  if (p.dir.node.fs.readOnly) fail('EROFS');
  return { dir: p.dir, name: p.name };
}

/** filename_parentat() for a path argument (search permission on the way, permission.ts). */
export function parentOf(k: SyscallContext, dirfd: number, path: string): ParentLookup {
  return k.state.vfs.ns.resolveParent(startOf(k, dirfd, path), path, walkOf(k));
}

/** Whether `node` is `loc`'s object or one of its ancestors (rename into itself). */
export function isAncestor(node: Loc['node'], loc: Loc): boolean {
  for (let l: Loc | null = loc; l; l = l.parent) if (l.node === node) return true;
  return false;
}
