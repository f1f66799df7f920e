// Command smtpsink is an SMTP server on loopback that accepts and discards
// every message, counting them: the far end of the outbox drain benchmark.
//
//	smtpsink ADDR
package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"

	"github.com/emersion/go-smtp"
)

var received atomic.Int64

type session struct{}

func (session) Mail(string, *smtp.MailOptions) error { return nil }
func (session) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (session) Reset()                               {}
func (session) Logout() error                        { return nil }
func (session) Data(r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	received.Add(1)
	return err
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: smtpsink ADDR")
		os.Exit(2)
	}
	s := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return session{}, nil }))
	s.Addr, s.Domain = os.Args[1], "localhost"
	go func() {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
		<-sig
		fmt.Println(received.Load())
		os.Exit(0)
	}()
	if err := s.ListenAndServe(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
