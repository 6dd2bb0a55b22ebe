// openat(2) and openat2(2), in the order of Linux 6.1 fs/open.c + fs/namei.c:
//   build_open_flags: O_PATH keeps only O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC; O_CREAT with
//     O_DIRECTORY is EINVAL (43b450632676, 6.4, backported to 6.1.30 as 7bf4f2481661: the
//     6.1.y zerosys follows, linux-version.ts; 6.1.0-6.1.29 created a file, ENOTDIR); the mode is used only when creating (& 07777, then ~umask);
//   the path (EFAULT, ENAMETOOLONG, "" → ENOENT); a free descriptor (EMFILE);
//   the walk. With O_CREAT: "." / ".." / "/" or a trailing slash → EISDIR; an existing
//     name with O_EXCL → EEXIST (a symlink is not followed); a symlink without O_EXCL is
//     followed (O_NOFOLLOW: ELOOP) and a dangling one creates its target;
//   search permission on every directory of the walk (EACCES); a new name needs write
//     and search permission on its directory (may_o_create: EACCES), an existing one not;
//   do_open / may_open: O_CREAT on a directory → EISDIR, O_DIRECTORY on a non-directory →
//     ENOTDIR, a symlink (O_NOFOLLOW) → ELOOP, a directory for writing or O_TRUNC →
//     EISDIR, writing on a read-only filesystem → EROFS, read/write permission as asked
//     (O_TRUNC asks for write; nothing for a file just created) → EACCES, O_NOATIME on
//     another's file without CAP_FOWNER → EPERM (permission.ts); do_dentry_open: a regular
//     file opened for writing while a process runs it → ETXTBSY (get_write_access: i_writecount
//     < 0, node.ts), and for O_TRUNC whatever the access mode (handle_truncate); O_TRUNC empties a
//     regular file that was not just created (and, without CAP_FSETID, clears its S_ISUID
//     / S_ISGID as do_truncate() does; so does every write through the description).
// O_TMPFILE: a nameless file in a tmpfs directory (EOPNOTSUPP elsewhere, as on a
// filesystem without ->tmpfile; linkat cannot give it a name: ENOENT).
// Partial: O_ASYNC, host FIFOs/sockets/devices and openat2's RESOLVE_* stop.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { fail } from '../errors.ts';
import { copyIn } from '../user-memory.ts';
import {
  O_ACCMODE,
  O_ASYNC,
  O_CLOEXEC,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_LARGEFILE,
  O_NOCTTY,
  O_NOFOLLOW,
  O_PATH,
  O_RDONLY,
  O_RDWR,
  O_WRONLY,
  O_TMPFILE_BIT,
  O_TRUNC,
  MAXSYMLINKS,
} from './constants.ts';
import { nofileLimit, pathArg, startOf } from './fd-util.ts';
import type { OpenFile } from './file.ts';
import { Loc, type MagicLink } from './namespace.ts';
import { DirFile, OPathFile, RegularFile } from './open-files.ts';
import { initOwner, stripSgid } from './owner.ts';
import { credsOf, inodePermission, MAY_EXEC, MAY_WRITE, mayCreate, mayOpen, must, openAccess, removePrivs, walkAs } from './permission.ts';

const O_PATH_FLAGS = O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC;
/** Every flag open() knows (VALID_OPEN_FLAGS); openat ignores others, openat2 refuses them. */
const VALID_OPEN_FLAGS = 0o3 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800 | 0x1000 | 0x2000 | 0x4000 | 0x8000 | 0x10000 | 0x20000 | 0x40000 | 0x80000 | 0x100000 | 0x200000 | 0x400000;

export function openat(k: SyscallContext): number {
  // fs/open.c SYSCALL_DEFINE4(openat): `if (force_o_largefile()) flags |= O_LARGEFILE;` (true
  // on 64-bit: every file opened here shows O_LARGEFILE in F_GETFL), then build_open_how()
  // keeps only O_PATH_FLAGS of an O_PATH open.
  let flags = (k.i32(2) | O_LARGEFILE) & VALID_OPEN_FLAGS;
  if (flags & O_PATH) flags &= O_PATH_FLAGS;
  const mode = flags & (O_CREAT | O_TMPFILE_BIT) ? k.u32(3) & 0o7777 : 0;
  return openCommon(k, k.i32(0), flags, mode);
}

