// POSIX threads: mutex, condition variable (bounded queue), barrier, rwlock, semaphore,
// thread-local storage, pthread_once, keys with destructors, join values, detached threads
// and pthread_kill to a thread in sigwait. 8 worker threads. Results are printed only after
// the threads are joined, so the output is the same under any interleaving.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NT 8
#define ITERS 20000

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread long tls_sum;
static __thread int tls_id = -1;

static void *count_worker(void *arg) {
  intptr_t id = (intptr_t)arg;
  tls_id = (int)id;
  for (int i = 0; i < ITERS; i++) {
    pthread_mutex_lock(&mu);
    counter++;
    pthread_mutex_unlock(&mu);
    tls_sum += id;
    if (i % 1000 == 0) sched_yield();
  }
  // Join value: something only this thread's TLS knows.
  return (void *)(intptr_t)(tls_sum / ITERS * 100 + tls_id);
}

// Bounded queue with two condition variables.
#define QCAP 4
static int queue[QCAP], qhead, qlen;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;
static long consumed_sum;
static int consumed_count;

static void *producer(void *arg) {
  intptr_t base = (intptr_t)arg;
  for (int i = 1; i <= 500; i++) {
    pthread_mutex_lock(&mu);
    while (qlen == QCAP) pthread_cond_wait(&not_full, &mu);
    queue[(qhead + qlen++) % QCAP] = (int)(base + i);
    pthread_cond_signal(&not_empty);
    pthread_mutex_unlock(&mu);
  }
  return NULL;
}

static void *consumer(void *arg) {
  (void)arg;
  long mine = 0;
  for (;;) {
    pthread_mutex_lock(&mu);
    while (qlen == 0) pthread_cond_wait(&not_empty, &mu);
    int v = queue[qhead];
    qhead = (qhead + 1) % QCAP;
    qlen--;
    pthread_cond_signal(&not_full);
    pthread_mutex_unlock(&mu);
    if (v < 0) break; // poison pill
    mine += v;
    pthread_mutex_lock(&mu);
    consumed_sum += v;
    consumed_count++;
    pthread_mutex_unlock(&mu);
  }
  return (void *)mine;
}

