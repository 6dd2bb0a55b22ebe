// Processes, the parts fork_wait.c and job_control.c leave out: a SIGCHLD handler
// (SA_SIGINFO) that reaps with waitpid(WNOHANG) in a loop and counts its children; kill to a
// process group (kill(-pgid), killpg, ESRCH once the group is gone); daemon() (fork, setsid,
// chdir("/"), stdio onto /dev/null) reporting through a pipe opened before; a fork bomb
// bounded by RLIMIT_NPROC, which Linux ignores for root (kernel/fork.c copy_process: the
// check is skipped for INIT_USER and for CAP_SYS_RESOURCE/CAP_SYS_ADMIN), so a child first
// becomes an unprivileged user; and fork in a multithreaded program (only the calling
// thread goes on in the child; a mutex another thread held stays held there;
// pthread_atfork handlers in their order). Output never depends on pids, timing or which
// process runs first: the parent prints only after it has waited for the children it talks
// about, or what they sent through a pipe it read to the end.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char *what, int st) {
  if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st)) printf("%s: killed by %s\n", what, strsignal(WTERMSIG(st)));
  else printf("%s: status 0x%x\n", what, st);
}

static size_t read_all(int fd, char *buf, size_t cap) {
  size_t got = 0;
  ssize_t n;
  while (got < cap - 1 && (n = read(fd, buf + got, cap - 1 - got)) > 0) got += (size_t)n;
  buf[got] = 0;
  return got;
}

// --- 1. SIGCHLD: the handler reaps -------------------------------------------------------
static volatile sig_atomic_t reaped, status_sum, calls, bad_info;

static void on_chld(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  int saved = errno, st;
  calls++;
  if (sig != SIGCHLD || si->si_signo != SIGCHLD || si->si_code != CLD_EXITED) bad_info++;
  while (waitpid(-1, &st, WNOHANG) > 0) {
    reaped++;
    status_sum += WEXITSTATUS(st);
  }
  errno = saved;
}

static void sigchld_section(void) {
  struct sigaction sa = {0};
  sa.sa_sigaction = on_chld;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGCHLD, &sa, NULL);
  sigset_t chld, old;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, &old);
  int go[2];
  if (pipe(go)) exit(1);
  for (int i = 1; i <= 5; i++) {
    if (fork() == 0) {
      char c;
      close(go[1]);
      (void)read(go[0], &c, 1); // EOF: the parent closed its end
      _exit(i * 10);
    }
  }
  close(go[0]);
  close(go[1]); // all five go at once: their SIGCHLDs may merge into fewer calls
  while (reaped < 5) sigsuspend(&old);
  sigprocmask(SIG_SETMASK, &old, NULL);
  printf("SIGCHLD handler reaped %d children, exit codes summing to %d\n", (int)reaped, (int)status_sum);
  printf("handler calls between 1 and 5: %s; siginfo CLD_EXITED each time: %s\n", calls >= 1 && calls <= 5 ? "yes" : "no", bad_info ? "no" : "yes");
  errno = 0;
  printf("after the handler: waitpid %d %s\n", (int)waitpid(-1, NULL, WNOHANG), strerror(errno));
  signal(SIGCHLD, SIG_DFL);
}

// --- 2. kill(-pgid) ----------------------------------------------------------------------
static int caught_pipe = -1;
static void on_term(int sig) {
  (void)sig;
  if (write(caught_pipe, "caught SIGTERM\n", 15) != 15) _exit(1);
  _exit(30);
}

