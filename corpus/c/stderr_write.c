// Writes to both streams (stdio buffering differs: stderr is unbuffered), reports errno
// text for a failed open, and exits with status 3.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  printf("stdout: line 1\n");
  fprintf(stderr, "stderr: line 1\n");
  printf("stdout: line 2 (buffered)\n");
  fprintf(stderr, "stderr: line %d of %s\n", 2, "two");

  int fd = open("/nonexistent-zerosys-dir/file.txt", O_RDONLY);
  if (fd < 0) {
    int saved = errno;
    perror("open /nonexistent-zerosys-dir/file.txt");
    printf("errno=%d (%s)\n", saved, strerror(saved));
  } else {
    printf("unexpectedly opened fd %d\n", fd);
  }

  for (int e = 1; e <= 40; e++) fprintf(stderr, "strerror(%d) = %s\n", e, strerror(e));

  static const char raw[] = "raw write(2) to fd 2\n";
  fflush(stdout);
  if (write(2, raw, sizeof raw - 1) != (ssize_t)(sizeof raw - 1)) return 1;
  return 3;
}
