// mremap(2), as Linux 6.1 mm/mremap.c: checks in its order, then
//   - shrink in place (the tail is unmapped),
//   - grow in place when the range ends its mapping and the pages after it are free,
//   - otherwise, with MREMAP_MAYMOVE, move: the page frames go to the new place without
//     copying (Memory.move); MREMAP_FIXED puts them at new_addr, replacing what was there;
//     MREMAP_DONTUNMAP leaves the old range mapped but empty (private anonymous memory
//     reads as zeros again, a private file mapping shows the file, shared memory the same
//     pages) and unlocked.
// old_len 0 on shared memory maps the same pages a second time. The part a growing mapping
// gains is zero-filled (private anonymous) or the file's next bytes (private file mapping);
// growing shared memory stops the guest (Linux keeps the shmem object's size: SIGBUS past
// it, or pages of the object that are mapped elsewhere), as does a file mapping growing a
// whole page past the end of the file.
// Growth obeys RLIMIT_AS / --mem and RLIMIT_DATA (ENOMEM) and, for mlocked mappings without
// CAP_IPC_LOCK, RLIMIT_MEMLOCK (EAGAIN); mlocked growth is populated.

import { USER_TOP } from '../../emulator/memory.ts';
import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { establish, pastEof, readFileRange, writeChunks } from './establish.ts';
import { shifted, type MapAttrs } from './mm-state.ts';
import { MAP_FIXED, MREMAP_DONTUNMAP, MREMAP_FIXED, MREMAP_MAYMOVE, PROT_WRITE } from './mman.ts';
import { unmapRange } from './munmap.ts';
import { MAX_MAP_COUNT, getUnmappedArea, mapCount, mayExpand, mayLock, vmaAt } from './vm.ts';

const U64 = 1n << 64n;
type Vma = NonNullable<ReturnType<typeof vmaAt>>;

export function mremap(k: SyscallContext): number {
  const addr = k.addr(0);
  const oldArg = k.big(1);
  const newArg = k.big(2);
  const flags = k.big(3);
  let newAddr = k.addr(4);

  if (flags & ~BigInt(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP)) return -E.EINVAL;
  const fixed = (flags & BigInt(MREMAP_FIXED)) !== 0n;
  const mayMove = (flags & BigInt(MREMAP_MAYMOVE)) !== 0n;
  const dontUnmap = (flags & BigInt(MREMAP_DONTUNMAP)) !== 0n;
  if (fixed && !mayMove) return -E.EINVAL;
  if (dontUnmap && (!mayMove || oldArg !== newArg)) return -E.EINVAL;
  // Exactly: as a number, an address near 2^64 rounds to an aligned one (a failed mmap's
  // -errno used as an address must be EINVAL, not EFAULT).
  if (addr % 4096 !== 0) return -E.EINVAL;
  const oldLen = toNumber((oldArg + 0xfffn) & ~0xfffn & (U64 - 1n));
  const newLen = toNumber((newArg + 0xfffn) & ~0xfffn & (U64 - 1n));
  if (newLen === 0) return -E.EINVAL;
  if (!k.mem.findVma(addr)) return -E.EFAULT;

  if (fixed || dontUnmap) return mremapTo(k, addr, oldLen, newAddr, newLen, fixed, dontUnmap);

  if (oldLen >= newLen) {
    // Always allowed: unmap the tail (an error there only counts when the size changes).
    const r = unmapChecked(k, addr + newLen, oldLen - newLen);
    return r < 0 && oldLen !== newLen ? r : addr;
  }

  const vma = vmaToResize(k, addr, oldLen, newLen);
  if (typeof vma === 'number') return vma;

  if (oldLen === vma.end - addr && expandable(k, vma, newLen - oldLen)) {
    extend(k, addr, vma.attrs, vma.prot, k.mem.findVma(addr)!.name, vma.end, newLen - oldLen);
    return addr;
  }
  if (!mayMove) return -E.ENOMEM;
  newAddr = getUnmappedArea(k, 0, newLen, 0);
  if (newAddr < 0) return newAddr;
  return moveVma(k, vma, addr, oldLen, newLen, newAddr, false);
}

function mremapTo(k: SyscallContext, addr: number, oldLen: number, newAddr: number, newLen: number, fixed: boolean, dontUnmap: boolean): number {
  if (newAddr % 4096 !== 0) return -E.EINVAL;
  if (newLen > USER_TOP || newAddr > USER_TOP - newLen) return -E.EINVAL;
  if (addr + oldLen > newAddr && newAddr + newLen > addr) return -E.EINVAL; // overlap
  if (mapCount(k) + 2 >= MAX_MAP_COUNT - 3) return -E.ENOMEM;
  if (fixed) {
    const r = unmapChecked(k, newAddr, newLen);
    if (r < 0) return r;
  }
  if (oldLen > newLen) {
    const r = unmapChecked(k, addr + newLen, oldLen - newLen);
    if (r < 0) return r;
    oldLen = newLen;
  }
  const vma = vmaToResize(k, addr, oldLen, newLen);
  if (typeof vma === 'number') return vma;
  if (dontUnmap && !mayExpand(k, oldLen, isData(vma))) return -E.ENOMEM;
  const placed = getUnmappedArea(k, newAddr, newLen, fixed ? MAP_FIXED : 0);
  if (placed < 0) return placed;
  return moveVma(k, vma, addr, oldLen, newLen, fixed ? newAddr : placed, dontUnmap);
}

