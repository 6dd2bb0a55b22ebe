// Scheduling and thread-identity calls: gettid in threads, sched_yield, priorities,
// policy queries, affinity containing CPU 0, raw futex operations (EAGAIN, ETIMEDOUT,
// wake counts, requeue, WAKE_OP), clone3's ENOSYS, and a thread leaving through the raw
// exit syscall while the process goes on.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long futex(int *uaddr, int op, int val, const struct timespec *t, int *uaddr2, int val3) {
  return syscall(SYS_futex, uaddr, op, val, t, uaddr2, val3);
}
#define E(x) ((x) < 0 ? strerrorname_np(errno) : "ok")

static pid_t tids[4];
static void *who(void *arg) {
  tids[(intptr_t)arg] = gettid();
  return NULL;
}

static int word = 1;
static volatile int woken;
static void *waiter(void *arg) {
  (void)arg;
  long r = futex(&word, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0);
  __atomic_add_fetch(&woken, r == 0, __ATOMIC_SEQ_CST);
  return NULL;
}

static volatile int raw_exit_ran;
static int raw_exit_thread(void *arg) {
  (void)arg;
  raw_exit_ran = 1;
  syscall(SYS_exit, 0); // only this thread ends
  return 0;
}

int main(void) {
  pid_t pid = getpid();
  printf("main: gettid == getpid %d\n", gettid() == pid);
  pthread_t t[4];
  for (intptr_t i = 0; i < 4; i++) pthread_create(&t[i], NULL, who, (void *)i);
  for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
  int distinct = 1;
  for (int i = 0; i < 4; i++) {
    if (tids[i] == pid || tids[i] <= 0) distinct = 0;
    for (int j = 0; j < i; j++)
      if (tids[i] == tids[j]) distinct = 0;
  }
  printf("threads: distinct tids, none the pid %d\n", distinct);

  printf("sched_yield: %d\n", sched_yield());
  printf("setpriority(5): %d, getpriority: %d\n", setpriority(PRIO_PROCESS, 0, 5), getpriority(PRIO_PROCESS, 0));
  printf("setpriority(40) clamps: %d, getpriority: %d\n", setpriority(PRIO_PROCESS, 0, 40), getpriority(PRIO_PROCESS, 0));
  errno = 0;
  printf("getpriority(bad which): %d %s\n", getpriority(7, 0), strerrorname_np(errno));
  printf("sched_getscheduler: %d (SCHED_OTHER %d)\n", sched_getscheduler(0), SCHED_OTHER);
  struct sched_param sp = {.sched_priority = 7};
  printf("sched_getparam: %d priority %d\n", sched_getparam(0, &sp), sp.sched_priority);
  printf("priority range FIFO %d..%d OTHER %d..%d\n", sched_get_priority_min(SCHED_FIFO), sched_get_priority_max(SCHED_FIFO),
         sched_get_priority_min(SCHED_OTHER), sched_get_priority_max(SCHED_OTHER));
  printf("sched_get_priority_max(99): %d %s\n", sched_get_priority_max(99), strerrorname_np(errno));
  printf("sched_getscheduler(-1): %d %s\n", sched_getscheduler(-1), strerrorname_np(errno));

  cpu_set_t set;
  int r0;
  CPU_ZERO(&set);
  CPU_SET(0, &set);
  printf("sched_setaffinity(CPU 0): %d\n", sched_setaffinity(0, sizeof set, &set));
  CPU_ZERO(&set);
  printf("sched_getaffinity: %d, CPU 0 in the mask %d\n", sched_getaffinity(0, sizeof set, &set), CPU_ISSET(0, &set));
  errno = 0;
  CPU_ZERO(&set);
  r0 = sched_setaffinity(0, sizeof set, &set);
  printf("sched_setaffinity(empty): %d %s\n", r0, strerrorname_np(errno));

  int w = 5;
  long r = futex(&w, FUTEX_WAIT_PRIVATE, 4, NULL, NULL, 0);
  printf("FUTEX_WAIT on a changed word: %ld %s\n", r, E(r));
  r = futex(&w, FUTEX_WAIT_PRIVATE, 5, &(struct timespec){0, 10000000}, NULL, 0);
  printf("FUTEX_WAIT with a 10ms timeout: %ld %s\n", r, E(r));
  r = futex(&w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
  printf("FUTEX_WAKE nobody: %ld\n", r);
  r = futex((int *)((char *)&w + 1), FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
  printf("FUTEX_WAKE unaligned: %ld %s\n", r, E(r));

  pthread_t ws[3];
  for (int i = 0; i < 3; i++) pthread_create(&ws[i], NULL, waiter, NULL);
  // Move the waiters to `other` as they fall asleep, until all three are there.
  int other = 0;
  for (long moved = 0; moved < 3;) {
    moved += futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)0x7fffffff, &other, 1);
    if (moved < 3) usleep(1000);
  }
  printf("three waiters requeued\n");
  r = futex(&other, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
  printf("FUTEX_WAKE 1: %ld\n", r);
  r = futex(&other, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &word, 0);
  printf("FUTEX_CMP_REQUEUE wake 1 move 1: %ld\n", r);
  r = futex(&other, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &word, 5);
  printf("FUTEX_CMP_REQUEUE with a stale value: %ld %s\n", r, E(r));
  int op = FUTEX_OP(FUTEX_OP_ADD, 10, FUTEX_OP_CMP_EQ, 1);
  r = futex(&other, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &word, op);
  printf("FUTEX_WAKE_OP: %ld, word now %d\n", r, word);
  for (int i = 0; i < 3; i++) pthread_join(ws[i], NULL);
  printf("waiters returned 0: %d\n", woken);

  errno = 0;
  printf("clone3: %ld %s\n", syscall(435, NULL, 0), strerrorname_np(errno));

  static char stack[65536] __attribute__((aligned(16)));
  int ctid = 0;
  pid_t tid = clone(raw_exit_thread, stack + sizeof stack, CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | CLONE_CHILD_CLEARTID | CLONE_PARENT_SETTID, NULL, &ctid, NULL, &ctid);
  while (__atomic_load_n(&ctid, __ATOMIC_SEQ_CST) != 0) futex(&ctid, FUTEX_WAIT, tid, NULL, NULL, 0);
  printf("raw clone thread ran %d, exited alone, clear_child_tid zeroed\n", raw_exit_ran);
  return 0;
}
