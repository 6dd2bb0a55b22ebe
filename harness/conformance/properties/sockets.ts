// The sockets property family: random sequences of calls on a few sockets (an AF_UNIX pair
// and a second pair or path-bound pair, or loopback UDP or TCP), compared with qemu-riscv64,
// whose sockets are the host's (its AF_UNIX and its loopback).
//
// A sequence is a fixed prefix that makes the sockets (a topology: fds 3 and 4 a
// socketpair; 5, 6 and maybe 7 the second set), then random operations on those fds and on
// bad ones. A small model of the fds (kind, open, surely non-blocking) turns each random
// intent into steps that can never wait forever on either side: a receive or send on a socket
// that may be blocking gets MSG_DONTWAIT (a read or write becomes recvfrom/sendto with it), a
// connect only goes to datagram sockets, an accept only runs on a listener known to be
// non-blocking. Nothing depends on timing: every exchange is on the loopback or AF_UNIX,
// where delivery is done before the send returns (the sending call runs the receive path,
// net/core/dev.c netif_rx() and the softirq it raises on return).
//
// Host-following (qemu's sockets are the host's) is steered around:
// - ports are fixed and below Linux's ephemeral range (32768-60999), unique to this family
//   (24600-24609; specs/*.yaml use 22745-23824, corpus/c/inet_sockets.c 23400-23430), and a
//   TCP client's port, which the host picks, is masked in getsockname/getpeername output;
// - TCP listeners set SO_REUSEADDR before bind, and SO_REUSEADDR/SO_REUSEPORT are only ever
//   set to 1 on inet sockets: the accepted socket's TIME_WAIT from the previous run holds the
//   port, and a new bind passes it only when both have sk_reuse (net/ipv4/inet_connection_sock.c
//   inet_bind_conflict());
// - TCP sockets set SO_SNDBUF/SO_RCVBUF before they connect or listen (SOCK_SNDBUF_LOCK and
//   SOCK_RCVBUF_LOCK): otherwise tcp_init_buffer_space()/tcp_sndbuf_expand() size them from
//   the connection (net/ipv4/tcp_input.c), which zerosys does not model;
// - SO_SNDBUF/SO_RCVBUF values are 65536 or 106496: at or below Linux's default
//   wmem_max/rmem_max (212992; the host's limits are its sysctls, 4194304 on the build
//   machine: deviations.ts HOST_FOLLOWING) and large enough that no queue here fills them;
// - a send without an address on an AF_UNIX datagram socket shut for writing is given one
//   (the host kernel checks the peer after the shutdown, 6.1 before: HOST_FOLLOWING);
// - payloads are tiny (at most 8 bytes, at most a few dozen messages), so no send buffer fills:
//   zerosys counts payload bytes where Linux counts each skb's truesize (kernel/net/unix.ts);
// - no AF_UNIX autobind (Linux picks a random name), no abstract names (the host's abstract
//   namespace is shared by every process on it), no SO_PASSCRED (credentials carry the host
//   pid), no addresses off the loopback (the host routes them);
// - SO_PEERCRED's pid is the host's under qemu for AF_UNIX: only uid and gid are compared.
//
// qemu-riscv64 7.2 deviations steered around: recvmsg with msg_iovlen 0 receives nothing
// (qemu deviation recvmsg-no-iovec-noop), so every receive msghdr has an iovec; the receive
// msghdrs are reloaded before each recvmsg, and their msg_namelen is never shorter than the
// address (qemu deviation recvmsg-short-namelen-overrun); getsockopt lengths are 4, 8 or 1
// (qemu deviation getsockopt-short-int-one-byte); setsockopt's short lengths and options qemu
// does not translate only go to open sockets where Linux answers the same (qemu deviation
// setsockopt-answers-before-the-socket).
//
// Left out as zerosys gaps, not qemu's: fcntl(F_SETFL, O_DIRECT) on a socket (Linux EINVAL,
// kernel/vfs/fcntl.ts accepts it) and MSG_MORE on TCP (Linux holds a partial segment,
// zerosys sends at once).

import fc from 'fast-check';
import { IOVEC, MSGHDR, POLLFD, SOCKADDR_IN, SOCKADDR_UN, TIMESPEC } from '../../../kernel/abi-structs.ts';
import { CONSTANTS as K } from '../specs/constants.ts';
import type { ArgSpec, FileSetup } from '../specs/model.ts';
import type { Family, RawStep } from './families.ts';

const int = (v: number | bigint): ArgSpec => ({ kind: 'int', value: BigInt(v) });
const out = (size: number, check?: Array<[number, number]> | 'none'): ArgSpec => ({ kind: 'out', size, check });
const hex = (b: Uint8Array): ArgSpec => ({ kind: 'hex', bytes: Buffer.from(b).toString('hex') });
const i32 = (...v: number[]): ArgSpec => ({ kind: 'i32', values: v.map(BigInt) });
const step = (name: string, ...args: ArgSpec[]): RawStep => ({ name, args });

