// Memory syscalls with bad arguments: the errno Linux gives (qemu-riscv64 agrees on these),
// and access to unmapped memory through syscalls, which fail with EFAULT/ENOMEM instead of
// crashing the program.
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define P 4096UL

static void show(const char *what, long r) {
  if (r == -1) printf("%-44s -1 %s\n", what, strerrorname_np(errno));
  else printf("%-44s %s\n", what, r == 0 ? "0" : "ok");
}
#define T(expr) do { errno = 0; show(#expr, (long)(expr)); } while (0)
#define M(expr) do { errno = 0; void *_p = (expr); show(#expr, _p == MAP_FAILED ? -1 : 1); } while (0)

int main(void) {
  char *p = mmap(NULL, 8 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  unsigned char vec[8];

  M(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  M(mmap(NULL, P, PROT_READ, MAP_ANONYMOUS, -1, 0));
  M(mmap(NULL, P, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0));
  M(mmap(NULL, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 5));
  M(mmap((void *)0x200001, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
  M(mmap(NULL, P, PROT_READ, MAP_PRIVATE, 99, 0));
  M(mmap(NULL, P, PROT_READ, MAP_PRIVATE, -1, 0));
  M(mmap(NULL, (size_t)-1, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  M(mmap(NULL, P, PROT_READ, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0));
  M(mmap(NULL, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, P));

  T(munmap(p + 1, P));
  T(munmap(p, 0));
  T(munmap((void *)(1UL << 47), P));

  T(mprotect(p + 1, P, PROT_READ));
  T(mprotect(p, P, 0x100));
  T(mprotect((void *)0x1000, P, PROT_READ));

  T(madvise(p + 1, P, MADV_DONTNEED));
  T(madvise(p, P, MADV_NORMAL));

  T(msync(p + 1, P, MS_SYNC));
  T(msync(p, P, MS_SYNC | MS_ASYNC));
  T(msync(p, P, 8));
  T(msync((void *)0x1000, P, MS_SYNC));
  T(msync(p, P, MS_INVALIDATE));

  T(mlock((void *)0x1000, P));
  T(mlock(p, P));
  T(munlock(p, P));
  T(mlockall(0));
  T(mlockall(MCL_ONFAULT));
  T(munlockall());

  T(mincore(p + 1, P, vec));
  T(mincore((void *)0x1000, P, vec));
  T(mincore(p, P, (unsigned char *)1));

  T((long)mremap(p, P, 2 * P, 8));
  T((long)mremap(p + 1, P, 2 * P, 0));
  T((long)mremap((void *)0x1000, P, 2 * P, 0));
  T((long)mremap(p, P, 2 * P, MREMAP_FIXED));
  T((long)mremap(p, P, 2 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP));

  // Unmap part of the block, then reach into it only through syscalls.
  memset(p, 'x', 8 * P);
  T(munmap(p + 4 * P, 4 * P));
  T(write(1, p + 4 * P, 16));
  T(mincore(p + 4 * P, P, vec));
  T(msync(p + 4 * P, P, MS_SYNC));
  T(mprotect(p + 3 * P, 2 * P, PROT_READ));
  T(munmap(p + 4 * P, 4 * P));
  T(mincore(p, 4 * P, vec));
  printf("residency of the part kept: %d%d%d%d\n", vec[0], vec[1], vec[2], vec[3]);
  return 0;
}
