package serialize

import (
	"reflect"
	"unsafe"
)

// textFuncs call the lexical methods of this package's own value types
// directly, without building an interface value through reflect on every
// use: these types (Decimal, DateTime, ...) are the common case in SOAP
// bodies. Their text never needs escaping, so encoding appends it straight
// into the writer's buffer.
type textFuncs struct {
	append func(p unsafe.Pointer, dst []byte) ([]byte, error)
	parse  func(p unsafe.Pointer, b []byte) error
}

var ownTextFuncs = map[reflect.Type]*textFuncs{
	reflect.TypeFor[Decimal](): {
		func(p unsafe.Pointer, dst []byte) ([]byte, error) { return (*Decimal)(p).AppendText(dst) },
		func(p unsafe.Pointer, b []byte) error { return (*Decimal)(p).UnmarshalText(b) },
	},
	reflect.TypeFor[DateTime](): {
		func(p unsafe.Pointer, dst []byte) ([]byte, error) { return (*DateTime)(p).AppendText(dst) },
		func(p unsafe.Pointer, b []byte) error { return (*DateTime)(p).UnmarshalText(b) },
	},
	reflect.TypeFor[Date](): {
		func(p unsafe.Pointer, dst []byte) ([]byte, error) { return (*Date)(p).AppendText(dst) },
		func(p unsafe.Pointer, b []byte) error { return (*Date)(p).UnmarshalText(b) },
	},
	reflect.TypeFor[Time](): {
		func(p unsafe.Pointer, dst []byte) ([]byte, error) { return (*Time)(p).AppendText(dst) },
		func(p unsafe.Pointer, b []byte) error { return (*Time)(p).UnmarshalText(b) },
	},
	reflect.TypeFor[Duration](): {
		func(p unsafe.Pointer, dst []byte) ([]byte, error) { return (*Duration)(p).AppendText(dst) },
		func(p unsafe.Pointer, b []byte) error { return (*Duration)(p).UnmarshalText(b) },
	},
	reflect.TypeFor[GUID](): {
		func(p unsafe.Pointer, dst []byte) ([]byte, error) { return (*GUID)(p).AppendText(dst) },
		func(p unsafe.Pointer, b []byte) error { return (*GUID)(p).UnmarshalText(b) },
	},
	reflect.TypeFor[HexBinary](): {
		func(p unsafe.Pointer, dst []byte) ([]byte, error) { return (*HexBinary)(p).AppendText(dst) },
		func(p unsafe.Pointer, b []byte) error { return (*HexBinary)(p).UnmarshalText(b) },
	},
}
