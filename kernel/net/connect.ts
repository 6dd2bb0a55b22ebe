// connect(2), net/socket.c __sys_connect: the socket (EBADF, ENOTSOCK), the address copied in
// (EINVAL, EFAULT), then af_unix.c:
//   unix_stream_connect (stream, seqpacket): unix_validate_addr (EINVAL); SO_PASSCRED
//     autobinds; the listener is looked up (ENOENT..., ECONNREFUSED, EPROTOTYPE); not
//     listening or shut down: ECONNREFUSED; its queue full (more than the backlog): EAGAIN
//     or wait; our own state: connected EISCONN, listening EINVAL. The server half is made
//     here and queued on the listener for accept, with the listener's address; each side
//     gets the other's credentials.
//   unix_dgram_connect: shorter than the family: EINVAL; AF_UNSPEC disconnects; otherwise the
//     address is validated and looked up, and a socket connected to someone else is EPERM.
// AF_INET: inet.ts tcpConnect (inet_stream_connect, tcp_v4_connect) and udpConnect
// (inet_dgram_connect, ip4_datagram_connect).

import type { SyscallContext } from '../context.ts';
import { AF_UNSPEC, SOCK_DGRAM } from '../abi.ts';
import { fail } from '../errors.ts';
import { addrFromUser, autobind, callerCred, findUnix, netOf, parseUnixAddr, sockOf } from './common.ts';
import { SocketFile, UnixSock } from './unix.ts';
import { tcpConnect, udpConnect } from './inet.ts';
import { netlinkConnect } from './netlink.ts';

export function connect(k: SyscallContext): number {
  const file = sockOf(k, k.i32(0));
  const raw = addrFromUser(k, k.addr(1), k.i32(2));
  const s = file.sock;
  if (s.netlink) return netlinkConnect(k, s, raw);
  if (s.inet) return s.type === SOCK_DGRAM ? udpConnect(k, s, raw) : tcpConnect(k, file, raw, callerCred(k));
  if (s.type === SOCK_DGRAM) return dgramConnect(k, s, raw);
  const addr = parseUnixAddr(raw);
  if (s.passcred) autobind(k, s);
  const other = findUnix(k, addr, s.type);
  if (other.state !== 'listen' || other.shutdown & 1) fail('ECONNREFUSED');
  if (other.recvqFull()) s.wait(file.nonblock, 'connect to a unix socket whose listen queue is full', [other]);
  if (s.state === 'established') fail('EISCONN');
  if (s.state !== 'close') fail('EINVAL');
  const net = netOf(k);
  const server = new UnixSock(net, k.state.vfs, s.type, net.allocIno());
  server.addr = other.addr;
  server.peer = s;
  server.state = 'established';
  server.peercred = callerCred(k);
  s.peer = server;
  s.state = 'established';
  s.peercred = other.peercred;
  other.recvq.push({ data: new Uint8Array(0), off: 0, from: s, cred: callerCred(k), conn: server });
  other.changed();
  s.changed();
  return 0;
}

function dgramConnect(k: SyscallContext, s: UnixSock, raw: Uint8Array): number {
  if (raw.length < 2) fail('EINVAL');
  const family = new DataView(raw.buffer, raw.byteOffset).getUint16(0, true);
  if (family === AF_UNSPEC) {
    disconnect(s);
    return 0;
  }
  const addr = parseUnixAddr(raw);
  if (s.passcred) autobind(k, s);
  const other = findUnix(k, addr, s.type);
  if (other.peer !== undefined && other.peer !== s) fail('EPERM');
  disconnect(s);
  s.peer = other;
  s.state = 'established';
  s.changed();
  return 0;
}

function disconnect(s: UnixSock): void {
  const old = s.peer;
  s.peer = undefined;
  s.state = 'close';
  old?.queue.notify();
}

/** The accepted socket of a queued connection becomes an open file of the acceptor. */
export function acceptedFile(server: UnixSock, flags: number, listener: SocketFile): SocketFile {
  const f = new SocketFile(server, flags);
  f.credOf = listener.credOf;
  server.passcred = listener.sock.passcred;
  return f;
}
