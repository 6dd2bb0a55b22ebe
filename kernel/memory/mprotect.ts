// mprotect(2), as Linux 6.1 do_mprotect_pkey(): EINVAL for an unaligned start, unknown
// prot bits or both GROWS flags; 0 for a zero length; ENOMEM when the rounded range wraps,
// or when it is not fully mapped. Like Linux, a hole part-way through changes the mapped
// pages before it and then fails with ENOMEM. No mapping here grows, so PROT_GROWSDOWN /
// PROT_GROWSUP can only name a non-growing mapping: EINVAL, as Linux says for those.
// Under personality READ_IMPLIES_EXEC, PROT_READ adds PROT_EXEC. A private mlocked mapping
// that becomes writable is populated.

import type { Memory } from '../../emulator/memory.ts';
import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { segments } from './vm.ts';
import { PROT_EXEC, PROT_GROWSDOWN, PROT_GROWSUP, PROT_READ, PROT_SEM, PROT_WRITE, READ_IMPLIES_EXEC, pagePerms } from './mman.ts';

const U64 = 1n << 64n;

export function mprotect(k: SyscallContext): number {
  const start = k.big(0);
  const len = k.big(1);
  let prot = k.big(2);
  const grows = prot & BigInt(PROT_GROWSDOWN | PROT_GROWSUP);
  prot &= ~grows;
  if (grows === BigInt(PROT_GROWSDOWN | PROT_GROWSUP)) return -E.EINVAL;
  if (start & 0xfffn) return -E.EINVAL;
  if (len === 0n) return 0;
  const end = (start + ((len + 0xfffn) & ~0xfffn)) % U64;
  if (end <= start) return -E.ENOMEM;
  if (prot & ~BigInt(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM)) return -E.EINVAL;

  const first = firstVmaEndingAfter(k.mem, Number(start));
  if (!first) return -E.ENOMEM;
  if (grows & BigInt(PROT_GROWSDOWN)) return first.start >= Number(end) ? -E.ENOMEM : -E.EINVAL;
  if (first.start > Number(start)) return -E.ENOMEM;
  if (grows) return -E.EINVAL;
  if (prot & BigInt(PROT_READ) && k.state.proc.personality & READ_IMPLIES_EXEC) prot |= BigInt(PROT_EXEC);

  const s = Number(start);
  const e = Number(end); // inexact only above 2^53, far past any mapping
  const runEnd = Math.min(mappedRunEnd(k.mem, s), e);
  const perms = pagePerms(Number(prot));
  const before = segments(k, s, runEnd);
  // do_mprotect_pkey(): `if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS) error = -EACCES;`
  // — write access to a shared mapping of a file not opened for writing (no VM_MAYWRITE) is
  // EACCES, at that mapping: the ones before it have changed already.
  const denied = perms & PROT_WRITE ? before.find((seg) => seg.attrs.backing.kind === 'shared' && seg.attrs.backing.file && !seg.attrs.backing.file.writable) : undefined;
  if (denied) {
    if (denied.start > s) k.mem.protect(s, denied.start - s, perms);
    return -E.EACCES;
  }
  k.mem.protect(s, runEnd - s, perms);
  // mprotect_fixup(): a private mlocked mapping becoming writable gets its pages now.
  for (const seg of before) {
    if (seg.attrs.locked && seg.attrs.backing.kind !== 'shared' && !(seg.prot & PROT_WRITE) && perms & PROT_WRITE) {
      k.mem.populate(seg.start, seg.end - seg.start);
    }
  }
  return runEnd >= e ? 0 : -E.ENOMEM;
}

function firstVmaEndingAfter(mem: Memory, addr: number) {
  return mem.listVmas().find((v) => v.end > addr);
}

/** End of the run of back-to-back mappings that starts at the mapped address addr. */
function mappedRunEnd(mem: Memory, addr: number): number {
  let cur = addr;
  for (const v of mem.listVmas()) {
    if (v.end <= cur) continue;
    if (v.start > cur) break;
    cur = v.end;
  }
  return cur;
}
