// Death by signal: the status a shell shows is 128+N. argv[1] picks how the process dies;
// everything printed before must still appear (stdout is unbuffered).
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile int *volatile null_page = (int *)0x8;
static int handled;

static void resume_handler(int sig) {
  handled++;
  printf("handler %d ran (%d)\n", sig, handled); // returning re-runs the faulting store
}

static void abort_handler(int sig) {
  printf("SIGABRT handler %d returns; abort() goes on\n", sig);
}

static char alt[1 << 16];
static void overflow_handler(int sig) {
  static const char msg[] = "stack overflow caught on the alternate stack\n";
  write(1, msg, sizeof msg - 1);
  _exit(sig == SIGSEGV ? 3 : 4);
}
static int recurse(volatile char *p) {
  volatile char buf[1024];
  buf[0] = *p;
  return recurse(buf) + buf[0];
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  const char *how = argc > 1 ? argv[1] : "segv";
  printf("dying by %s\n", how);
  fprintf(stderr, "stderr: %s\n", how);
  if (!strcmp(how, "segv")) *null_page = 1;
  if (!strcmp(how, "term")) raise(SIGTERM);
  if (!strcmp(how, "usr1")) kill(getpid(), SIGUSR1);
  if (!strcmp(how, "kill")) kill(getpid(), SIGKILL);
  if (!strcmp(how, "ill")) __asm__ volatile(".4byte 0");
  if (!strcmp(how, "trap")) __asm__ volatile("ebreak");
  if (!strcmp(how, "resethand")) {
    struct sigaction sa = {.sa_handler = resume_handler, .sa_flags = SA_RESETHAND};
    sigaction(SIGSEGV, &sa, NULL);
    *null_page = 1;
  }
  if (!strcmp(how, "blocked")) {
    signal(SIGSEGV, resume_handler);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGSEGV);
    sigprocmask(SIG_BLOCK, &s, NULL);
    *null_page = 1;
  }
  if (!strcmp(how, "ignored")) {
    signal(SIGSEGV, SIG_IGN);
    *null_page = 1;
  }
  if (!strcmp(how, "abort")) {
    signal(SIGABRT, abort_handler);
    abort();
  }
  if (!strcmp(how, "pending")) {
    // Blocked while raised: it kills only when unblocked.
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    sigprocmask(SIG_BLOCK, &s, NULL);
    raise(SIGINT);
    printf("SIGINT pending, still alive\n");
    sigprocmask(SIG_UNBLOCK, &s, NULL);
  }
  if (!strcmp(how, "overflow")) {
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt};
    sigaltstack(&ss, NULL);
    struct sigaction sa = {.sa_handler = overflow_handler, .sa_flags = SA_ONSTACK};
    sigaction(SIGSEGV, &sa, NULL);
    char c = 1;
    return recurse(&c);
  }
  printf("still alive\n");
  return 0;
}
