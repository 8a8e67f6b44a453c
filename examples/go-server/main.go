// A tiny HTTP server with a health endpoint, standard library only.
//
// It avoids Go 1.22's method-and-path ServeMux patterns ("GET /health") on purpose: the e2e
// stand-in for golang:1.22 is Debian's Go 1.19, where such a pattern would be a literal path.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	// Read from the environment, never printed: only whether it is set is visible.
	apiKeySet := os.Getenv("API_KEY") != ""
	started := time.Now()

	mux := http.NewServeMux()
	mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"status":      "ok",
			"uptime_s":    int(time.Since(started).Seconds()),
			"api_key_set": apiKeySet,
		})
	})

	srv := &http.Server{Addr: ":" + port, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	// Exit promptly on `docker stop` (SIGTERM) instead of waiting for the kill timeout.
	go func() {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
		<-sig
		_ = srv.Close()
	}()
	log.Printf("listening on %s", port)
	if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		log.Fatal(err)
	}
}
