// RLIMIT_CPU (kernel/time/posix-cpu-timers.c check_process_timers): SIGXCPU when the
// process's CPU time reaches the soft limit and every second after it (the soft limit moves
// on by one), SIGKILL at the hard limit. The child's CPU time starts at zero. Output depends
// on no timing.
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t xcpu;

static void on_xcpu(int sig) {
  (void)sig;
  xcpu++;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  struct rlimit r = {1, 4};
  signal(SIGXCPU, on_xcpu);
  setrlimit(RLIMIT_CPU, &r);
  volatile unsigned long spin = 0;
  while (xcpu < 2) spin++;
  getrlimit(RLIMIT_CPU, &r);
  printf("SIGXCPU %d times; the soft limit is now %lu, the hard one %lu\n", (int)xcpu, (unsigned long)r.rlim_cur, (unsigned long)r.rlim_max);

  // A child with a hard limit of 1 s is killed when its own CPU time reaches it.
  pid_t pid = fork();
  if (pid == 0) {
    struct rlimit c = {1, 1};
    setrlimit(RLIMIT_CPU, &c);
    for (;;) spin++;
  }
  int st;
  waitpid(pid, &st, 0);
  printf("the child: %s\n", WIFSIGNALED(st) ? strsignal(WTERMSIG(st)) : "not killed");
  return 0;
}