static void pgroup_section(void) {
  int ready[2], said[2];
  if (pipe(ready) || pipe(said)) exit(1);
  pid_t kids[3], pgid = 0;
  for (int i = 0; i < 3; i++) {
    pid_t pid = fork();
    if (pid == 0) {
      setpgid(0, pgid); // the first makes the group, the others join it (the parent does too: no race)
      close(ready[0]);
      close(said[0]);
      if (i == 2) {
        caught_pipe = said[1];
        signal(SIGTERM, on_term);
      }
      if (write(ready[1], "r", 1) != 1) _exit(9);
      for (;;) pause();
    }
    if (i == 0) pgid = pid;
    setpgid(pid, pgid);
    kids[i] = pid;
  }
  close(ready[1]);
  close(said[1]);
  char buf[256];
  int n = 0;
  while (n < 3 && read(ready[0], buf, 1) == 1) n++; // every child is in the group, its handler set
  close(ready[0]);
  printf("children ready: %d; all in the first child's group: %s; ours differs: %s\n", n,
         getpgid(kids[0]) == pgid && getpgid(kids[1]) == pgid && getpgid(kids[2]) == pgid ? "yes" : "no", getpgrp() != pgid ? "yes" : "no");
  printf("kill(-pgid, 0): %d\n", kill(-pgid, 0));
  printf("kill(-pgid, SIGTERM): %d\n", kill(-pgid, SIGTERM));
  int st;
  for (int i = 0; i < 3; i++) {
    waitpid(kids[i], &st, 0);
    char what[32];
    snprintf(what, sizeof what, "group member %d", i + 1);
    report(what, st);
  }
  read_all(said[0], buf, sizeof buf);
  close(said[0]);
  printf("the member with a handler said: %s", buf);
  errno = 0;
  printf("kill(-pgid) once the group is gone: %d %s\n", kill(-pgid, SIGTERM), strerror(errno));
  errno = 0;
  printf("killpg of it: %d %s\n", killpg(pgid, 0), strerror(errno));

  // killpg from inside: a child leads a group of itself and two grandchildren and signals
  // its own group with kill(0, SIGUSR1); each member reports through the pipe.
  if (pipe(said)) exit(1);
  pid_t leader = fork();
  if (leader == 0) {
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    setpgid(0, 0);
    close(said[0]);
    pid_t g[2];
    for (int i = 0; i < 2; i++) {
      g[i] = fork();
      if (g[i] == 0) {
        int sig;
        sigwait(&usr1, &sig);
        _exit(sig == SIGUSR1 ? 0 : 1);
      }
    }
    int sig, ok = 1, st2;
    kill(0, SIGUSR1);
    sigwait(&usr1, &sig); // the leader is in its group too
    for (int i = 0; i < 2; i++) ok &= waitpid(g[i], &st2, 0) == g[i] && WIFEXITED(st2) && WEXITSTATUS(st2) == 0;
    char msg[80];
    int len = snprintf(msg, sizeof msg, "kill(0, SIGUSR1) reached the leader: %s, both grandchildren: %s\n", sig == SIGUSR1 ? "yes" : "no", ok ? "yes" : "no");
    if (write(said[1], msg, (size_t)len) != len) _exit(9);
    _exit(0);
  }
  close(said[1]);
  read_all(said[0], buf, sizeof buf);
  close(said[0]);
  waitpid(leader, &st, 0);
  printf("%s", buf);
  report("group leader", st);
}

// --- 3. daemon() -------------------------------------------------------------------------
static void daemon_section(void) {
  int p[2];
  if (pipe(p)) exit(1);
  pid_t our_sid = getsid(0);
  pid_t caller = fork();
  if (caller == 0) {
    close(p[0]);
    pid_t me = getpid();
    if (daemon(0, 0) != 0) _exit(9); // the caller's process exits (0) inside daemon()
    for (int i = 0; i < 10000 && getppid() == me; i++) usleep(1000); // until the caller has exited
    char msg[512], cwd[256] = "?";
    struct stat s[3];
    int devnull = 1;
    for (int i = 0; i < 3; i++)
      devnull &= fstat(i, &s[i]) == 0 && S_ISCHR(s[i].st_mode) && major(s[i].st_rdev) == 1 && minor(s[i].st_rdev) == 3;
    if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "?");
    int len = snprintf(msg, sizeof msg,
                       "daemon: a new session %s, session leader %s, group is the session %s\n"
                       "daemon: not the process that called daemon() %s, its parent gone %s\n"
                       "daemon: cwd %s, stdin/stdout/stderr on /dev/null %s, the pipe still open %s\n",
                       getsid(0) != our_sid ? "yes" : "no", getsid(0) == getpid() ? "yes" : "no", getpgrp() == getsid(0) ? "yes" : "no",
                       getpid() != me ? "yes" : "no", getppid() != me ? "yes" : "no", cwd, devnull ? "yes" : "no", fcntl(p[1], F_GETFD) >= 0 ? "yes" : "no");
    if (write(p[1], msg, (size_t)len) != len) _exit(9);
    _exit(0);
  }
  close(p[1]);
  int st;
  waitpid(caller, &st, 0);
  report("daemon() caller", st);
  char buf[1024];
  read_all(p[0], buf, sizeof buf); // EOF once the daemon has exited
  close(p[0]);
  printf("%s", buf);
}

// --- 4. RLIMIT_NPROC ---------------------------------------------------------------------
#define NPROC_LIMIT 4
#define MAX_FORKS 12

static void *idle(void *arg) { return arg; }

// Fork until fork fails (at most MAX_FORKS); kill and reap them. Returns how many succeeded.
static int fork_until_failure(int *err) {
  pid_t kids[MAX_FORKS];
  int n = 0;
  *err = 0;
  for (; n < MAX_FORKS; n++) {
    pid_t pid = fork();
    if (pid < 0) {
      *err = errno;
      break;
    }
    if (pid == 0) {
      for (;;) pause();
    }
    kids[n] = pid;
  }
  for (int i = 0; i < n; i++) {
    kill(kids[i], SIGKILL);
    waitpid(kids[i], NULL, 0);
  }
  return n;
}

