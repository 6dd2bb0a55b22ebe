// shmat(2), as Linux 6.1 ipc/shm.c do_shmat() with SHMLBA = PAGE_SIZE (riscv), then do_mmap()
// of the segment's shmem file MAP_SHARED (MAP_FIXED when an address is given), in this order:
//   shmid < 0                                              EINVAL
//   addr not a multiple of SHMLBA: SHM_RND rounds it down (to 0 with SHM_REMAP: EINVAL),
//     else EINVAL; addr given: MAP_FIXED; NULL with SHM_REMAP  EINVAL
//   SHM_RDONLY: PROT_READ and read access, else read+write; SHM_EXEC adds PROT_EXEC and x access
//   shm_obtain_object_check()                              EINVAL
//   ipcperms(acc_mode)                                     EACCES
//   addr given without SHM_REMAP: addr + size wraps, or any mapping in [addr, addr + size)  EINVAL
//   do_mmap(): map_count past vm.max_map_count ENOMEM; get_unmapped_area() (ENOMEM, EPERM below
//     mmap_min_addr); mlock_future_check() under mlockall(MCL_FUTURE) EAGAIN; may_expand_vm() ENOMEM
// The mapping is made as an anonymous shared mmap is (establish(), backing { kind: 'shared',
// obj, offset: 0 }), named "/SYSV%08x (deleted)" in /proc/PID/maps; recording it tells the
// segment (shm_open: shm_nattch, shm_atim, shm_lprid). Its pages are the segment's: this
// process's other mappings of it share frames with it, the rest are copied in.

import { PAGE_SIZE } from '../../emulator/memory.ts';
import { userAddr, type SyscallContext } from '../context.ts';
import { SHM_EXEC, SHM_RDONLY, SHM_REMAP, SHM_RND } from '../abi.ts';
import { E } from '../errno.ts';
import { establish } from '../memory/establish.ts';
import { mappedBytesIn } from '../memory/mmap.ts';
import { MAP_FIXED, PROT_EXEC, PROT_READ, PROT_WRITE, READ_IMPLIES_EXEC, pagePerms } from '../memory/mman.ts';
import { shareWithExisting, syncIn, syncOut } from '../memory/shared.ts';
import { MAX_MAP_COUNT, getUnmappedArea, mapCount, mayExpand, mayLock } from '../memory/vm.ts';
import { ipcperms, S_IRUGO, S_IWUGO } from './namespace.ts';
import { SHMLBA, shmStateOf } from './shm.ts';

const S_IXUGO = 0o111;
const U64 = 1n << 64n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function shmat(k: SyscallContext): number {
  const shmid = k.i32(0);
  let addr = k.big(1);
  const shmflg = k.i32(2);
  const lba = BigInt(SHMLBA);

  if (shmid < 0) return -E.EINVAL;
  let flags = 0;
  if (addr !== 0n) {
    if (addr & (lba - 1n)) {
      if (!(shmflg & SHM_RND)) return -E.EINVAL; // (no __ARCH_FORCE_SHMLBA: SHMLBA is the page)
      addr &= ~(lba - 1n);
      if (addr === 0n && shmflg & SHM_REMAP) return -E.EINVAL;
    }
    flags |= MAP_FIXED;
  } else if (shmflg & SHM_REMAP) return -E.EINVAL;

  let prot = PROT_READ;
  let accMode = S_IRUGO;
  if (!(shmflg & SHM_RDONLY)) {
    prot |= PROT_WRITE;
    accMode |= S_IWUGO;
  }
  if (shmflg & SHM_EXEC) {
    prot |= PROT_EXEC;
    accMode |= S_IXUGO;
  }

  const ss = shmStateOf(k.state);
  const shp = ss.ids.obtainCheck(shmid);
  if (typeof shp === 'number') return shp;
  if (ipcperms(k.state.proc.creds, shp.perm, accMode)) return -E.EACCES;

  const segsz = shp.segsz;
  if (addr !== 0n && !(shmflg & SHM_REMAP)) {
    if (addr + segsz >= U64) return -E.EINVAL;
    // find_vma_intersection(mm, addr, addr + size): mappings start on pages, so the segment's page-rounded span.
    const end = addr + ((segsz + BigInt(PAGE_SIZE) - 1n) & ~BigInt(PAGE_SIZE - 1));
    if (addr <= MAX_SAFE && !k.mem.isFree(Number(addr), Number(end > MAX_SAFE ? MAX_SAFE : end))) return -E.EINVAL;
  }

  // do_mmap(file, addr, size, prot, flags, 0)
  if (prot & PROT_READ && k.state.proc.personality & READ_IMPLIES_EXEC) prot |= PROT_EXEC;
  const alignedLen = (segsz + 0xfffn) & ~0xfffn & (U64 - 1n);
  if (alignedLen === 0n) return -E.ENOMEM;
  if (mapCount(k) > MAX_MAP_COUNT) return -E.ENOMEM;
  const size = alignedLen > MAX_SAFE ? Number.MAX_SAFE_INTEGER : Number(alignedLen);
  const want = userAddr(addr); // past 2^53: past user space either way
  const start = getUnmappedArea(k, want, size, flags);
  if (start < 0) return start;
  const mm = k.state.mm;
  if (mm.lockFuture && !mayLock(k, size)) return -E.EAGAIN;
  if (!mayExpand(k, size, false) && !mayExpand(k, size - mappedBytesIn(k, start, start + size), false)) return -E.ENOMEM;

  const obj = shp.obj;
  const as = { mem: k.mem, mm };
  syncOut(as, { obj }); // what this process's other attachments wrote is the segment's first
  establish(k, start, size, pagePerms(prot), mm.fresh({ kind: 'shared', obj, offset: 0 }), shp.mapName);
  shareWithExisting(as, obj, 0, start, start + size);
  syncIn(as, { start, end: start + size });
  return start;
}
