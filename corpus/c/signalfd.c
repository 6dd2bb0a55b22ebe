// signalfd: SIGUSR1, SIGUSR2, two real-time signals and SIGALRM blocked and read from a
// signalfd instead of being delivered: sent with kill (SI_USER), raise (tgkill/tkill:
// SI_TKILL), sigqueue (SI_QUEUE with its int), a POSIX timer (SI_TIMER with sigev_value) and
// ITIMER_REAL (SI_KERNEL); waited for with poll, epoll and blocking reads; several records in
// one read, the thread's own signal before the process's, lowest number first; the mask
// updated in place; a blocking read ended by a handler's signal (EINTR); and the errors.
// Printed: only what does not depend on the host (signo, code, the int sent; of pid and uid
// only whether they are the caller's, since under qemu they are the host's).
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

static void check(const char *what, long r) {
  if (r < 0) printf("%-44s -> -1 %s\n", what, strerrorname_np(errno));
  else printf("%-44s -> %ld\n", what, r);
}

static const char *code_name(int code) {
  switch (code) {
    case SI_USER: return "SI_USER";
    case SI_KERNEL: return "SI_KERNEL";
    case SI_QUEUE: return "SI_QUEUE";
    case SI_TIMER: return "SI_TIMER";
    case SI_TKILL: return "SI_TKILL";
    default: return "other";
  }
}

static const char *sig_name(int sig) {
  static char buf[16];
  if (sig == SIGUSR1) return "SIGUSR1";
  if (sig == SIGUSR2) return "SIGUSR2";
  if (sig == SIGALRM) return "SIGALRM";
  if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
    snprintf(buf, sizeof buf, "SIGRTMIN+%d", sig - SIGRTMIN);
    return buf;
  }
  snprintf(buf, sizeof buf, "signal %d", sig);
  return buf;
}

/** read(fd) into room for `room` records; print the count and each record's stable fields. */
static void show_read(const char *what, int fd, int room) {
  struct signalfd_siginfo si[8];
  memset(si, 0xaa, sizeof si);
  long r = read(fd, si, room * sizeof si[0]);
  check(what, r);
  if (r <= 0) return;
  for (long i = 0; i < r / (long)sizeof si[0]; i++) {
    struct signalfd_siginfo *s = &si[i];
    printf("  %s %s errno %d", sig_name(s->ssi_signo), code_name(s->ssi_code), s->ssi_errno);
    if (s->ssi_code == SI_USER || s->ssi_code == SI_TKILL || s->ssi_code == SI_QUEUE)
      printf(" pid-is-self %s uid-is-self %s", s->ssi_pid == (unsigned)getpid() ? "yes" : "no", s->ssi_uid == (unsigned)getuid() ? "yes" : "no");
    if (s->ssi_code == SI_QUEUE || s->ssi_code == SI_TIMER) printf(" int %d ptr %#llx", s->ssi_int, (unsigned long long)s->ssi_ptr);
    if (s->ssi_code == SI_TIMER) printf(" overrun %u", s->ssi_overrun);
    printf(" fd %d status %d addr %#llx\n", s->ssi_fd, s->ssi_status, (unsigned long long)s->ssi_addr);
  }
}

static int readable(int fd) {
  struct pollfd p = {fd, POLLIN | POLLOUT, 0};
  int n = poll(&p, 1, 0);
  return n < 0 ? -1 : p.revents;
}

static volatile sig_atomic_t handled;
static void on_signal(int sig) {
  handled = sig;
}

