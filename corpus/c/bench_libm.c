// Benchmark, libm calls: sin, cos, tan, exp, log, pow, atan2, sqrt and cbrt of glibc over a
// table of arguments spread across their ranges. The sums are printed exactly (%.17g and
// %a), so any difference in a last bit shows. argv[1] scales the passes (1: a test-suite run).
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define TABLE 1024

int main(int argc, char **argv) {
  int scale = argc > 1 ? atoi(argv[1]) : 1;
  if (scale < 1) scale = 1;
  static double t[TABLE];
  for (int i = 0; i < TABLE; i++) t[i] = (double)(i - TABLE / 2) * 0.0137 + 1.0 / (i + 3);

  double s_sin = 0, s_cos = 0, s_tan = 0, s_exp = 0, s_log = 0, s_pow = 0, s_atan2 = 0, s_sqrt = 0, s_cbrt = 0;
  for (int pass = 0; pass < 2 * scale; pass++) {
    double shift = pass * 0.25;
    for (int i = 0; i < TABLE; i++) {
      double v = t[i] + shift, a = fabs(v) + 1e-3;
      s_sin += sin(v * 3.7);
      s_cos += cos(v * 11.3);
      s_tan += tan(v * 0.4);
      s_exp += exp(v * 0.9);
      s_log += log(a * 7.5);
      s_pow += pow(a, 1.0 + v * 0.1);
      s_atan2 += atan2(v, 1.5 - t[TABLE - 1 - i]);
      s_sqrt += sqrt(a);
      s_cbrt += cbrt(v);
    }
  }
  printf("passes %d over %d arguments\n", 2 * scale, TABLE);
  printf("sin   %.17g %a\ncos   %.17g %a\ntan   %.17g %a\n", s_sin, s_sin, s_cos, s_cos, s_tan, s_tan);
  printf("exp   %.17g %a\nlog   %.17g %a\npow   %.17g %a\n", s_exp, s_exp, s_log, s_log, s_pow, s_pow);
  printf("atan2 %.17g %a\nsqrt  %.17g %a\ncbrt  %.17g %a\n", s_atan2, s_atan2, s_sqrt, s_sqrt, s_cbrt, s_cbrt);
  return 0;
}
