// Readiness: poll/ppoll, select/pselect, epoll (level- and edge-triggered, EPOLLONESHOT)
// and eventfd on pipes, regular files and eventfds. Timeouts are 0 or short (when nothing
// can become ready: the result is 0 either way), so nothing depends on real time.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <unistd.h>

static void check(const char *what, long r) {
  if (r < 0) printf("%-34s -> -1 %s\n", what, strerrorname_np(errno));
  else printf("%-34s -> %ld\n", what, r);
}

static void show_poll(struct pollfd *p, int n) {
  for (int i = 0; i < n; i++) printf("  fd %d revents %#x\n", p[i].fd, p[i].revents);
}

static void show_epoll(struct epoll_event *ev, int n) {
  for (int i = 0; i < n; i++) printf("  data %lu events %#x\n", (unsigned long)ev[i].data.u64, ev[i].events);
}

int main(void) {
  int p[2];
  pipe(p);
  int file = open("pollfile", O_CREAT | O_RDWR | O_TRUNC, 0644);
  struct pollfd pf[4] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}, {file, POLLIN | POLLOUT, 0}, {99, POLLIN, 0}};
  check("poll (empty pipe)", poll(pf, 4, 0));
  show_poll(pf, 4);
  write(p[1], "x", 1);
  check("poll (one byte)", poll(pf, 2, 0));
  show_poll(pf, 2);
  struct pollfd neg = {-1, POLLIN, 0x7};
  check("poll negative fd", poll(&neg, 1, 0));
  printf("  revents %#x\n", neg.revents);
  char c;
  read(p[0], &c, 1);
  check("poll empty, 20 ms", poll(pf, 1, 20));
  struct timespec ts = {0, 0};
  check("ppoll zero timeout", ppoll(pf, 2, &ts, NULL));
  ts.tv_nsec = 2000000000;
  check("ppoll bad timeout", ppoll(pf, 2, &ts, NULL));
  close(p[1]);
  check("poll after writer closed", poll(pf, 1, 0));
  show_poll(pf, 1);
  pipe(p);
  close(p[0]);
  struct pollfd w = {p[1], POLLOUT, 0};
  check("poll write end, no reader", poll(&w, 1, 0));
  printf("  revents %#x\n", w.revents);
  close(p[1]);

  // select.
  pipe(p);
  fd_set r, wr;
  FD_ZERO(&r);
  FD_ZERO(&wr);
  FD_SET(p[0], &r);
  FD_SET(p[1], &wr);
  FD_SET(file, &r);
  struct timeval tv = {0, 0};
  int maxfd = file > p[1] ? file : p[1];
  check("select", select(maxfd + 1, &r, &wr, NULL, &tv));
  printf("  read set: pipe %d file %d; write set: pipe %d\n", FD_ISSET(p[0], &r), FD_ISSET(file, &r), FD_ISSET(p[1], &wr));
  FD_ZERO(&r);
  FD_SET(p[0], &r);
  tv.tv_usec = 10000;
  check("select empty pipe 10 ms", select(p[0] + 1, &r, NULL, NULL, &tv));
  printf("  tv after timeout: %ld.%06ld\n", (long)tv.tv_sec, (long)tv.tv_usec);
  FD_ZERO(&r);
  FD_SET(50, &r);
  tv.tv_usec = 0;
  check("select closed fd", select(51, &r, NULL, NULL, &tv));
  check("select negative nfds", select(-1, NULL, NULL, NULL, &tv));

  // eventfd.
  int ev = eventfd(3, EFD_NONBLOCK);
  uint64_t v = 0;
  check("eventfd read", read(ev, &v, 8));
  printf("  value %lu\n", (unsigned long)v);
  check("eventfd read again", read(ev, &v, 8));
  check("eventfd short read", read(ev, &v, 4));
  v = 5;
  check("eventfd write 5", write(ev, &v, 8));
  check("eventfd write 2", write(ev, &(uint64_t){2}, 8));
  v = UINT64_MAX;
  check("eventfd write max", write(ev, &v, 8));
  check("eventfd read", read(ev, &v, 8));
  printf("  value %lu\n", (unsigned long)v);
  int sem = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
  check("semaphore read", read(sem, &v, 8));
  printf("  value %lu\n", (unsigned long)v);
  check("semaphore read", read(sem, &v, 8));
  check("semaphore read (empty)", read(sem, &v, 8));
  check("eventfd bad flags", eventfd(0, 0x10));

  // epoll.
  int ep = epoll_create1(EPOLL_CLOEXEC);
  check("epoll_create1", ep >= 0 ? 0 : -1);
  check("epoll_create1 bad flags", epoll_create1(1));
  struct epoll_event e = {EPOLLIN, {.u64 = 1}};
  check("ctl ADD pipe read end", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e));
  check("ctl ADD again", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e));
  e = (struct epoll_event){EPOLLOUT, {.u64 = 2}};
  check("ctl ADD pipe write end", epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &e));
  check("ctl ADD regular file", epoll_ctl(ep, EPOLL_CTL_ADD, file, &e));
  check("ctl ADD epoll itself", epoll_ctl(ep, EPOLL_CTL_ADD, ep, &e));
  check("ctl ADD bad fd", epoll_ctl(ep, EPOLL_CTL_ADD, 77, &e));
  check("ctl on non-epoll", epoll_ctl(p[0], EPOLL_CTL_ADD, p[1], &e));
  check("ctl MOD missing", epoll_ctl(ep, EPOLL_CTL_MOD, sem, &e));
  check("ctl DEL missing", epoll_ctl(ep, EPOLL_CTL_DEL, sem, &e));
  check("ctl bad op", epoll_ctl(ep, 9, p[0], &e));
  struct epoll_event out[8];
  check("wait (write end ready)", epoll_wait(ep, out, 8, 0));
  show_epoll(out, 1);
  write(p[1], "ab", 2);
  int n = epoll_wait(ep, out, 8, 0);
  check("wait after write", n);
  // The report order is the ready list's: print sorted by data.
  for (unsigned long want = 1; want <= 2; want++)
    for (int i = 0; i < n; i++)
      if (out[i].data.u64 == want) show_epoll(&out[i], 1);
  check("wait maxevents 0", epoll_wait(ep, out, 0, 0));
  check("wait on non-epoll", epoll_wait(p[0], out, 1, 0));
  check("ctl DEL write end", epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL));
  e = (struct epoll_event){EPOLLIN | EPOLLET, {.u64 = 3}};
  check("ctl MOD read end to ET", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &e));
  check("ET wait 1", epoll_wait(ep, out, 8, 0));
  check("ET wait 2 (no new data)", epoll_wait(ep, out, 8, 0));
  write(p[1], "c", 1);
  check("ET wait 3 (new data)", epoll_wait(ep, out, 8, 0));
  show_epoll(out, 1);
  e = (struct epoll_event){EPOLLIN | EPOLLONESHOT, {.u64 = 4}};
  check("ctl MOD to ONESHOT", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &e));
  check("ONESHOT wait 1", epoll_wait(ep, out, 8, 0));
  check("ONESHOT wait 2", epoll_wait(ep, out, 8, 0));
  check("ctl MOD re-arm", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &e));
  check("ONESHOT wait 3", epoll_wait(ep, out, 8, 0));
  char buf[8];
  read(p[0], buf, sizeof buf);
  e = (struct epoll_event){EPOLLIN, {.u64 = 5}};
  check("ctl ADD eventfd", epoll_ctl(ep, EPOLL_CTL_ADD, ev, &e));
  check("wait (eventfd at 0)", epoll_wait(ep, out, 8, 10));
  write(ev, &(uint64_t){1}, 8);
  check("wait (eventfd at 1)", epoll_wait(ep, out, 8, 0));
  show_epoll(out, 1);
  close(p[1]);
  e = (struct epoll_event){EPOLLIN, {.u64 = 6}};
  epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &e);
  check("wait (writer closed)", epoll_wait(ep, out, 8, 0));
  for (unsigned long want = 5; want <= 6; want++)
    for (int i = 0; i < 2; i++)
      if (out[i].data.u64 == want) show_epoll(&out[i], 1);
  close(p[0]);
  read(ev, &v, 8);
  check("wait (pipe closed, eventfd 0)", epoll_wait(ep, out, 8, 0));
  close(ep);
  close(ev);
  close(sem);
  close(file);
  unlink("pollfile");
  return 0;
}
