package smtptest

import (
	"net"
	"sync"
)

// listener tracks the connections it accepts so that Close ends them all.
// go-smtp's Server.Close does that too, but misses a connection accepted just
// before it and registered just after, which could then still take a message
// from a "stopped" server.
type listener struct {
	net.Listener

	mu     sync.Mutex
	closed bool
	conns  map[*conn]struct{}
}

func newListener(l net.Listener) *listener {
	return &listener{Listener: l, conns: make(map[*conn]struct{})}
}

// Accept waits for the next connection.
func (l *listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		c.Close()
		return nil, net.ErrClosed
	}
	tc := &conn{Conn: c, ln: l}
	l.conns[tc] = struct{}{}
	return tc, nil
}

// Close stops accepting and closes every open connection.
func (l *listener) Close() error {
	l.mu.Lock()
	l.closed = true
	conns := l.conns
	l.conns = make(map[*conn]struct{})
	l.mu.Unlock()
	err := l.Listener.Close()
	for c := range conns {
		c.Conn.Close()
	}
	return err
}

// conn forgets itself in its listener when closed.
type conn struct {
	net.Conn
	ln *listener
}

// Close closes the connection.
func (c *conn) Close() error {
	c.ln.mu.Lock()
	delete(c.ln.conns, c)
	c.ln.mu.Unlock()
	return c.Conn.Close()
}
