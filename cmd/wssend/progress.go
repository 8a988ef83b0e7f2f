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
// exchange (sending N MiB, waiting for the reply, receiving N MiB) and the
// time spent in it. The channel's Trace reports phases, not bytes, so the
// line says what is happening and for how long rather than a percentage.
//
// Trace hooks may run on the HTTP transport's goroutines (WroteRequest),
// hence the mutex.
type progress struct {
	w io.Writer

	mu      sync.Mutex
	phase   string
	since   time.Time
	running bool
	stopped bool
	stop    chan struct{}
	done    chan struct{}
	drawn   bool
}

// set enters a phase. A phase about a large message starts the display;
// later phases keep it going. A nil progress shows nothing.
func (p *progress) set(phase string, large bool) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return
	}
	p.phase, p.since = phase, time.Now()
	if !p.running && large {
		p.running = true
		p.stop, p.done = make(chan struct{}), make(chan struct{})
		go p.loop()
	}
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

// draw rewrites the line; p.mu is held.
func (p *progress) draw() {
	fmt.Fprintf(p.w, "\r\033[K%s… %.1fs", p.phase, time.Since(p.since).Seconds())
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
