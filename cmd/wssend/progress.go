package main

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progressThreshold is the envelope size from which wssend shows progress
// on a terminal: below it an exchange is over before a line would help.
const progressThreshold = 4 << 20

// progressInterval is how often the progress line is redrawn.
const progressInterval = 200 * time.Millisecond

// progress shows, on one redrawn stderr line, the phase of a large
// exchange (sending, waiting for the reply, receiving), the bytes moved so
// far (from channel.Trace.Progress; of the total when it is known) and the
// time spent in the phase.
//
// Trace hooks may run on the HTTP transport's goroutines (WroteRequest),
// hence the mutex.
type progress struct {
	w io.Writer

	mu      sync.Mutex
	phase   string
	sent    int64 // bytes so far, from channel.Trace.Progress
	recv    int64
	total   int64 // of the current phase when known, else -1
	sending bool
	since   time.Time
	running bool
	stopped bool
	stop    chan struct{}
	done    chan struct{}
	drawn   bool
}

// set enters a phase. A phase about a large message starts the display;
// later phases keep it going. A nil progress shows nothing.
func (p *progress) set(phase string, large bool, sending bool, total int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return
	}
	p.phase, p.since, p.sending, p.total = phase, time.Now(), sending, total
	if large {
		p.startLocked()
	}
}

// startLocked starts the display if it is not running; p.mu is held.
func (p *progress) startLocked() {
	if p.running || p.stopped {
		return
	}
	p.running = true
	p.stop, p.done = make(chan struct{}), make(chan struct{})
	go p.loop()
}

func (p *progress) loop() {
	defer close(p.done)
	t := time.NewTicker(progressInterval)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.mu.Lock()
			p.draw()
			p.mu.Unlock()
		}
	}
}

// bytes records the byte counts the channel reports.
func (p *progress) bytes(sent, received int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sent, p.recv = sent, received
	if sent >= progressThreshold || received >= progressThreshold {
		p.startLocked() // a body of unknown size (chunked) that turned out large
	}
}

// draw rewrites the line; p.mu is held.
func (p *progress) draw() {
	n := p.recv
	if p.sending {
		n = p.sent
	}
	amount := ""
	switch {
	case p.total > 0:
		amount = fmt.Sprintf(" %s of %s (%.0f%%)", mib(n), mib(p.total), 100*float64(n)/float64(p.total))
	case n > 0:
		amount = " " + mib(n)
	}
	fmt.Fprintf(p.w, "\r\033[K%s%s… %.1fs", p.phase, amount, time.Since(p.since).Seconds())
	p.drawn = true
}

// finish stops the display and clears its line, before anything else is
// printed on stderr.
func (p *progress) finish() {
	if p == nil {
		return
	}
	p.mu.Lock()
	running := p.running
	p.running, p.stopped = false, true
	p.mu.Unlock()
	if running {
		close(p.stop)
		<-p.done
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
}

// mib formats a size for the progress line.
func mib(n int64) string {
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
