// Reads all of stdin, echoes it to stdout, then prints wc-style counts and an FNV-1a hash.
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  unsigned char buf[4096];
  uint64_t lines = 0, words = 0, bytes = 0, hash = 0xcbf29ce484222325ULL;
  int in_word = 0;
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
    fwrite(buf, 1, n, stdout);
    for (size_t i = 0; i < n; i++) {
      unsigned char c = buf[i];
      hash = (hash ^ c) * 0x100000001b3ULL;
      if (c == '\n') lines++;
      if (isspace(c)) {
        in_word = 0;
      } else if (!in_word) {
        in_word = 1;
        words++;
      }
    }
    bytes += n;
  }
  if (ferror(stdin)) {
    fprintf(stderr, "read error\n");
    return 1;
  }
  printf("\n--- lines=%llu words=%llu bytes=%llu fnv1a=%016llx\n", (unsigned long long)lines,
         (unsigned long long)words, (unsigned long long)bytes, (unsigned long long)hash);
  return 0;
}
