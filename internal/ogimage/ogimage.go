// Package ogimage draws a guide's Open Graph card: a 1200×630 PNG with the
// category, the title, and the options with their logos. It uses the Go
// fonts compiled into the binary, so it needs no system fonts and no
// network, and the same card always encodes to the same bytes.
package ogimage

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"strings"
	"sync"

	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Width and Height are the Open Graph image size sites and chat apps expect.
const (
	Width  = 1200
	Height = 630
)

// Card is what the image shows.
type Card struct {
	Title    string
	Category string
	Site     string // footer line, e.g. the site's host
	Options  []Option
}

// Option is a compared technology; Logo may be nil.
type Option struct {
	Name string
	Logo image.Image
}

var (
	ink    = color.RGBA{0x1b, 0x1f, 0x24, 0xff}
	muted  = color.RGBA{0x57, 0x60, 0x6a, 0xff}
	accent = color.RGBA{0x3b, 0x5b, 0xdb, 0xff}
	panel  = color.RGBA{0xf1, 0xf3, 0xf9, 0xff}
	white  = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

var fonts = sync.OnceValues(func() (*[2]*opentype.Font, error) {
	regular, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("ogimage: parse Go Regular: %w", err)
	}
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, fmt.Errorf("ogimage: parse Go Bold: %w", err)
	}
	return &[2]*opentype.Font{regular, bold}, nil
})

// Render draws c and writes it as PNG.
func Render(w io.Writer, c Card) error {
	f, err := fonts()
	if err != nil {
		return err
	}
	img := image.NewRGBA(image.Rect(0, 0, Width, Height))
	fill(img, img.Bounds(), white)
	fill(img, image.Rect(0, 0, 24, Height), accent)
	const left, right = 96, Width - 96

	small, err := face(f[1], 30)
	if err != nil {
		return err
	}
	y := 120
	if c.Category != "" {
		text(img, small, accent, left, y, strings.ToUpper(c.Category)+"  ·  DECISION GUIDE")
	}

	// The title: the largest size at which it fits in at most three lines.
	var lines []string
	var title font.Face
	for _, size := range []float64{84, 72, 62, 54, 46} {
		if title, err = face(f[1], size); err != nil {
			return err
		}
		if lines = wrap(title, c.Title, right-left); len(lines) <= 3 {
			break
		}
	}
	if len(lines) > 3 {
		lines = append(lines[:2], ellipsize(title, strings.Join(lines[2:], " "), right-left))
	}
	lineHeight := title.Metrics().Height.Ceil()
	y += 24 + lineHeight
	for _, l := range lines {
		text(img, title, ink, left, y, l)
		y += lineHeight
	}

	// The options: a chip each, logo then name, on one row.
	name, err := face(f[1], 34)
	if err != nil {
		return err
	}
	x, chipY := left, Height-190
	for _, o := range c.Options {
		label := o.Name
		lw := font.MeasureString(name, label).Ceil()
		wdt := 32 + lw + 32
		if o.Logo != nil {
			wdt += 64 + 16
		}
		if x+wdt > right {
			break // what does not fit is left out rather than clipped
		}
		fill(img, image.Rect(x, chipY, x+wdt, chipY+96), panel)
		tx := x + 32
		if o.Logo != nil {
			draw.CatmullRom.Scale(img, fit(o.Logo.Bounds(), image.Rect(tx, chipY+16, tx+64, chipY+80)), o.Logo, o.Logo.Bounds(), draw.Over, nil)
			tx += 64 + 16
		}
		text(img, name, ink, tx, chipY+60, label)
		x += wdt + 24
	}

	if c.Site != "" {
		foot, err := face(f[0], 26)
		if err != nil {
			return err
		}
		text(img, foot, muted, left, Height-40, c.Site)
	}
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(w, img); err != nil {
		return fmt.Errorf("ogimage: encode: %w", err)
	}
	return nil
}

func face(f *opentype.Font, size float64) (font.Face, error) {
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, fmt.Errorf("ogimage: face: %w", err)
	}
	return fc, nil
}

func fill(img *image.RGBA, r image.Rectangle, c color.Color) {
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}

func text(img *image.RGBA, f font.Face, c color.Color, x, y int, s string) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: f, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// wrap breaks s into lines no wider than width; a word wider than a line
// stands alone (and is ellipsized by the caller if needed).
func wrap(f font.Face, s string, width int) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		next := strings.TrimSpace(cur + " " + w)
		if cur != "" && font.MeasureString(f, next).Ceil() > width {
			lines = append(lines, cur)
			cur = w
			continue
		}
		cur = next
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

func ellipsize(f font.Face, s string, width int) string {
	r := []rune(s)
	for len(r) > 0 && font.MeasureString(f, string(r)+"…").Ceil() > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// fit centres src's aspect ratio inside box.
func fit(src, box image.Rectangle) image.Rectangle {
	sw, sh := src.Dx(), src.Dy()
	if sw == 0 || sh == 0 {
		return box
	}
	bw, bh := box.Dx(), box.Dy()
	if sw*bh > sh*bw { // wider than the box
		h := sh * bw / sw
		return image.Rect(box.Min.X, box.Min.Y+(bh-h)/2, box.Max.X, box.Min.Y+(bh-h)/2+h)
	}
	w := sw * bh / sh
	return image.Rect(box.Min.X+(bw-w)/2, box.Min.Y, box.Min.X+(bw-w)/2+w, box.Max.Y)
}
