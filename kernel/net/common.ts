// What the socket syscalls share (net/socket.c): the socket behind an fd, the address copies
// in and out of the guest, AF_UNIX address parsing and lookup (af_unix.c), credentials.

import type { SyscallContext } from '../context.ts';
import { SyscallErrno, fail } from '../errors.ts';
import { E } from '../errno.ts';
import type { KernelState } from '../state.ts';
import { copyIn, copyOut, StructBuilder } from '../user-memory.ts';
import { AT_FDCWD } from '../vfs/at.ts';
import { nofileLimit } from '../vfs/fd-util.ts';
import { filenameCreate } from '../vfs/names.ts';
import { initOwner } from '../vfs/owner.ts';
import { credsOf, inodePermission, MAY_WRITE, mayCreate, must, walkOf } from '../vfs/permission.ts';
import { AF_INET, AF_NETLINK, AF_UNIX, O_NONBLOCK, SOCK_CLOEXEC, SOCK_NONBLOCK } from '../abi.ts';
import { initInet, inetName } from './inet.ts';
import { initNetlink, netlinkName } from './netlink.ts';
import { SOCKADDR_UN } from '../abi-structs.ts';
import { NetState, SocketFile, UnixSock, type Ucred } from './unix.ts';

/** sizeof(struct sockaddr_storage). */
export const SOCKADDR_STORAGE = 128;
/** offsetof(struct sockaddr_un, sun_path). */
export const SUN_PATH = SOCKADDR_UN.sun_path;
/** SOCK_TYPE_MASK (include/linux/net.h, not UAPI: the low four bits of the type argument). */
export const SOCK_TYPE_MASK = 0xf;

const nets = new WeakMap<KernelState, NetState>();
/** The net module's state for this kernel, made on first use. */
export function netOf(k: SyscallContext): NetState {
  let n = nets.get(k.state);
  if (!n) nets.set(k.state, (n = new NetState()));
  return n;
}

/** sockfd_lookup_light(): EBADF for a closed fd, ENOTSOCK for another kind of file. */
export function sockOf(k: SyscallContext, fd: number): SocketFile {
  const file = k.state.fds.get(fd);
  if (!file) fail('EBADF');
  if (!(file instanceof SocketFile)) fail('ENOTSOCK');
  return file;
}

/** The caller as SO_PEERCRED / SCM_CREDENTIALS show it: tgid, euid, egid (cred_to_ucred). */
export function callerCred(k: SyscallContext): Ucred {
  const c = k.state.proc.creds;
  return { pid: k.state.pid, uid: c.uid.e, gid: c.gid.e, ruid: c.uid.r, rgid: c.gid.r };
}

/** A new socket of `type` on the next free fd (SOCK_CLOEXEC / SOCK_NONBLOCK in flags); AF_INET with its protocol. */
export function newSocket(k: SyscallContext, type: number, flags: number, family = AF_UNIX, protocol = 0): { fd: number; file: SocketFile } {
  const net = netOf(k);
  const sock = new UnixSock(net, k.state.vfs, type, net.allocIno());
  if (family === AF_INET) initInet(sock, protocol);
  if (family === AF_NETLINK) initNetlink(sock, protocol);
  const file = new SocketFile(sock, flags & SOCK_NONBLOCK ? O_NONBLOCK : 0);
  file.credOf = () => callerCred(k);
  const fd = k.state.fds.allocate(file, nofileLimit(k), (flags & SOCK_CLOEXEC) !== 0);
  return { fd, file };
}

/** move_addr_to_kernel(): EINVAL for a length below 0 or above sockaddr_storage, EFAULT; 0 bytes copy nothing. */
export function addrFromUser(k: SyscallContext, uaddr: number, len: number): Uint8Array {
  if (len < 0 || len > SOCKADDR_STORAGE) fail('EINVAL');
  if (len === 0) return new Uint8Array(0);
  return k.mem.read(uaddr, len).slice();
}

/**
 * move_addr_to_user(): the int at ulenAddr is read (EFAULT), clamped to the address's length
 * (negative: EINVAL), that many bytes copied to uaddr (EFAULT), and the full length stored.
 */
export function addrToUser(k: SyscallContext, kaddr: Uint8Array, uaddr: number, ulenAddr: number): void {
  let len = copyIn(k.mem, ulenAddr, 4).getInt32(0, true);
  if (len > kaddr.length) len = kaddr.length;
  if (len < 0) fail('EINVAL');
  if (len) copyOut(k.mem, uaddr, kaddr.subarray(0, len));
  copyOut(k.mem, ulenAddr, new StructBuilder(4).u32(0, kaddr.length));
}

/**
 * The peer's address (getpeername, accept): unix_getname of the peer (the family alone when
 * it is gone), inet_getname(peer) for AF_INET (ENOTCONN unless connected).
 */
export function peerNameOf(s: UnixSock): Uint8Array {
  if (s.inet) return inetName(s, true);
  if (s.netlink) return netlinkName(s, true);
  if (!s.peer) fail('ENOTCONN');
  return nameOf(s.peer);
}

/** unix_getname() of a socket: its address, or just the family (length 2) when unbound; inet_getname for AF_INET. */
export function nameOf(s: UnixSock | undefined): Uint8Array {
  if (s?.inet) return inetName(s, false);
  if (s?.netlink) return netlinkName(s, false);
  if (s?.addr) return s.addr;
  const b = new Uint8Array(SUN_PATH);
  new DataView(b.buffer).setUint16(0, AF_UNIX, true);
  return b;
}

