// Heap and sorting: many small malloc/free (brk arena), a few MiB in large blocks (mmap),
// realloc growth (mremap for mmapped chunks), calloc zeroing, then qsort/bsearch with a
// deterministic PRNG and checksums of everything.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 0x243f6a8885a308d3ULL;

static uint64_t next_rand(void) {  // xorshift64*
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545f4914f6cdd1dULL;
}

static uint64_t fnv(const void *p, size_t n, uint64_t h) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 0x100000001b3ULL;
  return h;
}

// Word-at-a-time hash for the multi-MiB buffers (n is a multiple of 8, p is malloc-aligned).
static uint64_t hash_words(const void *p, size_t n, uint64_t h) {
  const uint64_t *w = p;
  for (size_t i = 0; i < n / 8; i++) h = (h ^ w[i]) * 0x9e3779b97f4a7c15ULL + (h >> 29);
  return h;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv) {
  size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 20000;

  // 1. qsort of n 32-bit keys.
  uint32_t *keys = malloc(n * sizeof *keys);
  if (!keys) return 1;
  for (size_t i = 0; i < n; i++) keys[i] = (uint32_t)next_rand();
  qsort(keys, n, sizeof *keys, cmp_u32);
  int sorted = 1;
  for (size_t i = 1; i < n; i++) sorted &= keys[i - 1] <= keys[i];
  uint32_t probe = keys[n / 3];
  uint32_t *found = bsearch(&probe, keys, n, sizeof *keys, cmp_u32);
  printf("qsort n=%zu sorted=%d min=%08x median=%08x max=%08x bsearch=%d fnv=%016llx\n", n, sorted, keys[0],
         keys[n / 2], keys[n - 1], found != NULL && *found == probe,
         (unsigned long long)fnv(keys, n * sizeof *keys, 0xcbf29ce484222325ULL));

  // 2. Strings: many small allocations, sorted by strcmp.
  size_t ns = 3000;
  char **strs = malloc(ns * sizeof *strs);
  for (size_t i = 0; i < ns; i++) {
    size_t len = 1 + next_rand() % 40;
    strs[i] = malloc(len + 1);
    for (size_t k = 0; k < len; k++) strs[i][k] = (char)('a' + next_rand() % 26);
    strs[i][len] = 0;
  }
  qsort(strs, ns, sizeof *strs, cmp_str);
  uint64_t hs = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < ns; i++) hs = fnv(strs[i], strlen(strs[i]) + 1, hs);
  printf("strings n=%zu first=%s last=%s fnv=%016llx\n", ns, strs[0], strs[ns - 1], (unsigned long long)hs);
  for (size_t i = 0; i < ns; i += 2) free(strs[i]);
  for (size_t i = 1; i < ns; i += 2) free(strs[i]);
  free(strs);

  // 3. Large blocks: 6 x 512 KiB filled, freed in an interleaved order.
  enum { NBIG = 6, BIG = 512 * 1024 };
  unsigned char *big[NBIG];
  uint64_t hb = 0xcbf29ce484222325ULL;
  for (int i = 0; i < NBIG; i++) {
    big[i] = malloc(BIG);
    if (!big[i]) return 2;
    for (size_t k = 0; k < BIG; k += 64) big[i][k] = (unsigned char)(k * 7 + i);
  }
  for (int i = 0; i < NBIG; i++) hb = hash_words(big[i], BIG, hb);
  for (int i = 0; i < NBIG; i += 2) free(big[i]);
  for (int i = 1; i < NBIG; i += 2) free(big[i]);
  printf("big blocks %d x %d fnv=%016llx\n", NBIG, BIG, (unsigned long long)hb);

  // 4. realloc growth from 1 KiB to 4 MiB, keeping the contents.
  size_t cap = 1024;
  unsigned char *buf = malloc(cap);
  for (size_t i = 0; i < cap; i++) buf[i] = (unsigned char)i;
  uint64_t *words;
  while (cap < 4 * 1024 * 1024) {
    size_t ncap = cap * 2;
    unsigned char *nb = realloc(buf, ncap);
    if (!nb) return 3;
    buf = nb;
    words = (uint64_t *)buf;
    for (size_t i = cap / 8; i < ncap / 8; i++) words[i] = i * 0x0101010101010101ULL ^ (i >> 9);
    cap = ncap;
  }
  printf("realloc cap=%zu fnv=%016llx\n", cap, (unsigned long long)hash_words(buf, cap, 0xcbf29ce484222325ULL));
  buf = realloc(buf, 100);
  printf("shrunk fnv=%016llx\n", (unsigned long long)fnv(buf, 100, 0xcbf29ce484222325ULL));
  free(buf);

  // 5. calloc must return zeroed memory, also after free of dirty blocks of the same size.
  for (int round = 0; round < 3; round++) {
    size_t sz = (size_t)(round + 1) * 300000;
    uint64_t *c = calloc(sz / 8, 8);
    size_t nonzero = 0;
    for (size_t i = 0; i < sz / 8; i++) nonzero += c[i] != 0;
    memset(c, 0xab, sz);
    free(c);
    printf("calloc %zu nonzero=%zu\n", sz, nonzero);
  }

  free(keys);
  printf("done\n");
  return 0;
}
