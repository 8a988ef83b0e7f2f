package errors

import stderrors "errors"

// Is reports whether any error in err's tree matches target. It is the
// standard library's errors.Is; a [Code] used as target matches any *Error
// carrying that code.
func Is(err, target error) bool { return stderrors.Is(err, target) }

// As finds the first error in err's tree that matches target. It is the
// standard library's errors.As.
func As(err error, target any) bool { return stderrors.As(err, target) }

// New returns an error whose text is the given string, exactly as the
// standard library's errors.New. Use [Errorf] for an error with a Code.
func New(text string) error { return stderrors.New(text) }

// Join returns an error that wraps the given errors, as the standard
// library's errors.Join.
func Join(errs ...error) error { return stderrors.Join(errs...) }

// Unwrap returns the result of calling the Unwrap method on err, as the
// standard library's errors.Unwrap.
func Unwrap(err error) error { return stderrors.Unwrap(err) }

// ErrUnsupported is the standard library's errors.ErrUnsupported.
var ErrUnsupported = stderrors.ErrUnsupported
