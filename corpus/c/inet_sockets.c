// AF_INET on the loopback: a TCP echo server and client on two threads over 127.0.0.1 on a
// fixed port, a UDP exchange keeping datagram boundaries (MSG_TRUNC, the source address),
// connect to a closed port (ECONNREFUSED), bind twice (EADDRINUSE), a non-local address
// (EADDRNOTAVAIL), socket options. Output depends on no timing and on no port the host
// picks: fixed ports are printed, ephemeral ones only compared.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

// Each build of the corpus (glibc; musl; musl for rv64imac) has its own ports: the harness
// runs them at the same time, and under qemu-riscv64 they share the host's loopback.
#if defined(__GLIBC__)
#define PORT_BASE 23400
#elif defined(__riscv_float_abi_soft)
#define PORT_BASE 23420
#else
#define PORT_BASE 23410
#endif
enum { TCP_PORT = PORT_BASE + 1, UDP_A = PORT_BASE + 2, UDP_B = PORT_BASE + 3, TWICE_PORT = PORT_BASE + 4, CLOSED_PORT = PORT_BASE + 9 };

static struct sockaddr_in sin_of(const char *ip, int port) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)port);
  inet_pton(AF_INET, ip, &a.sin_addr);
  return a;
}

static const char *ip_of(const struct sockaddr_in *a, char *buf) {
  return inet_ntop(AF_INET, &a->sin_addr, buf, INET_ADDRSTRLEN);
}

// The server thread's report, printed by main after the join (so no line depends on which
// thread the scheduler runs first).
static char server_log[512];

static void *echo_server(void *arg) {
  int ls = *(int *)arg;
  for (int n = 0; n < 2; n++) {
    struct sockaddr_in peer;
    socklen_t plen = sizeof peer;
    int c = accept(ls, (struct sockaddr *)&peer, &plen);
    if (c < 0) { perror("accept"); return NULL; }
    struct sockaddr_in me;
    socklen_t mlen = sizeof me;
    getsockname(c, (struct sockaddr *)&me, &mlen);
    char b1[INET_ADDRSTRLEN], b2[INET_ADDRSTRLEN];
    size_t at = strlen(server_log);
    snprintf(server_log + at, sizeof server_log - at, "server: accepted from %s (len %u), local %s:%d\n", ip_of(&peer, b1), (unsigned)plen, ip_of(&me, b2), ntohs(me.sin_port));
    char buf[64];
    ssize_t r;
    while ((r = read(c, buf, sizeof buf)) > 0) write(c, buf, (size_t)r);
    at = strlen(server_log);
    snprintf(server_log + at, sizeof server_log - at, "server: client %d done (%zd)\n", n, r);
    close(c);
  }
  return NULL;
}

static void tcp_echo(void) {
  int ls = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = sin_of("127.0.0.1", TCP_PORT);
  if (bind(ls, (struct sockaddr *)&a, sizeof a) != 0) perror("bind");
  if (listen(ls, 4) != 0) perror("listen");
  struct sockaddr_in got;
  socklen_t glen = sizeof got;
  getsockname(ls, (struct sockaddr *)&got, &glen);
  char b[INET_ADDRSTRLEN];
  printf("listening on %s:%d (len %u)\n", ip_of(&got, b), ntohs(got.sin_port), (unsigned)glen);
  pthread_t t;
  // Both client sockets exist before the server thread starts, and are closed only after it
  // ends: the server's accept takes its descriptor number before it waits (Linux's
  // get_unused_fd_flags), so no descriptor may come or go in this thread meanwhile, or the
  // numbers would follow the threads' timing.
  int cs[2] = {socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)};
  pthread_create(&t, NULL, echo_server, &ls);
  for (int n = 0; n < 2; n++) {
    int c = cs[n];
    if (connect(c, (struct sockaddr *)&a, sizeof a) != 0) perror("connect");
    struct sockaddr_in peer, me;
    socklen_t plen = sizeof peer, mlen = sizeof me;
    getpeername(c, (struct sockaddr *)&peer, &plen);
    getsockname(c, (struct sockaddr *)&me, &mlen);
    printf("client %d: peer %s:%d, local %s, ephemeral port %s\n", n, ip_of(&peer, b), ntohs(peer.sin_port), inet_ntoa(me.sin_addr),
           ntohs(me.sin_port) != 0 && ntohs(me.sin_port) != TCP_PORT ? "yes" : "no");
    const char *msgs[] = {"hello", "echo over tcp", "bye"};
    for (int i = 0; i < 3; i++) {
      size_t len = strlen(msgs[i]);
      send(c, msgs[i], len, 0);
      char buf[64] = {0};
      size_t have = 0;
      while (have < len) {
        ssize_t r = recv(c, buf + have, len - have, 0);
        if (r <= 0) break;
        have += (size_t)r;
      }
      printf("client %d got \"%s\"\n", n, buf);
    }
    shutdown(c, SHUT_WR);
    char x;
    printf("client %d after shutdown: read %zd\n", n, read(c, &x, 1));
    errno = 0;
    printf("client %d send after shutdown: %zd %s\n", n, send(c, "x", 1, MSG_NOSIGNAL), strerror(errno));
  }
  pthread_join(t, NULL);
  close(cs[0]);
  close(cs[1]);
  fputs(server_log, stdout);
  close(ls);
}

