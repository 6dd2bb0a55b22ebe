// execve: a forked child runs this program again with other arguments and environment;
// posix_spawn (glibc: clone(CLONE_VM|CLONE_VFORK) then execve) does the same; what survives
// an exec (the pid, descriptors without FD_CLOEXEC, ignored signals, the signal mask) and
// what does not (close-on-exec descriptors, handlers: back to SIG_DFL); a failing exec
// (ENOENT, EACCES, ENOEXEC) returns to the caller; a "#!" script (fs/binfmt_script.c) whose
// interpreter is a copy of this program, named relative to the working directory, which the
// kernel resolves at exec time (qemu-riscv64 hands execve to the host kernel, whose
// binfmt_misc entry runs the riscv64 interpreter); interval timers armed before an exec stay
// armed after it (they live in the signal_struct, which exec keeps: man 2 execve), printed
// only as armed or not and bounded by what was set. Output never depends on pids or time.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void on_usr1(int sig) { (void)sig; }

static const char *disposition(int sig) {
  struct sigaction sa;
  sigaction(sig, NULL, &sa);
  return sa.sa_handler == SIG_DFL ? "default" : sa.sa_handler == SIG_IGN ? "ignored" : "handler";
}

static const char *base(const char *p) {
  const char *b = strrchr(p, '/');
  return b ? b + 1 : p;
}

// Run as a script's interpreter: argv is interpreter, its argument, the script, argv[1..].
static int script_main(int argc, char **argv) {
  for (int i = 0; i < argc; i++) printf("script: argv[%d] %s\n", i, argv[i]);
  char exe[4096] = {0}, comm[32] = {0};
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  printf("script: /proc/self/exe names %s\n", n > 0 ? base(exe) : "(unreadable)");
  int fd = open("/proc/self/comm", O_RDONLY);
  n = fd >= 0 ? read(fd, comm, sizeof comm - 1) : -1;
  if (n > 0 && comm[n - 1] == '\n') comm[n - 1] = 0;
  printf("script: comm %s\n", n > 0 ? comm : "(unreadable)");
  fflush(stdout);
  return 23;
}

// Run again with ITIMER_REAL (1000 s, every 500 s) and ITIMER_VIRTUAL (1000 s) armed.
static int itimers_main(void) {
  struct itimerval r, v;
  getitimer(ITIMER_REAL, &r);
  getitimer(ITIMER_VIRTUAL, &v);
  int real_armed = r.it_value.tv_sec != 0 || r.it_value.tv_usec != 0;
  int virt_armed = v.it_value.tv_sec != 0 || v.it_value.tv_usec != 0;
  printf("exec'd: ITIMER_REAL %s, at most 1000 s left: %s, interval %ld s\n", real_armed ? "armed" : "disarmed",
         r.it_value.tv_sec < 1000 || (r.it_value.tv_sec == 1000 && r.it_value.tv_usec == 0) ? "yes" : "no", (long)r.it_interval.tv_sec);
  // set_cpu_itimer() adds a tick to the value, so it is bounded by a second more.
  printf("exec'd: ITIMER_VIRTUAL %s, under 1001 s left: %s\n", virt_armed ? "armed" : "disarmed", v.it_value.tv_sec < 1001 ? "yes" : "no");
  unsigned left = alarm(0); // alarm() is ITIMER_REAL: it finds the timer and disarms it
  printf("exec'd: alarm(0) found it: %s\n", left > 0 && left <= 1000 ? "yes" : "no");
  fflush(stdout);
  return 24;
}

// The program run again: report what it inherited, then exit with a code.
static int child_main(int argc, char **argv) {
  if (strcmp(argv[1], "from-script") == 0) return script_main(argc, argv);
  if (strcmp(argv[1], "itimers") == 0) return itimers_main();
  printf("exec'd: argc %d, argv[1] %s, argv[2] %s, GREETING=%s, PATH %s\n", argc, argv[1], argc > 2 ? argv[2] : "-",
         getenv("GREETING") ? getenv("GREETING") : "(unset)", getenv("PATH") ? "set" : "unset");
  if (argc > 3) {
    int keep = atoi(argv[2]), gone = atoi(argv[3]);
    errno = 0;
    int k = fcntl(keep, F_GETFD);
    printf("exec'd: kept fd %s, close-on-exec fd %s\n", k >= 0 ? "open" : "closed",
           fcntl(gone, F_GETFD) < 0 && errno == EBADF ? "closed (EBADF)" : "open");
    char buf[16] = {0};
    ssize_t n = read(keep, buf, sizeof buf - 1);
    printf("exec'd: read %zd bytes from the kept pipe: \"%s\"\n", n, buf);
    sigset_t set;
    sigprocmask(SIG_SETMASK, NULL, &set);
    printf("exec'd: SIGUSR1 %s, SIGUSR2 %s, SIGTERM blocked %s\n", disposition(SIGUSR1), disposition(SIGUSR2),
           sigismember(&set, SIGTERM) ? "yes" : "no");
  }
  if (getenv("SELF_PID")) printf("exec'd: same pid as before the exec: %s\n", (pid_t)atoi(getenv("SELF_PID")) == getpid() ? "yes" : "no");
  fflush(stdout);
  return strcmp(argv[1], "spawned") == 0 ? 21 : 22;
}

