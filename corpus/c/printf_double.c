// Floating-point formatting and parsing: glibc's printf/strtod over values that stress
// rounding, subnormals, signed zero, infinities, NaNs and the extremes of binary64/binary128.
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double from_bits(uint64_t bits) {
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

static uint64_t to_bits(double d) {
  uint64_t bits;
  memcpy(&bits, &d, sizeof bits);
  return bits;
}

static void show(const char *label, double v) {
  printf("%-22s bits=%016llx\n", label, (unsigned long long)to_bits(v));
  printf("  %%.17g=[%.17g] %%a=[%a] %%e=[%e] %%f=[%f]\n", v, v, v, v);
  printf("  %%g=[%g] %%.0f=[%.0f] %%.3e=[%.3e] %%+12.4f=[%+12.4f] %%-14.6g=[%-14.6g] %%.20e=[%.20e]\n",
         v, v, v, v, v, v);
  printf("  %%.0e=[%.0e] %%#.0f=[%#.0f] %%.13a=[%.13a] %%.1a=[%.1a] %%G=[%G] %%E=[%E] %%A=[%A]\n",
         v, v, v, v, v, v, v);
}

int main(void) {
  volatile double zero = 0.0;
  struct {
    const char *label;
    double v;
  } values[] = {
      {"0", 0.0},
      {"-0", -0.0},
      {"1", 1.0},
      {"-1", -1.0},
      {"0.1", 0.1},
      {"0.2", 0.2},
      {"0.3", 0.3},
      {"0.1+0.2", 0.1 + 0.2},
      {"1/3", 1.0 / 3.0},
      {"2/3", 2.0 / 3.0},
      {"0.5", 0.5},
      {"1.5", 1.5},
      {"2.5", 2.5},
      {"-2.5", -2.5},
      {"0.125", 0.125},
      {"123.456", 123.456},
      {"123456789.125", 123456789.125},
      {"1e15+0.3", 1e15 + 0.3},
      {"2^53", 9007199254740992.0},
      {"2^53+2", 9007199254740994.0},
      {"1e21", 1e21},
      {"1e22", 1e22},
      {"1e23", 1e23},
      {"1e300", 1e300},
      {"-1e300", -1e300},
      {"1e-5", 1e-5},
      {"1e-300", 1e-300},
      {"1e-310 (subnormal)", 1e-310},
      {"DBL_MAX", DBL_MAX},
      {"-DBL_MAX", -DBL_MAX},
      {"DBL_MIN", DBL_MIN},
      {"DBL_MIN/2", DBL_MIN / 2},
      {"DBL_TRUE_MIN", from_bits(1)},
      {"largest subnormal", from_bits(0x000fffffffffffffULL)},
      {"DBL_EPSILON", DBL_EPSILON},
      {"nextafter(1,2)", from_bits(0x3ff0000000000001ULL)},
      {"nextafter(1,0)", from_bits(0x3fefffffffffffffULL)},
      {"pi", 3.14159265358979323846},
      {"e", 2.71828182845904523536},
      {"0.95 (rounding)", 0.95},
      {"9.5", 9.5},
      {"999999.5", 999999.5},
      {"inf", 1.0 / zero},
      {"-inf", -1.0 / zero},
      {"nan (0/0)", zero / zero},
      {"nan (quiet bits)", from_bits(0x7ff8000000000000ULL)},
      {"-nan", from_bits(0xfff8000000000000ULL)},
      {"nan payload", from_bits(0x7ff0000000000123ULL)},
  };
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) show(values[i].label, values[i].v);

  // float arguments are promoted to double, but the value is a binary32 rounding.
  float floats[] = {0.1f, 1.0f / 3.0f, FLT_MAX, FLT_MIN, 1e-45f, 16777217.0f, -0.0f};
  for (size_t i = 0; i < sizeof floats / sizeof floats[0]; i++)
    printf("float[%zu] %%.9g=[%.9g] %%a=[%a]\n", i, floats[i], floats[i]);

  // binary128 long double goes through libgcc's soft-float and glibc's ldbl printf.
  long double ld[] = {1.0L / 3.0L, 0.1L, LDBL_MAX, LDBL_MIN, -0.0L, 1e4000L, 2.0L / 7.0L};
  for (size_t i = 0; i < sizeof ld / sizeof ld[0]; i++)
    printf("ld[%zu] %%.36Lg=[%.36Lg] %%La=[%La] %%Le=[%Le]\n", i, ld[i], ld[i], ld[i]);

  const char *inputs[] = {"0.1", "1e-320", "4.9e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
                          "1.7976931348623157e308", "1.7976931348623159e308", "0x1.8p1", "0x1p-1074",
                          "-0", "inf", "-Infinity", "nan", "nan(0x123)", "  +12.5e+3xyz", "1e",
                          "9007199254740993", "123456789012345678901234567890", ".5", "0x.8"};
  for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
    char *end;
    double d = strtod(inputs[i], &end);
    float f = strtof(inputs[i], NULL);
    printf("strtod(\"%s\") = %.17g bits=%016llx consumed=%d strtof=%.9g\n", inputs[i], d,
           (unsigned long long)to_bits(d), (int)(end - inputs[i]), f);
  }

  char buf[64];
  volatile double pi_ish = 3.14159265358979;
  int n = snprintf(buf, 8, "%.10f", pi_ish);
  printf("snprintf truncation: n=%d buf=[%s]\n", n, buf);
  printf("%%*.*f: [%*.*f] [%-*.*e]\n", 12, 3, 2.0 / 3.0, 14, 2, -1.0 / 7.0);
  return 0;
}
