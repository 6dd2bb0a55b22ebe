// go-goroutines: the Go scheduler on top of threads, futexes and signals. Every result is
// collected first and printed in a fixed order, so the output does not depend on how the
// host (qemu) or zerosys interleaves the threads.
package main

import (
	"fmt"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// counterWithMutex: 16 goroutines each add 1 000 times under one mutex.
func counterWithMutex() {
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := 0
	perWorker := make([]int, 16)
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				mu.Lock()
				total++
				perWorker[w]++
				mu.Unlock()
				if i%100 == 0 {
					runtime.Gosched()
				}
			}
		}(w)
	}
	wg.Wait()
	fmt.Printf("mutex counter: total=%d per-worker=%v\n", total, perWorker)
}

// pipeline: generator -> squarer (unbuffered channels) -> summer.
func pipeline() {
	gen := make(chan int)
	sq := make(chan int)
	go func() {
		for i := 1; i <= 100; i++ {
			gen <- i
		}
		close(gen)
	}()
	go func() {
		for v := range gen {
			sq <- v * v
		}
		close(sq)
	}()
	sum := 0
	count := 0
	for v := range sq {
		sum += v
		count++
	}
	fmt.Printf("pipeline: %d squares, sum=%d\n", count, sum)
}

// workerPool: 8 workers take jobs from a buffered channel and send results back.
type result struct {
	job, worker, value int
}

func collatzSteps(n int) int {
	steps := 0
	for n != 1 {
		if n%2 == 0 {
			n /= 2
		} else {
			n = 3*n + 1
		}
		steps++
	}
	return steps
}

func workerPool() {
	const workers, jobs = 8, 200
	jobCh := make(chan int, 16)
	resCh := make(chan result, jobs)
	var wg sync.WaitGroup
	var perWorker [workers]int64
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for j := range jobCh {
				atomic.AddInt64(&perWorker[w], 1)
				resCh <- result{job: j, worker: w, value: collatzSteps(j + 1)}
				runtime.Gosched()
			}
		}(w)
	}
	for j := 0; j < jobs; j++ {
		jobCh <- j
	}
	close(jobCh)
	wg.Wait()
	close(resCh)
	results := make([]result, 0, jobs)
	for r := range resCh {
		results = append(results, r)
	}
	sort.Slice(results, func(a, b int) bool { return results[a].job < results[b].job })
	sum, longest, arg := 0, 0, 0
	for _, r := range results {
		sum += r.value
		if r.value > longest {
			longest, arg = r.value, r.job+1
		}
	}
	var done int64
	for w := range perWorker {
		done += atomic.LoadInt64(&perWorker[w])
	}
	// Which worker took which job is the scheduler's business: only the totals are printed.
	fmt.Printf("worker pool: %d results, %d jobs taken, steps sum=%d, longest=%d (n=%d)\n", len(results), done, sum, longest, arg)
	fmt.Printf("first results: %v\n", []int{results[0].value, results[1].value, results[2].value, results[26].value})
}

// selects: default cases, ready buffered channels, closed channels, a timer.
func selects() {
	empty := make(chan int)
	select {
	case v := <-empty:
		fmt.Println("select: unexpected value", v)
	default:
		fmt.Println("select: default taken on an empty channel")
	}
	buf := make(chan string, 2)
	buf <- "first"
	select {
	case v := <-buf:
		fmt.Println("select: ready buffered channel gave", v)
	default:
		fmt.Println("select: unexpected default")
	}
	full := make(chan int, 1)
	full <- 1
	select {
	case full <- 2:
		fmt.Println("select: unexpected send into a full channel")
	default:
		fmt.Println("select: default taken on a full channel")
	}
	closed := make(chan int)
	close(closed)
	v, ok := <-closed
	fmt.Printf("select: closed channel receive v=%d ok=%v\n", v, ok)
	// Nobody ever sends: the timer has to fire (virtual clock under zerosys, real under qemu).
	never := make(chan int)
	select {
	case <-never:
		fmt.Println("select: unexpected receive")
	case <-time.After(20 * time.Millisecond):
		fmt.Println("select: timer fired")
	}
	timer := time.NewTimer(time.Hour)
	fmt.Printf("select: stopped an hour timer before it fired: %v\n", timer.Stop())
}

// fanIn: 10 producers on one channel; a sync.Once and a condition variable.
func fanIn() {
	out := make(chan int, 4)
	var wg sync.WaitGroup
	var once sync.Once
	onceRuns := 0
	for p := 0; p < 10; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			once.Do(func() { onceRuns++ })
			for i := 0; i < 50; i++ {
				out <- p*1000 + i
			}
		}(p)
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	seen := map[int]int{}
	n := 0
	for v := range out {
		seen[v/1000]++
		n++
	}
	keys := make([]int, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	fmt.Printf("fan-in: %d values from %d producers, once ran %d time(s)\n", n, len(keys), onceRuns)

	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	ready := 0
	var cwg sync.WaitGroup
	for i := 0; i < 8; i++ {
		cwg.Add(1)
		go func() {
			defer cwg.Done()
			mu.Lock()
			for ready == 0 {
				cond.Wait()
			}
			ready++
			mu.Unlock()
		}()
	}
	mu.Lock()
	ready = 1
	cond.Broadcast()
	mu.Unlock()
	cwg.Wait()
	fmt.Printf("cond: broadcast woke all waiters, ready=%d\n", ready)
}

// blockedSleepers: goroutines parked in time.Sleep while others compute.
func blockedSleepers() {
	var wg sync.WaitGroup
	order := make([]int, 12)
	var next int32
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			time.Sleep(time.Duration(i) * time.Millisecond)
			order[i] = int(atomic.AddInt32(&next, 1))
		}(i)
	}
	wg.Wait()
	fmt.Printf("sleepers: %d goroutines woke\n", atomic.LoadInt32(&next))
}

func main() {
	counterWithMutex()
	pipeline()
	workerPool()
	selects()
	fanIn()
	blockedSleepers()
	fmt.Println("goroutines: done")
}
