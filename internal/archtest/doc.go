// Package archtest holds tests that keep the architecture honest: which
// package may import which, and that both databases' schemas and models/
// agree. It has no code of its own.
package archtest
