// Interval timers (setitimer/getitimer, alarm): a periodic ITIMER_REAL waited for with
// sigsuspend under a blocked SIGALRM (exactly one handler per sigsuspend), a one-shot one
// ending pause() and nanosleep() with EINTR, a periodic one whose SIGALRM stays blocked (it
// is re-armed only when the signal is taken), ITIMER_VIRTUAL and ITIMER_PROF over busy
// loops (each handler disarms its timer at the third signal), old values and errors.
// Only what does not depend on elapsed time is printed: counts of signals, intervals,
// whole seconds, return values and errnos.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alrm, vt, prof;
static const struct itimerval zero;

static void on_alrm(int sig) { (void)sig; alrm++; }
static void on_vtalrm(int sig) {
  (void)sig;
  if (++vt == 3) setitimer(ITIMER_VIRTUAL, &zero, NULL);
}
static void on_prof(int sig) {
  (void)sig;
  if (++prof == 3) setitimer(ITIMER_PROF, &zero, NULL);
}

static void handle(int sig, void (*fn)(int)) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = fn; // no SA_RESTART
  sigaction(sig, &sa, NULL);
}

static void show(const char *what, const struct itimerval *v) {
  printf("%s: interval %ld.%06ld value.sec %ld\n", what, (long)v->it_interval.tv_sec, (long)v->it_interval.tv_usec, (long)v->it_value.tv_sec);
}

int main(void) {
  struct itimerval v, old;
  sigset_t alrm_set, orig;
  sigemptyset(&alrm_set);
  sigaddset(&alrm_set, SIGALRM);
  handle(SIGALRM, on_alrm);

  // A periodic ITIMER_REAL, every signal taken inside sigsuspend.
  sigprocmask(SIG_BLOCK, &alrm_set, &orig);
  v = (struct itimerval){{0, 20000}, {0, 20000}};
  printf("setitimer REAL: %d\n", setitimer(ITIMER_REAL, &v, &old));
  show("old REAL", &old);
  while (alrm < 3) sigsuspend(&orig);
  setitimer(ITIMER_REAL, &zero, &old);
  show("REAL while running", &old);
  signal(SIGALRM, SIG_IGN); // drop one that came in between, if any
  handle(SIGALRM, on_alrm);
  sigprocmask(SIG_SETMASK, &orig, NULL);
  printf("SIGALRM after sigsuspend: %d\n", (int)alrm);

  // A one-shot timer ends pause().
  v = (struct itimerval){{0, 0}, {0, 50000}};
  setitimer(ITIMER_REAL, &v, NULL);
  int r = pause();
  printf("pause: %d %s, SIGALRM %d\n", r, strerror(errno), (int)alrm);
  getitimer(ITIMER_REAL, &old);
  show("REAL after one shot", &old);
  printf("value.usec %ld\n", (long)old.it_value.tv_usec);

  // ... and nanosleep(), with the time left.
  v = (struct itimerval){{0, 0}, {0, 10000}};
  setitimer(ITIMER_REAL, &v, NULL);
  struct timespec req = {2, 0}, rem = {0, 0};
  r = nanosleep(&req, &rem);
  printf("nanosleep: %d %s, rem.sec %ld, SIGALRM %d\n", r, strerror(errno), (long)rem.tv_sec, (int)alrm);

  // A blocked SIGALRM: the periodic timer fires once and waits to be re-armed until the
  // signal is taken (then it has most of its 1 s interval left: long enough not to expire
  // again before getitimer looks, even on a loaded host under qemu).
  sigprocmask(SIG_BLOCK, &alrm_set, NULL);
  v = (struct itimerval){{1, 0}, {0, 1000}};
  setitimer(ITIMER_REAL, &v, NULL);
  req = (struct timespec){0, 20000000};
  nanosleep(&req, NULL);
  getitimer(ITIMER_REAL, &old);
  show("REAL blocked, fired", &old);
  printf("value.usec %ld\n", (long)old.it_value.tv_usec);
  siginfo_t si;
  printf("sigwaitinfo: %d si_code %d\n", sigwaitinfo(&alrm_set, &si), si.si_code);
  getitimer(ITIMER_REAL, &old);
  printf("re-armed: %d\n", old.it_value.tv_sec > 0 || old.it_value.tv_usec > 0);
  setitimer(ITIMER_REAL, &zero, NULL);
  signal(SIGALRM, SIG_IGN);
  handle(SIGALRM, on_alrm);
  sigprocmask(SIG_SETMASK, &orig, NULL);

  // alarm() is setitimer(ITIMER_REAL) in the C library: the old value in whole seconds.
  printf("alarm(100): %u\n", alarm(100));
  printf("alarm(0): %u\n", alarm(0));

  // CPU-time timers over busy loops.
  handle(SIGVTALRM, on_vtalrm);
  handle(SIGPROF, on_prof);
  v = (struct itimerval){{0, 1000}, {0, 1000}};
  setitimer(ITIMER_VIRTUAL, &v, &old);
  show("old VIRTUAL", &old);
  volatile unsigned long spin = 0;
  while (vt < 3) spin++;
  getitimer(ITIMER_VIRTUAL, &old);
  show("VIRTUAL after 3", &old);
  setitimer(ITIMER_PROF, &v, NULL);
  while (prof < 3) spin++;
  getitimer(ITIMER_PROF, &old);
  show("PROF after 3", &old);
  printf("SIGVTALRM %d SIGPROF %d\n", (int)vt, (int)prof);

  // Old values: the interval exactly, the whole seconds of what is left.
  v = (struct itimerval){{0, 250000}, {5, 0}};
  setitimer(ITIMER_VIRTUAL, &v, NULL);
  setitimer(ITIMER_VIRTUAL, &zero, &old);
  show("VIRTUAL old", &old);
  setitimer(ITIMER_PROF, &v, NULL);
  setitimer(ITIMER_PROF, &zero, &old);
  show("PROF old", &old);
  v = (struct itimerval){{7, 0}, {100, 0}};
  setitimer(ITIMER_REAL, &v, NULL);
  setitimer(ITIMER_REAL, NULL, &old); // NULL disarms
  show("REAL old", &old);

  // Errors: a bad `which`, a bad tv_usec, a bad pointer.
  v = (struct itimerval){{0, 0}, {0, 1000000}};
  errno = 0;
  printf("usec 1000000: %d %s\n", setitimer(ITIMER_REAL, &v, NULL), strerror(errno));
  v = (struct itimerval){{0, 0}, {0, 0}};
  errno = 0;
  printf("which 3: %d %s\n", (int)syscall(SYS_setitimer, 3, &v, NULL), strerror(errno));
  errno = 0;
  printf("getitimer which -1: %d %s\n", (int)syscall(SYS_getitimer, -1, &old), strerror(errno));
  errno = 0;
  printf("bad value pointer: %d %s\n", (int)syscall(SYS_setitimer, ITIMER_REAL, (void *)16, NULL), strerror(errno));
  return 0;
}
