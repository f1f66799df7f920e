package mailtest

import (
	"net"
	"slices"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// Fault is how the server misbehaves with a message, once it has read it
// and before it answers. The zero Fault behaves.
type Fault struct {
	// Refuse closes every new connection before the greeting (SetFault
	// only: it concerns connections, not messages).
	Refuse bool
	// Delay holds each message this long before answering.
	Delay time.Duration
	// Hang never answers until Release (then 421, not recorded), so only
	// the client's deadline ends the wait.
	Hang bool
	// Code answers with this SMTP reply (4xx or 5xx) instead of accepting;
	// the message is not recorded.
	Code int
	// Times limits a recipient's fault to its first Times messages (0: all).
	Times int
}

type faults struct {
	mu       sync.Mutex
	all      Fault
	byRcpt   map[string]*Fault
	attempts int           // messages whose data arrived, faulted or not
	release  chan struct{} // closed by Release
}

// SetFault makes every message (and, with Refuse, every connection)
// misbehave from now on; SetFault(Fault{}) restores good behaviour.
func (s *Server) SetFault(f Fault) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.all = f
}

// FaultTo makes the messages to rcpt misbehave, before any SetFault fault.
func (s *Server) FaultTo(rcpt string, f Fault) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	if s.faults.byRcpt == nil {
		s.faults.byRcpt = map[string]*Fault{}
	}
	s.faults.byRcpt[rcpt] = &f
}

// Release answers every hung message with 421 (not recorded) and cuts
// delays short; Hang faults set afterwards answer 421 at once.
func (s *Server) Release() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	select {
	case <-s.faults.release:
	default:
		close(s.faults.release)
	}
}

// Attempts is how many messages reached the end of their data, delivered
// or refused by a fault: deliveries tried.
func (s *Server) Attempts() int {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	return s.faults.attempts
}

// pick returns the fault for a message to rcpts, counting it.
func (s *Server) pick(rcpts []string) Fault {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.attempts++
	for r, f := range s.faults.byRcpt {
		if !slices.Contains(rcpts, r) {
			continue
		}
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				delete(s.faults.byRcpt, r)
			}
		}
		return *f
	}
	return s.faults.all
}

// misbehave applies the fault for a message: nil means accept it.
func (s *Server) misbehave(rcpts []string) error {
	f := s.pick(rcpts)
	if f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-s.faults.release:
		}
	}
	if f.Hang {
		<-s.faults.release
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "mailtest: released from a hang"}
	}
	if f.Code != 0 {
		enhanced := smtp.EnhancedCode{f.Code / 100, 0, 0}
		return &smtp.SMTPError{Code: f.Code, EnhancedCode: enhanced, Message: "mailtest: injected failure"}
	}
	return nil
}

func (s *Server) refusing() bool {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	return s.faults.all.Refuse
}

// refusingListener drops connections at once while the server refuses them.
type refusingListener struct {
	net.Listener
	s *Server
}

func (l *refusingListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil || !l.s.refusing() {
			return c, err
		}
		_ = c.Close()
	}
}