// ---------------------------------------------------------------------------------------
// addresses

/** The family's ports: below the ephemeral range, used by nothing else in the repository. */
export const PORTS = { udpA: 24600, udpB: 24601, tcp: 24602, unbound: 24609 } as const;
const LOOPBACK = 0x7f000001;

export function sockaddrIn(addr: number, port: number, family = K.AF_INET): Uint8Array {
  const b = new Uint8Array(SOCKADDR_IN.SIZE);
  const v = new DataView(b.buffer);
  v.setUint16(SOCKADDR_IN.sin_family, family, true);
  v.setUint16(SOCKADDR_IN.sin_port, port, false);
  v.setUint32(SOCKADDR_IN.sin_addr, addr >>> 0, false);
  return b;
}

/** A sockaddr_un for a path in the working directory, with its NUL (what unix_bind_bsd stores). */
export function sockaddrUn(path: string): Uint8Array {
  const b = new Uint8Array(SOCKADDR_UN.sun_path + path.length + 1);
  new DataView(b.buffer).setUint16(SOCKADDR_UN.sun_family, K.AF_UNIX, true);
  b.set(Buffer.from(path, 'latin1'), SOCKADDR_UN.sun_path);
  return b;
}

type AddrName = 'u1' | 'u2' | 'u3' | 'missing' | 'udpA' | 'udpB' | 'unbound' | 'any' | 'second' | 'unspec' | 'short';
/** Addresses a call may name: paths in the working directory, loopback ports, and malformed ones. */
const ADDRS: Record<AddrName, Uint8Array> = {
  u1: sockaddrUn('u1'),
  u2: sockaddrUn('u2'),
  u3: sockaddrUn('u3'),
  missing: sockaddrUn('nx'),
  udpA: sockaddrIn(LOOPBACK, PORTS.udpA),
  udpB: sockaddrIn(LOOPBACK, PORTS.udpB),
  unbound: sockaddrIn(LOOPBACK, PORTS.unbound),
  // 0.0.0.0 as a destination is the loopback (net/ipv4/route.c ip_route_output_key_hash_rcu()).
  any: sockaddrIn(0, PORTS.udpA),
  // Another loopback address nobody is bound to.
  second: sockaddrIn(0x7f000002, PORTS.udpA),
  unspec: new Uint8Array(SOCKADDR_IN.SIZE), // AF_UNSPEC: a disconnect for connect
  // Shorter than sa_family. Not an AF_UNIX byte: qemu's target_to_host_sockaddr() appends a
  // NUL to an unterminated sun_path (`if (cp[len-1] && !cp[len]) len++;`), which turns a
  // 1-byte AF_UNIX address into the 2-byte one that means autobind.
  short: Uint8Array.of(0),
};

// ---------------------------------------------------------------------------------------
// the msghdr page: a fixed mapping (the same address on both sides) read in from m.bin

/** The page the msghdrs live in (as specs/sendmmsg.yaml: free under qemu and zerosys). */
export const PAGE = 0x70000000;
/** m.bin: the page's first LAYOUT_SIZE bytes. */
const LAYOUT_SIZE = 0x400;
/** Where the receive side starts in the page and m.bin; reloaded before each recvmsg and written to stdout after it. */
const RECV_AREA = 0x200;
const RECV_SIZE = 0x1e0;
/** m.bin stays open here (dup3), out of reach of the random steps. */
const LAYOUT_FD = 50;
/** Never written by a step: what is left of it in a dump shows what the kernel did not write. */
const FILL = 0xa5;

/** A msghdr of the page: [offset, name, namelen, iovecs, control, controllen]. */
interface MsgLayout {
  at: number;
  name?: [number, number];
  iov: Array<[number, number]>;
  iovAt: number;
  control?: [number, number];
}

