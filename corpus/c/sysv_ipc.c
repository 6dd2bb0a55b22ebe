// System V IPC between two processes: a message queue and semaphore sets shared by a parent
// and its forked child. The child blocks in msgrcv until the parent sends, in semop until the
// parent posts (the parent first waits until GETNCNT shows the child asleep), holds a
// semaphore with SEM_UNDO that its exit gives back, and sees EIDRM when the parent removes a
// set it waits on. Queue selection (msgtyp 0, > 0, < 0, MSG_EXCEPT), MSG_NOERROR, E2BIG,
// ENOMSG, IPC_NOWAIT, semtimedop's timeout, GETALL/SETALL and IPC_STAT fields are checked by
// the parent alone.
// Output never depends on ids, pids or which process runs first: only the parent prints, the
// child reports through the queue, and every object is IPC_PRIVATE and removed at the end
// (under qemu-riscv64 these are the host's IPC objects).
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

union semun {
  int val;
  struct semid_ds *buf;
  unsigned short *array;
};

struct message {
  long mtype;
  char mtext[64];
};

static int msqid = -1, semid = -1, semid2 = -1;

/* errno's name, "ok" for 0. */
static const char *en(int e) {
  return e ? strerrorname_np(e) : "ok";
}

static void cleanup(void) {
  if (msqid >= 0) msgctl(msqid, IPC_RMID, NULL);
  if (semid >= 0) semctl(semid, 0, IPC_RMID);
  if (semid2 >= 0) semctl(semid2, 0, IPC_RMID);
}

static void fail(const char *what) {
  printf("%s: %s\n", what, en(errno));
  cleanup();
  exit(1);
}

#ifdef __GLIBC__
#define CBYTES(ds) ((ds).__msg_cbytes)
#else
#define CBYTES(ds) ((ds).msg_cbytes)
#endif

static void nap(long ns) {
  struct timespec ts = {0, ns};
  nanosleep(&ts, NULL);
}

static void send(int type, const char *text) {
  struct message m = {.mtype = type};
  snprintf(m.mtext, sizeof m.mtext, "%s", text);
  if (msgsnd(msqid, &m, strlen(m.mtext) + 1, 0) < 0) fail("msgsnd");
}

/* Receive a message of `type` (blocking); its text. */
static const char *receive(long type, struct message *m) {
  ssize_t n = msgrcv(msqid, m, sizeof m->mtext, type, 0);
  if (n < 0) fail("msgrcv");
  return m->mtext;
}

static int sem(int id, unsigned short num, short op, short flg) {
  struct sembuf b = {.sem_num = num, .sem_op = op, .sem_flg = flg};
  return semop(id, &b, 1);
}

/* Wait (bounded) until `n` processes sleep on semaphore `num` of `id` to grow. */
static int wait_ncnt(int id, int num, int n) {
  for (int i = 0; i < 20000; i++) {
    int c = semctl(id, num, GETNCNT);
    if (c == n) return c;
    nap(1000000);
  }
  return semctl(id, num, GETNCNT);
}

static void child(void) {
  struct message m;
  char text[96];
  // 1. blocks until the parent sends
  ssize_t n = msgrcv(msqid, &m, sizeof m.mtext, 1, 0);
  snprintf(text, sizeof text, "child got %zd bytes: %s", n, n > 0 ? m.mtext : en(errno));
  send(2, text);
  // 2. blocks on semaphore 0 until the parent posts
  int r = sem(semid, 0, -1, 0);
  snprintf(text, sizeof text, "child semop(sem0, -1) = %d", r);
  send(2, text);
  // 3. holds semaphore 1 with SEM_UNDO; waits for the word to exit
  r = sem(semid, 1, 1, SEM_UNDO);
  snprintf(text, sizeof text, "child holds sem1 (semop = %d)", r);
  send(3, text);
  // 4. sleeps on the second set until the parent removes it
  r = sem(semid2, 0, -1, 0);
  snprintf(text, sizeof text, "child semop on removed set = %d %s", r, en(r < 0 ? errno : 0));
  send(2, text);
  receive(4, &m);
  _exit(7);
}

