// mmap(2), following the checks of Linux 6.1 in their order:
// riscv_sys_mmap → ksys_mmap_pgoff → do_mmap (→ get_unmapped_area) → mmap_region.
//
// Placement: MAP_FIXED replaces whatever is there; MAP_FIXED_NOREPLACE fails with EEXIST
// instead; a free hint (rounded down to a page, raised to mmap_min_addr) is honoured;
// otherwise the highest free gap below mmap_base, 128 MiB under the stack top (top-down,
// like Linux's default layout; see vm.ts).
//
// Backing: private anonymous; shared anonymous (one shmem object per call); a private file
// mapping (a copy of the file's bytes, see establish.ts); a shared mapping of a regular file
// of a tmpfs (/dev/shm, /tmp, memfd) or a host mount (its pages, kept coherent with
// read/write and other processes by shared.ts); /dev/zero becomes anonymous memory as on
// Linux. MAP_SHARED mappings of other files, MAP_GROWSDOWN and MAP_HUGETLB stop the guest.
// Limits: RLIMIT_AS and --mem (ENOMEM), RLIMIT_DATA for private writable mappings,
// RLIMIT_MEMLOCK for MAP_LOCKED without CAP_IPC_LOCK (EAGAIN), vm.max_map_count (ENOMEM).

import { PAGE_SIZE } from '../../emulator/memory.ts';
import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import type { OpenFile } from '../vfs/fd-table.ts';
import { SHARED_ANON_NAME, establish, pastEof, readFileRange } from './establish.ts';
import { shareWithExisting, sharedObjectOf, syncIn, syncOut } from './shared.ts';
import { mmapKind } from './mappable.ts';
import { ANON, type Backing } from './mm-state.ts';
import {
  LEGACY_MAP_MASK,
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_FIXED_NOREPLACE,
  MAP_GROWSDOWN,
  MAP_HUGETLB,
  MAP_LOCKED,
  MAP_NONBLOCK,
  MAP_NORESERVE,
  MAP_POPULATE,
  MAP_PRIVATE,
  MAP_SHARED,
  MAP_SHARED_VALIDATE,
  MAP_TYPE,
  MMAP_MIN_ADDR,
  PROT_EXEC,
  PROT_READ,
  PROT_WRITE,
  READ_IMPLIES_EXEC,
  pagePerms,
} from './mman.ts';
import { MAX_MAP_COUNT, canDoMlock, getUnmappedArea, mapCount, mayExpand, mayLock } from './vm.ts';

const U64 = 1n << 64n;

