// go-panic: run-time errors as Go panics, recovered and reported, then one that is not.
// A nil pointer dereference and a fault on a read-only page are hardware faults: the
// kernel delivers SIGSEGV with si_addr and the interrupted pc in the signal frame, and
// Go's handler turns them into panics on the faulting goroutine, so this checks the signal
// frames as much as the runtime. The last panic is left unrecovered (exit status 2, the
// message and a goroutine trace on stderr); the first argument says which:
//   panic  (default)  panic with an error value
//   segv              a nil pointer dereference
//   deadlock          every goroutine blocked: the runtime's fatal error
package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"syscall"
)

type point struct {
	x, y int
}

var sink int

// nowhere is a nil pointer that the unrecovered "segv" case loads through from a function
// without arguments: a traceback prints argument registers, which would hold addresses.
var nowhere *point

//go:noinline
func loadThroughNil() int { return nowhere.x + nowhere.y }

// try runs f and prints what it panicked with.
func try(name string, f func()) {
	defer func() {
		r := recover()
		var re runtime.Error
		isRuntime := false
		if err, ok := r.(error); ok {
			isRuntime = errors.As(err, &re)
		}
		fmt.Printf("%-24s recovered %T runtime.Error=%v: %v\n", name+":", r, isRuntime, r)
	}()
	f()
}

//go:noinline
func index(s []int, i int) int { return s[i] }

//go:noinline
func deref(p *point) int { return p.y }

//go:noinline
func divide(a, b int) int { return a / b }

//go:noinline
func call(f func() int) int { return f() }

func nested() (result string) {
	defer func() {
		if r := recover(); r != nil {
			result = fmt.Sprintf("outer recovered %v", r)
		}
	}()
	defer func() {
		panic(fmt.Sprintf("second panic while unwinding (%v)", recover()))
	}()
	panic("first")
}

// readOnlyFault writes into a PROT_READ page; with SetPanicOnFault the fault is a panic
// whose error carries the faulting address (si_addr of the SIGSEGV).
func readOnlyFault() {
	page, err := syscall.Mmap(-1, 0, 4096, syscall.PROT_READ, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		fmt.Println("mmap:", err)
		return
	}
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	defer func() {
		r := recover()
		addr, ok := r.(interface{ Addr() uintptr })
		// The address differs between machines; whether it is the page's is a fact.
		fmt.Printf("%-24s recovered %T, fault address is page+100: %v\n", "read-only page write:", r, ok && addr.Addr() == uintptr(unsafeAddr(page))+100)
	}()
	page[100] = 1
}

func main() {
	mode := "panic"
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	var m map[string]int
	var p *point
	var nilFunc func() int
	var iface interface{} = "a string"
	s := []int{1, 2, 3}
	try("nil map write", func() { m["x"] = 1 })
	try("index out of range", func() { sink = index(s, len(s)+2) })
	try("slice bounds", func() { n := 5; sink = len(s[1:n]) })
	try("nil pointer field", func() { sink = deref(p) })
	try("nil func call", func() { sink = call(nilFunc) })
	try("divide by zero", func() { sink = divide(7, len(s)-3) })
	try("type assertion", func() { sink = iface.(int) })
	try("close closed chan", func() { c := make(chan int); close(c); close(c) })
	try("close nil chan", func() { var c chan int; close(c) })
	try("custom error", func() { panic(fmt.Errorf("wrapped: %w", os.ErrInvalid)) })
	try("negative make", func() { n := -len(s); _ = make([]byte, n) })
	fmt.Printf("%-24s %s\n", "nested:", nested())
	readOnlyFault()
	fmt.Println("still running after", 13, "recovered panics")
	os.Stdout.Sync()

	switch mode {
	case "segv":
		fmt.Println(loadThroughNil())
	case "deadlock":
		// Only main is left to run, and it waits forever. (A second blocked goroutine would
		// be listed too, under an id that depends on the number of Ps, i.e. host CPUs.)
		c := make(chan int)
		<-c
	default:
		panic(errors.New("unrecovered: the end"))
	}
}
