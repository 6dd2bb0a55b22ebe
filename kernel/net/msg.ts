// sendmsg(2) and recvmsg(2), net/socket.c ___sys_sendmsg / ___sys_recvmsg: the socket (EBADF,
// ENOTSOCK), the struct msghdr copied in (EFAULT; a NULL msg_name has no length, a negative
// msg_namelen is EINVAL, more than sockaddr_storage is clamped; sendmsg copies the name in;
// more than UIO_MAXIOV iovecs is EMSGSIZE), the iovecs (import_iovec: EFAULT, EINVAL), then
// the protocol (io.ts). recvmsg writes the source address through msg_name/msg_namelen
// (move_addr_to_user), msg_flags (MSG_TRUNC, and MSG_CMSG_CLOEXEC if asked) and
// msg_controllen (0: no control message is produced).
// Control messages (SCM_RIGHTS, SCM_CREDENTIALS) are not provided: a sendmsg with a control
// buffer stops, and so does recvmsg on a socket with SO_PASSCRED.

import type { SyscallContext } from '../context.ts';
import { userAddr, userSize } from '../context.ts';
import { fail } from '../errors.ts';
import { copyIn, copyOut, StructBuilder } from '../user-memory.ts';
import { importIovec, UIO_MAXIOV } from '../vfs/iovec.ts';
import { totalLength } from '../vfs/iovec-io.ts';
import { MSG_CMSG_CLOEXEC } from '../abi.ts';
import { MSGHDR } from '../abi-structs.ts';
import { addrFromUser, addrToUser, SOCKADDR_STORAGE, sockOf } from './common.ts';
import { recvData, sendData } from './io.ts';

interface UserMsg {
  name: number;
  namelen: number;
  iov: number;
  iovlen: bigint;
  control: number;
  controllen: number;
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
  };
}

export function sendmsg(k: SyscallContext): number {
  const file = sockOf(k, k.i32(0));
  const flags = k.u32(2);
  const m = readMsghdr(k, k.addr(1));
  const name = m.name && m.namelen ? addrFromUser(k, m.name, m.namelen) : undefined;
  if (m.iovlen > BigInt(UIO_MAXIOV)) fail('EMSGSIZE');
  const segs = importIovec(k.mem, m.iov, Number(m.iovlen));
  if (m.controllen > 0x7fffffff) fail('ENOBUFS');
  if (m.controllen) k.unsupported('control messages (SCM_RIGHTS, SCM_CREDENTIALS) in sendmsg');
  const data = new Uint8Array(totalLength(segs));
  let off = 0;
  for (const s of segs) {
    if (s.len) data.set(k.mem.read(s.base, s.len), off);
    off += s.len;
  }
  return sendData(k, file, data, flags, name);
}

export function recvmsg(k: SyscallContext): number {
  const file = sockOf(k, k.i32(0));
  const flags = k.u32(2);
  const msgAddr = k.addr(1);
  const m = readMsghdr(k, msgAddr);
  if (m.iovlen > BigInt(UIO_MAXIOV)) fail('EMSGSIZE');
  const segs = importIovec(k.mem, m.iov, Number(m.iovlen));
  if (file.sock.passcred) k.unsupported('SCM_CREDENTIALS control messages (SO_PASSCRED) in recvmsg');
  const r = recvData(k, file, totalLength(segs), flags);
  let off = 0;
  for (const s of segs) {
    if (off >= r.data.length) break;
    const n = Math.min(s.len, r.data.length - off);
    k.mem.write(s.base, r.data.subarray(off, off + n));
    off += n;
  }
  if (m.name) addrToUser(k, r.addr ?? new Uint8Array(0), m.name, msgAddr + MSGHDR.msg_namelen);
  copyOut(k.mem, msgAddr + MSGHDR.msg_flags, new StructBuilder(4).u32(0, r.msgFlags | (flags & MSG_CMSG_CLOEXEC)));
  copyOut(k.mem, msgAddr + MSGHDR.msg_controllen, new StructBuilder(8).u64(0, 0));
  return r.ret;
}
