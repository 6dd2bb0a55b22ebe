// sendmsg(2) and recvmsg(2), net/socket.c ___sys_sendmsg / ___sys_recvmsg: the socket (EBADF,
// ENOTSOCK), the struct msghdr copied in (EFAULT; a NULL msg_name has no length, a negative
// msg_namelen is EINVAL, more than sockaddr_storage is clamped; sendmsg copies the name in;
// more than UIO_MAXIOV iovecs is EMSGSIZE), the iovecs (import_iovec: EFAULT, EINVAL), then
// the protocol (io.ts). recvmsg writes the source address through msg_name/msg_namelen
// (move_addr_to_user), msg_flags (MSG_TRUNC, and MSG_CMSG_CLOEXEC if asked) and
// msg_controllen (how much of the control buffer the control messages took).
//
// Control messages, AF_UNIX only (net/core/scm.c, net/unix/af_unix.c): sendmsg copies the
// control buffer in (ENOBUFS past optmem_max, EFAULT) and parses it as __scm_send does:
// every cmsghdr whose 16-byte header fits is checked (cmsg_len below 16 or past the buffer:
// EINVAL); other levels than SOL_SOCKET are skipped; SCM_RIGHTS adds (cmsg_len - 16) / 4 fds
// (EBADF for one not open, O_PATH allowed; EINVAL past SCM_MAX_FD in all); SCM_CREDENTIALS
// must be exactly CMSG_LEN(12) and pass scm_check_creds (uid/gid -1 EINVAL; another pid
// needs CAP_SYS_ADMIN, ids other than our real/effective/saved ones CAP_SETUID/CAP_SETGID:
// EPERM; a pid that does not exist ESRCH); any other SOL_SOCKET type EINVAL. The files ride
// with the bytes (unix.ts). recvmsg runs scm_recv: without msg_control, MSG_CTRUNC if there
// was something to say (files put); with SO_PASSCRED an SCM_CREDENTIALS (put_cmsg, cut to
// the room with MSG_CTRUNC), then scm_detach_fds: as many fds as fit installed (lowest free,
// MSG_CMSG_CLOEXEC), the rest put, MSG_CTRUNC if any was left out.
// Control messages on AF_INET and AF_INET6 sockets: UDP's are cmsg.ts's (IP_PKTINFO, IP_TTL,
// IP_TOS, IPV6_PKTINFO, IPV6_HOPLIMIT, IPV6_TCLASS sent and received); TCP ignores all but
// SOL_SOCKET ones (tcpCmsgs).

import { MemoryFault } from '../../emulator/memory.ts';
import type { SyscallContext } from '../context.ts';
import { userAddr, userSize } from '../context.ts';
import { fail } from '../errors.ts';
import { copyIn, copyOut, StructBuilder } from '../user-memory.ts';
import { importIovec, UIO_MAXIOV } from '../vfs/iovec.ts';
import { totalLength } from '../vfs/iovec-io.ts';
import { AF_INET6, CAP_SETGID, CAP_SETUID, CAP_SYS_ADMIN, CAP_SYS_RESOURCE, MSG_CMSG_CLOEXEC, MSG_CTRUNC, SCM_CREDENTIALS, SCM_RIGHTS, SOCK_STREAM, SOL_SOCKET } from '../abi.ts';
import { udpRecvCmsgs } from './cmsg.ts';
import { CMSGHDR, MSGHDR, UCRED } from '../abi-structs.ts';
import { nofileLimit } from '../vfs/fd-util.ts';
import type { OpenFile } from '../vfs/file.ts';
import { addrFromUser, addrToUser, netOf, SOCKADDR_STORAGE, sockOf } from './common.ts';
import { recvData, sendData } from './io.ts';
import { disposeFds, SCM_MAX_FD, type RecvScm, type SendScm, type SkbCreds, type SocketFile } from './unix.ts';