int main(void) {
  struct message m;
  struct msqid_ds ds;
  struct semid_ds sds;
  unsigned short vals[2];

  msqid = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  if (msqid < 0) fail("msgget");
  semid = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
  if (semid < 0) fail("semget");
  semid2 = semget(IPC_PRIVATE, 1, 0600);
  if (semid2 < 0) fail("semget 2");

  if (msgctl(msqid, IPC_STAT, &ds) < 0) fail("IPC_STAT");
  printf("queue: mode %o qbytes %lu qnum %lu cbytes %lu uid %u cuid %u\n", ds.msg_perm.mode & 0777, (unsigned long)ds.msg_qbytes,
         (unsigned long)ds.msg_qnum, (unsigned long)CBYTES(ds), ds.msg_perm.uid, ds.msg_perm.cuid);
  if (semctl(semid, 0, IPC_STAT, (union semun){.buf = &sds}) < 0) fail("sem IPC_STAT");
  printf("set: mode %o nsems %lu otime %s\n", sds.sem_perm.mode & 0777, (unsigned long)sds.sem_nsems, sds.sem_otime == 0 ? "0" : "set");

  // One process: queue selection and errors.
  send(5, "five");
  send(3, "three");
  send(7, "seven");
  send(3, "three again");
  printf("msgrcv type -4: %s\n", receive(-4, &m));
  printf("msgrcv type 0: %s\n", receive(0, &m));
  printf("msgrcv except 7: %s\n", (msgrcv(msqid, &m, sizeof m.mtext, 7, MSG_EXCEPT) < 0 ? "error" : m.mtext));
  errno = 0;
  ssize_t n = msgrcv(msqid, &m, 3, 0, 0);
  printf("msgrcv 3 bytes: %zd %s\n", n, en(errno));
  n = msgrcv(msqid, &m, 3, 0, MSG_NOERROR);
  printf("msgrcv 3 bytes MSG_NOERROR: %zd '%.3s'\n", n, m.mtext);
  errno = 0;
  n = msgrcv(msqid, &m, sizeof m.mtext, 0, IPC_NOWAIT);
  printf("msgrcv empty IPC_NOWAIT: %zd %s\n", n, en(errno));
  if (msgctl(msqid, IPC_STAT, &ds) < 0) fail("IPC_STAT");
  // msg_lrpid is not printed: qemu-riscv64 7.2 writes msg_lspid as 8 bytes over it (qemu deviation msqid-ds-pid-fields-8-bytes).
  printf("queue after: qnum %lu cbytes %lu lspid %s\n", (unsigned long)ds.msg_qnum, (unsigned long)CBYTES(ds), ds.msg_lspid == getpid() ? "self" : "other");

  vals[0] = 0, vals[1] = 0;
  if (semctl(semid, 0, SETALL, (union semun){.array = vals}) < 0) fail("SETALL");
  struct sembuf two[2] = {{0, 2, 0}, {1, 3, 0}};
  printf("semop +2 +3: %d\n", semop(semid, two, 2));
  if (semctl(semid, 0, GETALL, (union semun){.array = vals}) < 0) fail("GETALL");
  printf("GETALL: %u %u\n", vals[0], vals[1]);
  struct sembuf over[2] = {{0, -1, IPC_NOWAIT}, {1, -4, IPC_NOWAIT}};
  errno = 0;
  int r = semop(semid, over, 2);
  int e = errno;
  int v0 = semctl(semid, 0, GETVAL), v1 = semctl(semid, 1, GETVAL);
  printf("semop -1 -4 IPC_NOWAIT: %d %s, values %d %d\n", r, en(e), v0, v1);
  struct timespec ten_ms = {0, 10000000};
  struct sembuf take3 = {0, -3, 0};
  errno = 0;
  r = semtimedop(semid, &take3, 1, &ten_ms);
  printf("semtimedop -3 with 10 ms: %d %s\n", r, en(errno));
  errno = 0;
  r = semctl(semid, 0, SETVAL, (union semun){.val = 40000});
  printf("SETVAL 40000: %d %s\n", r, en(errno));
  vals[0] = 0, vals[1] = 0;
  if (semctl(semid, 0, SETALL, (union semun){.array = vals}) < 0) fail("SETALL");

  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) fail("fork");
  if (pid == 0) child();

  // 1. the child is (most likely) asleep in msgrcv: wake it with a message
  nap(20000000);
  send(1, "ping");
  printf("%s\n", receive(2, &m));
  // 2. the child sleeps on semaphore 0: post it once GETNCNT shows it
  int ncnt = wait_ncnt(semid, 0, 1);
  printf("ncnt on sem0: %d, zcnt: %d\n", ncnt, semctl(semid, 0, GETZCNT));
  printf("parent semop(sem0, +1) = %d\n", sem(semid, 0, 1, 0));
  printf("%s\n", receive(2, &m));
  // 3. the child holds semaphore 1 with SEM_UNDO
  printf("%s\n", receive(3, &m));
  int v = semctl(semid, 1, GETVAL);
  printf("sem1 = %d, last changed by %s\n", v, semctl(semid, 1, GETPID) == pid ? "the child" : "someone else");
  // 4. remove the set the child sleeps on
  printf("ncnt on set 2: %d\n", wait_ncnt(semid2, 0, 1));
  printf("IPC_RMID set 2: %d\n", semctl(semid2, 0, IPC_RMID));
  semid2 = -1;
  printf("%s\n", receive(2, &m));
  send(4, "exit");
  int st;
  if (waitpid(pid, &st, 0) != pid) fail("waitpid");
  printf("child exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  v = semctl(semid, 1, GETVAL);
  printf("after the child's exit: sem1 = %d, last changed by %s\n", v, semctl(semid, 1, GETPID) == pid ? "the child" : "someone else");
  if (msgctl(msqid, IPC_STAT, &ds) < 0) fail("IPC_STAT");
  printf("queue at the end: qnum %lu\n", (unsigned long)ds.msg_qnum);

  int r1 = msgctl(msqid, IPC_RMID, NULL);
  msqid = -1;
  int r2 = semctl(semid, 0, IPC_RMID);
  int keep = semid;
  semid = -1;
  errno = 0;
  int r3 = semctl(keep, 0, GETVAL);
  printf("removed: %d %d; GETVAL after: %d %s\n", r1, r2, r3, en(errno));
  return 0;
}
