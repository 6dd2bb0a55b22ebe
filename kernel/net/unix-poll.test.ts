// Readiness of AF_UNIX sockets through ppoll and epoll, and message boundaries. Expected
// values: poll(2), epoll_ctl(2), unix(7), recv(2) (MSG_TRUNC), Linux 6.1
// net/unix/af_unix.c unix_poll / unix_dgram_poll (quoted where used), unix_shutdown (the
// peer gets the mirror image), unix_release_sock (the peer of a closed stream socket is shut
// down both ways), unix_dgram_recvmsg (one skb per call; MSG_TRUNC).

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { D, EVENTS, RBUF, SBUF, netFixture, type NetFixture } from './net-test-util.ts';
import {
  MSG_DONTWAIT, MSG_PEEK, MSG_TRUNC, POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDHUP, POLLRDNORM, POLLWRBAND, POLLWRNORM,
  SOCK_DGRAM, SOCK_NONBLOCK, SOCK_SEQPACKET, SOCK_STREAM,
} from '../abi.ts';

const AF_UNIX = 1;
const IN = POLLIN | POLLRDNORM;
const OUT = POLLOUT | POLLWRNORM | POLLWRBAND;
/** Everything unix_poll can report (POLLERR and POLLHUP are always reported). */
const ALL = IN | OUT | POLLRDHUP;

const EPOLLET = 0x80000000;

function epollAdd(f: NetFixture, ep: number, fd: number, events: number, data: number): number {
  const b = Buffer.alloc(16);
  b.writeUInt32LE(events >>> 0, 0);
  b.writeBigUInt64LE(BigInt(data), 8);
  f.mem.write(D + 0x3c0, b);
  return f.c('epoll_ctl', ep, 1 /* EPOLL_CTL_ADD */, fd, D + 0x3c0);
}
/** [events, data] of the n events epoll_pwait wrote at EVENTS. */
function epollEvents(f: NetFixture, n: number): [number, number][] {
  const b = Buffer.from(f.mem.read(EVENTS, n * 16));
  return Array.from({ length: n }, (_, i) => [b.readUInt32LE(i * 16), Number(b.readBigUInt64LE(i * 16 + 8))]);
}