/** sizeof(ctl) in ___sys_sendmsg: a control buffer this small lives on the stack. */
const CTL_ON_STACK = 36;
/** net.core.optmem_max (Linux 6.1 default): sock_kmalloc refuses a control buffer this big (ENOBUFS). */
const OPTMEM_MAX = 20480;
/** overflowuid / overflowgid: what from_kuid_munged makes of INVALID_UID. */
const OVERFLOW_ID = 65534;

/** CMSG_ALIGN (include/linux/socket.h): to sizeof(long). */
const cmsgAlign = (n: number) => (n + 7) & ~7;
/** CMSG_LEN / CMSG_SPACE. */
const cmsgLen = (n: number) => CMSGHDR.SIZE + n;
const cmsgSpace = (n: number) => CMSGHDR.SIZE + cmsgAlign(n);

interface UserMsg {
  name: number;
  namelen: number;
  iov: number;
  iovlen: bigint;
  control: number;
  controllen: number;
  /** msg_flags as the caller left it (sendmmsg lets MSG_EOR through: allowed_msghdr_flags). */
  flags: number;
}

/** copy_msghdr_from_user(). */
function readMsghdr(k: SyscallContext, addr: number): UserMsg {
  const v = copyIn(k.mem, addr, MSGHDR.SIZE);
  const name = userAddr(v.getBigUint64(MSGHDR.msg_name, true));
  let namelen = name ? v.getInt32(MSGHDR.msg_namelen, true) : 0;
  if (namelen < 0) fail('EINVAL');
  if (namelen > SOCKADDR_STORAGE) namelen = SOCKADDR_STORAGE;
  return {
    name,
    namelen,
    iov: userAddr(v.getBigUint64(MSGHDR.msg_iov, true)),
    iovlen: v.getBigUint64(MSGHDR.msg_iovlen, true),
    control: userAddr(v.getBigUint64(MSGHDR.msg_control, true)),
    controllen: userSize(v.getBigUint64(MSGHDR.msg_controllen, true)),
    flags: v.getUint32(MSGHDR.msg_flags, true),
  };
}

export function sendmsg(k: SyscallContext): number {
  const file = sockOf(k, k.i32(0));
  return sendOneMsg(k, file, k.addr(1), k.u32(2)).ret;
}

/**
 * ___sys_sendmsg on a looked-up socket: the struct msghdr at msgAddr, then the protocol.
 * allowedMsgFlags: the msg_flags bits that join `flags` (sendmmsg passes MSG_EOR). `left`
 * is msg_data_left() afterwards: bytes of the iovecs not sent (a short stream send).
 */
export function sendOneMsg(k: SyscallContext, file: SocketFile, msgAddr: number, flags: number, allowedMsgFlags = 0): { ret: number; left: number } {
  const m = readMsghdr(k, msgAddr);
  flags |= m.flags & allowedMsgFlags;
  const name = m.name && m.namelen ? addrFromUser(k, m.name, m.namelen) : undefined;
  if (m.iovlen > BigInt(UIO_MAXIOV)) fail('EMSGSIZE');
  const segs = importIovec(k.mem, m.iov, Number(m.iovlen));
  if (m.controllen > 0x7fffffff) fail('ENOBUFS');
  let scm: SendScm | undefined;
  let inetCtl: Uint8Array | undefined;
  if (m.controllen) {
    // sock_kmalloc: size <= optmem_max and omem_alloc + size < optmem_max.
    if (m.controllen > CTL_ON_STACK && m.controllen >= OPTMEM_MAX) fail('ENOBUFS');
    const ctl = k.mem.read(m.control, m.controllen).slice();
    if (file.sock.netlink) k.unsupported('control messages in sendmsg on an AF_NETLINK socket');
    if (file.sock.inet) {
      if (file.sock.type === SOCK_STREAM) tcpCmsgs(k, ctl);
      else inetCtl = ctl;
    } else scm = scmSend(k, ctl);
  }
  const data = new Uint8Array(totalLength(segs));
  let off = 0;
  for (const s of segs) {
    if (s.len) data.set(k.mem.read(s.base, s.len), off);
    off += s.len;
  }
  const ret = sendData(k, file, data, flags, name, scm, inetCtl);
  return { ret, left: Math.max(0, data.length - ret) };
}

