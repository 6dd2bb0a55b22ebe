// timerfd: one-shot and periodic timers, relative and absolute, on CLOCK_MONOTONIC,
// CLOCK_REALTIME and CLOCK_BOOTTIME, waited for with poll, epoll and blocking reads; the
// expiration counts read returns; timerfd_gettime and the old setting timerfd_settime
// reports; the errors; and statfs/fstatfs of what a timerfd lives on.
// Nothing printed depends on how fast the machine is: waits are for the timer itself
// (poll without a timeout, blocking reads), a time left is printed as a range far from its
// ends, and counts are of intervals that passed long before (an absolute start 10.5
// intervals of a second in the past counts 11, however long the calls take).
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

static void check(const char *what, long r) {
  if (r < 0) printf("%-44s -> -1 %s\n", what, strerrorname_np(errno));
  else printf("%-44s -> %ld\n", what, r);
}

static void show_ticks(const char *what, int fd) {
  uint64_t n = 0;
  long r = read(fd, &n, sizeof n);
  if (r < 0) printf("%-44s -> -1 %s\n", what, strerrorname_np(errno));
  else printf("%-44s -> %ld, %llu expiration(s)\n", what, r, (unsigned long long)n);
}

/** The setting: the interval exactly; of the time left, whether it lies in [lo, hi] ns. */
static void show_setting(const char *what, const struct itimerspec *t, long long lo, long long hi) {
  long long left = (long long)t->it_value.tv_sec * 1000000000LL + t->it_value.tv_nsec;
  printf("  %s: interval %lld.%09ld, left in [%lld, %lld] ns: %s\n", what, (long long)t->it_interval.tv_sec, t->it_interval.tv_nsec, lo, hi,
         left >= lo && left <= hi ? "yes" : "no");
}

static struct itimerspec spec(long isec, long insec, long vsec, long vnsec) {
  struct itimerspec t = {{isec, insec}, {vsec, vnsec}};
  return t;
}

