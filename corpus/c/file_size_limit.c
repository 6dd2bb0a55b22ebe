// RLIMIT_FSIZE, as Linux 6.1 enforces it on regular files: a write crossing the limit is
// shortened to end at it, one starting at or past it sends SIGXFSZ to the writer and fails
// with EFBIG (fs/read_write.c generic_write_check_limits()); truncate, ftruncate and
// fallocate growing a file past it likewise (fs/attr.c inode_newsize_ok()); copy_file_range
// is cut at it (generic_copy_file_checks()); pipes and /dev/null are not limited. The limit
// is inherited by a forked child, which dies of SIGXFSZ at its default action (core: the
// core-dump bit of the status is not printed, it depends on the host's core_pattern under
// qemu-riscv64). Output never depends on pids or time.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t caught;
static volatile int last_code, last_from_self;

static void on_xfsz(int sig, siginfo_t *si, void *ctx) {
  (void)sig;
  (void)ctx;
  caught++;
  last_code = si->si_code;
  last_from_self = si->si_pid == getpid();
}

static char buf[4096];

static void result(const char *what, ssize_t r) {
  if (r < 0) printf("%s: -1 %s, SIGXFSZ caught %d\n", what, strerror(errno), (int)caught);
  else printf("%s: %zd, SIGXFSZ caught %d\n", what, r, (int)caught);
}

static long long size_of(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  memset(buf, 'x', sizeof buf);

  // A source for copy_file_range, written before the limit is set.
  int src = open("fsl-src.tmp", O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (src < 0 || write(src, buf, 3000) != 3000) return 1;

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_xfsz;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGXFSZ, &sa, NULL);

  struct rlimit rl = {1000, RLIM_INFINITY};
  if (setrlimit(RLIMIT_FSIZE, &rl) != 0) return 2;
  getrlimit(RLIMIT_FSIZE, &rl);
  printf("RLIMIT_FSIZE soft %llu, hard %s\n", (unsigned long long)rl.rlim_cur, rl.rlim_max == RLIM_INFINITY ? "unlimited" : "finite");

  int fd = open("fsl.tmp", O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return 3;
  errno = 0;
  result("write 600 at 0", write(fd, buf, 600));
  result("write 600 at 600 (crosses the limit)", write(fd, buf, 600));
  result("write 1 at the limit", write(fd, buf, 1));
  printf("handler: si_code %s, from this process %s\n", last_code == SI_USER ? "SI_USER" : "other", last_from_self ? "yes" : "no");
  result("write 0 at the limit", write(fd, buf, 0));
  printf("size %lld\n", size_of("fsl.tmp"));
  result("pwrite 10 at 995", pwrite(fd, buf, 10, 995));
  result("pwrite 10 at 2000", pwrite(fd, buf, 10, 2000));
  struct iovec iov[2] = {{buf, 300}, {buf, 300}};
  lseek(fd, 800, SEEK_SET);
  result("writev 600 at 800", writev(fd, iov, 2));
  int app = open("fsl.tmp", O_WRONLY | O_APPEND);
  result("O_APPEND write 1 at the end", write(app, buf, 1));
  close(app);

  result("ftruncate to the limit", ftruncate(fd, 1000));
  result("ftruncate past the limit", ftruncate(fd, 1001));
  result("truncate past the limit", truncate("fsl.tmp", 5000));
  result("ftruncate down to 100", ftruncate(fd, 100));
  result("fallocate 0..2000", fallocate(fd, 0, 0, 2000));
  result("fallocate 0..1000", fallocate(fd, 0, 0, 1000));
  printf("size %lld\n", size_of("fsl.tmp"));

  loff_t in = 0, out = 400;
  result("copy_file_range 3000 to 400", copy_file_range(src, &in, fd, &out, 3000, 0));
  in = 0;
  out = 1000;
  result("copy_file_range 3000 to 1000", copy_file_range(src, &in, fd, &out, 3000, 0));

  // Blocked, SIGXFSZ stays pending until unblocked.
  sigset_t set, pend;
  sigemptyset(&set);
  sigaddset(&set, SIGXFSZ);
  sigprocmask(SIG_BLOCK, &set, NULL);
  result("write 1 past the limit, SIGXFSZ blocked", pwrite(fd, buf, 1, 1500));
  sigpending(&pend);
  printf("SIGXFSZ pending: %s\n", sigismember(&pend, SIGXFSZ) ? "yes" : "no");
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  printf("after unblocking: SIGXFSZ caught %d\n", (int)caught);

  // Not regular files: no limit.
  int p[2];
  if (pipe(p) != 0) return 4;
  result("pipe write 2000", write(p[1], buf, 2000));
  close(p[0]);
  close(p[1]);
  int null = open("/dev/null", O_WRONLY);
  result("/dev/null write 2000", write(null, buf, 2000));
  close(null);

  // Ignored: EFBIG alone.
  signal(SIGXFSZ, SIG_IGN);
  result("write 1 past the limit, SIGXFSZ ignored", pwrite(fd, buf, 1, 1000));

  // A forked child inherits the limit; SIGXFSZ at its default action kills it.
  pid_t pid = fork();
  if (pid == 0) {
    signal(SIGXFSZ, SIG_DFL);
    struct rlimit core = {0, 0}, lim;
    setrlimit(RLIMIT_CORE, &core);
    getrlimit(RLIMIT_FSIZE, &lim);
    printf("child: RLIMIT_FSIZE soft %llu\n", (unsigned long long)lim.rlim_cur);
    ssize_t r = pwrite(fd, buf, 1, 1000);
    printf("child: still alive after the write (%zd)\n", r);
    _exit(0);
  }
  int st = 0;
  waitpid(pid, &st, 0);
  printf("child: exited %s, killed by a signal %s, signal %s\n", WIFEXITED(st) ? "yes" : "no", WIFSIGNALED(st) ? "yes" : "no",
         WIFSIGNALED(st) && WTERMSIG(st) == SIGXFSZ ? "SIGXFSZ" : "other");

  close(fd);
  close(src);
  rl.rlim_cur = RLIM_INFINITY;
  setrlimit(RLIMIT_FSIZE, &rl);
  unlink("fsl.tmp");
  unlink("fsl-src.tmp");
  return 0;
}
