// Helpers for the net module's tests: the threads fixture (deterministic scheduler, syscalls
// made as the machine makes them) with socket calls by name, sockaddr_un built and read back
// in guest memory, and poll in one call. Layouts are the riscv64 ABI (struct sockaddr_un,
// struct msghdr, struct iovec, struct pollfd, struct ucred), written out here rather than
// taken from kernel/abi-structs.ts so a wrong generated layout would show.

import { AF_INET } from '../abi.ts';
import { LAYOUT } from '../test-support.ts';
import { GLIBC_THREAD_FLAGS, STACK_TOP, makeThreadsFixture, type ThreadsFixture } from '../sched/test-threads.ts';
import type { SyscallName } from '../syscall-numbers.ts';

export const D = LAYOUT.data;
/** int[2] of socketpair. (D+0x40 / D+0x48 are the clone tid words.) */
const VEC = D + 0x20;
/** Three sockaddr slots of 128 bytes, and their socklen_t words. */
export const SA = [D + 0x100, D + 0x180, D + 0x200];
export const SALEN = [D + 0x280, D + 0x284, D + 0x288];
const OPTVAL = D + 0x300;
const OPTLEN = D + 0x320;
const POLLFDS = D + 0x400;
const TIMESPEC = D + 0x800;
export const MSG = D + 0x900;
const IOV = D + 0x980;
export const EVENTS = D + 0xa00;
/** Bytes to send are put here; received bytes land at RBUF. */
export const SBUF = D + 0x1000;
export const RBUF = D + 0x6000;
export const BUF_MAX = 0x5000;

const CHILD_STACK = STACK_TOP - 0x100000;

export interface NetFixture extends ThreadsFixture {
  /** Syscall at the default pc; returns a0 as a number. */
  c(nr: SyscallName, ...args: (number | bigint)[]): number;
  /** Syscall with ecall at `pc` (one that may block: the thread then sleeps with pc there). */
  at(pc: number, nr: SyscallName, ...args: (number | bigint)[]): void;
  /** pthread_create's clone: the new thread's tid (it starts after the clone, a0 = 0). */
  spawn(): number;
  /** Write a sockaddr_un for a path ("\0name" for an abstract one) into slot i; returns [addr, len]. */
  sun(path: string, slot?: number): [number, number];
  /** sockaddr bytes in slot i as [family, sun_path bytes as latin1], `len` long. */
  readSun(slot: number, len: number): [number, string];
  u32(addr: number): number;
  i32(addr: number): number;
  pair(type: number): [number, number];
  send(fd: number, data: string, flags?: number): number;
  /** recvfrom into RBUF: the bytes as latin1, or the negative errno. */
  recv(fd: number, n: number, flags?: number): string | number;
  /** recvmsg with one iovec of n bytes: [result, bytes as latin1, msg_flags]. */
  recvmsg(fd: number, n: number, flags?: number): [number, string, number];
  /** getsockopt(SO_PEERCRED): [ret, pid, uid, gid, optlen]. */
  peercred(fd: number): [number, number, number, number, number];
  /** getsockname / getpeername into slot 2 (len 128 offered): [ret, len, family, path]. */
  name(which: 'getsockname' | 'getpeername', fd: number): [number, number, number, string];
  /** ppoll with a zero timeout: [ret, revents...]. */
  poll(...fds: [number, number][]): number[];
  /** Put pollfds at POLLFDS; the address (for a blocking ppoll). */
  pollfds(...fds: [number, number][]): number;
  revents(n: number): number[];
}