/** vma_to_resize(): the mapping at addr if [addr, addr+oldLen) may become newLen long, else -errno. */
function vmaToResize(k: SyscallContext, addr: number, oldLen: number, newLen: number): Vma | number {
  const vma = vmaAt(k, addr);
  if (!vma) return -E.EFAULT;
  if (oldLen === 0 && vma.attrs.backing.kind !== 'shared') return -E.EINVAL; // duplicating a private mapping
  // (Nothing here is VM_DONTEXPAND / VM_PFNMAP, the mappings MREMAP_DONTUNMAP refuses.)
  if (oldLen > vma.end - addr) return -E.EFAULT; // across mapping boundaries
  if (newLen === oldLen) return vma;
  if (vma.attrs.locked && !mayLock(k, newLen - oldLen)) return -E.EAGAIN;
  if (!mayExpand(k, newLen - oldLen, isData(vma))) return -E.ENOMEM;
  return vma;
}

/** vma_expandable(): nothing is mapped in the delta bytes after the mapping, and they stay in user space. */
function expandable(k: SyscallContext, vma: Vma, delta: number): boolean {
  const end = vma.end + delta;
  return end <= USER_TOP && k.mem.isFree(vma.end, end);
}

/**
 * move_vma(): the pages of [addr, addr+oldLen) move to newAddr; a longer mapping gets its
 * extension there too. Returns newAddr.
 */
function moveVma(k: SyscallContext, vma: Vma, addr: number, oldLen: number, newLen: number, newAddr: number, dontUnmap: boolean): number {
  if (mapCount(k) >= MAX_MAP_COUNT - 3) return -E.ENOMEM;
  const mm = k.state.mm;
  const attrs = vma.attrs; // of the memory starting at addr
  const name = k.mem.findVma(addr)!.name;
  if (oldLen === 0) {
    // A second view of shared memory: the new mapping starts at the same shmem offset.
    if (newLen > vma.end - addr) k.unsupported('a second view of shared memory longer than the mapping it copies');
    establish(k, newAddr, newLen, vma.prot, attrs, name);
    k.mem.share(addr, newAddr, newLen);
  } else {
    k.mem.move(addr, newAddr, oldLen);
    mm.move(addr, newAddr, oldLen);
    if (newLen > oldLen) extend(k, newAddr, attrs, vma.prot, name, newAddr + oldLen, newLen - oldLen);
    if (dontUnmap) remapEmpty(k, addr, oldLen, vma.prot, name, attrs, newAddr);
  }
  return newAddr;
}

/**
 * Map `delta` more bytes at `at`, continuing the mapping whose memory at `base` has `attrs`
 * (same protection, name, backing and lock; establish() populates it when mlocked).
 */
function extend(k: SyscallContext, base: number, attrs: MapAttrs, prot: number, name: string, at: number, delta: number): void {
  const next = shifted(attrs, at - base);
  if (next.backing.kind === 'shared') k.unsupported('growing shared memory (Linux keeps its size: SIGBUS past it, or pages mapped elsewhere)');
  const busFrom = next.backing.kind === 'file' ? pastEof(next.backing.file, next.backing.offset, delta) : undefined;
  const contents = next.backing.kind === 'file' ? readFileRange(next.backing.file, next.backing.offset, delta) : undefined;
  establish(k, at, delta, prot, next, name, { contents, busFrom });
}

/** MREMAP_DONTUNMAP: the old range stays mapped, unlocked, with nothing of its own in it. */
function remapEmpty(k: SyscallContext, addr: number, len: number, prot: number, name: string, attrs: MapAttrs, movedTo: number): void {
  const b = attrs.backing;
  establish(k, addr, len, prot, { ...attrs, locked: false, onFault: false }, name);
  if (b.kind === 'file') writeChunks(k.mem, addr, readFileRange(b.file, b.offset, len));
  if (b.kind === 'shared') k.mem.share(movedTo, addr, len);
}

/** do_munmap() with its argument checks: 0 or -errno. */
function unmapChecked(k: SyscallContext, start: number, len: number): number {
  if (start % 4096 !== 0 || start > USER_TOP || len > USER_TOP - start) return -E.EINVAL;
  if (len === 0) return -E.EINVAL;
  return unmapRange(k, start, start + len);
}

/** is_data_mapping(): private and writable (not the stack). */
function isData(vma: Vma): boolean {
  return (vma.prot & PROT_WRITE) !== 0 && vma.attrs.backing.kind !== 'shared';
}

/** A page-aligned 64-bit length as a number; anything past 2^53 is far beyond the address space anyway. */
function toNumber(v: bigint): number {
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}
