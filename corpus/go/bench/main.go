// go-bench: a CPU-bound Go program (the Go runtime's allocator and GC, maps, sort, strconv,
// strings.Builder, crypto/sha256 and float math). os.Args[1] scales the work (1: a
// test-suite run). Only checksums are printed, and maps are read in sorted key order.
package main

import (
	"crypto/sha256"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
)

type item struct {
	key   string
	value int
	score float64
}

func main() {
	scale := 1
	if len(os.Args) > 1 {
		if n, err := strconv.Atoi(os.Args[1]); err == nil && n > 0 {
			scale = n
		}
	}
	count := 2000 * scale

	// Words and numbers from an LCG, formatted with strconv.
	x := uint64(0x853c49e6748fea9b)
	next := func() uint64 {
		x = x*6364136223846793005 + 1442695040888963407
		return x >> 33
	}
	counts := map[string]int{}
	items := make([]item, 0, count)
	var b strings.Builder
	for i := 0; i < count; i++ {
		r := next()
		key := "k" + strconv.FormatUint(r%(uint64(count)/4+1), 36)
		counts[key]++
		items = append(items, item{key, int(r % 100000), math.Sqrt(float64(r%1000000)) * math.Log1p(float64(i))})
		if i%8 == 0 {
			b.WriteString(key)
			b.WriteByte(' ')
			b.WriteString(strconv.FormatFloat(items[i].score, 'g', -1, 64))
			b.WriteByte('\n')
		}
	}

	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	weighted := 0
	for i, k := range keys {
		weighted += (i + 1) * counts[k]
	}
	fmt.Printf("%d items, %d distinct keys, weighted %d, first %s last %s\n", count, len(keys), weighted, keys[0], keys[len(keys)-1])

	sort.Slice(items, func(i, j int) bool {
		if items[i].key != items[j].key {
			return items[i].key < items[j].key
		}
		return items[i].value < items[j].value
	})
	h := sha256.New()
	for _, it := range items {
		h.Write([]byte(it.key))
		h.Write([]byte(strconv.Itoa(it.value)))
	}
	fmt.Printf("sorted items sha256 %x\n", h.Sum(nil))

	// Parse the text back and total the floats.
	total := 0.0
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	for _, line := range lines {
		fields := strings.Fields(line)
		f, err := strconv.ParseFloat(fields[1], 64)
		if err != nil {
			fmt.Println("parse error:", err)
			os.Exit(1)
		}
		total += f
	}
	fmt.Printf("%d lines, %d bytes, float total %s\n", len(lines), b.Len(), strconv.FormatFloat(total, 'g', -1, 64))

	// Integer work in a tight loop: a sieve up to 50,000 per unit of scale.
	limit := 50000 * scale
	composite := make([]bool, limit+1)
	primes := 0
	for i := 2; i <= limit; i++ {
		if !composite[i] {
			primes++
			for j := i * i; j <= limit; j += i {
				composite[j] = true
			}
		}
	}
	fmt.Printf("primes up to %d: %d\n", limit, primes)
}
