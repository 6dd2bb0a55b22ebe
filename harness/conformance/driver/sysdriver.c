/*
 * The syscall driver: a static riscv64 guest that performs the syscalls described on its
 * command line and reports what happened, identically under qemu-riscv64 and zerosys.
 *
 *   sysdriver STEP...        STEP = call NR NARGS ARG...  |  LAYOUT
 *
 * LAYOUT words create the case's files in the working directory before its calls, for a
 * pack case (harness/conformance/pack.ts), whose runner has no harness to lay them out on
 * the host. They are not steps (no report line, no step number), so the report is the one
 * the harness-laid-out run gives; pack.ts orders them as workdir.ts's layOut does:
 *
 *   mkdir PATH               mkdirat(AT_FDCWD, PATH, 0777): the mode is umask's, as mkdir -p
 *   create PATH DATA         openat(O_WRONLY|O_CREAT|O_TRUNC, 0666), DATA written, close;
 *                            DATA = x:HEX (these bytes) | z:N (N zero bytes)
 *   symlink TARGET PATH      symlinkat(TARGET, AT_FDCWD, PATH)
 *   mkfifo PATH              mknodat(AT_FDCWD, PATH, S_IFIFO|0666, 0)
 *   chmod PATH MODE          fchmodat(AT_FDCWD, PATH, MODE): the declared mode exactly, as
 *                            chmod ignores the umask (which stays the target's, 022 in a
 *                            pack's runner, for the case's own calls)
 *
 * If one fails (a target whose working directory is not writable), the driver says which on
 * stderr and exits with status 3 before any step runs.
 *
 * ARG (one argv word each):
 *   i:INT        integer (decimal, 0x hex, leading '-' allowed), passed as is
 *   s:TEXT       pointer to a NUL-terminated copy of TEXT
 *   o:N          pointer to an N-byte buffer filled with 0xa5 (dumped after the call)
 *   x:HEX        pointer to a buffer holding these bytes (dumped after the call)
 *   q:A,B,...    pointer to 64-bit little-endian integers (dumped after the call)
 *   w:A,B,...    pointer to 32-bit little-endian integers (dumped after the call)
 *   v:N          pointer to an iovec array of the next N buffer ARGs (o:, x:, s:)
 *   r:K[+OFF]    the result of step K (0-based) plus OFF: fds, mmap addresses
 *
 * Buffers live in a static arena, so their addresses are the same on both sides. The calls
 * are raw ecalls (no libc wrapper, no errno): the result is a0 exactly as the kernel left it.
 * The report is collected in memory and written with one write(1) at the end, after the
 * marker line, so output the steps themselves write to fd 1 comes first:
 *
 *   ==sysdriver==
 *   step K nr=NR ret=DEC
 *   step K arg J HEX          (for each buffer argument, after the call)
 *
 * It is freestanding (no libc: built with -nostdlib -ffreestanding, its own _start below),
 * so it makes no syscall but its layout, its steps, the write of its report and exit_group,
 * and builds for rv64gc and rv64imac (lp64) alike. Run without arguments, it takes its steps from
 * CASE_ARGS, which a pack (harness/conformance/pack.ts) writes into a copy of the binary
 * after the marker: a runner that cannot pass arguments (a zkVM) can still run a case.
 */
#include <stddef.h>
#include <stdint.h>

/* What the compiler may call even when freestanding, and what the driver uses. */
size_t strlen(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}
void *memcpy(void *d, const void *s, size_t n) {
    unsigned char *a = d;
    const unsigned char *b = s;
    while (n--) *a++ = *b++;
    return d;
}
void *memset(void *d, int c, size_t n) {
    unsigned char *a = d;
    while (n--) *a++ = (unsigned char)c;
    return d;
}
static int streq(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}
static const char *find_char(const char *s, char c) {
    for (; *s; s++) if (*s == c) return s;
    return 0;
}
/* strtoul with base 0: 0x/0X hexadecimal, a leading 0 octal, else decimal; *end after the digits. */
static unsigned long parse_unsigned(const char *s, const char **end) {
    unsigned long base = 10, v = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) base = 16, s += 2;
    else if (s[0] == '0') base = 8;
    for (;; s++) {
        unsigned long d = *s >= '0' && *s <= '9' ? (unsigned long)(*s - '0') : *s >= 'a' && *s <= 'f' ? (unsigned long)(*s - 'a' + 10) : *s >= 'A' && *s <= 'F' ? (unsigned long)(*s - 'A' + 10) : 99;
        if (d >= base) break;
        v = v * base + d;
    }
    *end = s;
    return v;
}

