// Control messages on AF_UNIX sockets: SCM_RIGHTS and SCM_CREDENTIALS through sendmsg and
// recvmsg. Expected values: unix(7), cmsg(3), Linux 6.1 net/core/scm.c (__scm_send,
// scm_check_creds, put_cmsg, scm_detach_fds), include/net/scm.h (scm_recv),
// net/unix/af_unix.c (unix_maybe_add_creds, unix_stream_read_generic, unix_dgram_recvmsg).
// Layouts written out (riscv64): struct msghdr 56 bytes (msg_control at 32, msg_controllen
// at 40, msg_flags at 48), struct cmsghdr 16 bytes (cmsg_len u64, level, type), ucred 12.

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { D, MSG, RBUF, SBUF, netFixture, type NetFixture } from './net-test-util.ts';
import { MSG_CMSG_CLOEXEC, MSG_CTRUNC, MSG_PEEK, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM, SO_PASSCRED } from '../abi.ts';

const SOL_SOCKET = 1;
const SCM_RIGHTS = 1;
const SCM_CREDENTIALS = 2;
const IOV = D + 0x980;
const CTL = D + 0xc000;
const PIPEV = D + 0xd000;
const OPT = D + 0xd010;
const PATH = D + 0xd100;

type Cmsg = { level: number; type: number; data: Buffer; len?: number };
const ints = (...v: number[]) => {
  const b = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => b.writeInt32LE(x, i * 4));
  return b;
};
const rights = (...fds: number[]): Cmsg => ({ level: SOL_SOCKET, type: SCM_RIGHTS, data: ints(...fds) });
const creds = (pid: number, uid: number, gid: number): Cmsg => ({ level: SOL_SOCKET, type: SCM_CREDENTIALS, data: ints(pid, uid, gid) });

function cmsgBuf(list: Cmsg[]): Buffer {
  const parts = list.map((c) => {
    const len = c.len ?? 16 + c.data.length;
    const b = Buffer.alloc(Math.max(16 + ((c.data.length + 7) & ~7), 16));
    b.writeBigUInt64LE(BigInt(len), 0);
    b.writeInt32LE(c.level, 8);
    b.writeInt32LE(c.type, 12);
    c.data.copy(b, 16);
    return b;
  });
  return Buffer.concat(parts);
}

function setMsg(f: NetFixture, buf: number, n: number, control: number, controllen: number): void {
  const iov = Buffer.alloc(16);
  iov.writeBigUInt64LE(BigInt(buf), 0);
  iov.writeBigUInt64LE(BigInt(n), 8);
  f.mem.write(IOV, iov);
  const m = Buffer.alloc(56);
  m.writeBigUInt64LE(BigInt(IOV), 16);
  m.writeBigUInt64LE(1n, 24);
  m.writeBigUInt64LE(BigInt(control), 32);
  m.writeBigUInt64LE(BigInt(controllen), 40);
  m.writeInt32LE(-1, 48);
  f.mem.write(MSG, m);
}

/** sendmsg of `data` with the control messages (controllen: the buffer's length unless given). */
function sendmsg(f: NetFixture, fd: number, data: string, list: Cmsg[], controllen?: number, flags = 0): number {
  f.mem.write(SBUF, Buffer.from(data, 'latin1'));
  const ctl = cmsgBuf(list);
  f.mem.write(CTL, ctl);
  setMsg(f, SBUF, data.length, list.length || controllen ? CTL : 0, controllen ?? ctl.length);
  return f.c('sendmsg', fd, MSG, flags);
}

interface Got {
  ret: number;
  data: string;
  flags: number;
  controllen: number;
  /** The control messages as written: [len, level, type, ints...]. */
  cmsgs: number[][];
}

/** recvmsg of up to n bytes with a control buffer of `room` bytes (0: msg_control NULL). */
function recvmsg(f: NetFixture, fd: number, n: number, room: number, flags = 0): Got {
  f.mem.write(CTL, new Uint8Array(256).fill(0xee));
  setMsg(f, RBUF, n, room ? CTL : 0, room);
  const ret = f.c('recvmsg', fd, MSG, flags);
  const controllen = Number(Buffer.from(f.mem.read(MSG + 40, 8)).readBigUInt64LE(0));
  const b = Buffer.from(f.mem.read(CTL, 256));
  const cmsgs: number[][] = [];
  for (let off = 0; off + 16 <= controllen; ) {
    const len = Number(b.readBigUInt64LE(off));
    const vals = [];
    for (let p = off + 16; p + 4 <= off + len; p += 4) vals.push(b.readInt32LE(p));
    cmsgs.push([len, b.readInt32LE(off + 8), b.readInt32LE(off + 12), ...vals]);
    off += (len + 7) & ~7;
  }
  return { ret, data: ret > 0 ? Buffer.from(f.mem.read(RBUF, ret)).toString('latin1') : '', flags: f.i32(MSG + 48), controllen, cmsgs };
}

