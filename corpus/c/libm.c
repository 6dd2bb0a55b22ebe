// glibc libm over ordinary, huge, tiny and special arguments. Results are printed exactly
// (%a) and in decimal (%.17g) so any FPU difference in the emulator shows up.
#include <math.h>
#include <stdio.h>

typedef double (*fn1)(double);
typedef double (*fn2)(double, double);
typedef float (*fn1f)(float);

static const double args[] = {
    0.0, -0.0, 1e-310, 1e-20, 0.1, 0.5, 0.7853981633974483, 1.0, -1.0, 1.5, 2.0, -2.5,
    3.141592653589793, 10.0, 100.5, -700.0, 709.0, 710.0, 1e22, -1e300, INFINITY, -INFINITY, NAN,
};
#define NARGS (sizeof args / sizeof args[0])

static void one(const char *name, fn1 f) {
  for (size_t i = 0; i < NARGS; i++) {
    double r = f(args[i]);
    printf("%s(%.17g) = %.17g %a\n", name, args[i], r, r);
  }
}

static void two(const char *name, fn2 f) {
  static const double a[] = {0.0, -0.0, 0.5, 1.0, -1.0, 2.0, -3.0, 10.0, 1e300, INFINITY, -INFINITY, NAN};
  const size_t n = sizeof a / sizeof a[0];
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      double r = f(a[i], a[j]);
      printf("%s(%.17g, %.17g) = %.17g %a\n", name, a[i], a[j], r, r);
    }
}

static void onef(const char *name, fn1f f) {
  static const float a[] = {0.0f, -0.0f, 1e-40f, 0.1f, 0.5f, 1.0f, -1.0f, 2.0f, 3.14159265f, 100.0f, 1e30f, INFINITY, NAN};
  for (size_t i = 0; i < sizeof a / sizeof a[0]; i++) {
    float r = f(a[i]);
    printf("%s(%.9g) = %.9g %a\n", name, a[i], r, r);
  }
}

// Wrappers so every libm entry point is called through the same pointer type.
static double w_fabs(double x) { return fabs(x); }
static double w_floor(double x) { return floor(x); }
static double w_ceil(double x) { return ceil(x); }
static double w_round(double x) { return round(x); }
static double w_trunc(double x) { return trunc(x); }
static double w_rint(double x) { return rint(x); }
static double w_sqrt(double x) { return sqrt(x); }
static double w_lgamma(double x) { return lgamma(x); }
static double w_fmin(double x, double y) { return fmin(x, y); }
static double w_fmax(double x, double y) { return fmax(x, y); }
static double w_copysign(double x, double y) { return copysign(x, y); }
static double w_nextafter(double x, double y) { return nextafter(x, y); }
static float w_sqrtf(float x) { return sqrtf(x); }

int main(void) {
  one("sin", sin);
  one("cos", cos);
  one("tan", tan);
  one("asin", asin);
  one("acos", acos);
  one("atan", atan);
  one("sinh", sinh);
  one("cosh", cosh);
  one("tanh", tanh);
  one("asinh", asinh);
  one("exp", exp);
  one("exp2", exp2);
  one("expm1", expm1);
  one("log", log);
  one("log2", log2);
  one("log10", log10);
  one("log1p", log1p);
  one("sqrt", w_sqrt);
  one("cbrt", cbrt);
  one("lgamma", w_lgamma);
  one("tgamma", tgamma);
  one("erf", erf);
  one("erfc", erfc);
  one("fabs", w_fabs);
  one("floor", w_floor);
  one("ceil", w_ceil);
  one("round", w_round);
  one("trunc", w_trunc);
  one("rint", w_rint);
  two("pow", pow);
  two("atan2", atan2);
  two("hypot", hypot);
  two("fmod", fmod);
  two("remainder", remainder);
  two("fmin", w_fmin);
  two("fmax", w_fmax);
  two("copysign", w_copysign);
  two("nextafter", w_nextafter);
  onef("sinf", sinf);
  onef("expf", expf);
  onef("logf", logf);
  onef("sqrtf", w_sqrtf);
  onef("cbrtf", cbrtf);

  static const double fa[] = {1.0, -1.0, 0.1, 1e308, 1e-308, 3.0, INFINITY, NAN, -0.0};
  const size_t nf = sizeof fa / sizeof fa[0];
  for (size_t i = 0; i < nf; i++)
    for (size_t j = 0; j < nf; j++) {
      double r = fma(fa[i], fa[j], -fa[(i + j) % nf]);
      printf("fma(%.17g, %.17g, %.17g) = %.17g %a\n", fa[i], fa[j], -fa[(i + j) % nf], r, r);
    }
  printf("fmaf(0.1f,10,-1)=%a\n", fmaf(0.1f, 10.0f, -1.0f));

  for (size_t i = 0; i < NARGS; i++) {
    int e;
    double m = frexp(args[i], &e);
    double ip;
    double fp = modf(args[i], &ip);
    int sign;
    double lg = lgamma_r(args[i], &sign);
    printf("frexp(%a) = %a, %d; modf = %a + %a; ldexp(.., 3) = %a; ilogb = %d; lgamma_r = %a sign %d\n",
           args[i], m, e, ip, fp, ldexp(args[i], 3), ilogb(args[i]), lg, sign);
  }
  return 0;
}
