// Priority-inheritance mutexes and the PI futex operations under them (Linux kernel/futex/pi.c):
// PTHREAD_PRIO_INHERIT mutexes contended between threads (FUTEX_LOCK_PI with waiters, the
// handoff on unlock, FIFO among equal priorities), a PI mutex with a condition variable, the
// raw operations (TRYLOCK_PI, LOCK_PI, LOCK_PI2, UNLOCK_PI: EDEADLK, EPERM, ESRCH, ETIMEDOUT,
// chain deadlock detection), and, with glibc, a robust PI mutex whose owner exits holding it
// while another thread waits in the kernel (EOWNERDEAD, pthread_mutex_consistent,
// ENOTRECOVERABLE). Where an order between threads matters, the program waits until the
// waiter is in the kernel (FUTEX_WAITERS in the word) and then some more, so that the
// reference (real threads) sees the same order as the deterministic scheduler. Everything
// printed is independent of thread ids and timing.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef FUTEX_LOCK_PI2
#define FUTEX_LOCK_PI2 13
#endif

static long futex(uint32_t *w, int op, const struct timespec *ts) {
  long r = syscall(SYS_futex, w, op, 0, ts, NULL, 0);
  return r < 0 ? -errno : r;
}

static const char *res(long r) { return r < 0 ? strerrorname_np((int)-r) : (r == 0 ? "0" : "?"); }

static pid_t gettid_(void) { return (pid_t)syscall(SYS_gettid); }

static void msleep(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

/** The futex word of a mutex: glibc's __data.__lock (the first int), musl's _m_lock (the second). */
static uint32_t *lock_word(pthread_mutex_t *m) {
#ifdef __GLIBC__
  return (uint32_t *)&m->__data.__lock;
#else
  return (uint32_t *)m + 1;
#endif
}

/** Wait until a waiter has set FUTEX_WAITERS in *w (it is in FUTEX_LOCK_PI), then let it block. */
static void wait_for_waiter(uint32_t *w) {
  while (!(__atomic_load_n(w, __ATOMIC_ACQUIRE) & FUTEX_WAITERS)) sched_yield();
  msleep(30);
}

// ---- contended PTHREAD_PRIO_INHERIT mutex ----------------------------------------------

#define NT 4
#define ITERS 300
static pthread_mutex_t pm;
static long counter;
static int per_thread[NT];

static void *count_worker(void *arg) {
  int id = (int)(intptr_t)arg;
  for (int i = 0; i < ITERS; i++) {
    if (pthread_mutex_lock(&pm) != 0) return (void *)1;
    counter++;
    per_thread[id]++;
    if (i % 7 == 0) sched_yield(); // hold it while others queue up in the kernel
    pthread_mutex_unlock(&pm);
  }
  return NULL;
}

// ---- FIFO handoff ---------------------------------------------------------------------

static pthread_mutex_t om;
static char order[8];
static int norder;

static void *order_worker(void *arg) {
  pthread_mutex_lock(&om);
  order[norder++] = (char)(intptr_t)arg;
  pthread_mutex_unlock(&om);
  return NULL;
}

// ---- PI mutex with a condition variable --------------------------------------------------

#define QCAP 3
static pthread_mutex_t qm;
static pthread_cond_t qcond_nonempty = PTHREAD_COND_INITIALIZER, qcond_nonfull = PTHREAD_COND_INITIALIZER;
static int q[QCAP], qhead, qlen;

static void *producer(void *arg) {
  (void)arg;
  for (int i = 1; i <= 200; i++) {
    pthread_mutex_lock(&qm);
    while (qlen == QCAP) pthread_cond_wait(&qcond_nonfull, &qm);
    q[(qhead + qlen++) % QCAP] = i;
    pthread_cond_signal(&qcond_nonempty);
    pthread_mutex_unlock(&qm);
  }
  return NULL;
}

// ---- raw PI futexes -------------------------------------------------------------------

static uint32_t wa, wb;
static pid_t raw_tid;
static long raw_r1, raw_r2, raw_r3;
static uint32_t raw_seen;

static void *raw_waiter(void *arg) {
  (void)arg;
  raw_tid = gettid_();
  raw_r1 = futex(&wa, FUTEX_LOCK_PI_PRIVATE, NULL); // blocks: main holds it
  raw_seen = wa;
  raw_r2 = futex(&wa, FUTEX_UNLOCK_PI_PRIVATE, NULL);
  return NULL;
}

static void *raw_timeouts(void *arg) {
  (void)arg;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts); // FUTEX_LOCK_PI: absolute CLOCK_REALTIME
  ts.tv_nsec += 20000000;
  if (ts.tv_nsec >= 1000000000) ts.tv_sec++, ts.tv_nsec -= 1000000000;
  raw_r1 = futex(&wa, FUTEX_LOCK_PI_PRIVATE, &ts);
  clock_gettime(CLOCK_MONOTONIC, &ts); // FUTEX_LOCK_PI2: CLOCK_MONOTONIC without FUTEX_CLOCK_REALTIME
  ts.tv_nsec += 20000000;
  if (ts.tv_nsec >= 1000000000) ts.tv_sec++, ts.tv_nsec -= 1000000000;
  raw_r2 = futex(&wa, FUTEX_LOCK_PI2 | FUTEX_PRIVATE_FLAG, &ts);
  raw_r3 = futex(&wa, FUTEX_TRYLOCK_PI_PRIVATE, NULL);
  return NULL;
}