export function mmap(k: SyscallContext): number {
  let addr = k.addr(0);
  const lenArg = k.big(1);
  let prot = k.u32(2);
  let flags = k.u32(3);
  const flagsHigh = k.big(3) >> 32n;
  const fd = k.u32(4);
  const offset = k.big(5);

  // riscv_sys_mmap: page-aligned offset; Linux 6.0-6.5 reject write-without-read because
  // the page tables cannot express it (commit 2139619bcad7; qemu-user on x86 accepts it:
  // qemu deviation mmap-write-only-prot-accepted).
  if (offset & 0xfffn) return -E.EINVAL;
  if (prot & PROT_WRITE && !(prot & PROT_READ)) return -E.EINVAL;
  const pgoff = offset >> 12n;

  // ksys_mmap_pgoff
  let file: OpenFile | undefined;
  if (!(flags & MAP_ANONYMOUS)) {
    file = k.state.fds.get(fd);
    if (!file) return -E.EBADF;
    if (flags & MAP_HUGETLB) return -E.EINVAL; // not a hugetlbfs file
  } else if (flags & MAP_HUGETLB) k.unsupported('flag MAP_HUGETLB');

  // do_mmap
  if (lenArg === 0n) return -E.EINVAL;
  if (prot & PROT_READ && k.state.proc.personality & READ_IMPLIES_EXEC) prot |= PROT_EXEC;
  if (flags & MAP_FIXED_NOREPLACE) flags |= MAP_FIXED;
  if (!(flags & MAP_FIXED)) addr = roundHintToMin(addr);
  const alignedLen = (lenArg + 0xfffn) & ~0xfffn & (U64 - 1n);
  if (alignedLen === 0n) return -E.ENOMEM;
  if (pgoff + (alignedLen >> 12n) >= U64) return -E.EOVERFLOW;
  if (mapCount(k) > MAX_MAP_COUNT) return -E.ENOMEM;
  const size = alignedLen > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(alignedLen);

  // get_unmapped_area() (mm/mmap.c): the MAP_FIXED address comes back from
  // arch_get_unmapped_area_topdown() as it is, and one that IS_ERR_VALUE is returned as the
  // result (mmap(-22, ..., MAP_FIXED) is EINVAL, mmap(-1, ...) EPERM).
  const fixedErr = flags & MAP_FIXED && k.isErrValue(0) ? Number(BigInt.asIntN(64, k.big(0))) : undefined;
  const start = getUnmappedArea(k, addr, size, flags, fixedErr);
  if (start < 0) return start;
  if (flags & MAP_FIXED_NOREPLACE && !k.mem.isFree(start, start + size)) return -E.EEXIST;

  const mm = k.state.mm;
  const locked = (flags & MAP_LOCKED) !== 0 || mm.lockFuture;
  if (flags & MAP_LOCKED && !canDoMlock(k)) return -E.EPERM;
  if (locked && !mayLock(k, size)) return -E.EAGAIN;

  let backing: Backing;
  let name = '';
  const type = flags & MAP_TYPE;
  if (file) {
    if (type === MAP_SHARED || type === MAP_SHARED_VALIDATE) {
      if (type === MAP_SHARED_VALIDATE && (flags & ~LEGACY_MAP_MASK || flagsHigh)) return -E.EOPNOTSUPP;
      if (prot & PROT_WRITE && !file.writable) return -E.EACCES;
    } else if (type !== MAP_PRIVATE) return -E.EINVAL;
    if (!file.readable) return -E.EACCES;
    const kind = mmapKind(file);
    if (kind === 'none') return -E.ENODEV;
    if (flags & MAP_GROWSDOWN) return -E.EINVAL;
    const shared = type !== MAP_PRIVATE;
    if (kind === 'zero') {
      // mmap_zero(): private → anonymous memory, shared → a shmem object.
      backing = shared ? { kind: 'shared', obj: mm.newShm(), offset: 0 } : ANON;
      if (shared) name = SHARED_ANON_NAME;
    } else {
      const obj = shared ? sharedObjectOf(k, file) : undefined;
      if (shared && !obj) k.unsupported(`MAP_SHARED mapping of ${file.label} (only regular files of a tmpfs or a host mount)`);
      backing = obj ? { kind: 'shared', obj, offset: Number(offset), file } : { kind: 'file', file, offset: Number(offset) };
      name = file.procLink;
    }
  } else {
    if (type === MAP_SHARED) {
      if (flags & MAP_GROWSDOWN) return -E.EINVAL;
      backing = { kind: 'shared', obj: mm.newShm(), offset: 0 };
      name = SHARED_ANON_NAME;
    } else if (type === MAP_PRIVATE) backing = ANON;
    else return -E.EINVAL;
  }
  if (flags & MAP_GROWSDOWN) k.unsupported('flag MAP_GROWSDOWN');

  // mmap_region: MAP_FIXED may replace mappings, which then do not count as growth.
  const data = (prot & PROT_WRITE) !== 0 && backing.kind !== 'shared';
  if (!mayExpand(k, size, data) && !mayExpand(k, size - mappedBytesIn(k, start, start + size), data)) return -E.ENOMEM;
  // accountable_mapping() + __vm_enough_memory() in the default heuristic overcommit mode: one
  // private writable mapping without MAP_NORESERVE larger than the machine's memory (no swap)
  // is refused. Without --mem nothing else caps mappings, so this is what keeps MAP_POPULATE
  // or mlock of an absurd size from reaching the host.
  if (data && !(flags & MAP_NORESERVE) && size > mm.ramBytes) return -E.ENOMEM;

  const mappedFile = backing.kind === 'anon' ? undefined : backing.file;
  const busFrom = mappedFile && backing.kind !== 'anon' ? pastEof(mappedFile, backing.offset, size) : undefined;
  const contents = backing.kind === 'file' ? readFileRange(backing.file, backing.offset, size) : undefined;
  const attrs = { ...mm.fresh(backing), locked };
  const populate = (flags & (MAP_POPULATE | MAP_NONBLOCK)) === MAP_POPULATE;
  if (backing.kind === 'shared' && backing.file) {
    // The file's pages as they are now (this process's other mappings of it written out first),
    // then shown here: frames shared with those mappings, the rest copied in.
    const as = { mem: k.mem, mm };
    syncOut(as, { obj: backing.obj });
    establish(k, start, size, pagePerms(prot), attrs, name, { populate, busFrom });
    shareWithExisting(as, backing.obj, backing.offset, start, start + size);
    syncIn(as, { start, end: start + (busFrom ?? size) });
  } else establish(k, start, size, pagePerms(prot), attrs, name, { populate, contents, busFrom });
  return start;
}

/** round_hint_to_min(): the hint rounded down to a page; a non-zero hint below mmap_min_addr becomes mmap_min_addr. */
function roundHintToMin(hint: number): number {
  hint = Math.floor(hint / PAGE_SIZE) * PAGE_SIZE;
  return hint !== 0 && hint < MMAP_MIN_ADDR ? MMAP_MIN_ADDR : hint;
}

/** Bytes mapped inside [start, end) (count_vma_pages_range). */
export function mappedBytesIn(k: SyscallContext, start: number, end: number): number {
  let n = 0;
  for (const v of k.mem.listVmas()) {
    if (v.end <= start || v.start >= end) continue;
    n += Math.min(v.end, end) - Math.max(v.start, start);
  }
  return n;
}
