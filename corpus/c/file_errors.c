// Error paths: every descriptor call on a closed, negative and huge fd (EBADF), on the
// wrong kind of descriptor (ESPIPE, EISDIR, EINVAL, ENOTDIR), path calls on missing,
// too-long and looping paths (ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP), and the memory
// devices (/dev/null, /dev/zero, /dev/full). Errors are printed by name.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

static void check(const char *what, long r) {
  if (r < 0) printf("%-30s -> -1 %s\n", what, strerrorname_np(errno));
  else printf("%-30s -> %ld\n", what, r);
}

static void bad_fd(int fd) {
  char buf[16];
  struct stat st;
  struct iovec iov = {buf, 4};
  printf("-- fd %d\n", fd);
  check("read", read(fd, buf, 4));
  check("write", write(fd, "x", 1));
  check("readv", readv(fd, &iov, 1));
  check("writev", writev(fd, &iov, 1));
  check("pread", pread(fd, buf, 4, 0));
  check("pwrite", pwrite(fd, buf, 4, 0));
  check("lseek", lseek(fd, 0, SEEK_SET));
  check("fstat", fstat(fd, &st));
  check("close", close(fd));
  check("dup", dup(fd));
  check("fcntl F_GETFL", fcntl(fd, F_GETFL));
  check("ftruncate", ftruncate(fd, 0));
  check("fsync", fsync(fd));
  check("fchmod", fchmod(fd, 0644));
  check("fchdir", fchdir(fd));
  check("getdents64", syscall(SYS_getdents64, fd, buf, sizeof buf));
  check("openat relative", openat(fd, "x", O_RDONLY));
  check("fstatat relative", fstatat(fd, "x", &st, 0));
  check("openat absolute", openat(fd, "/", O_RDONLY | O_DIRECTORY) >= 0 ? 0 : -1);
}

int main(void) {
  bad_fd(42);
  bad_fd(-1);
  bad_fd(1 << 20);

  printf("-- wrong kinds\n");
  int dir = open(".", O_RDONLY | O_DIRECTORY);
  int file = open("errfile", O_CREAT | O_RDWR | O_TRUNC, 0644);
  char buf[4096];
  struct stat st;
  check("read dir", read(dir, buf, 10));
  check("pread dir", pread(dir, buf, 10, 0));
  check("write dir (O_RDONLY)", write(dir, "x", 1));
  check("ftruncate dir", ftruncate(dir, 0));
  check("openat(file, x)", openat(file, "x", O_RDONLY));
  check("fstatat(file, x)", fstatat(file, "x", &st, 0));
  check("fstatat(file, \"\", EMPTY)", fstatat(file, "", &st, AT_EMPTY_PATH));
  check("fstatat bad flags", fstatat(AT_FDCWD, "errfile", &st, 0x40000));
  check("fchdir file", fchdir(file));
  check("getdents64 file", syscall(SYS_getdents64, file, buf, sizeof buf));
  check("getdents64 tiny buffer", syscall(SYS_getdents64, dir, buf, 8));
  check("lseek whence 7", lseek(file, 0, 7));
  check("fsync file", fsync(file));
  check("fdatasync dir", fdatasync(dir));

  printf("-- paths\n");
  check("open missing", open("missing", O_RDONLY));
  check("open missing/x", open("missing/x", O_RDONLY));
  check("open errfile/x", open("errfile/x", O_RDONLY));
  check("stat missing", stat("missing", &st));
  check("stat ''", stat("", &st));
  check("access missing", access("missing", F_OK));
  check("access errfile R_OK", access("errfile", R_OK | W_OK));
  check("access errfile X_OK", access("errfile", X_OK));
  check("access . X_OK", access(".", X_OK));
  check("access bad mode", access("errfile", 8));
  check("mkdir missing/x", mkdir("missing/x", 0755));
  check("rename missing x", rename("missing", "x"));
  check("rename errfile missing/x", rename("errfile", "missing/x"));
  check("link missing x", link("missing", "x"));
  check("link . x", link(".", "x"));
  check("chdir missing", chdir("missing"));
  check("readlink missing", readlink("missing", buf, 10));
  check("readlink errfile bufsiz 0", readlink("errfile", buf, 0));
  check("truncate missing", truncate("missing", 0));
  check("truncate .", truncate(".", 0));
  char longname[300];
  memset(longname, 'n', 299);
  longname[299] = 0;
  check("open 299-char name", open(longname, O_RDONLY));
  check("mkdir 299-char name", mkdir(longname, 0755));
  char *longpath = malloc(5000);
  memset(longpath, 'a', 4999);
  longpath[4999] = 0;
  for (int i = 100; i < 4999; i += 100) longpath[i] = '/';
  check("open 5000-byte path", open(longpath, O_RDONLY));
  check("symlink loop1 -> loop2", symlink("loop2", "loop1"));
  check("symlink loop2 -> loop1", symlink("loop1", "loop2"));
  check("open loop1", open("loop1", O_RDONLY));
  check("stat loop1/x", stat("loop1/x", &st));
  check("lstat loop1", lstat("loop1", &st));
  check("symlink '' x", symlink("", "x"));
  unlink("loop1");
  unlink("loop2");

  printf("-- devices\n");
  int null = open("/dev/null", O_RDWR);
  check("read /dev/null", read(null, buf, 10));
  check("write /dev/null", write(null, buf, 10));
  check("lseek /dev/null", lseek(null, 100, SEEK_SET));
  fstat(null, &st);
  printf("  chr %d rdev %u:%u perm %o\n", S_ISCHR(st.st_mode), major(st.st_rdev), minor(st.st_rdev), st.st_mode & 0777);
  int zero = open("/dev/zero", O_RDONLY);
  memset(buf, 7, 16);
  check("read /dev/zero", read(zero, buf, 16));
  printf("  bytes %d %d\n", buf[0], buf[15]);
  int full = open("/dev/full", O_WRONLY);
  check("write /dev/full", write(full, "x", 1));
  int rnd = open("/dev/urandom", O_RDONLY);
  check("read /dev/urandom", read(rnd, buf, 64));
  fstat(rnd, &st);
  printf("  urandom rdev %u:%u\n", major(st.st_rdev), minor(st.st_rdev));
  check("stat /dev/null", stat("/dev/null", &st));
  check("open /dev/nonexistent", open("/dev/nonexistent", O_RDONLY));
  close(null);
  close(zero);
  close(full);
  close(rnd);
  close(file);
  close(dir);
  check("unlink errfile", unlink("errfile"));
  return 0;
}
