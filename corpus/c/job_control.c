// Job control between processes: a child stopped by SIGSTOP (sent by its parent, and raised by
// itself) and SIGTSTP, seen by waitpid(WUNTRACED) and waitid(WSTOPPED), continued by SIGCONT
// (seen with WCONTINUED), SIGCHLD with CLD_STOPPED / CLD_CONTINUED, and SIGKILL of a
// stopped child. Output never depends on pids or timing: the
// parent prints only what its waits report.
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stopped_seen, continued_seen, exited_seen;

static void on_chld(int sig, siginfo_t *si, void *uc) {
  (void)sig, (void)uc;
  if (si->si_code == CLD_STOPPED) stopped_seen++;
  else if (si->si_code == CLD_CONTINUED) continued_seen++;
  else if (si->si_code == CLD_EXITED) exited_seen++;
}

static const char *describe(int st, char *buf, size_t n) {
  if (WIFEXITED(st)) snprintf(buf, n, "exited %d", WEXITSTATUS(st));
  else if (WIFSIGNALED(st)) snprintf(buf, n, "killed by %s", strsignal(WTERMSIG(st)));
  else if (WIFSTOPPED(st)) snprintf(buf, n, "stopped by %s", strsignal(WSTOPSIG(st)));
  else if (WIFCONTINUED(st)) snprintf(buf, n, "continued");
  else snprintf(buf, n, "status 0x%x", st);
  return buf;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  char buf[64];
  int st;
  struct sigaction sa = {0};
  sa.sa_sigaction = on_chld;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigaction(SIGCHLD, &sa, NULL);

  // 1. A child that waits on a pipe: stopped, continued, then it exits.
  int p[2];
  if (pipe(p) != 0) return 1;
  pid_t pid = fork();
  if (pid == 0) {
    char c;
    close(p[1]);
    ssize_t n = read(p[0], &c, 1);
    _exit(n == 1 ? 3 : 4);
  }
  close(p[0]);
  kill(pid, SIGSTOP);
  pid_t got = waitpid(pid, &st, WUNTRACED);
  printf("after SIGSTOP: %s (the child: %s)\n", describe(st, buf, sizeof buf), got == pid ? "yes" : "no");
  printf("WNOHANG|WUNTRACED again: %d (reported once)\n", (int)waitpid(pid, &st, WNOHANG | WUNTRACED));
  // Each SIGCHLD is taken before the next event is caused: two pending SIGCHLDs merge into
  // one (a standard signal is queued once). Linux delivers each on the way back from waitpid,
  // so these loops never run there or on zerosys; qemu-user may take a host signal later
  // (another host thread can receive it), and its two SIGCHLDs would then merge.
  while (stopped_seen == 0) sched_yield();
  kill(pid, SIGCONT);
  got = waitpid(pid, &st, WCONTINUED);
  printf("after SIGCONT: %s\n", describe(st, buf, sizeof buf));
  while (continued_seen == 0) sched_yield();
  if (write(p[1], "x", 1) != 1) return 1;
  close(p[1]);
  got = waitpid(pid, &st, 0);
  while (exited_seen == 0) sched_yield();
  printf("then: %s; SIGCHLD: %d stopped, %d continued, %d exited\n", describe(st, buf, sizeof buf), (int)stopped_seen, (int)continued_seen, (int)exited_seen);

  // 2. A child that stops itself (raise SIGSTOP), seen by waitid(WSTOPPED). Once continued it
  // waits on a pipe: had it exited at once, its exit could come before the parent's
  // waitid(WCONTINUED) on a real kernel, which then no longer reports the continue.
  int q[2];
  if (pipe(q) != 0) return 1;
  pid = fork();
  if (pid == 0) {
    char c;
    close(q[1]);
    raise(SIGSTOP);
    ssize_t n = read(q[0], &c, 1);
    _exit(n == 1 ? 5 : 6);
  }
  close(q[0]);
  siginfo_t si = {0};
  int r = waitid(P_PID, pid, &si, WSTOPPED);
  printf("waitid WSTOPPED: %d, si_code %s, si_status %s\n", r, si.si_code == CLD_STOPPED ? "CLD_STOPPED" : "other", strsignal(si.si_status));
  kill(pid, SIGCONT);
  memset(&si, 0, sizeof si);
  r = waitid(P_PID, pid, &si, WCONTINUED);
  printf("waitid WCONTINUED: %d, si_code %s, si_status %s\n", r, si.si_code == CLD_CONTINUED ? "CLD_CONTINUED" : "other", strsignal(si.si_status));
  if (write(q[1], "x", 1) != 1) return 1;
  close(q[1]);
  waitpid(pid, &st, 0);
  printf("then: %s\n", describe(st, buf, sizeof buf));

  // 3. SA_NOCLDSTOP: no SIGCHLD for a stop; SIGKILL ends a stopped child.
  sa.sa_flags |= SA_NOCLDSTOP;
  sigaction(SIGCHLD, &sa, NULL);
  stopped_seen = continued_seen = exited_seen = 0;
  pid = fork();
  if (pid == 0) {
    raise(SIGTSTP);
    _exit(6);
  }
  waitpid(pid, &st, WUNTRACED);
  printf("after SIGTSTP: %s\n", describe(st, buf, sizeof buf));
  kill(pid, SIGKILL);
  waitpid(pid, &st, 0);
  // (How many SIGCHLD the stop sent is not printed: qemu-user 7.2 installs its host handler
  // with SA_SIGINFO and SA_RESTART only (linux-user/signal.c do_sigaction), so the host still
  // reports the stop; Linux, and zerosys, do not under SA_NOCLDSTOP.)
  printf("then: %s\n", describe(st, buf, sizeof buf));
  return 0;
}
