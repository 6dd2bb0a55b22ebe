// Directories: mkdir/rmdir (and their errors), nested trees, readdir listings (sorted by
// the program: directory order is filesystem-dependent), d_type, chdir/fchdir/getcwd
// (only the part below the starting directory is printed), rename of directories,
// unlinkat(AT_REMOVEDIR), openat relative to a directory fd, the same in a directory
// under /tmp made with mkdtemp.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void check(const char *what, long r) {
  if (r < 0) printf("%-32s -> -1 %s\n", what, strerrorname_np(errno));
  else printf("%-32s -> %ld\n", what, r);
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *path) {
  DIR *d = opendir(path);
  if (!d) {
    printf("opendir %s: %s\n", path, strerrorname_np(errno));
    return;
  }
  char *names[64];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 64) {
    char type = e->d_type == DT_DIR ? 'd' : e->d_type == DT_REG ? 'f' : e->d_type == DT_LNK ? 'l' : '?';
    if (asprintf(&names[n], "%s%c", e->d_name, type) > 0) n++;
  }
  closedir(d);
  qsort(names, n, sizeof names[0], cmp);
  printf("ls %s:", path);
  for (int i = 0; i < n; i++) {
    printf(" %s", names[i]);
    free(names[i]);
  }
  printf("\n");
}

static char start[4096];

static void pwd(void) {
  char buf[4096];
  if (!getcwd(buf, sizeof buf)) {
    printf("getcwd: %s\n", strerrorname_np(errno));
    return;
  }
  size_t n = strlen(start);
  printf("cwd: %s\n", strncmp(buf, start, n) == 0 ? buf[n] ? buf + n : "." : "(outside)");
}

static void tree(void) {
  check("mkdir a", mkdir("a", 0755));
  check("mkdir a again", mkdir("a", 0755));
  check("mkdir a/b/c (no b)", mkdir("a/b/c", 0755));
  check("mkdir a/b", mkdir("a/b", 0700));
  check("mkdir a/b/c/", mkdir("a/b/c/", 0755));
  check("mkdir . ", mkdir(".", 0755));
  int fd = open("a/file", O_CREAT | O_WRONLY, 0644);
  check("write a/file", write(fd, "data", 4));
  close(fd);
  check("mkdir a/file/x", mkdir("a/file/x", 0755));
  check("symlink b a/lnk", symlink("b", "a/lnk"));
  list("a");
  list("a/lnk");
  list("a/b/c");
  list("nonexistent");
  list("a/file");
  struct stat st;
  stat("a", &st);
  printf("a: dir %d nlink %lu perm %o\n", S_ISDIR(st.st_mode), (unsigned long)st.st_nlink, st.st_mode & 07777);
  stat("a/b", &st);
  printf("a/b: nlink %lu perm %o\n", (unsigned long)st.st_nlink, st.st_mode & 07777);

  check("rmdir a (not empty)", rmdir("a"));
  check("rmdir a/file", rmdir("a/file"));
  check("rmdir a/lnk", rmdir("a/lnk"));
  check("rmdir a/b/c/.", rmdir("a/b/c/."));
  check("rmdir a/b/..", rmdir("a/b/.."));
  check("rmdir missing", rmdir("missing"));
  check("unlink a/b", unlink("a/b"));
  check("rename a a/b/c/d (into itself)", rename("a", "a/b/c/d"));
  check("rename a/b a/file", rename("a/b", "a/file"));
  check("rename a/file a/b", rename("a/file", "a/b"));
  check("mkdir z", mkdir("z", 0755));
  check("mkdir z/inner", mkdir("z/inner", 0755));
  check("rename a/b/c z (not empty)", rename("a/b/c", "z"));
  check("rmdir z/inner", rmdir("z/inner"));
  check("rename a/b/c z (empty)", rename("a/b/c", "z"));
  list("a/b");
  list(".");

  // Relative to directory descriptors.
  int dfd = open("a", O_RDONLY | O_DIRECTORY);
  check("openat(a, file)", fd = openat(dfd, "file", O_RDONLY));
  char buf[8] = {0};
  check("read", read(fd, buf, 7));
  printf("  '%s'\n", buf);
  close(fd);
  check("openat(file fd, x)", openat(fd, "x", O_RDONLY));
  check("mkdirat(a, new)", mkdirat(dfd, "new", 0755));
  check("unlinkat(a, new, 0)", unlinkat(dfd, "new", 0));
  check("unlinkat(a, new, REMOVEDIR)", unlinkat(dfd, "new", AT_REMOVEDIR));
  check("unlinkat(a, file, REMOVEDIR)", unlinkat(dfd, "file", AT_REMOVEDIR));
  check("unlinkat bad flag", unlinkat(dfd, "file", 0x1));
  check("fstatat(a, lnk, NOFOLLOW)", fstatat(dfd, "lnk", &st, AT_SYMLINK_NOFOLLOW));
  printf("  lnk is symlink: %d\n", S_ISLNK(st.st_mode));
  check("fstatat(a, lnk)", fstatat(dfd, "lnk", &st, 0));
  printf("  lnk is dir: %d\n", S_ISDIR(st.st_mode));

  // Working directory.
  pwd();
  check("chdir a/lnk", chdir("a/lnk"));
  pwd();
  check("chdir ..", chdir(".."));
  pwd();
  check("chdir file", chdir("file"));
  check("chdir missing", chdir("missing"));
  check("fchdir(start)", fchdir(open(start, O_RDONLY)));
  pwd();
  check("fchdir(a)", fchdir(dfd));
  pwd();
  check("chdir ../..", chdir("../.."));
  check("chdir back", chdir(start));
  pwd();
  close(dfd);

  // Clean up everything.
  check("unlink a/file", unlink("a/file"));
  check("unlink a/lnk", unlink("a/lnk"));
  check("rmdir a/b", rmdir("a/b"));
  check("rmdir a", rmdir("a"));
  check("rmdir z", rmdir("z"));
  list(".");
}

int main(void) {
  umask(022);
  if (!getcwd(start, sizeof start)) return 1;
  tree();

  // The same in a fresh directory under /tmp (a tmpfs under zerosys, the host's /tmp under qemu).
  char tmp[] = "/tmp/zerosys-dirs-XXXXXX";
  if (!mkdtemp(tmp)) {
    printf("mkdtemp: %s\n", strerrorname_np(errno));
    return 1;
  }
  check("chdir tmp", chdir(tmp));
  strcpy(start, tmp);
  tree();
  check("chdir /", chdir("/"));
  check("rmdir tmp", rmdir(tmp));
  return 0;
}