function pipe(f: NetFixture): [number, number] {
  expect(f.c('pipe2', PIPEV, 0)).toBe(0);
  return [f.i32(PIPEV), f.i32(PIPEV + 4)];
}

function setPasscred(f: NetFixture, fd: number, on = 1): void {
  f.mem.st32(OPT, on);
  expect(f.c('setsockopt', fd, SOL_SOCKET, SO_PASSCRED, OPT, 4)).toBe(0);
}

describe('SCM_RIGHTS', () => {
  it('passes a pipe’s read end: the receiver gets the lowest free fd, reading the same pipe', () => {
    const f = netFixture();
    const [a, b] = f.pair(SOCK_STREAM); // 3, 4
    const [r, w] = pipe(f); // 5, 6
    expect(sendmsg(f, a, 'x', [rights(r)])).toBe(1);
    expect(f.c('close', r)).toBe(0); // the description lives on in flight
    const g = recvmsg(f, b, 10, 64);
    expect(g).toMatchObject({ ret: 1, data: 'x', flags: 0, controllen: 24 });
    expect(g.cmsgs).toEqual([[20, SOL_SOCKET, SCM_RIGHTS, 5]]);
    f.mem.write(SBUF, Buffer.from('pipe!'));
    expect(f.c('write', w, SBUF, 5)).toBe(5);
    expect(f.recv(5, 10)).toBe(-E.ENOTSOCK);
    expect(f.c('read', 5, RBUF, 10)).toBe(5);
    expect(f.c('fcntl', 5, 1 /* F_GETFD */)).toBe(0);
  });

  it('shares the open file description: offset and status flags', () => {
    const f = netFixture();
    const [a, b] = f.pair(SOCK_DGRAM);
    f.mem.write(PATH, Buffer.from('/tmp/scm-file\0'));
    const fd = f.c('openat', -100, PATH, 0o102 /* O_RDWR|O_CREAT */, 0o644);
    expect(fd).toBe(5);
    f.mem.write(SBUF, Buffer.from('0123456789'));
    expect(f.c('write', fd, SBUF, 10)).toBe(10);
    expect(f.c('lseek', fd, 2, 0)).toBe(2);
    expect(sendmsg(f, a, '', [rights(fd, fd)])).toBe(0); // a datagram of 0 bytes still carries them
    const g = recvmsg(f, b, 10, 64, MSG_CMSG_CLOEXEC);
    expect(g).toMatchObject({ ret: 0, flags: MSG_CMSG_CLOEXEC, controllen: 24 });
    expect(g.cmsgs).toEqual([[24, SOL_SOCKET, SCM_RIGHTS, 6, 7]]);
    expect(f.c('fcntl', 6, 1)).toBe(1); // FD_CLOEXEC
    expect(f.c('read', 6, RBUF, 3)).toBe(3);
    expect(f.c('lseek', fd, 0, 1 /* SEEK_CUR */)).toBe(5);
    expect(f.c('fcntl', 7, 4 /* F_SETFL */, 0o2000 /* O_APPEND */)).toBe(0);
    expect(f.c('fcntl', fd, 3) & 0o2000).toBe(0o2000);
  });

  it('MSG_CTRUNC: fds that do not fit are closed, not installed; no buffer at all drops them all', () => {
    const f = netFixture();
    const [a, b] = f.pair(SOCK_SEQPACKET);
    const [r, w] = pipe(f); // 5, 6
    expect(sendmsg(f, a, 'abc', [rights(w, w, w)])).toBe(3);
    expect(f.c('close', w)).toBe(0);
    // Room for one int: CMSG_LEN(4) = 20; msg_controllen comes back min(CMSG_SPACE(4), 20).
    const g = recvmsg(f, b, 10, 20);
    expect(g).toMatchObject({ ret: 3, data: 'abc', flags: MSG_CTRUNC, controllen: 20 });
    expect(g.cmsgs).toEqual([[20, SOL_SOCKET, SCM_RIGHTS, 6]]);
    expect(f.c('fcntl', 7, 1)).toBe(-E.EBADF);
    expect(f.c('close', 6)).toBe(0); // the last write end
    expect(f.c('read', r, RBUF, 10)).toBe(0); // end of file: the others were put
    // A header alone has no room for fds (scm_max_fds 0): MSG_CTRUNC, controllen 0.
    expect(sendmsg(f, a, 'd', [rights(r)])).toBe(1);
    expect(recvmsg(f, b, 10, 16)).toMatchObject({ ret: 1, flags: MSG_CTRUNC, controllen: 0, cmsgs: [] });
    expect(sendmsg(f, a, 'e', [rights(r)])).toBe(1);
    expect(recvmsg(f, b, 10, 0)).toMatchObject({ ret: 1, flags: MSG_CTRUNC, controllen: 0 });
    expect(sendmsg(f, a, 'f', [rights(r)])).toBe(1);
    expect(f.recv(b, 10)).toBe('f');
    expect(f.c('fcntl', 6, 1)).toBe(-E.EBADF);
  });

  it('a stream read stops after the message carrying fds; the bytes before it come along', () => {
    const f = netFixture();
    const [a, b] = f.pair(SOCK_STREAM);
    expect(f.send(a, 'ab')).toBe(2);
    expect(sendmsg(f, a, 'cd', [rights(a)])).toBe(2); // a socket over itself
    expect(f.send(a, 'ef')).toBe(2);
    const g = recvmsg(f, b, 100, 64);
    expect(g).toMatchObject({ ret: 4, data: 'abcd', controllen: 24 });
    expect(g.cmsgs).toEqual([[20, SOL_SOCKET, SCM_RIGHTS, 5]]);
    expect(recvmsg(f, b, 100, 64)).toMatchObject({ ret: 2, data: 'ef', controllen: 0, cmsgs: [] });
    // A partial read of the fd message takes its fds with the first byte.
    expect(sendmsg(f, a, 'ghij', [rights(a)])).toBe(4);
    expect(recvmsg(f, b, 2, 64)).toMatchObject({ ret: 2, data: 'gh', cmsgs: [[20, SOL_SOCKET, SCM_RIGHTS, 6]] });
    expect(recvmsg(f, b, 10, 64)).toMatchObject({ ret: 2, data: 'ij', cmsgs: [] });
    // The passed socket is the same one.
    expect(f.send(6, 'z')).toBe(1);
    expect(f.recv(b, 10)).toBe('z');
  });

  it('MSG_PEEK clones the fds; the real read gets them again', () => {
    const f = netFixture();
    const [a, b] = f.pair(SOCK_DGRAM);
    expect(sendmsg(f, a, 'p', [rights(a)])).toBe(1);
    expect(recvmsg(f, b, 10, 64, MSG_PEEK).cmsgs).toEqual([[20, SOL_SOCKET, SCM_RIGHTS, 5]]);
    expect(recvmsg(f, b, 10, 64).cmsgs).toEqual([[20, SOL_SOCKET, SCM_RIGHTS, 6]]);
  });

  it('errors: a bad fd EBADF, bad lengths and unknown SOL_SOCKET types EINVAL, more than 253 EINVAL; other levels are skipped', () => {
    const f = netFixture();
    const [a, b] = f.pair(SOCK_DGRAM);
    expect(sendmsg(f, a, 'x', [rights(a, 99)])).toBe(-E.EBADF);
    expect(sendmsg(f, a, 'x', [rights(-1)])).toBe(-E.EBADF);
    expect(sendmsg(f, a, 'x', [{ ...rights(a), len: 15 }])).toBe(-E.EINVAL);
    expect(sendmsg(f, a, 'x', [{ ...rights(a), len: 200 }])).toBe(-E.EINVAL);
    expect(sendmsg(f, a, 'x', [{ level: SOL_SOCKET, type: 99, data: ints(0) }])).toBe(-E.EINVAL);
    expect(sendmsg(f, a, 'x', [rights(...Array(254).fill(a))])).toBe(-E.EINVAL);
    expect(sendmsg(f, a, 'x', [rights(...Array(200).fill(a)), rights(...Array(54).fill(a))])).toBe(-E.EINVAL);
    expect(sendmsg(f, a, 'x', [rights(...Array(253).fill(a))])).toBe(1);
    expect(recvmsg(f, b, 10, 0).flags).toBe(MSG_CTRUNC);
    // A control buffer shorter than a header is not parsed at all; SOL_IP (0) is skipped.
    expect(sendmsg(f, a, 'y', [], 8)).toBe(1);
    expect(sendmsg(f, a, 'z', [{ level: 0, type: 1, data: ints(99) }])).toBe(1);
    // A trailing partial header is ignored; cmsg_len 16 passes nothing.
    expect(sendmsg(f, a, 'w', [{ ...rights(), len: 16 }], 16 + 15)).toBe(1);
    expect(recvmsg(f, b, 10, 64)).toMatchObject({ data: 'y', flags: 0, controllen: 0 });
    // The control buffer past optmem_max: ENOBUFS; unreadable: EFAULT.
    setMsg(f, SBUF, 1, CTL, 20480);
    expect(f.c('sendmsg', a, MSG, 0)).toBe(-E.ENOBUFS);
    setMsg(f, SBUF, 1, 0x10, 32);
    expect(f.c('sendmsg', a, MSG, 0)).toBe(-E.EFAULT);
  });
});

