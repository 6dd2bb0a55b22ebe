// LD_PRELOAD shim for qemu-user -strace (harness/conformance/strace-tid.ts): qemu 7.2 starts
// each trace line with getpid(), the same for all threads, and prints a call and its result
// in separate pieces that other threads' lines can come between. This prints the thread id
// instead, ends a line another thread left unfinished, and marks the rest of an interrupted
// line "TID <... resumed>" (strace's convention), so each line belongs to one thread.
// qemu-user forks for a guest fork or vfork: the owner of the unfinished line lives in a
// MAP_SHARED page made before any fork, behind a process-shared mutex, so the processes'
// pieces on the one stderr are ordered the same way; a forked child's first piece (the
// clone's "= 0") continues a line it never began, so it is marked resumed.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <sys/mman.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Shared by every process of the guest (a fork copies the mapping's address, not the page). */
struct shared {
  pthread_mutex_t lock;
  pid_t owner; /* thread whose line on stderr is unfinished; 0: none */
};
static struct shared *shared;
#define open_owner (shared->owner)

__attribute__((constructor)) static void shim_init(void) {
  shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shared == MAP_FAILED) abort();
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
  pthread_mutex_init(&shared->lock, &a);
  shared->owner = 0;
}
static __thread int line_open;  /* this thread's own line is unfinished */
static __thread int busy;       /* inside the shim: pass calls through */

#define REAL(name, type) static type real_##name; if (!real_##name) real_##name = (type)dlsym(RTLD_NEXT, #name)

typedef size_t (*fwrite_fn)(const void *, size_t, size_t, FILE *);

static void put(FILE *f, const char *s, size_t n) {
  REAL(fwrite, fwrite_fn);
  real_fwrite(s, 1, n, f);
}

static void piece_locked(FILE *f, char *text, size_t len);

/* One piece of stderr output from this thread, written and flushed under the shared lock. */
static void piece(FILE *f, char *text, size_t len) {
  pthread_mutex_lock(&shared->lock);
  piece_locked(f, text, len);
  fflush(f);
  pthread_mutex_unlock(&shared->lock);
}

static void piece_locked(FILE *f, char *text, size_t len) {
  pid_t tid = gettid();
  char prefix[64];
  size_t plen = 0;
  /* The pid qemu starts each call line with: the thread id instead. */
  char pid[32];
  int pidlen = snprintf(pid, sizeof pid, "%d ", getpid());
  int starts_pid = !line_open && len >= (size_t)pidlen && memcmp(text, pid, (size_t)pidlen) == 0;
  if (open_owner != 0 && open_owner != tid) put(f, "\n", 1);
  if (starts_pid) {
    plen = (size_t)snprintf(prefix, sizeof prefix, "%d ", tid);
    text += pidlen;
    len -= (size_t)pidlen;
  } else if (line_open && open_owner != tid) plen = (size_t)snprintf(prefix, sizeof prefix, "%d <... resumed>", tid);
  else if (!line_open && len >= 4 && memcmp(text, "--- ", 4) == 0) plen = (size_t)snprintf(prefix, sizeof prefix, "%d ", tid);
  if (plen) put(f, prefix, plen);
  put(f, text, len);
  if (len > 0 || plen > 0) line_open = len > 0 ? text[len - 1] != '\n' : 1;
  open_owner = line_open ? tid : 0;
}

static int formatted(FILE *f, const char *fmt, va_list ap) {
  char small[2048];
  char *text = small;
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(small, sizeof small, fmt, copy);
  va_end(copy);
  if (n < 0) return n;
  if ((size_t)n >= sizeof small) {
    text = malloc((size_t)n + 1);
    if (!text) return -1;
    va_copy(copy, ap);
    vsnprintf(text, (size_t)n + 1, fmt, copy);
    va_end(copy);
  }
  busy = 1;
  piece(f, text, (size_t)n);
  busy = 0;
  if (text != small) free(text);
  return n;
}

typedef int (*vfprintf_chk_fn)(FILE *, int, const char *, va_list);
typedef int (*vfprintf_fn)(FILE *, const char *, va_list);
typedef int (*fputs_fn)(const char *, FILE *);
typedef int (*fputc_fn)(int, FILE *);

int __vfprintf_chk(FILE *f, int flag, const char *fmt, va_list ap) {
  REAL(__vfprintf_chk, vfprintf_chk_fn);
  if (f != stderr || busy) return real___vfprintf_chk(f, flag, fmt, ap);
  return formatted(f, fmt, ap);
}

int vfprintf(FILE *f, const char *fmt, va_list ap) {
  REAL(vfprintf, vfprintf_fn);
  if (f != stderr || busy) return real_vfprintf(f, fmt, ap);
  return formatted(f, fmt, ap);
}

int __fprintf_chk(FILE *f, int flag, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  REAL(__vfprintf_chk, vfprintf_chk_fn);
  int n = f != stderr || busy ? real___vfprintf_chk(f, flag, fmt, ap) : formatted(f, fmt, ap);
  va_end(ap);
  return n;
}

int fprintf(FILE *f, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  REAL(vfprintf, vfprintf_fn);
  int n = f != stderr || busy ? real_vfprintf(f, fmt, ap) : formatted(f, fmt, ap);
  va_end(ap);
  return n;
}

size_t fwrite(const void *p, size_t size, size_t count, FILE *f) {
  REAL(fwrite, fwrite_fn);
  if (f != stderr || busy || size * count == 0) return real_fwrite(p, size, count, f);
  char *copy = malloc(size * count);
  if (!copy) return 0;
  memcpy(copy, p, size * count);
  busy = 1;
  piece(f, copy, size * count);
  busy = 0;
  free(copy);
  return count;
}

int fputs(const char *s, FILE *f) {
  REAL(fputs, fputs_fn);
  if (f != stderr || busy) return real_fputs(s, f);
  size_t n = strlen(s);
  char *copy = strdup(s);
  if (!copy) return EOF;
  busy = 1;
  piece(f, copy, n);
  busy = 0;
  free(copy);
  return 1;
}

int fputc(int c, FILE *f) {
  REAL(fputc, fputc_fn);
  if (f != stderr || busy) return real_fputc(c, f);
  char ch = (char)c;
  busy = 1;
  piece(f, &ch, 1);
  busy = 0;
  return (unsigned char)c;
}

int putc(int c, FILE *f) { return fputc(c, f); }
