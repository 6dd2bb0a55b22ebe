// An HTTP server and client over the loopback in one process (net/http/httptest): a GET, a POST
// with a body, a 404, a redirect followed, a header round trip and a keep-alive connection
// reused, then a dual-stack wildcard listener reached over 127.0.0.1 and ::1. Nothing printed depends on the port or on timing (the URL is never printed).
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync/atomic"
)

func main() {
	var conns int64
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "hello, %s\n", r.URL.Query().Get("name"))
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("X-Length", fmt.Sprint(len(body)))
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, "%s %s: %s\n", r.Method, r.Header.Get("Content-Type"), strings.ToUpper(string(body)))
	})
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/new?from=old", http.StatusFound)
	})
	mux.HandleFunc("/new", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "new page (from %s)\n", r.URL.Query().Get("from"))
	})
	mux.HandleFunc("/headers", func(w http.ResponseWriter, r *http.Request) {
		var names []string
		for k := range r.Header {
			if strings.HasPrefix(k, "X-") {
				names = append(names, k+"="+r.Header.Get(k))
			}
		}
		sort.Strings(names)
		fmt.Fprintln(w, strings.Join(names, ","))
	})

	srv := httptest.NewUnstartedServer(mux)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			atomic.AddInt64(&conns, 1)
		}
	}
	srv.Start()
	client := srv.Client()

	show := func(what string, resp *http.Response, err error) {
		if err != nil {
			fmt.Println(what, "error:", err)
			os.Exit(1)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			fmt.Println(what, "read error:", err)
			os.Exit(1)
		}
		fmt.Printf("%s: %d %s | path=%s | content-type=%q | x-length=%q | %q\n", what, resp.StatusCode, http.StatusText(resp.StatusCode),
			resp.Request.URL.Path, resp.Header.Get("Content-Type"), resp.Header.Get("X-Length"), string(body))
	}

	resp, err := client.Get(srv.URL + "/hello?name=gopher")
	show("GET /hello", resp, err)
	resp, err = client.Post(srv.URL+"/echo", "text/plain", strings.NewReader("the quick brown fox"))
	show("POST /echo", resp, err)
	resp, err = client.Get(srv.URL + "/echo")
	show("GET /echo", resp, err)
	resp, err = client.Get(srv.URL + "/missing")
	show("GET /missing", resp, err)
	resp, err = client.Get(srv.URL + "/old")
	show("GET /old", resp, err)
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/headers", nil)
	req.Header.Set("X-One", "1")
	req.Header.Set("X-Two", "zwei")
	resp, err = client.Do(req)
	show("GET /headers", resp, err)
	big := strings.Repeat("0123456789abcdef", 4096) // 64 KiB: more than one read
	resp, err = client.Post(srv.URL+"/echo", "application/octet-stream", strings.NewReader(big))
	if err != nil {
		fmt.Println("POST big error:", err)
		os.Exit(1)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Printf("POST big: %d x-length=%s body=%d bytes\n", resp.StatusCode, resp.Header.Get("X-Length"), len(body))

	srv.Close()
	fmt.Println("connections:", atomic.LoadInt64(&conns))

	// A wildcard listener (":0"), as http.ListenAndServe(":8080") makes: Go probes IPv6 and
	// IPv4-mapped support, then listens on a dual-stack AF_INET6 socket that IPv4 clients reach too.
	ln, err := net.Listen("tcp", ":0")
	if err != nil {
		fmt.Println("listen :0 error:", err)
		os.Exit(1)
	}
	fmt.Println("wildcard listener:", ln.Addr().Network(), ln.Addr().(*net.TCPAddr).IP)
	dual := http.NewServeMux()
	dual.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		host, _, _ := net.SplitHostPort(r.RemoteAddr)
		fmt.Fprintf(w, "%s from %s\n", r.URL.Path, host)
	})
	hs := &http.Server{Handler: dual}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	port := ln.Addr().(*net.TCPAddr).Port
	for _, host := range []string{"127.0.0.1", "[::1]"} {
		resp, err := client.Get(fmt.Sprintf("http://%s:%d/dual", host, port))
		show("GET /dual via "+strings.Trim(host, "[]"), resp, err)
	}
	hs.Close()
	fmt.Println("serve:", <-served)
	fmt.Println("done")
}
