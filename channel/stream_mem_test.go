package channel_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// The streamed-send memory test (issue 3): a 1 GiB request body goes
// through a Streamed channel to a StreamedInput handler that reads it
// incrementally, and the peak RSS of the process doing both stays within
// 64 MiB. The transfer runs in a child process (this test binary run
// again with streamChildEnv set) so that the peak is that of the transfer
// alone, not of whatever other tests the parent ran before it.

const (
	// streamChildEnv, when set, makes TestStreamedSendMemory the child:
	// its value is the number of body bytes to send.
	streamChildEnv = "WSGO_STREAMED_SEND_CHILD_BYTES"
	// streamPeakRSS is the bound on the child's peak resident set.
	streamPeakRSS = 64 << 20
	// streamChunkRaw is the raw size of one <chunk>: its base64 text is
	// 64 KiB.
	streamChunkRaw  = 48 << 10
	streamChunkText = streamChunkRaw / 3 * 4
	streamNS        = "urn:wsgo:test:stream"
	// streamResultPrefix starts the child's result line.
	streamResultPrefix = "streamed-send-result:"
)

// streamReceipt is the server's reply: what it read.
type streamReceipt struct {
	XMLName xml.Name `xml:"urn:wsgo:test:stream Receipt"`
	Chunks  int64    `xml:"chunks"`
	Bytes   int64    `xml:"bytes"`
}

// streamResult is what the child reports to the parent.
type streamResult struct {
	sent    int64   // body text bytes the client wrote
	got     int64   // body text bytes the server read and checked
	chunks  int64   // chunks the server read
	peakRSS int64   // VmHWM at the end, bytes
	seconds float64 // the transfer's duration
}

func (r streamResult) String() string {
	return fmt.Sprintf("%s sent=%d got=%d chunks=%d peak_rss=%d seconds=%.3f",
		streamResultPrefix, r.sent, r.got, r.chunks, r.peakRSS, r.seconds)
}

func parseStreamResult(line string) (streamResult, error) {
	var r streamResult
	_, err := fmt.Sscanf(strings.TrimSpace(line), streamResultPrefix+" sent=%d got=%d chunks=%d peak_rss=%d seconds=%g",
		&r.sent, &r.got, &r.chunks, &r.peakRSS, &r.seconds)
	return r, err
}

// TestStreamedSendMemory sends a 1 GiB body (64 MiB under the race
// detector or -short) with WithTransferMode(Streamed) in a child process
// and checks that every byte arrived, in order, and that the child's peak
// RSS stayed within 64 MiB.
func TestStreamedSendMemory(t *testing.T) {
	if v := os.Getenv(streamChildEnv); v != "" {
		size, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: %v", streamChildEnv, v, err)
		}
		res, err := runStreamedSend(size)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Println(res)
		return
	}

	if runtime.GOOS != "linux" {
		t.Skip("the peak RSS is read from /proc/self/status (Linux)")
	}
	size := int64(1 << 30)
	if raceEnabled || testing.Short() {
		size = 64 << 20
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestStreamedSendMemory$", "-test.count=1")
	cmd.Env = append(os.Environ(), streamChildEnv+"="+strconv.FormatInt(size, 10))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the child process failed: %v\nstdout:\n%s\nstderr:\n%s", err, out, stderr.Bytes())
	}
	var res streamResult
	found := false
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), streamResultPrefix) {
			if res, err = parseStreamResult(sc.Text()); err != nil {
				t.Fatalf("child result %q: %v", sc.Text(), err)
			}
			found = true
		}
	}
	if !found {
		t.Fatalf("the child printed no result line:\n%s", out)
	}
	wantChunks := size / streamChunkText
	if res.sent != size || res.got != size || res.chunks != wantChunks {
		t.Errorf("sent %d bytes, the server read %d bytes in %d chunks; want %d bytes in %d chunks",
			res.sent, res.got, res.chunks, size, wantChunks)
	}
	limit := int64(streamPeakRSS)
	if raceEnabled {
		// The race detector's shadow memory and bookkeeping come on top
		// (about 35 MiB in all for the 64 MiB transfer): the bound is
		// doubled there, which still catches a body held whole in memory.
		limit = 2 * streamPeakRSS
	}
	if res.peakRSS > limit {
		t.Errorf("peak RSS of the streamed send of %d MiB was %.1f MiB, over %d MiB", size>>20, float64(res.peakRSS)/(1<<20), limit>>20)
	}
	t.Logf("streamed %d MiB in %.2f s (%.0f MB/s) with peak RSS %.1f MiB",
		size>>20, res.seconds, float64(size)/res.seconds/1e6, float64(res.peakRSS)/(1<<20))
}

