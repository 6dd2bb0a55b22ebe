// The interface ioctls as far as lo goes (SIOCGIFINDEX, SIOCGIFNAME, SIOCGIFCONF with
// room for one entry: lo comes first in every namespace, SIOCGIFFLAGS/MTU/ADDR/NETMASK) and the
// IP control messages of UDP on 127.0.0.0/8 and ::1: IP_PKTINFO, IP_RECVTTL, IP_RECVTOS,
// IPV6_RECVPKTINFO, IPV6_RECVHOPLIMIT, IPV6_RECVTCLASS received; IP_TTL, IP_TOS, IP_PKTINFO,
// IPV6_HOPLIMIT, IPV6_TCLASS, IPV6_PKTINFO sent; a dual-stack socket receiving over IPv4; the
// errors ip_cmsg_send and ip6_datagram_send_ctl give. Every TTL and hop limit is set
// explicitly (the defaults are sysctls). Output depends on no port the host picks: fixed
// ports, and source ports are not printed.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

// Each build of the corpus (glibc; musl; musl for rv64imac) has its own ports: the harness
// runs them at the same time, and under qemu-riscv64 they share the host's loopback.
#if defined(__GLIBC__)
#define PORT_BASE 25000
#elif defined(__riscv_float_abi_soft)
#define PORT_BASE 25020
#else
#define PORT_BASE 25010
#endif
enum { V4_PORT = PORT_BASE + 1, V6_PORT = PORT_BASE + 2, DUAL_PORT = PORT_BASE + 3 };

// The ioctls' arguments are zeroed or static: qemu's -strace prints the bytes they point to
// (and SIOCGIFCONF's buffer address), which must not depend on stack garbage or stack
// addresses (so not glibc's if_nametoindex / if_indextoname, whose struct ifreq is uninitialized).
static struct ifreq conf_reqs[2];
static struct ifconf conf;

static void ioctls(void) {
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct ifreq q;
  memset(&q, 0, sizeof q);
  strcpy(q.ifr_name, "lo");
  int r = ioctl(s, SIOCGIFINDEX, &q);
  printf("SIOCGIFINDEX lo: %d index %d\n", r, q.ifr_ifindex);
  memset(&q, 0, sizeof q);
  q.ifr_ifindex = 1;
  r = ioctl(s, SIOCGIFNAME, &q);
  printf("SIOCGIFNAME 1: %d %s\n", r, q.ifr_name);
  memset(&q, 0, sizeof q);
  strcpy(q.ifr_name, "nosuch0");
  r = ioctl(s, SIOCGIFINDEX, &q);
  printf("SIOCGIFINDEX nosuch0: %d %s\n", r, strerror(errno));
  memset(conf_reqs, 0xaa, sizeof conf_reqs);
  conf.ifc_len = sizeof(struct ifreq);
  conf.ifc_req = conf_reqs;
  r = ioctl(s, SIOCGIFCONF, &conf);
  struct sockaddr_in *a = (struct sockaddr_in *)&conf_reqs[0].ifr_addr;
  printf("SIOCGIFCONF (room for one): %d, ifc_len %d, %.16s family %d %s\n", r, conf.ifc_len, conf_reqs[0].ifr_name, a->sin_family, inet_ntoa(a->sin_addr));
  conf.ifc_len = sizeof(struct ifreq) - 1;
  r = ioctl(s, SIOCGIFCONF, &conf);
  printf("SIOCGIFCONF (room for none): %d, ifc_len %d\n", r, conf.ifc_len);
  memset(&q, 0, sizeof q);
  strcpy(q.ifr_name, "lo");
  r = ioctl(s, SIOCGIFFLAGS, &q);
  printf("SIOCGIFFLAGS: %d flags %#x up %d loopback %d running %d\n", r, (unsigned short)q.ifr_flags, !!(q.ifr_flags & IFF_UP), !!(q.ifr_flags & IFF_LOOPBACK), !!(q.ifr_flags & IFF_RUNNING));
  r = ioctl(s, SIOCGIFMTU, &q);
  printf("SIOCGIFMTU: %d mtu %d\n", r, q.ifr_mtu);
  r = ioctl(s, SIOCGIFADDR, &q);
  printf("SIOCGIFADDR: %d %s\n", r, inet_ntoa(((struct sockaddr_in *)&q.ifr_addr)->sin_addr));
  r = ioctl(s, SIOCGIFNETMASK, &q);
  printf("SIOCGIFNETMASK: %d %s\n", r, inet_ntoa(((struct sockaddr_in *)&q.ifr_netmask)->sin_addr));
  memset(&q, 0, sizeof q);
  strcpy(q.ifr_name, "nosuch0");
  r = ioctl(s, SIOCGIFADDR, &q);
  printf("SIOCGIFADDR nosuch0: %d %s\n", r, strerror(errno));
  close(s);
}

