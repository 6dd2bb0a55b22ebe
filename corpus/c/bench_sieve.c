// Benchmark, sieve: an odd-only bit sieve of Eratosthenes up to a limit, run several times,
// counting primes, twin primes and summing them. argv[1] scales the limit (1: a test-suite
// run). Only the counts are printed.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  int scale = argc > 1 ? atoi(argv[1]) : 1;
  if (scale < 1) scale = 1;
  uint64_t limit = (uint64_t)scale * 200000;
  // Bit i stands for the odd number 2i+1; a set bit is composite.
  size_t bits = limit / 2 + 1, nwords = bits / 64 + 1;
  uint64_t *composite = malloc(nwords * sizeof *composite);
  uint64_t primes = 0, twins = 0, sum = 0;
  for (int run = 0; run < 3; run++) {
    memset(composite, 0, nwords * sizeof *composite);
    for (uint64_t i = 1; (2 * i + 1) * (2 * i + 1) <= limit; i++) {
      if (composite[i >> 6] >> (i & 63) & 1) continue;
      uint64_t p = 2 * i + 1;
      for (uint64_t j = (p * p) / 2; j < bits; j += p) composite[j >> 6] |= 1ull << (j & 63);
    }
    primes = 1, twins = 0, sum = 2;  // 2 is the even prime
    uint64_t last = 2;
    for (uint64_t i = 1; 2 * i + 1 <= limit; i++) {
      if (composite[i >> 6] >> (i & 63) & 1) continue;
      uint64_t p = 2 * i + 1;
      primes++, sum += p;
      if (p - last == 2) twins++;
      last = p;
    }
  }
  printf("sieve limit=%llu primes=%llu twins=%llu sum=%llu\n", (unsigned long long)limit, (unsigned long long)primes,
         (unsigned long long)twins, (unsigned long long)sum);
  free(composite);
  return 0;
}
