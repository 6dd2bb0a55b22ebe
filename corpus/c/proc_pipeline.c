// Processes that run this program again: a shell-style pipeline of three filters (fork,
// dup2, close, execve of /proc/self/exe in a filter mode, a wait for each with its status),
// a pipeline whose reader quits early (the writer dies of SIGPIPE), posix_spawn with file
// actions (addopen, adddup2, addclose) and attributes (POSIX_SPAWN_SETSIGMASK, SETSIGDEF,
// SETPGROUP), and system/popen. Output never depends on pids or on which process runs first:
// the parent prints only after the children it talks about have been waited for, and the
// filters' output comes back through a pipe read to its end.
//
// system and popen run /bin/sh. The guest's namespace under zerosys has no shell (there is
// no riscv64 one to show), so there both fail as Linux fails without /bin/sh: the shell's
// exec fails inside posix_spawn, which reports it (glibc through the memory its
// CLONE_VM|CLONE_VFORK child shares, musl through a pipe), so glibc's system returns the
// status of a child that exited 127 (W_EXITCODE(127, 0), what POSIX asks for), musl's -1
// with errno ENOENT, and popen returns NULL in both. Under qemu-riscv64 the
// host's /bin/sh (an x86 program, run natively) answers. So the program asks whether
// /bin/sh exists (access, which both sides answer for their own namespace) and prints only
// whether each result is the one Linux gives for that case, never the shell's output itself.
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *disposition(int sig) {
  struct sigaction sa;
  sigaction(sig, NULL, &sa);
  return sa.sa_handler == SIG_DFL ? "default" : sa.sa_handler == SIG_IGN ? "ignored" : "handler";
}

// The filters: stdin to stdout, each exits with a code of its own.
static int filter_main(const char *mode) {
  char line[512];
  int n = 0;
  long bytes = 0;
  if (!strcmp(mode, "upper")) {
    int c;
    while ((c = getchar()) != EOF) putchar(toupper(c));
    return 3;
  }
  if (!strcmp(mode, "number")) {
    while (fgets(line, sizeof line, stdin)) printf("%d: %s", ++n, line);
    return 4;
  }
  if (!strcmp(mode, "count")) {
    while (fgets(line, sizeof line, stdin)) {
      n++;
      bytes += (long)strlen(line);
      fputs(line, stdout);
    }
    printf("count: %d lines, %ld bytes\n", n, bytes);
    return 5;
  }
  if (!strcmp(mode, "yes")) { // writes until the reader is gone
    static char buf[4096];
    for (size_t i = 0; i < sizeof buf; i += 2) buf[i] = 'y', buf[i + 1] = '\n';
    for (;;)
      if (write(1, buf, sizeof buf) < 0) return 40 + errno; // only with SIGPIPE ignored
  }
  if (!strcmp(mode, "first")) { // reads one line, then quits
    if (fgets(line, sizeof line, stdin)) printf("first line: %s", line);
    return 0;
  }
  return 99;
}

// Run by posix_spawn: what it inherited, on stdout and stderr (both redirected by the parent).
static int report_main(void) {
  char buf[64] = {0};
  ssize_t n = read(0, buf, sizeof buf - 1);
  if (n > 0 && buf[n - 1] == '\n') buf[n - 1] = 0;
  printf("spawned: stdin gave \"%s\"\n", n > 0 ? buf : "");
  errno = 0;
  int r = fcntl(5, F_GETFD);
  printf("spawned: fd 5 %s, fd 6 %s\n", r >= 0 ? "open" : errno == EBADF ? "closed" : "?", fcntl(6, F_GETFD) >= 0 ? "open" : "closed");
  sigset_t set;
  sigprocmask(SIG_SETMASK, NULL, &set);
  printf("spawned: blocked SIGUSR1 %s, SIGHUP %s\n", sigismember(&set, SIGUSR1) ? "yes" : "no", sigismember(&set, SIGHUP) ? "yes" : "no");
  printf("spawned: SIGUSR2 %s, SIGTERM %s\n", disposition(SIGUSR2), disposition(SIGTERM));
  printf("spawned: own process group %s, same session as the parent %s\n", getpgrp() == getpid() ? "yes" : "no",
         getsid(0) == getsid(getppid()) ? "yes" : "no");
  fflush(stdout);
  fprintf(stderr, "spawned: this line went to stderr\n");
  return 12;
}

static void report(const char *what, int st) {
  if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st)) printf("%s: killed by %s\n", what, strsignal(WTERMSIG(st)));
  else printf("%s: status 0x%x\n", what, st);
}

