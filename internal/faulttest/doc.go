// Package faulttest drives real Verdict processes for fault tests: it
// builds the verdict binary once per test binary, starts `verdict serve`
// processes on free ports with the environment a test gives them, and stops
// them politely (SIGTERM) or not (kill -9), keeping their logs to print
// when a test fails. The scenarios themselves live in this package's tests;
// a loopback SMTP server that misbehaves on demand is in internal/mailtest.
package faulttest
