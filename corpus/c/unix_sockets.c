// AF_UNIX sockets: an echo server and client on two threads over a stream socket bound to a
// path in the working directory, socketpair ping-pong between threads, a datagram exchange
// keeping message boundaries, seqpacket boundaries, and error paths. Output depends on no
// timing: every wait is a blocking call on a socket the other side writes.
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static const char *PATH = "zs-echo.sock";

static socklen_t addr_of(struct sockaddr_un *a, const char *path) {
  memset(a, 0, sizeof *a);
  a->sun_family = AF_UNIX;
  strcpy(a->sun_path, path);
  return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

static void *echo_server(void *arg) {
  int ls = *(int *)arg;
  for (int n = 0; n < 2; n++) {
    int c = accept(ls, NULL, NULL);
    if (c < 0) { perror("accept"); return NULL; }
    char buf[64];
    ssize_t r;
    while ((r = read(c, buf, sizeof buf)) > 0) write(c, buf, (size_t)r);
    close(c);
  }
  return NULL;
}

static void *pong(void *arg) {
  int s = *(int *)arg;
  int v;
  while (read(s, &v, sizeof v) == sizeof v) {
    v += 1;
    if (write(s, &v, sizeof v) != sizeof v) break;
    if (v >= 10) break;
  }
  return NULL;
}

static void echo(void) {
  unlink(PATH);
  int ls = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un a;
  socklen_t alen = addr_of(&a, PATH);
  if (bind(ls, (struct sockaddr *)&a, alen) != 0) perror("bind");
  struct stat st;
  stat(PATH, &st);
  printf("bound: S_ISSOCK=%d mode=%o\n", S_ISSOCK(st.st_mode), st.st_mode & 0777);
  int ls2 = socket(AF_UNIX, SOCK_STREAM, 0);
  printf("bind twice: %d %s\n", bind(ls2, (struct sockaddr *)&a, alen), strerror(errno));
  close(ls2);
  listen(ls, 4);
  pthread_t t;
  // Both client sockets exist before the server thread starts, and are closed only after it
  // ends: the server's accept takes its descriptor number before it waits (Linux's
  // get_unused_fd_flags), so no descriptor may come or go in this thread meanwhile, or the
  // numbers would follow the threads' timing.
  int cs[2] = {socket(AF_UNIX, SOCK_STREAM, 0), socket(AF_UNIX, SOCK_STREAM, 0)};
  pthread_create(&t, NULL, echo_server, &ls);
  for (int n = 0; n < 2; n++) {
    int c = cs[n];
    if (connect(c, (struct sockaddr *)&a, alen) != 0) perror("connect");
    struct sockaddr_un peer;
    socklen_t plen = sizeof peer;
    getpeername(c, (struct sockaddr *)&peer, &plen);
    printf("client %d: peer %s (len %u)\n", n, peer.sun_path, (unsigned)plen);
    const char *msgs[] = {"hello", "echo server", "bye"};
    for (int i = 0; i < 3; i++) {
      size_t len = strlen(msgs[i]);
      write(c, msgs[i], len);
      char buf[64] = {0};
      size_t got = 0;
      while (got < len) {
        ssize_t r = read(c, buf + got, len - got);
        if (r <= 0) break;
        got += (size_t)r;
      }
      printf("client %d got \"%s\"\n", n, buf);
    }
    shutdown(c, SHUT_WR);
    char b;
    printf("client %d after shutdown: read %zd\n", n, read(c, &b, 1));
    printf("send after shutdown: %zd %s\n", send(c, "x", 1, MSG_NOSIGNAL), strerror(errno));
  }
  pthread_join(t, NULL);
  close(cs[0]);
  close(cs[1]);
  close(ls);
  int c = socket(AF_UNIX, SOCK_STREAM, 0);
  printf("connect, nobody listening: %d %s\n", connect(c, (struct sockaddr *)&a, alen), strerror(errno));
  struct sockaddr_un missing;
  socklen_t mlen = addr_of(&missing, "zs-no-such.sock");
  printf("connect, no such path: %d %s\n", connect(c, (struct sockaddr *)&missing, mlen), strerror(errno));
  int d = socket(AF_UNIX, SOCK_DGRAM, 0);
  printf("connect dgram to stream path: %d %s\n", connect(d, (struct sockaddr *)&a, alen), strerror(errno));
  close(c);
  close(d);
  unlink(PATH);
}

static void ping_pong(void) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  pthread_t t;
  pthread_create(&t, NULL, pong, &sv[1]);
  int v = 0;
  while (v < 10) {
    v += 1;
    write(sv[0], &v, sizeof v);
    if (read(sv[0], &v, sizeof v) != sizeof v) break;
    printf("ping-pong %d\n", v);
  }
  pthread_join(t, NULL);
  struct ucred cr;
  socklen_t crl = sizeof cr;
  getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cr, &crl);
  printf("peercred: same pid %d, uid %u\n", cr.pid == getpid(), cr.uid);
  close(sv[1]);
  char b;
  printf("read after peer closed: %zd\n", read(sv[0], &b, 1));
  printf("write after peer closed: %zd %s\n", send(sv[0], "x", 1, MSG_NOSIGNAL), strerror(errno));
  close(sv[0]);
}

static void datagrams(void) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
  send(sv[0], "one", 3, 0);
  send(sv[0], "two-two", 7, 0);
  send(sv[0], "", 0, 0);
  send(sv[0], "three", 5, 0);
  char buf[16];
  for (int i = 0; i < 4; i++) {
    memset(buf, 0, sizeof buf);
    ssize_t r = recv(sv[1], buf, i == 1 ? 3 : sizeof buf, i == 1 ? MSG_TRUNC : 0);
    printf("dgram %d: %zd \"%s\"\n", i, r, buf);
  }
  printf("empty, MSG_DONTWAIT: %zd %s\n", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), strerror(errno));
  close(sv[0]);
  close(sv[1]);

  int q[2];
  socketpair(AF_UNIX, SOCK_SEQPACKET, 0, q);
  send(q[0], "abc", 3, 0);
  send(q[0], "defgh", 5, 0);
  struct iovec iov = {buf, 2};
  struct msghdr m = {0};
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  memset(buf, 0, sizeof buf);
  ssize_t r = recvmsg(q[1], &m, 0);
  printf("seqpacket: %zd \"%s\" truncated=%d\n", r, buf, (m.msg_flags & MSG_TRUNC) != 0);
  memset(buf, 0, sizeof buf);
  printf("seqpacket next: %zd \"%s\"\n", recv(q[1], buf, sizeof buf, 0), buf);
  close(q[0]);
  printf("seqpacket after close: %zd\n", recv(q[1], buf, sizeof buf, 0));
  close(q[1]);
}

int main(void) {
  echo();
  ping_pong();
  datagrams();
  return 0;
}
