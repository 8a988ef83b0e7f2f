package channel_test

import (
	"bytes"
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
)

// deafServer accepts connections and never reads from them, so that a
// client's request fills the socket buffers and its writes block.
func deafServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	return "http://" + ln.Addr().String() + "/svc"
}

// TestSendTimeout: a service that stops reading the request ends the
// exchange by the Send timeout, streamed or buffered, and the channel is
// Faulted (the request was half sent).
func TestSendTimeout(t *testing.T) {
	const limit = 300 * time.Millisecond
	chunk := bytes.Repeat([]byte("wsgo"), 16<<10) // 64 KiB of base64 text per element
	for _, c := range []struct {
		name string
		opts []channel.Option
		body any
	}{
		{"streamed", []channel.Option{channel.WithTransferMode(channel.StreamedOutput), channel.WithMaxStreamedMessageSize(1 << 30)},
			channel.BodyFunc(func(m *message.Message) error {
				w := m.BodyWriter()
				w.StartElement("", "Upload", "urn:test")
				for i := 0; i < 1<<14 && w.Err() == nil; i++ { // at most 1 GiB: the timeout ends it long before
					w.StartElement("", "chunk", "urn:test")
					w.Base64(chunk)
					w.EndElement()
				}
				w.EndElement()
				return w.Err()
			})},
		{"buffered", []channel.Option{channel.WithMaxBufferedMessageSize(48 << 20)},
			channel.BodyFunc(func(m *message.Message) error {
				w := m.BodyWriter()
				w.StartElement("", "Upload", "urn:test")
				for i := 0; i < 256; i++ { // 22 MB of text: more than loopback's socket buffers hold
					w.StartElement("", "chunk", "urn:test")
					w.Base64(chunk)
					w.EndElement()
				}
				w.EndElement()
				return w.Err()
			})},
	} {
		t.Run(c.name, func(t *testing.T) {
			opts := append([]channel.Option{channel.WithTimeouts(channel.Timeouts{Send: limit, ReceiveResponse: 20 * time.Second})}, c.opts...)
			ch := openSOAP11Channel(t, deafServer(t), opts...)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // watchdog
			defer cancel()
			req, _ := ch.NewMessage()
			if err := req.Initialize(message.Request, nil); err != nil {
				t.Fatal(err)
			}
			_ = req.SetAction(actionAdd)
			reply, _ := ch.NewMessage()
			err := ch.Request(ctx, req, c.body, reply, nil)
			if ctx.Err() != nil {
				t.Fatal("watchdog: the exchange did not end")
			}
			wantCode(t, err, errors.OperationTimedOut)
			if !strings.Contains(err.Error(), "Send timeout") {
				t.Errorf("error does not name the Send timeout: %v", err)
			}
			if st := ch.State(); st != channel.Faulted {
				t.Errorf("state %v, want Faulted: the request was cut off mid-way", st)
			}
		})
	}
}