// Send side: two iovecs; an address of each family; one empty iovec.
const SEND_DATA = 0x140; // "abcdef"
const SEND_NAMES = 0x160; // u1 at +0, udpA at +0x10
const SEND_MSGS: MsgLayout[] = [
  { at: 0x000, iov: [[SEND_DATA, 2], [SEND_DATA + 2, 3]], iovAt: 0x100 },
  { at: 0x040, name: [SEND_NAMES, ADDRS.u1.length], iov: [[SEND_DATA + 5, 1]], iovAt: 0x120 },
  { at: 0x080, name: [SEND_NAMES + 0x10, SOCKADDR_IN.SIZE], iov: [[SEND_DATA + 5, 1]], iovAt: 0x130 },
  { at: 0x0c0, iov: [[SEND_DATA, 0]], iovAt: 0x110 },
];
// Receive side: a name buffer as large as sockaddr_un's, two iovecs; a control buffer (nothing
// ever comes in it: no SO_PASSCRED, no SCM_RIGHTS sent); one larger iovec. Every msg_namelen
// is at least sizeof(struct sockaddr_un) (qemu deviation recvmsg-short-namelen-overrun).
const RECV_MSGS: MsgLayout[] = [
  { at: 0x200, name: [0x2c0, 112], iov: [[0x340, 3], [0x348, 6]], iovAt: 0x390 },
  { at: 0x240, iov: [[0x350, 2]], iovAt: 0x3b0, control: [0x370, 32] },
  { at: 0x280, name: [0x300, 110], iov: [[0x360, 16]], iovAt: 0x3c0 },
];

function layout(): Buffer {
  const b = Buffer.alloc(LAYOUT_SIZE, FILL);
  const u64 = (at: number, v: number) => b.writeBigUInt64LE(BigInt(v), at);
  const u32 = (at: number, v: number) => b.writeUInt32LE(v, at);
  for (const m of [...SEND_MSGS, ...RECV_MSGS]) {
    b.fill(0, m.at, m.at + MSGHDR.SIZE);
    u64(m.at + MSGHDR.msg_name, m.name ? PAGE + m.name[0] : 0);
    u32(m.at + MSGHDR.msg_namelen, m.name ? m.name[1] : 0);
    u64(m.at + MSGHDR.msg_iov, PAGE + m.iovAt);
    u64(m.at + MSGHDR.msg_iovlen, m.iov.length);
    u64(m.at + MSGHDR.msg_control, m.control ? PAGE + m.control[0] : 0);
    u64(m.at + MSGHDR.msg_controllen, m.control ? m.control[1] : 0);
    m.iov.forEach(([base, len], i) => {
      u64(m.iovAt + i * IOVEC.SIZE + IOVEC.iov_base, PAGE + base);
      u64(m.iovAt + i * IOVEC.SIZE + IOVEC.iov_len, len);
    });
  }
  b.write('abcdef', SEND_DATA, 'latin1');
  Buffer.from(ADDRS.u1).copy(b, SEND_NAMES);
  Buffer.from(ADDRS.udpA).copy(b, SEND_NAMES + 0x10);
  return b;
}

export const SOCKET_FILES: FileSetup[] = [{ path: 'm.bin', type: 'file', content: layout() }];

// ---------------------------------------------------------------------------------------
// the model

type Kind = 'stream' | 'dgram' | 'seqpacket' | 'listener' | 'udp' | 'tcp' | 'tcp-listener';
const UNIX_TYPES = { stream: K.SOCK_STREAM, dgram: K.SOCK_DGRAM, seqpacket: K.SOCK_SEQPACKET } as const;
type UnixType = keyof typeof UNIX_TYPES;

export interface Sock {
  fd: number;
  kind: Kind;
  /** Surely O_NONBLOCK (false: may block, so every call that could wait gets MSG_DONTWAIT or is left out). */
  nonblock: boolean;
  /** The port the host picks shows here: in getsockname (a TCP client) or getpeername (what accept gave). */
  hostPort?: 'local' | 'peer';
  /** An AF_UNIX datagram socket shut for writing: its sends name an address (see addressless()). */
  sendShut?: boolean;
}

const isDgram = (k: Kind) => k === 'dgram' || k === 'udp';
const isInet = (k: Kind) => k === 'udp' || k === 'tcp' || k === 'tcp-listener';
const isListener = (k: Kind) => k === 'listener' || k === 'tcp-listener';
/** MSG_OOB stops zerosys on a stream socket (TCP urgent data, AF_UNIX OOB are not provided). */
const oobOk = (k: Kind) => k === 'dgram' || k === 'seqpacket' || k === 'udp';

interface Topology {
  pair: UnixType;
  pairNonblock: boolean;
  second: 'pair' | 'unix-dgram' | 'unix-listener' | 'udp' | 'tcp';
  secondType: UnixType;
  nonblockA: boolean;
  nonblockB: boolean;
  connect: boolean;
}

const nb = (on: boolean) => (on ? K.SOCK_NONBLOCK : 0);
const bindStep = (fd: number, a: AddrName) => step('bind', int(fd), hex(ADDRS[a]), int(ADDRS[a].length));

