package testdb

import (
	"bytes"
	"io"
	"net"
	"net/mail"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// SMTPSink is a real SMTP server on a loopback port that keeps what it
// receives, or refuses it with a chosen reply.
type SMTPSink struct {
	addr string
	srv  *smtp.Server
	ln   net.Listener

	mu       sync.Mutex
	received []*mail.Message
	refuse   *smtp.SMTPError
}

// NewSMTPSink starts a sink that stops when the test ends.
func NewSMTPSink(t testing.TB) *SMTPSink {
	t.Helper()
	s := &SMTPSink{}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &sinkSession{sink: s}, nil }))
	s.srv.Domain = "sink.test"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr, s.ln = ln.Addr().String(), ln
	go func() { _ = s.srv.Serve(ln) }()
	t.Cleanup(s.Stop)
	return s
}

// Stop shuts the server: connections are refused from now on.
func (s *SMTPSink) Stop() {
	_ = s.ln.Close()
	_ = s.srv.Close()
}

// URL is the SMTP_URL of the sink (plain text: it offers no STARTTLS).
func (s *SMTPSink) URL() string { return "smtp://" + s.addr + "?tls=none" }

// RefuseWith makes the sink answer every recipient with code (0: accept).
func (s *SMTPSink) RefuseWith(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = nil
	if code != 0 {
		s.refuse = &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0}, Message: "sink says no"}
	}
}

// Messages returns what the sink has received so far.
func (s *SMTPSink) Messages() []*mail.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*mail.Message(nil), s.received...)
}

type sinkSession struct{ sink *SMTPSink }

func (*sinkSession) Reset()                                  {}
func (*sinkSession) Logout() error                           { return nil }
func (*sinkSession) Mail(string, *smtp.MailOptions) error    { return nil }
func (ss *sinkSession) Rcpt(string, *smtp.RcptOptions) error { return ss.refusal() }

func (ss *sinkSession) refusal() error {
	ss.sink.mu.Lock()
	defer ss.sink.mu.Unlock()
	if ss.sink.refuse != nil {
		return ss.sink.refuse
	}
	return nil
}

func (ss *sinkSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(msg.Body)
	msg.Body = bytes.NewReader(body)
	ss.sink.mu.Lock()
	defer ss.sink.mu.Unlock()
	ss.sink.received = append(ss.sink.received, msg)
	return nil
}