static void nproc_section(void) {
  // As root (the guest's user, and the reference's): the limit does not apply.
  int p[2];
  if (pipe(p)) exit(1);
  pid_t pid = fork();
  if (pid == 0) {
    struct rlimit rl = {1, 1};
    int r = setrlimit(RLIMIT_NPROC, &rl), err;
    int n = fork_until_failure(&err);
    char msg[128];
    int len = snprintf(msg, sizeof msg, "root with RLIMIT_NPROC 1: setrlimit %d, %d forks of %d succeeded\n", r, n, MAX_FORKS);
    if (write(p[1], msg, (size_t)len) != len) _exit(9);
    _exit(0);
  }
  close(p[1]);
  char buf[512];
  read_all(p[0], buf, sizeof buf);
  close(p[0]);
  waitpid(pid, NULL, 0);
  printf("%s", buf);

  // As an unprivileged user: fork fails with EAGAIN once the user has NPROC_LIMIT tasks.
  // How many forks succeed is not printed: under qemu-riscv64 each guest process is a host
  // process with a thread of qemu's own (its RCU thread, util/rcu.c), which counts against
  // the host user's limit too, and a forked qemu that cannot start it aborts (its messages
  // go to stdout and stderr, which this child points at /dev/null). Linux counts one task per
  // single-threaded process: NPROC_LIMIT - 1 forks succeed (kernel/process/nproc.test.ts).
  if (pipe(p)) exit(1);
  pid = fork();
  if (pid == 0) {
    close(p[0]);
    setpgid(0, 0); // a group of its own, for the kill(0, SIGKILL) at the end
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    // An id of our own (host pid based under qemu, where parallel runs share the host's count).
    uid_t uid = 40000 + (uid_t)(getpid() % 20000);
    int g = setgid(uid), u = setuid(uid);
    struct rlimit rl = {NPROC_LIMIT, NPROC_LIMIT};
    int r = setrlimit(RLIMIT_NPROC, &rl), err;
    int n = fork_until_failure(&err);
    char msg[256];
    int len = snprintf(msg, sizeof msg, "unprivileged: setgid %d, setuid %d, setrlimit %d; fork failed with %s after between 1 and %d forks: %s\n", g, u, r,
                       err == EAGAIN ? "EAGAIN" : strerror(err), NPROC_LIMIT - 1, n >= 1 && n <= NPROC_LIMIT - 1 ? "yes" : "no");
    if (write(p[1], msg, (size_t)len) != len) _exit(9);
    // At the limit a thread is refused too: a thread is a task of the user's.
    for (int i = 0; i < NPROC_LIMIT - 1; i++)
      if (fork() == 0) {
        for (;;) pause();
      }
    pthread_t t;
    int tr = pthread_create(&t, NULL, idle, NULL);
    len = snprintf(msg, sizeof msg, "unprivileged, at the limit: pthread_create %s\n", tr == EAGAIN ? "EAGAIN" : tr == 0 ? "succeeded" : strerror(tr));
    if (write(p[1], msg, (size_t)len) != len) _exit(9);
    if (tr == 0) pthread_join(t, NULL);
    kill(0, SIGKILL); // the children are in our process group (and so are we)
    _exit(0);
  }
  close(p[1]);
  read_all(p[0], buf, sizeof buf);
  close(p[0]);
  int st;
  waitpid(pid, &st, 0);
  printf("%s", buf);
  report("the unprivileged forker", st);
}

// --- 5. fork in a multithreaded program --------------------------------------------------
static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;     // held by a thread at the fork
static pthread_mutex_t guarded = PTHREAD_MUTEX_INITIALIZER;  // taken around the fork by pthread_atfork
static int release[2], locked[2];
static char order[64];
static volatile int written_by_thread;
static volatile pid_t holder_tid;

static void note(const char *s) { strcat(order, s); }
static void prepare1(void) { note("prepare1 "); }
static void prepare2(void) {
  note("prepare2 ");
  pthread_mutex_lock(&guarded);
}
static void parent1(void) { note("parent1 "); }
static void parent2(void) {
  note("parent2 ");
  pthread_mutex_unlock(&guarded);
}
static void child1(void) { note("child1 "); }
static void child2(void) {
  note("child2 ");
  pthread_mutex_unlock(&guarded);
}

