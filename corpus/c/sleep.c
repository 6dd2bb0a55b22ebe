// nanosleep and clock_nanosleep: they sleep at least as long as asked (checked against
// CLOCK_MONOTONIC / CLOCK_REALTIME), absolute deadlines in the past return at once, bad
// arguments fail with the errno Linux gives, and a signal from another thread interrupts
// a long sleep with EINTR and the time left. Only booleans and errno names are printed.
// (Not here: nanosleep with an unreadable timespec — Linux says EFAULT, qemu-riscv64 7.2
// EINVAL; kernel/sched tests cover it.)
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long long ns(clockid_t c) {
  struct timespec t;
  clock_gettime(c, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static volatile int usr1;
static void on_usr1(int sig) { (void)sig; usr1++; }

static pthread_t sleeper;
static void *interrupter(void *arg) {
  (void)arg;
  struct timespec d = {0, 50 * 1000000};
  nanosleep(&d, NULL); // let the main thread fall asleep first
  pthread_kill(sleeper, SIGUSR1);
  return NULL;
}

int main(void) {
  long long t0 = ns(CLOCK_MONOTONIC);
  struct timespec d = {0, 30 * 1000000}, rem = {7, 7};
  int r = nanosleep(&d, &rem);
  long long t1 = ns(CLOCK_MONOTONIC);
  printf("nanosleep(30ms): %d, slept >= 30ms %d, rem untouched %d\n", r, t1 - t0 >= 30000000, rem.tv_sec == 7);

  t0 = ns(CLOCK_MONOTONIC);
  r = clock_nanosleep(CLOCK_MONOTONIC, 0, &(struct timespec){0, 20000000}, NULL);
  printf("clock_nanosleep(MONOTONIC, 20ms): %d, slept >= 20ms %d\n", r, ns(CLOCK_MONOTONIC) - t0 >= 20000000);

  struct timespec abs;
  clock_gettime(CLOCK_MONOTONIC, &abs);
  abs.tv_nsec += 25000000;
  if (abs.tv_nsec >= 1000000000) abs.tv_sec++, abs.tv_nsec -= 1000000000;
  r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
  struct timespec after;
  clock_gettime(CLOCK_MONOTONIC, &after);
  printf("clock_nanosleep(MONOTONIC, ABSTIME): %d, woke after the deadline %d\n", r,
         after.tv_sec > abs.tv_sec || (after.tv_sec == abs.tv_sec && after.tv_nsec >= abs.tv_nsec));

  clock_gettime(CLOCK_REALTIME, &abs);
  abs.tv_sec += 0;
  abs.tv_nsec += 10000000;
  if (abs.tv_nsec >= 1000000000) abs.tv_sec++, abs.tv_nsec -= 1000000000;
  r = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &abs, NULL);
  printf("clock_nanosleep(REALTIME, ABSTIME): %d, realtime past the deadline %d\n", r, ns(CLOCK_REALTIME) >= abs.tv_sec * 1000000000LL + abs.tv_nsec);

  t0 = ns(CLOCK_MONOTONIC);
  r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &(struct timespec){0, 0}, NULL);
  printf("absolute deadline in the past: %d, at once %d\n", r, ns(CLOCK_MONOTONIC) - t0 < 1000000000);
  r = nanosleep(&(struct timespec){0, 0}, NULL);
  printf("zero sleep: %d\n", r);

  errno = 0;
  r = nanosleep(&(struct timespec){0, 1000000000}, NULL);
  printf("tv_nsec 1e9: %d %s\n", r, strerrorname_np(errno));
  r = nanosleep(&(struct timespec){-1, 0}, NULL);
  printf("tv_sec -1: %d %s\n", r, strerrorname_np(errno));
  printf("clock_nanosleep(bad clock): %s\n", strerrorname_np(clock_nanosleep(99, 0, &(struct timespec){0, 1}, NULL)));
  printf("clock_nanosleep(THREAD_CPUTIME): %s\n", strerrorname_np(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &(struct timespec){0, 1}, NULL)));
  printf("clock_nanosleep(tv_nsec -1): %s\n", strerrorname_np(clock_nanosleep(CLOCK_MONOTONIC, 0, &(struct timespec){0, -1}, NULL)));

  // A handled signal interrupts a 5 s sleep: EINTR, and rem holds the time left.
  struct sigaction sa = {.sa_handler = on_usr1};
  sigaction(SIGUSR1, &sa, NULL);
  sleeper = pthread_self();
  pthread_t th;
  pthread_create(&th, NULL, interrupter, NULL);
  t0 = ns(CLOCK_MONOTONIC);
  errno = 0;
  r = nanosleep(&(struct timespec){5, 0}, &rem);
  long long slept = ns(CLOCK_MONOTONIC) - t0;
  pthread_join(th, NULL);
  printf("interrupted nanosleep: %d %s, handler ran %d, slept < 5s %d, rem in (4s, 5s) %d\n", r, strerrorname_np(errno), usr1,
         slept < 5000000000LL, rem.tv_sec == 4);

  // sleep() and usleep() go through the same call.
  t0 = ns(CLOCK_MONOTONIC);
  usleep(15000);
  printf("usleep(15000) slept >= 15ms %d\n", ns(CLOCK_MONOTONIC) - t0 >= 15000000);
  printf("sleep(0) = %u\n", sleep(0));
  return 0;
}
