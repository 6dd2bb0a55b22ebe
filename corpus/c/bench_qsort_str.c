// Benchmark, qsort with string compares: random lowercase words (many sharing prefixes)
// sorted with qsort and a strcmp comparator, then looked up with bsearch. argv[1] scales
// the word count (1: a test-suite run). Only counts and a hash of the sorted order are
// printed.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv) {
  int scale = argc > 1 ? atoi(argv[1]) : 1;
  if (scale < 1) scale = 1;
  size_t count = (size_t)scale * 2000;
  char **words = malloc(count * sizeof *words);
  uint64_t x = 0x2545f4914f6cdd1dull;
  for (size_t i = 0; i < count; i++) {
    x ^= x >> 12, x ^= x << 25, x ^= x >> 27;
    uint64_t r = x * 0x2545f4914f6cdd1dull;
    // A shared prefix of 0-7 letters from a small alphabet, so strcmp walks several bytes.
    int prefix = (int)(r & 7), len = prefix + 3 + (int)(r >> 3 & 15);
    char *w = malloc((size_t)len + 1);
    for (int k = 0; k < len; k++) {
      r = r * 6364136223846793005ull + 1442695040888963407ull;
      w[k] = k < prefix ? (char)('a' + k % 3) : (char)('a' + (r >> 33) % 26);
    }
    w[len] = 0;
    words[i] = w;
  }
  qsort(words, count, sizeof *words, compare);

  uint64_t hash = 0xcbf29ce484222325ull;
  size_t distinct = 0;
  for (size_t i = 0; i < count; i++) {
    if (i == 0 || strcmp(words[i - 1], words[i]) != 0) distinct++;
    for (const char *c = words[i]; *c; c++) hash = (hash ^ (unsigned char)*c) * 0x100000001b3ull;
    hash = (hash ^ '\n') * 0x100000001b3ull;
  }
  size_t found = 0;
  char probe[32];
  for (size_t i = 0; i < count; i++) {
    // Every other probe is a word with its last letter changed: mostly absent.
    size_t len = strlen(words[(i * 7919) % count]);
    memcpy(probe, words[(i * 7919) % count], len + 1);
    if (i & 1) probe[len - 1] = probe[len - 1] == 'z' ? 'a' : (char)(probe[len - 1] + 1);
    const char *key = probe;
    if (bsearch(&key, words, count, sizeof *words, compare)) found++;
  }
  printf("%zu words, %zu distinct, first %s last %s, order hash %016llx, bsearch found %zu\n", count, distinct,
         words[0], words[count - 1], (unsigned long long)hash, found);
  for (size_t i = 0; i < count; i++) free(words[i]);
  free(words);
  return 0;
}
