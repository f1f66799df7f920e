package ogimage

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
)

func render(t *testing.T, c Card) (image.Image, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, c); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return img, buf.Bytes()
}

func TestRender(t *testing.T) {
	red := image.NewRGBA(image.Rect(0, 0, 40, 40))
	for i := range red.Pix {
		red.Pix[i] = []byte{0xff, 0, 0, 0xff}[i%4]
	}
	node := Card{Title: "Node.js vs Django", Category: "Backend", Site: "guides.example.com",
		Options: []Option{{Name: "Node.js", Logo: red}, {Name: "Django"}}}
	img, first := render(t, node)
	if b := img.Bounds(); b.Dx() != Width || b.Dy() != Height {
		t.Fatalf("size %v, want %dx%d", b, Width, Height)
	}
	if _, again := render(t, node); !bytes.Equal(first, again) {
		t.Fatal("the same card encoded differently")
	}
	// The logo sits in the first chip, left of the name.
	if r, g, b, _ := img.At(96+32+32, Height-190+48).RGBA(); r>>8 < 0xf0 || g>>8 > 0x20 || b>>8 > 0x20 {
		t.Fatalf("no logo at the first chip: %v", img.At(96+32+32, Height-190+48))
	}
	// Text was drawn: the title area is not blank.
	dark := 0
	for x := 96; x < Width-96; x++ {
		for y := 150; y < 260; y++ {
			if c := color.GrayModel.Convert(img.At(x, y)).(color.Gray); c.Y < 0x80 {
				dark++
			}
		}
	}
	if dark < 1000 {
		t.Fatalf("only %d dark pixels where the title should be", dark)
	}
	for name, c := range map[string]Card{
		"another title": {Title: "Bun vs Deno", Category: "Backend", Options: node.Options},
		"a long title": {Title: "A very long comparison title that needs several lines to fit and then some more words to overflow the card",
			Options: []Option{{Name: "A"}, {Name: "B"}, {Name: "C"}, {Name: "D"}, {Name: "E with a very long name indeed"}}},
		"empty": {},
	} {
		img, b := render(t, c)
		if bytes.Equal(b, first) || img.Bounds().Dx() != Width {
			t.Errorf("%s: same bytes as the first card or wrong size", name)
		}
	}
}
