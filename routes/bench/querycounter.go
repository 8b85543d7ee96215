package bench

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"courseportal/models"

	"gorm.io/gorm"
)

// QueryCounterEnv names the environment variable that turns query counting
// on: its value is the loopback address ("127.0.0.1:PORT") where the running
// total is served as plain text.
const QueryCounterEnv = "COURSEPORTAL_QUERY_COUNTER"

// counterHandler answers the running total as a decimal number.
func counterHandler(q *models.QueryCounter) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(strconv.FormatInt(q.Count(), 10) + "\n"))
	})
}

// InstrumentFromEnv does nothing unless COURSEPORTAL_QUERY_COUNTER is set.
// When it names a loopback address, it registers a QueryCounter on db and
// serves the total there for the life of the process; any other address is
// refused, so the count can never be exposed beyond the machine.
func InstrumentFromEnv(db *gorm.DB, log *slog.Logger) error {
	addr := os.Getenv(QueryCounterEnv)
	if addr == "" {
		return nil
	}
	if !isLoopbackAddr(addr) {
		return fmt.Errorf("%s must be a loopback address like 127.0.0.1:9100, got %q", QueryCounterEnv, addr)
	}
	q := &models.QueryCounter{}
	if err := db.Use(q); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("query counter: %w", err)
	}
	srv := &http.Server{Handler: counterHandler(q), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	log.Info("counting database queries for the benchmark", "address", ln.Addr().String())
	return nil
}

func isLoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
