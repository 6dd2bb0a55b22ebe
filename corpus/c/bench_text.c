// Benchmark, sscanf/printf-heavy text: records formatted with snprintf (integers, hex,
// words, fixed and %g floats), parsed back with sscanf and strtod, and a long line of
// numbers consumed with repeated sscanf("%d%n") as real programs do (glibc's sscanf measures
// the whole remaining string on every call). argv[1] scales the record count (1: a
// test-suite run). Checksums and a few sample lines are printed.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const WORDS[] = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"};

int main(int argc, char **argv) {
  int scale = argc > 1 ? atoi(argv[1]) : 1;
  if (scale < 1) scale = 1;
  int records = scale * 500;
  char line[256];
  uint64_t hash = 0xcbf29ce484222325ull;
  long long isum = 0;
  unsigned usum = 0;
  double fsum = 0;
  uint32_t x = 2463534242u;
  for (int i = 0; i < records; i++) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    int n = (int)(x % 2000001) - 1000000;
    double f = (double)(int)(x >> 8) / 1024.0 - 4096.0;
    int len = snprintf(line, sizeof line, "%d %08x %s %.6f %g %ld|", n, x, WORDS[x % 8], f, f * 1e-7, (long)i * 31337);
    if (i < 3) printf("record %d: %s\n", i, line);
    for (int k = 0; k < len; k++) hash = (hash ^ (unsigned char)line[k]) * 0x100000001b3ull;

    int n2;
    unsigned u;
    char word[16];
    double f2, g2;
    long l;
    if (sscanf(line, "%d %x %15s %lf %lg %ld|", &n2, &u, word, &f2, &g2, &l) != 6) {
      printf("parse failed at record %d: %s\n", i, line);
      return 1;
    }
    isum += n2 + l;
    usum += u ^ (unsigned)strlen(word);
    fsum += f2 + strtod(strchr(line, ' ') + 1 + 9 + strlen(word) + 1, NULL) + g2;
  }
  printf("%d records: format hash %016llx, isum %lld, usum %u, fsum %.17g\n", records, (unsigned long long)hash, isum,
         usum, fsum);

  // One long line of numbers, read with sscanf and %n.
  int numbers = 500 + scale * 20;
  char *big = malloc((size_t)numbers * 12 + 1), *end = big;
  for (int i = 0; i < numbers; i++) end += sprintf(end, "%d ", (int)((i * 2654435761u) % 100000) - 50000);
  long long total = 0;
  int value, used, read = 0;
  for (const char *p = big; sscanf(p, "%d%n", &value, &used) == 1; p += used) total += value, read++;
  printf("long line of %zu bytes: %d numbers, total %lld\n", (size_t)(end - big), read, total);
  free(big);
  return 0;
}
