// AF_INET6 on the private loopback (inet6.ts, inet.ts): __inet6_bind's checks (::1, ::, the
// IPv4-mapped loopback, EADDRNOTAVAIL elsewhere, the sockaddr_in6 length), IPV6_V6ONLY (default
// 0, set by binding ::1, EINVAL once bound), dual-stack port sharing with AF_INET, TCP over
// ::1 and over mapped addresses (peers as sockaddr_in6), UDP source addresses. Expected
// values: ipv6(7), Linux 6.1 net/ipv6/af_inet6.c, inet_connection_sock.c inet_rcv_saddr_equal.

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { D, RBUF, SA, SALEN, SBUF, netFixture, sin, type NetFixture } from './net-test-util.ts';
import { AF_INET, AF_INET6, IPPROTO_IPV6, IPV6_V6ONLY, SOCK_DGRAM, SOCK_STREAM, SOL_SOCKET, SO_DOMAIN } from '../abi.ts';
import { EPHEMERAL_LOW } from './inet.ts';

const LO4 = 0x7f000001;
const OPTVAL = D + 0x300;
const OPTLEN = D + 0x320;

/** A sockaddr_in6 in slot i, the layout written out (28 bytes: family, port BE, flowinfo, addr, scope id). */
function sin6(f: NetFixture, addr: string, port: number, slot = 0, len = 28, scope = 0): [number, number] {
  const b = Buffer.alloc(28);
  b.writeUInt16LE(AF_INET6, 0);
  b.writeUInt16BE(port, 2);
  parse6(addr).copy(b, 8);
  b.writeUInt32LE(scope, 24);
  f.mem.write(SA[slot], b);
  return [SA[slot], len];
}
function parse6(a: string): Buffer {
  const out = Buffer.alloc(16);
  const m = /^::ffff:(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
  if (m) {
    out.writeUInt16BE(0xffff, 10);
    for (let i = 0; i < 4; i++) out[12 + i] = Number(m[i + 1]);
    return out;
  }
  const [head, tail] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const words = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  words.forEach((w, i) => out.writeUInt16BE(parseInt(w, 16), i * 2));
  return out;
}
/** A sockaddr_in6 as text: "[addr]:port" (addr as ::1, ::, ::ffff:a.b.c.d or hex words). */
function show6(b: Buffer): string {
  const port = b.readUInt16BE(2);
  const a = b.subarray(8, 24);
  let s: string;
  if (a.every((x) => x === 0)) s = '::';
  else if (a.subarray(0, 15).every((x) => x === 0) && a[15] === 1) s = '::1';
  else if (a.subarray(0, 10).every((x) => x === 0) && a[10] === 0xff && a[11] === 0xff) s = `::ffff:${[...a.subarray(12)].join('.')}`;
  else s = [...Array(8).keys()].map((i) => a.readUInt16BE(i * 2).toString(16)).join(':');
  return `[${s}]:${port}`;
}
/** getsockname / getpeername with 128 bytes offered: [ret, len, family, text]. */
function name(f: NetFixture, which: 'getsockname' | 'getpeername', fd: number): [number, number, number, string] {
  f.mem.write(SA[2], new Uint8Array(128));
  f.mem.st32(SALEN[2], 128);
  const r = f.c(which, fd, SA[2], SALEN[2]);
  const b = Buffer.from(f.mem.read(SA[2], 28));
  const family = b.readUInt16LE(0);
  return [r, f.i32(SALEN[2]), family, family === AF_INET6 ? show6(b) : `${[...b.subarray(4, 8)].join('.')}:${b.readUInt16BE(2)}`];
}
function v6only(f: NetFixture, fd: number): number {
  f.mem.st32(OPTVAL, 0x55);
  f.mem.st32(OPTLEN, 4);
  expect(f.c('getsockopt', fd, IPPROTO_IPV6, IPV6_V6ONLY, OPTVAL, OPTLEN)).toBe(0);
  return f.i32(OPTVAL);
}
function setV6only(f: NetFixture, fd: number, on: number): number {
  f.mem.st32(OPTVAL, on);
  return f.c('setsockopt', fd, IPPROTO_IPV6, IPV6_V6ONLY, OPTVAL, 4);
}

describe('AF_INET6 bind', () => {
  it('takes ::, ::1 (scope id ignored) and the mapped loopback; other addresses are EADDRNOTAVAIL', () => {
    const f = netFixture();
    const s = () => f.c('socket', AF_INET6, SOCK_STREAM, 0);
    const a = s();
    expect(f.c('bind', a, ...sin6(f, '::', 48001))).toBe(0);
    expect(name(f, 'getsockname', a)).toEqual([0, 28, AF_INET6, '[::]:48001']);
    const b = s();
    expect(f.c('bind', b, ...sin6(f, '::1', 48002, 0, 28, 77))).toBe(0);
    expect(name(f, 'getsockname', b)).toEqual([0, 28, AF_INET6, '[::1]:48002']);
    const c = s();
    expect(f.c('bind', c, ...sin6(f, '::ffff:127.0.0.5', 48003))).toBe(0);
    expect(name(f, 'getsockname', c)).toEqual([0, 28, AF_INET6, '[::ffff:127.0.0.5]:48003']);
    expect(f.c('bind', s(), ...sin6(f, '2001:db8::1', 48004))).toBe(-E.EADDRNOTAVAIL);
    expect(f.c('bind', s(), ...sin6(f, '::ffff:10.0.0.1', 48004))).toBe(-E.EADDRNOTAVAIL);
    expect(f.c('bind', s(), ...sin6(f, '::2', 48004))).toBe(-E.EADDRNOTAVAIL);
    expect(f.c('bind', s(), ...sin6(f, 'fe80::1', 48004))).toBe(-E.EINVAL); // link-local needs an interface
    expect(f.c('bind', s(), ...sin6(f, 'fe80::1', 48004, 0, 28, 1))).toBe(-E.EADDRNOTAVAIL);
    expect(f.c('bind', s(), ...sin6(f, 'fe80::1', 48004, 0, 28, 9))).toBe(-E.ENODEV);
    expect(f.c('bind', s(), ...sin6(f, 'ff02::1', 48004))).toBe(-E.EINVAL); // multicast on a stream socket
  });

  it('checks the length (24 is enough), the family, the port and the state in Linux order', () => {
    const f = netFixture();
    const a = f.c('socket', AF_INET6, SOCK_STREAM, 0);
    expect(f.c('bind', a, ...sin6(f, '::1', 48010, 0, 23))).toBe(-E.EINVAL);
    expect(f.c('bind', a, ...sin(f, LO4, 48010))).toBe(-E.EINVAL); // 16 bytes < SIN6_LEN_RFC2133
    const b = Buffer.alloc(28);
    b.writeUInt16LE(AF_INET, 0);
    f.mem.write(SA[0], b);
    expect(f.c('bind', a, SA[0], 28)).toBe(-E.EAFNOSUPPORT);
    expect(f.c('bind', a, ...sin6(f, '::1', 48010, 0, 24))).toBe(0);
    expect(f.c('bind', a, ...sin6(f, '2001:db8::1', 48011))).toBe(-E.EINVAL); // bound already: before the address
  });

  it('shares ports with AF_INET: a dual-stack :: conflicts with 0.0.0.0 and 127.0.0.1, a V6ONLY one does not', () => {
    const f = netFixture();
    const v4 = f.c('socket', AF_INET, SOCK_STREAM, 0);
    expect(f.c('bind', v4, ...sin(f, LO4, 48020))).toBe(0);
    const d = f.c('socket', AF_INET6, SOCK_STREAM, 0);
    expect(f.c('bind', d, ...sin6(f, '::', 48020))).toBe(-E.EADDRINUSE);
    expect(f.c('bind', d, ...sin6(f, '::ffff:127.0.0.1', 48020))).toBe(-E.EADDRINUSE);
    expect(f.c('bind', d, ...sin6(f, '::1', 48020))).toBe(0); // ::1 is V6ONLY: no IPv4 overlap
    const o = f.c('socket', AF_INET6, SOCK_STREAM, 0);
    expect(setV6only(f, o, 1)).toBe(0);
    expect(f.c('bind', o, ...sin6(f, '::', 48020))).toBe(-E.EADDRINUSE); // overlaps ::1
    const o2 = f.c('socket', AF_INET6, SOCK_STREAM, 0);
    expect(setV6only(f, o2, 1)).toBe(0);
    expect(f.c('bind', o2, ...sin6(f, '::', 48021))).toBe(0);
    const v4b = f.c('socket', AF_INET, SOCK_STREAM, 0);
    expect(f.c('bind', v4b, ...sin(f, 0, 48021))).toBe(0); // V6ONLY :: leaves IPv4 free
    const u = f.c('socket', AF_INET6, SOCK_DGRAM, 0);
    expect(f.c('bind', u, ...sin6(f, '::', 48020))).toBe(0); // another protocol
  });

  it('ephemeral ports continue the AF_INET sequence', () => {
    const f = netFixture();
    const a = f.c('socket', AF_INET, SOCK_STREAM, 0);
    expect(f.c('bind', a, ...sin(f, 0, 0))).toBe(0);
    const b = f.c('socket', AF_INET6, SOCK_STREAM, 0);
    expect(f.c('listen', b, 1)).toBe(0);
    expect(name(f, 'getsockname', b)).toEqual([0, 28, AF_INET6, `[::]:${EPHEMERAL_LOW + 1}`]);
  });
});

describe('IPV6_V6ONLY', () => {
  it('defaults to 0, is set by binding ::1, not by :: or a mapped address, and is EINVAL once bound', () => {
    const f = netFixture();
    const a = f.c('socket', AF_INET6, SOCK_STREAM, 0);
    expect(v6only(f, a)).toBe(0);
    expect(f.c('bind', a, ...sin6(f, '::1', 48030))).toBe(0);
    expect(v6only(f, a)).toBe(1);
    expect(setV6only(f, a, 0)).toBe(-E.EINVAL);
    const b = f.c('socket', AF_INET6, SOCK_DGRAM, 0);
    expect(f.c('bind', b, ...sin6(f, '::ffff:127.0.0.1', 48030))).toBe(0);
    expect(v6only(f, b)).toBe(0);
    const c = f.c('socket', AF_INET6, SOCK_STREAM, 0);
    expect(setV6only(f, c, 7)).toBe(0);
    expect(v6only(f, c)).toBe(1);
    expect(f.c('bind', c, ...sin6(f, '::ffff:127.0.0.1', 48031))).toBe(-E.EINVAL);
    expect(f.c('setsockopt', c, IPPROTO_IPV6, IPV6_V6ONLY, OPTVAL, 3)).toBe(-E.EINVAL);
    expect(f.c('setsockopt', c, IPPROTO_IPV6, IPV6_V6ONLY, 0, 4)).toBe(0); // NULL reads as 0
    expect(v6only(f, c)).toBe(0);
    f.mem.st32(OPTVAL, 4);
    expect(f.c('getsockopt', c, SOL_SOCKET, SO_DOMAIN, OPTVAL, OPTLEN)).toBe(0);
    expect(f.i32(OPTVAL)).toBe(AF_INET6);
    const v4 = f.c('socket', AF_INET, SOCK_STREAM, 0);
    expect(f.c('setsockopt', v4, IPPROTO_IPV6, IPV6_V6ONLY, OPTVAL, 4)).toBe(-E.ENOPROTOOPT);
    expect(f.c('getsockopt', v4, IPPROTO_IPV6, IPV6_V6ONLY, OPTVAL, OPTLEN)).toBe(-E.EOPNOTSUPP);
    expect(f.c('getsockopt', c, 999, 1, OPTVAL, OPTLEN)).toBe(-E.ENOPROTOOPT);
  });
});

describe('AF_INET6 TCP', () => {
  it('over ::1: connect, accept with the peer as sockaddr_in6, data; ECONNREFUSED, ENETUNREACH', () => {
    const f = netFixture();
    const l = f.c('socket', AF_INET6, SOCK_STREAM, 0);
    expect(f.c('bind', l, ...sin6(f, '::', 48040))).toBe(0);
    expect(f.c('listen', l, 4)).toBe(0);
    const c = f.c('socket', AF_INET6, SOCK_STREAM, 0);
    expect(f.c('connect', c, ...sin6(f, '2001:db8::1', 48040))).toBe(-E.ENETUNREACH);
    expect(f.c('connect', c, ...sin6(f, '::1', 48041))).toBe(-E.ECONNREFUSED);
    expect(f.c('connect', c, ...sin6(f, '::1', 48040))).toBe(0);
    expect(name(f, 'getsockname', c)).toEqual([0, 28, AF_INET6, `[::1]:${EPHEMERAL_LOW + 1}`]);
    expect(name(f, 'getpeername', c)).toEqual([0, 28, AF_INET6, '[::1]:48040']);
    f.mem.st32(SALEN[1], 128);
    const a = f.c('accept4', l, SA[1], SALEN[1], 0);
    expect(a).toBeGreaterThan(0);
    expect([f.i32(SALEN[1]), show6(Buffer.from(f.mem.read(SA[1], 28)))]).toEqual([28, `[::1]:${EPHEMERAL_LOW + 1}`]);
    expect(name(f, 'getsockname', a)).toEqual([0, 28, AF_INET6, '[::1]:48040']);
    expect(f.send(c, 'hi')).toBe(2);
    expect(f.recv(a, 10)).toBe('hi');
  });

  it('a dual-stack listener accepts IPv4 peers as mapped addresses; a V6ONLY one refuses them', () => {
    const f = netFixture();
    const l = f.c('socket', AF_INET6, SOCK_STREAM, 0);
    expect(f.c('bind', l, ...sin6(f, '::', 48050))).toBe(0);
    expect(f.c('listen', l, 4)).toBe(0);
    const c4 = f.c('socket', AF_INET, SOCK_STREAM, 0);
    expect(f.c('connect', c4, ...sin(f, LO4, 48050))).toBe(0);
    f.mem.st32(SALEN[1], 128);
    const a = f.c('accept4', l, SA[1], SALEN[1], 0);
    expect([f.i32(SALEN[1]), show6(Buffer.from(f.mem.read(SA[1], 28)))]).toEqual([28, `[::ffff:127.0.0.1]:${EPHEMERAL_LOW}`]);
    expect(name(f, 'getsockname', a)).toEqual([0, 28, AF_INET6, '[::ffff:127.0.0.1]:48050']);
    // A v6 client to a mapped address goes the IPv4 way.
    const c6 = f.c('socket', AF_INET6, SOCK_STREAM, 0);
    expect(f.c('connect', c6, ...sin6(f, '::ffff:127.0.0.1', 48050))).toBe(0);
    expect(name(f, 'getsockname', c6)).toEqual([0, 28, AF_INET6, `[::ffff:127.0.0.1]:${EPHEMERAL_LOW + 1}`]);
    const o = f.c('socket', AF_INET6, SOCK_STREAM, 0);
    expect(setV6only(f, o, 1)).toBe(0);
    expect(f.c('bind', o, ...sin6(f, '::', 48051))).toBe(0);
    expect(f.c('listen', o, 4)).toBe(0);
    const d = f.c('socket', AF_INET, SOCK_STREAM, 0);
    expect(f.c('connect', d, ...sin(f, LO4, 48051))).toBe(-E.ECONNREFUSED);
    const e = f.c('socket', AF_INET6, SOCK_STREAM, 0);
    expect(setV6only(f, e, 1)).toBe(0);
    expect(f.c('connect', e, ...sin6(f, '::ffff:127.0.0.1', 48051))).toBe(-E.ENETUNREACH);
    // An IPv4 listener does not hear ::1.
    const l4 = f.c('socket', AF_INET, SOCK_STREAM, 0);
    expect(f.c('bind', l4, ...sin(f, 0, 48052))).toBe(0);
    expect(f.c('listen', l4, 4)).toBe(0);
    expect(f.c('connect', f.c('socket', AF_INET6, SOCK_STREAM, 0), ...sin6(f, '::1', 48052))).toBe(-E.ECONNREFUSED);
  });
});

describe('AF_INET6 UDP', () => {
  it('datagrams over ::1 and mapped addresses carry sockaddr_in6 sources', () => {
    const f = netFixture();
    const r = f.c('socket', AF_INET6, SOCK_DGRAM, 0);
    expect(f.c('bind', r, ...sin6(f, '::', 48060))).toBe(0);
    const s6 = f.c('socket', AF_INET6, SOCK_DGRAM, 0);
    f.mem.write(SBUF, Buffer.from('one'));
    expect(f.c('sendto', s6, SBUF, 3, 0, ...sin6(f, '::1', 48060))).toBe(3);
    f.mem.st32(SALEN[1], 128);
    expect(f.c('recvfrom', r, RBUF, 10, 0, SA[1], SALEN[1])).toBe(3);
    expect([f.i32(SALEN[1]), show6(Buffer.from(f.mem.read(SA[1], 28)))]).toEqual([28, `[::1]:${EPHEMERAL_LOW}`]);
    const s4 = f.c('socket', AF_INET, SOCK_DGRAM, 0);
    expect(f.c('sendto', s4, SBUF, 3, 0, ...sin(f, LO4, 48060))).toBe(3);
    f.mem.st32(SALEN[1], 128);
    expect(f.c('recvfrom', r, RBUF, 10, 0, SA[1], SALEN[1])).toBe(3);
    expect(show6(Buffer.from(f.mem.read(SA[1], 28)))).toBe(`[::ffff:127.0.0.1]:${EPHEMERAL_LOW + 1}`);
    expect(f.c('sendto', s6, SBUF, 3, 0, ...sin6(f, '::1', 0))).toBe(-E.EINVAL);
    expect(f.c('sendto', s6, SBUF, 3, 0, ...sin6(f, '2001:db8::1', 9))).toBe(-E.ENETUNREACH);
    expect(f.c('connect', s6, ...sin6(f, '::1', 48060))).toBe(0);
    expect(name(f, 'getpeername', s6)).toEqual([0, 28, AF_INET6, '[::1]:48060']);
  });
});
