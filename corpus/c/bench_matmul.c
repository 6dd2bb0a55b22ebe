// Benchmark, FP matrix multiply: C = A*B in double precision (i-k-j order), then A = C*B,
// twice; the trace and the sum are printed exactly (%.17g), so any rounding difference
// shows. argv[1] is n/8 (the test-suite entry: 2, n=16; n stops at 512).
#include <stdio.h>
#include <stdlib.h>

static void multiply(int n, const double *a, const double *b, double *c) {
  for (int i = 0; i < n * n; i++) c[i] = 0;
  for (int i = 0; i < n; i++)
    for (int k = 0; k < n; k++) {
      double aik = a[i * n + k];
      for (int j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
}

int main(int argc, char **argv) {
  int scale = argc > 1 ? atoi(argv[1]) : 1;
  if (scale < 1) scale = 1;
  int n = 8 * scale;
  if (n > 512) n = 512;
  double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n), *c = malloc(sizeof(double) * n * n);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) {
      a[i * n + j] = (double)((i * 7 + j * 3) % 17) / 16.0 - 0.5;
      b[i * n + j] = 1.0 / (double)(i + j + 1);  // Hilbert: inexact, so rounding matters
    }
  for (int rep = 0; rep < 2; rep++) {
    multiply(n, a, b, c);
    multiply(n, c, b, a);
    // Keep the values bounded across repetitions.
    for (int i = 0; i < n * n; i++) a[i] /= (double)n;
  }
  double trace = 0, total = 0;
  for (int i = 0; i < n; i++) trace += a[i * n + i];
  for (int i = 0; i < n * n; i++) total += a[i];
  printf("matmul n=%d trace=%.17g sum=%.17g\n", n, trace, total);
  free(a), free(b), free(c);
  return 0;
}