describe('SCM_CREDENTIALS', () => {
  it('SO_PASSCRED on the receiver: the sender’s tgid and ids, or none for what was queued before', () => {
    const f = netFixture();
    const [a, b] = f.pair(SOCK_STREAM);
    expect(f.send(a, 'old')).toBe(3); // nobody asked: no credentials attached
    setPasscred(f, b);
    expect(f.send(a, 'new')).toBe(3);
    // Never glue messages from different writers: the read stops at the credentials change.
    const g = recvmsg(f, b, 100, 64);
    expect(g).toMatchObject({ ret: 3, data: 'old', flags: 0, controllen: 32 });
    expect(g.cmsgs).toEqual([[28, SOL_SOCKET, SCM_CREDENTIALS, 0, 65534, 65534]]);
    expect(recvmsg(f, b, 100, 64).cmsgs).toEqual([[28, SOL_SOCKET, SCM_CREDENTIALS, 1000, 0, 0]]);
    // Too small a buffer: cut to the room, MSG_CTRUNC.
    expect(f.send(a, 'c')).toBe(1);
    expect(recvmsg(f, b, 100, 20)).toMatchObject({ ret: 1, flags: MSG_CTRUNC, controllen: 20, cmsgs: [[20, SOL_SOCKET, SCM_CREDENTIALS, 1000]] });
    expect(f.send(a, 'd')).toBe(1);
    expect(recvmsg(f, b, 100, 0)).toMatchObject({ ret: 1, flags: MSG_CTRUNC, controllen: 0 });
    // End of file under SO_PASSCRED: the zeroed cookie.
    expect(f.c('shutdown', a, 1)).toBe(0);
    expect(recvmsg(f, b, 100, 64)).toMatchObject({ ret: 0, cmsgs: [[28, SOL_SOCKET, SCM_CREDENTIALS, 0, 0, 0]] });
  });

  it('explicit credentials: checked, carried, shown with SO_PASSCRED; SCM_RIGHTS after SCM_CREDENTIALS', () => {
    const f = netFixture();
    const [a, b] = f.pair(SOCK_DGRAM);
    setPasscred(f, b);
    expect(sendmsg(f, a, 'x', [creds(1000, 5, 6), rights(a)])).toBe(1); // root: CAP_SETUID, CAP_SETGID
    const g = recvmsg(f, b, 10, 64);
    expect(g).toMatchObject({ ret: 1, flags: 0, controllen: 56 });
    expect(g.cmsgs).toEqual([[28, SOL_SOCKET, SCM_CREDENTIALS, 1000, 5, 6], [20, SOL_SOCKET, SCM_RIGHTS, 5]]);
    expect(sendmsg(f, a, 'x', [creds(1000, -1, 0)])).toBe(-E.EINVAL);
    expect(sendmsg(f, a, 'x', [{ ...creds(1000, 0, 0), len: 32, data: ints(1000, 0, 0, 0) }])).toBe(-E.EINVAL);
    expect(sendmsg(f, a, 'x', [creds(4242, 0, 0)])).toBe(-E.ESRCH);
    // Without capabilities (setresuid away from 0 drops them): only our own pid and ids.
    expect(f.c('setresuid', 7, 7, 7)).toBe(0);
    expect(sendmsg(f, a, 'x', [creds(1000, 0, 0)])).toBe(-E.EPERM);
    expect(sendmsg(f, a, 'x', [creds(999, 7, 0)])).toBe(-E.EPERM);
    expect(sendmsg(f, a, 'x', [creds(1000, 7, 0)])).toBe(1);
    expect(recvmsg(f, b, 10, 64).cmsgs).toEqual([[28, SOL_SOCKET, SCM_CREDENTIALS, 1000, 7, 0]]);
    // Implicit credentials are the real ids.
    expect(f.send(a, 'y')).toBe(1);
    expect(recvmsg(f, b, 10, 64).cmsgs).toEqual([[28, SOL_SOCKET, SCM_CREDENTIALS, 1000, 7, 0]]);
  });
});
