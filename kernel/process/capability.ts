// capget(2) / capset(2), as Linux 6.1 kernel/capability.c + security/commoncap.c
// cap_capset. Header { u32 version; int pid }; versions 1 (one 32-bit set) and 2/3 (two);
// another version is EINVAL after the kernel's preferred version (3) is written back into
// the header (capget with a NULL data pointer and an unknown version: 0, a version probe).
// pid 0 or the caller's own; capset may not raise the permitted set, put effective outside
// permitted, or inheritable outside permitted (without CAP_SETPCAP) or the bounding set.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { CAP, CAP_FULL_SET } from './credentials.ts';
import { CAP_DATA } from '../abi-structs.ts';
import { _LINUX_CAPABILITY_VERSION_1 as VERSION_1, _LINUX_CAPABILITY_VERSION_2 as VERSION_2, _LINUX_CAPABILITY_VERSION_3 as VERSION_3 } from '../abi.ts';

/** cap_validate_magic(): the number of 32-bit words, or -errno. */
function words(k: SyscallContext, header: number): number {
  const version = k.mem.readU32(header);
  if (version === VERSION_1) return 1;
  if (version === VERSION_2 || version === VERSION_3) return 2;
  k.mem.write(header, new Uint8Array(new Uint32Array([VERSION_3]).buffer));
  return -E.EINVAL;
}

const isSelf = (k: SyscallContext, pid: number) => pid === 0 || pid === k.state.pid || pid === k.state.thread.tid;
const word = (set: bigint, i: number) => Number((set >> BigInt(32 * i)) & 0xffffffffn);

// Both take (cap_user_header_t header, cap_user_data_t dataptr): user pointers.
export function capget(k: SyscallContext): number {
  const header = k.addr(0);
  const data = k.addr(1);
  const n = words(k, header);
  // kernel/capability.c SYSCALL_DEFINE2(capget): `if ((dataptr == NULL) || (ret != 0)) return
  // ((dataptr == NULL) && (ret == -EINVAL)) ? 0 : ret;` where ret is cap_validate_magic()'s 0 or
  // -errno (a NULL data pointer is how a caller asks the preferred version: 0, or EINVAL-then-0).
  if (n < 0) return !data && n === -E.EINVAL ? 0 : n;
  if (!data) return 0;
  const pid = k.mem.ld32(header + 4);
  if (pid < 0) return -E.EINVAL;
  if (!isSelf(k, pid)) return k.state.thread.find(pid) ? 0 : -E.ESRCH;
  const c = k.state.proc.creds;
  const out = new Uint32Array(3 * n);
  for (let i = 0; i < n; i++) out.set([word(c.effective, i), word(c.permitted, i), word(c.inheritable, i)], 3 * i);
  k.mem.write(data, new Uint8Array(out.buffer));
  return 0;
}

export function capset(k: SyscallContext): number {
  const header = k.addr(0);
  const n = words(k, header);
  if (n < 0) return n;
  const pid = k.mem.ld32(header + 4);
  if (!isSelf(k, pid)) return -E.EPERM;
  const v = k.mem.read(k.addr(1), n * CAP_DATA.SIZE);
  const dv = new DataView(v.buffer);
  let [effective, permitted, inheritable] = [0n, 0n, 0n];
  for (let i = 0; i < n; i++) {
    const shift = BigInt(32 * i);
    effective |= BigInt(dv.getUint32(CAP_DATA.SIZE * i + CAP_DATA.effective, true)) << shift;
    permitted |= BigInt(dv.getUint32(CAP_DATA.SIZE * i + CAP_DATA.permitted, true)) << shift;
    inheritable |= BigInt(dv.getUint32(CAP_DATA.SIZE * i + CAP_DATA.inheritable, true)) << shift;
  }
  [effective, permitted, inheritable] = [effective & CAP_FULL_SET, permitted & CAP_FULL_SET, inheritable & CAP_FULL_SET];
  const c = k.state.proc.creds;
  const subset = (a: bigint, b: bigint) => (a & ~b) === 0n;
  if (!c.capable(CAP.SETPCAP) && !subset(inheritable, c.inheritable | c.permitted)) return -E.EPERM;
  if (!subset(inheritable, c.inheritable | c.bounding)) return -E.EPERM;
  if (!subset(permitted, c.permitted)) return -E.EPERM;
  if (!subset(effective, permitted)) return -E.EPERM;
  c.effective = effective;
  c.permitted = permitted;
  c.inheritable = inheritable;
  c.ambient &= permitted & inheritable;
  return 0;
}
