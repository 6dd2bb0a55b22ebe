// madvise(2), as Linux 6.1 mm/madvise.c: EINVAL for unknown advice, an unaligned start or a
// wrapping length; 0 for an empty range; then each mapping in the range gets the advice,
// and a hole anywhere makes the result ENOMEM (the mapped parts are still advised).
//
//   DONTNEED, DONTNEED_LOCKED  private anonymous memory reads as zeros again, a private file
//             mapping shows the file again, shared memory keeps its contents; EINVAL on
//             mlocked memory (DONTNEED_LOCKED allows it)
//   FREE      private anonymous only (else EINVAL), not on mlocked memory; the contents
//             stay — pages are only lost under memory pressure, which never comes here
//   REMOVE    punches shared writable memory to zeros; EINVAL on private anonymous or
//             mlocked memory, EACCES on private file or read-only shared mappings
//   POPULATE_READ/WRITE  creates the pages; EINVAL without read (write) permission
//   WIPEONFORK  private anonymous only (else EINVAL)
//   COLD, PAGEOUT  EINVAL on mlocked memory; nothing to reclaim otherwise
//   COLLAPSE  EINVAL unless the mapping could hold a huge page (anonymous, touched, a whole
//             aligned 2 MiB inside, THP not disabled by prctl); otherwise 0, contents kept
//   HWPOISON, SOFT_OFFLINE  EINVAL: riscv64 6.1 has no CONFIG_MEMORY_FAILURE (unknown advice)
//   the rest (NORMAL, RANDOM, SEQUENTIAL, WILLNEED, DONTFORK, DOFORK, MERGEABLE,
//   UNMERGEABLE, HUGEPAGE, NOHUGEPAGE, DONTDUMP, DODUMP, KEEPONFORK)  0: hints without an
//   observable effect in one process without fork or swap.

import { PROT_READ, PROT_WRITE } from '../../emulator/memory.ts';
import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { readFileRange, writeChunks } from './establish.ts';
import { HPAGE_PMD_SIZE, MADV } from './mman.ts';
import { segments, vmaAt, type Segment } from './vm.ts';

const U64 = 1n << 64n;
const VALID = new Set<number>(Object.values(MADV).filter((a) => a !== MADV.HWPOISON && a !== MADV.SOFT_OFFLINE));

export function madvise(k: SyscallContext): number {
  const start = k.addr(0); // exact alignment: 2^53 + 1 is EINVAL even with length 0
  const lenArg = k.big(1);
  const advice = k.i32(2);
  if (!VALID.has(advice)) return -E.EINVAL;
  if (start % 4096 !== 0) return -E.EINVAL;
  const len = (lenArg + 0xfffn) & ~0xfffn & (U64 - 1n);
  if (lenArg !== 0n && len === 0n) return -E.EINVAL;
  if (k.big(0) + len >= U64) return -E.EINVAL;
  if (len === 0n) return 0;
  const end = start + Number(len);

  let result = 0;
  let cur = start;
  for (const seg of segments(k, start, end)) {
    if (seg.start > cur) result = -E.ENOMEM;
    const r = adviseOne(k, seg, advice);
    if (r < 0) return r;
    cur = seg.end;
  }
  return cur < end ? -E.ENOMEM : result;
}

function adviseOne(k: SyscallContext, seg: Segment, advice: number): number {
  const { attrs } = seg;
  const kind = attrs.backing.kind;
  const len = seg.end - seg.start;
  switch (advice) {
    case MADV.DONTNEED:
    case MADV.DONTNEED_LOCKED:
    case MADV.FREE:
      if (attrs.locked && advice !== MADV.DONTNEED_LOCKED) return -E.EINVAL;
      if (advice === MADV.FREE) return kind === 'anon' ? 0 : -E.EINVAL;
      if (kind === 'shared') return 0;
      k.mem.discard(seg.start, len);
      if (attrs.backing.kind === 'file') writeChunks(k.mem, seg.start, readFileRange(attrs.backing.file, attrs.backing.offset, len));
      return 0;
    case MADV.REMOVE:
      if (attrs.locked) return -E.EINVAL;
      if (kind === 'anon') return -E.EINVAL;
      if (kind !== 'shared' || !(seg.prot & PROT_WRITE)) return -E.EACCES;
      k.mem.zero(seg.start, len);
      return 0;
    case MADV.POPULATE_READ:
    case MADV.POPULATE_WRITE: {
      const need = advice === MADV.POPULATE_WRITE ? PROT_WRITE : PROT_READ;
      if (!(seg.prot & need)) return -E.EINVAL;
      k.mem.populate(seg.start, len);
      return 0;
    }
    case MADV.WIPEONFORK:
      return kind === 'anon' ? 0 : -E.EINVAL;
    case MADV.COLD:
    case MADV.PAGEOUT:
      return attrs.locked ? -E.EINVAL : 0;
    case MADV.COLLAPSE:
      return canCollapse(k, seg) ? 0 : -E.EINVAL;
    default:
      return 0;
  }
}

/** hugepage_vma_check() for MADV_COLLAPSE: the mapping is big enough for an aligned huge page, and eligible. */
function canCollapse(k: SyscallContext, seg: Segment): boolean {
  if (k.state.proc.thpDisable) return false;
  const vma = vmaAt(k, seg.start)!;
  const huge = Math.floor((vma.end - HPAGE_PMD_SIZE) / HPAGE_PMD_SIZE) * HPAGE_PMD_SIZE;
  if (huge < vma.start || huge + HPAGE_PMD_SIZE > vma.end) return false;
  const kind = seg.attrs.backing.kind;
  if (kind === 'shared') return true;
  if (kind !== 'anon' || seg.name === '[stack]') return false;
  // An anonymous mapping never touched has no anon_vma yet: Linux refuses it.
  return k.mem.countResident(vma.start, vma.end - vma.start) > 0;
}
