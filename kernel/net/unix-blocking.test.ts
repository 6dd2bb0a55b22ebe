// AF_UNIX calls that wait, on the deterministic scheduler: the waiting thread sleeps with pc
// at its ecall, another thread runs (a woken thread does not preempt it), and the woken call
// is made again and completes. Expected values: unix(7), accept(2), connect(2), socket(7)
// (SO_PEERCRED), Linux 6.1 net/unix/af_unix.c (unix_stream_connect, unix_accept,
// unix_getname, unix_stream_read_generic, unix_stream_sendmsg via sock_alloc_send_pskb,
// unix_wait_for_peer), net/core/sock.c (init_peercred: the tgid, euid, egid at the time).

import { describe, expect, it } from 'vitest';
import { EXIT_ZEROSYS_STOP, ZerosysStop } from '../api.ts';
import { E } from '../errno.ts';
import { vfsFixture } from '../vfs/vfs-test-util.ts';
import { D, RBUF, SBUF, netFixture } from './net-test-util.ts';
import { MSG_DONTWAIT, O_NONBLOCK, POLLIN, SOCK_CLOEXEC, SOCK_DGRAM, SOCK_NONBLOCK, SOCK_STREAM } from '../abi.ts';

const AF_UNIX = 1;
const EAGAIN = -E.EAGAIN;

