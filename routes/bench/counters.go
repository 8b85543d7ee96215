package bench

import (
	"context"
	"fmt"
	"slices"
	"time"

	"courseportal/models"

	"github.com/valyala/fasthttp"
)

// ScenarioCounters measures what the insight counters cost a progress
// report: the progress scenario with the counters' triggers on and off, in
// turns, on the same database and server. It reports two results.
const (
	ScenarioCounters        = "progress-counters"
	ScenarioCountersOn      = "progress-counters-on"
	ScenarioCountersOff     = "progress-counters-off"
	counterTurns            = 8
	counterTurnMinimum      = 200 * time.Millisecond
	counterTurnsPerScenario = 2 // the scenario lasts two durations
)

// counterOrder is on, off, off, on, repeated: each setting gets as many
// early and late turns as the other, so that students' progress filling up
// over the run (fewer new paragraphs later) weighs on both alike.
func counterOrder(turn int) bool { return turn%4 == 0 || turn%4 == 3 }

// measureCounters runs the progress scenario in counterTurns turns,
// switching the insight triggers between turns, and returns the two
// settings' results. The triggers are left on.
func measureCounters(ctx context.Context, o Options, srv *server, client *fasthttp.HostClient, sc *scenario,
	dbURL string) (_ []ScenarioResult, err error) {
	db, dialect, closeDB, err := openScratch(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer closeDB(&err)
	triggers := models.NewStore(db, dialect, models.SystemClock{}).InsightTriggers()
	defer func() {
		if onErr := triggers.On(context.WithoutCancel(ctx)); onErr != nil && err == nil {
			err = onErr
		}
	}()
	turn := max(counterTurnMinimum, o.Duration*counterTurnsPerScenario/counterTurns)
	j := job{client: client, conc: sc.conc, fill: sc.fill}
	settings := [2]*counterSetting{{name: ScenarioCountersOff, setting: "off"}, {name: ScenarioCountersOn, setting: "on"}}
	seq := 2 << 20 // past the progress scenario's students' sequence
	for i := range counterTurns {
		counted := counterOrder(i)
		switchTo, s := triggers.Off, settings[0]
		if counted {
			switchTo, s = triggers.On, settings[1]
		}
		if err := switchTo(ctx); err != nil {
			return nil, err
		}
		q0, counted0 := srv.queries()
		rssStart := srv.rss.startWindow()
		t := j.run(ctx, turn, seq)
		q1, counted1 := srv.queries()
		s.add(t, q1-q0, counted0 && counted1, rssStart, srv.rss.windowPeak())
		seq += int(t.requests) + sc.conc
	}
	return []ScenarioResult{settings[1].result(sc, turn), settings[0].result(sc, turn)}, nil
}

// counterSetting gathers the turns of one setting of the counters.
type counterSetting struct {
	name, setting    string
	turns            []*tally
	queries          int64
	counted          bool
	rssStart, rssMax int64
}

func (s *counterSetting) add(t *tally, queries int64, counted bool, rssStart, rssPeak int64) {
	if len(s.turns) == 0 {
		s.counted, s.rssStart = true, rssStart
	}
	s.turns = append(s.turns, t)
	s.queries += queries
	s.counted = s.counted && counted
	s.rssMax = max(s.rssMax, rssPeak)
}

func (s *counterSetting) result(sc *scenario, turn time.Duration) ScenarioResult {
	res := ScenarioResult{Name: s.name, Available: true, Concurrency: sc.conc,
		Request: fmt.Sprintf("%s, insight counters %s (%d turns of %s, alternated)", sc.request, s.setting,
			len(s.turns), turn)}
	t := joinTallies(s.turns)
	res.fromTally(t)
	if s.counted && t.requests > 0 {
		res.QueriesPerRequest = ptr(float64(s.queries) / float64(t.requests))
	}
	if s.rssStart > 0 {
		res.RSSStartMB, res.RSSPeakMB, res.RSSGrowthMB = ptr(mb(s.rssStart)), ptr(mb(s.rssMax)), ptr(mb(s.rssMax-s.rssStart))
	}
	return res
}

// joinTallies adds up tallies: of workers running at once (the caller sets
// the elapsed time then) or of turns run one after another.
func joinTallies(parts []*tally) *tally {
	total := &tally{statuses: map[int]int64{}}
	for _, p := range parts {
		total.requests += p.requests
		total.errors += p.errors
		total.bytes += p.bytes
		total.elapsed += p.elapsed
		total.lat = append(total.lat, p.lat...)
		for k, v := range p.statuses {
			total.statuses[k] += v
		}
		if total.sample == "" {
			total.sample = p.sample
		}
	}
	slices.Sort(total.lat)
	return total
}
