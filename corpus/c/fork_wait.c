// Processes: fork and vfork, exit statuses through wait4/waitpid/waitid, a child killed by
// a signal, WNOHANG while a child is alive, ECHILD, SIGCHLD to a handler, copied memory,
// descriptors shared across fork (one file offset), and stdio buffers copied by fork.
// Output never depends on pids or on which process runs first: the parent prints only
// after it has waited for the child it is talking about.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t chld_count;
static volatile int chld_code, chld_status;
static int global_value = 1;

static void on_chld(int sig, siginfo_t *si, void *uc) {
  (void)sig, (void)uc;
  chld_count++;
  chld_code = si->si_code;
  chld_status = si->si_status;
}

/* The number after `key` in a /proc status file, -1 if absent, -2 if the file cannot be opened. */
static int status_field(const char *path, const char *key) {
  FILE *f = fopen(path, "r");
  char line[256];
  int v = -1;
  if (!f) return -2;
  while (fgets(line, sizeof line, f))
    if (!strncmp(line, key, strlen(key))) v = atoi(line + strlen(key));
  fclose(f);
  return v;
}

static void report(const char *what, int st) {
  if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st)) printf("%s: killed by %s\n", what, strsignal(WTERMSIG(st)));
  else printf("%s: status 0x%x\n", what, st);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0); // line by line, so only section 8 shows a copied buffer
  // 1. exit status, and the child's writes to memory stay in the child.
  pid_t pid = fork();
  if (pid == 0) {
    global_value = 42;
    printf("child: global %d, getppid is parent: %s\n", global_value, getppid() > 0 ? "yes" : "no");
    exit(7);
  }
  int st = 0;
  pid_t got = waitpid(pid, &st, 0);
  report("fork child", st);
  printf("waitpid returned the child: %s; parent global %d\n", got == pid ? "yes" : "no", global_value);

  // 2. a blocked child: WNOHANG sees it alive; SIGTERM kills it.
  int p[2];
  if (pipe(p) != 0) return 1;
  pid = fork();
  if (pid == 0) {
    char c;
    close(p[1]);
    ssize_t n = read(p[0], &c, 1); // blocks until the parent writes or is gone
    _exit(n == 1 ? 10 + c - '0' : 99);
  }
  close(p[0]);
  got = waitpid(pid, &st, WNOHANG);
  printf("WNOHANG on a blocked child: %d\n", (int)got);
  if (write(p[1], "3", 1) != 1) return 1;
  close(p[1]);
  got = waitpid(pid, &st, 0);
  report("pipe child", st);

  if (pipe(p) != 0) return 1;
  pid = fork();
  if (pid == 0) {
    char c;
    close(p[1]);
    (void)read(p[0], &c, 1);
    _exit(0);
  }
  close(p[0]);
  kill(pid, SIGTERM);
  got = waitpid(pid, &st, 0);
  report("killed child", st);
  close(p[1]);

  // 3. SIGCHLD with siginfo, and waitid.
  struct sigaction sa = {0};
  sa.sa_sigaction = on_chld;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigaction(SIGCHLD, &sa, NULL);
  pid = fork();
  if (pid == 0) _exit(5);
  siginfo_t si = {0};
  int r = waitid(P_PID, pid, &si, WEXITED);
  printf("waitid: %d, si_signo %d, si_code %s, si_status %d, si_pid is child: %s\n", r, si.si_signo,
         si.si_code == CLD_EXITED ? "CLD_EXITED" : "other", si.si_status, si.si_pid == pid ? "yes" : "no");
  printf("SIGCHLD handler: %d call(s), si_code %s, si_status %d\n", (int)chld_count, chld_code == CLD_EXITED ? "CLD_EXITED" : "other", chld_status);

  // 4. WNOWAIT leaves the zombie for a second wait; wait4 with rusage.
  pid = fork();
  if (pid == 0) _exit(6);
  r = waitid(P_ALL, 0, &si, WEXITED | WNOWAIT);
  printf("waitid WNOWAIT: %d, si_status %d\n", r, si.si_status);
  struct rusage ru;
  got = wait4(-1, &st, 0, &ru);
  report("wait4 after WNOWAIT", st);
  printf("wait4 returned the child: %s\n", got == pid ? "yes" : "no");

  // 5. no children left.
  errno = 0;
  got = waitpid(-1, &st, WNOHANG);
  printf("no children: %d %s\n", (int)got, strerror(errno));

  // 6. a shared open file description: one offset for both processes.
  int fd = open("fork-shared.txt", O_CREAT | O_TRUNC | O_RDWR, 0644);
  if (fd < 0) return 1;
  pid = fork();
  if (pid == 0) {
    if (write(fd, "child;", 6) != 6) _exit(1);
    _exit(0);
  }
  waitpid(pid, &st, 0);
  if (write(fd, "parent;", 7) != 7) return 1;
  char buf[64] = {0};
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  printf("shared offset: %zd bytes \"%s\", offset now %ld\n", n, buf, (long)lseek(fd, 0, SEEK_CUR));
  close(fd);
  unlink("fork-shared.txt");

  // 7. vfork: the parent waits until the child has exited.
  pid = vfork();
  if (pid == 0) _exit(4);
  got = waitpid(pid, &st, 0);
  report("vfork child", st);

  // 8. process groups and sessions: a child moved into a group of its own and back, then
  // leading a session of its own; setpgid on a child in another session is EPERM.
  if (pipe(p) != 0) return 1;
  pid = fork();
  if (pid == 0) {
    char c;
    close(p[1]);
    if (read(p[0], &c, 1) != 1) _exit(9);
    pid_t s = setsid();
    _exit(s == getpid() && getsid(0) == s && getpgrp() == s ? 0 : 1);
  }
  close(p[0]);
  printf("setpgid(child, child): %d; its group is its pid: %s\n", setpgid(pid, pid), getpgid(pid) == pid ? "yes" : "no");
  printf("setpgid(child, our group): %d; back in ours: %s; same session: %s\n", setpgid(pid, getpgrp()), getpgid(pid) == getpgrp() ? "yes" : "no",
         getsid(pid) == getsid(0) ? "yes" : "no");
  errno = 0;
  printf("setpgid(0, a group that does not exist): %d %s\n", setpgid(0, 999999), strerror(errno));
  if (write(p[1], "go", 1) != 1) return 1;
  close(p[1]);
  waitpid(pid, &st, 0);
  report("setsid child", st);
  errno = 0;
  printf("getpgid of the reaped child: %d %s\n", getpgid(pid), strerror(errno));

  // 9. /proc: each process sees its own /proc/self, and the parent sees /proc/CHILD.
  if (pipe(p) != 0) return 1;
  pid = fork();
  if (pid == 0) {
    char c;
    close(p[1]);
    if (read(p[0], &c, 1) != 1) _exit(9);
    printf("child: /proc/self/status Pid is mine: %s, PPid is my parent: %s\n", status_field("/proc/self/status", "Pid:\t") == getpid() ? "yes" : "no",
           status_field("/proc/self/status", "PPid:\t") == getppid() ? "yes" : "no");
    _exit(0);
  }
  close(p[0]);
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
  printf("parent: /proc/CHILD/status Pid is the child: %s, PPid is me: %s\n", status_field(path, "Pid:\t") == pid ? "yes" : "no",
         status_field(path, "PPid:\t") == getpid() ? "yes" : "no");
  if (write(p[1], "go", 1) != 1) return 1;
  close(p[1]);
  waitpid(pid, &st, 0);

  // 10. PR_SET_PDEATHSIG: a grandchild asks for SIGUSR1 when its parent dies; its parent
  // exits, and the grandchild reports the signal through a pipe.
  if (pipe(p) != 0) return 1;
  pid = fork();
  if (pid == 0) {
    int ready[2];
    if (pipe(ready) != 0) _exit(9);
    pid_t g = fork();
    if (g == 0) {
      close(p[0]);
      close(ready[0]);
      sigset_t usr1;
      sigemptyset(&usr1);
      sigaddset(&usr1, SIGUSR1);
      sigprocmask(SIG_BLOCK, &usr1, NULL);
      prctl(PR_SET_PDEATHSIG, SIGUSR1);
      if (write(ready[1], "r", 1) != 1) _exit(9);
      int sig = 0;
      sigwait(&usr1, &sig); // the parent's exit sends it
      char msg[64];
      int n = snprintf(msg, sizeof msg, "grandchild: %s after its parent exited\n", strsignal(sig));
      if (write(p[1], msg, (size_t)n) != n) _exit(9);
      _exit(0);
    }
    char c;
    close(ready[1]);
    if (read(ready[0], &c, 1) != 1) _exit(9); // it has asked
    _exit(0);
  }
  close(p[1]);
  waitpid(pid, &st, 0);
  char msg[64] = {0};
  ssize_t got_bytes = read(p[0], msg, sizeof msg - 1); // EOF only once the grandchild has written and exited
  printf("%s", got_bytes > 0 ? msg : "grandchild: nothing\n");
  close(p[0]);

  // 11. stdio buffers are copied by fork: an unfinished line appears twice.
  printf("buffered before fork, ");
  pid = fork();
  if (pid == 0) {
    printf("in the child\n");
    exit(0); // flushes the child's copy of the buffer
  }
  waitpid(pid, &st, 0);
  printf("in the parent\n");
  return 0;
}
