// Exit status plumbing: atexit handlers run and stdout is flushed before exit_group(42).
#include <stdio.h>
#include <stdlib.h>

static void second(void) { printf("atexit: second registered, runs first\n"); }
static void first(void) { printf("atexit: first registered, runs last\n"); }

int main(void) {
  atexit(first);
  atexit(second);
  printf("returning 42 from main\n");
  return 42;
}