/* The embedded case: the marker, then NUL-separated words, then an empty word. */
#define CASE_MARKER "@@zerosys-case@@"
#define CASE_ARGS_SIZE 16384
#define CASE_WORDS 4096
static char case_args[CASE_ARGS_SIZE] = CASE_MARKER;
static char *case_argv[CASE_WORDS];

#define MAX_STEPS 64
#define ARENA_SIZE (1 << 20)

static unsigned char arena[ARENA_SIZE] __attribute__((aligned(4096)));
static size_t arena_used;
static char report[1 << 20];
static size_t report_len;
static long results[MAX_STEPS];

static long raw_syscall(long n, long a0, long a1, long a2, long a3, long a4, long a5) {
    register long x10 __asm__("a0") = a0;
    register long x11 __asm__("a1") = a1;
    register long x12 __asm__("a2") = a2;
    register long x13 __asm__("a3") = a3;
    register long x14 __asm__("a4") = a4;
    register long x15 __asm__("a5") = a5;
    register long x17 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(x10) : "r"(x11), "r"(x12), "r"(x13), "r"(x14), "r"(x15), "r"(x17) : "memory");
    return x10;
}

static void die(const char *why, const char *what) {
    /* Usage errors are the harness's bug: say so on stderr and exit 2. */
    raw_syscall(64, 2, (long)why, strlen(why), 0, 0, 0);
    raw_syscall(64, 2, (long)": ", 2, 0, 0, 0);
    raw_syscall(64, 2, (long)what, strlen(what), 0, 0, 0);
    raw_syscall(64, 2, (long)"\n", 1, 0, 0, 0);
    raw_syscall(94, 2, 0, 0, 0, 0, 0);
}

static void put(const char *s) {
    size_t n = strlen(s);
    if (report_len + n >= sizeof report) die("report too long", s);
    memcpy(report + report_len, s, n);
    report_len += n;
}

static void put_dec(long v) {
    char buf[24];
    int i = sizeof buf;
    unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;
    buf[--i] = 0;
    do buf[--i] = '0' + u % 10; while ((u /= 10) && i > 1);
    if (v < 0) buf[--i] = '-';
    put(buf + i);
}

static void put_hex(const unsigned char *p, size_t n) {
    static const char digits[] = "0123456789abcdef";
    char two[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        two[0] = digits[p[i] >> 4];
        two[1] = digits[p[i] & 15];
        put(two);
    }
}

static unsigned char *alloc(size_t n) {
    size_t start = (arena_used + 15) & ~(size_t)15;
    if (start + n + 16 > ARENA_SIZE) die("arena exhausted", "");
    arena_used = start + n + 16; /* a gap, so overruns do not reach the next buffer silently */
    return arena + start;
}

