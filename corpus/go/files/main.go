// go-files: the os package on the working directory (a fresh empty directory on each side):
// directories, whole-file reads and writes, stat, rename, remove, directory listings,
// error texts (Go prints the syscall's errno through its own table), bufio scanning, and
// io.Copy through an os.Pipe (which the runtime puts in non-blocking mode under its poller).
package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
)

func check(what string, err error) {
	if err != nil {
		fmt.Printf("%s: unexpected error: %v\n", what, err)
		os.Exit(1)
	}
}

// report prints an expected error with the errno Go saw.
func report(what string, err error) {
	var errno syscall.Errno
	errors.As(err, &errno)
	fmt.Printf("%s: %v (errno %d, not-exist=%v exist=%v)\n", what, err, int(errno), errors.Is(err, fs.ErrNotExist), errors.Is(err, fs.ErrExist))
}

func describe(path string) {
	fi, err := os.Lstat(path)
	if err != nil {
		report("lstat "+path, err)
		return
	}
	// A directory's st_size depends on the host filesystem (4096 on ext4, less on tmpfs).
	size := fmt.Sprint(fi.Size())
	if fi.IsDir() {
		size = "-"
	}
	fmt.Printf("  %-22s %-11v size=%-5s dir=%v\n", path, fi.Mode(), size, fi.IsDir())
}

func tree() {
	var paths []string
	check("walk", filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		paths = append(paths, p)
		return nil
	}))
	sort.Strings(paths)
	for _, p := range paths {
		describe(p)
	}
}

func main() {
	check("mkdirall", os.MkdirAll("data/sub/deeper", 0o755))
	check("mkdirall again", os.MkdirAll("data/sub/deeper", 0o755))
	for _, d := range []string{"data", "data/sub", "data/sub/deeper"} {
		check("chmod", os.Chmod(d, 0o750))
	}
	text := "line one\nline two\n\nline four has more words\nlast line without newline"
	check("write", os.WriteFile("data/notes.txt", []byte(text), 0o644))
	check("chmod", os.Chmod("data/notes.txt", 0o640))
	got, err := os.ReadFile("data/notes.txt")
	check("read", err)
	fmt.Printf("read back %d bytes, equal=%v\n", len(got), string(got) == text)

	f, err := os.Open("data/notes.txt")
	check("open", err)
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		fmt.Printf("  scan %d: %q (%d words)\n", n, sc.Text(), len(strings.Fields(sc.Text())))
	}
	check("scan", sc.Err())
	check("close", f.Close())

	// Append, seek, ReadAt/WriteAt, truncate.
	f, err = os.OpenFile("data/log.bin", os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o600)
	check("openfile", err)
	for i := 0; i < 3; i++ {
		fmt.Fprintf(f, "record %d;", i)
	}
	check("close", f.Close())
	f, err = os.OpenFile("data/log.bin", os.O_RDWR, 0)
	check("openfile rw", err)
	_, err = f.WriteAt([]byte("RECORD"), 9)
	check("writeat", err)
	buf := make([]byte, 8)
	k, err := f.ReadAt(buf, 20)
	fmt.Printf("readat: %d %q %v\n", k, buf[:k], err)
	k, err = f.ReadAt(buf, 1000)
	fmt.Printf("readat past end: %d %v\n", k, err)
	pos, err := f.Seek(-4, io.SeekEnd)
	check("seek", err)
	rest, err := io.ReadAll(f)
	check("readall", err)
	fmt.Printf("seek end-4 -> %d, rest %q\n", pos, rest)
	check("truncate", f.Truncate(6))
	check("close", f.Close())
	got, _ = os.ReadFile("data/log.bin")
	fmt.Printf("after truncate: %q\n", got)

	check("rename", os.Rename("data/log.bin", "data/sub/moved.bin"))
	check("symlink", os.Symlink("sub/moved.bin", "data/link"))
	target, err := os.Readlink("data/link")
	check("readlink", err)
	fmt.Println("readlink:", target)
	fmt.Println("tree:")
	tree()

	entries, err := os.ReadDir("data")
	check("readdir", err)
	for _, e := range entries {
		fmt.Printf("readdir: %s dir=%v type=%v\n", e.Name(), e.IsDir(), e.Type())
	}

	// Errors, as Go words them.
	_, err = os.Open("missing.txt")
	report("open missing", err)
	_, err = os.ReadFile("data/sub")
	report("readfile of a directory", err)
	report("mkdir existing", os.Mkdir("data", 0o755))
	report("remove non-empty", os.Remove("data/sub"))
	report("rename missing", os.Rename("nope", "data/nope"))
	_, err = os.Stat("data/notes.txt/child")
	report("stat through a file", err)
	report("write into missing dir", os.WriteFile("no/such/dir/f", []byte("x"), 0o644))
	report("readlink of a file", func() error { _, err := os.Readlink("data/notes.txt"); return err }())
	report("chdir into a file", os.Chdir("data/notes.txt"))
	_, err = os.OpenFile("data/notes.txt", os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	report("create exclusive existing", err)

	// io.Copy through a pipe, with the writer in another goroutine.
	r, w, err := os.Pipe()
	check("pipe", err)
	done := make(chan error)
	go func() {
		for i := 0; i < 2000; i++ {
			if _, err := fmt.Fprintf(w, "chunk %04d of the pipe payload\n", i); err != nil {
				done <- err
				return
			}
		}
		done <- w.Close()
	}()
	var out bytes.Buffer
	copied, err := io.Copy(&out, r)
	check("copy", err)
	check("writer", <-done)
	check("close r", r.Close())
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	fmt.Printf("pipe: copied %d bytes, %d lines, last %q\n", copied, len(lines), lines[len(lines)-1])
	_, err = w.Write([]byte("x"))
	report("write to closed pipe end", err)

	// Clean up and show the empty directory.
	check("remove file", os.Remove("data/notes.txt"))
	report("remove again", os.Remove("data/notes.txt"))
	check("removeall", os.RemoveAll("data"))
	check("removeall missing", os.RemoveAll("data"))
	entries, err = os.ReadDir(".")
	check("readdir .", err)
	fmt.Printf("left in the working directory: %d entries\n", len(entries))
}