/** The prefix: the layout page, then the sockets; what the model knows of them afterwards. */
export function buildTopology(t: Topology): { steps: RawStep[]; socks: Sock[] } {
  const steps: RawStep[] = [
    step('openat', int(K.AT_FDCWD), { kind: 'str', text: 'm.bin' }, int(K.O_RDONLY), int(0)),
    step('dup3', int(3), int(LAYOUT_FD), int(0)),
    step('close', int(3)),
    step('mmap', int(PAGE), int(4096), int(K.PROT_READ | K.PROT_WRITE), int(K.MAP_PRIVATE | K.MAP_ANONYMOUS | K.MAP_FIXED), int(-1), int(0)),
    step('read', int(LAYOUT_FD), int(PAGE), int(LAYOUT_SIZE)),
    step('socketpair', int(K.AF_UNIX), int(UNIX_TYPES[t.pair] | nb(t.pairNonblock)), int(0), out(8)),
  ];
  const socks: Sock[] = [
    { fd: 3, kind: t.pair, nonblock: t.pairNonblock },
    { fd: 4, kind: t.pair, nonblock: t.pairNonblock },
  ];
  const setfl = (fd: number) => step('fcntl', int(fd), int(K.F_SETFL), int(K.O_NONBLOCK));
  switch (t.second) {
    case 'pair':
      steps.push(step('socketpair', int(K.AF_UNIX), int(UNIX_TYPES[t.secondType] | nb(t.nonblockA)), int(0), out(8)));
      socks.push({ fd: 5, kind: t.secondType, nonblock: t.nonblockA }, { fd: 6, kind: t.secondType, nonblock: t.nonblockA });
      break;
    case 'unix-dgram':
      steps.push(
        step('socket', int(K.AF_UNIX), int(K.SOCK_DGRAM | nb(t.nonblockA)), int(0)),
        bindStep(5, 'u1'),
        step('socket', int(K.AF_UNIX), int(K.SOCK_DGRAM | nb(t.nonblockB)), int(0)),
        bindStep(6, 'u2'),
      );
      if (t.connect) steps.push(step('connect', int(6), hex(ADDRS.u1), int(ADDRS.u1.length)));
      socks.push({ fd: 5, kind: 'dgram', nonblock: t.nonblockA }, { fd: 6, kind: 'dgram', nonblock: t.nonblockB });
      break;
    case 'unix-listener': {
      // A connect to a listener with room in its backlog completes at once (unix_stream_connect);
      // the accept then finds it queued.
      const type = t.secondType === 'dgram' ? K.SOCK_STREAM : UNIX_TYPES[t.secondType];
      const kind: Kind = t.secondType === 'dgram' ? 'stream' : t.secondType;
      steps.push(
        step('socket', int(K.AF_UNIX), int(type | nb(t.nonblockA)), int(0)),
        bindStep(5, 'u1'),
        step('listen', int(5), int(1)),
        step('socket', int(K.AF_UNIX), int(type | nb(t.nonblockB)), int(0)),
        step('connect', int(6), hex(ADDRS.u1), int(ADDRS.u1.length)),
        step('accept4', int(5), int(0), int(0), int(nb(t.connect))),
      );
      socks.push({ fd: 5, kind: 'listener', nonblock: t.nonblockA }, { fd: 6, kind, nonblock: t.nonblockB }, { fd: 7, kind, nonblock: t.connect });
      break;
    }
    case 'udp':
      steps.push(
        step('socket', int(K.AF_INET), int(K.SOCK_DGRAM | nb(t.nonblockA)), int(0)),
        bindStep(5, 'udpA'),
        step('socket', int(K.AF_INET), int(K.SOCK_DGRAM | nb(t.nonblockB)), int(0)),
        bindStep(6, 'udpB'),
      );
      if (t.connect) steps.push(step('connect', int(6), hex(ADDRS.udpA), int(SOCKADDR_IN.SIZE)));
      socks.push({ fd: 5, kind: 'udp', nonblock: t.nonblockA }, { fd: 6, kind: 'udp', nonblock: t.nonblockB });
      break;
    case 'tcp': {
      // Blocking while the connection is made (connect waits for the handshake, accept for the
      // final ACK), O_NONBLOCK afterwards if the topology asks for it.
      const tcp = sockaddrIn(LOOPBACK, PORTS.tcp);
      const bufs = (fd: number) => [
        step('setsockopt', int(fd), int(K.SOL_SOCKET), int(K.SO_SNDBUF), i32(65536), int(4)),
        step('setsockopt', int(fd), int(K.SOL_SOCKET), int(K.SO_RCVBUF), i32(65536), int(4)),
      ];
      steps.push(
        step('socket', int(K.AF_INET), int(K.SOCK_STREAM), int(0)),
        step('setsockopt', int(5), int(K.SOL_SOCKET), int(K.SO_REUSEADDR), i32(1), int(4)),
        ...bufs(5),
        step('bind', int(5), hex(tcp), int(tcp.length)),
        step('listen', int(5), int(4)),
        step('socket', int(K.AF_INET), int(K.SOCK_STREAM), int(0)),
        ...bufs(6),
        step('connect', int(6), hex(tcp), int(tcp.length)),
        step('accept4', int(5), int(0), int(0), int(nb(t.connect))),
      );
      if (t.nonblockA) steps.push(setfl(5));
      if (t.nonblockB) steps.push(setfl(6));
      socks.push(
        { fd: 5, kind: 'tcp-listener', nonblock: t.nonblockA },
        { fd: 6, kind: 'tcp', nonblock: t.nonblockB, hostPort: 'local' },
        { fd: 7, kind: 'tcp', nonblock: t.connect, hostPort: 'peer' },
      );
      break;
    }
  }
  return { steps, socks };
}

