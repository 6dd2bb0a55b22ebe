// go-strings-maps: maps, sorting, strings and number formatting, floating point through the
// FPU (and Go's own pure-Go math), integer corners of the ISA, math/big. Every line is a
// fact of the language and libraries, the same on any correct riscv64 machine.
package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"math/big"
	"math/bits"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

func mapsAndSort() {
	text := "the quick brown fox jumps over the lazy dog the end fox"
	counts := map[string]int{}
	for _, w := range strings.Fields(text) {
		counts[w]++
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("%s=%d ", k, counts[k])
	}
	fmt.Println()
	// fmt prints maps with sorted keys.
	fmt.Println(map[int]string{3: "c", 1: "a", 2: "b"}, map[float64]bool{math.Inf(1): true, -1: false, 0.5: true})
	type pair struct {
		name string
		n    int
	}
	pairs := []pair{{"b", 2}, {"a", 2}, {"c", 1}, {"d", 3}, {"e", 1}}
	sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].n > pairs[j].n })
	fmt.Printf("stable by count: %v\n", pairs)
	big := make(map[int]int)
	for i := 0; i < 100000; i++ {
		big[i*7919%100003] = i
	}
	delete(big, 0)
	sum := 0
	for k, v := range big {
		sum += k ^ v
	}
	fmt.Printf("map of %d entries, xor-sum %d\n", len(big), sum)
	ints := []int{5, -3, 9, 0, 9, -100, 42}
	sort.Sort(sort.Reverse(sort.IntSlice(ints)))
	fmt.Println("reverse sorted:", ints, "search 9 ->", sort.SearchInts([]int{-100, -3, 0, 5, 9, 9, 42}, 9))
}

func stringsAndUnicode() {
	s := "Héllo, Wörld! ΑΒΓ straße 日本語"
	fmt.Println(strings.ToUpper(s))
	fmt.Println(strings.ToLower(s))
	fmt.Println(strings.Title("hello wide world"), strings.Repeat("ab", 5), strings.Count("cheese", "e"))
	fmt.Printf("%q\n", strings.Split("a,b,,c,", ","))
	fmt.Printf("%q\n", strings.SplitN("k=v=w", "=", 2))
	fmt.Println(strings.Replace("oink oink oink", "k", "ky", 2), strings.TrimSpace("  \t x y \n"), strings.TrimLeft("xxhixx", "x"))
	fmt.Println(strings.Index("chicken", "ken"), strings.LastIndex("go gopher", "go"), strings.EqualFold("Straße", "STRASSE"), strings.EqualFold("Go", "GO"))
	fmt.Println(len(s), utf8.RuneCountInString(s), []rune(s)[15], string([]rune(s)[20:23]))
	var b strings.Builder
	for i := 0; i < 5; i++ {
		fmt.Fprintf(&b, "[%03d|%-4s|%4x|%+d]", i*37, strings.Repeat("z", i), i*255, -i)
	}
	fmt.Println(b.String())
	fmt.Printf("%q %v %x % x %U\n", "tab\there\x00", []byte("hi"), "hex", []byte{1, 171, 255}, '⌘')
}

