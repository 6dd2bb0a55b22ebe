// MAP_SHARED memory between processes: anonymous shared memory across fork (private memory
// stays private), a process-shared mutex and condition variable handing turns between parent
// and child (futexes keyed by the shared object), POSIX shared memory (shm_open in /dev/shm)
// written through one process's mapping and read through the other's and with read(2), a
// write(2) seen through a mapping, a named semaphore (sem_open) between two processes, a
// memfd, a /tmp file and a working-directory file mapped shared, truncation seen through a
// mapping, a mapping made twice in one process, and what munmap leaves in the file.
// Only the parent prints after the child is waited for, so the output has one order.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define P 4096

static void check(int ok, const char *what) {
  if (!ok) {
    printf("FAIL %s: %s\n", what, strerror(errno));
    exit(1);
  }
}

static int wait_child(pid_t pid) {
  int st = 0;
  check(waitpid(pid, &st, 0) == pid, "waitpid");
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void anonymous_memory(void) {
  int *anon = mmap(NULL, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  check(anon != MAP_FAILED, "mmap shared anonymous");
  static int priv = 7;
  anon[0] = 1;
  anon[1024] = 2;
  fflush(stdout);
  pid_t pid = fork();
  check(pid >= 0, "fork");
  if (pid == 0) {
    anon[0] += 10;
    anon[1024] += 20;
    anon[5] = 42;
    priv = 8;
    _exit(anon[0] == 11 ? 0 : 3);
  }
  int st = wait_child(pid);
  printf("anonymous: child status %d, sees %d %d %d, private %d\n", st, anon[0], anon[1024], anon[5], priv);
  // The parent's writes reach a second child forked later, and that child's reach the parent.
  anon[6] = 99;
  pid = fork();
  if (pid == 0) {
    anon[7] = anon[6] + 1;
    _exit(0);
  }
  wait_child(pid);
  printf("anonymous: second child read %d\n", anon[7]);
  check(munmap(anon, 2 * P) == 0, "munmap");
}

struct turns {
  pthread_mutex_t m;
  pthread_cond_t c;
  int turn;
  int n;
  int log[16];
};

static void mutex_and_condvar(void) {
  struct turns *t = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  check(t != MAP_FAILED, "mmap turns");
  pthread_mutexattr_t ma;
  pthread_condattr_t ca;
  pthread_mutexattr_init(&ma);
  pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
  pthread_condattr_init(&ca);
  pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
  check(pthread_mutex_init(&t->m, &ma) == 0, "mutex init");
  check(pthread_cond_init(&t->c, &ca) == 0, "cond init");
  fflush(stdout);
  pid_t pid = fork();
  check(pid >= 0, "fork");
  int me = pid == 0 ? 1 : 0;
  for (int i = 0; i < 5; i++) {
    pthread_mutex_lock(&t->m);
    while (t->turn != me) pthread_cond_wait(&t->c, &t->m);
    t->log[t->n++] = me * 100 + i;
    t->turn = 1 - me;
    pthread_cond_broadcast(&t->c);
    pthread_mutex_unlock(&t->m);
  }
  if (pid == 0) _exit(0);
  wait_child(pid);
  printf("mutex and condvar:");
  for (int i = 0; i < t->n; i++) printf(" %d", t->log[i]);
  printf("\n");
  munmap(t, P);
}

static void posix_shm_and_semaphore(void) {
  char name[64], sname[64], dname[64];
  snprintf(name, sizeof name, "/zerosys-shm-%d", (int)getpid());
  snprintf(sname, sizeof sname, "/zerosys-sem-%d", (int)getpid());
  snprintf(dname, sizeof dname, "/zerosys-done-%d", (int)getpid());
  int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
  check(fd >= 0, "shm_open");
  check(ftruncate(fd, 3 * P) == 0, "ftruncate");
  sem_t *ready = sem_open(sname, O_CREAT | O_EXCL, 0600, 0);
  check(ready != SEM_FAILED, "sem_open");
  sem_t *again = sem_open(sname, 0); // the same semaphore, opened again: the same mapping
  check(again == ready, "sem_open again");
  sem_t *done = sem_open(dname, O_CREAT | O_EXCL, 0600, 0);
  check(done != SEM_FAILED, "sem_open done");
  char *m = mmap(NULL, 3 * P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  check(m != MAP_FAILED, "mmap shm");
  strcpy(m, "parent was here");
  fflush(stdout);
  pid_t pid = fork();
  check(pid >= 0, "fork");
  if (pid == 0) {
    // A mapping of its own (another address), after the parent's message is read.
    char *c = mmap(NULL, 3 * P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (c == MAP_FAILED) _exit(4);
    if (strcmp(c, "parent was here") != 0) _exit(5);
    strcpy(c + P, "child wrote page 1");
    c[3 * P - 1] = 'z';
    sem_post(ready);
    // Wait until the parent wrote with pwrite, then check it through the mapping.
    sem_wait(done);
    _exit(strcmp(c + 2 * P, "pwrite by parent") == 0 ? 0 : 6);
  }
  check(sem_wait(ready) == 0, "sem_wait");
  char buf[32] = {0};
  check(pread(fd, buf, 18, P) == 18, "pread");
  printf("shm: mapping shows \"%s\", read(2) shows \"%s\", last byte %c\n", m + P, buf, m[3 * P - 1]);
  check(pwrite(fd, "pwrite by parent", 17, 2 * P) == 17, "pwrite");
  printf("shm: own mapping after pwrite shows \"%s\"\n", m + 2 * P);
  sem_post(done);
  printf("shm: child status %d\n", wait_child(pid));
  int v = -1;
  sem_getvalue(ready, &v);
  printf("semaphore value %d\n", v);
  check(sem_close(done) == 0 && sem_close(again) == 0 && sem_close(ready) == 0, "sem_close");
  check(sem_unlink(sname) == 0 && sem_unlink(dname) == 0, "sem_unlink");
  check(munmap(m, 3 * P) == 0, "munmap shm");
  check(close(fd) == 0, "close");
  check(shm_unlink(name) == 0, "shm_unlink");
  errno = 0;
  printf("shm_open after unlink: %d (%s)\n", shm_open(name, O_RDWR, 0), strerror(errno));
}

static void memfd_and_tmp_file(void) {
  int fd = memfd_create("zerosys-shared", 0);
  check(fd >= 0, "memfd_create");
  check(write(fd, "0123456789", 10) == 10, "write memfd");
  char *m = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  check(m != MAP_FAILED, "mmap memfd");
  char *again = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0); // a second view in this process
  check(again != MAP_FAILED, "mmap memfd again");
  m[0] = 'A';
  printf("memfd: second view sees %c\n", again[0]);
  check(pwrite(fd, "XY", 2, 4) == 2, "pwrite memfd");
  printf("memfd: mapping after pwrite %.10s\n", m);
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    m[9] = '!';
    _exit(0);
  }
  wait_child(pid);
  char buf[11] = {0};
  check(pread(fd, buf, 10, 0) == 10, "pread memfd");
  printf("memfd: after the child, read(2) shows %s\n", buf);
  // Truncation: the bytes past the new end read as zeros through the mapping once it grows back.
  check(ftruncate(fd, 5) == 0 && ftruncate(fd, 10) == 0, "ftruncate memfd");
  printf("memfd: after truncate to 5 and back: %.5s [%d %d]\n", m, m[5], m[9]);
  munmap(again, P);
  munmap(m, P);
  close(fd);

  // /tmp is the host's under qemu, where the flavours of this program run at once: a name per process.
  char path[64];
  snprintf(path, sizeof path, "/tmp/zerosys-shared-file-%d", (int)getpid());
  unlink(path);
  fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
  check(fd >= 0, "open /tmp file");
  check(ftruncate(fd, P) == 0, "ftruncate /tmp file");
  int *n = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  check(n != MAP_FAILED, "mmap /tmp file");
  fflush(stdout);
  pid = fork();
  if (pid == 0) {
    for (int i = 0; i < 100; i++) n[i] = i * i;
    check(msync(n, P, MS_SYNC) == 0, "msync");
    _exit(0);
  }
  wait_child(pid);
  check(munmap(n, P) == 0, "munmap /tmp file");
  int sq = 0;
  check(pread(fd, &sq, sizeof sq, 4 * 99) == sizeof sq, "pread /tmp file");
  printf("/tmp file: after munmap, read(2) of n[99] gives %d\n", sq);
  close(fd);
  unlink(path);
}

// A file of the working directory (a host directory under zerosys, as under qemu) mapped
// shared: the mapping and read/write see one file, a child's writes reach it, a read-only
// descriptor's mapping cannot be made writable.
static void working_directory_file(void) {
  const char path[] = "zerosys-shared-cwd.tmp";
  unlink(path);
  int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
  check(fd >= 0, "open cwd file");
  check(ftruncate(fd, 2 * P) == 0, "ftruncate cwd file");
  char *m = mmap(NULL, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  check(m != MAP_FAILED, "mmap cwd file");
  strcpy(m, "written through the mapping");
  char buf[40] = {0};
  check(pread(fd, buf, 27, 0) == 27, "pread cwd file");
  printf("cwd file: read(2) shows \"%s\"\n", buf);
  check(pwrite(fd, "by pwrite", 9, P) == 9, "pwrite cwd file");
  printf("cwd file: the mapping shows \"%.9s\"\n", m + P);
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    m[P + 100] = 'c';
    m[2 * P - 1] = 'e';
    _exit(0);
  }
  wait_child(pid);
  char c = 0, e = 0;
  check(pread(fd, &c, 1, P + 100) == 1 && pread(fd, &e, 1, 2 * P - 1) == 1, "pread child's bytes");
  printf("cwd file: the child's writes: mapping %c%c, read(2) %c%c\n", m[P + 100], m[2 * P - 1], c, e);
  check(munmap(m, 2 * P) == 0, "munmap cwd file");
  int ro = open(path, O_RDONLY);
  check(ro >= 0, "open read-only");
  char *r = mmap(NULL, P, PROT_READ, MAP_SHARED, ro, 0);
  check(r != MAP_FAILED, "mmap read-only shared");
  printf("cwd file: after munmap a new mapping shows \"%.27s\"\n", r);
  errno = 0;
  int rc = mprotect(r, P, PROT_READ | PROT_WRITE);
  printf("cwd file: mprotect PROT_WRITE of a read-only descriptor's mapping: %d (%s)\n", rc, strerror(errno));
  errno = 0;
  void *w = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0);
  printf("cwd file: a writable shared mapping of it: %s (%s)\n", w == MAP_FAILED ? "MAP_FAILED" : "mapped", strerror(errno));
  munmap(r, P);
  close(ro);
  close(fd);
  unlink(path);
}

int main(void) {
  working_directory_file();
  anonymous_memory();
  mutex_and_condvar();
  posix_shm_and_semaphore();
  memfd_and_tmp_file();
  return 0;
}