describe('poll readiness of stream sockets (unix_poll)', () => {
  it('a fresh, unconnected stream socket is POLLOUT | POLLHUP (TCP_CLOSE); a listener is nothing until a connect, then POLLIN', () => {
    const f = netFixture();
    const s = f.c('socket', AF_UNIX, SOCK_STREAM, 0);
    expect(f.poll([s, ALL])).toEqual([1, OUT | POLLHUP]);
    // POLLHUP is reported even when not asked for.
    expect(f.poll([s, POLLIN])).toEqual([1, POLLHUP]);
    const l = f.c('socket', AF_UNIX, SOCK_STREAM, 0);
    expect(f.c('bind', l, ...f.sun('/tmp/pl'))).toBe(0);
    expect(f.c('listen', l, 5)).toBe(0);
    // Listening: not writable (unix_writable: sk_state != TCP_LISTEN), not closed, nothing queued.
    expect(f.poll([l, ALL])).toEqual([0, 0]);
    expect(f.c('connect', s, ...f.sun('/tmp/pl'))).toBe(0);
    expect(f.poll([l, ALL], [s, ALL])).toEqual([2, IN, OUT]);
    const a = f.c('accept', l, 0, 0);
    expect(f.poll([l, ALL], [a, ALL])).toEqual([1, 0, OUT]);
  });

  it('POLLOUT when connected; POLLIN after the peer sends, gone once read', () => {
    const f = netFixture();
    const [a, b] = f.pair(SOCK_STREAM);
    expect(f.poll([a, ALL], [b, ALL])).toEqual([2, OUT, OUT]);
    expect(f.send(b, 'abc')).toBe(3);
    expect(f.poll([a, ALL], [b, ALL])).toEqual([2, IN | OUT, OUT]);
    expect(f.poll([a, POLLIN])).toEqual([1, POLLIN]); // only what was asked for
    expect(f.recv(a, 1, MSG_PEEK)).toBe('a');
    expect(f.poll([a, POLLIN])).toEqual([1, POLLIN]); // a peek leaves it
    expect(f.recv(a, 10)).toBe('abc');
    expect(f.poll([a, ALL])).toEqual([1, OUT]);
  });

  it('the peer’s SHUT_WR is POLLIN | POLLRDHUP (end of file), not POLLHUP; SHUT_RDWR adds POLLHUP', () => {
    const f = netFixture();
    const [a, b] = f.pair(SOCK_STREAM);
    expect(f.send(b, 'xy')).toBe(2);
    expect(f.c('shutdown', b, 1 /* SHUT_WR */)).toBe(0);
    expect(f.poll([a, ALL], [b, ALL])).toEqual([2, IN | POLLRDHUP | OUT, OUT]);
    // POLLRDHUP is only reported when asked for.
    expect(f.poll([a, POLLIN | POLLOUT])).toEqual([1, POLLIN | POLLOUT]);
    expect(f.recv(a, 10)).toBe('xy');
    expect(f.recv(a, 10)).toBe(''); // EOF, no waiting
    expect(f.poll([a, ALL])).toEqual([1, IN | POLLRDHUP | OUT]);
    expect(f.send(a, 'back')).toBe(4); // the other direction is still open
    expect(f.recv(b, 10)).toBe('back');
    expect(f.c('shutdown', b, 0 /* SHUT_RD */)).toBe(0);
    // Now a's sk_shutdown == SHUTDOWN_MASK: POLLHUP too.
    expect(f.poll([a, ALL])).toEqual([1, IN | POLLRDHUP | POLLHUP | OUT]);
    f.kernel.state.signals.actions[13].handler = 1n; // SIG_IGN
    expect(f.send(a, 'z')).toBe(-E.EPIPE);
  });

  it('the peer’s close: POLLIN | POLLRDHUP | POLLHUP (and still POLLOUT, as unix_poll says "prevents stuck sockets")', () => {
    const f = netFixture();
    const [a, b] = f.pair(SOCK_STREAM);
    expect(f.send(b, 'last')).toBe(4);
    expect(f.c('close', b)).toBe(0);
    expect(f.poll([a, ALL])).toEqual([1, IN | POLLRDHUP | POLLHUP | OUT]);
    expect(f.recv(a, 10)).toBe('last'); // queued data survives the close
    expect(f.recv(a, 10)).toBe('');
  });

  it('closing with unread data in its queue resets the peer: POLLERR, then ECONNRESET once', () => {
    const f = netFixture();
    const [a, b] = f.pair(SOCK_STREAM);
    expect(f.send(a, 'unread')).toBe(6);
    expect(f.c('close', b)).toBe(0);
    expect(f.poll([a, POLLIN])).toEqual([1, POLLIN | POLLERR | POLLHUP]);
    expect(f.recv(a, 10)).toBe(-E.ECONNRESET);
    expect(f.recv(a, 10)).toBe('');
  });
});