/**
 * tcp_sendmsg_locked's sock_cmsg_send: only SOL_SOCKET control messages mean anything to TCP
 * (SCM_RIGHTS and SCM_CREDENTIALS are ignored); the others are skipped. Ignored here likewise;
 * a malformed header or another SOL_SOCKET type (an EINVAL Linux reports only once the
 * connection is up, or SO_MARK / SO_TIMESTAMPING) stops.
 */
function tcpCmsgs(k: SyscallContext, ctl: Uint8Array): void {
  const v = new DataView(ctl.buffer, ctl.byteOffset, ctl.byteLength);
  for (let off = 0; off + CMSGHDR.SIZE <= ctl.length; ) {
    const len64 = v.getBigUint64(off + CMSGHDR.cmsg_len, true);
    if (len64 < BigInt(CMSGHDR.SIZE) || len64 > BigInt(ctl.length - off)) k.unsupported('a malformed control message in a TCP sendmsg');
    const type = v.getInt32(off + CMSGHDR.cmsg_type, true);
    if (v.getInt32(off + CMSGHDR.cmsg_level, true) === SOL_SOCKET && type !== SCM_RIGHTS && type !== SCM_CREDENTIALS) {
      k.unsupported(`SOL_SOCKET control message ${type} in a TCP sendmsg`);
    }
    off += cmsgAlign(Number(len64));
  }
}

/** __scm_send over the copied control buffer. */
function scmSend(k: SyscallContext, ctl: Uint8Array): SendScm {
  const v = new DataView(ctl.buffer, ctl.byteOffset, ctl.byteLength);
  const scm: SendScm = {};
  const fds: OpenFile[] = [];
  // for_each_cmsghdr: CMSG_FIRSTHDR needs a whole header; __cmsg_nxthdr stops when the next one does not fit.
  for (let off = 0; off + CMSGHDR.SIZE <= ctl.length; ) {
    const len64 = v.getBigUint64(off + CMSGHDR.cmsg_len, true);
    // CMSG_OK
    if (len64 < BigInt(CMSGHDR.SIZE) || len64 > BigInt(ctl.length - off)) fail('EINVAL');
    const len = Number(len64);
    const level = v.getInt32(off + CMSGHDR.cmsg_level, true);
    const type = v.getInt32(off + CMSGHDR.cmsg_type, true);
    const dataOff = off + CMSGHDR.SIZE;
    if (level === SOL_SOCKET) {
      if (type === SCM_RIGHTS) {
        // scm_fp_copy (fget_raw: O_PATH descriptors pass).
        const num = Math.floor((len - CMSGHDR.SIZE) / 4);
        if (num > 0) {
          if (num > SCM_MAX_FD || fds.length + num > SCM_MAX_FD) fail('EINVAL');
          for (let i = 0; i < num; i++) {
            const fd = v.getInt32(dataOff + i * 4, true);
            const f = fd < 0 ? undefined : k.state.fds.getRaw(fd);
            if (!f) fail('EBADF');
            fds.push(f);
          }
        }
      } else if (type === SCM_CREDENTIALS) {
        if (len !== cmsgLen(UCRED.SIZE)) fail('EINVAL');
        scm.creds = checkCreds(k, {
          pid: v.getInt32(dataOff + UCRED.pid, true),
          uid: v.getInt32(dataOff + UCRED.uid, true),
          gid: v.getInt32(dataOff + UCRED.gid, true),
        });
      } else fail('EINVAL');
    }
    off += cmsgAlign(len);
  }
  if (fds.length) {
    scm.fds = fds;
    // too_many_unix_fds(): more files in flight than RLIMIT_NOFILE, without CAP_SYS_RESOURCE or CAP_SYS_ADMIN.
    scm.attach = () => {
      const c = k.state.proc.creds;
      if (netOf(k).inflightFds > nofileLimit(k) && !c.capable(CAP_SYS_RESOURCE) && !c.capable(CAP_SYS_ADMIN)) fail('ETOOMANYREFS');
    };
  }
  return scm;
}