func floatFormatting() {
	negZero := math.Copysign(0, -1)
	values := []float64{
		0, negZero, 1, -1, 0.1, 1.0 / 3, 2.0 / 3, 1e21, 1e-7, 123456789.125,
		math.MaxFloat64, math.SmallestNonzeroFloat64, 2.2250738585072014e-308, 2.225073858507201e-308,
		math.Inf(1), math.Inf(-1), math.NaN(), math.Pi, math.E, 9007199254740993, 5e-324 * 3,
	}
	for _, v := range values {
		fmt.Printf("%v|%g|%e|%.3f|%x|%b|%s|%s|%s\n", v, v, v, v, v, v,
			strconv.FormatFloat(v, 'g', -1, 64), strconv.FormatFloat(v, 'f', -1, 32), strconv.FormatFloat(v, 'e', 17, 64))
	}
	fmt.Println(math.Signbit(negZero), 1/negZero, negZero == 0, math.NaN() == math.NaN())
	inputs := []string{
		"0", "-0", "1e308", "1.7976931348623157e308", "1.7976931348623159e308", "1e309", "-1e400",
		"4.9e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "1e-400", "2.2250738585072011e-308",
		"0x1p-1074", "0x1.fffffffffffffp1023", "inf", "-Infinity", "NaN", "nan", "1_000.5", "0x", "1e", ".5", "5.", "+.5e+2",
		"3.4028235e38", "3.4028236e38", "1.401298464324817e-45", "0.000000000000000000000000000000000000000000001",
	}
	for _, in := range inputs {
		v64, err64 := strconv.ParseFloat(in, 64)
		v32, err32 := strconv.ParseFloat(in, 32)
		fmt.Printf("parse %q: %v (%v) | f32 %v (%v)\n", in, v64, errText(err64), float32(v32), errText(err32))
	}
	f32 := []float32{1.0 / 3, 16777217, float32(math.SmallestNonzeroFloat32), math.MaxFloat32, -0.0}
	for _, v := range f32 {
		fmt.Printf("f32 %v %g %e %x bits=%08x\n", v, v, v, v, math.Float32bits(v))
	}
}

func errText(err error) string {
	if err == nil {
		return "ok"
	}
	var ne *strconv.NumError
	if errors.As(err, &ne) {
		return ne.Err.Error()
	}
	return err.Error()
}

func mathFunctions() {
	args := []float64{0, 1e-300, 0.5, 1, 2, 10, 709.782712893384, 710, 1e22, math.Pi, 1e300, -1, -0.5}
	for _, x := range args {
		fmt.Printf("x=%g sqrt=%v exp=%v log=%v sin=%v cos=%v tan=%v atan=%v cbrt=%v\n",
			x, math.Sqrt(x), math.Exp(x), math.Log(x), math.Sin(x), math.Cos(x), math.Tan(x), math.Atan(x), math.Cbrt(x))
	}
	pows := [][2]float64{{2, -1074}, {2, 1023}, {2, 1024}, {-8, 1.0 / 3}, {0, -1}, {-0.0, -3}, {10, -5}, {1.0000001, 1e9}, {math.Inf(-1), 3}, {math.NaN(), 0}}
	for _, p := range pows {
		fmt.Printf("pow(%g,%g)=%v ", p[0], p[1], math.Pow(p[0], p[1]))
	}
	fmt.Println()
	fmt.Println(math.Hypot(3e300, 4e300), math.Atan2(-0.0, -1), math.Mod(7.5, -2), math.Remainder(7.5, 2), math.Trunc(-2.7), math.Floor(-2.5), math.Ceil(-2.5), math.Round(-2.5), math.RoundToEven(2.5))
	fmt.Println(math.FMA(0.1, 10, -1), 0.1*10-1, math.Expm1(1e-10), math.Log1p(1e-10), math.Gamma(0.5), math.Erf(0.5), math.J0(2.5))
	fr, ex := math.Frexp(1e-310)
	fmt.Println(fr, ex, math.Ldexp(0.5, -1073), math.Nextafter(1, 2), math.Float64bits(math.Nextafter(0, 1)))
	// Conversions at the edges: Go defines none of these as traps.
	big := []float64{1e19, -1e19, 9.2233720368547758e18, math.NaN(), -0.9, 4294967295.9}
	for _, v := range big {
		fmt.Printf("%g->int64 %d uint32 %d int32 %d | ", v, int64(v), uint32(int64(v)), int32(v))
	}
	fmt.Println()
	// A running sum whose rounding depends on every operation being exactly IEEE double.
	sum, comp := 0.0, 0.0
	for i := 1; i <= 100000; i++ {
		term := 1.0 / float64(i) / float64(i)
		y := term - comp
		t := sum + y
		comp = (t - sum) - y
		sum = t
	}
	fmt.Printf("basel sum %.17g (pi^2/6 = %.17g), float32 sum %v\n", sum, math.Pi*math.Pi/6, float32Sum())
}

func float32Sum() float32 {
	var s float32
	for i := 1; i <= 10000; i++ {
		s += 1 / float32(i)
	}
	return s
}

