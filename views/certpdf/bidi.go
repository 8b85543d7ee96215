package certpdf

import (
	"slices"

	"golang.org/x/text/unicode/bidi"
)

// Bidirectional reordering of one line of text.
//
// This is the Unicode Bidirectional Algorithm (UAX #9) for a single line
// without explicit embeddings, overrides or isolates (clean removes those
// controls): rules P2–P3, W1–W7, N0–N2, I1–I2 and L2, with mirroring of
// brackets at right-to-left levels (L4). Character classes and bracket
// properties come from golang.org/x/text/unicode/bidi; its Paragraph type
// is not used because it does not pair brackets (rule N0, Go issue 72089),
// which misplaces the parentheses of a name such as "Ali (علی) 2026".

// visualOrder returns a line (logical order, already shaped) in the
// left-to-right order in which fpdf must draw it.
func visualOrder(text []rune) []rune {
	if !hasRTL(text) {
		return text
	}
	levels := resolveLevels(text)
	out := slices.Clone(text)
	for i, r := range out {
		if levels[i]%2 == 1 {
			out[i] = mirror(r)
		}
	}
	// L2: from the highest level down to the lowest odd one, reverse every
	// run of characters at that level or higher.
	top := slices.Max(levels)
	lowOdd := top
	for _, l := range levels {
		if l%2 == 1 && l < lowOdd {
			lowOdd = l
		}
	}
	for lvl := top; lvl >= lowOdd && lvl > 0; lvl-- {
		for i := 0; i < len(out); {
			if levels[i] < lvl {
				i++
				continue
			}
			j := i
			for j < len(out) && levels[j] >= lvl {
				j++
			}
			slices.Reverse(out[i:j])
			slices.Reverse(levels[i:j])
			i = j
		}
	}
	return out
}

// hasRTL reports whether text contains right-to-left characters.
func hasRTL(text []rune) bool {
	for _, r := range text {
		if c := bidiClass(r); c == bidi.R || c == bidi.AL {
			return true
		}
	}
	return false
}

func bidiClass(r rune) bidi.Class {
	p, _ := bidi.LookupRune(r)
	return p.Class()
}

// strong maps a resolved class to L or R for the neutral rules: EN and AN
// count as R. Other classes give ON.
func strong(c bidi.Class) bidi.Class {
	switch c {
	case bidi.L:
		return bidi.L
	case bidi.R, bidi.AL, bidi.EN, bidi.AN:
		return bidi.R
	}
	return bidi.ON
}