static void *raw_chain(void *arg) {
  (void)arg;
  raw_r1 = futex(&wa, FUTEX_LOCK_PI_PRIVATE, NULL); // takes A
  __atomic_store_n(&raw_seen, 1, __ATOMIC_RELEASE);
  raw_r2 = futex(&wb, FUTEX_LOCK_PI_PRIVATE, NULL); // waits for B (main's)
  futex(&wb, FUTEX_UNLOCK_PI_PRIVATE, NULL);
  futex(&wa, FUTEX_UNLOCK_PI_PRIVATE, NULL);
  return NULL;
}

static void raw_tests(void) {
  pid_t me = gettid_();
  printf("raw: trylock free %s", res(futex(&wa, FUTEX_TRYLOCK_PI_PRIVATE, NULL)));
  printf(", word is my tid %d", (wa & FUTEX_TID_MASK) == (uint32_t)me);
  printf(", lock again %s", res(futex(&wa, FUTEX_LOCK_PI_PRIVATE, NULL)));
  printf(", trylock again %s", res(futex(&wa, FUTEX_TRYLOCK_PI_PRIVATE, NULL)));
  printf(", unlock %s word %#x", res(futex(&wa, FUTEX_UNLOCK_PI_PRIVATE, NULL)), wa);
  printf(", unlock again %s\n", res(futex(&wa, FUTEX_UNLOCK_PI_PRIVATE, NULL)));

  // Handoff: the waiter gets the word with FUTEX_WAITERS kept, and clears it through the kernel.
  pthread_t t;
  futex(&wa, FUTEX_LOCK_PI_PRIVATE, NULL);
  pthread_create(&t, NULL, raw_waiter, NULL);
  wait_for_waiter(&wa);
  printf("raw: waiter queued, word has waiters bit and my tid %d\n", wa == (FUTEX_WAITERS | (uint32_t)me));
  printf("raw: unlock with a waiter %s", res(futex(&wa, FUTEX_UNLOCK_PI_PRIVATE, NULL)));
  pthread_join(t, NULL);
  printf(", waiter got %s with word = waiters|its tid %d, its unlock %s, word %#x\n", res(raw_r1), raw_seen == (FUTEX_WAITERS | (uint32_t)raw_tid), res(raw_r2), wa);

  // A dead owner (no robust list entry for it): ESRCH, the waiters bit left set. (qemu-user
  // wakes pthread_join before its host thread has exited: give it time to be gone.)
  msleep(50);
  wb = (uint32_t)raw_tid;
  printf("raw: lock of a word naming an exited thread %s, waiters bit set %d\n", res(futex(&wb, FUTEX_LOCK_PI_PRIVATE, NULL)), (wb & FUTEX_WAITERS) != 0);
  wb = 0;

  // Timeouts while main holds the lock.
  futex(&wa, FUTEX_LOCK_PI_PRIVATE, NULL);
  pthread_create(&t, NULL, raw_timeouts, NULL);
  pthread_join(t, NULL);
  printf("raw: lock_pi timeout %s, lock_pi2 timeout %s, trylock held %s\n", res(raw_r1), res(raw_r2), res(raw_r3));
  printf("raw: unlock %s word %#x\n", res(futex(&wa, FUTEX_UNLOCK_PI_PRIVATE, NULL)), wa);

  // Deadlock detection through the chain: the thread holds A and waits for B; main holds B and asks for A.
  raw_seen = 0;
  futex(&wb, FUTEX_LOCK_PI_PRIVATE, NULL);
  pthread_create(&t, NULL, raw_chain, NULL);
  while (!__atomic_load_n(&raw_seen, __ATOMIC_ACQUIRE)) sched_yield();
  wait_for_waiter(&wb);
  printf("raw: cycle A->B->A: lock A %s", res(futex(&wa, FUTEX_LOCK_PI_PRIVATE, NULL)));
  printf(", unlock B %s", res(futex(&wb, FUTEX_UNLOCK_PI_PRIVATE, NULL)));
  pthread_join(t, NULL);
  printf(", thread got A %s and B %s, words %#x %#x\n", res(raw_r1), res(raw_r2), wa, wb);
}

// ---- robust PI mutex whose owner dies (glibc) ------------------------------------------