describe('epoll on stream sockets', () => {
  it('level-triggered EPOLLIN / EPOLLOUT / EPOLLRDHUP / EPOLLHUP follow the peer', () => {
    const f = netFixture();
    const [a, b] = f.pair(SOCK_STREAM);
    const ep = f.c('epoll_create1', 0);
    expect(epollAdd(f, ep, a, POLLIN | POLLOUT | POLLRDHUP, 42)).toBe(0);
    expect(f.c('epoll_pwait', ep, EVENTS, 8, 0, 0, 8)).toBe(1);
    expect(epollEvents(f, 1)).toEqual([[POLLOUT, 42]]);
    expect(f.send(b, 'q')).toBe(1);
    expect(f.c('epoll_pwait', ep, EVENTS, 8, 0, 0, 8)).toBe(1);
    expect(epollEvents(f, 1)).toEqual([[POLLIN | POLLOUT, 42]]);
    expect(f.c('close', b)).toBe(0);
    expect(f.c('epoll_pwait', ep, EVENTS, 8, 0, 0, 8)).toBe(1);
    expect(epollEvents(f, 1)).toEqual([[POLLIN | POLLOUT | POLLRDHUP | POLLHUP, 42]]);
  });

  it('a blocking epoll_pwait is woken by a send from another thread', () => {
    const f = netFixture();
    const [a, b] = f.pair(SOCK_STREAM);
    const ep = f.c('epoll_create1', 0);
    expect(epollAdd(f, ep, a, POLLIN | EPOLLET, 7)).toBe(0);
    f.spawn();
    f.at(0x1000, 'epoll_pwait', ep, EVENTS, 8, -1, 0, 8);
    expect(f.tid()).toBe(1001); // nothing to read: main sleeps
    expect(f.send(b, 'wake')).toBe(4);
    f.c('exit', 0);
    expect(f.tid()).toBe(1000);
    f.ecall();
    expect(f.a0()).toBe(1n);
    expect(epollEvents(f, 1)).toEqual([[POLLIN, 7]]);
  });

  it('a blocking ppoll is woken by the peer’s close with POLLHUP', () => {
    const f = netFixture();
    const [a, b] = f.pair(SOCK_STREAM);
    f.spawn();
    const fds = f.pollfds([a, POLLIN | POLLRDHUP]);
    f.at(0x1000, 'ppoll', fds, 1, 0, 0, 8);
    expect(f.tid()).toBe(1001);
    expect(f.c('close', b)).toBe(0);
    f.c('exit', 0);
    f.ecall();
    expect(f.a0()).toBe(1n);
    expect(f.revents(1)).toEqual([POLLIN | POLLRDHUP | POLLHUP]);
  });
});

describe('datagram and seqpacket readiness (unix_dgram_poll)', () => {
  it('an unconnected datagram socket is writable and never POLLHUP; a datagram makes it readable', () => {
    const f = netFixture();
    const r = f.c('socket', AF_UNIX, SOCK_DGRAM, 0);
    expect(f.poll([r, ALL])).toEqual([1, OUT]);
    expect(f.c('bind', r, ...f.sun('\0pd'))).toBe(0);
    const s = f.c('socket', AF_UNIX, SOCK_DGRAM, 0);
    f.mem.write(SBUF, Buffer.from('to-r'));
    const [to, tolen] = f.sun('\0pd', 1);
    expect(f.c('sendto', s, SBUF, 4, 0, to, tolen)).toBe(4);
    expect(f.poll([r, ALL])).toEqual([1, IN | OUT]);
  });

  it('a seqpacket socket whose peer closed is POLLHUP with POLLIN (EOF); an unconnected one is POLLHUP', () => {
    const f = netFixture();
    const [a, b] = f.pair(SOCK_SEQPACKET);
    expect(f.poll([a, ALL])).toEqual([1, OUT]);
    expect(f.c('close', b)).toBe(0);
    expect(f.poll([a, ALL]) [1] & (IN | POLLRDHUP | POLLHUP)).toBe(IN | POLLRDHUP | POLLHUP);
    expect(f.recv(a, 10)).toBe('');
    const u = f.c('socket', AF_UNIX, SOCK_SEQPACKET, 0);
    expect(f.poll([u, POLLIN])).toEqual([1, POLLHUP]);
  });
});

