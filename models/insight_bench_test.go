package models_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

// switchCounters turns the insight counters' triggers on or off.
func switchCounters(b *testing.B, triggers *models.InsightTriggers, on bool) {
	b.Helper()
	switchTo := triggers.Off
	if on {
		switchTo = triggers.On
	}
	if err := switchTo(context.Background()); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkProgressWrite measures one progress report (RecordProgress) with
// the insight counters kept and without them, on the same database: the
// counters' cost is the difference. Each student reports 10 s more every
// round, in one of ten paragraphs, so one report in six enters a new minute
// once everyone has reached the tenth. "interleaved" switches the counters
// on and off every round of 200 reports and reports both costs, so that
// load from other work on the machine falls on both alike.
func BenchmarkProgressWrite(b *testing.B) {
	store, clock := testdb.Open(b)
	c := testdb.NewClass(b, store, clock, models.PacingSelfPaced)
	const students = 200
	access := make([]*models.Access, students)
	for i := range access {
		c.Enroll(b, fmt.Sprintf("student %d", i))
		access[i] = c.Access(b, fmt.Sprintf("student %d", i), 1)
	}
	triggers := store.InsightTriggers()
	ctx := context.Background()
	write := func(b *testing.B, i int) {
		clock.Advance(50 * time.Millisecond)
		u := models.ProgressUpdate{Percent: 50, Position: fmt.Sprintf("p-%d", 1+(i/students)%10), Seconds: 10}
		if _, err := store.RecordProgress(ctx, access[i%students], u); err != nil {
			b.Fatal(err)
		}
	}
	for _, mode := range []string{"without-counters", "with-counters", "without-counters-again", "with-counters-again"} {
		b.Run(mode, func(b *testing.B) {
			if mode[:4] == "with" && mode[:7] != "without" {
				switchCounters(b, triggers, true)
			} else {
				switchCounters(b, triggers, false)
				defer switchCounters(b, triggers, true)
			}
			b.ResetTimer()
			for i := range b.N {
				write(b, i)
			}
		})
	}
	b.Run("interleaved", func(b *testing.B) {
		b.StopTimer()
		switchCounters(b, triggers, true)
		// Everyone reaches the tenth paragraph first: from then on no
		// report moves a student to another paragraph.
		for i := range 10 * students {
			write(b, i)
		}
		var spent [2]time.Duration // without, with
		var writes [2]int
		var ticks [2]int64
		measured := true
		for round, i := 0, 0; i < b.N; round++ {
			// Every student reports once a round, 10 s more, so one round
			// in six enters a new minute. The mode flips every round and
			// the pattern every six, so those rounds fall on both modes.
			with := (round + round/6) % 2
			switchCounters(b, triggers, with == 1)
			n := min(students, b.N-i)
			pids := serverPIDs(b, store)
			cpuBefore, ok := cpuTicks(pids)
			b.StartTimer()
			started := time.Now()
			for k := range n {
				write(b, k)
			}
			spent[with] += time.Since(started)
			b.StopTimer()
			cpuAfter, okAfter := cpuTicks(pids)
			measured = measured && ok && okAfter
			ticks[with] += cpuAfter - cpuBefore
			writes[with] += n
			i += n
		}
		switchCounters(b, triggers, true)
		without := float64(spent[0].Nanoseconds()) / float64(max(1, writes[0]))
		with := float64(spent[1].Nanoseconds()) / float64(max(1, writes[1]))
		b.ReportMetric(without, "ns/write-without")
		b.ReportMetric(with, "ns/write-with")
		b.ReportMetric(100*(with/without-1), "%extra")
		if measured && ticks[0] > 0 {
			// CPU time, this process's and the database server's for it:
			// unlike the wall clock, barely moved by other work on the
			// machine. Clock ticks are 10 ms: run a few thousand writes.
			b.ReportMetric(100*(float64(ticks[1])/float64(writes[1])/(float64(ticks[0])/float64(writes[0]))-1), "%cpu-extra")
		}
	})
}

// serverPIDs are the PostgreSQL server processes of the benchmark's
// database (so run it alone on its database); none on SQLite, which runs in
// the process.
func serverPIDs(b *testing.B, store *models.Store) []int {
	if store.Dialect() != models.Postgres {
		return nil
	}
	var pids []int
	err := store.DB().Raw("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'").
		Scan(&pids).Error
	if err != nil {
		b.Fatal(err)
	}
	return pids
}

// cpuTicks is the CPU time, user and system, in clock ticks, used so far by
// this process and the given ones; false where /proc cannot tell.
func cpuTicks(pids []int) (int64, bool) {
	var total int64
	for _, name := range append([]string{"self"}, intsToStrings(pids)...) {
		stat, err := os.ReadFile("/proc/" + name + "/stat")
		if err != nil {
			return 0, false
		}
		// Fields after the command's closing parenthesis start at the
		// third; utime and stime are the 14th and 15th.
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(fields) < 13 {
			return 0, false
		}
		for _, f := range fields[11:13] {
			n, err := strconv.ParseInt(f, 10, 64)
			if err != nil {
				return 0, false
			}
			total += n
		}
	}
	return total, true
}

func intsToStrings(ns []int) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = strconv.Itoa(n)
	}
	return out
}