static void show_cmsgs(struct msghdr *m) {
  for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
    unsigned char *d = CMSG_DATA(c);
    printf("  cmsg level %d type %d len %zu: ", c->cmsg_level, c->cmsg_type, (size_t)c->cmsg_len);
    char b1[INET6_ADDRSTRLEN], b2[INET6_ADDRSTRLEN];
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      struct in_pktinfo p;
      memcpy(&p, d, sizeof p);
      printf("IP_PKTINFO ifindex %d spec_dst %s", p.ipi_ifindex, inet_ntop(AF_INET, &p.ipi_spec_dst, b1, sizeof b1));
      printf(" addr %s\n", inet_ntop(AF_INET, &p.ipi_addr, b2, sizeof b2));
    } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) {
      int v;
      memcpy(&v, d, sizeof v);
      printf("IP_TTL %d\n", v);
    } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TOS) {
      printf("IP_TOS %#x\n", d[0]);
    } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
      struct in6_pktinfo p;
      memcpy(&p, d, sizeof p);
      printf("IPV6_PKTINFO addr %s ifindex %d\n", inet_ntop(AF_INET6, &p.ipi6_addr, b1, sizeof b1), p.ipi6_ifindex);
    } else if (c->cmsg_level == IPPROTO_IPV6 && (c->cmsg_type == IPV6_HOPLIMIT || c->cmsg_type == IPV6_TCLASS)) {
      int v;
      memcpy(&v, d, sizeof v);
      printf("%s %d\n", c->cmsg_type == IPV6_HOPLIMIT ? "IPV6_HOPLIMIT" : "IPV6_TCLASS", v);
    } else
      printf("?\n");
  }
}

// One datagram with the control messages the socket asked for, into a control buffer of `room` bytes.
static void receive(int fd, const char *what, size_t room) {
  char data[64], ctl[256];
  struct sockaddr_storage from;
  struct iovec iov = { data, sizeof data - 1 };
  struct msghdr m = { .msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1, .msg_control = room ? ctl : NULL, .msg_controllen = room };
  memset(ctl, 0, sizeof ctl);
  ssize_t n = recvmsg(fd, &m, MSG_DONTWAIT);
  if (n < 0) {
    printf("%s: recvmsg %s\n", what, strerror(errno));
    return;
  }
  data[n] = 0;
  char ip[INET6_ADDRSTRLEN];
  const void *src = from.ss_family == AF_INET ? (void *)&((struct sockaddr_in *)&from)->sin_addr : (void *)&((struct sockaddr_in6 *)&from)->sin6_addr;
  printf("%s: %zd \"%s\" from %s, msg_flags %#x, msg_controllen %zu\n", what, n, data, inet_ntop(from.ss_family, src, ip, sizeof ip), m.msg_flags, (size_t)m.msg_controllen);
  show_cmsgs(&m);
}

static void setint(int fd, int level, int opt, int v, const char *name) {
  if (setsockopt(fd, level, opt, &v, sizeof v) != 0) printf("setsockopt %s: %s\n", name, strerror(errno));
}

static int getint(int fd, int level, int opt) {
  int v = -12345;
  socklen_t l = sizeof v;
  if (getsockopt(fd, level, opt, &v, &l) != 0) return -errno;
  return v;
}

// sendmsg of `text` to `to` with the control messages in `ctl` (`len` bytes): the result or the error.
static void send_ctl(int fd, const void *to, socklen_t tolen, const char *text, const void *ctl, size_t len, const char *what) {
  struct iovec iov = { (void *)text, strlen(text) };
  struct msghdr m = { .msg_name = (void *)to, .msg_namelen = tolen, .msg_iov = &iov, .msg_iovlen = 1, .msg_control = (void *)ctl, .msg_controllen = len };
  ssize_t r = sendmsg(fd, &m, 0);
  printf("sendmsg %s: %zd%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

// A control buffer of one or two messages.
union ctlbuf {
  char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int)) * 2];
  struct cmsghdr align;
};

static size_t put(union ctlbuf *u, size_t at, int level, int type, const void *data, size_t len) {
  struct cmsghdr *c = (struct cmsghdr *)(u->buf + at);
  c->cmsg_level = level;
  c->cmsg_type = type;
  c->cmsg_len = CMSG_LEN(len);
  memcpy(CMSG_DATA(c), data, len);
  return at + CMSG_SPACE(len);
}