// fork, with `in` on stdin and `out` on stdout, every other pipe end closed, then exec.
static pid_t start(const char *mode, int in, int out, int *fds, int nfds) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  if (in != 0) dup2(in, 0);
  if (out != 1) dup2(out, 1);
  for (int i = 0; i < nfds; i++) close(fds[i]);
  char *args[] = {"proc-pipeline", "filter", (char *)mode, NULL};
  execv("/proc/self/exe", args);
  _exit(98);
}

static size_t read_all(int fd, char *buf, size_t cap) {
  size_t got = 0;
  ssize_t n;
  while (got < cap - 1 && (n = read(fd, buf + got, cap - 1 - got)) > 0) got += (size_t)n;
  buf[got] = 0;
  return got;
}

int main(int argc, char **argv) {
  if (argc > 2 && !strcmp(argv[1], "filter")) return filter_main(argv[2]);
  if (argc > 1 && !strcmp(argv[1], "report")) return report_main();
  setvbuf(stdout, NULL, _IOLBF, 0);
  signal(SIGPIPE, SIG_DFL);

  // 1. input | upper | number | count | output: three processes, four pipes.
  int in[2], a[2], b[2], out[2];
  if (pipe(in) || pipe(a) || pipe(b) || pipe(out)) return 1;
  int all[8] = {in[0], in[1], a[0], a[1], b[0], b[1], out[0], out[1]};
  pid_t p1 = start("upper", in[0], a[1], all, 8);
  pid_t p2 = start("number", a[0], b[1], all, 8);
  pid_t p3 = start("count", b[0], out[1], all, 8);
  for (int i = 0; i < 8; i++)
    if (all[i] != in[1] && all[i] != out[0]) close(all[i]);
  const char text[] = "the quick brown fox\njumps over\nthe lazy dog\n";
  if (write(in[1], text, sizeof text - 1) != (ssize_t)(sizeof text - 1)) return 1;
  close(in[1]); // end of input: each filter sees EOF once the one before it exits
  static char buf[8192];
  size_t got = read_all(out[0], buf, sizeof buf);
  close(out[0]);
  int st1, st2, st3;
  pid_t w3 = waitpid(p3, &st3, 0), w1 = waitpid(p1, &st1, 0), w2 = waitpid(p2, &st2, 0);
  printf("pipeline output (%zu bytes):\n%s", got, buf);
  report("upper", st1);
  report("number", st2);
  report("count", st3);
  printf("each wait returned its child: %s\n", w1 == p1 && w2 == p2 && w3 == p3 ? "yes" : "no");
  errno = 0;
  printf("then no children: %d %s\n", (int)waitpid(-1, NULL, WNOHANG), strerror(errno));

  // 2. yes | first: the reader quits after one line, the writer dies of SIGPIPE.
  if (pipe(a) || pipe(out)) return 1;
  int two[4] = {a[0], a[1], out[0], out[1]};
  p1 = start("yes", 0, a[1], two, 4);
  p2 = start("first", a[0], out[1], two, 4);
  close(a[0]);
  close(a[1]);
  close(out[1]);
  got = read_all(out[0], buf, sizeof buf);
  close(out[0]);
  waitpid(p1, &st1, 0);
  waitpid(p2, &st2, 0);
  printf("%s", buf);
  report("yes", st1);
  report("first", st2);

  // 3. posix_spawn: stdin from a file (addopen), stdout to a file (addopen), stderr to the
  // same (adddup2), an inherited descriptor closed (addclose); SIGUSR1 blocked in the child
  // only (SETSIGMASK), SIGUSR2 back to default (SETSIGDEF) while SIGTERM stays ignored, a
  // process group of its own (SETPGROUP, group 0).
  int fd = open("spawn-in.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  if (fd < 0 || write(fd, "from the file\n", 14) != 14) return 1;
  close(fd);
  int keep = open(".", O_RDONLY), drop = open(".", O_RDONLY); // no O_CLOEXEC: inherited unless closed
  if (dup2(keep, 5) != 5 || dup2(drop, 6) != 6) return 1;
  close(keep);
  close(drop);
  signal(SIGUSR2, SIG_IGN);
  signal(SIGTERM, SIG_IGN);
  sigset_t mask, def;
  sigemptyset(&mask);
  sigaddset(&mask, SIGUSR1);
  sigemptyset(&def);
  sigaddset(&def, SIGUSR2);
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t at;
  posix_spawn_file_actions_init(&fa);
  printf("addopen stdin: %d\n", posix_spawn_file_actions_addopen(&fa, 0, "spawn-in.txt", O_RDONLY, 0));
  printf("addopen stdout: %d\n", posix_spawn_file_actions_addopen(&fa, 1, "spawn-out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644));
  printf("adddup2 1 to 2: %d\n", posix_spawn_file_actions_adddup2(&fa, 1, 2));
  printf("addclose 6: %d\n", posix_spawn_file_actions_addclose(&fa, 6));
  printf("addclose -1: %s\n", strerror(posix_spawn_file_actions_addclose(&fa, -1)));
  posix_spawnattr_init(&at);
  posix_spawnattr_setsigmask(&at, &mask);
  posix_spawnattr_setsigdefault(&at, &def);
  posix_spawnattr_setpgroup(&at, 0);
  printf("setflags: %d\n", posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP));
  char *args[] = {"proc-pipeline", "report", NULL};
  pid_t pid;
  int r = posix_spawn(&pid, "/proc/self/exe", &fa, &at, args, environ);
  int st;
  waitpid(pid, &st, 0);
  printf("posix_spawn: %d\n", r);
  report("spawned child", st);
  fd = open("spawn-out.txt", O_RDONLY);
  got = fd >= 0 ? read_all(fd, buf, sizeof buf) : 0;
  close(fd);
  printf("spawn-out.txt (%zu bytes):\n%s", got, buf);
  sigset_t now;
  sigprocmask(SIG_SETMASK, NULL, &now);
  printf("parent: SIGUSR1 blocked %s, SIGUSR2 %s, fd 6 still open %s\n", sigismember(&now, SIGUSR1) ? "yes" : "no", disposition(SIGUSR2),
         fcntl(6, F_GETFD) >= 0 ? "yes" : "no");
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&at);

  // 4. posix_spawn with a pipe: the write end onto stdout (adddup2), both ends closed.
  if (pipe(a)) return 1;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, a[1], 1);
  posix_spawn_file_actions_addclose(&fa, a[0]);
  posix_spawn_file_actions_addclose(&fa, a[1]);
  posix_spawn_file_actions_addopen(&fa, 0, "spawn-in.txt", O_RDONLY, 0);
  char *upper[] = {"proc-pipeline", "filter", "upper", NULL};
  r = posix_spawn(&pid, "/proc/self/exe", &fa, NULL, upper, environ);
  close(a[1]);
  got = read_all(a[0], buf, sizeof buf);
  close(a[0]);
  waitpid(pid, &st, 0);
  printf("posix_spawn into a pipe: %d, read \"%.*s\"\n", r, got > 0 ? (int)got - 1 : 0, buf);
  report("spawned filter", st);
  posix_spawn_file_actions_destroy(&fa);
  unlink("spawn-in.txt");
  unlink("spawn-out.txt");
  close(5);
  close(6);
  signal(SIGUSR2, SIG_DFL);
  signal(SIGTERM, SIG_DFL);

  // 5. system and popen: checked against Linux's answer for the namespace each side sees
  // (see the header); only whether they agree is printed.
  int have_sh = access("/bin/sh", X_OK) == 0;
  errno = 0;
  st = system("exit 7");
  int system_ok;
  if (have_sh) system_ok = st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 7;
#ifdef __GLIBC__
  // glibc (stdlib/system.c do_system): a failed posix_spawn of the shell is "as if the shell
  // had terminated using _exit(127)", W_EXITCODE(127, 0).
  else system_ok = st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 127;
  // system(NULL) runs "exit 0" and says whether that worked; musl answers 1 always.
  system_ok = system_ok && system(NULL) == have_sh;
#else
  // musl (src/process/system.c): no child to wait for, so -1, errno the posix_spawn error.
  else system_ok = st == -1 && errno == ENOENT;
#endif
  printf("system: status as Linux gives it %s: %s\n", "with or without /bin/sh", system_ok ? "yes" : "no");
  FILE *f = popen("echo popen-line; exit 3", "r");
  int popen_ok;
  if (have_sh) {
    char line[64] = {0};
    popen_ok = f != NULL && fgets(line, sizeof line, f) != NULL && !strcmp(line, "popen-line\n");
    st = f ? pclose(f) : -1;
    popen_ok = popen_ok && WIFEXITED(st) && WEXITSTATUS(st) == 3;
  } else {
    popen_ok = f == NULL; // the exec of the shell failed inside posix_spawn
    if (f) pclose(f);
  }
  printf("popen/pclose: result as Linux gives it %s: %s\n", "with or without /bin/sh", popen_ok ? "yes" : "no");
  errno = 0;
  printf("no children left: %d %s\n", (int)waitpid(-1, NULL, WNOHANG), strerror(errno));
  return 0;
}
