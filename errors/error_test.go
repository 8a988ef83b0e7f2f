package errors_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/errors"
)

func TestIsMatchesCode(t *testing.T) {
	err := errors.Quotaf("MaxDepth", "element nesting exceeds %d", 32).WithOp("read envelope")
	wrapped := fmt.Errorf("calling service: %w", err)

	if !errors.Is(wrapped, errors.QuotaExceeded) {
		t.Error("Is(wrapped, QuotaExceeded) = false")
	}
	if errors.Is(wrapped, errors.InvalidFormat) {
		t.Error("Is(wrapped, InvalidFormat) = true")
	}
	if !errors.Is(wrapped, &errors.Error{Code: errors.QuotaExceeded, Quota: "MaxDepth"}) {
		t.Error("Is with matching quota = false")
	}
	if errors.Is(wrapped, &errors.Error{Code: errors.QuotaExceeded, Quota: "MaxBytes"}) {
		t.Error("Is with other quota = true")
	}
	var e *errors.Error
	if !errors.As(wrapped, &e) || e.Quota != "MaxDepth" || e.Op != "read envelope" {
		t.Fatalf("As: %#v", e)
	}
}

func TestCodeOf(t *testing.T) {
	deadline, cancel := context.WithTimeout(context.Background(), 0)
	defer cancel()
	<-deadline.Done()
	canceled, cancel2 := context.WithCancel(context.Background())
	cancel2()

	tests := []struct {
		name string
		err  error
		want errors.Code
	}{
		{"nil", nil, errors.OK},
		{"wsgo error", errors.Errorf(errors.EndpointNotFound, "no such host"), errors.EndpointNotFound},
		{"wrapped twice", fmt.Errorf("a: %w", fmt.Errorf("b: %w", errors.Errorf(errors.InvalidFormat, "x"))), errors.InvalidFormat},
		{"bare code", errors.EndpointTooBusy, errors.EndpointTooBusy},
		{"joined", errors.Join(io.EOF, errors.Errorf(errors.ObjectFaulted, "x")), errors.ObjectFaulted},
		{"deadline", deadline.Err(), errors.OperationTimedOut},
		{"canceled", canceled.Err(), errors.OperationAborted},
		{"net timeout", &net.OpError{Op: "read", Err: timeoutErr{}}, errors.OperationTimedOut},
		{"foreign", io.ErrUnexpectedEOF, errors.Other},
	}
	for _, tt := range tests {
		if got := errors.CodeOf(tt.err); got != tt.want {
			t.Errorf("%s: CodeOf = %v, want %v", tt.name, got, tt.want)
		}
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string { return "i/o timeout" }
func (timeoutErr) Timeout() bool { return true }

func TestErrorfKeepsCause(t *testing.T) {
	cause := io.ErrUnexpectedEOF
	err := errors.Errorf(errors.EndpointDisconnected, "reply truncated after %d bytes: %w", 10, cause)
	if errors.Unwrap(err) != cause {
		t.Fatalf("Unwrap = %v, want the cause", errors.Unwrap(err))
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Error("Is(err, cause) = false")
	}
	want := "wsgo: reply truncated after 10 bytes: unexpected EOF"
	if got := err.Error(); got != want {
		t.Errorf("Error() = %q, want %q (cause must not repeat)", got, want)
	}
}

func TestStringStack(t *testing.T) {
	err := errors.Errorf(errors.InvalidFormat, "value %q is not an xsd:int", "x1").
		AddString("element <Qty> at line 3").
		WithOp("read body")
	if got, want := err.Strings[0], "element <Qty> at line 3"; got != want {
		t.Errorf("Strings[0] = %q, want most recent %q", got, want)
	}
	want := `wsgo: read body: element <Qty> at line 3: value "x1" is not an xsd:int`
	if got := err.Error(); got != want {
		t.Errorf("Error() = %q\nwant      %q", got, want)
	}
	var bare errors.Error
	bare.Code = errors.InvalidOperation
	if !strings.Contains(bare.Error(), "not allowed in the object's current state") {
		t.Errorf("an *Error without strings explains its code: %q", bare.Error())
	}
}

func TestErrorCarriesFault(t *testing.T) {
	f := &errors.Fault{
		Code: errors.FaultCode{
			Value:   xml.Name{Space: "http://www.w3.org/2003/05/soap-envelope", Local: "Sender"},
			Subcode: &errors.FaultCode{Value: xml.Name{Space: "urn:calc", Local: "DivideByZero"}},
		},
		Reasons: []errors.FaultReason{{Text: "division by zero", Lang: "en"}, {Text: "Division durch null", Lang: "de"}},
	}
	err := &errors.Error{Code: errors.EndpointFaultReceived, Op: "call Divide", Fault: f}
	if got, want := err.Error(), "wsgo: call Divide: service returned fault Sender/DivideByZero: division by zero"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got := f.ReasonFor("de"); got != "Division durch null" {
		t.Errorf("ReasonFor(de) = %q", got)
	}
	if got := f.ReasonFor("en-GB"); got != "division by zero" {
		t.Errorf("ReasonFor(en-GB) falls back to the first reason, got %q", got)
	}
	if !f.HasCode("urn:calc", "DivideByZero") || f.HasCode("urn:calc", "Overflow") {
		t.Error("HasCode walks the subcode chain")
	}
	if got := len(f.Codes()); got != 2 {
		t.Errorf("Codes() has %d levels, want 2", got)
	}
}
