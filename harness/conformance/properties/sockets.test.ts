// The sockets property family's generator keeps its promises on any sequence: nothing that
// could wait forever (every receive, send and accept on a socket that may block carries
// MSG_DONTWAIT or is left out; connect only on datagram sockets), fixed ports below the
// ephemeral range (net/ipv4/af_inet.c inet_init_net(): 32768-60999) and no address off the
// loopback (under qemu-riscv64 the host would route it).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONSTANTS as K } from '../specs/constants.ts';
import type { ArgSpec } from '../specs/model.ts';
import type { RawStep } from './families.ts';
import { SOCKETS_FAMILY, sockaddrIn } from './sockets.ts';

const value = (a: ArgSpec | { kind: 'pick' }) => (a.kind === 'int' ? a.value : undefined);
const bytes = (a: ArgSpec | { kind: 'pick' }) => (a.kind === 'hex' ? Buffer.from(a.bytes, 'hex') : undefined);

/** The fds each sequence's prefix leaves non-blocking for sure, replayed from its steps. */
function check(steps: RawStep[]): string[] {
  const problems: string[] = [];
  const nonblock = new Set<number>();
  const closed = new Set<number>();
  let next = 3;
  const fdAfterSocket = () => next++;
  for (const s of steps) {
    const a = s.args;
    const fd = Number(value(a[0]) ?? -1);
    // A closed fd answers EBADF at once (the prefix's close of m.bin's first fd does not count).
    if (closed.has(fd)) continue;
    switch (s.name) {
      case 'close':
        if (s !== steps[2]) closed.add(fd);
        break;
      case 'socket': {
        const made = fdAfterSocket();
        if (Number(value(a[1])) & K.SOCK_NONBLOCK) nonblock.add(made);
        break;
      }
      case 'socketpair': {
        const [x, y] = [fdAfterSocket(), fdAfterSocket()];
        if (Number(value(a[1])) & K.SOCK_NONBLOCK) [x, y].forEach((f) => nonblock.add(f));
        break;
      }
      case 'openat':
        next = 3; // m.bin takes fd 3, dup3'd to 50 and closed again
        break;
      case 'accept4': {
        const made = fdAfterSocket();
        if (Number(value(a[3])) & K.SOCK_NONBLOCK) nonblock.add(made);
        if (steps.indexOf(s) > 25 && !nonblock.has(fd)) problems.push(`accept4 on ${fd}, which may block`);
        break;
      }
      case 'fcntl':
        if (value(a[1]) === BigInt(K.F_SETFL)) {
          if (Number(value(a[2])) & K.O_NONBLOCK) nonblock.add(fd);
          else nonblock.delete(fd);
        }
        break;
      case 'recvfrom':
      case 'sendto':
        if (fd >= 3 && fd < 50 && !nonblock.has(fd) && !(Number(value(a[3])) & K.MSG_DONTWAIT)) problems.push(`${s.name} on ${fd} without MSG_DONTWAIT`);
        break;
      case 'recvmsg':
      case 'sendmsg':
        if (fd >= 3 && fd < 50 && !nonblock.has(fd) && !(Number(value(a[2])) & K.MSG_DONTWAIT)) problems.push(`${s.name} on ${fd} without MSG_DONTWAIT`);
        break;
      case 'read':
      case 'write':
        if (fd >= 3 && fd < 50 && !nonblock.has(fd)) problems.push(`${s.name} on ${fd}, which may block`);
        break;
      default:
    }
    for (const arg of a) {
      const b = bytes(arg);
      if (!b || b.length !== 16 || b.readUInt16LE(0) !== K.AF_INET) continue;
      const port = b.readUInt16BE(2);
      const addr = b.readUInt32BE(4);
      if (port >= 32768 && port <= 60999) problems.push(`${s.name}: port ${port} in the ephemeral range`);
      if (addr !== 0 && addr >>> 24 !== 127) problems.push(`${s.name}: address ${addr.toString(16)} off the loopback`);
    }
  }
  return problems;
}

describe('the sockets property family', () => {
  it('never waits forever, uses fixed ports below the ephemeral range and loopback addresses only', () => {
    const samples = fc.sample(SOCKETS_FAMILY.steps, { seed: 42, numRuns: 400 });
    const problems = samples.flatMap(check);
    expect(problems).toEqual([]);
    // The checks see what they look for: a sample has sends, receives and inet addresses.
    const names = new Set(samples.flat().map((s) => s.name));
    for (const n of ['sendto', 'recvfrom', 'sendmsg', 'recvmsg', 'ppoll', 'shutdown', 'setsockopt', 'getsockopt', 'fcntl', 'connect']) expect(names).toContain(n);
  });

  it('builds sockaddr_in in network byte order', () => {
    expect(Buffer.from(sockaddrIn(0x7f000001, 24600)).toString('hex')).toBe('020060187f0000010000000000000000');
  });
});
