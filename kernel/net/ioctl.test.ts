// Socket ioctls (ioctl.ts) where qemu-riscv64 cannot be the judge: SIOCGIFCONF lists the host's
// interfaces under qemu, so the namespace's one entry (lo, 127.0.0.1) is held to Linux 6.1's
// net/core/dev_ioctl.c dev_ifconf and net/ipv4/devinet.c inet_gifconf here; the setters need
// CAP_NET_ADMIN (with it they would change lo: zerosys stops); SIOCOUTQ on an AF_UNIX socket
// with unread data (Linux counts skb truesize). Layouts are the riscv64 ABI written out (struct
// ifconf: int ifc_len, 4 bytes of padding, char *ifc_buf; struct ifreq: 16 bytes of name, then a
// 24-byte union, 40 in all), not taken from kernel/abi-structs.ts.

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { D, SBUF, netFixture, type NetFixture } from './net-test-util.ts';
import { AF_INET, AF_UNIX, SIOCGIFCONF, SIOCGIFINDEX, SIOCOUTQ, SIOCSIFMTU, SOCK_DGRAM } from '../abi.ts';
import { ZerosysStop } from '../api.ts';

const IFC = D + 0x3000;
const IFR = D + 0x3100;

function ifconf(f: NetFixture, fd: number, len: number, buf: number): [number, number] {
  f.mem.st32(IFC, len);
  f.mem.st32(IFC + 4, 0);
  f.mem.write(IFC + 8, new Uint8Array(new BigUint64Array([BigInt(buf)]).buffer));
  return [f.c('ioctl', fd, SIOCGIFCONF, IFC), f.i32(IFC)];
}

describe('SIOCGIFCONF', () => {
  it('with a NULL ifc_buf gives the length one struct ifreq per IPv4 address needs: lo\'s one (40)', () => {
    const f = netFixture();
    const s = f.c('socket', AF_INET, SOCK_DGRAM, 0);
    expect(ifconf(f, s, 0, 0)).toEqual([0, 40]);
    // On any socket (sock_ioctl answers it before the family's ioctl).
    const u = f.c('socket', AF_UNIX, SOCK_DGRAM, 0);
    expect(ifconf(f, u, 12345, 0)).toEqual([0, 40]);
  });

  it('writes a zeroed ifreq with the label, AF_INET and 127.0.0.1 when a whole one fits', () => {
    const f = netFixture();
    const s = f.c('socket', AF_INET, SOCK_DGRAM, 0);
    f.mem.write(SBUF, new Uint8Array(96).fill(0xaa));
    expect(ifconf(f, s, 96, SBUF)).toEqual([0, 40]);
    const b = Buffer.from(f.mem.read(SBUF, 96));
    const want = Buffer.alloc(40);
    want.write('lo', 0, 'latin1');
    want.writeUInt16LE(AF_INET, 16);
    want.set([127, 0, 0, 1], 20);
    expect(b.subarray(0, 40).toString('hex')).toBe(want.toString('hex'));
    expect(b.subarray(40).every((x) => x === 0xaa)).toBe(true);
  });

  it('writes nothing when less than a struct ifreq is offered (inet_gifconf: `if (len < size) break;`), or a negative length', () => {
    const f = netFixture();
    const s = f.c('socket', AF_INET, SOCK_DGRAM, 0);
    f.mem.write(SBUF, new Uint8Array(40).fill(0xaa));
    expect(ifconf(f, s, 39, SBUF)).toEqual([0, 0]);
    expect(ifconf(f, s, -1, SBUF)).toEqual([0, 0]);
    expect(f.mem.read(SBUF, 40).every((x) => x === 0xaa)).toBe(true);
  });

  it('EFAULT for an unreadable struct ifconf or an unwritable buffer', () => {
    const f = netFixture();
    const s = f.c('socket', AF_INET, SOCK_DGRAM, 0);
    expect(f.c('ioctl', s, SIOCGIFCONF, 0)).toBe(-E.EFAULT);
    expect(ifconf(f, s, 40, 0x10)[0]).toBe(-E.EFAULT);
  });
});

describe('interface setters and what stops', () => {
  it('SIOCSIFMTU: EPERM without CAP_NET_ADMIN, stops with it (it would change lo)', () => {
    const f = netFixture();
    const s = f.c('socket', AF_INET, SOCK_DGRAM, 0);
    f.mem.write(IFR, new Uint8Array(40));
    f.mem.write(IFR, Buffer.from('lo\0', 'latin1'));
    expect(() => f.c('ioctl', s, SIOCSIFMTU, IFR)).toThrow(ZerosysStop);
    expect(f.c('setresuid', 1000, 1000, 1000)).toBe(0);
    expect(f.c('ioctl', s, SIOCSIFMTU, IFR)).toBe(-E.EPERM);
    // The getters need no capability.
    expect(f.c('ioctl', s, SIOCGIFINDEX, IFR)).toBe(0);
    expect(f.i32(IFR + 16)).toBe(1);
  });

  it('SIOCOUTQ on an AF_UNIX socket: 0 with nothing unread, a stop otherwise', () => {
    const f = netFixture();
    const [a, b] = f.pair(SOCK_DGRAM);
    expect(f.c('ioctl', a, SIOCOUTQ, IFR)).toBe(0);
    expect(f.i32(IFR)).toBe(0);
    expect(f.send(a, 'abc')).toBe(3);
    expect(() => f.c('ioctl', a, SIOCOUTQ, IFR)).toThrow(ZerosysStop);
    expect(f.recv(b, 3)).toBe('abc');
    expect(f.c('ioctl', a, SIOCOUTQ, IFR)).toBe(0);
  });
});