describe('message boundaries', () => {
  for (const [name, type] of [['SOCK_DGRAM', SOCK_DGRAM], ['SOCK_SEQPACKET', SOCK_SEQPACKET]] as const) {
    it(`${name}: one message per read, an empty one included; a short buffer drops the rest, MSG_TRUNC reports the full length`, () => {
      const f = netFixture();
      const [a, b] = f.pair(type | SOCK_NONBLOCK);
      expect(f.send(b, 'abcdef')).toBe(6);
      expect(f.send(b, 'gh')).toBe(2);
      expect(f.send(b, '')).toBe(0);
      expect(f.send(b, 'ijklmnop')).toBe(8);
      expect(f.send(b, 'qrstuvwxyz')).toBe(10);
      expect(f.send(b, '0123456789')).toBe(10);
      expect(f.send(b, 'end')).toBe(3);
      expect(f.recv(a, 100)).toBe('abcdef'); // not glued to "gh"
      expect(f.recv(a, 100)).toBe('gh');
      expect(f.recv(a, 100)).toBe(''); // a zero-length datagram is a message
      // recvmsg with a 3-byte buffer: 3 bytes, msg_flags MSG_TRUNC; the rest is gone.
      expect(f.recvmsg(a, 3)).toEqual([3, 'ijk', MSG_TRUNC]);
      // MSG_TRUNC as a flag: the result is the real length, only 4 bytes copied.
      expect(f.recvmsg(a, 4, MSG_TRUNC)).toEqual([10, 'qrst', MSG_TRUNC]);
      // recvfrom with MSG_TRUNC | MSG_PEEK: the length without taking it, also with no buffer
      // at all (the usual "how long is the next datagram" idiom).
      expect(f.c('recvfrom', a, RBUF, 2, MSG_TRUNC | MSG_PEEK, 0, 0)).toBe(10);
      expect(f.c('recvfrom', a, 0, 0, MSG_TRUNC | MSG_PEEK, 0, 0)).toBe(10);
      expect(f.recvmsg(a, 100)).toEqual([10, '0123456789' + '.'.repeat(90), 0]);
      expect(f.c('recvfrom', a, RBUF, 1, 0, 0, 0)).toBe(1); // truncated, plain return
      expect(f.recv(a, 100)).toBe(-E.EAGAIN); // "end"'s rest did not stay queued
    });
  }

  it('SOCK_STREAM: sends are glued together and a short read leaves the rest', () => {
    const f = netFixture();
    const [a, b] = f.pair(SOCK_STREAM | SOCK_NONBLOCK);
    expect(f.send(b, 'abc')).toBe(3);
    expect(f.send(b, 'def')).toBe(3);
    expect(f.recvmsg(a, 4)).toEqual([4, 'abcd', 0]);
    expect(f.recv(a, 100)).toBe('ef');
    expect(f.recv(a, 100)).toBe(-E.EAGAIN);
  });

  it('recvfrom reports the datagram sender’s address', () => {
    const f = netFixture();
    const r = f.c('socket', AF_UNIX, SOCK_DGRAM, 0);
    expect(f.c('bind', r, ...f.sun('/tmp/dr'))).toBe(0);
    const s = f.c('socket', AF_UNIX, SOCK_DGRAM, 0);
    expect(f.c('bind', s, ...f.sun('/tmp/ds'))).toBe(0);
    f.mem.write(SBUF, Buffer.from('hi'));
    const [to, tolen] = f.sun('/tmp/dr', 1);
    expect(f.c('sendto', s, SBUF, 2, 0, to, tolen)).toBe(2);
    f.mem.st32(D + 0x290, 128);
    expect(f.c('recvfrom', r, RBUF, 10, MSG_DONTWAIT, f.sun('', 0)[0], D + 0x290)).toBe(2);
    expect(f.i32(D + 0x290)).toBe(10);
    expect(f.readSun(0, 10)).toEqual([AF_UNIX, '/tmp/ds\0']);
  });
});

