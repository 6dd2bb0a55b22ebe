// Clocks: which ids exist, their resolutions, monotonicity and agreement between
// clock_gettime, gettimeofday, time, times and getrusage. Only what holds on any Linux is
// printed (never the time itself), so the output is the same under qemu and zerosys.
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

static int64_t ns(struct timespec t) { return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec; }

static volatile uint64_t sink;
static void work(int n) {
  for (int i = 0; i < n; i++) sink = sink * 6364136223846793005ULL + i;
}

int main(void) {
  const char *names[] = {"REALTIME", "MONOTONIC", "PROCESS_CPUTIME_ID", "THREAD_CPUTIME_ID", "MONOTONIC_RAW", "REALTIME_COARSE",
                         "MONOTONIC_COARSE", "BOOTTIME", "REALTIME_ALARM", "BOOTTIME_ALARM", "SGI_CYCLE", "TAI", "12"};
  for (int id = 0; id <= 12; id++) {
    struct timespec t = {0, 0}, r = {-1, -1};
    errno = 0;
    int g = syscall(SYS_clock_gettime, id, &t);
    int ge = errno;
    errno = 0;
    int rr = syscall(SYS_clock_getres, id, &r);
    printf("%-18s gettime=%d%s%s getres=%d%s%s res=%ld.%09ld valid=%d\n", names[id], g, g ? " " : "", g ? strerrorname_np(ge) : "", rr,
           rr ? " " : "", rr ? strerrorname_np(errno) : "", rr ? 0L : (long)r.tv_sec, rr ? 0L : r.tv_nsec,
           g == 0 && t.tv_nsec >= 0 && t.tv_nsec < 1000000000 && t.tv_sec >= 0);
  }
  printf("getres(NULL)=%d\n", (int)syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL));

  // Monotonic clocks never go back; CPU time grows with work.
  struct timespec a, b, c0, c1, raw0, raw1;
  clock_gettime(CLOCK_MONOTONIC, &a);
  clock_gettime(CLOCK_MONOTONIC_RAW, &raw0);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
  work(2000000);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
  clock_gettime(CLOCK_MONOTONIC_RAW, &raw1);
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("monotonic advanced=%d raw advanced=%d cpu advanced=%d\n", ns(b) > ns(a), ns(raw1) > ns(raw0), ns(c1) > ns(c0));

  int back = 0;
  struct timespec prev, cur;
  clock_gettime(CLOCK_MONOTONIC, &prev);
  for (int i = 0; i < 1000; i++) {
    clock_gettime(CLOCK_MONOTONIC, &cur);
    back |= ns(cur) < ns(prev);
    prev = cur;
  }
  printf("1000 monotonic reads never went back=%d\n", !back);

  // Coarse clocks lag, never lead.
  struct timespec co, fi, mco, mfi;
  clock_gettime(CLOCK_REALTIME_COARSE, &co);
  clock_gettime(CLOCK_REALTIME, &fi);
  clock_gettime(CLOCK_MONOTONIC_COARSE, &mco);
  clock_gettime(CLOCK_MONOTONIC, &mfi);
  printf("coarse <= fine: realtime=%d monotonic=%d\n", ns(co) <= ns(fi), ns(mco) <= ns(mfi));

  // gettimeofday and time() agree with CLOCK_REALTIME (time() reads the coarse clock: it may lag a tick).
  struct timespec r0, r1;
  struct timeval tv;
  struct timezone tz = {99, 99};
  clock_gettime(CLOCK_REALTIME, &r0);
  int gt = gettimeofday(&tv, &tz);
  time_t now = time(NULL);
  clock_gettime(CLOCK_REALTIME, &r1);
  int64_t us = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
  printf("gettimeofday=%d between=%d usec<1e6=%d tz=%d,%d time() between=%d\n", gt, ns(r0) / 1000 <= us && us <= ns(r1) / 1000,
         tv.tv_usec >= 0 && tv.tv_usec < 1000000, tz.tz_minuteswest, tz.tz_dsttime, r0.tv_sec - 1 <= now && now <= r1.tv_sec);
  printf("gettimeofday syscall (NULL, NULL)=%d\n", (int)syscall(SYS_gettimeofday, NULL, NULL));

  // times() and getrusage: ticks go forward, no children.
  struct tms t0, t1;
  clock_t k0 = times(&t0);
  work(2000000);
  clock_t k1 = times(&t1);
  printf("times: ticks non-decreasing=%d utime non-decreasing=%d children=%ld,%ld clk_tck=%ld\n", k1 >= k0, t1.tms_utime >= t0.tms_utime,
         (long)t1.tms_cutime, (long)t1.tms_cstime, sysconf(_SC_CLK_TCK));
  struct rusage self, children, thread;
  int r_self = getrusage(RUSAGE_SELF, &self);
  int r_child = getrusage(RUSAGE_CHILDREN, &children);
  int r_thr = getrusage(RUSAGE_THREAD, &thread);
  errno = 0;
  int r_bad = getrusage(5, &self);
  printf("getrusage: self=%d children=%d thread=%d bad=%d %s\n", r_self, r_child, r_thr, r_bad, strerrorname_np(errno));
  printf("rusage: usec<1e6=%d maxrss>0=%d children utime=%ld.%06ld maxrss=%ld\n", self.ru_utime.tv_usec < 1000000, self.ru_maxrss > 0,
         (long)children.ru_utime.tv_sec, (long)children.ru_utime.tv_usec, children.ru_maxrss);

  // Bad pointers.
  errno = 0;
  int f1 = syscall(SYS_clock_gettime, CLOCK_REALTIME, (void *)8);
  printf("clock_gettime(bad pointer)=%d %s\n", f1, strerrorname_np(errno));
  errno = 0;
  int f2 = syscall(SYS_gettimeofday, (void *)8, NULL);
  printf("gettimeofday(bad pointer)=%d %s\n", f2, strerrorname_np(errno));
  return 0;
}
