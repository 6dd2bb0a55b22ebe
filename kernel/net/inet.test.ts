// AF_INET on the private loopback (inet.ts): the deterministic ephemeral port sequence, the
// routing of a namespace with only lo (ENETUNREACH off 127.0.0.0/8), bind's checks
// (af_inet.c __inet_bind), TCP connect/accept/shutdown, UDP datagrams with source addresses,
// and tcp_poll readiness. Expected values: ip(7), tcp(7), udp(7), Linux 6.1 net/ipv4.

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { D, EVENTS, RBUF, SA, SALEN, SBUF, netFixture, sin, type NetFixture } from './net-test-util.ts';
import {
  AF_INET, IPPROTO_TCP, MSG_TRUNC, POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDHUP, SOCK_DGRAM,
  SOCK_NONBLOCK, SOCK_STREAM, SOL_SOCKET, SO_ERROR, TCP_NODELAY,
} from '../abi.ts';
import { EPHEMERAL_HIGH, EPHEMERAL_LOW } from './inet.ts';

const IP = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
const LO = IP(127, 0, 0, 1);

/** getsockname / getpeername: [ret, len, family, "a.b.c.d:port"]. */
function name(f: NetFixture, which: 'getsockname' | 'getpeername', fd: number): [number, number, number, string] {
  f.mem.write(SA[2], new Uint8Array(16));
  f.mem.st32(SALEN[2], 16);
  const r = f.c(which, fd, SA[2], SALEN[2]);
  const b = Buffer.from(f.mem.read(SA[2], 16));
  return [r, f.i32(SALEN[2]), b.readUInt16LE(0), `${[...b.subarray(4, 8)].join('.')}:${b.readUInt16BE(2)}`];
}
const port = (f: NetFixture, fd: number) => Number(name(f, 'getsockname', fd)[3].split(':')[1]);

describe('ephemeral ports', () => {
  it('are handed out 32768, 32769, ... in the order sockets ask, TCP and UDP alike', () => {
    const f = netFixture();
    const a = f.c('socket', AF_INET, SOCK_STREAM, 0);
    const b = f.c('socket', AF_INET, SOCK_DGRAM, 0);
    const c = f.c('socket', AF_INET, SOCK_STREAM, 0);
    expect(f.c('bind', a, ...sin(f, 0, 0))).toBe(0);
    expect(f.c('listen', c, 1)).toBe(0); // inet_csk_listen_start autobinds
    expect(f.send(b, 'x')).toBe(-E.EDESTADDRREQ); // inet_sendmsg autobinds before udp_sendmsg's checks
    expect([port(f, a), port(f, c), port(f, b)]).toEqual([EPHEMERAL_LOW, EPHEMERAL_LOW + 1, EPHEMERAL_LOW + 2]);
    expect(name(f, 'getsockname', a)).toEqual([0, 16, AF_INET, `0.0.0.0:${EPHEMERAL_LOW}`]);
  });

  it('skip a port a socket of the same protocol holds, not one of the other protocol', () => {
    const f = netFixture();
    const t = f.c('socket', AF_INET, SOCK_STREAM, 0);
    expect(f.c('bind', t, ...sin(f, LO, EPHEMERAL_LOW + 1))).toBe(0);
    const u = f.c('socket', AF_INET, SOCK_DGRAM, 0);
    expect(f.c('bind', u, ...sin(f, LO, EPHEMERAL_LOW + 2))).toBe(0);
    const got = [0, 1, 2].map(() => {
      const s = f.c('socket', AF_INET, SOCK_STREAM, 0);
      expect(f.c('bind', s, ...sin(f, 0, 0))).toBe(0);
      return port(f, s);
    });
    expect(got).toEqual([EPHEMERAL_LOW, EPHEMERAL_LOW + 2, EPHEMERAL_LOW + 3]);
  });

  it('a connect takes one and a refused connect gives it back', () => {
    const f = netFixture();
    const c = f.c('socket', AF_INET, SOCK_STREAM, 0);
    expect(f.c('connect', c, ...sin(f, LO, 5000))).toBe(-E.ECONNREFUSED);
    expect(name(f, 'getsockname', c)[3]).toBe('0.0.0.0:0');
    const l = f.c('socket', AF_INET, SOCK_STREAM, 0);
    expect(f.c('bind', l, ...sin(f, LO, 5000))).toBe(0);
    expect(f.c('listen', l, 1)).toBe(0);
    expect(f.c('connect', c, ...sin(f, LO, 5000))).toBe(0);
    expect(name(f, 'getsockname', c)[3]).toBe(`127.0.0.1:${EPHEMERAL_LOW + 1}`);
    expect(EPHEMERAL_HIGH).toBe(60999);
  });
});

