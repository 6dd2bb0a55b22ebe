// The guest's file namespace: filesystems mounted on directories, and the path walk.
//
// Paths are walked here, one component at a time, as Linux's fs/namei.c does: "." stays,
// ".." goes to the parent (at "/" it stays at "/"; at a mount's root it leaves the mount),
// symlinks are read and resolved in this namespace (at most 40 per lookup, then ELOOP),
// a trailing slash demands a directory. No host path walk ever happens, so nothing outside
// the mounted filesystems can be reached.
//
// A walk made for a syscall carries the caller's credentials and checks search permission on
// every directory it passes, before each component (fs/namei.c link_path_walk() ->
// may_lookup(), permission.ts); the kernel's own lookups (mounts, the initial working
// directory) carry none and check nothing.
//
// A Loc is a place found by a walk: the object and the chain of names that led to it, so
// ".." and getcwd work across mounts. Names in a Loc are those of the walk; if a directory
// is later renamed, getcwd of a place inside it still shows the old name.

import { fail } from '../errors.ts';
import type { Credentials } from '../process/credentials.ts';
import { MAXSYMLINKS, NAME_MAX } from './constants.ts';
import type { Filesystem, Vnode } from './node.ts';
import { mayLookup } from './permission.ts';

export class Loc {
  constructor(
    readonly node: Vnode,
    /** null only for the namespace root. */
    readonly parent: Loc | null,
    readonly name: string,
  ) {}

  /** Absolute guest path. */
  path(): string {
    const names: string[] = [];
    for (let l: Loc | null = this; l?.parent; l = l.parent) names.push(l.name);
    return '/' + names.reverse().join('/');
  }
  /** The enclosing directory (the root is its own parent). */
  up(): Loc {
    return this.parent ?? this;
  }
}

/** A symlink whose target is an object rather than a path (/proc/self/fd/N, /proc/self/cwd). */
export interface MagicLink {
  jump(): Loc | undefined;
}
const isMagic = (n: Vnode): n is Vnode & MagicLink => typeof (n as Partial<MagicLink>).jump === 'function';

export type LastKind = 'norm' | 'dot' | 'dotdot' | 'root';

export interface ParentLookup {
  dir: Loc;
  /** Last component ("" for "/"). */
  name: string;
  kind: LastKind;
  /** The path ended in "/". */
  trailingSlash: boolean;
}

/** One lookup (Linux's nameidata): symlinks followed so far, and who walks. */
export interface Walk {
  links: number;
  /** Whose search permission each directory passed needs (walkAs() in permission.ts); none: the kernel's own lookup. */
  creds?: Credentials;
}

export class Namespace {
  readonly root: Loc;
  /** mount point → what is mounted on it. */
  private readonly mounts = new Map<Vnode, Filesystem>();
  private readonly mountRoots = new Set<Vnode>();
  /** Mounted filesystems with their guest path, in mount order (/proc/self/mounts). */
  readonly table: { path: string; fs: Filesystem }[] = [];

  constructor(rootFs: Filesystem) {
    this.root = new Loc(rootFs.root, null, '');
    rootFs.mntId = 1;
    this.mountRoots.add(rootFs.root);
    this.table.push({ path: '/', fs: rootFs });
  }

  /** Mount fs on the directory at path (which must exist). */
  mount(path: string, fs: Filesystem): void {
    const at = this.resolve(this.root, path, true);
    if (at.node.type !== 'dir') fail('ENOTDIR');
    this.mounts.set(at.node, fs);
    this.mountRoots.add(fs.root);
    fs.mntId = this.table.length + 1;
    this.table.push({ path: at.path(), fs });
  }

  /** A mount point or the root of a mounted filesystem: cannot be removed or renamed. */
  isMountBoundary(node: Vnode): boolean {
    return this.mountRoots.has(node) || this.mounts.has(node);
  }

  /** Entry `name` of directory `dir`, crossing into whatever is mounted there. */
  child(dir: Loc, name: string): Loc | undefined {
    const node = dir.node.lookup(name);
    if (!node) return undefined;
    let loc = new Loc(node, dir, name);
    for (let fs = this.mounts.get(loc.node); fs; fs = this.mounts.get(loc.node)) loc = new Loc(fs.root, dir, name);
    return loc;
  }

  /**
   * Walk path from start (absolute paths from the root). followLast: follow a symlink in
   * the last component (a trailing slash always does). Throws ENOENT, ENOTDIR, ELOOP,
   * ENAMETOOLONG as the walk meets them.
   */
  resolve(start: Loc, path: string, followLast: boolean, walk: Walk = { links: 0 }): Loc {
    if (path === '') fail('ENOENT');
    let loc = path.startsWith('/') ? this.root : start;
    const names = path.split('/').filter((c) => c !== '');
    const trailingSlash = path.endsWith('/');
    for (let i = 0; i < names.length; i++) {
      const last = i === names.length - 1;
      loc = this.step(loc, names[i], !last || followLast || trailingSlash, walk);
    }
    if (trailingSlash && loc.node.type !== 'dir') fail('ENOTDIR');
    return loc;
  }

  /** Walk all but the last component; the caller handles the last one (create, unlink, ...). */
  resolveParent(start: Loc, path: string, walk: Walk = { links: 0 }): ParentLookup {
    if (path === '') fail('ENOENT');
    let dir = path.startsWith('/') ? this.root : start;
    const names = path.split('/').filter((c) => c !== '');
    const trailingSlash = path.endsWith('/') && names.length > 0;
    if (names.length === 0) return { dir: this.root, name: '', kind: 'root', trailingSlash: false };
    for (const name of names.slice(0, -1)) dir = this.step(dir, name, true, walk);
    if (dir.node.type !== 'dir') fail('ENOTDIR');
    if (walk.creds) mayLookup(walk.creds, dir.node); // link_path_walk() checks before the last component too
    const name = names[names.length - 1];
    const kind: LastKind = name === '.' ? 'dot' : name === '..' ? 'dotdot' : 'norm';
    if (name.length > NAME_MAX) fail('ENAMETOOLONG');
    return { dir, name, kind, trailingSlash };
  }

  /** Follow the symlink at link (found in dir). */
  follow(dir: Loc, link: Loc, walk: Walk): Loc {
    if (++walk.links > MAXSYMLINKS) fail('ELOOP');
    if (isMagic(link.node)) {
      const to = link.node.jump();
      if (to) return to;
    }
    const target = link.node.readlink();
    return this.resolve(dir, target, true, walk);
  }

  private step(loc: Loc, name: string, follow: boolean, walk: Walk): Loc {
    if (loc.node.type !== 'dir') fail('ENOTDIR');
    if (walk.creds) mayLookup(walk.creds, loc.node);
    if (name === '.') return loc;
    if (name === '..') return loc.up();
    if (name.length > NAME_MAX) fail('ENAMETOOLONG');
    const next = this.child(loc, name);
    if (!next) fail('ENOENT');
    if (follow && next.node.type === 'lnk') return this.follow(loc, next, walk);
    return next;
  }
}