describe('datagram send checks in unix_dgram_sendmsg order', () => {
  // unix_dgram_sendmsg: unix_validate_addr, EMSGSIZE (len > sk_sndbuf - 32), then
  // sock_alloc_send_pskb (net/core/sock.c: sock_error, -EPIPE if SEND_SHUTDOWN, the wmem
  // wait), and only then the destination lookup (unix_find_other) and the peer checks.
  it('after its own SHUT_WR a datagram socket gets EPIPE (no SIGPIPE), even towards a name nobody has; it can still receive', () => {
    const f = netFixture();
    const r = f.c('socket', AF_UNIX, SOCK_DGRAM, 0);
    expect(f.c('bind', r, ...f.sun('\0d-r'))).toBe(0);
    const s = f.c('socket', AF_UNIX, SOCK_DGRAM, 0);
    expect(f.c('bind', s, ...f.sun('\0d-s'))).toBe(0);
    expect(f.c('connect', s, ...f.sun('\0d-r'))).toBe(0);
    expect(f.send(s, 'before')).toBe(6);
    expect(f.c('shutdown', s, 1 /* SHUT_WR */)).toBe(0);
    // SIGPIPE keeps its default action: a signal would kill the guest instead of returning.
    expect(f.send(s, 'after')).toBe(-E.EPIPE);
    expect(f.c('write', s, SBUF, 1)).toBe(-E.EPIPE);
    f.mem.write(SBUF, Buffer.from('zz'));
    const [nobody, nobodyLen] = f.sun('\0nobody', 1);
    expect(f.c('sendto', s, SBUF, 2, 0, nobody, nobodyLen)).toBe(-E.EPIPE);
    // The receiving direction is not shut: r can still send to s.
    const [toS, toSLen] = f.sun('\0d-s', 1);
    f.mem.write(SBUF, Buffer.from('back'));
    expect(f.c('sendto', r, SBUF, 4, 0, toS, toSLen)).toBe(4);
    expect(f.recv(s, 10)).toBe('back');
    expect(f.recv(r, 10)).toBe('before');
  });

  it('an oversized datagram is EMSGSIZE before its destination is looked up', () => {
    const f = netFixture();
    const u = f.c('socket', AF_UNIX, SOCK_DGRAM, 0);
    f.mem.st32(D + 0x300, 1);
    expect(f.c('setsockopt', u, 1, 7 /* SO_SNDBUF */, D + 0x300, 4)).toBe(0);
    f.mem.st32(D + 0x320, 4);
    expect(f.c('getsockopt', u, 1, 7, D + 0x300, D + 0x320)).toBe(0);
    const sndbuf = f.i32(D + 0x300);
    expect(sndbuf).toBe(4608); // SOCK_MIN_SNDBUF: 2 * (2048 + SKB_DATA_ALIGN(sizeof(struct sk_buff)))
    const [nobody, nobodyLen] = f.sun('\0nobody', 1);
    expect(f.c('sendto', u, SBUF, sndbuf - 31, 0, nobody, nobodyLen)).toBe(-E.EMSGSIZE);
    expect(f.c('sendto', u, SBUF, sndbuf - 32, 0, nobody, nobodyLen)).toBe(-E.ECONNREFUSED);
  });
});

describe('a datagram sender polling for room in its peer’s queue', () => {
  it('is woken when the peer reads, even a message another socket sent (unix_dgram_peer_wake_me)', () => {
    const f = netFixture();
    const r = f.c('socket', AF_UNIX, SOCK_DGRAM, 0);
    expect(f.c('bind', r, ...f.sun('\0pw-r'))).toBe(0);
    // Another, unconnected socket fills r's queue (max_dgram_qlen 10: 11 fit).
    const t = f.c('socket', AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    const [toR, toRLen] = f.sun('\0pw-r', 1);
    f.mem.write(SBUF, Buffer.from('t'));
    for (let i = 0; i < 11; i++) expect(f.c('sendto', t, SBUF, 1, 0, toR, toRLen)).toBe(1);
    expect(f.c('sendto', t, SBUF, 1, 0, toR, toRLen)).toBe(-E.EAGAIN);
    const s = f.c('socket', AF_UNIX, SOCK_DGRAM, 0);
    expect(f.c('connect', s, ...f.sun('\0pw-r'))).toBe(0);
    expect(f.poll([s, POLLOUT])).toEqual([0, 0]);
    f.spawn();
    f.at(0x1000, 'ppoll', f.pollfds([s, POLLOUT]), 1, 0, 0, 8);
    expect(f.tid()).toBe(1001); // s's poller sleeps
    expect(f.recv(r, 10)).toBe('t');
    f.c('exit', 0);
    expect(f.tid()).toBe(1000);
    f.ecall();
    expect(f.a0()).toBe(1n);
    expect(f.revents(1)).toEqual([POLLOUT]);
  });
});
