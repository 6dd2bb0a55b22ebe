// prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, addr, size, name), as Linux 6.1 (kernel/sys.c
// prctl_set_vma + mm/madvise.c madvise_set_anon_name): names private anonymous memory,
// shown as "[anon:NAME]" in /proc/self/maps (the heap and stack keep their own names);
// a NULL name removes it. EINVAL for another sub-option, a name longer than 79 bytes or with
// characters outside printable ASCII or in \`$[], an unaligned address or a wrapping size;
// EBADF for file or shared memory; ENOMEM for holes (the mapped parts are still named).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { USER_TOP } from '../../emulator/memory.ts';
import { segments } from './vm.ts';

const PR_SET_VMA_ANON_NAME = 0n;
const ANON_VMA_NAME_MAX_LEN = 80;
const INVALID = new Set('\\`$[]');
const U64 = 1n << 64n;
const KEEP = new Set(['[heap]', '[stack]']);

/**
 * prctl_set_vma(opt, addr, size, arg): every argument is an unsigned long, kept exact (addr and
 * size as bigints: the alignment and wrap checks of madvise_set_anon_name() need all 64 bits).
 */
export function setVmaAnonName(k: SyscallContext, opt: bigint, addr: bigint, size: bigint, nameAddr: number): number {
  if (opt !== PR_SET_VMA_ANON_NAME) return -E.EINVAL;
  let name: string | undefined;
  if (nameAddr) {
    // strndup_user(uname, ANON_VMA_NAME_MAX_LEN): the whole string is copied first (EFAULT,
    // or EINVAL without a NUL in 80 bytes), then each character is checked (EINVAL).
    const bytes: number[] = [];
    for (let i = 0; ; i++) {
      if (i >= ANON_VMA_NAME_MAX_LEN) return -E.EINVAL;
      const b = k.mem.ld8u(nameAddr + i);
      if (b === 0) break;
      bytes.push(b);
    }
    name = String.fromCharCode(...bytes);
    for (const b of bytes) if (b <= 0x1f || b >= 0x7f || INVALID.has(String.fromCharCode(b))) return -E.EINVAL;
  }
  // madvise_set_anon_name() (mm/madvise.c): start & ~PAGE_MASK -> EINVAL; len rounded up in
  // unsigned long arithmetic, EINVAL if that wrapped to 0; EINVAL if start + len wraps.
  if (addr & 0xfffn) return -E.EINVAL;
  const len = (size + 0xfffn) & ~0xfffn & (U64 - 1n);
  if (size !== 0n && len === 0n) return -E.EINVAL;
  if (addr + len >= U64) return -E.EINVAL;
  if (len === 0n) return 0;
  // Nothing is mapped at or above USER_TOP: a range reaching past it ends in a hole (ENOMEM).
  const top = BigInt(USER_TOP);
  if (addr >= top) return -E.ENOMEM;
  const start = Number(addr);
  const beyond = addr + len > top;
  const end = beyond ? USER_TOP : Number(addr + len);

  let result = 0;
  let cur = start;
  for (const seg of segments(k, start, end)) {
    if (seg.start > cur) result = -E.ENOMEM;
    if (seg.attrs.backing.kind !== 'anon') return -E.EBADF;
    if (!KEEP.has(seg.name)) k.mem.rename(seg.start, seg.end - seg.start, name === undefined ? '' : `[anon:${name}]`);
    cur = seg.end;
  }
  return cur < end || beyond ? -E.ENOMEM : result;
}