static void *holder(void *arg) {
  (void)arg;
  pthread_mutex_lock(&held);
  holder_tid = (pid_t)gettid();
  written_by_thread = 77;
  char c = 'l';
  if (write(locked[1], &c, 1) != 1) exit(1);
  (void)read(release[0], &c, 1); // holds the mutex until the main thread lets go
  pthread_mutex_unlock(&held);
  return NULL;
}

// Whether /proc/self/task lists the thread tid.
static int listed(pid_t tid) {
  DIR *d = opendir("/proc/self/task");
  int found = 0;
  struct dirent *e;
  if (!d) return -1;
  while ((e = readdir(d)))
    if (e->d_name[0] != '.' && atoi(e->d_name) == tid) found = 1;
  closedir(d);
  return found;
}

static pid_t forked_from_thread;
static int child_report[2];

// The child's side: what it sees, through the pipe; `gone` is a thread that did not come along.
static void child_facts(const char *who, pid_t gone, int new_thread) {
  char msg[512];
  // (How many entries /proc/self/task has is not printed: under qemu-riscv64 the host's list
  // shows qemu's own RCU thread besides the guest's, see
  // qemu deviation proc-self-task-lists-qemu-threads. Looked at before a thread starts here.)
  int self_listed = listed((pid_t)gettid()), gone_listed = listed(gone), holder_listed = listed(holder_tid);
  int r1 = pthread_mutex_trylock(&held), r2 = pthread_mutex_trylock(&guarded);
  const char *tres = "not tried";
  if (new_thread) {
    pthread_t t;
    int tc = pthread_create(&t, NULL, idle, NULL);
    if (tc == 0) pthread_join(t, NULL);
    tres = tc == 0 ? "started and joined" : strerror(tc);
  }
  int len = snprintf(msg, sizeof msg,
                     "%s child: /proc/self/task lists the forking thread: %s, the threads that did not fork: %s\n"
                     "%s child: its thread id is its pid: %s; memory the thread wrote: %d\n"
                     "%s child: trylock of the mutex the other thread held: %s; of the one pthread_atfork guards: %s\n"
                     "%s child: a new thread: %s; atfork order: %s\n",
                     who, self_listed == 1 ? "yes" : "no", gone_listed == 0 && holder_listed == 0 ? "none" : "some", who, (pid_t)gettid() == getpid() ? "yes" : "no", written_by_thread, who,
                     r1 == EBUSY ? "EBUSY" : r1 == 0 ? "0" : strerror(r1), r2 == EBUSY ? "EBUSY" : r2 == 0 ? "0" : strerror(r2), who, tres, order);
  if (write(child_report[1], msg, (size_t)len) != len) _exit(9);
  _exit(0);
}

static void *forker(void *arg) {
  (void)arg;
  order[0] = 0;
  pid_t pid = fork();
  if (pid == 0) child_facts("from a second thread:", getppid(), 1); // gone: the parent's main thread (tid = its pid)
  forked_from_thread = pid;
  return NULL;
}

static void threads_section(void) {
  if (pipe(release) || pipe(locked) || pipe(child_report)) exit(1);
  pthread_atfork(prepare1, parent1, child1);
  pthread_atfork(prepare2, parent2, child2);
  pthread_t t;
  pthread_create(&t, NULL, holder, NULL);
  char c;
  if (read(locked[0], &c, 1) != 1) exit(1); // the thread holds `held` now
  order[0] = 0;
  pid_t pid = fork();
  if (pid == 0) {
    close(child_report[0]);
    // No new thread in this child: qemu-riscv64 7.2 would abort, see
    // qemu deviation clone-thread-after-fork-vcpu-index (the thread that did not come along
    // left its vCPU index registered, and the new thread is given that same index).
    // The child of the second thread below starts one.
    child_facts("main thread's", holder_tid, 0);
  }
  printf("parent: atfork order: %s\n", order);
  int st;
  waitpid(pid, &st, 0);
  report("main thread's child", st);

  // fork from a thread that is not the main one: the child's one thread is that thread.
  pthread_t f;
  pthread_create(&f, NULL, forker, NULL);
  pthread_join(f, NULL);
  waitpid(forked_from_thread, &st, 0);
  report("second thread's child", st);
  close(child_report[1]);
  char buf[2048];
  read_all(child_report[0], buf, sizeof buf);
  close(child_report[0]);
  printf("%s", buf);

  if (write(release[1], "u", 1) != 1) exit(1);
  pthread_join(t, NULL);
  printf("parent: trylock after the thread let go: %d\n", pthread_mutex_trylock(&held));
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  sigchld_section();
  pgroup_section();
  daemon_section();
  nproc_section();
  threads_section();
  errno = 0;
  printf("no children left: %d %s\n", (int)waitpid(-1, NULL, WNOHANG), strerror(errno));
  return 0;
}
