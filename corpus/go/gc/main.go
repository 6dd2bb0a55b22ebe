// go-gc: an allocation-heavy Go program. The runtime reserves its heap arena with PROT_NONE
// mappings, commits it with mmap(MAP_FIXED), returns memory with madvise and unmaps
// goroutine stacks; the garbage collector runs concurrently on its own threads. The
// output is a checksum of what survived, independent of when collections happened.
// Argument: total MiB to allocate (default 200).
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
)

type node struct {
	left, right *node
	value       uint64
}

func buildTree(depth int, seed uint64) *node {
	if depth == 0 {
		return &node{value: seed}
	}
	return &node{left: buildTree(depth-1, seed*2+1), right: buildTree(depth-1, seed*2+2), value: seed}
}

func (n *node) sum() uint64 {
	if n == nil {
		return 0
	}
	return n.value ^ (n.left.sum()*31 + n.right.sum())
}

// rng is a xorshift64: the same sequence of sizes on every machine.
type rng uint64

func (r *rng) next() uint64 {
	x := uint64(*r)
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	*r = rng(x)
	return x
}

func main() {
	totalMiB := 200
	if len(os.Args) > 1 {
		n, err := strconv.Atoi(os.Args[1])
		if err != nil || n <= 0 {
			fmt.Fprintln(os.Stderr, "usage: gc [MiB]")
			os.Exit(2)
		}
		totalMiB = n
	}
	budget := uint64(totalMiB) << 20
	r := rng(88172645463325252)

	// A window of live objects: small ones replaced constantly, large ones now and then.
	small := make([][]byte, 4096)
	large := make([][]byte, 8)
	var allocated, smallCount, largeCount uint64
	var checksum uint64
	for allocated < budget {
		v := r.next()
		var b []byte
		if v%512 == 0 {
			size := 32<<10 + int(v>>8)%(2<<20) // 32 KiB .. 2 MiB: large objects, their own spans
			b = make([]byte, size)
			large[int(v>>40)%len(large)] = b
			largeCount++
		} else {
			size := 8 + int(v>>8)%2048 // size classes up to 2 KiB
			b = make([]byte, size)
			slot := int(v>>32) % len(small)
			if old := small[slot]; old != nil {
				checksum = checksum*1099511628211 ^ uint64(old[0]) ^ uint64(len(old))<<8
			}
			small[slot] = b
			smallCount++
		}
		for i := 0; i < len(b); i += 512 {
			b[i] = byte(v >> (i % 56))
		}
		b[len(b)-1] = byte(v)
		allocated += uint64(len(b))
		if allocated%(uint64(32)<<20) < uint64(len(b)) {
			runtime.GC()
		}
	}
	fmt.Printf("allocated %d MiB in %d small and %d large objects\n", allocated>>20, smallCount, largeCount)
	fmt.Printf("checksum of replaced small objects: %016x\n", checksum)
	var live uint64
	for _, b := range small {
		if b != nil {
			live += uint64(len(b))
		}
	}
	for _, b := range large {
		if b != nil {
			live += uint64(len(b))
		}
	}
	fmt.Printf("live window: %d bytes\n", live)

	// Pointer-rich garbage: trees built and dropped, so the collector traces real graphs.
	var treeSum uint64
	for i := 0; i < 2+totalMiB/10; i++ {
		treeSum = treeSum*7 + buildTree(12, uint64(i)).sum()
	}
	fmt.Printf("tree checksum: %016x\n", treeSum)

	// Goroutine stacks that grow (copying) and are freed.
	done := make(chan uint64)
	for g := 0; g < 16; g++ {
		go func(g int) { done <- deep(2000+g*100, uint64(g)) }(g)
	}
	var stackSum uint64
	for g := 0; g < 16; g++ {
		stackSum += <-done
	}
	fmt.Printf("deep recursion sum: %d\n", stackSum)

	small, large = nil, nil
	runtime.GC()
	debug.FreeOSMemory() // scavenge: madvise the freed pages back
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	// Exact figures depend on collection timing; these bounds do not.
	fmt.Printf("total allocated >= budget: %v, collections happened: %v, heap in use < 64 MiB: %v\n",
		ms.TotalAlloc >= budget, ms.NumGC > 0, ms.HeapInuse < 64<<20)
}

//go:noinline
func deep(n int, acc uint64) uint64 {
	var pad [16]uint64
	pad[n%16] = acc
	if n == 0 {
		return acc
	}
	return deep(n-1, acc*3+uint64(n)) + pad[n%16]%2
}
