// POSIX timers (timer_create, timer_settime, timer_gettime, timer_getoverrun, timer_delete):
// SIGEV_SIGNAL timers waited for with sigsuspend (one-shot, re-armed each round, so no
// overruns), the siginfo they carry (SI_TIMER, si_value), SIGEV_NONE timers read back, a
// blocked timer signal taken with sigwaitinfo, a CPU-time timer over a busy loop, and
// errors. Only what does not depend on elapsed time is printed: counts, codes, values,
// intervals, whole seconds and errnos.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t hits, code, value, overrun;

static void on_timer(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)uc;
  hits++;
  code = si->si_code;
  value = si->si_value.sival_int;
  overrun = si->si_overrun;
}

static timer_t make(clockid_t clock, int notify, int signo, int val) {
  struct sigevent ev;
  memset(&ev, 0, sizeof ev);
  ev.sigev_notify = notify;
  ev.sigev_signo = signo;
  ev.sigev_value.sival_int = val;
  timer_t t;
  int r = timer_create(clock, &ev, &t);
  printf("timer_create(%d, notify %d): %d\n", (int)clock, notify, r);
  return t;
}

static void show(const char *what, const struct itimerspec *s) {
  printf("%s: interval %ld.%09ld value.sec %ld\n", what, (long)s->it_interval.tv_sec, (long)s->it_interval.tv_nsec, (long)s->it_value.tv_sec);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_timer;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, NULL);
  sigset_t usr1, orig;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  sigprocmask(SIG_BLOCK, &usr1, &orig);

  // One-shot SIGEV_SIGNAL rounds, each signal taken inside sigsuspend.
  timer_t t = make(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, 42);
  struct itimerspec once = {{0, 0}, {0, 5000000}}, cur;
  for (int i = 0; i < 3; i++) {
    timer_settime(t, 0, &once, NULL);
    while (hits == i) sigsuspend(&orig);
  }
  printf("hits %d code %d value %d overrun %d\n", (int)hits, (int)code, (int)value, (int)overrun);
  timer_gettime(t, &cur);
  show("spent one-shot", &cur);
  printf("value.nsec %ld overruns %d\n", (long)cur.it_value.tv_nsec, timer_getoverrun(t));

  // Armed periodic: the interval and whole seconds read back; the old setting on disarming.
  struct itimerspec every = {{2, 500000000}, {30, 0}}, zero = {{0, 0}, {0, 0}};
  printf("settime: %d\n", timer_settime(t, 0, &every, &cur));
  show("old", &cur);
  timer_gettime(t, &cur);
  show("armed", &cur);
  timer_settime(t, 0, &zero, &cur);
  show("old on disarm", &cur);
  timer_gettime(t, &cur);
  show("disarmed", &cur);

  // SIGEV_NONE: no signal; an expired one-shot reads 0, a periodic one keeps its interval.
  timer_t none = make(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0);
  struct itimerspec ms = {{0, 0}, {0, 1000000}};
  timer_settime(none, 0, &ms, NULL);
  struct timespec nap = {0, 5000000};
  nanosleep(&nap, NULL);
  timer_gettime(none, &cur);
  show("SIGEV_NONE expired", &cur);
  printf("value.nsec %ld\n", (long)cur.it_value.tv_nsec);
  struct itimerspec ms_every = {{0, 1000000}, {0, 1000000}};
  timer_settime(none, 0, &ms_every, NULL);
  nanosleep(&nap, NULL);
  timer_gettime(none, &cur);
  show("SIGEV_NONE periodic", &cur);
  sigset_t pending;
  sigpending(&pending);
  printf("SIGUSR1 pending after SIGEV_NONE: %d\n", sigismember(&pending, SIGUSR1));
  timer_delete(none);

  // A blocked timer signal taken with sigwaitinfo. (Not deleted first: Linux 6.1 still
  // delivers the signal of a deleted timer, Linux 6.13 and later drop it, and qemu runs the
  // host's.)
  timer_t blocked = make(CLOCK_REALTIME, SIGEV_SIGNAL, SIGUSR1, 7);
  timer_settime(blocked, 0, &once, NULL);
  siginfo_t si;
  int sig = sigwaitinfo(&usr1, &si);
  printf("sigwaitinfo: %d code %d value %d overrun %d\n", sig, si.si_code, si.si_value.sival_int, si.si_overrun);
  printf("delete: %d\n", timer_delete(blocked));

  // A CPU-time timer over a busy loop, delivered to the handler.
  sigprocmask(SIG_SETMASK, &orig, NULL);
  timer_t cpu = make(CLOCK_PROCESS_CPUTIME_ID, SIGEV_SIGNAL, SIGUSR1, 9);
  struct itimerspec cpu_ms = {{0, 0}, {0, 2000000}};
  hits = 0;
  timer_settime(cpu, 0, &cpu_ms, NULL);
  volatile unsigned long spin = 0;
  while (hits == 0) spin++;
  printf("cpu timer: hits %d code %d value %d\n", (int)hits, (int)code, (int)value);
  timer_delete(cpu);

  // Errors.
  timer_t bad;
  errno = 0;
  printf("CLOCK_SGI_CYCLE: %d %s\n", timer_create(10, NULL, &bad), strerror(errno));
  errno = 0;
  printf("CLOCK_MONOTONIC_RAW: %d %s\n", timer_create(CLOCK_MONOTONIC_RAW, NULL, &bad), strerror(errno));
  struct sigevent ev;
  memset(&ev, 0, sizeof ev);
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = 0;
  errno = 0;
  printf("signal 0: %d %s\n", timer_create(CLOCK_MONOTONIC, &ev, &bad), strerror(errno));
  errno = 0;
  printf("settime NULL: %d %s\n", timer_settime(t, 0, NULL, NULL), strerror(errno));
  struct itimerspec badns = {{0, 0}, {0, 1000000000}};
  errno = 0;
  printf("settime 1e9 ns: %d %s\n", timer_settime(t, 0, &badns, NULL), strerror(errno));
  printf("delete: %d\n", timer_delete(t));
  return 0;
}