export function netFixture(): NetFixture {
  const f = makeThreadsFixture();
  const c = (nr: SyscallName, ...args: (number | bigint)[]) => {
    f.sys(nr, args);
    return Number(f.a0());
  };
  const at = (pc: number, nr: SyscallName, ...args: (number | bigint)[]) => f.sys(nr, args, pc);
  const spawn = () => c('clone', GLIBC_THREAD_FLAGS, CHILD_STACK, D + 0x40, 0x7777, D + 0x48);
  const u32 = (a: number) => f.mem.readU32(a) >>> 0;
  const i32 = (a: number) => f.mem.readU32(a) | 0;
  const sun = (path: string, slot = 0): [number, number] => {
    const b = Buffer.alloc(2 + path.length + (path.startsWith('\0') ? 0 : 1));
    b.writeUInt16LE(1, 0); // AF_UNIX
    b.write(path, 2, 'latin1');
    f.mem.write(SA[slot], b);
    return [SA[slot], b.length];
  };
  const readSun = (slot: number, len: number): [number, string] => {
    const b = Buffer.from(f.mem.read(SA[slot], len));
    return [b.readUInt16LE(0), b.subarray(2).toString('latin1')];
  };
  const pair = (type: number): [number, number] => {
    const r = c('socketpair', 1, type, 0, VEC);
    if (r !== 0) throw new Error(`socketpair: ${r}`);
    return [i32(VEC), i32(VEC + 4)];
  };
  const send = (fd: number, data: string, flags = 0) => {
    f.mem.write(SBUF, Buffer.from(data, 'latin1'));
    return c('sendto', fd, SBUF, data.length, flags, 0, 0);
  };
  const text = (n: number, addr = RBUF) => Buffer.from(f.mem.read(addr, n)).toString('latin1');
  const recv = (fd: number, n: number, flags = 0) => {
    const r = c('recvfrom', fd, RBUF, n, flags, 0, 0);
    return r < 0 ? r : text(r);
  };
  const recvmsg = (fd: number, n: number, flags = 0): [number, string, number] => {
    f.mem.write(RBUF, new Uint8Array(n).fill(0x2e)); // '.'
    const iov = Buffer.alloc(16);
    iov.writeBigUInt64LE(BigInt(RBUF), 0);
    iov.writeBigUInt64LE(BigInt(n), 8);
    f.mem.write(IOV, iov);
    const m = Buffer.alloc(56);
    m.writeBigUInt64LE(BigInt(IOV), 16); // msg_iov
    m.writeBigUInt64LE(1n, 24); // msg_iovlen
    m.writeInt32LE(-1, 48); // msg_flags: must be overwritten
    f.mem.write(MSG, m);
    const r = c('recvmsg', fd, MSG, flags);
    return [r, text(n), i32(MSG + 48)];
  };
  const peercred = (fd: number): [number, number, number, number, number] => {
    f.mem.write(OPTVAL, new Uint8Array(12).fill(0xee));
    f.mem.st32(OPTLEN, 12);
    const r = c('getsockopt', fd, 1 /* SOL_SOCKET */, 17 /* SO_PEERCRED */, OPTVAL, OPTLEN);
    return [r, u32(OPTVAL), u32(OPTVAL + 4), u32(OPTVAL + 8), i32(OPTLEN)];
  };
  const name = (which: 'getsockname' | 'getpeername', fd: number): [number, number, number, string] => {
    f.mem.write(SA[2], new Uint8Array(128));
    f.mem.st32(SALEN[2], 128);
    const r = c(which, fd, SA[2], SALEN[2]);
    const len = i32(SALEN[2]);
    const [family, path] = readSun(2, Math.max(2, Math.min(len, 128)));
    return [r, len, family, path];
  };
  const pollfds = (...fds: [number, number][]) => {
    const b = Buffer.alloc(fds.length * 8);
    fds.forEach(([fd, ev], i) => {
      b.writeInt32LE(fd, i * 8);
      b.writeInt16LE(ev, i * 8 + 4);
      b.writeInt16LE(0x5555, i * 8 + 6); // revents: must be overwritten
    });
    f.mem.write(POLLFDS, b);
    return POLLFDS;
  };
  const revents = (n: number) => Array.from({ length: n }, (_, i) => f.mem.readU32(POLLFDS + i * 8 + 4) >>> 16);
  const poll = (...fds: [number, number][]) => {
    pollfds(...fds);
    f.mem.write(TIMESPEC, new Uint8Array(16));
    const r = c('ppoll', POLLFDS, fds.length, TIMESPEC, 0, 8);
    return [r, ...revents(fds.length)];
  };
  return Object.assign(f, { c, at, spawn, sun, readSun, u32, i32, pair, send, recv, recvmsg, peercred, name, poll, pollfds, revents });
}

/** A sockaddr_in in SA slot `slot` (the layout written out: family LE, port and address big-endian). */
export function sin(f: NetFixture, addr: number, port: number, slot = 0): [number, number] {
  const b = Buffer.alloc(16);
  b.writeUInt16LE(AF_INET, 0);
  b.writeUInt16BE(port, 2);
  b.writeUInt32BE(addr, 4);
  f.mem.write(SA[slot], b);
  return [SA[slot], 16];
}