static void udp4(void) {
  int r = socket(AF_INET, SOCK_DGRAM, 0), s = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in any = { .sin_family = AF_INET, .sin_port = htons(V4_PORT) };
  if (bind(r, (struct sockaddr *)&any, sizeof any) != 0) printf("bind: %s\n", strerror(errno));
  struct sockaddr_in to = any;
  inet_pton(AF_INET, "127.0.0.3", &to.sin_addr);
  // (getsockopt(IP_RECVTTL) is left out: qemu-riscv64 7.2 answers ENOPROTOOPT, deviation getsockopt-ip-recvttl-enoprotoopt.)
  printf("defaults: IP_PKTINFO %d IP_RECVTOS %d IP_TOS %d\n", getint(r, IPPROTO_IP, IP_PKTINFO), getint(r, IPPROTO_IP, IP_RECVTOS), getint(r, IPPROTO_IP, IP_TOS));
  // Queued before IP_PKTINFO is on: ipv4_pktinfo_prepare left ifindex and spec_dst 0.
  setint(s, IPPROTO_IP, IP_TTL, 33, "IP_TTL");
  sendto(s, "early", 5, 0, (struct sockaddr *)&to, sizeof to);
  setint(r, IPPROTO_IP, IP_PKTINFO, 1, "IP_PKTINFO");
  setint(r, IPPROTO_IP, IP_RECVTTL, 1, "IP_RECVTTL");
  setint(r, IPPROTO_IP, IP_RECVTOS, 1, "IP_RECVTOS");
  printf("set: IP_PKTINFO %d IP_RECVTOS %d\n", getint(r, IPPROTO_IP, IP_PKTINFO), getint(r, IPPROTO_IP, IP_RECVTOS));
  receive(r, "v4 early", 256);
  setint(s, IPPROTO_IP, IP_TOS, 0x10, "IP_TOS");
  printf("sender: IP_TTL %d IP_TOS %#x\n", getint(s, IPPROTO_IP, IP_TTL), getint(s, IPPROTO_IP, IP_TOS));
  sendto(s, "plain", 5, 0, (struct sockaddr *)&to, sizeof to);
  receive(r, "v4 plain", 256);
  union ctlbuf u;
  memset(&u, 0, sizeof u);
  int ttl = 7, tos = 0x20;
  size_t n = put(&u, 0, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl);
  n = put(&u, n, IPPROTO_IP, IP_TOS, &tos, sizeof tos);
  send_ctl(s, &to, sizeof to, "cmsgs", u.buf, n, "IP_TTL 7 + IP_TOS 0x20");
  receive(r, "v4 cmsgs", 256);
  unsigned char tosb = 0x48;
  n = put(&u, 0, IPPROTO_IP, IP_TOS, &tosb, 1);
  send_ctl(s, &to, sizeof to, "tosbyte", u.buf, n, "IP_TOS as a byte");
  receive(r, "v4 tos byte, room for one message", CMSG_SPACE(sizeof(struct in_pktinfo)));
  struct in_pktinfo pi = { .ipi_ifindex = 1 };
  inet_pton(AF_INET, "127.0.0.9", &pi.ipi_spec_dst);
  n = put(&u, 0, IPPROTO_IP, IP_PKTINFO, &pi, sizeof pi);
  send_ctl(s, &to, sizeof to, "pktinfo", u.buf, n, "IP_PKTINFO from 127.0.0.9 on lo");
  receive(r, "v4 pktinfo", 256);
  sendto(s, "nocontrol", 9, 0, (struct sockaddr *)&to, sizeof to);
  receive(r, "v4 without a control buffer", 0);
  // Errors (ip_cmsg_send): nothing is sent.
  ttl = 0;
  n = put(&u, 0, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl);
  send_ctl(s, &to, sizeof to, "x", u.buf, n, "IP_TTL 0");
  ttl = 256;
  n = put(&u, 0, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl);
  send_ctl(s, &to, sizeof to, "x", u.buf, n, "IP_TTL 256");
  n = put(&u, 0, IPPROTO_IP, IP_TOS, &tos, 2);
  send_ctl(s, &to, sizeof to, "x", u.buf, n, "IP_TOS of 2 bytes");
  n = put(&u, 0, IPPROTO_IP, IP_PKTINFO, &pi, sizeof pi - 1);
  send_ctl(s, &to, sizeof to, "x", u.buf, n, "IP_PKTINFO too short");
  n = put(&u, 0, IPPROTO_IP, 12345, &ttl, sizeof ttl);
  send_ctl(s, &to, sizeof to, "x", u.buf, n, "an unknown SOL_IP type");
  pi.ipi_ifindex = 0x7fff;
  n = put(&u, 0, IPPROTO_IP, IP_PKTINFO, &pi, sizeof pi);
  send_ctl(s, &to, sizeof to, "x", u.buf, n, "IP_PKTINFO on an interface no host has");
  n = put(&u, 0, 9999, 1, &ttl, sizeof ttl);
  send_ctl(s, &to, sizeof to, "otherlevel", u.buf, n, "another level (skipped)");
  receive(r, "v4 after the errors", 256);
  int bad = 0;
  printf("setsockopt IP_TTL 0: %d %s\n", setsockopt(s, IPPROTO_IP, IP_TTL, &bad, sizeof bad), strerror(errno));
  close(r);
  close(s);
}

