// Assorted libc paths: string/memory routines at every alignment (glibc's word-at-a-time
// loops, misaligned accesses), integer parsing edge cases, sscanf, setjmp/longjmp, and
// snprintf of integers.
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t fnv(const void *p, size_t n, uint64_t h) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 0x100000001b3ULL;
  return h;
}

static jmp_buf env;
static int depth_reached;

static void recurse(int depth);
static void (*volatile recurse_ptr)(int) = recurse;  // hides the longjmp exit from -Winfinite-recursion

static void recurse(int depth) {
  volatile char pad[64];
  pad[depth % 64] = (char)depth;
  if (depth < 50) recurse_ptr(depth + 1);
  depth_reached = depth + pad[depth % 64] - depth;
  longjmp(env, depth);
}

int main(void) {
  // memcpy/memmove/memset/memcmp/strlen over all small alignments and lengths.
  static unsigned char src[300], dst[300];
  uint64_t h = 0xcbf29ce484222325ULL;
  for (int i = 0; i < 300; i++) src[i] = (unsigned char)(i * 37 + 11);
  for (int sa = 0; sa < 8; sa++)
    for (int da = 0; da < 8; da++)
      for (int len = 0; len < 70; len += 3) {
        memset(dst, 0x5a, sizeof dst);
        memcpy(dst + da, src + sa, (size_t)len);
        h = fnv(dst, 90, h);
        h ^= (uint64_t)(memcmp(dst + da, src + sa, (size_t)len) == 0);
      }
  printf("memcpy sweep fnv=%016" PRIx64 "\n", h);
  h = 0xcbf29ce484222325ULL;
  for (int off = -9; off <= 9; off++) {
    memcpy(dst, src, sizeof dst);
    memmove(dst + 100 + off, dst + 100, 120);
    h = fnv(dst, sizeof dst, h);
  }
  printf("memmove overlap fnv=%016" PRIx64 "\n", h);
  char str[128];
  size_t lens = 0;
  for (int a = 0; a < 16; a++)
    for (int len = 0; len < 40; len++) {
      memset(str, 'x', sizeof str);
      str[a + len] = 0;
      lens += strlen(str + a) * 1000 + (size_t)(strchr(str + a, 0) - str);
    }
  printf("strlen sweep=%zu\n", lens);
  printf("strcmp: %d %d %d strncmp=%d strcasecmp=%d\n", strcmp("abc", "abd") < 0, strcmp("abc", "abc"),
         strcmp("b", "abc") > 0, strncmp("abcdef", "abcxyz", 3), strcasecmp("HeLLo", "hello"));
  printf("strstr=%s strrchr=%s strspn=%zu strcspn=%zu\n", strstr("haystack with needle inside", "needle"),
         strrchr("a/b/c/d", '/'), strspn("aaabbbccc", "ab"), strcspn("hello world", " "));
  char tok[] = "alpha, beta;gamma  delta";
  for (char *save, *t = strtok_r(tok, ",; ", &save); t; t = strtok_r(NULL, ",; ", &save)) printf("[%s]", t);
  printf("\n");

  const char *nums[] = {"0", "42", "-42", "  +17", "0x1F", "0777", "9223372036854775807", "9223372036854775808",
                        "-9223372036854775808", "-9223372036854775809", "18446744073709551615", "12abc", "", "zz"};
  for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
    char *end;
    errno = 0;
    long long v = strtoll(nums[i], &end, 0);
    int e1 = errno;
    errno = 0;
    unsigned long long u = strtoull(nums[i], NULL, 10);
    int e2 = errno;
    printf("strtoll(\"%s\",0)=%lld errno=%d used=%d strtoull10=%llu errno=%d atoi=%d\n", nums[i], v, e1,
           (int)(end - nums[i]), u, e2, atoi(nums[i]));
  }

  int a, b;
  char word[16];
  double d;
  int got = sscanf("  123 -45 token 6.25e-1 rest", "%d %d %15s %lf", &a, &b, word, &d);
  printf("sscanf got=%d a=%d b=%d word=%s d=%.17g\n", got, a, b, word, d);
  unsigned x;
  got = sscanf("ff:zz", "%x:%d", &x, &a);
  printf("sscanf hex got=%d x=%u\n", got, x);

  printf("ints: [%d] [%5d] [%-5d] [%05d] [%+d] [%x] [%#o] [%llu] [%lld] [%hhd] [%zu] [%%]\n", INT_MIN, 42, 42, -42, 7,
         0xdeadbeefu, 8, ULLONG_MAX, LLONG_MIN, 300, (size_t)-1);

  int r = setjmp(env);
  if (r == 0) {
    recurse(0);
    printf("not reached\n");
  } else {
    printf("longjmp returned %d, depth %d\n", r, depth_reached);
  }

  int upper = 0, digit = 0, space = 0;
  for (int c = 0; c < 256; c++) {
    upper += isupper(c) != 0;
    digit += isdigit(c) != 0;
    space += isspace(c) != 0;
  }
  printf("ctype C locale: upper=%d digit=%d space=%d toupper(a)=%c\n", upper, digit, space, toupper('a'));
  return 0;
}
