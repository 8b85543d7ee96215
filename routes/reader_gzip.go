package routes

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"io"
)

// The reader page is sent gzip-compressed without compressing the article
// on every view: each part of the article is compressed once, at the best
// level, into deflate blocks that end on a byte boundary (a sync flush), and
// a view writes one gzip stream of its own small parts, stored as they are
// rendered, and the article's blocks as they are. Blocks compressed
// apart refer to nothing before them, so any sequence of them is one valid
// deflate stream (as pigz does); the gzip trailer's CRC-32 of the whole is
// combined from each part's without reading the article again.

// gzipHeader is a gzip member header without a name or time (RFC 1952).
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// deflateEnd is an empty final stored block, closing the deflate stream.
const deflateEnd = "\x01\x00\x00\xff\xff"

// deflatedPart is a part of a page compressed once: its deflate blocks,
// ending byte-aligned and not final, with what the gzip trailer needs.
type deflatedPart struct {
	blocks []byte
	crc    uint32
	size   uint32
	// shift turns the CRC of what comes before into the CRC of that
	// followed by size zero bytes: crc32Combine's operator for this part.
	shift crcShift
}

// deflatePart compresses raw at the best level.
func deflatePart(raw []byte) (deflatedPart, error) {
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		return deflatedPart{}, err
	}
	if _, err := w.Write(raw); err != nil {
		return deflatedPart{}, err
	}
	if err := w.Flush(); err != nil {
		return deflatedPart{}, err
	}
	return deflatedPart{blocks: buf.Bytes(), crc: crc32.ChecksumIEEE(raw), size: uint32(len(raw)),
		shift: newCRCShift(int64(len(raw)))}, nil
}

// gzipStitch writes one gzip stream made of parts compressed before and
// parts stored as they are: the small parts rendered per view cost no
// compression at all.
type gzipStitch struct {
	w    io.Writer
	crc  uint32
	size uint32
	err  error
	// scratch holds a stored block's header or the trailer as it is
	// written, so that neither is allocated.
	scratch [len(deflateEnd) + 8]byte
}

// start writes the gzip header.
func (g *gzipStitch) start(w io.Writer) {
	*g = gzipStitch{w: w}
	_, g.err = w.Write(gzipHeader)
}

// maxStored is the most one stored block holds.
const maxStored = 0xffff

// stored appends p as stored (uncompressed) deflate blocks.
func (g *gzipStitch) stored(p []byte) {
	g.crc = crc32.Update(g.crc, crc32.IEEETable, p)
	g.size += uint32(len(p))
	for len(p) > 0 && g.err == nil {
		n := min(len(p), maxStored)
		// Byte-aligned: BFINAL 0, BTYPE 00, then LEN and its complement.
		head := append(g.scratch[:0], 0, byte(n), byte(n>>8), ^byte(n), ^byte(n>>8))
		if _, g.err = g.w.Write(head); g.err == nil {
			_, g.err = g.w.Write(p[:n])
		}
		p = p[n:]
	}
}

// compressed appends a part compressed before.
func (g *gzipStitch) compressed(p *deflatedPart) {
	if g.err != nil {
		return
	}
	_, g.err = g.w.Write(p.blocks)
	g.crc = p.shift.apply(g.crc) ^ p.crc
	g.size += p.size
}

// close ends the stream with the trailer.
func (g *gzipStitch) close() error {
	if g.err != nil {
		return g.err
	}
	trailer := append(g.scratch[:0], deflateEnd...)
	trailer = binary.LittleEndian.AppendUint32(trailer, g.crc)
	trailer = binary.LittleEndian.AppendUint32(trailer, g.size)
	_, err := g.w.Write(trailer)
	return err
}

// crcShift is a 32×32 matrix over GF(2): the CRC-32 of a message followed
// by n zero bytes, as a function of the message's CRC (zlib's
// crc32_combine, with the operator kept so that applying it is 32 steps).
type crcShift [32]uint32

func (m *crcShift) apply(crc uint32) uint32 { return gf2Times((*[32]uint32)(m), crc) }

// newCRCShift builds the operator of n zero bytes by applying zlib's
// combination to each bit.
func newCRCShift(n int64) crcShift {
	var m crcShift
	for i := range m {
		m[i] = crc32Combine(1<<i, 0, n)
	}
	return m
}

func gf2Times(mat *[32]uint32, vec uint32) uint32 {
	var sum uint32
	for i := 0; vec != 0; i, vec = i+1, vec>>1 {
		if vec&1 != 0 {
			sum ^= mat[i]
		}
	}
	return sum
}

func gf2Square(square, mat *[32]uint32) {
	for n := range 32 {
		square[n] = gf2Times(mat, mat[n])
	}
}

// crc32Combine is the CRC-32 of A followed by B from crc(A), crc(B) and
// len(B) (zlib's crc32_combine).
func crc32Combine(crc1, crc2 uint32, len2 int64) uint32 {
	if len2 <= 0 {
		return crc1 ^ crc2
	}
	var even, odd [32]uint32
	odd[0] = crc32.IEEE // the operator of one zero bit
	row := uint32(1)
	for n := 1; n < 32; n++ {
		odd[n] = row
		row <<= 1
	}
	gf2Square(&even, &odd) // two zero bits
	gf2Square(&odd, &even) // four zero bits
	for {
		gf2Square(&even, &odd)
		if len2&1 != 0 {
			crc1 = gf2Times(&even, crc1)
		}
		if len2 >>= 1; len2 == 0 {
			break
		}
		gf2Square(&odd, &even)
		if len2&1 != 0 {
			crc1 = gf2Times(&odd, crc1)
		}
		if len2 >>= 1; len2 == 0 {
			break
		}
	}
	return crc1 ^ crc2
}
