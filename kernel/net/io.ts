// The data path of sendto/sendmsg and recvfrom/recvmsg (net/socket.c sock_sendmsg /
// sock_recvmsg into af_unix.c's unix_stream_sendmsg, unix_dgram_sendmsg,
// unix_seqpacket_sendmsg, unix_stream_recvmsg, unix_dgram_recvmsg).

import type { SyscallContext } from '../context.ts';
import { fail } from '../errors.ts';
import { MSG_OOB, MSG_TRUNC, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM } from '../abi.ts';
import { udpSend } from './inet.ts';
import { findUnix, parseUnixAddr } from './common.ts';
import { disposeFds, SEND_SHUTDOWN, sendTo, type RecvScm, type SendScm, type SocketFile, type UnixSock } from './unix.ts';

/**
 * Send `data` with `flags` to the address `name` (the copied sockaddr, or undefined): stream
 * sockets refuse an address (EISCONN connected, else EOPNOTSUPP); a datagram address is
 * validated first, then EMSGSIZE for more than sndbuf - 32 and EPIPE after SHUT_WR, then it is
 * looked up (unix_dgram_sendmsg's order).
 */
export function sendData(k: SyscallContext, file: SocketFile, data: Uint8Array, flags: number, name: Uint8Array | undefined, scm?: SendScm): number {
  const s = file.sock;
  if (s.inet) {
    if (s.type === SOCK_DGRAM) return udpSend(file, data, flags, name, file.cred());
    // tcp_sendmsg: the address is ignored.
    if (flags & MSG_OOB) k.unsupported('MSG_OOB (urgent data) on a TCP socket');
    return sendTo(file, data, flags, undefined, file.cred());
  }
  if (flags & MSG_OOB) {
    if (s.type === SOCK_STREAM) k.unsupported('MSG_OOB (out-of-band data) on a unix stream socket');
    fail('EOPNOTSUPP');
  }
  let to: UnixSock | undefined;
  if (name && name.length) {
    if (s.type === SOCK_STREAM) fail(s.state === 'established' ? 'EISCONN' : 'EOPNOTSUPP');
    // unix_seqpacket_sendmsg drops the address.
    if (s.type !== SOCK_SEQPACKET) {
      const addr = parseUnixAddr(name);
      // unix_dgram_sendmsg looks the address up (unix_find_other) only after the EMSGSIZE
      // check and sock_alloc_send_pskb (EPIPE after SHUT_WR).
      if (data.length > s.sndbuf - 32) fail('EMSGSIZE');
      if (s.shutdown & SEND_SHUTDOWN) fail('EPIPE');
      to = findUnix(k, addr, s.type);
    }
  }
  return sendTo(file, data, flags, to, file.cred(), scm);
}

export interface Received {
  data: Uint8Array;
  /** The result: bytes copied, or with MSG_TRUNC on a datagram the full message length. */
  ret: number;
  /** msg_flags out: MSG_TRUNC when a datagram was cut. */
  msgFlags: number;
  /** The sender (its address is the source address), if any. */
  from?: UnixSock;
  /** The source address for msg_name (none: length 0). */
  addr?: Uint8Array;
  /** AF_UNIX: what scm_recv gets (credentials, passed files); undefined when it is not called. */
  scm?: RecvScm;
}

/**
 * Receive up to len bytes. Passed files come back in `scm` only with `keepScm` (recvmsg);
 * otherwise they are put, as scm_recv does without a control buffer.
 */
export function recvData(k: SyscallContext, file: SocketFile, len: number, flags: number, keepScm = false): Received {
  const r = recvInner(k, file, len, flags);
  if (!keepScm) disposeFds(r.scm?.fds);
  return r;
}

function recvInner(k: SyscallContext, file: SocketFile, len: number, flags: number): Received {
  const s = file.sock;
  if (flags & MSG_OOB) {
    if (s.inet && s.type === SOCK_STREAM) k.unsupported('MSG_OOB (urgent data) on a TCP socket');
    fail('EOPNOTSUPP');
  }
  if (s.type === SOCK_STREAM) {
    const r = s.streamRecv(len, flags, file.nonblock);
    // tcp_recvmsg leaves msg_name alone: the address comes back with length 0.
    return { data: r.data, ret: r.data.length, msgFlags: 0, from: r.from, addr: s.inet ? undefined : r.from?.addr, scm: r.scm };
  }
  const r = s.dgramRecv(len, flags, file.nonblock);
  const cut = r.full > r.data.length;
  return { data: r.data, ret: flags & MSG_TRUNC ? r.full : r.data.length, msgFlags: cut ? MSG_TRUNC : 0, from: r.from, addr: s.inet ? r.src : r.from?.addr, scm: r.scm };
}
