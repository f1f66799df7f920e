package lead

import (
	"regexp"
	"testing"
)

func TestTransitions(t *testing.T) {
	for _, tc := range []struct {
		from, to Status
		ok       bool
	}{
		{StatusNew, StatusContacted, true},
		{StatusNew, StatusWon, false},
		{StatusContacted, StatusQualified, true},
		{StatusContacted, StatusWon, true},
		{StatusQualified, StatusWon, true},
		{StatusQualified, StatusLost, true},
		{StatusWon, StatusLost, false},
		{StatusLost, StatusNew, false},
		{StatusNew, StatusSpam, true},
		{StatusSpam, StatusNew, true},
		{StatusSpam, StatusWon, false},
	} {
		if got := tc.from.CanBecome(tc.to); got != tc.ok {
			t.Errorf("%s → %s: %v, want %v", tc.from, tc.to, got, tc.ok)
		}
	}
	if Status("closed").Valid() || !StatusSpam.Valid() {
		t.Fatal("Valid is wrong")
	}
}

func TestEmailProblem(t *testing.T) {
	for email, ok := range map[string]bool{
		"ada@example.com":                       true,
		"ada.lovelace+verdict@mail.example.org": true,
		"":                                      false,
		"ada":                                   false,
		"ada@localhost":                         false,
		"Ada <ada@example.com>":                 false,
		"ada@example.com\r\nBcc: x@y.z":         false,
		"ada@example.com, bob@example.com":      false,
	} {
		if got := emailProblem(email) == ""; got != ok {
			t.Errorf("%q: ok=%v, want %v", email, got, ok)
		}
	}
}

func TestReferenceAndCSV(t *testing.T) {
	if ref := newReference(); !regexp.MustCompile(`^VRD-[0-9A-HJKMNP-TV-Z]{8}$`).MatchString(ref) {
		t.Fatalf("reference %q", ref)
	}
	for in, want := range map[string]string{"=1+1": "'=1+1", "+cmd": "'+cmd", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)", "Ada": "Ada", "": ""} {
		if got := safeCell(in); got != want {
			t.Errorf("safeCell(%q)=%q, want %q", in, got, want)
		}
	}
}