// Barrier: each phase every thread writes its slot, then reads its neighbour's.
static pthread_barrier_t bar;
static int slots[NT];
static int serial_count;
static void *barrier_worker(void *arg) {
  intptr_t id = (intptr_t)arg;
  long acc = 0;
  for (int phase = 0; phase < 50; phase++) {
    slots[id] = (int)(id * 1000 + phase);
    if (pthread_barrier_wait(&bar) == PTHREAD_BARRIER_SERIAL_THREAD) __atomic_add_fetch(&serial_count, 1, __ATOMIC_RELAXED);
    acc += slots[(id + 1) % NT];
    pthread_barrier_wait(&bar);
  }
  return (void *)acc;
}

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long table[16];
static void *rw_worker(void *arg) {
  intptr_t id = (intptr_t)arg;
  long seen = 0;
  for (int i = 0; i < 2000; i++) {
    if (i % 10 == (int)id) {
      pthread_rwlock_wrlock(&rw);
      for (int j = 0; j < 16; j++) table[j]++;
      pthread_rwlock_unlock(&rw);
    } else {
      pthread_rwlock_rdlock(&rw);
      long first = table[0];
      for (int j = 1; j < 16; j++)
        if (table[j] != first) seen++; // a torn update would show here
      pthread_rwlock_unlock(&rw);
    }
  }
  return (void *)seen;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static void once_fn(void) { once_runs++; }
static pthread_key_t key;
static int destructor_runs;
static void destructor(void *p) {
  __atomic_add_fetch(&destructor_runs, (int)(intptr_t)p, __ATOMIC_RELAXED);
}
static sem_t sem, done_sem;
static void *key_worker(void *arg) {
  pthread_once(&once, once_fn);
  pthread_setspecific(key, arg);
  sem_wait(&sem);
  sem_post(&done_sem);
  return NULL;
}

static void *sigwait_worker(void *arg) {
  sigset_t *set = arg;
  int sig = 0;
  sigwait(set, &sig);
  return (void *)(intptr_t)sig;
}

int main(void) {
  pthread_t t[NT];
  void *ret;

  for (intptr_t i = 0; i < NT; i++) pthread_create(&t[i], NULL, count_worker, (void *)i);
  long joined = 0;
  for (int i = 0; i < NT; i++) {
    pthread_join(t[i], &ret);
    printf("count_worker %d returned %ld\n", i, (long)(intptr_t)ret);
    joined += (long)(intptr_t)ret;
  }
  printf("mutex counter %ld (expected %d), main tls_id %d tls_sum %ld\n", counter, NT * ITERS, tls_id, tls_sum);

  pthread_t prod[3], cons[4];
  for (intptr_t i = 0; i < 4; i++) pthread_create(&cons[i], NULL, consumer, NULL);
  for (intptr_t i = 0; i < 3; i++) pthread_create(&prod[i], NULL, producer, (void *)(i * 10000));
  for (int i = 0; i < 3; i++) pthread_join(prod[i], NULL);
  for (int i = 0; i < 4; i++) {
    pthread_mutex_lock(&mu);
    while (qlen == QCAP) pthread_cond_wait(&not_full, &mu);
    queue[(qhead + qlen++) % QCAP] = -1;
    pthread_cond_signal(&not_empty);
    pthread_mutex_unlock(&mu);
  }
  long total = 0;
  for (int i = 0; i < 4; i++) {
    pthread_join(cons[i], &ret);
    total += (long)ret;
  }
  printf("condvar queue: consumed %d items, sum %ld, per-consumer sums add up %d\n", consumed_count, consumed_sum, total == consumed_sum);

  pthread_barrier_init(&bar, NULL, NT);
  for (intptr_t i = 0; i < NT; i++) pthread_create(&t[i], NULL, barrier_worker, (void *)i);
  for (int i = 0; i < NT; i++) {
    pthread_join(t[i], &ret);
    printf("barrier_worker %d saw %ld\n", i, (long)ret);
  }
  printf("serial threads: %d\n", serial_count);
  pthread_barrier_destroy(&bar);

  for (intptr_t i = 0; i < NT; i++) pthread_create(&t[i], NULL, rw_worker, (void *)i);
  long torn = 0;
  for (int i = 0; i < NT; i++) {
    pthread_join(t[i], &ret);
    torn += (long)ret;
  }
  printf("rwlock: table[0] %ld, torn reads %ld\n", table[0], torn);

  pthread_key_create(&key, destructor);
  sem_init(&sem, 0, 0);
  sem_init(&done_sem, 0, 0);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  for (intptr_t i = 1; i <= NT; i++) pthread_create(&t[i - 1], &attr, key_worker, (void *)i);
  for (int i = 0; i < NT; i++) sem_post(&sem);
  for (int i = 0; i < NT; i++) sem_wait(&done_sem);
  // Detached threads finish on their own; wait until every destructor has run.
  while (__atomic_load_n(&destructor_runs, __ATOMIC_RELAXED) != NT * (NT + 1) / 2) sched_yield();
  printf("once ran %d time(s); destructors summed %d\n", once_runs, destructor_runs);

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  pthread_t w;
  pthread_create(&w, NULL, sigwait_worker, &set);
  pthread_kill(w, SIGUSR1);
  pthread_join(w, &ret);
  printf("sigwait in a thread got signal %ld\n", (long)ret);

#ifdef __GLIBC__
  // Joining oneself is undefined in POSIX: glibc answers EDEADLK, musl waits forever.
  errno = 0;
  int rc = pthread_join(pthread_self(), NULL);
  printf("join self: %s\n", strerrorname_np(rc));
#endif
  return 0;
}
