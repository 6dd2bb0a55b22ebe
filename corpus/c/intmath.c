// Integer torture: RV64M division corner cases at the instruction level (divide by zero and
// INT64_MIN / -1 are defined by the ISA, unlike C), 32-bit W-forms, mulh*, __int128 via
// libgcc, variable shifts, bit counting and the A-extension atomics.
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

static const int64_t vals[] = {0, 1, -1, 2, -2, 3, 7, -7, 10, 0x7fffffff, -0x80000000LL, 0xffffffffLL,
                               0x123456789abcdefLL, INT64_MAX, INT64_MIN, INT64_MIN + 1, -0x5555555555555556LL};
#define NV (sizeof vals / sizeof vals[0])

#define RR(insn, a, b)                                                      \
  ({                                                                        \
    int64_t r_;                                                             \
    __asm__ volatile(insn " %0, %1, %2" : "=r"(r_) : "r"(a), "r"(b));       \
    r_;                                                                     \
  })

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

static void print_u128(unsigned __int128 v) {
  char buf[48];
  int i = sizeof buf - 1;
  buf[i] = 0;
  do {
    buf[--i] = (char)('0' + (int)(v % 10));
    v /= 10;
  } while (v != 0);
  fputs(buf + i, stdout);
}

static void print_i128(__int128 v) {
  if (v < 0) {
    putchar('-');
    print_u128(-(unsigned __int128)v);
  } else {
    print_u128((unsigned __int128)v);
  }
}

