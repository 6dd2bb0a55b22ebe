// IEEE 754 arithmetic at the instruction level: every basic operation over pairs of special
// values, printed with the exception flags it raised (fflags) and under all rounding modes;
// conversions use inline asm so the RISC-V saturation rules (not C's UB) are what we see.
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const double vals[] = {0.0, -0.0, 1.0, -1.0, 0.1, 3.0, 1e308, -1e308, 2.2250738585072014e-308,
                              4.9406564584124654e-324, INFINITY, -INFINITY, NAN, 9007199254740993.0,
                              -2147483648.5, 4294967296.75};
#define NV (sizeof vals / sizeof vals[0])

static void flags(void) {
  int f = fetestexcept(FE_ALL_EXCEPT);
  printf(" [%s%s%s%s%s]", f & FE_INVALID ? "NV" : "", f & FE_DIVBYZERO ? "DZ" : "", f & FE_OVERFLOW ? "OF" : "",
         f & FE_UNDERFLOW ? "UF" : "", f & FE_INEXACT ? "NX" : "");
  feclearexcept(FE_ALL_EXCEPT);
}

static uint64_t bits(double d) {
  uint64_t b;
  memcpy(&b, &d, sizeof b);
  return b;
}

static uint32_t bitsf(float f) {
  uint32_t b;
  memcpy(&b, &f, sizeof b);
  return b;
}

#define BINOP(name, insn)                                              \
  static double name(double a, double b) {                             \
    double r;                                                          \
    __asm__ volatile(insn " %0, %1, %2" : "=f"(r) : "f"(a), "f"(b));   \
    return r;                                                          \
  }
BINOP(op_add, "fadd.d")
BINOP(op_sub, "fsub.d")
BINOP(op_mul, "fmul.d")
BINOP(op_div, "fdiv.d")
BINOP(op_min, "fmin.d")
BINOP(op_max, "fmax.d")
BINOP(op_sgnj, "fsgnj.d")
BINOP(op_sgnjn, "fsgnjn.d")
BINOP(op_sgnjx, "fsgnjx.d")

static const struct {
  const char *name;
  double (*f)(double, double);
} binops[] = {{"fadd.d", op_add}, {"fsub.d", op_sub},   {"fmul.d", op_mul},     {"fdiv.d", op_div},
              {"fmin.d", op_min}, {"fmax.d", op_max},   {"fsgnj.d", op_sgnj},   {"fsgnjn.d", op_sgnjn},
              {"fsgnjx.d", op_sgnjx}};

static void comparisons(double a, double b) {
  long eq, lt, le;
  __asm__ volatile("feq.d %0, %1, %2" : "=r"(eq) : "f"(a), "f"(b));
  __asm__ volatile("flt.d %0, %1, %2" : "=r"(lt) : "f"(a), "f"(b));
  __asm__ volatile("fle.d %0, %1, %2" : "=r"(le) : "f"(a), "f"(b));
  printf("  cmp %a %a: eq=%ld lt=%ld le=%ld", a, b, eq, lt, le);
  flags();
  printf("\n");
}

static void conversions(double a) {
  long w, wu, l, lu;
  float s;
  unsigned long cls;
  __asm__ volatile("fcvt.w.d %0, %1, rtz" : "=r"(w) : "f"(a));
  __asm__ volatile("fcvt.wu.d %0, %1, rtz" : "=r"(wu) : "f"(a));
  __asm__ volatile("fcvt.l.d %0, %1, rtz" : "=r"(l) : "f"(a));
  __asm__ volatile("fcvt.lu.d %0, %1, rtz" : "=r"(lu) : "f"(a));
  printf("  cvt %a: w=%ld wu=%ld l=%ld lu=%lu", a, w, wu, l, (unsigned long)lu);
  flags();
  __asm__ volatile("fcvt.s.d %0, %1" : "=f"(s) : "f"(a));
  printf(" s=%a bits=%08x", s, bitsf(s));
  flags();
  __asm__ volatile("fclass.d %0, %1" : "=r"(cls) : "f"(a));
  printf(" class=%#lx", cls);
  long rne, rdn, rup, rmm;
  __asm__ volatile("fcvt.l.d %0, %1, rne" : "=r"(rne) : "f"(a));
  __asm__ volatile("fcvt.l.d %0, %1, rdn" : "=r"(rdn) : "f"(a));
  __asm__ volatile("fcvt.l.d %0, %1, rup" : "=r"(rup) : "f"(a));
  __asm__ volatile("fcvt.l.d %0, %1, rmm" : "=r"(rmm) : "f"(a));
  printf(" rne=%ld rdn=%ld rup=%ld rmm=%ld", rne, rdn, rup, rmm);
  flags();
  printf("\n");
}

