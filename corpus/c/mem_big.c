// Large mappings: 100+ MiB with mmap, mremap (grow, shrink, move), mprotect and brk,
// touching pages sparsely (every 64th page) so it stays fast; checksums of what is read back.
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MiB (1024UL * 1024UL)
#define STRIDE (64 * 4096UL)

static uint64_t fill(unsigned char *p, size_t len, unsigned seed) {
  uint64_t sum = 0;
  for (size_t off = 0; off < len; off += STRIDE) {
    p[off] = (unsigned char)(off / STRIDE * 31 + seed);
    sum += p[off];
  }
  return sum;
}

static uint64_t check(const unsigned char *p, size_t len) {
  uint64_t sum = 0;
  for (size_t off = 0; off < len; off += STRIDE) sum += p[off];
  return sum;
}

static int zeros(const unsigned char *p, size_t len) {
  for (size_t off = 0; off < len; off += STRIDE)
    if (p[off] || p[off + STRIDE - 1]) return 0;
  return 1;
}

int main(void) {
  // 1. 160 MiB anonymous, sparse writes.
  size_t len = 160 * MiB;
  unsigned char *a = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (a == MAP_FAILED) return 1;
  uint64_t s1 = fill(a, len, 1);
  printf("mmap 160MiB: page aligned=%d sum ok=%d last byte=%d\n", ((uintptr_t)a & 4095) == 0, check(a, len) == s1, a[len - 1]);

  // 2. Grow to 320 MiB (may move): old contents kept, new part zero.
  unsigned char *b = mremap(a, len, 2 * len, MREMAP_MAYMOVE);
  if (b == MAP_FAILED) return 2;
  printf("mremap grow 320MiB: sum ok=%d new part zero=%d\n", check(b, len) == s1, zeros(b + len, len));
  uint64_t s2 = fill(b + len, len, 2);

  // 3. Shrink to 100 MiB in place.
  unsigned char *c = mremap(b, 2 * len, 100 * MiB, 0);
  printf("mremap shrink 100MiB: same address=%d sum prefix ok=%d\n", c == b, check(c, 100 * MiB) == check(b, 100 * MiB));
  (void)s2;

  // 4. Move with MREMAP_FIXED to a reserved place (PROT_NONE reservation, as the Go runtime does).
  unsigned char *r = mmap(NULL, 128 * MiB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (r == MAP_FAILED) return 3;
  uint64_t before = check(c, 100 * MiB);
  unsigned char *d = mremap(c, 100 * MiB, 100 * MiB, MREMAP_MAYMOVE | MREMAP_FIXED, r);
  printf("mremap fixed: at target=%d sum ok=%d\n", d == r, d != MAP_FAILED && check(d, 100 * MiB) == before);

  // 5. The rest of the reservation: commit with MAP_FIXED, then mprotect parts of it.
  unsigned char *tail = mmap(r + 100 * MiB, 28 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  printf("commit reservation tail: at target=%d zero=%d\n", tail == r + 100 * MiB, zeros(tail, 28 * MiB));
  fill(tail, 28 * MiB, 3);
  int rc = mprotect(r, 128 * MiB, PROT_READ);
  printf("mprotect 128MiB read-only: rc=%d sum kept=%d\n", rc, check(r, 100 * MiB) == before);
  rc = mprotect(r + 64 * MiB, 64 * MiB, PROT_READ | PROT_WRITE);
  r[64 * MiB] = 0x5a;
  printf("mprotect upper half writable: rc=%d byte=%d\n", rc, r[64 * MiB]);

  // 6. madvise(DONTNEED) zeroes private anonymous memory, and only the range given.
  uint64_t lower = check(r, 64 * MiB), upper = check(r + 96 * MiB, 32 * MiB);
  rc = madvise(r + 64 * MiB, 32 * MiB, MADV_DONTNEED);
  printf("madvise dontneed: rc=%d zero=%d rest kept=%d\n", rc, zeros(r + 64 * MiB, 32 * MiB),
         check(r, 64 * MiB) == lower && check(r + 96 * MiB, 32 * MiB) == upper);

  // 7. Unmap a hole in the middle; the pieces around it stay.
  uint64_t below = check(r, 32 * MiB), above = check(r + 48 * MiB, 16 * MiB);
  rc = munmap(r + 32 * MiB, 16 * MiB);
  unsigned char vec[4];
  int mc = mincore(r + 32 * MiB, 4 * 4096, vec);
  printf("munmap hole: rc=%d mincore in hole=%d errno=%s\n", rc, mc, mc ? strerror(errno) : "-");
  printf("around the hole: below kept=%d above kept=%d\n", check(r, 32 * MiB) == below, check(r + 48 * MiB, 16 * MiB) == above);
  munmap(r, 128 * MiB);

  // 8. brk: grow the heap by 120 MiB, touch it sparsely, shrink it back.
  unsigned char *start = sbrk(0);
  if (sbrk(120 * MiB) == (void *)-1) return 4;
  printf("brk +120MiB: zero=%d\n", zeros(start, 120 * MiB));
  uint64_t s3 = fill(start, 120 * MiB, 4);
  printf("brk written: sum ok=%d\n", check(start, 120 * MiB) == s3);
  sbrk(-(intptr_t)(120 * MiB));
  printf("brk back: same break=%d\n", sbrk(0) == start);
  return 0;
}
