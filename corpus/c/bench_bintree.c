// Benchmark, pointer-heavy: the binary-trees program of the Computer Language Benchmarks
// Game (many short-lived trees built with malloc, walked and freed, beside one long-lived
// tree), plus a walk of a linked list shuffled through memory. argv[1] is the maximum tree
// depth (small: a test-suite run). Only node counts and checksums are printed.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct Node {
  struct Node *left, *right;
} Node;

static Node *build(int depth) {
  Node *n = malloc(sizeof *n);
  if (depth > 0) {
    n->left = build(depth - 1);
    n->right = build(depth - 1);
  } else {
    n->left = n->right = NULL;
  }
  return n;
}

static long check(const Node *n) { return 1 + (n->left ? check(n->left) + check(n->right) : 0); }

static void release(Node *n) {
  if (n->left) release(n->left), release(n->right);
  free(n);
}

typedef struct Link {
  struct Link *next;
  uint64_t value;
} Link;

int main(int argc, char **argv) {
  int max_depth = argc > 1 ? atoi(argv[1]) : 8;
  if (max_depth < 6) max_depth = 6;
  if (max_depth > 22) max_depth = 22;

  Node *stretch = build(max_depth + 1);
  printf("stretch tree of depth %d\t check: %ld\n", max_depth + 1, check(stretch));
  release(stretch);

  Node *long_lived = build(max_depth);
  for (int depth = 4; depth <= max_depth; depth += 2) {
    long iterations = 1L << (max_depth - depth + 4), sum = 0;
    for (long i = 0; i < iterations; i++) {
      Node *t = build(depth);
      sum += check(t);
      release(t);
    }
    printf("%ld\t trees of depth %d\t check: %ld\n", iterations, depth, sum);
  }
  printf("long lived tree of depth %d\t check: %ld\n", max_depth, check(long_lived));
  release(long_lived);

  // A linked list whose nodes are visited in a shuffled order: every step a dependent load.
  size_t count = (size_t)1 << (max_depth - 2);
  Link *links = malloc(count * sizeof *links);
  size_t *order = malloc(count * sizeof *order);
  for (size_t i = 0; i < count; i++) order[i] = i, links[i].value = i * 2654435761u;
  uint64_t x = 88172645463325252ull;
  for (size_t i = count - 1; i > 0; i--) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    size_t j = x % (i + 1), t = order[i];
    order[i] = order[j], order[j] = t;
  }
  for (size_t i = 0; i < count; i++) links[order[i]].next = &links[order[(i + 1) % count]];
  uint64_t acc = 0;
  const Link *p = &links[order[0]];
  for (size_t step = 0; step < 8 * count; step++) acc = acc * 31 + p->value, p = p->next;
  printf("list of %zu links walked 8 times: %016llx\n", count, (unsigned long long)acc);
  free(links), free(order);
  return 0;
}
