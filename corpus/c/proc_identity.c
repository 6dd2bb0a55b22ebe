// Process identity and the process-wide knobs: ids (the reference runs as root), groups,
// capabilities, uname, sysinfo sanity, rlimits, personality, prctl. Values that differ
// between machines (pids, memory sizes, host names) are only checked, not printed. The
// credentials are dropped at the very end.
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *en(int r) { return r < 0 ? strerrorname_np(errno) : ""; }

static void caps(const char *when) {
  struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct d[2];
  int r = syscall(SYS_capget, &h, d);
  // Only well-known bits: the build machine's root lacks some capabilities (CAP_SYS_RESOURCE).
  unsigned setid = (1u << CAP_SETUID) | (1u << CAP_SETGID) | (1u << CAP_KILL) | (1u << CAP_CHOWN);
  printf("capget %s: %d setuid/setgid/kill/chown effective=%d permitted=%d inheritable=%d\n", when, r, (d[0].effective & setid) == setid,
         (d[0].permitted & setid) == setid, d[0].inheritable != 0 || d[1].inheritable != 0);
}

int main(void) {
  pid_t pid = getpid();
  // ppid, pgid and sid are 0 under the reference when the parent, group leader or session
  // leader lives outside its pid namespace (CI containers): only success is compared.
  printf("pid>0=%d ppid>=0=%d tid==pid=%d pgid>=0=%d sid>=0=%d\n", pid > 0, getppid() >= 0, (pid_t)syscall(SYS_gettid) == pid,
         getpgid(0) >= 0, getsid(0) >= 0);
  printf("uid=%d euid=%d gid=%d egid=%d\n", getuid(), geteuid(), getgid(), getegid());
  uid_t r, e, s;
  getresuid(&r, &e, &s);
  printf("getresuid=%d,%d,%d\n", r, e, s);
  errno = 0;
  int bad = syscall(SYS_getresuid, &r, (void *)8, &s);
  printf("getresuid(bad pointer)=%d %s\n", bad, en(bad));

  gid_t g[8] = {0};
  printf("getgroups(0)=%d\n", getgroups(0, NULL));
  gid_t set[3] = {50, 7, 30};
  int sg = setgroups(3, set);
  int ng = getgroups(8, g);
  printf("setgroups=%d getgroups=%d: %d %d %d\n", sg, ng, g[0], g[1], g[2]);
  errno = 0;
  int small = getgroups(1, g);
  printf("getgroups(1)=%d %s\n", small, en(small));
  setgroups(0, NULL);
  printf("after setgroups(0): %d\n", getgroups(0, NULL));
  caps("as root");

  struct utsname u;
  uname(&u);
  printf("uname: sysname=%s machine=%s domainname=%s nodename set=%d\n", u.sysname, u.machine, u.domainname, u.nodename[0] != 0);

  struct sysinfo si;
  int sr = sysinfo(&si);
  printf("sysinfo=%d uptime>0=%d totalram>0=%d free<=total=%d mem_unit=%u procs>=1=%d\n", sr, si.uptime > 0, si.totalram > 0,
         si.freeram <= si.totalram, si.mem_unit, si.procs >= 1);
  printf("sysconf: phys pages>0=%d page size=%ld\n", sysconf(_SC_PHYS_PAGES) > 0, sysconf(_SC_PAGESIZE));

  struct rlimit rl, old;
  getrlimit(RLIMIT_CORE, &old);
  rl.rlim_cur = 0;
  rl.rlim_max = old.rlim_max;
  int sl = setrlimit(RLIMIT_CORE, &rl);
  getrlimit(RLIMIT_CORE, &rl);
  printf("setrlimit(CORE)=%d round trip=%d\n", sl, rl.rlim_cur == 0 && rl.rlim_max == old.rlim_max);
  errno = 0;
  int b1 = getrlimit(16, &rl);
  printf("getrlimit(16)=%d %s\n", b1, en(b1));
  rl.rlim_cur = 10;
  rl.rlim_max = 5;
  errno = 0;
  int b2 = setrlimit(RLIMIT_CORE, &rl);
  printf("setrlimit(cur>max)=%d %s\n", b2, en(b2));
  struct rlimit stack;
  getrlimit(RLIMIT_STACK, &stack);
  // The reference inherits the host's `ulimit -s`: only sanity is compared.
  printf("RLIMIT_STACK: cur>0=%d cur<=max=%d\n", stack.rlim_cur > 0, stack.rlim_cur <= stack.rlim_max);

  printf("personality=%#x\n", personality(0xffffffff));

  char name[16] = {0};
  int pn = prctl(PR_SET_NAME, "corpus-thread-name");
  prctl(PR_GET_NAME, name);
  printf("prctl name: set=%d get='%s'\n", pn, name);
  printf("dumpable=%d", prctl(PR_GET_DUMPABLE));
  prctl(PR_SET_DUMPABLE, 0);
  printf(" after set 0=%d", prctl(PR_GET_DUMPABLE));
  prctl(PR_SET_DUMPABLE, 1);
  printf(" after set 1=%d\n", prctl(PR_GET_DUMPABLE));
  int sig = -1;
  prctl(PR_SET_PDEATHSIG, 10);
  prctl(PR_GET_PDEATHSIG, &sig);
  // Containers trim the bounding set (CAP_CHECKPOINT_RESTORE is 40): only that the read succeeds.
  printf("pdeathsig=%d keepcaps=%d no_new_privs=%d capbset(40)>=0=%d\n", sig, prctl(PR_GET_KEEPCAPS), prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0),
         prctl(PR_CAPBSET_READ, 40) >= 0);
  errno = 0;
  int pb = prctl(PR_CAPBSET_READ, 41);
  printf("capbset(41)=%d %s\n", pb, en(pb));
  errno = 0;
  int pu = prctl(9999);
  printf("prctl(9999)=%d %s\n", pu, en(pu));

  unsigned cpu = 99, node = 99;
  int gc = syscall(SYS_getcpu, &cpu, &node, NULL);
  printf("getcpu=%d node=%u\n", gc, node);
  errno = 0;
  int m1 = syscall(SYS_membarrier, 8 /* PRIVATE_EXPEDITED */, 0, 0);
  printf("membarrier private expedited before registering=%d %s\n", m1, en(m1));
  int m2 = syscall(SYS_membarrier, 16 /* REGISTER_PRIVATE_EXPEDITED */, 0, 0);
  int m3 = syscall(SYS_membarrier, 8, 0, 0);
  int m4 = syscall(SYS_membarrier, 1 /* GLOBAL */, 0, 0);
  printf("membarrier register=%d private expedited=%d global=%d\n", m2, m3, m4);

  errno = 0;
  int w = wait4(-1, NULL, 0, NULL);
  printf("wait4 without children=%d %s\n", w, en(w));

  // Drop root for good: every id becomes 1000 and the capabilities go.
  printf("setresgid=%d setresuid=%d\n", setresgid(1000, 1000, 1000), setresuid(1000, 1000, 1000));
  getresuid(&r, &e, &s);
  printf("now getresuid=%d,%d,%d dumpable=%d\n", r, e, s, prctl(PR_GET_DUMPABLE));
  caps("as 1000");
  errno = 0;
  int back = setuid(0);
  printf("setuid(0)=%d %s\n", back, en(back));
  errno = 0;
  int sg2 = setgroups(0, NULL);
  printf("setgroups as 1000=%d %s\n", sg2, en(sg2));
  return 0;
}
