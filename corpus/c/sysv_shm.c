// System V shared memory between processes: a segment attached in the parent is inherited by
// a forked child (shm_nattch counts the child's copy), which writes through that attachment
// and through a second one at another address (the same process sees one write through both
// at once), attaches it a third time SHM_RDONLY, and forks a grandchild that dies of SIGSEGV
// writing there. A second child attaches and then execs itself: the exec drops the attachment.
// The parent reads what they wrote after waiting, removes the segment while attached (SHM_DEST,
// the key becomes IPC_PRIVATE, a new attach by id still works) and detaches: the last detach
// destroys it. shm_nattch is printed at each step.
// Output never depends on ids, pids, addresses or which process runs first: the children
// report through the segment itself and only the parent prints, after waiting for them; the
// segment is IPC_PRIVATE and gone at the end (under qemu-riscv64 it is a host segment).
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
#define SIZE (3 * PAGE + 100)

/* What the children report, at the start of the segment's last page. */
struct report {
  long nattch_after_fork;       /* the child's view right after fork */
  long nattch_second;           /* after its second attachment */
  long nattch_rdonly;           /* after the SHM_RDONLY one */
  long nattch_grandchild;       /* the grandchild's view */
  long nattch_after_grandchild; /* the child's, once the grandchild is reaped */
  int second_elsewhere;         /* the second attachment is at another address */
  int seen_through_both;        /* a write through one attachment read through the other */
  int rdonly_reads;             /* the read-only attachment shows the parent's text */
  int grandchild_status;        /* how the grandchild ended */
  int detach_second;            /* shmdt of the second attachment */
  long nattch_exec_child;       /* the exec'd child's view after its own attach */
  char inherited[32];           /* what the child read through its inherited attachment */
};

static int shmid = -1;

static const char *en(int e) {
  return e ? strerrorname_np(e) : "ok";
}

static long nattch(void) {
  struct shmid_ds ds;
  if (shmctl(shmid, IPC_STAT, &ds) < 0) return -errno;
  return (long)ds.shm_nattch;
}

static void fail(const char *what) {
  printf("%s: %s\n", what, en(errno));
  if (shmid >= 0) shmctl(shmid, IPC_RMID, NULL);
  exit(1);
}

static struct report *report_in(char *base) {
  return (struct report *)(base + 3 * PAGE);
}

/* The exec'd child: attach by id (argv[2]), record shm_nattch, detach. */
static int exec_child(const char *id) {
  shmid = atoi(id);
  char *p = shmat(shmid, NULL, 0);
  if (p == (void *)-1) return 2;
  report_in(p)->nattch_exec_child = nattch();
  shmdt(p);
  return 0;
}

static void child(char *p) {
  struct report *r = report_in(p);
  r->nattch_after_fork = nattch();
  strncpy(r->inherited, p, sizeof r->inherited - 1);
  strcpy(p + PAGE, "written by the child through its inherited attachment");

  char *q = shmat(shmid, NULL, 0);
  if (q == (void *)-1) _exit(2);
  r->nattch_second = nattch();
  r->second_elsewhere = q != p;
  strcpy(q + 2 * PAGE, "written through the second attachment");
  r->seen_through_both = strcmp(p + 2 * PAGE, "written through the second attachment") == 0;

  char *ro = shmat(shmid, NULL, SHM_RDONLY);
  if (ro == (void *)-1) _exit(3);
  r->nattch_rdonly = nattch();
  r->rdonly_reads = strcmp(ro, "parent was here") == 0;

  pid_t g = fork();
  if (g == 0) {
    r->nattch_grandchild = nattch();
    *(volatile char *)ro = 'X'; /* read-only: SIGSEGV */
    _exit(0);
  }
  int st = 0;
  waitpid(g, &st, 0);
  r->grandchild_status = WIFSIGNALED(st) ? WTERMSIG(st) : 1000 + WEXITSTATUS(st);
  r->nattch_after_grandchild = nattch();
  r->detach_second = shmdt(q) == 0 ? 0 : errno;
  _exit(0); /* p and ro are detached by the exit */
}