static void options(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  int v;
  socklen_t l = sizeof v;
  getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &l);
  printf("SO_TYPE %d", v);
  getsockopt(s, SOL_SOCKET, SO_DOMAIN, &v, &l);
  printf(" SO_DOMAIN %d", v);
  getsockopt(s, SOL_SOCKET, SO_PROTOCOL, &v, &l);
  printf(" SO_PROTOCOL %d", v);
  getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, &l);
  printf(" TCP_NODELAY %d", v);
  v = 1;
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, sizeof v);
  getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, &l);
  printf(" -> %d", v);
  getsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, &l);
  printf(" SO_REUSEADDR %d\n", v);
  int u = socket(AF_INET, SOCK_DGRAM, 0);
  getsockopt(u, SOL_SOCKET, SO_TYPE, &v, &l);
  printf("udp: SO_TYPE %d", v);
  getsockopt(u, SOL_SOCKET, SO_PROTOCOL, &v, &l);
  printf(" SO_PROTOCOL %d\n", v);
  struct sockaddr_in me;
  socklen_t mlen = sizeof me;
  getsockname(s, (struct sockaddr *)&me, &mlen);
  printf("unbound: %s:%d (len %u)\n", inet_ntoa(me.sin_addr), ntohs(me.sin_port), (unsigned)mlen);
  errno = 0;
  printf("getpeername unconnected: %d %s\n", getpeername(s, (struct sockaddr *)&me, &mlen), strerror(errno));
  close(s);
  close(u);
}

static void udp(void) {
  int a = socket(AF_INET, SOCK_DGRAM, 0);
  int b = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  struct sockaddr_in aa = sin_of("127.0.0.1", UDP_A), ba = sin_of("127.0.0.1", UDP_B);
  if (bind(a, (struct sockaddr *)&aa, sizeof aa) != 0) perror("bind a");
  if (bind(b, (struct sockaddr *)&ba, sizeof ba) != 0) perror("bind b");
  sendto(a, "one", 3, 0, (struct sockaddr *)&ba, sizeof ba);
  sendto(a, "two-two", 7, 0, (struct sockaddr *)&ba, sizeof ba);
  sendto(a, "", 0, 0, (struct sockaddr *)&ba, sizeof ba);
  sendto(a, "three", 5, 0, (struct sockaddr *)&ba, sizeof ba);
  for (int i = 0; i < 4; i++) {
    char buf[16] = {0};
    struct sockaddr_in from;
    socklen_t flen = sizeof from;
    ssize_t r = recvfrom(b, buf, i == 1 ? 3 : sizeof buf, i == 1 ? MSG_TRUNC : 0, (struct sockaddr *)&from, &flen);
    char ip[INET_ADDRSTRLEN];
    printf("udp %d: %zd \"%s\" from %s:%d (len %u)\n", i, r, buf, ip_of(&from, ip), ntohs(from.sin_port), (unsigned)flen);
  }
  errno = 0;
  char x;
  printf("udp empty, MSG_DONTWAIT: %zd %s\n", recv(b, &x, 1, MSG_DONTWAIT), strerror(errno));
  connect(b, (struct sockaddr *)&aa, sizeof aa);
  send(b, "reply", 5, 0);
  char buf[16] = {0};
  printf("udp reply: %zd \"%s\"\n", recv(a, buf, sizeof buf, 0), buf);
  errno = 0;
  printf("send without address, unconnected: %zd %s\n", send(a, "x", 1, 0), strerror(errno));
  close(a);
  close(b);
}

static void errors(void) {
  int c = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in closed = sin_of("127.0.0.1", CLOSED_PORT);
  errno = 0;
  printf("connect to a closed port: %d %s\n", connect(c, (struct sockaddr *)&closed, sizeof closed), strerror(errno));
  close(c);
  int s1 = socket(AF_INET, SOCK_STREAM, 0), s2 = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in tw = sin_of("127.0.0.1", TWICE_PORT);
  printf("bind: %d\n", bind(s1, (struct sockaddr *)&tw, sizeof tw));
  errno = 0;
  printf("bind the same port again: %d %s\n", bind(s2, (struct sockaddr *)&tw, sizeof tw), strerror(errno));
  errno = 0;
  printf("bind a bound socket: %d %s\n", bind(s1, (struct sockaddr *)&tw, sizeof tw), strerror(errno));
  struct sockaddr_in far = sin_of("192.0.2.1", TWICE_PORT);
  errno = 0;
  printf("bind a non-local address: %d %s\n", bind(s2, (struct sockaddr *)&far, sizeof far), strerror(errno));
  errno = 0;
  printf("bind a short address: %d %s\n", bind(s2, (struct sockaddr *)&tw, sizeof tw - 1), strerror(errno));
  errno = 0;
  printf("shutdown unconnected: %d %s\n", shutdown(s2, SHUT_RDWR), strerror(errno));
  errno = 0;
  printf("socketpair AF_INET: %d %s\n", socketpair(AF_INET, SOCK_STREAM, 0, (int[2]){0, 0}), strerror(errno));
  errno = 0;
  printf("SOCK_SEQPACKET: %d %s\n", socket(AF_INET, SOCK_SEQPACKET, 0), strerror(errno));
  errno = 0;
  printf("stream with IPPROTO_UDP: %d %s\n", socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), strerror(errno));
  close(s1);
  close(s2);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  tcp_echo();
  options();
  udp();
  errors();
  return 0;
}