const topologyArb: fc.Arbitrary<Topology> = fc.record({
  pair: fc.constantFrom<UnixType>('stream', 'dgram', 'seqpacket'),
  pairNonblock: fc.boolean(),
  second: fc.constantFrom<Topology['second']>('pair', 'unix-dgram', 'unix-listener', 'udp', 'tcp'),
  secondType: fc.constantFrom<UnixType>('stream', 'dgram', 'seqpacket'),
  nonblockA: fc.boolean(),
  nonblockB: fc.boolean(),
  connect: fc.boolean(),
});

// ---------------------------------------------------------------------------------------
// random operations: an intent, made into steps by plan() with the model

type Intent =
  | { op: 'send'; pick: number; data: Uint8Array; flags: number; to?: AddrName }
  | { op: 'write'; pick: number; data: Uint8Array }
  | { op: 'sendmsg'; pick: number; msg: number; flags: number }
  | { op: 'recv'; pick: number; len: number; flags: number; from: boolean }
  | { op: 'read'; pick: number; len: number }
  | { op: 'recvmsg'; pick: number; msg: number; flags: number }
  | { op: 'shutdown'; pick: number; how: number }
  | { op: 'close'; pick: number }
  | { op: 'getsockopt'; pick: number; opt: number; len: number }
  | { op: 'setsockopt'; pick: number; opt: number; value: number; len: number }
  | { op: 'fcntl'; pick: number; cmd: 'get' | 'set'; arg: number }
  | { op: 'ppoll'; pick: number; other: number; events: number; both: boolean }
  | { op: 'getname'; pick: number; peer: boolean; size: number }
  | { op: 'connect'; pick: number; to: AddrName }
  | { op: 'bind'; pick: number; to: AddrName }
  | { op: 'listen'; pick: number; backlog: number }
  | { op: 'accept'; pick: number; flags: number };

const pick = fc.nat();
const flagsOf = (...names: number[]) => fc.subarray(names).map((fs) => fs.reduce((a, f) => a | f, 0));
const dataArb = fc.uint8Array({ minLength: 0, maxLength: 8 });
const SEND_FLAGS = [K.MSG_DONTWAIT, K.MSG_NOSIGNAL, K.MSG_NOSIGNAL, K.MSG_EOR, K.MSG_MORE, K.MSG_CONFIRM, K.MSG_OOB];
const RECV_FLAGS = [K.MSG_DONTWAIT, K.MSG_PEEK, K.MSG_TRUNC, K.MSG_WAITALL, K.MSG_OOB, K.MSG_CMSG_CLOEXEC, K.MSG_ERRQUEUE];
const sendTargets: AddrName[] = ['u1', 'u2', 'u3', 'missing', 'udpA', 'udpB', 'unbound', 'any', 'second', 'short'];

/**
 * The SOL_SOCKET options qemu-riscv64 7.2's do_setsockopt() translates and passes to the host
 * (of those in SOCKOPTS); the others it answers itself.
 */
const QEMU_SETSOCKOPT = new Set([K.SO_TYPE, K.SO_ERROR, K.SO_SNDBUF, K.SO_RCVBUF, K.SO_REUSEADDR, K.SO_REUSEPORT, K.SO_KEEPALIVE, K.SO_BROADCAST]);

/** [level, option] pairs for getsockopt and setsockopt. */
export const SOCKOPTS: Array<[number, number]> = [
  [K.SOL_SOCKET, K.SO_TYPE],
  [K.SOL_SOCKET, K.SO_DOMAIN],
  [K.SOL_SOCKET, K.SO_PROTOCOL],
  [K.SOL_SOCKET, K.SO_ERROR],
  [K.SOL_SOCKET, K.SO_ACCEPTCONN],
  [K.SOL_SOCKET, K.SO_SNDBUF],
  [K.SOL_SOCKET, K.SO_RCVBUF],
  [K.SOL_SOCKET, K.SO_REUSEADDR],
  [K.SOL_SOCKET, K.SO_REUSEPORT],
  [K.SOL_SOCKET, K.SO_KEEPALIVE],
  [K.SOL_SOCKET, K.SO_BROADCAST],
  [K.SOL_SOCKET, K.SO_PEERCRED],
  [K.SOL_SOCKET, 9999],
  [K.IPPROTO_TCP, K.TCP_NODELAY],
  [K.IPPROTO_TCP, K.TCP_KEEPIDLE],
  [K.IPPROTO_TCP, K.TCP_KEEPCNT],
];