func integers() {
	ints0 := []int{1}
	minInt := int64(math.MinInt64)
	minus := int64(-1)
	fmt.Println(minInt/minus, minInt%minus, -7/2, -7%2, 7>>1, -7>>1, uint64(1)<<63>>62)
	var u8 uint8 = 250
	u8 += 10
	var i16 int16 = 32767
	i16++
	fmt.Println(u8, i16, int8(-128)/int8(-1+0*int(u8)), uint32(math.MaxUint32)+uint32(len(ints0)))
	hi, lo := bits.Mul64(0xdeadbeefcafebabe, 0x123456789abcdef1)
	q, r := bits.Div64(hi>>1, lo, 0xfedcba9876543211)
	fmt.Printf("mul64 %#x:%#x div64 %#x rem %#x\n", hi, lo, q, r)
	fmt.Println(bits.LeadingZeros64(1), bits.TrailingZeros32(0x80), bits.OnesCount64(0xf0f0f0f0f0f0f0f0), bits.RotateLeft32(0x80000001, 3), bits.Reverse8(0x12), bits.Len(255))
	sum, carry := bits.Add64(math.MaxUint64, 1, 0)
	diff, borrow := bits.Sub64(0, 1, 0)
	fmt.Println(sum, carry, diff, borrow)
	for _, v := range []string{"9223372036854775807", "9223372036854775808", "-9223372036854775808", "0x7f", "0b101", "0o17", "1_000", "12a"} {
		n, err := strconv.ParseInt(v, 0, 64)
		fmt.Printf("ParseInt(%q)=%d %s; ", v, n, errText(err))
	}
	fmt.Println()
	fmt.Println(strconv.FormatInt(-255, 16), strconv.FormatUint(math.MaxUint64, 36), strconv.Itoa(-0), strconv.Quote("x\u2028y"), strconv.QuoteToASCII("日本"))
}

func bigNumbers() {
	f := big.NewInt(1)
	for i := int64(2); i <= 100; i++ {
		f.Mul(f, big.NewInt(i))
	}
	fmt.Println("100! =", f)
	digits := 0
	for _, c := range f.String() {
		digits += int(c - '0')
	}
	fmt.Println("digit sum", digits, "bits", f.BitLen())
	two := new(big.Int).Lsh(big.NewInt(1), 1000)
	m := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 127), big.NewInt(1))
	fmt.Println("2^1000 mod (2^127-1) =", new(big.Int).Mod(two, m), "prime:", m.ProbablyPrime(20))
	fmt.Println("3^1000 mod 1000000007 =", new(big.Int).Exp(big.NewInt(3), big.NewInt(1000), big.NewInt(1000000007)))
	q, r := new(big.Int).QuoRem(f, new(big.Int).Exp(big.NewInt(10), big.NewInt(80), nil), new(big.Int))
	fmt.Println("100!/10^80 =", q, "rem bits", r.BitLen())
	g := new(big.Int).GCD(nil, nil, big.NewInt(1071*1000003), big.NewInt(462*1000003))
	fmt.Println("gcd", g)
	rat := new(big.Rat).SetFrac64(1, 3)
	rat.Add(rat, big.NewRat(1, 6))
	fl, _ := new(big.Float).SetPrec(200).SetString("1.5")
	sqrt2 := new(big.Float).SetPrec(200).Sqrt(big.NewFloat(2).SetPrec(200))
	fmt.Println("1/3+1/6 =", rat, "sqrt2 =", sqrt2.Text('g', 50), "1.5^2 =", new(big.Float).Mul(fl, fl))
}

func hashes() {
	data := make([]byte, 1<<16)
	x := uint32(2463534242)
	for i := range data {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		data[i] = byte(x)
	}
	fmt.Printf("sha256 %x\n", sha256.Sum256(data))
	fmt.Printf("crc32 ieee %08x castagnoli %08x\n", crc32.ChecksumIEEE(data), crc32.Checksum(data, crc32.MakeTable(crc32.Castagnoli)))
}

func main() {
	mapsAndSort()
	stringsAndUnicode()
	floatFormatting()
	mathFunctions()
	integers()
	bigNumbers()
	hashes()
}
