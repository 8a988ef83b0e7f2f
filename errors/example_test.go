package errors_test

import (
	"fmt"

	"github.com/wsgo/wsgo/errors"
)

func ExampleCodeOf() {
	err := fmt.Errorf("fetch order: %w",
		errors.Quotaf("MaxBufferedMessageSize", "reply is larger than %d bytes", 65536))

	switch errors.CodeOf(err) {
	case errors.QuotaExceeded:
		var e *errors.Error
		errors.As(err, &e)
		fmt.Println("raise", e.Quota)
	case errors.EndpointUnreachable, errors.EndpointTooBusy:
		fmt.Println("retry later")
	}
	fmt.Println(errors.Is(err, errors.QuotaExceeded), errors.QuotaExceeded.WWSName())
	// Output:
	// raise MaxBufferedMessageSize
	// true WS_E_QUOTA_EXCEEDED
}
