// Control messages on AF_UNIX sockets: a pipe's read end and a file's fd passed with
// SCM_RIGHTS from the main thread to a reader thread over a socketpair and read through
// (the file's offset is shared with the sender's fd), MSG_CTRUNC without a control buffer
// (the fds are dropped: a pipe's last write end closes), a stream read stopping at an
// fd-carrying message, SCM_CREDENTIALS with SO_PASSCRED (the sender's, implicit and
// explicit), and sendmsg's control errors. A control buffer too small for what comes is left
// out: qemu-riscv64 gives the host twice the guest's buffer (linux-user/syscall.c
// do_sendrecvmsg_locked), so more fds are installed than fit and MSG_CTRUNC is lost
// (kernel/net/unix-scm.test.ts checks Linux's behaviour); so is a cmsg_len past the buffer,
// which qemu drops instead of failing EINVAL. Output depends on no timing: the reader blocks
// on the socket; fd numbers are the lowest free ones.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static int sv[2];

static int send_fds(int s, const char *data, const int *fds, int n) {
  union { char buf[CMSG_SPACE(sizeof(int) * 8)]; struct cmsghdr align; } u;
  memset(&u, 0, sizeof u);
  struct iovec iov = { (void *)data, strlen(data) };
  struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
  if (n) {
    m.msg_control = u.buf;
    m.msg_controllen = CMSG_SPACE(sizeof(int) * n);
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * n);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
  }
  return (int)sendmsg(s, &m, 0);
}

/** recvmsg with `room` bytes of control buffer: prints what came and returns the first fd (or -1). */
static int recv_show(int s, const char *what, size_t room, int flags) {
  union { char buf[256]; struct cmsghdr align; } u;
  memset(&u, 0xee, sizeof u);
  char data[64];
  struct iovec iov = { data, sizeof data - 1 };
  struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = room ? u.buf : NULL, .msg_controllen = room };
  ssize_t r = recvmsg(s, &m, flags);
  if (r < 0) { printf("%s: recvmsg %s\n", what, strerror(errno)); return -1; }
  data[r] = 0;
  printf("%s: %zd \"%s\" ctrunc=%d controllen=%zu", what, r, data, (m.msg_flags & MSG_CTRUNC) != 0, (size_t)m.msg_controllen);
  int first = -1;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
    printf(" [len=%zu", (size_t)c->cmsg_len);
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
      int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
      printf(" rights");
      for (int i = 0; i < n; i++) {
        int fd;
        memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
        if (first < 0) first = fd;
        printf(" %d%s", fd, fcntl(fd, F_GETFD) == FD_CLOEXEC ? "(cloexec)" : "");
      }
    } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS && c->cmsg_len >= CMSG_LEN(sizeof(struct ucred))) {
      struct ucred uc;
      memcpy(&uc, CMSG_DATA(c), sizeof uc);
      printf(" creds pid=%s uid=%s gid=%s", uc.pid == getpid() ? "self" : uc.pid == 0 ? "0" : "other",
             uc.uid == getuid() ? "self" : uc.uid == 65534 ? "overflow" : "other",
             uc.gid == getgid() ? "self" : uc.gid == 65534 ? "overflow" : "other");
    } else {
      printf(" level=%d type=%d", c->cmsg_level, c->cmsg_type);
    }
    printf("]");
  }
  printf("\n");
  return first;
}

static int go[2];

/** Each phase starts when the main thread has queued all of its messages, and ends with an ack. */
static void phase(void) {
  char c;
  read(go[0], &c, 1);
}
static void ack(int s) {
  send(s, "k", 1, 0);
}