static void report(const char *what, int st) {
  if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else printf("%s: status 0x%x\n", what, st);
}

int main(int argc, char **argv) {
  if (argc > 1) return child_main(argc, argv);
  setvbuf(stdout, NULL, _IOLBF, 0);

  // 1. fork + execve, with descriptors, handlers and a mask to inherit or lose.
  int p[2];
  if (pipe(p) != 0) return 1;
  int gone = open(".", O_RDONLY | O_CLOEXEC);
  signal(SIGUSR1, on_usr1);
  signal(SIGUSR2, SIG_IGN);
  sigset_t block;
  sigemptyset(&block);
  sigaddset(&block, SIGTERM);
  sigprocmask(SIG_BLOCK, &block, NULL);
  if (write(p[1], "through", 7) != 7) return 1;
  pid_t pid = fork();
  if (pid == 0) {
    char keep[16], gonefd[16], self[32];
    snprintf(keep, sizeof keep, "%d", p[0]);
    snprintf(gonefd, sizeof gonefd, "%d", gone);
    snprintf(self, sizeof self, "SELF_PID=%d", (int)getpid()); // in envp: strace does not print it
    char *args[] = {"exec-self", "forked", keep, gonefd, NULL};
    char *env[] = {"GREETING=hello", self, NULL};
    execve("/proc/self/exe", args, env);
    _exit(99);
  }
  int st;
  waitpid(pid, &st, 0);
  report("fork+execve", st);
  close(p[0]);
  close(p[1]);
  close(gone);
  sigprocmask(SIG_UNBLOCK, &block, NULL);
  signal(SIGUSR1, SIG_DFL);
  signal(SIGUSR2, SIG_DFL);

  // 2. posix_spawn (vfork-style clone + execve), the environment passed on.
  char *spawn_args[] = {"exec-self", "spawned", NULL};
  setenv("GREETING", "from the parent", 1);
  int r = posix_spawn(&pid, "/proc/self/exe", NULL, NULL, spawn_args, environ);
  waitpid(pid, &st, 0); // before printing: the exec'd child prints too
  printf("posix_spawn: %d\n", r);
  report("posix_spawn child", st);

  // 3. execs that fail return to the caller.
  errno = 0;
  printf("execve of a missing file: %d %s\n", execve("no-such-program", spawn_args, environ), strerror(errno));
  int fd = open("not-a-program", O_CREAT | O_WRONLY | O_TRUNC, 0755);
  if (write(fd, "plain text\n", 11) != 11) return 1;
  close(fd);
  errno = 0;
  printf("execve of a text file: %d %s\n", execve("./not-a-program", spawn_args, environ), strerror(errno));
  chmod("not-a-program", 0644);
  errno = 0;
  printf("execve without execute permission: %d %s\n", execve("./not-a-program", spawn_args, environ), strerror(errno));
  unlink("not-a-program");

  // 4. A "#!" script: its interpreter is a copy of this program in the working directory.
  int in = open("/proc/self/exe", O_RDONLY), out = open("exec-self-copy", O_CREAT | O_WRONLY | O_TRUNC, 0755);
  char buf[65536];
  ssize_t got;
  while ((got = read(in, buf, sizeof buf)) > 0)
    if (write(out, buf, (size_t)got) != got) return 1;
  close(in);
  close(out);
  const char script[] = "#! ./exec-self-copy  from-script \t\necho not read by the kernel\n";
  fd = open("script", O_CREAT | O_WRONLY | O_TRUNC, 0755);
  if (write(fd, script, sizeof script - 1) != (ssize_t)(sizeof script - 1)) return 1;
  close(fd);
  pid = fork();
  if (pid == 0) {
    char *script_args[] = {"argv0 is replaced", "first", "second", NULL};
    execve("./script", script_args, environ);
    printf("execve of the script: %s\n", strerror(errno));
    _exit(99);
  }
  waitpid(pid, &st, 0);
  report("fork+execve of a script", st);
  unlink("script");
  unlink("exec-self-copy");

  // 5. Interval timers survive the exec (POSIX timers would not: exit_itimers()).
  pid = fork();
  if (pid == 0) {
    struct itimerval real = {{500, 0}, {1000, 0}}, virt = {{0, 0}, {1000, 0}};
    setitimer(ITIMER_REAL, &real, NULL);
    setitimer(ITIMER_VIRTUAL, &virt, NULL);
    char *args[] = {"exec-self", "itimers", NULL};
    execve("/proc/self/exe", args, environ);
    _exit(99);
  }
  waitpid(pid, &st, 0);
  report("fork+execve with interval timers", st);
  // (posix_spawn of a missing file is not here: glibc's child reports the exec's errno
  // through the memory it shares with the parent (CLONE_VM|CLONE_VFORK), and qemu-user 7.2
  // emulates vfork with fork (linux-user/syscall.c do_fork), so under qemu it returns 0.)
  return 0;
}