int main(void) {
  uint64_t h = 0;
  for (size_t i = 0; i < NV; i++)
    for (size_t j = 0; j < NV; j++) {
      int64_t a = vals[i], b = vals[j];
      int64_t mul = RR("mul", a, b), mulh = RR("mulh", a, b), mulhu = RR("mulhu", a, b),
              mulhsu = RR("mulhsu", a, b);
      int64_t div = RR("div", a, b), divu = RR("divu", a, b), rem = RR("rem", a, b), remu = RR("remu", a, b);
      int64_t mulw = RR("mulw", a, b), divw = RR("divw", a, b), divuw = RR("divuw", a, b),
              remw = RR("remw", a, b), remuw = RR("remuw", a, b);
      int64_t addw = RR("addw", a, b), subw = RR("subw", a, b), sll = RR("sll", a, b), srl = RR("srl", a, b),
              sra = RR("sra", a, b), sllw = RR("sllw", a, b), srlw = RR("srlw", a, b), sraw = RR("sraw", a, b);
      int64_t slt = RR("slt", a, b), sltu = RR("sltu", a, b);
      printf("%" PRId64 " %" PRId64 ": mul=%" PRIx64 " mulh=%" PRIx64 " mulhu=%" PRIx64 " mulhsu=%" PRIx64
             " div=%" PRId64 " divu=%" PRIu64 " rem=%" PRId64 " remu=%" PRIu64 "\n",
             a, b, mul, mulh, mulhu, mulhsu, div, (uint64_t)divu, rem, (uint64_t)remu);
      printf("  w: mulw=%" PRId64 " divw=%" PRId64 " divuw=%" PRId64 " remw=%" PRId64 " remuw=%" PRId64
             " addw=%" PRId64 " subw=%" PRId64 " sll=%" PRIx64 " srl=%" PRIx64 " sra=%" PRIx64 " sllw=%" PRId64
             " srlw=%" PRId64 " sraw=%" PRId64 " slt=%" PRId64 " sltu=%" PRId64 "\n",
             mulw, divw, divuw, remw, remuw, addw, subw, sll, srl, sra, sllw, srlw, sraw, slt, sltu);
      h = mix(h, (uint64_t)(mul ^ mulh ^ mulhu ^ mulhsu ^ div ^ divu ^ rem ^ remu));

      // 128-bit arithmetic goes through libgcc (__multi3, __divti3, __udivti3, __modti3).
      __int128 wa = (__int128)a * 0x10000000000LL + b, wb = (__int128)b * 3 - 1;
      printf("  i128: a*b=");
      print_i128((__int128)a * b);
      printf(" wa=");
      print_i128(wa);
      if (wb != 0 && !(wb == -1 && wa == (((__int128)1) << 127))) {
        printf(" wa/wb=");
        print_i128(wa / wb);
        printf(" wa%%wb=");
        print_i128(wa % wb);
        printf(" u/=");
        print_u128((unsigned __int128)wa / (unsigned __int128)wb);
      }
      printf("\n");
    }

  for (size_t i = 0; i < NV; i++) {
    uint64_t v = (uint64_t)vals[i];
    printf("bits %016" PRIx64 ": popcount=%d clz=%d ctz=%d parity=%d bswap=%016" PRIx64 " clrsb=%d\n", v,
           __builtin_popcountll(v), v ? __builtin_clzll(v) : 64, v ? __builtin_ctzll(v) : 64, __builtin_parityll(v),
           __builtin_bswap64(v), __builtin_clrsbll((long long)v));
    for (int s = 0; s < 64; s += 13) {
      uint64_t rotl = (v << s) | (v >> ((64 - s) & 63));
      printf("  shift %2d: shl=%016" PRIx64 " lshr=%016" PRIx64 " ashr=%016" PRIx64 " rotl=%016" PRIx64 "\n", s,
             v << s, v >> s, (uint64_t)((int64_t)v >> s), rotl);
    }
    int32_t w = (int32_t)v;
    printf("  int32 %d: (u32)=%u (i16)=%d (u8)=%u w+w=%d\n", w, (uint32_t)w, (int16_t)w, (uint8_t)w,
           (int32_t)((uint32_t)w + (uint32_t)w));
  }

  // Atomics: amo* and lr/sc on a single thread must behave like plain read-modify-write.
  static int64_t cell64 = 5;
  static int32_t cell32 = -5;
  int64_t old = __atomic_fetch_add(&cell64, 10, __ATOMIC_SEQ_CST);
  printf("amoadd.d old=%" PRId64 " new=%" PRId64 "\n", old, cell64);
  old = __atomic_fetch_xor(&cell64, -1, __ATOMIC_SEQ_CST);
  printf("amoxor.d old=%" PRId64 " new=%" PRId64 "\n", old, cell64);
  int32_t old32 = __atomic_fetch_and(&cell32, 0x0f0f0f0f, __ATOMIC_ACQUIRE);
  printf("amoand.w old=%d new=%d\n", old32, cell32);
  old32 = __atomic_exchange_n(&cell32, INT32_MIN, __ATOMIC_RELEASE);
  printf("amoswap.w old=%d new=%d\n", old32, cell32);
  int64_t expected = cell64;
  int ok = __atomic_compare_exchange_n(&cell64, &expected, 1234, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  printf("cas (lr/sc) ok=%d value=%" PRId64 "\n", ok, cell64);
  expected = 99;
  ok = __atomic_compare_exchange_n(&cell64, &expected, 555, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  printf("cas mismatch ok=%d expected=%" PRId64 " value=%" PRId64 "\n", ok, expected, cell64);
  int64_t m = INT64_MIN;
  __asm__ volatile("amomax.d %0, %1, (%2)" : "=r"(old) : "r"(m), "r"(&cell64) : "memory");
  printf("amomax.d old=%" PRId64 " value=%" PRId64 "\n", old, cell64);
  __asm__ volatile("amominu.d %0, %1, (%2)" : "=r"(old) : "r"(m), "r"(&cell64) : "memory");
  printf("amominu.d old=%" PRId64 " value=%" PRId64 "\n", old, cell64);
  __asm__ volatile("amomin.w %0, %1, (%2)" : "=r"(old) : "r"(m), "r"(&cell32) : "memory");
  printf("amomin.w old=%" PRId64 " value=%d\n", old, cell32);

  printf("checksum=%016" PRIx64 "\n", h);
  return 0;
}