/** struct open_how { u64 flags; u64 mode; u64 resolve; } */
const OPEN_HOW_SIZE_VER0 = 24;
/** include/uapi/linux/openat2.h: RESOLVE_NO_XDEV 1 ... RESOLVE_CACHED 0x20 (VALID_RESOLVE_FLAGS). */
const RESOLVE_BENEATH = 0x08n;
const RESOLVE_IN_ROOT = 0x10n;
const VALID_RESOLVE_FLAGS = 0x3fn;

export function openat2(k: SyscallContext): number {
  const size = k.size(3); // size_t usize: beyond 2^53 still > PAGE_SIZE, E2BIG
  if (size < OPEN_HOW_SIZE_VER0) return -E.EINVAL;
  if (size > 4096) return -E.E2BIG;
  const how = copyIn(k.mem, k.addr(2), Math.min(size, 4096));
  for (let i = OPEN_HOW_SIZE_VER0; i < size; i++) if (how.getUint8(i)) return -E.E2BIG;
  const flags64 = how.getBigUint64(0, true);
  const mode64 = how.getBigUint64(8, true);
  const resolve = how.getBigUint64(16, true);
  if (flags64 & ~BigInt(VALID_OPEN_FLAGS)) return -E.EINVAL;
  let flags = Number(flags64);
  // SYSCALL_DEFINE4(openat2): "O_LARGEFILE is only allowed for non-O_PATH", then forced (64-bit).
  if (!(flags & O_PATH)) flags |= O_LARGEFILE;
  // fs/open.c build_open_flags(): `if (how->resolve & ~VALID_RESOLVE_FLAGS) return -EINVAL;`,
  // then RESOLVE_BENEATH with RESOLVE_IN_ROOT is EINVAL; the argument checks come first.
  if (resolve & ~VALID_RESOLVE_FLAGS) return -E.EINVAL;
  if (resolve & RESOLVE_BENEATH && resolve & RESOLVE_IN_ROOT) return -E.EINVAL;
  const creating = (flags & (O_CREAT | O_TMPFILE_BIT)) !== 0;
  if (creating ? mode64 & ~0o7777n : mode64 !== 0n) return -E.EINVAL;
  if (flags & O_PATH && flags & ~O_PATH_FLAGS) return -E.EINVAL;
  if (resolve) k.unsupported(`openat2 resolve flags 0x${resolve.toString(16)}`);
  flags &= VALID_OPEN_FLAGS;
  return openCommon(k, k.i32(0), flags, Number(mode64));
}

function openCommon(k: SyscallContext, dirfd: number, flags: number, mode: number): number {
  if ((flags & (O_DIRECTORY | O_CREAT)) === (O_DIRECTORY | O_CREAT)) return -E.EINVAL;
  if (flags & O_TMPFILE_BIT && (flags & O_ACCMODE) === O_RDONLY) return -E.EINVAL;
  if (flags & O_ASYNC) k.unsupported('O_ASYNC (signal-driven I/O)');
  const path = pathArg(k, 1);
  if (path === '') return -E.ENOENT;
  const limit = nofileLimit(k);
  if (k.state.fds.lowestFree() >= limit) return -E.EMFILE;
  const file = openPath(k, startOf(k, dirfd, path), path, flags, mode);
  return k.state.fds.allocate(file, limit, (flags & O_CLOEXEC) !== 0);
}