// resolveLevels returns the embedding level of every character of a line.
func resolveLevels(text []rune) []int {
	n := len(text)
	types := make([]bidi.Class, n)
	for i, r := range text {
		types[i] = bidiClass(r)
	}

	// P2–P3: the paragraph level is that of the first strong character.
	base, e := 0, bidi.L
	for _, t := range types {
		if t == bidi.L {
			break
		}
		if t == bidi.R || t == bidi.AL {
			base, e = 1, bidi.R
			break
		}
	}
	sos := e // sos and eos: the paragraph direction on both ends

	// W1: a non-spacing mark takes the type of the character before it.
	for i, t := range types {
		if t == bidi.NSM {
			if i == 0 {
				types[i] = sos
			} else {
				types[i] = types[i-1]
			}
		}
	}
	// W2: European digits after Arabic letters are Arabic digits. W3: AL is R.
	last := sos
	for i, t := range types {
		switch t {
		case bidi.L, bidi.R, bidi.AL:
			last = t
		case bidi.EN:
			if last == bidi.AL {
				types[i] = bidi.AN
			}
		}
	}
	for i, t := range types {
		if t == bidi.AL {
			types[i] = bidi.R
		}
	}
	// W4: a single separator between two numbers of the same kind joins them.
	for i := 1; i+1 < n; i++ {
		a, b := types[i-1], types[i+1]
		switch {
		case types[i] == bidi.ES && a == bidi.EN && b == bidi.EN,
			types[i] == bidi.CS && a == bidi.EN && b == bidi.EN:
			types[i] = bidi.EN
		case types[i] == bidi.CS && a == bidi.AN && b == bidi.AN:
			types[i] = bidi.AN
		}
	}
	// W5: terminators next to European numbers become European numbers.
	for i := 0; i < n; i++ {
		if types[i] != bidi.ET {
			continue
		}
		j := i
		for j < n && types[j] == bidi.ET {
			j++
		}
		if (i > 0 && types[i-1] == bidi.EN) || (j < n && types[j] == bidi.EN) {
			for k := i; k < j; k++ {
				types[k] = bidi.EN
			}
		}
		i = j
	}
	// W6: remaining separators and terminators are neutral.
	for i, t := range types {
		if t == bidi.ES || t == bidi.ET || t == bidi.CS {
			types[i] = bidi.ON
		}
	}
	// W7: European numbers in left-to-right context are L.
	last = sos
	for i, t := range types {
		switch t {
		case bidi.L, bidi.R:
			last = t
		case bidi.EN:
			if last == bidi.L {
				types[i] = bidi.L
			}
		}
	}

	resolveBrackets(text, types, e, sos)

	// N1–N2: a run of neutrals takes the direction of its neighbours when
	// they agree, else the paragraph direction.
	for i := 0; i < n; i++ {
		if strong(types[i]) != bidi.ON {
			continue
		}
		j := i
		for j < n && strong(types[j]) == bidi.ON {
			j++
		}
		before, after := sos, sos
		if i > 0 {
			before = strong(types[i-1])
		}
		if j < n {
			after = strong(types[j])
		}
		dir := e
		if before == after {
			dir = before
		}
		for k := i; k < j; k++ {
			types[k] = dir
		}
		i = j
	}

	// I1–I2: implicit levels.
	levels := make([]int, n)
	for i, t := range types {
		switch {
		case base == 0 && t == bidi.R:
			levels[i] = 1
		case base == 0 && (t == bidi.AN || t == bidi.EN):
			levels[i] = 2
		case base == 1 && (t == bidi.L || t == bidi.EN || t == bidi.AN):
			levels[i] = 2
		default:
			levels[i] = base
		}
	}
	return levels
}

// resolveBrackets applies rule N0: a pair of brackets takes the direction
// of the strong text inside it (e if that occurs there, else the opposite
// direction if the context before the pair agrees with it).
func resolveBrackets(text []rune, types []bidi.Class, e, sos bidi.Class) {
	type pair struct{ open, close int }
	var pairs []pair
	var stack []int
	for i, r := range text {
		if types[i] != bidi.ON {
			continue
		}
		p, _ := bidi.LookupRune(r)
		switch {
		case p.IsOpeningBracket():
			if len(stack) == 63 {
				return // BD16: stop processing on overflow
			}
			stack = append(stack, i)
		case p.IsBracket():
			for k := len(stack) - 1; k >= 0; k-- {
				if mirror(text[stack[k]]) == r {
					pairs = append(pairs, pair{stack[k], i})
					stack = stack[:k]
					break
				}
			}
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int { return a.open - b.open })

	opposite := bidi.R
	if e == bidi.R {
		opposite = bidi.L
	}
	for _, p := range pairs {
		found := bidi.ON
		for k := p.open + 1; k < p.close; k++ {
			if s := strong(types[k]); s == e {
				found = e
				break
			} else if s == opposite {
				found = opposite
			}
		}
		if found == opposite {
			before := sos
			for k := p.open - 1; k >= 0; k-- {
				if s := strong(types[k]); s != bidi.ON {
					before = s
					break
				}
			}
			if before != opposite {
				found = e
			}
		}
		if found != bidi.ON {
			types[p.open], types[p.close] = found, found
			// Marks after a bracket follow its new direction.
			for _, i := range []int{p.open, p.close} {
				for k := i + 1; k < len(text) && bidiClass(text[k]) == bidi.NSM; k++ {
					types[k] = found
				}
			}
		}
	}
}

// mirror returns the mirrored form of a bracket, or r itself.
func mirror(r rune) rune {
	if p, _ := bidi.LookupRune(r); p.IsBracket() {
		if m := []rune(bidi.ReverseString(string(r))); len(m) == 1 {
			return m[0]
		}
	}
	return r
}