static void int_to_float(void) {
  static const long ints[] = {0, 1, -1, 16777217, 9007199254740993L, -9223372036854775807L - 1, 9223372036854775807L};
  for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
    double d, du;
    float s;
    __asm__ volatile("fcvt.d.l %0, %1" : "=f"(d) : "r"(ints[i]));
    __asm__ volatile("fcvt.d.lu %0, %1" : "=f"(du) : "r"(ints[i]));
    __asm__ volatile("fcvt.s.l %0, %1" : "=f"(s) : "r"(ints[i]));
    printf("int %ld -> d=%a du=%a s=%a", ints[i], d, du, s);
    flags();
    printf("\n");
  }
}

static void single_precision(void) {
  static const float fv[] = {0.0f, -0.0f, 1.0f, 0.1f, 3.0f, 3.4e38f, 1e-45f, INFINITY, NAN};
  const size_t n = sizeof fv / sizeof fv[0];
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      float s, p, q, r;
      __asm__ volatile("fadd.s %0, %1, %2" : "=f"(s) : "f"(fv[i]), "f"(fv[j]));
      __asm__ volatile("fmul.s %0, %1, %2" : "=f"(p) : "f"(fv[i]), "f"(fv[j]));
      __asm__ volatile("fdiv.s %0, %1, %2" : "=f"(q) : "f"(fv[i]), "f"(fv[j]));
      __asm__ volatile("fmadd.s %0, %1, %2, %3" : "=f"(r) : "f"(fv[i]), "f"(fv[j]), "f"(fv[(i + 1) % n]));
      printf("s %a %a: add=%08x mul=%08x div=%08x fmadd=%08x", fv[i], fv[j], bitsf(s), bitsf(p), bitsf(q),
             bitsf(r));
      flags();
      printf("\n");
    }
}

int main(void) {
  static const int modes[] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD};
  static const char *mode_names[] = {"rne", "rtz", "rdn", "rup"};
  feclearexcept(FE_ALL_EXCEPT);
  for (size_t m = 0; m < 4; m++) {
    fesetround(modes[m]);
    printf("== rounding mode %s (fegetround ok=%d)\n", mode_names[m], fegetround() == modes[m]);
    // Only the four rounding operations depend on frm; min/max/sign-injection run once.
    size_t nops = m == 0 ? sizeof binops / sizeof binops[0] : 4;
    for (size_t k = 0; k < nops; k++)
      for (size_t i = 0; i < NV; i++)
        for (size_t j = 0; j < NV; j++) {
          double r = binops[k].f(vals[i], vals[j]);
          printf("%s %a %a = %016llx", binops[k].name, vals[i], vals[j], (unsigned long long)bits(r));
          flags();
          printf("\n");
        }
    for (size_t i = 0; i < NV; i++) {
      double r;
      __asm__ volatile("fsqrt.d %0, %1" : "=f"(r) : "f"(vals[i]));
      printf("fsqrt.d %a = %016llx", vals[i], (unsigned long long)bits(r));
      flags();
      printf("\n");
      for (size_t j = 0; j < NV; j += 3) {
        double f1, f2, f3, f4;
        double c = vals[(i + j + 1) % NV];
        __asm__ volatile("fmadd.d %0, %1, %2, %3" : "=f"(f1) : "f"(vals[i]), "f"(vals[j]), "f"(c));
        __asm__ volatile("fmsub.d %0, %1, %2, %3" : "=f"(f2) : "f"(vals[i]), "f"(vals[j]), "f"(c));
        __asm__ volatile("fnmadd.d %0, %1, %2, %3" : "=f"(f3) : "f"(vals[i]), "f"(vals[j]), "f"(c));
        __asm__ volatile("fnmsub.d %0, %1, %2, %3" : "=f"(f4) : "f"(vals[i]), "f"(vals[j]), "f"(c));
        printf("  fma* %a %a %a = %016llx %016llx %016llx %016llx", vals[i], vals[j], c,
               (unsigned long long)bits(f1), (unsigned long long)bits(f2), (unsigned long long)bits(f3),
               (unsigned long long)bits(f4));
        flags();
        printf("\n");
      }
    }
    volatile double third = 1.0, three = 3.0;
    printf("1/3 = %a, rint(2.5) = %a, rint(-2.5) = %a, nearbyint(0.5) = %a\n", third / three, rint(2.5),
           rint(-2.5), nearbyint(0.5));
    feclearexcept(FE_ALL_EXCEPT);
  }
  fesetround(FE_TONEAREST);
  for (size_t i = 0; i < NV; i++) conversions(vals[i]);
  for (size_t i = 0; i < NV; i += 2) comparisons(vals[i], vals[(i + 5) % NV]);
  comparisons(NAN, NAN);
  comparisons(0.0, -0.0);
  int_to_float();
  single_precision();
  return 0;
}
