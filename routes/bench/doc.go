// Package bench is the load benchmark behind `courseportal bench`, in the
// spirit of PostgreSQL's pgbench: it seeds a scratch database with synthetic
// students, starts the server as a child process of the same binary, drives
// it over loopback with many signed-in clients, one scenario at a time, and
// reports throughput, latency percentiles, errors, database queries per
// request and the server's memory.
//
// The server counts its queries only when started as the benchmark's child
// (`courseportal bench serve`, never plain `serve`): InstrumentFromEnv
// registers QueryCounter on the GORM handle and serves the total on a
// loopback port of its own when COURSEPORTAL_QUERY_COUNTER names one.
package bench