export type UnixAddr = { kind: 'path'; path: string } | { kind: 'abstract'; name: string; bytes: Uint8Array };

/** unix_validate_addr(): EINVAL unless sun_path has at least one byte, fits, and the family is AF_UNIX. */
export function parseUnixAddr(raw: Uint8Array): UnixAddr {
  if (raw.length <= SUN_PATH || raw.length > SOCKADDR_UN.SIZE) fail('EINVAL');
  if (new DataView(raw.buffer, raw.byteOffset).getUint16(0, true) !== AF_UNIX) fail('EINVAL');
  const path = raw.subarray(SUN_PATH);
  if (path[0] !== 0) {
    // unix_mkname_bsd(): the path ends at the first NUL or at addr_len.
    const end = path.indexOf(0);
    return { kind: 'path', path: Buffer.from(path.subarray(0, end < 0 ? path.length : end)).toString('latin1') };
  }
  return { kind: 'abstract', name: Buffer.from(path).toString('latin1'), bytes: raw.slice() };
}

/** The address bytes a path binding stores: family, path, NUL (unix_bind_bsd's addr_len). */
function pathAddr(path: string): Uint8Array {
  const b = new Uint8Array(SUN_PATH + path.length + 1);
  new DataView(b.buffer).setUint16(0, AF_UNIX, true);
  b.set(Buffer.from(path, 'latin1'), SUN_PATH);
  return b;
}

const abstractKey = (type: number, name: string) => `${type}:${name}`;

/** unix_autobind(): an abstract name of five hex digits, once (a bound socket keeps its name). */
export function autobind(k: SyscallContext, s: UnixSock): void {
  if (s.addr) return;
  const net = netOf(k);
  for (;;) {
    const name = `\0${(net.autobindNext++ & 0xfffff).toString(16).padStart(5, '0')}`;
    const key = abstractKey(s.type, name);
    if (net.abstract.has(key)) continue;
    const b = new Uint8Array(SUN_PATH + name.length);
    new DataView(b.buffer).setUint16(0, AF_UNIX, true);
    b.set(Buffer.from(name, 'latin1'), SUN_PATH);
    s.addr = b;
    s.abstractKey = key;
    net.abstract.set(key, s);
    return;
  }
}

/**
 * unix_bind_bsd / unix_bind_abstract: the socket inode is made first (EADDRINUSE when the
 * name exists, the path walk's errnos otherwise, vfs_mknod()'s may_create(): EACCES without
 * write and search permission on the directory), owned as inode_init_owner() says, then a
 * socket already bound is EINVAL (and the new inode is removed again, as Linux's out_unlink
 * does).
 */
export function bindUnix(k: SyscallContext, s: UnixSock, addr: UnixAddr): void {
  const net = netOf(k);
  if (addr.kind === 'abstract') {
    if (s.addr) fail('EINVAL');
    const key = abstractKey(s.type, addr.name);
    if (net.abstract.has(key)) fail('EADDRINUSE');
    s.addr = addr.bytes;
    s.abstractKey = key;
    net.abstract.set(key, s);
    return;
  }
  let created: { dir: ReturnType<typeof filenameCreate>['dir']; name: string };
  try {
    created = filenameCreate(k, AT_FDCWD, addr.path, false);
  } catch (e) {
    if (e instanceof SyscallErrno && e.errno === E.EEXIST) fail('EADDRINUSE');
    throw e;
  }
  mayCreate(credsOf(k), created.dir.node);
  let node;
  try {
    node = created.dir.node.mksock(created.name, 0o777 & ~k.state.vfs.umask);
  } catch (e) {
    if (e instanceof SyscallErrno && e.errno === E.EEXIST) fail('EADDRINUSE');
    throw e;
  }
  initOwner(k, created.dir.node, node);
  if (s.addr) {
    created.dir.node.unlink(created.name);
    fail('EINVAL');
  }
  s.addr = pathAddr(addr.path);
  s.boundNode = node;
  net.byInode.set(node, s);
}

/**
 * unix_find_other(): a path is walked (ENOENT, ENOTDIR, EACCES, ...) and needs write
 * permission on what it names (unix_find_bsd(): path_permission(MAY_WRITE), EACCES); a file
 * that is not a bound socket is ECONNREFUSED, a socket of another type EPROTOTYPE. An
 * abstract name is looked up with the type (unix_abstract_hash): none is ECONNREFUSED.
 */
export function findUnix(k: SyscallContext, addr: UnixAddr, type: number): UnixSock {
  const net = netOf(k);
  if (addr.kind === 'abstract') {
    const s = net.abstract.get(abstractKey(type, addr.name));
    if (!s || s.dead) fail('ECONNREFUSED');
    return s;
  }
  const vfs = k.state.vfs;
  const loc = vfs.ns.resolve(addr.path.startsWith('/') ? vfs.ns.root : vfs.cwd, addr.path, true, walkOf(k));
  // path_permission(MAY_WRITE) without sb_permission()'s EROFS: the read-only /sys here
  // stands for a sysfs whose superblock Linux keeps writable, where connect() answers
  // ECONNREFUSED (as the reference does).
  const denied = inodePermission(credsOf(k), loc.node, MAY_WRITE);
  if (denied !== -E.EROFS) must(denied);
  const s = net.byInode.get(loc.node);
  if (loc.node.type !== 'sock' || !s || s.dead) fail('ECONNREFUSED');
  if (s.type !== type) fail('EPROTOTYPE');
  return s;
}