/** Open path from start with open(2) flags; the mode is applied when creating. */
export function openPath(k: SyscallContext, start: Loc, path: string, flags: number, mode: number): OpenFile {
  const vfs = k.state.vfs;
  const ns = vfs.ns;
  const creds = credsOf(k);
  const walk = walkAs(creds);
  let loc: Loc;
  let created = false;
  if (flags & O_TMPFILE_BIT) {
    const dir = ns.resolve(start, path, true, walk);
    if (dir.node.type !== 'dir') fail('ENOTDIR');
    must(inodePermission(creds, dir.node, MAY_WRITE | MAY_EXEC)); // vfs_tmpfile(): "we want directory to be writable"
    const node = dir.node.tmpfile(stripSgid(k, dir.node, mode) & ~vfs.umask);
    initOwner(k, dir.node, node);
    node.getWriteAccess(); // do_dentry_open(): O_TMPFILE is always opened for writing
    const file = new RegularFile(new Loc(node, dir, `#${node.stat().ino}`), flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC), node.openData(flags));
    file.onRelease(() => node.putWriteAccess()); // __fput(): FMODE_WRITER
    file.removePrivs = () => removePrivs(creds, node);
    return file;
  } else if (flags & O_CREAT) {
    let p = ns.resolveParent(start, path, walk);
    for (;;) {
      if (p.kind !== 'norm' || p.trailingSlash) fail('EISDIR');
      const existing = ns.child(p.dir, p.name);
      if (!existing) {
        // lookup_open(): IS_DEADDIR ENOENT, may_o_create()'s EROFS / EACCES — which only
        // count when the name is free: an existing file opens without write permission on
        // its directory.
        mayCreate(creds, p.dir.node);
        const node = p.dir.node.create(p.name, stripSgid(k, p.dir.node, mode) & ~vfs.umask);
        initOwner(k, p.dir.node, node);
        loc = new Loc(node, p.dir, p.name);
        created = true;
        break;
      }
      if (flags & O_EXCL) fail('EEXIST');
      if (existing.node.type !== 'lnk') {
        loc = existing;
        break;
      }
      if (flags & O_NOFOLLOW) fail('ELOOP');
      if (++walk.links > MAXSYMLINKS) fail('ELOOP');
      const jumped = (existing.node as Partial<MagicLink>).jump?.();
      if (jumped) {
        loc = jumped;
        break;
      }
      p = ns.resolveParent(p.dir, existing.node.readlink(), walk);
    }
  } else {
    loc = ns.resolve(start, path, !(flags & O_NOFOLLOW), walk);
  }

  const node = loc.node;
  const status = flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
  if (flags & O_CREAT && node.type === 'dir') fail('EISDIR');
  if (flags & O_DIRECTORY && node.type !== 'dir') fail('ENOTDIR');
  if (flags & O_PATH) return new OPathFile(loc, status); // do_o_path(): no may_open()
  // may_open(): ELOOP, EISDIR for writing a directory, EROFS, EACCES, O_NOATIME's EPERM.
  mayOpen(creds, node, openAccess(flags, created), flags);
  switch (node.type) {
    case 'dir':
      return new DirFile(loc, status);
    case 'reg': {
      // do_dentry_open(): a description for writing counts in i_writecount
      // (get_write_access: ETXTBSY while a process runs the file), until __fput().
      const writer = (flags & O_ACCMODE) === O_WRONLY || (flags & O_ACCMODE) === O_RDWR; // FMODE_WRITE (OPEN_FMODE: not for 3)
      if (writer) node.getWriteAccess();
      let data;
      try {
        data = node.openData(flags);
      } catch (e) {
        if (writer) node.putWriteAccess();
        throw e;
      }
      // handle_truncate() after the open, whatever the access mode (O_RDONLY|O_TRUNC empties
      // the file too: get_write_access() there is ETXTBSY for a running program); if it
      // fails, what was opened is closed again.
      try {
        if (!created && flags & O_TRUNC) {
          node.getWriteAccess();
          try {
            node.truncate(0);
          } finally {
            node.putWriteAccess();
          }
          removePrivs(creds, node); // do_truncate()
        }
      } catch (e) {
        data.close();
        if (writer) node.putWriteAccess();
        throw e;
      }
      const file = new RegularFile(loc, status, data);
      if (writer) file.onRelease(() => node.putWriteAccess()); // __fput(): FMODE_WRITER
      file.removePrivs = () => removePrivs(creds, node);
      return file;
    }
    default:
      // Devices, and pipes / streams reopened through /proc/self/fd.
      if (node.fs.fsType === 'hostfs') k.unsupported(`opening the host ${node.type} ${loc.path()}`);
      return node.openSpecial(loc, status);
  }
}