int main(void) {
  sigset_t mask, pending;
  sigemptyset(&mask);
  sigaddset(&mask, SIGUSR1);
  sigaddset(&mask, SIGUSR2);
  sigaddset(&mask, SIGRTMIN);
  sigaddset(&mask, SIGRTMIN + 1);
  sigaddset(&mask, SIGALRM);
  check("sigprocmask SIG_BLOCK", sigprocmask(SIG_BLOCK, &mask, NULL));

  int fd = signalfd(-1, &mask, SFD_CLOEXEC);
  check("signalfd", fd);
  printf("  FD_CLOEXEC %d, O_NONBLOCK %d\n", fcntl(fd, F_GETFD) & FD_CLOEXEC, !!(fcntl(fd, F_GETFL) & O_NONBLOCK));
  printf("  poll with nothing pending: revents %#x\n", readable(fd));

  // kill: process-directed, SI_USER.
  check("kill SIGUSR1", kill(getpid(), SIGUSR1));
  sigpending(&pending);
  printf("  SIGUSR1 pending %d\n", sigismember(&pending, SIGUSR1));
  printf("  poll: revents %#x\n", readable(fd));
  show_read("read (room for 1)", fd, 1);
  sigpending(&pending);
  printf("  SIGUSR1 pending after the read %d\n", sigismember(&pending, SIGUSR1));
  printf("  poll after the read: revents %#x\n", readable(fd));

  // The thread's own signal (raise: SI_TKILL) before the process's, whatever the numbers.
  check("kill SIGUSR1", kill(getpid(), SIGUSR1));
  check("raise SIGUSR2", raise(SIGUSR2));
  show_read("read (room for 4)", fd, 4);

  // Real-time signals queue every instance, in order; lower numbers first.
  union sigval v;
  memset(&v, 0, sizeof v); // sival_int fills only half of sival_ptr, which the record shows too
  v.sival_int = 42;
  check("sigqueue SIGRTMIN+1, 42", sigqueue(getpid(), SIGRTMIN + 1, v));
  v.sival_int = 43;
  check("sigqueue SIGRTMIN+1, 43", sigqueue(getpid(), SIGRTMIN + 1, v));
  v.sival_int = -7;
  check("sigqueue SIGRTMIN, -7", sigqueue(getpid(), SIGRTMIN, v));
  show_read("read (room for 2)", fd, 2);
  show_read("read (room for 8)", fd, 8);

  // A buffer too small for a record; non-blocking reads.
  check("kill SIGUSR2", kill(getpid(), SIGUSR2));
  char small[100];
  check("read of 100 bytes", read(fd, small, sizeof small));
  check("fcntl F_SETFL O_NONBLOCK", fcntl(fd, F_SETFL, O_NONBLOCK));
  show_read("non-blocking read", fd, 1);
  show_read("non-blocking read again", fd, 1);
  check("fcntl F_SETFL 0", fcntl(fd, F_SETFL, 0));

  // The mask updated in place: only SIGUSR2 now.
  sigset_t only2;
  sigemptyset(&only2);
  sigaddset(&only2, SIGUSR2);
  sigaddset(&only2, SIGKILL); // dropped silently
  check("signalfd(fd, {SIGUSR2, SIGKILL})", signalfd(fd, &only2, 0));
  check("kill SIGUSR1", kill(getpid(), SIGUSR1));
  printf("  poll: revents %#x\n", readable(fd));
  check("kill SIGUSR2", kill(getpid(), SIGUSR2));
  printf("  poll: revents %#x\n", readable(fd));
  show_read("read (room for 4)", fd, 4);
  check("signalfd(fd, the first mask)", signalfd(fd, &mask, 0));
  show_read("read (room for 4): the SIGUSR1 left pending", fd, 4);

  // epoll.
  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event e = {EPOLLIN, {.u64 = 7}};
  check("epoll_ctl ADD the signalfd", epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e));
  struct epoll_event out[4];
  check("epoll_wait, nothing pending (0 ms)", epoll_wait(ep, out, 4, 0));
  check("raise SIGUSR1", raise(SIGUSR1));
  int n = epoll_wait(ep, out, 4, -1);
  check("epoll_wait without a timeout", n);
  for (int i = 0; i < n; i++) printf("  data %llu events %#x\n", (unsigned long long)out[i].data.u64, out[i].events);
  show_read("read (room for 1)", fd, 1);
  check("epoll_wait after the read (0 ms)", epoll_wait(ep, out, 4, 0));

  // A POSIX timer's signal: SI_TIMER with the sigev_value, read by a blocking read.
  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = SIGRTMIN;
  sev.sigev_value.sival_int = 77;
  timer_t timer;
  check("timer_create SIGEV_SIGNAL SIGRTMIN", timer_create(CLOCK_MONOTONIC, &sev, &timer));
  struct itimerspec its = {{0, 0}, {0, 2000000}};
  check("timer_settime 2 ms", timer_settime(timer, 0, &its, NULL));
  show_read("blocking read", fd, 1);
  check("timer_delete", timer_delete(timer));

  // ITIMER_REAL: SIGALRM (SI_KERNEL) wakes a blocking read.
  struct itimerval itv = {{0, 0}, {0, 3000}};
  check("setitimer ITIMER_REAL 3 ms", setitimer(ITIMER_REAL, &itv, NULL));
  show_read("blocking read", fd, 2);

  // A signal with a handler (not in the mask, not blocked) ends a blocking read: EINTR.
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  check("sigaction SIGVTALRM", sigaction(SIGVTALRM, &sa, NULL));
  sigset_t prof;
  sigemptyset(&prof);
  sigaddset(&prof, SIGUSR1);
  check("signalfd(fd, {SIGUSR1})", signalfd(fd, &prof, 0));
  struct sigevent sev2;
  memset(&sev2, 0, sizeof sev2);
  sev2.sigev_notify = SIGEV_SIGNAL;
  sev2.sigev_signo = SIGVTALRM;
  timer_t t2;
  check("timer_create SIGEV_SIGNAL SIGVTALRM", timer_create(CLOCK_MONOTONIC, &sev2, &t2));
  its = (struct itimerspec){{0, 0}, {0, 2000000}};
  check("timer_settime 2 ms", timer_settime(t2, 0, &its, NULL));
  show_read("blocking read", fd, 1);
  printf("  handler ran for %s\n", handled == SIGVTALRM ? "SIGVTALRM" : "nothing");

  // epoll_wait is never restarted after a handler (ep_poll returns -EINTR), SA_RESTART or
  // not. The timer is periodic so that a wait qemu restarts (a signal that came just before
  // the host call) would still end; every 200 ms, so that under qemu (host time) it does not
  // fire again, or overrun, before it is disarmed.
  sa.sa_flags = SA_RESTART;
  check("sigaction SIGVTALRM, SA_RESTART", sigaction(SIGVTALRM, &sa, NULL));
  handled = 0;
  int ep2 = epoll_create1(0);
  its = (struct itimerspec){{0, 200000000}, {0, 2000000}};
  check("timer_settime 2 ms, every 200 ms", timer_settime(t2, 0, &its, NULL));
  check("epoll_wait with nothing to wait for", epoll_wait(ep2, out, 4, -1));
  its = (struct itimerspec){{0, 0}, {0, 0}};
  check("timer_settime 0 (disarm)", timer_settime(t2, 0, &its, NULL));
  printf("  handler ran for %s\n", handled == SIGVTALRM ? "SIGVTALRM" : "nothing");

  // Errors.
  check("signalfd bad flags", signalfd(-1, &mask, 1));
  check("signalfd on stdout", signalfd(1, &mask, 0));
  check("signalfd on the epoll fd", signalfd(ep, &mask, 0));
  check("signalfd on a closed fd", signalfd(77, &mask, 0));
  check("signalfd4 with an unreadable mask", syscall(SYS_signalfd4, -1, (void *)8, 8, 0));
  check("signalfd4 with -2", syscall(SYS_signalfd4, -2, &mask, 8, 0));

  check("close", close(fd));
  return 0;
}
