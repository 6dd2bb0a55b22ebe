package main

import "unsafe"

// unsafeAddr is the address of a mapping's first byte.
func unsafeAddr(b []byte) uintptr { return uintptr(unsafe.Pointer(&b[0])) }
