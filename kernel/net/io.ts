// The data path of sendto/sendmsg and recvfrom/recvmsg (net/socket.c sock_sendmsg /
// sock_recvmsg into af_unix.c's unix_stream_sendmsg, unix_dgram_sendmsg,
// unix_seqpacket_sendmsg, unix_stream_recvmsg, unix_dgram_recvmsg).

import type { SyscallContext } from '../context.ts';
import { fail, SyscallErrno } from '../errors.ts';
import { MSG_ERRQUEUE, MSG_OOB, MSG_TRUNC, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM } from '../abi.ts';
import { udpSend } from './inet.ts';
import { netlinkRecv, netlinkSend } from './netlink.ts';
import { findUnix, parseUnixAddr } from './common.ts';
import { disposeFds, SEND_SHUTDOWN, sendTo, type IpMeta, type RecvScm, type SendScm, type SocketFile, type UnixSock } from './unix.ts';

/**
 * Send `data` with `flags` to the address `name` (the copied sockaddr, or undefined): stream
 * sockets refuse an address (EISCONN connected, else EOPNOTSUPP); a datagram address is
 * validated first, then EMSGSIZE for more than sndbuf - 32 and EPIPE after SHUT_WR, then it is
 * looked up (unix_dgram_sendmsg's order).
 */
export function sendData(k: SyscallContext, file: SocketFile, data: Uint8Array, flags: number, name: Uint8Array | undefined, scm?: SendScm, ctl?: Uint8Array): number {
  const s = file.sock;
  if (s.netlink) return netlinkSend(k, file, data, flags, name);
  if (s.inet) {
    if (s.type === SOCK_DGRAM) return udpSend(file, data, flags, name, file.cred(), ctl, k);
    // tcp_sendmsg: the address is ignored.
    if (flags & MSG_OOB) k.unsupported('MSG_OOB (urgent data) on a TCP socket');
    return sendTo(file, data, flags, undefined, file.cred());
  }
  if (flags & MSG_OOB) {
    if (s.type === SOCK_STREAM) k.unsupported('MSG_OOB (out-of-band data) on a unix stream socket');
    // unix_seqpacket_sendmsg: sock_error, then ENOTCONN, before unix_dgram_sendmsg's
    // `err = -EOPNOTSUPP; if (msg->msg_flags&MSG_OOB) goto out;`.
    if (s.type === SOCK_SEQPACKET) {
      const e = s.takeError();
      if (e) throw new SyscallErrno(e);
      if (s.state !== 'established') fail('ENOTCONN');
    }
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
  /** UDP: the datagram's IP header and packet info, for the control messages (cmsg.ts). */
  ip?: IpMeta;
}

/**
 * Receive up to len bytes. Passed files come back in `scm` only with `keepScm` (recvmsg);
 * otherwise they are put, as scm_recv does without a control buffer.
 */
export function recvData(file: SocketFile, len: number, flags: number, keepScm = false): Received {
  const r = recvInner(file, len, flags);
  if (!keepScm) disposeFds(r.scm?.fds);
  return r;
}

/**
 * A receive with MSG_OOB, in each protocol's order. TCP (tcp_recvmsg_locked: a listener
 * ENOTCONN, then tcp_recv_urg) and an AF_UNIX stream socket (unix_stream_read_generic: not
 * connected EINVAL, then unix_stream_recv_urg, CONFIG_AF_UNIX_OOB) never have an urgent
 * byte to give, since sending one stops: EINVAL (unix_stream_recv_urg: `if
 * (sock_flag(sk, SOCK_URGINLINE) || !u->oob_skb) { ... return -EINVAL; }`; tcp_recv_urg:
 * `if (sock_flag(sk, SOCK_URGINLINE) || !tp->urg_data || tp->urg_data == TCP_URG_READ)
 * return -EINVAL;`). Datagram and seqpacket AF_UNIX sockets refuse it (__unix_dgram_recvmsg:
 * `err = -EOPNOTSUPP; if (flags&MSG_OOB) goto out;`, after unix_seqpacket_recvmsg's
 * ENOTCONN); udp_recvmsg ignores the flag.
 */
function oobRecv(s: UnixSock): void {
  if (s.type === SOCK_STREAM) {
    if (s.inet && s.state === 'listen') fail('ENOTCONN');
    fail('EINVAL');
  }
  if (s.inet) return;
  if (s.type === SOCK_SEQPACKET && s.state !== 'established') fail('ENOTCONN');
  fail('EOPNOTSUPP');
}

function recvInner(file: SocketFile, len: number, flags: number): Received {
  const s = file.sock;
  if (s.netlink) return netlinkRecv(file, len, flags);
  // tcp_recvmsg and udp_recvmsg (udpv6_recvmsg) look at MSG_ERRQUEUE before anything else:
  // inet_recv_error / ip_recv_error / ipv6_recv_error dequeue from sk_error_queue, which is
  // always empty here (IP_RECVERR, IPV6_RECVERR and timestamping, which fill it, stop):
  // `err = -EAGAIN; skb = sock_dequeue_err_skb(sk); if (!skb) goto out;`. AF_UNIX ignores the flag.
  if (s.inet && flags & MSG_ERRQUEUE) fail('EAGAIN');
  if (flags & MSG_OOB) oobRecv(s);
  if (s.type === SOCK_STREAM) {
    const r = s.streamRecv(len, flags, file.nonblock);
    // tcp_recvmsg_locked with MSG_TRUNC takes (or with MSG_PEEK looks at) the bytes without
    // copying them: `if (!(flags & MSG_TRUNC)) { err = skb_copy_datagram_msg(...); }`, and
    // counts them. unix_stream_read_generic copies whatever the flag.
    const data = s.inet && flags & MSG_TRUNC ? new Uint8Array(0) : r.data;
    // tcp_recvmsg leaves msg_name alone: the address comes back with length 0.
    return { data, ret: r.data.length, msgFlags: 0, from: r.from, addr: s.inet ? undefined : r.from?.addr, scm: r.scm };
  }
  const r = s.dgramRecv(len, flags, file.nonblock);
  const cut = r.full > r.data.length;
  return { data: r.data, ret: flags & MSG_TRUNC ? r.full : r.data.length, msgFlags: cut ? MSG_TRUNC : 0, from: r.from, addr: s.inet ? r.src : r.from?.addr, scm: r.scm, ip: r.ip };
}