describe('routing in a namespace with only lo', () => {
  it('connect and sendto off 127.0.0.0/8 are ENETUNREACH; 0.0.0.0 is the loopback', () => {
    const f = netFixture();
    const c = f.c('socket', AF_INET, SOCK_STREAM, 0);
    expect(f.c('connect', c, ...sin(f, IP(10, 1, 2, 3), 80))).toBe(-E.ENETUNREACH);
    expect(f.c('connect', c, ...sin(f, IP(8, 8, 8, 8), 53))).toBe(-E.ENETUNREACH);
    const u = f.c('socket', AF_INET, SOCK_DGRAM, 0);
    f.mem.write(SBUF, Buffer.from('x'));
    const [a, len] = sin(f, IP(192, 0, 2, 1), 9);
    expect(f.c('sendto', u, SBUF, 1, 0, a, len)).toBe(-E.ENETUNREACH);
    expect(f.c('connect', u, ...sin(f, IP(192, 0, 2, 1), 9))).toBe(-E.ENETUNREACH);
    // 0.0.0.0 as a destination: the loopback (ip_route_output_key_hash_rcu).
    const l = f.c('socket', AF_INET, SOCK_STREAM, 0);
    expect(f.c('bind', l, ...sin(f, 0, 6000))).toBe(0);
    expect(f.c('listen', l, 1)).toBe(0);
    expect(f.c('connect', c, ...sin(f, 0, 6000))).toBe(0);
    expect(name(f, 'getpeername', c)[3]).toBe('127.0.0.1:6000');
  });

  it('bind takes 127/8 and the wildcard; another address is EADDRNOTAVAIL', () => {
    const f = netFixture();
    const s = f.c('socket', AF_INET, SOCK_STREAM, 0);
    expect(f.c('bind', s, ...sin(f, IP(10, 0, 0, 1), 7000))).toBe(-E.EADDRNOTAVAIL);
    expect(f.c('bind', s, sin(f, LO, 7000)[0], 15)).toBe(-E.EINVAL);
    expect(f.c('bind', s, ...sin(f, IP(127, 9, 9, 9), 7000))).toBe(0);
    const t = f.c('socket', AF_INET, SOCK_STREAM, 0);
    expect(f.c('bind', t, ...sin(f, 0, 7000))).toBe(-E.EADDRINUSE);
    expect(f.c('bind', t, ...sin(f, LO, 7000))).toBe(0); // another address of lo
  });
});