static long parse_int(const char *s) {
    int neg = *s == '-';
    const char *end;
    unsigned long v = parse_unsigned(s + neg, &end);
    if (*end && *end != ',' && *end != '+') die("bad integer", s);
    return neg ? -(long)v : (long)v;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Layout (see the top): raw calls, their buffers outside the arena so that the steps'
 * buffers sit at the addresses they have in a run laid out by the harness. */
#define AT_FDCWD (-100)
static unsigned char chunk[4096];

static void layout_failed(const char *op, const char *path, long ret) {
    static const char why[] = "sysdriver: cannot lay out the case's files: ";
    raw_syscall(64, 2, (long)why, sizeof why - 1, 0, 0, 0);
    raw_syscall(64, 2, (long)op, strlen(op), 0, 0, 0);
    raw_syscall(64, 2, (long)" ", 1, 0, 0, 0);
    raw_syscall(64, 2, (long)path, strlen(path), 0, 0, 0);
    raw_syscall(64, 2, (long)" returned ", 10, 0, 0, 0);
    report_len = 0;
    put_dec(ret);
    put("\n");
    raw_syscall(64, 2, (long)report, (long)report_len, 0, 0, 0);
    raw_syscall(94, 3, 0, 0, 0, 0, 0);
}

static void write_all(long fd, const unsigned char *p, size_t n, const char *path) {
    while (n) {
        long w = raw_syscall(64, fd, (long)p, (long)n, 0, 0, 0);
        if (w <= 0) layout_failed("write", path, w);
        p += w;
        n -= (size_t)w;
    }
}

/* DATA of `create`: x:HEX or z:N, written in chunks. */
static void write_data(long fd, const char *data, const char *path) {
    if (data[0] == 'z' && data[1] == ':') {
        size_t n = (size_t)parse_int(data + 2);
        memset(chunk, 0, sizeof chunk);
        while (n) {
            size_t k = n < sizeof chunk ? n : sizeof chunk;
            write_all(fd, chunk, k, path);
            n -= k;
        }
        return;
    }
    if (data[0] != 'x' || data[1] != ':') die("expected file data x:HEX or z:N", data);
    const char *h = data + 2;
    if (strlen(h) % 2) die("odd hex length", data);
    while (*h) {
        size_t k = 0;
        for (; *h && k < sizeof chunk; h += 2) {
            int hi = hexval(h[0]), lo = hexval(h[1]);
            if (hi < 0 || lo < 0) die("bad hex", data);
            chunk[k++] = (unsigned char)(hi * 16 + lo);
        }
        write_all(fd, chunk, k, path);
    }
}

/* One layout word and its operands at argv[i]; returns the index after them, or 0 if argv[i] is not one. */
static int layout(int argc, char **argv, int i) {
    const char *w = argv[i];
    int operands = streq(w, "mkdir") || streq(w, "mkfifo") ? 1 : streq(w, "create") || streq(w, "symlink") || streq(w, "chmod") ? 2 : 0;
    if (!operands) return 0;
    if (i + operands >= argc) die("missing operand of", w);
    const char *a = argv[i + 1], *b = argv[i + 2];
    long r;
    if (streq(w, "mkdir")) {
        if ((r = raw_syscall(34, AT_FDCWD, (long)a, 0777, 0, 0, 0)) < 0) layout_failed("mkdirat", a, r);
    } else if (streq(w, "mkfifo")) {
        if ((r = raw_syscall(33, AT_FDCWD, (long)a, 0010000 | 0666, 0, 0, 0)) < 0) layout_failed("mknodat", a, r);
    } else if (streq(w, "symlink")) {
        if ((r = raw_syscall(36, (long)a, AT_FDCWD, (long)b, 0, 0, 0)) < 0) layout_failed("symlinkat", b, r);
    } else if (streq(w, "chmod")) {
        if ((r = raw_syscall(53, AT_FDCWD, (long)a, parse_int(b), 0, 0, 0)) < 0) layout_failed("fchmodat", a, r);
    } else {
        /* O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, as Node's writeFile opens (workdir.ts). */
        long fd = raw_syscall(56, AT_FDCWD, (long)a, 01 | 0100 | 01000 | 02000000, 0666, 0, 0);
        if (fd < 0) layout_failed("openat", a, fd);
        write_data(fd, b, a);
        if ((r = raw_syscall(57, fd, 0, 0, 0, 0, 0)) < 0) layout_failed("close", a, r);
    }
    return i + 1 + operands;
}

struct buffer { unsigned char *p; size_t n; };

/* Make the buffer an ARG describes; returns 0 if ARG is not a buffer form. */
static int make_buffer(const char *arg, struct buffer *b) {
    const char *v = arg + 2;
    if (arg[0] == 'o' && arg[1] == ':') {
        b->n = (size_t)parse_int(v);
        b->p = alloc(b->n);
        memset(b->p, 0xa5, b->n);
    } else if (arg[0] == 'x' && arg[1] == ':') {
        size_t len = strlen(v);
        if (len % 2) die("odd hex length", arg);
        b->n = len / 2;
        b->p = alloc(b->n);
        for (size_t i = 0; i < b->n; i++) {
            int hi = hexval(v[2 * i]), lo = hexval(v[2 * i + 1]);
            if (hi < 0 || lo < 0) die("bad hex", arg);
            b->p[i] = (unsigned char)(hi * 16 + lo);
        }
    } else if (arg[0] == 's' && arg[1] == ':') {
        b->n = strlen(v) + 1;
        b->p = alloc(b->n);
        memcpy(b->p, v, b->n);
    } else if ((arg[0] == 'q' || arg[0] == 'w') && arg[1] == ':') {
        size_t width = arg[0] == 'q' ? 8 : 4, count = 1;
        for (const char *c = v; *c; c++) count += *c == ',';
        b->n = count * width;
        b->p = alloc(b->n);
        const char *c = v;
        for (size_t i = 0; i < count; i++) {
            long x = parse_int(c);
            for (size_t k = 0; k < width; k++) b->p[i * width + k] = (unsigned char)((unsigned long)x >> (8 * k));
            while (*c && *c != ',') c++;
            if (*c) c++;
        }
    } else {
        return 0;
    }
    return 1;
}

static int run(int argc, char **argv) {
    int step = 0;
    put("==sysdriver==\n");
    for (int i = 1; i < argc;) {
        int next = layout(argc, argv, i);
        if (next) {
            i = next;
            continue;
        }
        if (!streq(argv[i], "call") || i + 2 >= argc) die("expected: call NR NARGS or a layout word", argv[i]);
        long nr = parse_int(argv[i + 1]);
        int nargs = (int)parse_int(argv[i + 2]);
        if (nargs < 0 || nargs > 6) die("NARGS must be 0..6", argv[i + 2]);
        i += 3;
        long a[6] = {0, 0, 0, 0, 0, 0};
        struct buffer dumps[6 + 16];
        int dumped[6 + 16];
        int ndumps = 0;
        for (int j = 0; j < nargs; j++, i++) {
            if (i >= argc) die("missing argument", argv[i - 1]);
            const char *arg = argv[i];
            struct buffer b;
            if (arg[0] == 'i' && arg[1] == ':') {
                a[j] = parse_int(arg + 2);
            } else if (arg[0] == 'r' && arg[1] == ':') {
                long k = parse_int(arg + 2);
                const char *plus = find_char(arg, '+');
                if (k < 0 || k >= step) die("bad step reference", arg);
                a[j] = results[k] + (plus ? parse_int(plus + 1) : 0);
            } else if (arg[0] == 'v' && arg[1] == ':') {
                int count = (int)parse_int(arg + 2);
                if (count < 0 || count > 16) die("bad iovec count", arg);
                uint64_t *iov = (uint64_t *)alloc(16 * (size_t)count + 1);
                for (int k = 0; k < count; k++) {
                    i++;
                    if (i >= argc || !make_buffer(argv[i], &b)) die("iovec element must be a buffer", i < argc ? argv[i] : "");
                    if (argv[i][0] == 's') b.n--; /* the text, without its NUL */
                    iov[2 * k] = (uint64_t)(uintptr_t)b.p;
                    iov[2 * k + 1] = b.n;
                    dumps[ndumps] = b;
                    dumped[ndumps++] = j;
                }
                a[j] = (long)(uintptr_t)iov;
            } else if (make_buffer(arg, &b)) {
                a[j] = (long)(uintptr_t)b.p;
                dumps[ndumps] = b;
                dumped[ndumps++] = j;
            } else {
                die("unknown argument form", arg);
            }
        }
        long ret = raw_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
        if (step < MAX_STEPS) results[step] = ret;
        put("step ");
        put_dec(step);
        put(" nr=");
        put_dec(nr);
        put(" ret=");
        put_dec(ret);
        put("\n");
        for (int k = 0; k < ndumps; k++) {
            put("step ");
            put_dec(step);
            put(" arg ");
            put_dec(dumped[k]);
            put(" ");
            put_hex(dumps[k].p, dumps[k].n);
            put("\n");
        }
        step++;
    }
    put("==end==\n");
    size_t off = 0;
    while (off < report_len) {
        long n = raw_syscall(64, 1, (long)(report + off), (long)(report_len - off), 0, 0, 0);
        if (n <= 0) break;
        off += (size_t)n;
    }
    raw_syscall(94, 0, 0, 0, 0, 0, 0);
    return 0;
}

/* Without arguments: the embedded case's words (none in the binary as built). */
int main(int argc, char **argv) {
    if (argc > 1) return run(argc, argv);
    int n = 1;
    case_argv[0] = argv[0];
    for (char *w = case_args + sizeof CASE_MARKER; w < case_args + CASE_ARGS_SIZE && *w && n < CASE_WORDS; w += strlen(w) + 1) case_argv[n++] = w;
    return run(n, case_argv);
}

/* The kernel's initial stack: argc, then argv. No libc to set anything else up. */
__attribute__((naked, noreturn)) void _start(void) {
    __asm__ volatile(
        "ld a0, 0(sp)\n"
        "addi a1, sp, 8\n"
        "andi sp, sp, -16\n"
        "call main\n"
        "li a7, 94\n"
        "ecall\n");
}
