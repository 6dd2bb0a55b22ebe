// Locks and anonymous files in one process: flock between two opens of one file (they
// conflict: locks belong to open file descriptions), shared locks, conversion, release on
// close; fcntl record locks (never in conflict with the process itself: F_GETLK says
// F_UNLCK) and their argument checks; memfd_create (mode, size, /proc/self/fd link, seals);
// posix_fadvise.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void check(const char *what, long r) {
  if (r < 0) printf("%-34s -> -1 %s\n", what, strerrorname_np(errno));
  else printf("%-34s -> %ld\n", what, r);
}

int main(void) {
  int a = open("lockfile", O_CREAT | O_RDWR | O_TRUNC, 0644);
  int b = open("lockfile", O_RDONLY);
  int a2 = dup(a);
  check("flock a EX", flock(a, LOCK_EX));
  check("flock b SH|NB (conflict)", flock(b, LOCK_SH | LOCK_NB));
  check("flock a2 EX (same description)", flock(a2, LOCK_EX | LOCK_NB));
  check("flock a SH (convert)", flock(a, LOCK_SH));
  check("flock b SH|NB", flock(b, LOCK_SH | LOCK_NB));
  check("flock b EX|NB (a holds SH)", flock(b, LOCK_EX | LOCK_NB));
  check("flock b SH|NB again", flock(b, LOCK_SH | LOCK_NB));
  check("flock a UN", flock(a, LOCK_UN));
  check("flock b EX|NB", flock(b, LOCK_EX | LOCK_NB));
  check("close b (drops its lock)", close(b));
  check("flock a EX|NB", flock(a, LOCK_EX | LOCK_NB));
  check("flock bad op", flock(a, 0));
  check("flock bad fd", flock(42, LOCK_SH));

  struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
  check("F_SETLK write lock", fcntl(a, F_SETLK, &fl));
  fl.l_type = F_WRLCK;
  check("F_GETLK", fcntl(a, F_GETLK, &fl));
  printf("  l_type %s start %ld len %ld\n", fl.l_type == F_UNLCK ? "F_UNLCK" : "locked", (long)fl.l_start, (long)fl.l_len);
  fl.l_type = F_UNLCK;
  check("F_GETLK with F_UNLCK", fcntl(a, F_GETLK, &fl));
  fl.l_type = F_RDLCK;
  fl.l_whence = 7;
  check("F_SETLK bad whence", fcntl(a, F_SETLK, &fl));
  fl.l_whence = SEEK_SET;
  fl.l_start = -5;
  check("F_SETLK negative start", fcntl(a, F_SETLK, &fl));
  fl.l_start = 0;
  fl.l_type = 9;
  check("F_SETLK bad type", fcntl(a, F_SETLK, &fl));
  int wo = open("lockfile", O_WRONLY);
  fl.l_type = F_RDLCK;
  check("F_SETLK read lock on O_WRONLY", fcntl(wo, F_SETLK, &fl));
  fl.l_type = F_UNLCK;
  check("F_SETLKW unlock", fcntl(a, F_SETLKW, &fl));

  check("posix_fadvise", -posix_fadvise(a, 0, 100, POSIX_FADV_SEQUENTIAL));
  check("posix_fadvise bad advice", (errno = posix_fadvise(a, 0, 100, 99)) ? -1 : 0);
  int p[2];
  pipe(p);
  check("posix_fadvise pipe", (errno = posix_fadvise(p[0], 0, 0, POSIX_FADV_NORMAL)) ? -1 : 0);

  int m = memfd_create("scratch", MFD_CLOEXEC);
  check("memfd_create", m >= 0 ? 0 : -1);
  check("write memfd", write(m, "memory file", 11));
  struct stat st;
  fstat(m, &st);
  printf("  memfd: reg %d perm %o size %ld nlink %lu\n", S_ISREG(st.st_mode), st.st_mode & 0777, (long)st.st_size, (unsigned long)st.st_nlink);
  char path[64], link[128] = {0};
  snprintf(path, sizeof path, "/proc/self/fd/%d", m);
  check("readlink memfd", readlink(path, link, sizeof link));
  printf("  -> %s\n", link);
  check("F_GETFD memfd", fcntl(m, F_GETFD));
  check("F_GET_SEALS memfd", fcntl(m, F_GET_SEALS));
  check("F_ADD_SEALS memfd", fcntl(m, F_ADD_SEALS, F_SEAL_WRITE));
  // F_GET_SEALS on an ordinary file depends on the filesystem the harness's working
  // directory is on (shmem-backed tmpfs: F_SEAL_SEAL, ext4/overlayfs: EINVAL): not compared.
  char buf[16] = {0};
  check("pread memfd", pread(m, buf, 6, 7));
  printf("  '%s'\n", buf);
  check("memfd_create bad flags", memfd_create("x", 0x100));
  char longname[300];
  memset(longname, 'n', 299);
  longname[299] = 0;
  check("memfd_create long name", memfd_create(longname, 0));
  close(m);
  close(a);
  close(a2);
  close(wo);
  check("unlink lockfile", unlink("lockfile"));
  return 0;
}
