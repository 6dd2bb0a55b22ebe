// Pipes and descriptor duplication: pipe2 flags, reads up to what is buffered, EOF once
// the writers are gone, EPIPE (SIGPIPE ignored), O_NONBLOCK (EAGAIN, the 64 KiB capacity
// filled byte by byte and in 4 KiB pieces), FIONREAD, F_GETPIPE_SZ/F_SETPIPE_SZ, dup/dup2/
// dup3/F_DUPFD(_CLOEXEC) numbering and shared offsets, FD_CLOEXEC, stdout redirected to a
// file and back, and lseek/pread on a pipe (ESPIPE).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

static void check(const char *what, long r) {
  if (r < 0) printf("%-30s -> -1 %s\n", what, strerrorname_np(errno));
  else printf("%-30s -> %ld\n", what, r);
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  int p[2];
  check("pipe", pipe(p));
  printf("  fds %d %d\n", p[0], p[1]);
  struct stat st;
  fstat(p[0], &st);
  printf("  fifo %d perm %o size %ld\n", S_ISFIFO(st.st_mode), st.st_mode & 0777, (long)st.st_size);
  check("F_GETFL read end", fcntl(p[0], F_GETFL));
  check("F_GETFL write end", fcntl(p[1], F_GETFL));
  check("write 5", write(p[1], "abcde", 5));
  check("write 3", write(p[1], "fgh", 3));
  int avail = -1;
  check("FIONREAD", ioctl(p[0], FIONREAD, &avail));
  printf("  available %d\n", avail);
  char buf[70000];
  check("read 4", read(p[0], buf, 4));
  check("read 100 (rest)", read(p[0], buf, 100));
  printf("  '%.4s'\n", buf);
  check("lseek on pipe", lseek(p[0], 0, SEEK_SET));
  check("pread on pipe", pread(p[0], buf, 1, 0));
  check("read on write end", read(p[1], buf, 1));
  check("write on read end", write(p[0], "x", 1));
  check("F_GETPIPE_SZ", fcntl(p[0], F_GETPIPE_SZ));

  // Non-blocking: empty → EAGAIN; fill to capacity.
  check("F_SETFL O_NONBLOCK", fcntl(p[0], F_SETFL, O_NONBLOCK));
  check("F_GETFL", fcntl(p[0], F_GETFL));
  check("read empty nonblock", read(p[0], buf, 1));
  fcntl(p[1], F_SETFL, O_NONBLOCK);
  long total = 0;
  while (write(p[1], "z", 1) == 1) total++;
  printf("  1-byte writes until full: %ld (%s)\n", total, strerrorname_np(errno));
  check("write 1 more", write(p[1], "z", 1));
  check("read 4095", read(p[0], buf, 4095));
  check("write 2 (no room in a page)", write(p[1], "zz", 2));
  check("read 1", read(p[0], buf, 1));
  check("write 4096 (a page freed)", write(p[1], buf, 4096));
  total = 0;
  for (;;) {
    ssize_t n = read(p[0], buf, sizeof buf);
    if (n <= 0) break;
    total += n;
  }
  printf("  drained %ld\n", total);
  memset(buf, 'q', sizeof buf);
  check("write 70000 nonblock", write(p[1], buf, 70000));
  check("write 10 when full", write(p[1], buf, 10));
  check("F_SETPIPE_SZ 100000", fcntl(p[1], F_SETPIPE_SZ, 100000));
  check("F_GETPIPE_SZ", fcntl(p[1], F_GETPIPE_SZ));
  check("F_SETPIPE_SZ 4096 (busy)", fcntl(p[1], F_SETPIPE_SZ, 4096));
  check("write 70000 again", write(p[1], buf, 70000));
  while (read(p[0], buf, sizeof buf) > 0) {}
  check("close write end", close(p[1]));
  check("read at EOF", read(p[0], buf, 10));
  check("close read end", close(p[0]));

  check("pipe2 O_CLOEXEC|O_NONBLOCK", pipe2(p, O_CLOEXEC | O_NONBLOCK));
  check("F_GETFD", fcntl(p[0], F_GETFD));
  check("F_GETFL", fcntl(p[1], F_GETFL));
  check("pipe2 bad flags", pipe2(p, O_APPEND));
  check("close read end", close(p[0]));
  check("write without reader", write(p[1], "x", 1));
  close(p[1]);

  // dup family.
  int fd = open("dupfile", O_CREAT | O_RDWR | O_TRUNC, 0644);
  check("dup", fd >= 0 ? dup(fd) : -1);
  int d1 = 4;
  check("write via dup", write(d1, "0123456789", 10));
  check("offset via original", lseek(fd, 0, SEEK_CUR));
  check("lseek original 2", lseek(fd, 2, SEEK_SET));
  check("read via dup", read(d1, buf, 3));
  printf("  '%.3s'\n", buf);
  check("dup2 to 10", dup2(fd, 10));
  check("dup2 same fd", dup2(fd, fd));
  check("dup2 bad old", dup2(77, 11));
  check("dup3 same fd", dup3(fd, fd, 0));
  check("dup3 bad flags", dup3(fd, 12, O_APPEND));
  check("dup3 O_CLOEXEC", dup3(fd, 12, O_CLOEXEC));
  check("F_GETFD 12", fcntl(12, F_GETFD));
  check("F_GETFD 10", fcntl(10, F_GETFD));
  check("F_SETFD 10", fcntl(10, F_SETFD, FD_CLOEXEC));
  check("F_GETFD 10", fcntl(10, F_GETFD));
  check("F_DUPFD 5", fcntl(fd, F_DUPFD, 5));
  check("F_DUPFD_CLOEXEC 5", fcntl(fd, F_DUPFD_CLOEXEC, 5));
  check("F_GETFD 6", fcntl(6, F_GETFD));
  check("F_DUPFD 100000", fcntl(fd, F_DUPFD, 100000));
  check("dup bad fd", dup(-1));
  check("close 10", close(10));
  check("close 10 again", close(10));
  check("fcntl bad fd", fcntl(99, F_GETFD));
  check("fcntl bad cmd", fcntl(fd, 12345));

  // Redirect stdout to the file and back.
  fflush(stdout);
  int saved = dup(1);
  dup2(fd, 1);
  printf("this line goes to the file\n");
  fflush(stdout);
  dup2(saved, 1);
  close(saved);
  lseek(fd, 0, SEEK_SET);
  ssize_t n = read(fd, buf, sizeof buf - 1);
  buf[n > 0 ? n : 0] = 0;
  printf("file now holds: %s", buf);
  close(fd);
  close(4);
  close(5);
  close(6);
  close(12);
  check("unlink dupfile", unlink("dupfile"));
  return 0;
}
