// Death by signal: abort() raises SIGABRT (rt_sigprocmask + tgkill in glibc); the shell
// status must be 128+6 = 134. Output written before abort() must already be visible.
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  printf("about to abort\n");
  fflush(stdout);
  fprintf(stderr, "stderr before abort\n");
  abort();
}