const intentArb: fc.Arbitrary<Intent> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('send' as const), pick, data: dataArb, flags: flagsOf(...SEND_FLAGS), to: fc.option(fc.constantFrom(...sendTargets), { nil: undefined, freq: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('write' as const), pick, data: dataArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('sendmsg' as const), pick, msg: fc.nat(SEND_MSGS.length - 1), flags: flagsOf(K.MSG_DONTWAIT, K.MSG_NOSIGNAL, K.MSG_NOSIGNAL, K.MSG_EOR) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('recv' as const), pick, len: fc.constantFrom(0, 1, 2, 3, 5, 8, 16), flags: flagsOf(...RECV_FLAGS), from: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('read' as const), pick, len: fc.constantFrom(0, 1, 4, 16) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('recvmsg' as const), pick, msg: fc.nat(RECV_MSGS.length - 1), flags: flagsOf(...RECV_FLAGS) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('shutdown' as const), pick, how: fc.constantFrom(K.SHUT_RD, K.SHUT_WR, K.SHUT_RDWR, 3, -1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('close' as const), pick }) },
  // Lengths 4, more (cut to 4) and 1: qemu writes one byte for any other length (qemu
  // deviation getsockopt-short-int-one-byte).
  { weight: 3, arbitrary: fc.record({ op: fc.constant('getsockopt' as const), pick, opt: fc.nat(SOCKOPTS.length - 1), len: fc.constantFrom(4, 4, 8, 1) }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('setsockopt' as const), pick, opt: fc.nat(SOCKOPTS.length - 1), value: fc.constantFrom(0, 1, 100, 65536, 100000, 212992, 40000), len: fc.constantFrom(4, 4, 8, 2) }),
  },
  // Not O_DIRECT: Linux refuses it on a socket (fs/fcntl.c setfl(): `if (!S_ISFIFO(inode->i_mode) &&
  // (arg & O_DIRECT) && !(filp->f_mode & FMODE_CAN_ODIRECT)) return -EINVAL;`), zerosys's
  // fcntl (kernel/vfs/fcntl.ts) accepts it on any file: a known gap of the vfs module.
  { weight: 2, arbitrary: fc.record({ op: fc.constant('fcntl' as const), pick, cmd: fc.constantFrom<'get' | 'set'>('get', 'set'), arg: fc.constantFrom(K.O_NONBLOCK, 0, K.O_APPEND, K.O_APPEND | K.O_NONBLOCK) }) },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant('ppoll' as const), pick, other: pick, events: flagsOf(K.POLLIN, K.POLLOUT, K.POLLPRI, K.POLLRDHUP, K.POLLRDNORM, K.POLLWRNORM), both: fc.boolean() }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('getname' as const), pick, peer: fc.boolean(), size: fc.constantFrom(16, 112, 4) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('connect' as const), pick, to: fc.constantFrom<AddrName>('u1', 'u2', 'u3', 'missing', 'udpA', 'udpB', 'unbound', 'any', 'unspec', 'short') }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('bind' as const), pick, to: fc.constantFrom<AddrName>('u1', 'u3', 'missing', 'unbound', 'short') }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('listen' as const), pick, backlog: fc.constantFrom(0, 1, 5, -1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('accept' as const), pick, flags: fc.constantFrom(0, K.SOCK_NONBLOCK, K.SOCK_CLOEXEC, 0x100) }) },
);

/** Bad descriptors: never open (EBADF). */
const BAD_FDS = [99, -1];

/** The model while the steps are planned. */
class Model {
  private readonly open = new Map<number, Sock>();
  constructor(socks: Sock[]) {
    for (const s of socks) this.open.set(s.fd, { ...s });
  }
  /** Every fd of the topology (closed ones too: they answer EBADF) and the bad ones. */
  pool(all: Sock[]): number[] {
    return [...all.map((s) => s.fd), ...BAD_FDS];
  }
  get(fd: number): Sock | undefined {
    return this.open.get(fd);
  }
  close(fd: number): void {
    this.open.delete(fd);
  }
}

/** MSG_DONTWAIT unless the socket is surely non-blocking (a closed or bad fd never waits). */
const noWait = (s: Sock | undefined, flags: number) => (s && !s.nonblock ? flags | K.MSG_DONTWAIT : flags);

