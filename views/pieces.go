package views

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
)

// A part of a page whose markup is the same from one view to the next but
// for a few values is rendered once by its template with markers in place
// of the values, and cut at the markers into pieces; a view writes the
// pieces with its own values between them, escaped as the template escapes
// them (the console's menu and course header, the console's frame, the
// reader's personal parts). Whoever cuts a part renders it a second time
// with markers that need escaping, to prove the pieces give the template's
// bytes.

// Piece is markup as a template wrote it, then the slot of the value that
// follows it: an index into the markers, or LastPiece.
type Piece struct {
	Markup []byte
	Slot   int
	// Trusted says the value that follows is markup already (a body
	// written in Go), written as it is rather than escaped.
	Trusted bool
}

// LastPiece ends a part: no value follows it.
const LastPiece = -1

// CutAtMarkers cuts a part rendered with markers into pieces.
func CutAtMarkers(out []byte, markers []string) []Piece {
	var pieces []Piece
	for {
		at, slot := -1, LastPiece
		for s, marker := range markers {
			if i := bytes.Index(out, []byte(marker)); i >= 0 && (at < 0 || i < at) {
				at, slot = i, s
			}
		}
		if at < 0 {
			return append(pieces, Piece{Markup: bytes.Clone(out), Slot: LastPiece})
		}
		pieces = append(pieces, Piece{Markup: bytes.Clone(out[:at]), Slot: slot})
		out = out[at+len(markers[slot]):]
	}
}

// TrustSlot marks the pieces followed by the given slot's value as
// followed by markup (Piece.Trusted).
func TrustSlot(pieces []Piece, slot int) []Piece {
	for i := range pieces {
		pieces[i].Trusted = pieces[i].Slot == slot
	}
	return pieces
}

// AppendPieces appends pieces with values, each escaped by AppendHTML but
// a trusted piece's.
func AppendPieces(dst []byte, pieces []Piece, values []string) []byte {
	for _, p := range pieces {
		dst = append(dst, p.Markup...)
		switch {
		case p.Slot == LastPiece:
		case p.Trusted:
			dst = append(dst, values[p.Slot]...)
		default:
			dst = AppendHTML(dst, values[p.Slot])
		}
	}
	return dst
}

// MarkerTag is a random nonce for markers no page holds by chance.
func MarkerTag() (string, error) {
	var nonce [8]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return "", fmt.Errorf("views: unable to read random bytes: %w", err)
	}
	return hex.EncodeToString(nonce[:]), nil
}

// Marker is slot number s's marker under a tag: letters and digits only,
// which no escaping changes. Escaped, it starts with every character HTML
// escaping replaces, to probe that the template escapes the value as
// AppendHTML does.
func Marker(tag string, s int, escaped bool) string {
	m := "q" + tag + string(rune('g'+s)) + "q"
	if escaped {
		m = "<&\"'+\x00>" + m
	}
	return m
}

// Shapes keeps what is made once per shape (a part's pieces, its bytes) for
// the views that follow. Most bounds how many are kept (64 when zero):
// when it is reached they are all dropped and made again as views come.
type Shapes[K comparable, V any] struct {
	Most int
	mu   sync.RWMutex
	kept map[K]V
}

// Get returns what is kept for a shape, made by build on its first view.
func (s *Shapes[K, V]) Get(key K, build func() (V, error)) (V, error) {
	s.mu.RLock()
	v, found := s.kept[key]
	s.mu.RUnlock()
	if found {
		return v, nil
	}
	v, err := build()
	if err != nil {
		return v, err
	}
	most := s.Most
	if most == 0 {
		most = 64
	}
	s.mu.Lock()
	if s.kept == nil || len(s.kept) >= most {
		s.kept = map[K]V{}
	}
	s.kept[key] = v
	s.mu.Unlock()
	return v, nil
}

// Len is how many shapes are kept.
func (s *Shapes[K, V]) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.kept)
}

// Kept returns what is kept for a shape, without making it.
func (s *Shapes[K, V]) Kept(key K) (V, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, found := s.kept[key]
	return v, found
}
