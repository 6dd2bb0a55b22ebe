// Writing to a pipe whose reader is gone, with SIGPIPE at its default action: the
// process dies of SIGPIPE (status 141) before the write returns.
#include <stdio.h>
#include <unistd.h>

int main(void) {
  int p[2];
  if (pipe(p) != 0) return 1;
  close(p[0]);
  printf("before the write\n");
  fflush(stdout);
  write(p[1], "x", 1);
  printf("not reached\n");
  return 0;
}
