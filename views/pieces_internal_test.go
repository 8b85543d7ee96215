package views

import (
	"errors"
	"sync"
	"testing"
)

// Shapes gives every view its shape however many ask at once (the first
// ones may each make it), keeps no more than its bound, and keeps nothing
// a failed make gave.
func TestShapesMakeOnceAndStayBounded(t *testing.T) {
	s := Shapes[int, string]{Most: 4}
	build := func() (string, error) { return "shape", nil }
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for k := range 3 {
				if v, err := s.Get(k, build); err != nil || v != "shape" {
					t.Errorf("Get(%d) = %q, %v", k, v, err)
				}
			}
		})
	}
	wg.Wait()
	if s.Len() != 3 {
		t.Fatalf("%d shapes kept, want 3", s.Len())
	}
	for k := 3; k < 6; k++ {
		if _, err := s.Get(k, build); err != nil {
			t.Fatal(err)
		}
	}
	if s.Len() > 4 {
		t.Fatalf("%d shapes kept, bound 4", s.Len())
	}
	failed := errors.New("broken template")
	if _, err := s.Get(9, func() (string, error) { return "", failed }); !errors.Is(err, failed) {
		t.Fatalf("a failed make gave %v", err)
	}
	if _, kept := s.Kept(9); kept {
		t.Fatal("a failed make was kept")
	}
}