/** The sockaddr output of getsockname/getpeername/recvfrom: the bytes to compare (not a host-chosen port). */
function nameCheck(size: number, hostPort: boolean): Array<[number, number]> | undefined {
  if (!hostPort) return undefined;
  const port = SOCKADDR_IN.sin_port;
  return [[0, Math.min(size, port)], ...(size > port + 2 ? [[port + 2, size - port - 2] as [number, number]] : [])];
}

/**
 * Whether a send without an address must be given one: on an AF_UNIX datagram socket shut for
 * writing, Linux 6.1's unix_dgram_sendmsg() answers ENOTCONN before EPIPE when it is not
 * connected (`other = unix_peer_get(sk); if (!other) goto out;` comes before
 * sock_alloc_send_pskb()), the host kernel qemu passes the call to looks the peer up after
 * (EPIPE): host-following (deviations.ts HOST_FOLLOWING, sendto).
 */
const addressless = (s: Sock | undefined) => s?.sendShut === true;

function planOne(m: Model, fd: number, intent: Intent): RawStep[] {
  const s = m.get(fd);
  const kind = s?.kind;
  switch (intent.op) {
    case 'send': {
      if (!intent.to && addressless(s)) return planOne(m, fd, { ...intent, to: 'u1' });
      let flags = intent.flags;
      if (!kind || !oobOk(kind)) flags &= ~K.MSG_OOB;
      // MSG_MORE on TCP holds a partial segment until something pushes it (tcp_push() with
      // TCP_NAGLE_CORK); zerosys sends at once (not modelled).
      if (kind === 'tcp') flags &= ~K.MSG_MORE;
      const to = intent.to ? ADDRS[intent.to] : undefined;
      return [step('sendto', int(fd), hex(intent.data), int(intent.data.length), int(noWait(s, flags)), to ? hex(to) : int(0), int(to?.length ?? 0))];
    }
    case 'write':
      if (addressless(s)) return planOne(m, fd, { op: 'send', pick: intent.pick, data: intent.data, flags: 0, to: 'u1' });
      if (s && !s.nonblock) return [step('sendto', int(fd), hex(intent.data), int(intent.data.length), int(K.MSG_DONTWAIT), int(0), int(0))];
      return [step('write', int(fd), hex(intent.data), int(intent.data.length))];
    case 'sendmsg': {
      const msg = addressless(s) && !SEND_MSGS[intent.msg].name ? 1 : intent.msg;
      return [step('sendmsg', int(fd), int(PAGE + SEND_MSGS[msg].at), int(noWait(s, intent.flags)))];
    }
    case 'recv': {
      const flags = intent.flags;
      const from = intent.from ? [out(112, nameCheck(112, false)), i32(112)] : [int(0), int(0)];
      return [step('recvfrom', int(fd), out(16), int(intent.len), int(noWait(s, flags)), ...from)];
    }
    case 'read':
      if (s && !s.nonblock) return [step('recvfrom', int(fd), out(16), int(intent.len), int(K.MSG_DONTWAIT), int(0), int(0))];
      return [step('read', int(fd), out(16), int(intent.len))];
    case 'recvmsg':
      return [
        step('pread64', int(LAYOUT_FD), int(PAGE + RECV_AREA), int(RECV_SIZE), int(RECV_AREA)),
        step('recvmsg', int(fd), int(PAGE + RECV_MSGS[intent.msg].at), int(noWait(s, intent.flags))),
        step('write', int(1), int(PAGE + RECV_AREA), int(RECV_SIZE)),
      ];
    case 'shutdown':
      if (s?.kind === 'dgram' && (intent.how === K.SHUT_WR || intent.how === K.SHUT_RDWR)) s.sendShut = true;
      return [step('shutdown', int(fd), int(intent.how))];
    case 'close':
      m.close(fd);
      return [step('close', int(fd))];
    case 'getsockopt': {
      const [level, opt] = SOCKOPTS[intent.opt];
      if (opt === K.SO_PEERCRED) {
        // AF_UNIX: the peer's pid is a host pid under qemu; uid and gid are compared.
        return [step('getsockopt', int(fd), int(level), int(opt), out(12, kind && !isInet(kind) ? [[4, 8]] : undefined), i32(12))];
      }
      return [step('getsockopt', int(fd), int(level), int(opt), out(8), i32(intent.len))];
    }
    case 'setsockopt': {
      const [level, opt] = SOCKOPTS[intent.opt];
      let value = intent.value;
      // qemu answers an option it does not pass on (ENOPROTOOPT) and a short optlen (EINVAL)
      // before the host sees the fd (qemu deviation setsockopt-answers-before-the-socket): a
      // short optlen only for an option qemu passes on, at a level the socket has, and only
      // such options on a closed or bad fd.
      const passed = level === K.IPPROTO_TCP || QEMU_SETSOCKOPT.has(opt);
      const short = intent.len < 4 && passed && s !== undefined && (level === K.SOL_SOCKET || kind === 'tcp' || kind === 'tcp-listener');
      const len = short ? intent.len : Math.max(intent.len, 4);
      if (!s && !passed) return [step('setsockopt', int(fd), int(K.SOL_SOCKET), int(K.SO_KEEPALIVE), i32(1, 0), int(len))];
      // Buffer sizes large enough that no queue here fills them, on either accounting (zerosys
      // counts payload bytes, Linux each skb's truesize: a small SO_RCVBUF drops UDP datagrams
      // on Linux that zerosys keeps), and at most wmem_max/rmem_max.
      if (level === K.SOL_SOCKET && (opt === K.SO_SNDBUF || opt === K.SO_RCVBUF)) value = value > 65536 ? 106496 : 65536;
      // Never 0 on an inet socket: its TIME_WAIT would keep the next run from binding the port.
      if ((opt === K.SO_REUSEADDR || opt === K.SO_REUSEPORT) && level === K.SOL_SOCKET && (!kind || isInet(kind))) value = 1;
      return [step('setsockopt', int(fd), int(level), int(opt), i32(value, 0), int(len))];
    }
    case 'fcntl':
      if (intent.cmd === 'get') return [step('fcntl', int(fd), int(K.F_GETFL))];
      // F_SETFL sets or clears O_NONBLOCK on an open socket.
      if (s) s.nonblock = (intent.arg & K.O_NONBLOCK) !== 0;
      return [step('fcntl', int(fd), int(K.F_SETFL), int(intent.arg))];
    case 'ppoll':
      return [];
    case 'getname': {
      const peer = intent.peer;
      const hostPort = s?.hostPort === (peer ? 'peer' : 'local');
      return [step(peer ? 'getpeername' : 'getsockname', int(fd), out(intent.size, nameCheck(intent.size, hostPort)), i32(intent.size))];
    }
    case 'connect': {
      // Only datagram sockets: a stream connect can wait (a full backlog) or make a connection the model does not know.
      if (!kind || !isDgram(kind)) return [];
      const a = ADDRS[intent.to];
      return [step('connect', int(fd), hex(a), int(a.length))];
    }
    case 'bind': {
      const a = ADDRS[intent.to];
      return [step('bind', int(fd), hex(a), int(a.length))];
    }
    case 'listen':
      // On a connected or datagram socket it fails; on a listener it sets the backlog (nothing
      // connects to it afterwards).
      return [step('listen', int(fd), int(intent.backlog))];
    case 'accept':
      // Only where it cannot wait: a listener known to be non-blocking (nothing is pending: EAGAIN).
      if (!kind || !isListener(kind) || !s?.nonblock) return [];
      return [step('accept4', int(fd), int(0), int(0), int(intent.flags))];
  }
}