static void udp6(void) {
  int r = socket(AF_INET6, SOCK_DGRAM, 0), s = socket(AF_INET6, SOCK_DGRAM, 0);
  struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_port = htons(V6_PORT), .sin6_addr = IN6ADDR_LOOPBACK_INIT };
  if (bind(r, (struct sockaddr *)&to, sizeof to) != 0) printf("bind6: %s\n", strerror(errno));
  setint(r, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
  setint(r, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT");
  setint(r, IPPROTO_IPV6, IPV6_RECVTCLASS, 1, "IPV6_RECVTCLASS");
  setint(s, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 5, "IPV6_UNICAST_HOPS");
  setint(s, IPPROTO_IPV6, IPV6_TCLASS, 0x14, "IPV6_TCLASS");
  printf("v6 options: RECVPKTINFO %d RECVHOPLIMIT %d RECVTCLASS %d UNICAST_HOPS %d TCLASS %#x\n", getint(r, IPPROTO_IPV6, IPV6_RECVPKTINFO), getint(r, IPPROTO_IPV6, IPV6_RECVHOPLIMIT),
         getint(r, IPPROTO_IPV6, IPV6_RECVTCLASS), getint(s, IPPROTO_IPV6, IPV6_UNICAST_HOPS), getint(s, IPPROTO_IPV6, IPV6_TCLASS));
  sendto(s, "six", 3, 0, (struct sockaddr *)&to, sizeof to);
  receive(r, "v6 plain", 256);
  union ctlbuf u;
  memset(&u, 0, sizeof u);
  int hl = 9, tc = 0x28;
  struct in6_pktinfo pi = { .ipi6_addr = IN6ADDR_LOOPBACK_INIT, .ipi6_ifindex = 1 };
  size_t n = put(&u, 0, IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof pi);
  n = put(&u, n, IPPROTO_IPV6, IPV6_HOPLIMIT, &hl, sizeof hl);
  n = put(&u, n, IPPROTO_IPV6, IPV6_TCLASS, &tc, sizeof tc);
  send_ctl(s, &to, sizeof to, "cmsgs6", u.buf, n, "IPV6_PKTINFO ::1 on lo + IPV6_HOPLIMIT 9 + IPV6_TCLASS 0x28");
  receive(r, "v6 cmsgs", 256);
  hl = -1;
  n = put(&u, 0, IPPROTO_IPV6, IPV6_HOPLIMIT, &hl, sizeof hl);
  send_ctl(s, &to, sizeof to, "default", u.buf, n, "IPV6_HOPLIMIT -1 (the socket's)");
  receive(r, "v6 hoplimit -1", 256);
  hl = 256;
  n = put(&u, 0, IPPROTO_IPV6, IPV6_HOPLIMIT, &hl, sizeof hl);
  send_ctl(s, &to, sizeof to, "x", u.buf, n, "IPV6_HOPLIMIT 256");
  tc = -2;
  n = put(&u, 0, IPPROTO_IPV6, IPV6_TCLASS, &tc, sizeof tc);
  send_ctl(s, &to, sizeof to, "x", u.buf, n, "IPV6_TCLASS -2");
  pi.ipi6_ifindex = 0x7fff;
  n = put(&u, 0, IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof pi);
  send_ctl(s, &to, sizeof to, "x", u.buf, n, "IPV6_PKTINFO on an interface no host has");
  pi.ipi6_ifindex = 0;
  inet_pton(AF_INET6, "2001:db8::1", &pi.ipi6_addr);
  n = put(&u, 0, IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof pi);
  send_ctl(s, &to, sizeof to, "x", u.buf, n, "IPV6_PKTINFO from an address not on the host");
  receive(r, "v6 after the errors", 256);
  close(r);
  close(s);
}

// A dual-stack AF_INET6 socket receiving over IPv4: IPV6_PKTINFO with the mapped address, then SOL_IP's IP_TTL.
static void dual(void) {
  int r = socket(AF_INET6, SOCK_DGRAM, 0), s = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in6 any = { .sin6_family = AF_INET6, .sin6_port = htons(DUAL_PORT) };
  if (bind(r, (struct sockaddr *)&any, sizeof any) != 0) printf("bind dual: %s\n", strerror(errno));
  setint(r, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
  setint(r, IPPROTO_IP, IP_RECVTTL, 1, "IP_RECVTTL");
  setint(s, IPPROTO_IP, IP_TTL, 44, "IP_TTL");
  struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(DUAL_PORT) };
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  sendto(s, "mapped", 6, 0, (struct sockaddr *)&to, sizeof to);
  receive(r, "dual over IPv4", 256);
  close(r);
  close(s);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  ioctls();
  udp4();
  udp6();
  dual();
  return 0;
}