// runStreamedSend sends size bytes of base64 text in <chunk> elements of
// one <Upload> body element through a Streamed channel to a StreamedInput
// handler on a loopback server, which checks each chunk against what was
// sent as it reads it.
func runStreamedSend(size int64) (streamResult, error) {
	if size <= 0 || size%streamChunkText != 0 {
		return streamResult{}, fmt.Errorf("size %d is not a positive multiple of the %d-byte chunk", size, streamChunkText)
	}
	chunks := size / streamChunkText
	raw := make([]byte, streamChunkRaw)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range raw {
		raw[i] = byte(rng.Uint32())
	}
	text := []byte(base64.StdEncoding.EncodeToString(raw))

	const limit = 2 << 30 // over 1 GiB plus the envelope
	timeouts := channel.Timeouts{Send: 10 * time.Minute, Receive: 10 * time.Minute, ReceiveResponse: 10 * time.Minute}
	srv := httptest.NewServer(channel.NewHandler(func(ctx context.Context, ch *channel.Channel) {
		req, err := ch.NewMessage()
		if err != nil {
			return
		}
		var rcpt streamReceipt
		if err := ch.Receive(ctx, req, channel.BodyFunc(func(m *message.Message) error {
			return readUpload(m, text, &rcpt)
		})); err != nil {
			reply, _ := ch.NewReplyMessage(req)
			_ = ch.SendFault(ctx, reply, message.NewFault(ch.EnvelopeVersion(), message.FaultSender, err.Error()), req)
			return
		}
		reply, err := ch.NewReplyMessage(req)
		if err != nil {
			return
		}
		_ = ch.SendReply(ctx, reply, &rcpt, req)
	}, channel.WithTransferMode(channel.StreamedInput), channel.WithMaxStreamedMessageSize(limit), channel.WithTimeouts(timeouts)))
	defer srv.Close()

	ctx := context.Background()
	ch, err := channel.New(channel.Request,
		channel.WithEnvelope(message.SOAP11),
		channel.WithAddressing(message.AddressingTransport),
		channel.WithTransferMode(channel.Streamed),
		channel.WithMaxStreamedMessageSize(limit),
		channel.WithTimeouts(timeouts))
	if err != nil {
		return streamResult{}, err
	}
	if err := ch.Open(ctx, srv.URL+"/upload"); err != nil {
		return streamResult{}, err
	}
	defer ch.Close(ctx)
	req, err := ch.NewMessage()
	if err != nil {
		return streamResult{}, err
	}
	if err := req.Initialize(message.Request, nil); err != nil {
		return streamResult{}, err
	}
	if err := req.SetAction(streamNS + "/Upload"); err != nil {
		return streamResult{}, err
	}
	reply, err := ch.NewMessage()
	if err != nil {
		return streamResult{}, err
	}

	var sent int64
	start := time.Now()
	var rcpt streamReceipt
	err = ch.Request(ctx, req, channel.BodyFunc(func(m *message.Message) error {
		w := m.BodyWriter()
		w.StartElement("", "Upload", streamNS)
		var num []byte
		for i := range chunks {
			w.StartElement("", "chunk", streamNS)
			num = strconv.AppendInt(num[:0], i, 10)
			w.AttrBytes("", "n", "", num)
			w.Base64(raw)
			w.EndElement()
			sent += streamChunkText
		}
		w.EndElement()
		return w.Err()
	}), reply, &rcpt)
	elapsed := time.Since(start)
	if err != nil {
		return streamResult{}, err
	}
	peak, err := peakRSS()
	if err != nil {
		return streamResult{}, err
	}
	return streamResult{sent: sent, got: rcpt.Bytes, chunks: rcpt.Chunks, peakRSS: peak, seconds: elapsed.Seconds()}, nil
}

// readUpload reads the <Upload> body element incrementally, checking that
// its chunks come in order and that each carries text, into rcpt.
func readUpload(m *message.Message, text []byte, rcpt *streamReceipt) error {
	if !m.HasMoreBody() {
		return errors.Errorf(errors.InvalidFormat, "the request body is empty; an Upload element was expected")
	}
	r := m.BodyReader()
	if !r.Is("Upload", streamNS) {
		return errors.Errorf(errors.InvalidFormat, "line %d: the body element is %s, not Upload", r.Line(), r.Local())
	}
	depth := r.Depth()
	off := -1 // offset in the current chunk's text; -1 outside a chunk
	for {
		k, err := r.Next()
		if err != nil {
			return err
		}
		switch {
		case k == xmlio.StartElement && r.Depth() == depth+1 && r.Is("chunk", streamNS):
			n, _ := r.AttrValue("n", "")
			if want := strconv.FormatInt(rcpt.Chunks, 10); string(n) != want {
				return errors.Errorf(errors.InvalidFormat, "line %d: chunk n=%q where n=%s was expected", r.Line(), n, want)
			}
			off = 0
		case k == xmlio.Text && off >= 0:
			piece := r.Text()
			if off+len(piece) > len(text) || !bytes.Equal(piece, text[off:off+len(piece)]) {
				return errors.Errorf(errors.InvalidFormat, "line %d: chunk %d differs from what was sent at offset %d", r.Line(), rcpt.Chunks, off)
			}
			off += len(piece)
			rcpt.Bytes += int64(len(piece))
		case k == xmlio.EndElement && r.Depth() == depth+1:
			if off != len(text) {
				return errors.Errorf(errors.InvalidFormat, "line %d: chunk %d has %d bytes of text, want %d", r.Line(), rcpt.Chunks, off, len(text))
			}
			rcpt.Chunks++
			off = -1
		case k == xmlio.EndElement && r.Depth() == depth:
			return nil
		case k == xmlio.StartElement || k == xmlio.EOF:
			return errors.Errorf(errors.InvalidFormat, "line %d: unexpected %v in Upload", r.Line(), k)
		}
	}
}

// peakRSS returns the process's peak resident set size (VmHWM).
func peakRSS() (int64, error) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("VmHWM line %q: %v", line, err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/self/status")
}