function pollfds(fds: number[], events: number): ArgSpec {
  const b = new Uint8Array(fds.length * POLLFD.SIZE);
  const v = new DataView(b.buffer);
  fds.forEach((fd, i) => {
    v.setInt32(i * POLLFD.SIZE + POLLFD.fd, fd, true);
    v.setInt16(i * POLLFD.SIZE + POLLFD.events, events, true);
    v.setInt16(i * POLLFD.SIZE + POLLFD.revents, 0, true);
  });
  return hex(b);
}

/** The steps of a topology and a list of intents. */
export function plan(t: Topology, intents: Intent[]): RawStep[] {
  const { steps, socks } = buildTopology(t);
  const m = new Model(socks);
  const pool = m.pool(socks);
  for (const intent of intents) {
    const fd = pool[intent.pick % pool.length];
    if (intent.op === 'ppoll') {
      // A zero timeout: never waits. POLLNVAL for a closed or bad fd.
      const fds = intent.both ? [fd, pool[intent.other % pool.length]] : [fd];
      const ts = new Uint8Array(TIMESPEC.SIZE);
      steps.push(step('ppoll', pollfds(fds, intent.events), int(fds.length), hex(ts), int(0), int(8)));
      continue;
    }
    steps.push(...planOne(m, fd, intent));
  }
  return steps;
}

export const SOCKETS_FAMILY: Family = {
  name: 'sockets',
  property: 'random-socket-operations',
  covers: ['socketpair', 'socket', 'bind', 'listen', 'connect', 'accept4', 'sendto', 'recvfrom', 'sendmsg', 'recvmsg', 'shutdown', 'getsockopt', 'setsockopt', 'getsockname', 'getpeername', 'ppoll', 'fcntl'],
  files: SOCKET_FILES,
  steps: fc.tuple(topologyArb, fc.array(intentArb, { minLength: 1, maxLength: 16 })).map(([t, intents]) => plan(t, intents)),
};
