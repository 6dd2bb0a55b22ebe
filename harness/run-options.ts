// Option values of `zerosys run` checked before the guest starts: each bad one is a
// RunOptionError, which the CLI prints as one `zerosys:` line and exit status 125 (README
// "Exit status": zerosys, not the guest, stopped).

import { existsSync, openSync, statSync, writeSync } from 'node:fs';
import { posix, resolve as resolvePath } from 'node:path';
import type { HostMount } from '../kernel/vfs/vfs-state.ts';

export class RunOptionError extends Error {}

const SEED = /^(?:0x[0-9a-f]+|[0-9]+)$/i;

/** --seed: an integer 0 .. 2^64-1, decimal or 0x hex (a negative seed is no seed). */
export function parseSeed(v: string): bigint {
  const n = SEED.test(v) ? BigInt(v) : -1n;
  if (n < 0n || n >= 1n << 64n) throw new RunOptionError(`--seed ${v}: expected an integer from 0 to 2^64-1`);
  return n;
}

/**
 * Guest paths that hold the kernel's own filesystems (kernel/vfs/vfs-state.ts): a host
 * directory there would hide what libc and language runtimes read — /proc/self/exe,
 * /proc/self/fd, /proc/self/maps, /dev/null, /dev/urandom, /sys/devices/system/cpu/online —
 * and none of them can hold a mount point (procfs and sysfs are read-only). `/tmp` may be
 * replaced: it is an ordinary tmpfs.
 */
const KERNEL_MOUNTS = ['/dev', '/proc', '/sys'];

/** --mount HOST[:GUEST]: an existing host directory, shown at GUEST (default its absolute path). */
export function parseMount(v: string): HostMount {
  const colon = v.indexOf(':');
  const host = resolvePath(colon < 0 ? v : v.slice(0, colon));
  const given = colon < 0 ? host : v.slice(colon + 1);
  if (!given.startsWith('/')) throw new RunOptionError(`--mount ${v}: the guest path must be absolute`);
  const guest = posix.normalize(given).replace(/(.)\/$/, '$1');
  if (guest === '/') throw new RunOptionError(`--mount ${v}: a directory at / would hide ${KERNEL_MOUNTS.join(', ')} and /tmp; mount it at a path of its own`);
  const kernelFs = KERNEL_MOUNTS.find((k) => guest === k || guest.startsWith(k + '/'));
  if (kernelFs) throw new RunOptionError(`--mount ${v}: ${kernelFs} is the kernel's own filesystem (README "Files"), which a host directory cannot replace or be mounted into; mount it elsewhere`);
  if (!existsSync(host) || !statSync(host).isDirectory()) throw new RunOptionError(`--mount ${v}: ${host} is not a directory`);
  return { host, guest };
}

/** --cwd: a guest path, so absolute (whether the guest can see it is the kernel's check). */
export function checkCwd(cwd: string): string {
  if (!cwd.startsWith('/')) throw new RunOptionError(`--cwd ${cwd}: the guest working directory must be an absolute guest path`);
  return cwd;
}

/** Node's "ENOENT: no such file or directory, open '/x'" as "no such file or directory". */
function hostReason(e: unknown): string {
  const m = /^[A-Z0-9]+: ([^,]+)/.exec((e as Error).message);
  return m ? m[1] : (e as Error).message;
}

/** The --strace-file log, opened (created or truncated) before the guest starts. */
export function openStraceLog(path: string): (line: string) => void {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (e) {
    throw new RunOptionError(`--strace-file ${path}: cannot open: ${hostReason(e)}`);
  }
  return (line) => void writeSync(fd, Buffer.from(line, 'latin1'));
}