describe('TCP over the loopback', () => {
  it('connect, accept with the peer address, data both ways, SHUT_WR is end of file', () => {
    const f = netFixture();
    const l = f.c('socket', AF_INET, SOCK_STREAM, 0);
    expect(f.c('bind', l, ...sin(f, LO, 8000))).toBe(0);
    expect(f.c('listen', l, 4)).toBe(0);
    const c = f.c('socket', AF_INET, SOCK_STREAM, IPPROTO_TCP);
    expect(f.c('connect', c, ...sin(f, LO, 8000))).toBe(0);
    expect(f.c('connect', c, ...sin(f, LO, 8000))).toBe(-E.EISCONN);
    f.mem.st32(SALEN[1], 16);
    const a = f.c('accept4', l, SA[1], SALEN[1], 0);
    expect(a).toBeGreaterThan(0);
    expect(name(f, 'getpeername', a)[3]).toBe(`127.0.0.1:${EPHEMERAL_LOW}`);
    expect(name(f, 'getsockname', a)[3]).toBe('127.0.0.1:8000');
    expect(f.send(c, 'hello')).toBe(5);
    expect(f.recv(a, 16)).toBe('hello');
    expect(f.c('shutdown', c, 1)).toBe(0);
    expect(f.recv(a, 16)).toBe('');
    expect(f.send(a, 'back')).toBe(4);
    expect(f.recv(c, 16)).toBe('back');
    expect(f.send(c, 'x', 0x4000 /* MSG_NOSIGNAL */)).toBe(-E.EPIPE); // after SHUT_WR
    // The peer closes: a first send goes out (and is answered by an RST), the next is EPIPE.
    const d = f.c('socket', AF_INET, SOCK_STREAM, 0);
    expect(f.c('connect', d, ...sin(f, LO, 8000))).toBe(0);
    const e = f.c('accept4', l, 0, 0, 0);
    expect(f.c('close', e)).toBe(0);
    expect(f.recv(d, 16)).toBe('');
    expect(f.send(d, 'x', 0x4000)).toBe(1);
    expect(f.send(d, 'x', 0x4000)).toBe(-E.EPIPE);
  });

  it('non-blocking connect: EINPROGRESS, then writable (or refused: POLLERR and SO_ERROR)', () => {
    const f = netFixture();
    const l = f.c('socket', AF_INET, SOCK_STREAM, 0);
    expect(f.c('bind', l, ...sin(f, LO, 8100))).toBe(0);
    expect(f.c('listen', l, 4)).toBe(0);
    const c = f.c('socket', AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    expect(f.c('connect', c, ...sin(f, LO, 8100))).toBe(-E.EINPROGRESS);
    expect(f.poll([c, POLLIN | POLLOUT])).toEqual([1, POLLOUT]);
    expect(f.poll([l, POLLIN])).toEqual([1, POLLIN]);
    expect(f.c('connect', c, ...sin(f, LO, 8100))).toBe(0);
    expect(f.c('connect', c, ...sin(f, LO, 8100))).toBe(-E.EISCONN);
    const r = f.c('socket', AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    expect(f.c('connect', r, ...sin(f, LO, 8101))).toBe(-E.EINPROGRESS);
    expect(f.poll([r, POLLIN | POLLOUT | POLLRDHUP])).toEqual([1, POLLERR | POLLHUP | POLLIN | POLLOUT | POLLRDHUP]); // tcp_poll: SEND_SHUTDOWN is writable
    f.mem.st32(SALEN[1], 4);
    expect(f.c('getsockopt', r, SOL_SOCKET, SO_ERROR, SA[1], SALEN[1])).toBe(0);
    expect(f.i32(SA[1])).toBe(E.ECONNREFUSED);
    expect(f.c('connect', r, ...sin(f, LO, 8101))).toBe(-E.ECONNABORTED);
  });

  it('a fresh socket polls POLLOUT | POLLHUP; recv is ENOTCONN, send EPIPE; TCP_NODELAY is kept', () => {
    const f = netFixture();
    const s = f.c('socket', AF_INET, SOCK_STREAM, 0);
    expect(f.poll([s, POLLIN | POLLOUT])).toEqual([1, POLLOUT | POLLHUP]);
    expect(f.recv(s, 4)).toBe(-E.ENOTCONN);
    expect(f.send(s, 'x', 0x4000)).toBe(-E.EPIPE);
    f.mem.st32(SA[1], 1);
    expect(f.c('setsockopt', s, IPPROTO_TCP, TCP_NODELAY, SA[1], 4)).toBe(0);
    f.mem.st32(SA[1], 0);
    f.mem.st32(SALEN[1], 4);
    expect(f.c('getsockopt', s, IPPROTO_TCP, TCP_NODELAY, SA[1], SALEN[1])).toBe(0);
    expect(f.i32(SA[1])).toBe(1);
  });
});

describe('UDP over the loopback', () => {
  it('keeps boundaries, cuts with MSG_TRUNC, and gives the source address', () => {
    const f = netFixture();
    const a = f.c('socket', AF_INET, SOCK_DGRAM, 0);
    const b = f.c('socket', AF_INET, SOCK_DGRAM, 0);
    expect(f.c('bind', b, ...sin(f, LO, 9000))).toBe(0);
    const [to, len] = sin(f, LO, 9000, 1);
    f.mem.write(SBUF, Buffer.from('abcdef'));
    expect(f.c('sendto', a, SBUF, 6, 0, to, len)).toBe(6);
    expect(f.c('sendto', a, SBUF, 2, 0, to, len)).toBe(2);
    f.mem.st32(SALEN[2], 16);
    expect(f.c('recvfrom', b, RBUF, 3, MSG_TRUNC, SA[2], SALEN[2])).toBe(6);
    const src = Buffer.from(f.mem.read(SA[2], 16));
    // An unbound sender was autobound to 0.0.0.0:32768; the datagram's source is the route's 127.0.0.1.
    expect([src.readUInt16LE(0), [...src.subarray(4, 8)].join('.'), src.readUInt16BE(2)]).toEqual([AF_INET, '127.0.0.1', EPHEMERAL_LOW]);
    expect(f.recv(b, 16)).toBe('ab');
    expect(f.poll([b, POLLIN | POLLOUT])).toEqual([1, POLLOUT]);
    // A datagram to a port nobody holds is dropped; a connected sender then sees ECONNREFUSED.
    expect(f.c('connect', a, ...sin(f, LO, 9001))).toBe(0);
    expect(f.send(a, 'x')).toBe(1);
    expect(f.recv(a, 4, 0x40 /* MSG_DONTWAIT */)).toBe(-E.ECONNREFUSED);
    expect(f.recv(a, 4, 0x40)).toBe(-E.EAGAIN);
  });
});

describe('TCP readiness through epoll and a listener closed with pending connections', () => {
  it('epoll reports the listener readable on a connect and the connection on data; closing the listener resets its embryos', () => {
    const f = netFixture();
    const l = f.c('socket', AF_INET, SOCK_STREAM, 0);
    expect(f.c('bind', l, ...sin(f, LO, 8200))).toBe(0);
    expect(f.c('listen', l, 4)).toBe(0);
    const ep = f.c('epoll_create1', 0);
    const ev = Buffer.alloc(16);
    ev.writeUInt32LE(POLLIN, 0);
    ev.writeBigUInt64LE(7n, 8);
    f.mem.write(D + 0x3c0, ev);
    expect(f.c('epoll_ctl', ep, 1 /* EPOLL_CTL_ADD */, l, D + 0x3c0)).toBe(0);
    expect(f.c('epoll_pwait', ep, EVENTS, 4, 0, 0, 8)).toBe(0);
    const c = f.c('socket', AF_INET, SOCK_STREAM, 0);
    expect(f.c('connect', c, ...sin(f, LO, 8200))).toBe(0);
    expect(f.c('epoll_pwait', ep, EVENTS, 4, 0, 0, 8)).toBe(1);
    expect([f.u32(EVENTS), f.u32(EVENTS + 8)]).toEqual([POLLIN, 7]);
    // The client may send before the accept; closing the listener then resets it.
    expect(f.send(c, 'early')).toBe(5);
    expect(f.c('close', l)).toBe(0);
    expect(f.recv(c, 8)).toBe(-E.ECONNRESET);
    expect(f.recv(c, 8)).toBe('');
    expect(f.poll([c, POLLIN | POLLOUT])).toEqual([1, POLLIN | POLLOUT | POLLHUP]);
    // The port is free again.
    const l2 = f.c('socket', AF_INET, SOCK_STREAM, 0);
    expect(f.c('bind', l2, ...sin(f, LO, 8200))).toBe(0);
  });
});