static void *reader(void *arg) {
  (void)arg;
  int s = sv[1];
  char buf[64];
  // 1. a pipe's read end
  phase();
  int p = recv_show(s, "pipe fd", 64, 0);
  int p2 = dup(p);
  ssize_t n = read(p, buf, sizeof buf - 1);
  buf[n > 0 ? n : 0] = 0;
  printf("read through passed pipe: %zd \"%s\"\n", n, buf);
  close(p);
  ack(s);
  // 2. a file's fd, close-on-exec on receipt
  phase();
  int f = recv_show(s, "file fd", 64, MSG_CMSG_CLOEXEC);
  n = read(f, buf, 3);
  buf[n > 0 ? n : 0] = 0;
  printf("read through passed file: %zd \"%s\"\n", n, buf);
  close(f);
  ack(s); // the main thread checks the shared offset
  // 3. three write ends, no control buffer: MSG_CTRUNC, all put (the sender closed its own)
  phase();
  recv_show(s, "no control buffer", 0, 0);
  n = read(p2, buf, sizeof buf);
  printf("pipe after its last write end went: %zd\n", n);
  close(p2);
  ack(s);
  // 4. a stream read stops after the fd message
  phase();
  recv_show(s, "stream 1", 64, 0);
  recv_show(s, "stream 2", 64, 0);
  int on = 1;
  setsockopt(s, SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
  ack(s);
  // 5. credentials
  phase();
  recv_show(s, "passcred implicit", 64, 0);
  ack(s);
  phase();
  recv_show(s, "passcred explicit+rights", 128, 0);
  ack(s);
  phase();
  recv_show(s, "passcred no control buffer", 0, 0);
  return NULL;
}

static void bad(int s, const char *what, int level, int type, size_t len, const void *data, size_t dlen) {
  union { char buf[64]; struct cmsghdr align; } u;
  memset(&u, 0, sizeof u);
  struct iovec iov = { "x", 1 };
  struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = CMSG_SPACE(dlen) };
  struct cmsghdr *c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = level;
  c->cmsg_type = type;
  c->cmsg_len = len;
  memcpy(CMSG_DATA(c), data, dlen);
  ssize_t r = sendmsg(s, &m, 0);
  printf("sendmsg %s: %zd %s\n", what, r, r < 0 ? strerror(errno) : "");
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) { perror("socketpair"); return 1; }
  int pfd[2];
  pipe(pfd);
  write(pfd[1], "through the pipe", 16);
  int file = open("zs-fdpass.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
  write(file, "0123456789", 10);
  lseek(file, 2, SEEK_SET);
  printf("fds: socketpair %d %d pipe %d %d file %d\n", sv[0], sv[1], pfd[0], pfd[1], file);
  pipe(go);
  pthread_t th;
  pthread_create(&th, NULL, reader, NULL);
  int s = sv[0];
  char k;
#define GO() (write(go[1], "g", 1), recv(s, &k, 1, 0))
  send_fds(s, "P", &pfd[0], 1);
  GO();
  send_fds(s, "F", &file, 1);
  GO();
  long off = (long)lseek(file, 0, SEEK_CUR);
  int three[3] = { pfd[1], pfd[1], pfd[1] };
  send_fds(s, "N", three, 3);
  close(pfd[1]);
  GO();
  send(s, "ab", 2, 0);
  send_fds(s, "cd", &file, 1);
  send(s, "ef", 2, 0);
  GO(); // SO_PASSCRED is on at the reader after this
  send(s, "i", 1, 0);
  GO();
  ssize_t cr;
  {
    union { char buf[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
    memset(&u, 0, sizeof u);
    struct iovec iov = { "e", 1 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf };
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_CREDENTIALS;
    c->cmsg_len = CMSG_LEN(sizeof(struct ucred));
    struct ucred uc = { getpid(), getuid(), getgid() };
    memcpy(CMSG_DATA(c), &uc, sizeof uc);
    c = CMSG_NXTHDR(&m, c);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &file, sizeof file);
    cr = sendmsg(s, &m, 0);
  }
  GO();
  send(s, "s", 1, 0);
  write(go[1], "g", 1);
  pthread_join(th, NULL);
  close(pfd[0]);
  printf("sendmsg creds+rights: %zd\n", cr);
  printf("file offset seen by the sender after the reader's read: %ld\n", off);
  int badfd = 99;
  bad(s, "bad fd", SOL_SOCKET, SCM_RIGHTS, CMSG_LEN(sizeof(int)), &badfd, sizeof(int));
  bad(s, "short cmsg_len", SOL_SOCKET, SCM_RIGHTS, sizeof(struct cmsghdr) - 1, &file, sizeof(int));
  bad(s, "unknown type", SOL_SOCKET, 77, CMSG_LEN(sizeof(int)), &file, sizeof(int));
  bad(s, "other level", 0, 1, CMSG_LEN(sizeof(int)), &file, sizeof(int));
  struct ucred bu = { getpid(), (uid_t)-1, getgid() };
  bad(s, "creds uid -1", SOL_SOCKET, SCM_CREDENTIALS, CMSG_LEN(sizeof bu), &bu, sizeof bu);
  bad(s, "creds bad len", SOL_SOCKET, SCM_CREDENTIALS, CMSG_LEN(sizeof bu) + 4, &bu, sizeof bu + 4);
  unlink("zs-fdpass.tmp");
  return 0;
}