#ifdef __GLIBC__
// qemu-riscv64 answers set_robust_list and get_robust_list with ENOSYS (qemu deviation
// set_robust_list-enosys), so musl's pthread_mutexattr_setrobust fails there; glibc's does
// not ask. A robust PI mutex whose owner dies while another thread waits in FUTEX_LOCK_PI
// ends the same either way: exit_pi_state_list() hands the mutex to the waiter, which sets
// FUTEX_OWNER_DIED in the word (fixup_pi_state_owner), with or without exit_robust_list().
// The owner ends with a raw exit(2): when set_robust_list failed (under qemu), glibc's thread
// exit walks the robust list itself and takes a PI entry's marker bit for part of the
// address (an atomic on a misaligned word: SIGBUS); Linux never takes that path.
static pthread_mutex_t rm;
static int robust_locked;

static void *robust_owner(void *arg) {
  (void)arg;
  int r = pthread_mutex_lock(&rm);
  __atomic_store_n(&robust_locked, r == 0 ? 1 : -1, __ATOMIC_RELEASE);
  if (r == 0) wait_for_waiter(lock_word(&rm));
  syscall(SYS_exit, 0); // exits holding it
  return NULL;
}

static void robust_round(const char *what, int make_consistent) {
  pthread_t t;
  robust_locked = 0;
  pthread_create(&t, NULL, robust_owner, NULL);
  while (!__atomic_load_n(&robust_locked, __ATOMIC_ACQUIRE)) sched_yield();
  int r = pthread_mutex_lock(&rm);
  printf("robust %s: lock after the owner exited %s", what, r ? strerrorname_np(r) : "0");
  pthread_join(t, NULL);
  if (r == EOWNERDEAD && make_consistent) printf(", consistent %s", res(-pthread_mutex_consistent(&rm)));
  printf(", unlock %s", res(-pthread_mutex_unlock(&rm)));
  r = pthread_mutex_lock(&rm);
  printf(", lock again %s", r ? strerrorname_np(r) : "0");
  if (r == 0) printf(", unlock %s", res(-pthread_mutex_unlock(&rm)));
  printf("\n");
}

static void robust_tests(void) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
  pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
  printf("robust PI mutex init %s\n", res(-pthread_mutex_init(&rm, &a)));
  robust_round("(made consistent)", 1);
  robust_round("(left inconsistent)", 0);
  pthread_mutex_destroy(&rm);
}
#endif

int main(void) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  int r = pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
  int proto = -1;
  pthread_mutexattr_getprotocol(&a, &proto);
  printf("setprotocol PRIO_INHERIT %s, protocol is inherit %d\n", r ? strerrorname_np(r) : "0", proto == PTHREAD_PRIO_INHERIT);
  printf("init %s", res(-pthread_mutex_init(&pm, &a)));
  printf(" %s", res(-pthread_mutex_init(&om, &a)));
  printf(" %s\n", res(-pthread_mutex_init(&qm, &a)));

  // Uncontended: no syscall at all; trylock of one's own (normal) PI mutex is EBUSY.
  pthread_mutex_lock(&pm);
  r = pthread_mutex_trylock(&pm);
  printf("trylock held %s\n", r ? strerrorname_np(r) : "0");
  pthread_mutex_unlock(&pm);

  pthread_t th[NT];
  for (int i = 0; i < NT; i++) pthread_create(&th[i], NULL, count_worker, (void *)(intptr_t)i);
  long bad = 0;
  for (int i = 0; i < NT; i++) {
    void *ret;
    pthread_join(th[i], &ret);
    bad += ret != NULL;
  }
  printf("contended: counter %ld (expected %d), failed locks %ld, per thread", counter, NT * ITERS, bad);
  for (int i = 0; i < NT; i++) printf(" %d", per_thread[i]);
  printf("\n");

  // FIFO: A queues first, then B; the unlock hands the mutex to A, A's unlock to B.
  pthread_mutex_lock(&om);
  pthread_t ta, tb;
  pthread_create(&ta, NULL, order_worker, (void *)(intptr_t)'A');
  wait_for_waiter(lock_word(&om));
  pthread_create(&tb, NULL, order_worker, (void *)(intptr_t)'B');
  msleep(60);
  order[norder++] = 'M';
  pthread_mutex_unlock(&om);
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  printf("handoff order %.*s\n", norder, order);

  pthread_t prod;
  pthread_create(&prod, NULL, producer, NULL);
  long sum = 0;
  int n = 0, maxlen = 0;
  while (n < 200) {
    pthread_mutex_lock(&qm);
    while (qlen == 0) pthread_cond_wait(&qcond_nonempty, &qm);
    if (qlen > maxlen) maxlen = qlen;
    sum += q[qhead];
    qhead = (qhead + 1) % QCAP;
    qlen--;
    n++;
    pthread_cond_signal(&qcond_nonfull);
    pthread_mutex_unlock(&qm);
  }
  pthread_join(prod, NULL);
  printf("condvar with a PI mutex: %d items, sum %ld, queue never over capacity %d\n", n, sum, maxlen <= QCAP);

  raw_tests();
#ifdef __GLIBC__
  robust_tests();
#endif
  pthread_mutex_destroy(&pm);
  pthread_mutex_destroy(&om);
  pthread_mutex_destroy(&qm);
  return 0;
}