int main(int argc, char **argv) {
  if (argc > 2 && strcmp(argv[1], "exec-child") == 0) return exec_child(argv[2]);
  setvbuf(stdout, NULL, _IONBF, 0);

  shmid = shmget(IPC_PRIVATE, SIZE, IPC_CREAT | 0600);
  if (shmid < 0) fail("shmget");
  struct shmid_ds ds;
  if (shmctl(shmid, IPC_STAT, &ds) < 0) fail("IPC_STAT");
  printf("new segment: size %zu, mode %o, nattch %lu, atime %s\n", (size_t)ds.shm_segsz, ds.shm_perm.mode & 0777,
         (unsigned long)ds.shm_nattch, ds.shm_atime == 0 ? "0" : "set");

  char *p = shmat(shmid, NULL, 0);
  if (p == (void *)-1) fail("shmat");
  printf("attached: page aligned %s, nattch %ld, zero filled %s\n", ((unsigned long)p & (PAGE - 1)) == 0 ? "yes" : "no", nattch(),
         p[0] == 0 && p[SIZE - 1] == 0 ? "yes" : "no");
  if (shmctl(shmid, IPC_STAT, &ds) < 0) fail("IPC_STAT");
  printf("after attach: lpid is mine %s, cpid is mine %s\n", ds.shm_lpid == getpid() ? "yes" : "no", ds.shm_cpid == getpid() ? "yes" : "no");
  strcpy(p, "parent was here");

  pid_t c = fork();
  if (c < 0) fail("fork");
  if (c == 0) child(p);
  int st;
  waitpid(c, &st, 0);
  printf("child exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));

  struct report *r = report_in(p);
  printf("child read through its inherited attachment: \"%s\"\n", r->inherited);
  printf("child's nattch: after fork %ld, second attach %ld, read-only attach %ld\n", r->nattch_after_fork, r->nattch_second, r->nattch_rdonly);
  printf("second attachment at another address %s; a write through it seen through the first %s\n", r->second_elsewhere ? "yes" : "no",
         r->seen_through_both ? "yes" : "no");
  printf("read-only attachment reads the parent's text %s\n", r->rdonly_reads ? "yes" : "no");
  printf("grandchild: nattch %ld, ended by %s; child's nattch after it %ld\n", r->nattch_grandchild,
         r->grandchild_status == SIGSEGV ? "SIGSEGV" : "something else", r->nattch_after_grandchild);
  printf("child's shmdt of the second attachment: %s\n", en(r->detach_second));
  printf("parent reads: \"%s\" / \"%s\"\n", p + PAGE, p + 2 * PAGE);
  printf("nattch after the child exited: %ld\n", nattch());
  if (shmctl(shmid, IPC_STAT, &ds) < 0) fail("IPC_STAT");
  printf("lpid is the child's %s\n", ds.shm_lpid == c ? "yes" : "no");

  /* A child that attaches and then execs: the exec drops that attachment. */
  pid_t e = fork();
  if (e < 0) fail("fork");
  if (e == 0) {
    char *x = shmat(shmid, NULL, 0);
    if (x == (void *)-1) _exit(2);
    char id[16];
    snprintf(id, sizeof id, "%d", shmid);
    char *args[] = {"sysv-shm", "exec-child", id, NULL};
    execv("/proc/self/exe", args);
    _exit(127);
  }
  waitpid(e, &st, 0);
  printf("exec child exited %d; its nattch after exec and attach %ld; nattch now %ld\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st),
         r->nattch_exec_child, nattch());

  /* IPC_RMID while attached: marked, key private, still attachable by id. */
  if (shmctl(shmid, IPC_RMID, NULL) < 0) fail("IPC_RMID");
  if (shmctl(shmid, IPC_STAT, &ds) < 0) fail("IPC_STAT after IPC_RMID");
  printf("after IPC_RMID: SHM_DEST %s, key %d, nattch %lu\n", ds.shm_perm.mode & SHM_DEST ? "set" : "clear", (int)ds.shm_perm.__key,
         (unsigned long)ds.shm_nattch);
  char *again = shmat(shmid, NULL, SHM_RDONLY);
  if (again == (void *)-1) fail("shmat after IPC_RMID");
  printf("attached again after IPC_RMID: nattch %ld, reads \"%s\"\n", nattch(), again);
  printf("shmdt of a middle address: %s\n", shmdt(p + PAGE) == 0 ? "ok" : en(errno));
  printf("shmdt: %s, nattch %ld\n", shmdt(p) == 0 ? "ok" : en(errno), nattch());
  printf("shmdt twice: %s\n", shmdt(p) == 0 ? "ok" : en(errno));
  printf("last shmdt: %s\n", shmdt(again) == 0 ? "ok" : en(errno));
  printf("IPC_STAT after the last detach: %s\n", shmctl(shmid, IPC_STAT, &ds) == 0 ? "ok" : en(errno));
  shmid = -1;
  return 0;
}