/** scm_check_creds, then find_get_pid (ESRCH) for the pid. */
function checkCreds(k: SyscallContext, u: SkbCreds): SkbCreds {
  const c = k.state.proc.creds;
  if (u.uid === -1 || u.gid === -1) fail('EINVAL');
  const ids = (s: { r: number; e: number; s: number }, id: number) => id === s.r || id === s.e || id === s.s;
  const ok =
    (u.pid === k.state.pid || c.capable(CAP_SYS_ADMIN)) &&
    (ids(c.uid, u.uid >>> 0) || c.capable(CAP_SETUID)) &&
    (ids(c.gid, u.gid >>> 0) || c.capable(CAP_SETGID));
  if (!ok) fail('EPERM');
  const exists = (pid: number) => k.state.procs.list.some((p) => p.pid === pid || (!p.exit && p.state.thread.find(pid) !== undefined));
  if (u.pid !== k.state.pid && (u.pid <= 0 || !exists(u.pid))) fail('ESRCH');
  return { pid: u.pid, uid: u.uid >>> 0, gid: u.gid >>> 0 };
}

export function recvmsg(k: SyscallContext): number {
  const file = sockOf(k, k.i32(0));
  return recvOneMsg(k, file, k.addr(1), k.u32(2)).ret;
}

/**
 * ___sys_recvmsg on a looked-up socket: the struct msghdr at msgAddr, the protocol, then the
 * msghdr fields written back. msgFlags: the msg_flags written (recvmmsg looks for MSG_OOB).
 */
export function recvOneMsg(k: SyscallContext, file: SocketFile, msgAddr: number, flags: number): { ret: number; msgFlags: number } {
  const m = readMsghdr(k, msgAddr);
  if (m.iovlen > BigInt(UIO_MAXIOV)) fail('EMSGSIZE');
  const segs = importIovec(k.mem, m.iov, Number(m.iovlen));
  const r = recvData(file, totalLength(segs), flags, true);
  let off = 0;
  for (const s of segs) {
    if (off >= r.data.length) break;
    const n = Math.min(s.len, r.data.length - off);
    k.mem.write(s.base, r.data.subarray(off, off + n));
    off += n;
  }
  const out = { flags: r.msgFlags | (flags & MSG_CMSG_CLOEXEC), control: m.control, controllen: m.controllen };
  if (r.scm) {
    try {
      scmRecv(k, file, r.scm, out);
    } finally {
      disposeFds(r.scm.fds);
    }
  }
  // udp_recvmsg / udpv6_recvmsg: the IP control messages the socket asked for (cmsg.ts).
  if (r.ip) for (const c of udpRecvCmsgs(file.sock, r.ip, file.sock.family === AF_INET6)) putCmsg(k, out, c.level, c.type, c.data);
  if (m.name) addrToUser(k, r.addr ?? new Uint8Array(0), m.name, msgAddr + MSGHDR.msg_namelen);
  copyOut(k.mem, msgAddr + MSGHDR.msg_flags, new StructBuilder(4).u32(0, out.flags));
  copyOut(k.mem, msgAddr + MSGHDR.msg_controllen, new StructBuilder(8).u64(0, BigInt(out.control - m.control)));
  return { ret: r.ret, msgFlags: out.flags };
}

interface MsgOut {
  flags: number;
  control: number;
  controllen: number;
}

/** Guest writes of put_cmsg / scm_detach_fds: false on a fault (Linux ignores it: EFAULT is not reported). */
function tryWrite(k: SyscallContext, addr: number, bytes: Uint8Array): boolean {
  try {
    k.mem.write(addr, bytes);
    return true;
  } catch (e) {
    if (e instanceof MemoryFault) return false;
    throw e;
  }
}

