// go-hello: the smallest Go program worth comparing. The Go runtime starts up (arena
// reservations, signal handlers, threads for sysmon and the GC), prints through fmt to
// both streams, reads argv and the fixed guest environment, and leaves with os.Exit(3).
package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
)

func main() {
	fmt.Println("hello from Go")
	fmt.Printf("argc=%d\n", len(os.Args))
	for i, arg := range os.Args[1:] {
		fmt.Printf("arg[%d]=%q len=%d\n", i+1, arg, len(arg))
	}
	// The harness hands both sides exactly the same environment (LANG, PATH).
	fmt.Printf("LANG=%q PATH=%q\n", os.Getenv("LANG"), os.Getenv("PATH"))
	_, hasHome := os.LookupEnv("HOME")
	fmt.Printf("HOME set: %v\n", hasHome)
	env := os.Environ()
	sort.Strings(env)
	fmt.Printf("environ (%d): %s\n", len(env), strings.Join(env, " | "))
	fmt.Fprintln(os.Stderr, "a line on stderr")
	// os.Exit skips deferred calls: this must not print.
	defer fmt.Println("deferred: never printed")
	os.Exit(3)
}