describe('accept woken by connect', () => {
  it('a blocking accept sleeps until another thread connects; the accepted socket knows both addresses and the connector’s credentials', () => {
    const f = netFixture();
    // Creds at listen() time: what the client will see as SO_PEERCRED (copy_peercred).
    expect(f.c('setresgid', -1, 222, -1)).toBe(0);
    const lfd = f.c('socket', AF_UNIX, SOCK_STREAM, 0);
    expect(lfd).toBe(3);
    expect(f.c('bind', lfd, ...f.sun('/tmp/srv'))).toBe(0);
    expect(f.c('listen', lfd, 5)).toBe(0);
    const child = f.spawn();
    expect(child).toBe(1001);
    expect(f.tid()).toBe(1000);

    f.mem.st32(D + 0x290, 128);
    f.at(0x1000, 'accept4', lfd, f.sun('', 1)[0], D + 0x290, SOCK_CLOEXEC);
    // Main sleeps in accept; the child runs from after its clone.
    expect(f.tid()).toBe(1001);
    expect(f.a0()).toBe(0n);
    expect(f.kernel.state.thread.find(1000)!.state).toBe('blocked');

    expect(f.c('setresgid', -1, 333, -1)).toBe(0); // the connector's egid
    // fd 4 is taken but not open: close is EBADF, dup3 onto it EBUSY (fs/file.c do_dup2).
    expect(f.c('close', 4)).toBe(-E.EBADF);
    expect(f.c('dup3', 0, 4, 0)).toBe(-E.EBUSY);
    // __sys_accept4_file took fd 4 (get_unused_fd_flags) before main went to sleep: the
    // child's socket gets 5.
    const cfd = f.c('socket', AF_UNIX, SOCK_STREAM, 0);
    expect(cfd).toBe(5);
    expect(f.c('bind', cfd, ...f.sun('/tmp/cli'))).toBe(0);
    expect(f.c('connect', cfd, ...f.sun('/tmp/srv'))).toBe(0);
    expect(f.kernel.state.thread.find(1000)!.state).toBe('runnable'); // woken...
    expect(f.tid()).toBe(1001); // ...but it does not preempt the connector
    expect(f.c('setresgid', -1, 444, -1)).toBe(0); // later changes are not seen by the peer
    expect(f.send(cfd, 'hello')).toBe(5);
    // The client's view: the peer is the listener's address; its creds were latched at listen().
    expect(f.name('getpeername', cfd)).toEqual([0, 11, AF_UNIX, '/tmp/srv\0']);
    expect(f.peercred(cfd)).toEqual([0, 1000, 0, 222, 12]);
    f.c('exit', 0);

    // Main makes its accept4 again and gets the connection.
    expect(f.tid()).toBe(1000);
    expect(f.cpu.pc).toBe(0x1000);
    f.ecall();
    const afd = Number(f.a0());
    expect(afd).toBe(4); // the number it took before sleeping
    expect(f.cpu.pc).toBe(0x1004);
    // The peer's address went to the buffer, its length (2 + "/tmp/cli" + NUL) to *addrlen.
    expect(f.i32(D + 0x290)).toBe(11);
    expect(f.readSun(1, 11)).toEqual([AF_UNIX, '/tmp/cli\0']);
    expect(f.c('fcntl', afd, 1 /* F_GETFD */)).toBe(1); // SOCK_CLOEXEC
    expect(f.c('fcntl', afd, 3 /* F_GETFL */) & O_NONBLOCK).toBe(0);
    // unix_getname: the accepted socket has the listener's address; its peer is the client.
    expect(f.name('getsockname', afd)).toEqual([0, 11, AF_UNIX, '/tmp/srv\0']);
    expect(f.name('getpeername', afd)).toEqual([0, 11, AF_UNIX, '/tmp/cli\0']);
    // SO_PEERCRED of the accepted socket: the connecting task's tgid (1000, not tid 1001) and
    // its euid/egid at connect().
    expect(f.peercred(afd)).toEqual([0, 1000, 0, 333, 12]);
    expect(f.recv(afd, 100)).toBe('hello');
    // The listener has nothing more pending.
    expect(f.c('fcntl', lfd, 4 /* F_SETFL */, O_NONBLOCK)).toBe(0);
    expect(f.c('accept4', lfd, 0, 0, 0)).toBe(EAGAIN);
  });

  it('an unbound client shows as the family alone (addrlen 2); a non-blocking listener says EAGAIN', () => {
    const f = netFixture();
    const lfd = f.c('socket', AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    expect(f.c('bind', lfd, ...f.sun('\0abstract-srv'))).toBe(0);
    expect(f.c('listen', lfd, 1)).toBe(0);
    expect(f.c('accept', lfd, 0, 0)).toBe(EAGAIN);
    const cfd = f.c('socket', AF_UNIX, SOCK_STREAM, 0);
    expect(f.c('connect', cfd, ...f.sun('\0abstract-srv'))).toBe(0);
    f.mem.st32(D + 0x290, 128);
    const afd = f.c('accept', lfd, f.sun('', 1)[0], D + 0x290);
    expect(afd).toBe(5);
    expect(f.i32(D + 0x290)).toBe(2);
    expect(f.readSun(1, 2)).toEqual([AF_UNIX, '']);
    expect(f.name('getpeername', afd)).toEqual([0, 2, AF_UNIX, '']);
    // An abstract address has no NUL added: 2 + 1 + 12 bytes.
    expect(f.name('getpeername', cfd)).toEqual([0, 15, AF_UNIX, '\0abstract-srv']);
    // The accepted socket does not inherit O_NONBLOCK from the listener (accept4 flags only).
    expect(f.c('fcntl', afd, 3) & O_NONBLOCK).toBe(0);
  });

  it('a blocking connect to a full backlog sleeps until the listener accepts (unix_wait_for_peer); non-blocking it is EAGAIN', () => {
    const f = netFixture();
    const lfd = f.c('socket', AF_UNIX, SOCK_STREAM, 0);
    expect(f.c('bind', lfd, ...f.sun('/tmp/full'))).toBe(0);
    expect(f.c('listen', lfd, 0)).toBe(0);
    // Backlog 0: one pending connection fits (unix_recvq_full is qlen > backlog), a second does not.
    const c1 = f.c('socket', AF_UNIX, SOCK_STREAM, 0);
    expect(f.c('connect', c1, ...f.sun('/tmp/full'))).toBe(0);
    const c2 = f.c('socket', AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    expect(f.c('connect', c2, ...f.sun('/tmp/full'))).toBe(EAGAIN);
    const c3 = f.c('socket', AF_UNIX, SOCK_STREAM, 0);
    f.spawn();
    f.at(0x1000, 'connect', c3, ...f.sun('/tmp/full'));
    expect(f.tid()).toBe(1001);
    const a1 = f.c('accept', lfd, 0, 0);
    expect(a1).toBeGreaterThan(0);
    f.c('exit', 0);
    expect(f.tid()).toBe(1000);
    expect(f.cpu.pc).toBe(0x1000);
    f.ecall();
    expect(f.a0()).toBe(0n);
    const a3 = f.c('accept', lfd, 0, 0);
    expect(a3).toBeGreaterThan(a1);
    expect(f.send(c3, 'three')).toBe(5);
    expect(f.recv(a3, 10)).toBe('three');
  });
});

describe('recv woken by send', () => {
  it('a blocking stream read sleeps until the peer writes, then returns what is there', () => {
    const f = netFixture();
    const [a, b] = f.pair(SOCK_STREAM);
    f.spawn();
    f.at(0x1000, 'recvfrom', a, RBUF, 100, 0, 0, 0);
    expect(f.tid()).toBe(1001);
    expect(f.send(b, 'ping')).toBe(4);
    f.c('exit', 0);
    expect(f.tid()).toBe(1000);
    f.ecall();
    expect(f.a0()).toBe(4n);
    expect(Buffer.from(f.mem.read(RBUF, 4)).toString()).toBe('ping');
  });

  it('a blocking datagram read sleeps until a datagram comes; read(2) on the socket too', () => {
    const f = netFixture();
    const [a, b] = f.pair(SOCK_DGRAM);
    f.spawn();
    f.at(0x1000, 'read', a, RBUF, 100);
    expect(f.tid()).toBe(1001);
    expect(f.send(b, 'dgram!')).toBe(6);
    f.c('exit', 0);
    f.ecall();
    expect(f.a0()).toBe(6n);
    expect(Buffer.from(f.mem.read(RBUF, 6)).toString()).toBe('dgram!');
  });

  it('a blocking read is ended by the peer closing: 0 (end of file)', () => {
    const f = netFixture();
    const [a, b] = f.pair(SOCK_STREAM);
    f.spawn();
    f.at(0x1000, 'recvfrom', a, RBUF, 100, 0, 0, 0);
    expect(f.c('close', b)).toBe(0);
    f.c('exit', 0);
    f.ecall();
    expect(f.a0()).toBe(0n);
  });
});

describe('send woken by the reader', () => {
  it('a blocking stream send on a full buffer sleeps until the peer reads, then sends all of it', () => {
    const f = netFixture();
    const [a, b] = f.pair(SOCK_STREAM);
    // SO_SNDBUF 1 → the minimum (SOCK_MIN_SNDBUF); getsockopt shows the doubled/clamped value.
    f.mem.st32(D + 0x300, 1);
    expect(f.c('setsockopt', a, 1, 7 /* SO_SNDBUF */, D + 0x300, 4)).toBe(0);
    // Fill with non-blocking sends of distinct bytes until EAGAIN.
    const chunk = Buffer.alloc(1024);
    let sent = 0;
    for (let i = 0; i < 1000; i++) {
      for (let j = 0; j < chunk.length; j++) chunk[j] = (sent + j) & 0xff;
      f.mem.write(SBUF, chunk);
      const r = f.c('sendto', a, SBUF, 1024, MSG_DONTWAIT, 0, 0);
      if (r === EAGAIN) break;
      expect(r).toBeGreaterThan(0);
      sent += r;
    }
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(64 * 1024); // the small buffer, not the default one, is what filled
    expect(f.poll([a, 4 /* POLLOUT */])).toEqual([0, 0]);

    f.spawn();
    f.mem.write(SBUF, Buffer.alloc(1024, 0x7a)); // 'z'
    f.at(0x1000, 'sendto', a, SBUF, 1024, 0, 0, 0);
    expect(f.tid()).toBe(1001); // the sender sleeps
    // The reader drains everything, in order.
    let got = 0;
    while (got < sent) {
      const r = f.c('recvfrom', b, RBUF, 0x4000, MSG_DONTWAIT, 0, 0);
      expect(r).toBeGreaterThan(0);
      const bytes = f.mem.read(RBUF, r);
      for (let j = 0; j < r; j++) if (bytes[j] !== ((got + j) & 0xff)) throw new Error(`byte ${got + j}: ${bytes[j]}`);
      got += r;
    }
    expect(got).toBe(sent);
    expect(f.c('recvfrom', b, RBUF, 10, MSG_DONTWAIT, 0, 0)).toBe(EAGAIN); // the sleeper sent nothing yet
    f.c('exit', 0);
    expect(f.tid()).toBe(1000);
    expect(f.cpu.pc).toBe(0x1000);
    f.ecall();
    expect(f.a0()).toBe(1024n); // the whole buffer fits now
    expect(f.recv(b, 2000, MSG_DONTWAIT)).toBe('z'.repeat(1024));
  });

  it('a stream sender blocked on a full buffer is woken by the peer’s close with EPIPE (SIGPIPE ignored)', () => {
    // sock_wait_for_wmem stops waiting on SEND_SHUTDOWN, which unix_release_sock set on us.
    const f = netFixture();
    const [a, b] = f.pair(SOCK_STREAM);
    f.mem.st32(D + 0x300, 1);
    expect(f.c('setsockopt', a, 1, 7 /* SO_SNDBUF */, D + 0x300, 4)).toBe(0);
    while (f.c('sendto', a, SBUF, 1024, MSG_DONTWAIT, 0, 0) > 0);
    f.kernel.state.signals.actions[13].handler = 1n; // SIG_IGN
    f.spawn();
    f.at(0x1000, 'sendto', a, SBUF, 1024, 0, 0, 0);
    expect(f.tid()).toBe(1001);
    expect(f.c('close', b)).toBe(0);
    f.c('exit', 0);
    f.ecall();
    expect(f.a0()).toBe(BigInt(-E.EPIPE));
  });

  it('a blocking datagram send to a full receive queue sleeps until the receiver reads one', () => {
    const f = netFixture();
    const r = f.c('socket', AF_UNIX, SOCK_DGRAM, 0);
    expect(f.c('bind', r, ...f.sun('\0dgram-rx'))).toBe(0);
    const s = f.c('socket', AF_UNIX, SOCK_DGRAM, 0);
    expect(f.c('connect', s, ...f.sun('\0dgram-rx'))).toBe(0);
    // net.unix.max_dgram_qlen 10: the queue is full with 11 (qlen > backlog).
    for (let i = 0; i < 11; i++) expect(f.send(s, `m${i}`, MSG_DONTWAIT)).toBe(2 + (i >= 10 ? 1 : 0));
    expect(f.send(s, 'x', MSG_DONTWAIT)).toBe(EAGAIN);
    expect(f.poll([s, 4])).toEqual([0, 0]); // unix_dgram_poll: not writable while the peer is full
    f.spawn();
    f.mem.write(SBUF, Buffer.from('late'));
    f.at(0x1000, 'sendto', s, SBUF, 4, 0, 0, 0);
    expect(f.tid()).toBe(1001);
    expect(f.recv(r, 100)).toBe('m0');
    f.c('exit', 0);
    f.ecall();
    expect(f.a0()).toBe(4n);
    for (let i = 1; i < 11; i++) expect(f.recv(r, 100)).toBe(`m${i}`);
    expect(f.recv(r, 100)).toBe('late');
  });
});

describe('deadlock', () => {
  const DEADLOCK = 'deadlock: every thread is blocked and none can be woken';

  it('the only thread blocking in accept is a deadlock stop (status 125), not a hang', () => {
    const f = netFixture();
    const lfd = f.c('socket', AF_UNIX, SOCK_STREAM, 0);
    expect(f.c('bind', lfd, ...f.sun('/tmp/lonely'))).toBe(0);
    expect(f.c('listen', lfd, 5)).toBe(0);
    let stop: unknown;
    try {
      f.at(0x1000, 'accept', lfd, 0, 0);
    } catch (e) {
      stop = e;
    }
    expect(stop).toBeInstanceOf(ZerosysStop);
    expect((stop as ZerosysStop).status).toBe(EXIT_ZEROSYS_STOP);
    expect((stop as ZerosysStop).message).toMatch(new RegExp(`^${DEADLOCK} \\(tid 1000: [^;]*accept[^;]* at pc 0x1000\\)$`));
  });

  it('a thread in accept whose only other thread exits: the exit reports the deadlock', () => {
    const f = netFixture();
    const lfd = f.c('socket', AF_UNIX, SOCK_STREAM, 0);
    expect(f.c('bind', lfd, ...f.sun('/tmp/lonely2'))).toBe(0);
    expect(f.c('listen', lfd, 5)).toBe(0);
    f.spawn();
    f.at(0x1000, 'accept', lfd, 0, 0);
    expect(f.tid()).toBe(1001);
    expect(() => f.c('exit', 0)).toThrowError(new RegExp(`^${DEADLOCK} \\(tid 1000: [^;]*accept[^;]* at pc 0x1000\\)$`));
  });

  it('two threads each waiting in a socket call that only the other could end are both reported', () => {
    const f = netFixture();
    const lfd = f.c('socket', AF_UNIX, SOCK_STREAM, 0);
    expect(f.c('bind', lfd, ...f.sun('/tmp/l3'))).toBe(0);
    expect(f.c('listen', lfd, 5)).toBe(0);
    const [a] = f.pair(SOCK_STREAM);
    f.spawn();
    f.at(0x1000, 'accept', lfd, 0, 0);
    expect(() => f.at(0x2000, 'recvfrom', a, RBUF, 1, 0, 0, 0)).toThrowError(
      new RegExp(`^${DEADLOCK} \\(tid 1000: [^;]*accept[^;]* at pc 0x1000; tid 1001: [^;]* at pc 0x2000\\)$`),
    );
  });

  it('without the scheduler (one thread) the blocking accept is the single-thread deadlock stop', () => {
    const f = vfsFixture();
    const lfd = f.sys('socket', AF_UNIX, SOCK_STREAM, 0);
    const sa = Buffer.alloc(2 + 6);
    sa.writeUInt16LE(AF_UNIX, 0);
    sa.write('\0solo', 2, 'latin1');
    f.put(sa, D + 0x100);
    expect(f.sys('bind', lfd, D + 0x100, 7)).toBe(0);
    expect(f.sys('listen', lfd, 5)).toBe(0);
    expect(() => f.sys('accept', lfd, 0, 0)).toThrowError(ZerosysStop);
    expect(() => f.sys('accept', lfd, 0, 0)).toThrowError(/^deadlock: .*accept.* would block forever and no other thread can run$/);
    // A poll for the connection that never comes is the same stop.
    const p = Buffer.alloc(8);
    p.writeInt32LE(lfd, 0);
    p.writeInt16LE(POLLIN, 4);
    f.put(p, D + 0x400);
    expect(() => f.sys('ppoll', D + 0x400, 1, 0, 0, 8)).toThrowError(/^deadlock: /);
  });
});

describe('a listener shut down or closed', () => {
  it('after SHUT_RD: a non-blocking accept is EAGAIN (no wait, so no shutdown check), a blocking one EINVAL; what was queued before is still accepted', () => {
    // __skb_recv_datagram: with timeo 0 the result is __skb_try_recv_datagram's -EAGAIN;
    // only __skb_wait_for_more_packets sees RCV_SHUTDOWN (err 0), and unix_accept maps
    // err 0 to -EINVAL ("This means receive shutdown").
    const f = netFixture();
    const l = f.c('socket', AF_UNIX, SOCK_STREAM, 0);
    expect(f.c('bind', l, ...f.sun('/tmp/shut'))).toBe(0);
    expect(f.c('listen', l, 5)).toBe(0);
    const c1 = f.c('socket', AF_UNIX, SOCK_STREAM, 0);
    expect(f.c('connect', c1, ...f.sun('/tmp/shut'))).toBe(0);
    expect(f.c('shutdown', l, 0 /* SHUT_RD */)).toBe(0);
    // unix_stream_connect: a listener shut for reading refuses.
    const c2 = f.c('socket', AF_UNIX, SOCK_STREAM, 0);
    expect(f.c('connect', c2, ...f.sun('/tmp/shut'))).toBe(-E.ECONNREFUSED);
    expect(f.c('fcntl', l, 4 /* F_SETFL */, O_NONBLOCK)).toBe(0);
    const a1 = f.c('accept', l, 0, 0);
    expect(a1).toBeGreaterThan(0); // the connection queued before the shutdown
    expect(f.c('accept', l, 0, 0)).toBe(EAGAIN);
    expect(f.c('fcntl', l, 4, 0)).toBe(0);
    expect(f.c('accept', l, 0, 0)).toBe(-E.EINVAL); // blocking: no wait, EINVAL at once
  });

  it('a blocking accept is ended by another thread’s SHUT_RD with EINVAL', () => {
    const f = netFixture();
    const l = f.c('socket', AF_UNIX, SOCK_STREAM, 0);
    expect(f.c('bind', l, ...f.sun('\0shut2'))).toBe(0);
    expect(f.c('listen', l, 5)).toBe(0);
    f.spawn();
    f.at(0x1000, 'accept', l, 0, 0);
    expect(f.tid()).toBe(1001);
    expect(f.c('shutdown', l, 0)).toBe(0);
    f.c('exit', 0);
    f.ecall();
    expect(f.a0()).toBe(BigInt(-E.EINVAL));
  });

  it('closing a listener resets the connections it never accepted: ECONNRESET once (POLLERR), then end of file, EPIPE on send', () => {
    // unix_release_sock(listener) → unix_release_sock(skb->sk, 1) for each queued server
    // half: embrion, so its peer (our client) gets sk_err = ECONNRESET and SHUTDOWN_MASK.
    const f = netFixture();
    const l = f.c('socket', AF_UNIX, SOCK_STREAM, 0);
    expect(f.c('bind', l, ...f.sun('/tmp/gone'))).toBe(0);
    expect(f.c('listen', l, 5)).toBe(0);
    const c1 = f.c('socket', AF_UNIX, SOCK_STREAM, 0);
    expect(f.c('connect', c1, ...f.sun('/tmp/gone'))).toBe(0);
    const c2 = f.c('socket', AF_UNIX, SOCK_STREAM, 0);
    expect(f.c('connect', c2, ...f.sun('/tmp/gone'))).toBe(0);
    expect(f.c('close', l)).toBe(0);
    expect(f.poll([c1, POLLIN])).toEqual([1, POLLIN | 0x8 /* POLLERR */ | 0x10 /* POLLHUP */]);
    expect(f.recv(c1, 10)).toBe(-E.ECONNRESET);
    expect(f.recv(c1, 10)).toBe('');
    expect(f.poll([c1, POLLIN])).toEqual([1, POLLIN | 0x10]);
    f.kernel.state.signals.actions[13].handler = 1n; // SIG_IGN
    expect(f.send(c1, 'x')).toBe(-E.EPIPE);
    // SO_ERROR reports (and clears) the same pending error on the other client.
    f.mem.st32(D + 0x320, 4);
    expect(f.c('getsockopt', c2, 1, 4 /* SO_ERROR */, D + 0x300, D + 0x320)).toBe(0);
    expect(f.i32(D + 0x300)).toBe(E.ECONNRESET);
    expect(f.c('getsockopt', c2, 1, 4, D + 0x300, D + 0x320)).toBe(0);
    expect(f.i32(D + 0x300)).toBe(0);
    // The name is free for a new listener? No: the socket inode stays until unlinked.
    const l2 = f.c('socket', AF_UNIX, SOCK_STREAM, 0);
    expect(f.c('bind', l2, ...f.sun('/tmp/gone'))).toBe(-E.EADDRINUSE);
    // ...and connecting to it is refused (no socket bound to that inode).
    expect(f.c('connect', l2, ...f.sun('/tmp/gone'))).toBe(-E.ECONNREFUSED);
  });

  it('a client blocked reading a connection that was never accepted is woken by the listener’s close with ECONNRESET', () => {
    const f = netFixture();
    const l = f.c('socket', AF_UNIX, SOCK_STREAM, 0);
    expect(f.c('bind', l, ...f.sun('\0gone2'))).toBe(0);
    expect(f.c('listen', l, 5)).toBe(0);
    const c = f.c('socket', AF_UNIX, SOCK_STREAM, 0);
    expect(f.c('connect', c, ...f.sun('\0gone2'))).toBe(0);
    f.spawn();
    f.at(0x1000, 'recvfrom', c, RBUF, 10, 0, 0, 0);
    expect(f.tid()).toBe(1001);
    expect(f.c('close', l)).toBe(0);
    f.c('exit', 0);
    f.ecall();
    expect(f.a0()).toBe(BigInt(-E.ECONNRESET));
  });
});

describe('listener credentials', () => {
  it('each listen() latches the caller’s credentials (init_peercred); connect copies the latest to the client', () => {
    const f = netFixture();
    const l = f.c('socket', AF_UNIX, SOCK_STREAM, 0);
    expect(f.c('bind', l, ...f.sun('\0creds'))).toBe(0);
    // Unconnected, never listened: no peer credentials (pid 0, uid/gid -1: the overflow ids).
    expect(f.peercred(l)).toEqual([0, 0, 0xffffffff, 0xffffffff, 12]);
    expect(f.c('setresgid', -1, 222, -1)).toBe(0);
    expect(f.c('listen', l, 1)).toBe(0);
    expect(f.peercred(l)).toEqual([0, 1000, 0, 222, 12]);
    expect(f.c('setresgid', -1, 555, -1)).toBe(0);
    expect(f.c('listen', l, 8)).toBe(0); // listening again: a new backlog and new credentials
    expect(f.peercred(l)).toEqual([0, 1000, 0, 555, 12]);
    expect(f.c('setresgid', -1, 777, -1)).toBe(0);
    const c = f.c('socket', AF_UNIX, SOCK_STREAM, 0);
    expect(f.c('connect', c, ...f.sun('\0creds'))).toBe(0);
    expect(f.peercred(c)).toEqual([0, 1000, 0, 555, 12]);
    const a = f.c('accept', l, 0, 0);
    expect(f.peercred(a)).toEqual([0, 1000, 0, 777, 12]);
  });
});
