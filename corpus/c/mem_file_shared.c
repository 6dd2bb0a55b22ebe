// File-backed private mappings and shared anonymous memory: what a mapping shows, what a
// private write does (the file is untouched), MADV_DONTNEED on each kind, mremap of a file
// mapping, mlock and mincore. (A second view of shared memory with mremap(old_size 0) is
// left out: qemu-riscv64 7.2 fails it with ENOMEM.)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define P 4096

static unsigned char byte_at(long i) { return (unsigned char)(i * 13 + 5); }

int main(void) {
  // A fixed name in the (fresh) working directory: mkstemp's name comes from the host
  // clock under qemu, which makes its syscall sequence differ from run to run.
  const char path[] = "zerosys-mmap.tmp";
  int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return 1;
  static unsigned char data[3 * P + 123];
  for (long i = 0; i < (long)sizeof data; i++) data[i] = byte_at(i);
  if (write(fd, data, sizeof data) != (ssize_t)sizeof data) return 2;

  // Private mapping of the whole file, and one at an offset.
  unsigned char *m = mmap(NULL, sizeof data, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  unsigned char *o = mmap(NULL, P, PROT_READ, MAP_PRIVATE, fd, 2 * P);
  printf("map ok=%d,%d same bytes=%d offset bytes=%d tail zero=%d\n", m != MAP_FAILED, o != MAP_FAILED, memcmp(m, data, sizeof data) == 0,
         memcmp(o, data + 2 * P, P) == 0, m[sizeof data] == 0 && m[4 * P - 1] == 0);

  // A private write changes the mapping, not the file; DONTNEED brings the file back.
  m[10] = 0xee;
  unsigned char b;
  pread(fd, &b, 1, 10);
  printf("private write: mapping=%#x file=%#x\n", m[10], b);
  int r = madvise(m, P, MADV_DONTNEED);
  printf("madvise dontneed=%d mapping shows file again=%d\n", r, m[10] == byte_at(10));
  printf("msync=%d\n", msync(m, sizeof data, MS_SYNC));

  // Grow the offset mapping in place or by moving it: the next bytes of the file follow.
  unsigned char *g = mremap(o, P, P + 100, MREMAP_MAYMOVE);
  printf("mremap file mapping ok=%d contents=%d\n", g != MAP_FAILED, g != MAP_FAILED && memcmp(g, data + 2 * P, P + 100) == 0);
  munmap(g, 2 * P);

  // The mapping outlives the descriptor.
  close(fd);
  printf("after close: still readable=%d\n", m[3 * P + 1] == byte_at(3 * P + 1));
  munmap(m, sizeof data);
  unlink(path);

  // Shared anonymous memory: DONTNEED keeps it. (MADV_FREE / MADV_REMOVE are left out:
  // qemu-riscv64 7.2 ignores them, where Linux answers EINVAL / punches the pages to zero.)
  unsigned char *s = mmap(NULL, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  s[0] = 1;
  s[P + 7] = 2;
  r = madvise(s, 4 * P, MADV_DONTNEED);
  printf("shared: dontneed=%d kept=%d,%d\n", r, s[0], s[P + 7]);

  // mlock populates; mincore reports it.
  unsigned char *l = mmap(NULL, 6 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  unsigned char vec[6];
  mincore(l, 6 * P, vec);
  printf("fresh mincore: %d%d%d%d%d%d\n", vec[0], vec[1], vec[2], vec[3], vec[4], vec[5]);
  r = mlock(l + P, 2 * P);
  l[5 * P] = 1;
  mincore(l, 6 * P, vec);
  printf("mlock=%d mincore: %d%d%d%d%d%d\n", r, vec[0], vec[1], vec[2], vec[3], vec[4], vec[5]);
  errno = 0;
  r = madvise(l + P, P, MADV_DONTNEED);
  printf("dontneed on locked=%d %s; munlock=%d\n", r, r ? strerrorname_np(errno) : "", munlock(l, 6 * P));
  return 0;
}
