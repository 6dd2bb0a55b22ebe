// Randomness: getrandom lengths and flags, AT_RANDOM and /dev/urandom. Only properties are
// printed (lengths, errors, "not all zero", "two reads differ"), never the bytes.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>

static int nonzero(const unsigned char *p, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++) c += p[i] != 0;
  return c;
}

static void try(const char *what, void *buf, size_t len, unsigned flags) {
  errno = 0;
  long r = syscall(SYS_getrandom, buf, len, flags);
  printf("getrandom %-28s -> %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerrorname_np(errno) : "");
}

int main(void) {
  static unsigned char big[1 << 20];
  unsigned char a[256], b[256];
  try("(len 0)", a, 0, 0);
  try("(16 bytes)", a, 16, 0);
  try("(256 bytes)", a, 256, 0);
  try("(1 MiB)", big, sizeof big, 0);
  try("(GRND_NONBLOCK)", a, 64, GRND_NONBLOCK);
  try("(GRND_RANDOM, 4096)", big, 4096, GRND_RANDOM);
  try("(GRND_INSECURE)", a, 64, 0x4);
  try("(GRND_INSECURE|GRND_RANDOM)", a, 64, 0x4 | GRND_RANDOM);
  try("(unknown flag 8)", a, 64, 8);
  try("(NULL buffer)", NULL, 16, 0);

  getrandom(a, sizeof a, 0);
  getrandom(b, sizeof b, 0);
  printf("256 bytes: mostly nonzero=%d two reads differ=%d\n", nonzero(a, sizeof a) > 200, memcmp(a, b, sizeof a) != 0);
  printf("1 MiB: mostly nonzero=%d\n", nonzero(big, sizeof big) > 1000000);

  unsigned char *at = (unsigned char *)getauxval(AT_RANDOM);
  printf("AT_RANDOM: present=%d not all zero=%d\n", at != NULL, at && nonzero(at, 16) > 0);

  int fd = open("/dev/urandom", O_RDONLY);
  ssize_t n1 = read(fd, a, sizeof a), n2 = read(fd, b, sizeof b);
  printf("/dev/urandom: open ok=%d reads=%zd,%zd mostly nonzero=%d differ=%d\n", fd >= 0, n1, n2, nonzero(a, sizeof a) > 200,
         memcmp(a, b, sizeof a) != 0);
  close(fd);

  // What libc builds on it: rand() seeded from getrandom is still just a sequence.
  unsigned seed;
  getrandom(&seed, sizeof seed, 0);
  srand(seed);
  int r1 = rand(), r2 = rand();
  printf("rand in range=%d\n", r1 >= 0 && r2 >= 0 && r1 <= RAND_MAX && r2 <= RAND_MAX);
  return 0;
}