int main(void) {
  struct itimerspec cur, old;

  // A one-shot relative timer, waited for with poll.
  int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
  check("timerfd_create MONOTONIC", fd);
  check("gettime of a new timer", timerfd_gettime(fd, &cur));
  show_setting("new", &cur, 0, 0);
  struct itimerspec t = spec(0, 0, 0, 2000000);
  check("settime 2 ms", timerfd_settime(fd, 0, &t, &old));
  show_setting("old", &old, 0, 0);
  check("gettime", timerfd_gettime(fd, &cur));
  show_setting("armed", &cur, 1, 2000000);
  struct pollfd p = {fd, POLLIN, 0};
  check("poll without a timeout", poll(&p, 1, -1));
  printf("  revents %#x\n", p.revents);
  show_ticks("read", fd);
  p.revents = 0;
  check("poll after the read (0 ms)", poll(&p, 1, 0));
  printf("  revents %#x\n", p.revents);
  check("gettime after it expired", timerfd_gettime(fd, &cur));
  show_setting("expired", &cur, 0, 0);
  uint32_t small;
  check("read of 4 bytes", read(fd, &small, sizeof small));

  // A periodic timer: the first expiry after 1 ms, then every second.
  t = spec(1, 0, 0, 1000000);
  check("settime 1 ms, then every 1 s", timerfd_settime(fd, 0, &t, NULL));
  show_ticks("blocking read", fd);
  check("gettime", timerfd_gettime(fd, &cur));
  show_setting("periodic", &cur, 100000000, 1000000000);
  t = spec(0, 0, 0, 0);
  check("settime 0 (disarm)", timerfd_settime(fd, 0, &t, &old));
  show_setting("old", &old, 100000000, 1000000000);
  check("gettime", timerfd_gettime(fd, &cur));
  show_setting("disarmed", &cur, 0, 0);

  // Absolute CLOCK_REALTIME, 10.5 periods of 1 s in the past: 11 expirations at once.
  int rt = timerfd_create(CLOCK_REALTIME, 0);
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  now.tv_sec -= 10;
  now.tv_nsec -= 500000000;
  if (now.tv_nsec < 0) {
    now.tv_nsec += 1000000000;
    now.tv_sec -= 1;
  }
  t = spec(1, 0, now.tv_sec, now.tv_nsec);
  check("settime REALTIME ABSTIME, 10.5 s ago", timerfd_settime(rt, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &t, NULL));
  show_ticks("blocking read", rt);
  check("gettime", timerfd_gettime(rt, &cur));
  show_setting("REALTIME", &cur, 1, 500000000);

  // Absolute CLOCK_MONOTONIC, 50 ms ahead.
  int mono = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  clock_gettime(CLOCK_MONOTONIC, &now);
  now.tv_nsec += 50000000;
  if (now.tv_nsec >= 1000000000) {
    now.tv_nsec -= 1000000000;
    now.tv_sec += 1;
  }
  t = spec(0, 0, now.tv_sec, now.tv_nsec);
  check("settime MONOTONIC ABSTIME, in 50 ms", timerfd_settime(mono, TFD_TIMER_ABSTIME, &t, NULL));
  show_ticks("non-blocking read before it", mono);
  p = (struct pollfd){mono, POLLIN, 0};
  check("poll without a timeout", poll(&p, 1, -1));
  show_ticks("non-blocking read", mono);
  show_ticks("non-blocking read again", mono);

  // epoll over two timers: 1 ms and 300 ms (CLOCK_BOOTTIME); each is reported when it expires.
  int a = timerfd_create(CLOCK_BOOTTIME, TFD_NONBLOCK);
  int b = timerfd_create(CLOCK_BOOTTIME, TFD_NONBLOCK);
  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event e = {EPOLLIN, {.u64 = 1}};
  check("epoll_ctl ADD timer a", epoll_ctl(ep, EPOLL_CTL_ADD, a, &e));
  e = (struct epoll_event){EPOLLIN, {.u64 = 2}};
  check("epoll_ctl ADD timer b", epoll_ctl(ep, EPOLL_CTL_ADD, b, &e));
  struct epoll_event out[4];
  check("epoll_wait, nothing armed (0 ms)", epoll_wait(ep, out, 4, 0));
  t = spec(0, 0, 0, 1000000);
  timerfd_settime(a, 0, &t, NULL);
  t = spec(0, 0, 0, 300000000);
  timerfd_settime(b, 0, &t, NULL);
  int n = epoll_wait(ep, out, 4, -1);
  check("epoll_wait without a timeout", n);
  for (int i = 0; i < n; i++) printf("  data %llu events %#x\n", (unsigned long long)out[i].data.u64, out[i].events);
  show_ticks("read timer a", a);
  check("epoll_wait (0 ms)", epoll_wait(ep, out, 4, 0));
  n = epoll_wait(ep, out, 4, -1);
  check("epoll_wait without a timeout", n);
  for (int i = 0; i < n; i++) printf("  data %llu events %#x\n", (unsigned long long)out[i].data.u64, out[i].events);
  show_ticks("read timer b", b);
  show_ticks("read timer b again", b);

  // Errors.
  check("timerfd_create CLOCK_PROCESS_CPUTIME_ID", timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0));
  check("timerfd_create bad flags", timerfd_create(CLOCK_MONOTONIC, TFD_TIMER_ABSTIME));
  t = spec(0, 0, 1, 0);
  check("settime bad flags", timerfd_settime(mono, 4, &t, NULL));
  t = spec(0, 0, 0, 1000000000);
  check("settime tv_nsec of a second", timerfd_settime(mono, 0, &t, NULL));
  t = spec(0, 0, 1, 0);
  check("settime on epoll fd", timerfd_settime(ep, 0, &t, NULL));
  check("settime on closed fd", timerfd_settime(77, 0, &t, NULL));
  check("gettime on closed fd", timerfd_gettime(77, &cur));
  check("gettime on stdout", timerfd_gettime(1, &cur));

  // What a timerfd lives on, and /proc.
  struct statfs s;
  check("fstatfs of a timerfd", fstatfs(fd, &s));
  printf("  f_type %#lx f_bsize %ld f_namelen %ld f_blocks %llu\n", (unsigned long)s.f_type, (long)s.f_bsize, (long)s.f_namelen, (unsigned long long)s.f_blocks);
  check("statfs /proc", statfs("/proc", &s));
  printf("  f_type %#lx f_bsize %ld f_namelen %ld f_files %llu\n", (unsigned long)s.f_type, (long)s.f_bsize, (long)s.f_namelen, (unsigned long long)s.f_files);
  check("statfs of a missing path", statfs("no/such/dir", &s));

  check("close", close(fd));
  return 0;
}
