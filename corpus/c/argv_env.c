// Process start-up: argc/argv layout and the environment block as the kernel built them.
#include <stdio.h>
#include <string.h>

extern char **environ;

int main(int argc, char **argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d]=[%s] len=%zu\n", i, argv[i], strlen(argv[i]));
  printf("argv[argc]=%s\n", argv[argc] == NULL ? "NULL" : "non-NULL");

  int envc = 0;
  for (char **e = environ; *e != NULL; e++) envc++;
  printf("envc=%d\n", envc);
  for (int i = 0; i < envc; i++) printf("env[%d]=[%s]\n", i, environ[i]);
  return 0;
}
