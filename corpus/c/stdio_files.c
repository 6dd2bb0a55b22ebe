// C stdio on files: fopen modes, fprintf/fputs/fwrite, fgets/fread/fscanf, fseek/ftell/
// rewind, append mode, ungetc, feof/ferror, freopen, fdopen, tmpfile (O_TMPFILE under
// /tmp, or glibc's fallback), and a file larger than stdio's buffer read back with a
// checksum. Only contents and sizes are printed.
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static uint32_t crc(const unsigned char *p, size_t n, uint32_t h) {
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

int main(void) {
  FILE *f = fopen("notes.txt", "w");
  for (int i = 0; i < 5; i++) fprintf(f, "line %d: %s\n", i, i % 2 ? "odd" : "even");
  fputs("last line without newline", f);
  printf("ftell after writing: %ld\n", ftell(f));
  fclose(f);

  f = fopen("notes.txt", "r");
  char line[128];
  int n = 0;
  while (fgets(line, sizeof line, f)) printf("%d: %s%s", n++, line, strchr(line, '\n') ? "" : "\n");
  printf("feof %d ferror %d\n", feof(f), ferror(f));
  rewind(f);
  int num;
  char word[16];
  printf("fscanf: %d", fscanf(f, "line %d: %15s", &num, word));
  printf(" -> %d %s\n", num, word);
  fseek(f, -9, SEEK_END);
  printf("tail: '%s'\n", fgets(line, sizeof line, f));
  fseek(f, 5, SEEK_SET);
  int c = fgetc(f);
  ungetc('#', f);
  printf("fgetc '%c', after ungetc '%c', ftell %ld\n", c, fgetc(f), ftell(f));
  fclose(f);

  f = fopen("notes.txt", "a+");
  fputs("\nappended", f);
  fseek(f, 0, SEEK_SET);
  printf("a+ reads from the start: '%s'", fgets(line, sizeof line, f));
  fclose(f);
  f = fopen("notes.txt", "r+");
  fseek(f, 0, SEEK_END);
  printf("size now %ld\n", ftell(f));
  fseek(f, 0, SEEK_SET);
  fputs("LINE", f);
  fclose(f);
  f = fopen("notes.txt", "r");
  printf("overwritten: '%s'", fgets(line, sizeof line, f));
  fclose(f);

  printf("fopen missing: %p %s\n", (void *)fopen("missing/file", "r"), strerrorname_np(errno));
  printf("fopen bad mode: %p %s\n", (void *)fopen("notes.txt", "z"), strerrorname_np(errno));

  // A binary file bigger than the stdio buffer, written in odd-sized pieces.
  f = fopen("big.bin", "wb");
  unsigned char block[3001];
  uint32_t h = 2166136261u;
  for (int i = 0; i < 100; i++) {
    for (size_t j = 0; j < sizeof block; j++) block[j] = (unsigned char)(i * 31 + j * 7);
    h = crc(block, sizeof block, h);
    fwrite(block, 1, sizeof block, f);
  }
  fclose(f);
  f = fopen("big.bin", "rb");
  uint32_t h2 = 2166136261u;
  size_t got, total = 0;
  unsigned char in[4096];
  while ((got = fread(in, 1, sizeof in, f)) > 0) {
    h2 = crc(in, got, h2);
    total += got;
  }
  printf("big.bin: %zu bytes, checksum %s\n", total, h == h2 ? "matches" : "differs");
  fclose(f);

  // freopen and fdopen.
  f = freopen("notes.txt", "r", stdin);
  printf("freopen stdin: %s", fgets(line, sizeof line, stdin));
  FILE *g = fdopen(dup(fileno(stdin)), "r");
  // stdin's buffer already holds the whole (small) file, so the duplicate sees its end.
  printf("fdopen of a dup: %s\n", fgets(line, sizeof line, g) ? "more data" : "at end of file");
  fclose(g);

  // tmpfile: gone when closed.
  FILE *t = tmpfile();
  if (!t) {
    printf("tmpfile: %s\n", strerrorname_np(errno));
  } else {
    fprintf(t, "scratch %d\n", 42);
    rewind(t);
    printf("tmpfile: %s", fgets(line, sizeof line, t));
    fclose(t);
  }
  printf("remove notes.txt: %d\n", remove("notes.txt"));
  printf("remove big.bin: %d\n", remove("big.bin"));
  printf("remove again: %d %s\n", remove("big.bin"), strerrorname_np(errno));
  return 0;
}