/** scm_recv (include/net/scm.h). The passed files stay the caller's to put. */
function scmRecv(k: SyscallContext, file: SocketFile, scm: RecvScm, out: MsgOut): void {
  const passcred = file.sock.passcred;
  if (!out.control) {
    if (passcred || scm.fds?.length) out.flags |= MSG_CTRUNC;
    return;
  }
  if (passcred) {
    const b = new StructBuilder(UCRED.SIZE)
      .u32(UCRED.pid, scm.creds.pid >>> 0)
      .u32(UCRED.uid, scm.creds.uid === -1 ? OVERFLOW_ID : scm.creds.uid)
      .u32(UCRED.gid, scm.creds.gid === -1 ? OVERFLOW_ID : scm.creds.gid);
    putCmsg(k, out, SOL_SOCKET, SCM_CREDENTIALS, b.bytes);
  }
  if (scm.fds?.length) detachFds(k, out, scm.fds);
}

/** put_cmsg (net/core/scm.c). */
function putCmsg(k: SyscallContext, out: MsgOut, level: number, type: number, data: Uint8Array): void {
  if (!out.control || out.controllen < CMSGHDR.SIZE) {
    out.flags |= MSG_CTRUNC;
    return;
  }
  let cmlen = cmsgLen(data.length);
  if (out.controllen < cmlen) {
    out.flags |= MSG_CTRUNC;
    cmlen = out.controllen;
  }
  const b = new Uint8Array(cmlen);
  const v = new DataView(b.buffer);
  v.setBigUint64(CMSGHDR.cmsg_len, BigInt(cmlen), true);
  v.setInt32(CMSGHDR.cmsg_level, level, true);
  v.setInt32(CMSGHDR.cmsg_type, type, true);
  b.set(data.subarray(0, cmlen - CMSGHDR.SIZE), CMSGHDR.SIZE);
  if (!tryWrite(k, out.control, b)) return;
  const used = Math.min(cmsgSpace(data.length), out.controllen);
  out.control += used;
  out.controllen -= used;
}

/** scm_detach_fds (net/core/scm.c): receive_fd_user for as many as fit, then the header. */
function detachFds(k: SyscallContext, out: MsgOut, files: OpenFile[]): void {
  const cloexec = (out.flags & MSG_CMSG_CLOEXEC) !== 0;
  const fdmax = Math.min(out.controllen <= CMSGHDR.SIZE ? 0 : Math.floor((out.controllen - CMSGHDR.SIZE) / 4), files.length);
  const fds = k.state.fds;
  const limit = nofileLimit(k);
  let i = 0;
  for (; i < fdmax; i++) {
    // __receive_fd: get_unused_fd_flags (EMFILE), put_user of the number (EFAULT), fd_install.
    const fd = fds.lowestFree();
    if (fd >= limit) break;
    if (!tryWrite(k, out.control + CMSGHDR.SIZE + i * 4, new StructBuilder(4).u32(0, fd).bytes)) break;
    fds.install(fd, files[i], cloexec);
  }
  if (i > 0) {
    const h = new StructBuilder(CMSGHDR.SIZE).u32(CMSGHDR.cmsg_level, SOL_SOCKET).u32(CMSGHDR.cmsg_type, SCM_RIGHTS);
    const hv = new DataView(h.bytes.buffer, h.bytes.byteOffset);
    hv.setBigUint64(CMSGHDR.cmsg_len, BigInt(cmsgLen(i * 4)), true);
    if (tryWrite(k, out.control, h.bytes)) {
      const used = Math.min(cmsgSpace(i * 4), out.controllen);
      out.control += used;
      out.controllen -= used;
    }
  }
  if (i < files.length || (files.length && fdmax <= 0)) out.flags |= MSG_CTRUNC;
}
