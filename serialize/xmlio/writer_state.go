package xmlio

import (
	"strconv"

	"github.com/wsgo/wsgo/errors"
)

// wrState is where the writer is, as far as which calls are allowed.
type wrState uint8

const (
	wrStateBeforeRoot  wrState = iota // nothing or only a declaration/comments written
	wrStateStartTag                   // an element's start tag is open: attributes may follow
	wrStateContent                    // inside an element, its start tag closed
	wrStateAfterRoot                  // the root element has ended
	wrStatePendingText                // between AppendText and CommitText
	wrStatePendingAttr                // between StartAttr and EndAttr
	wrStateCount
)

// wrCall is a group of writer methods that the state table treats alike.
type wrCall uint8

const (
	wrCallDeclaration  wrCall = iota // WriteDeclaration
	wrCallStartElement               // StartElement
	wrCallEndElement                 // EndElement
	wrCallStartTagItem               // Attr, AttrBytes, StartAttr, DeclareNamespace
	wrCallContent                    // Text, TextBytes, Base64, Hex, Int, Uint, CData, AppendText
	wrCallMarkup                     // Comment, Raw
	wrCallCommitText                 // CommitText
	wrCallEndAttr                    // EndAttr
	wrCallCount
)

// The reasons a call is refused, completing "<call> <where>: ...".
const (
	wrNoOpenElement   = "no element is open; each EndElement must match a StartElement"
	wrNoStartTag      = "it needs an open start tag"
	wrOutsideRoot     = "character data must be inside the root element"
	wrDeclNotFirst    = "the XML declaration must come first"
	wrStartTagClosed  = "the start tag was closed by the element's content or children; add attributes and declarations right after StartElement"
	wrSecondRoot      = "an XML document has exactly one root element"
	wrNoAppendText    = "there is no matching AppendText"
	wrNoStartAttr     = "there is no matching StartAttr"
	wrTextNotCommited = "the value begun with AppendText is not committed; call CommitText first"
	wrAttrNotEnded    = "the value begun with StartAttr is not ended; call EndAttr first"
)

// wrRefusals is the writer's transition table: wrRefusals[state][call] is
// empty when the call is allowed in that state, else why it is not. A
// refused call records an InvalidOperation error and changes nothing.
// (WriteDeclaration is further limited to the very first call.)
var wrRefusals = [wrStateCount][wrCallCount]string{
	wrStateBeforeRoot: {
		wrCallEndElement:   wrNoOpenElement,
		wrCallStartTagItem: wrNoStartTag,
		wrCallContent:      wrOutsideRoot,
		wrCallCommitText:   wrNoAppendText,
		wrCallEndAttr:      wrNoStartAttr,
	},
	wrStateStartTag: {
		wrCallDeclaration: wrDeclNotFirst,
		wrCallCommitText:  wrNoAppendText,
		wrCallEndAttr:     wrNoStartAttr,
	},
	wrStateContent: {
		wrCallDeclaration:  wrDeclNotFirst,
		wrCallStartTagItem: wrStartTagClosed,
		wrCallCommitText:   wrNoAppendText,
		wrCallEndAttr:      wrNoStartAttr,
	},
	wrStateAfterRoot: {
		wrCallDeclaration:  wrDeclNotFirst,
		wrCallStartElement: wrSecondRoot,
		wrCallEndElement:   wrNoOpenElement,
		wrCallStartTagItem: wrNoStartTag,
		wrCallContent:      wrOutsideRoot,
		wrCallCommitText:   wrNoAppendText,
		wrCallEndAttr:      wrNoStartAttr,
	},
	wrStatePendingText: {
		wrCallDeclaration:  wrTextNotCommited,
		wrCallStartElement: wrTextNotCommited,
		wrCallEndElement:   wrTextNotCommited,
		wrCallStartTagItem: wrTextNotCommited,
		wrCallContent:      wrTextNotCommited,
		wrCallMarkup:       wrTextNotCommited,
		wrCallEndAttr:      wrTextNotCommited,
	},
	wrStatePendingAttr: {
		wrCallDeclaration:  wrAttrNotEnded,
		wrCallStartElement: wrAttrNotEnded,
		wrCallEndElement:   wrAttrNotEnded,
		wrCallStartTagItem: wrAttrNotEnded,
		wrCallContent:      wrAttrNotEnded,
		wrCallMarkup:       wrAttrNotEnded,
		wrCallCommitText:   wrAttrNotEnded,
	},
}

// currentState derives the table's state from the writer's fields.
func (w *Writer) currentState() wrState {
	switch {
	case w.pending == wrPendingText:
		return wrStatePendingText
	case w.pending == wrPendingAttr:
		return wrStatePendingAttr
	case len(w.open) > 0 && w.inStartTag:
		return wrStateStartTag
	case len(w.open) > 0:
		return wrStateContent
	case w.state == wrAfterRoot:
		return wrStateAfterRoot
	}
	return wrStateBeforeRoot
}

// allow reports whether call may proceed: no error is recorded and the state
// table allows it. Otherwise it records why not, naming the call by what
// and, for a named item, by prefix and local (joined only on failure, so the
// allowed path does not allocate).
func (w *Writer) allow(call wrCall, what, prefix, local string) bool {
	if w.err != nil {
		return false
	}
	reason := wrRefusals[w.currentState()][call]
	if reason == "" {
		return true
	}
	if prefix != "" || local != "" {
		what += " " + strconv.Quote(wrQName(prefix, local))
	}
	w.failf(errors.InvalidOperation, "%s %s: %s", what, w.where(), reason)
	return false
}

// wrOp is the Op of every error the writer records.
const wrOp = "write XML"

// failf records the first error; later ones are dropped because the output
// is already unusable.
func (w *Writer) failf(code errors.Code, format string, args ...any) {
	if w.err == nil {
		w.err = errors.Errorf(code, format, args...).WithOp(wrOp)
	}
}

// where describes the writer's position for error messages.
func (w *Writer) where() string {
	if n := len(w.open); n > 0 {
		e := &w.open[n-1]
		return "in element <" + wrQName(e.prefix, e.local) + ">"
	}
	if w.state == wrAfterRoot {
		return "after the root element <" + wrQName(w.rootPrefix, w.rootLocal) + "> ended"
	}
	return "before the root element"
}

// wrQName joins prefix and local as they appear in markup.
func wrQName(prefix, local string) string {
	if prefix == "" {
		return local
	}
	return prefix + ":" + local
}

// closeStartTag ends a start tag that may still receive attributes, because
// content or a child follows.
func (w *Writer) closeStartTag() {
	if w.inStartTag {
		w.buf = append(w.buf, '>')
		w.inStartTag = false
		w.attrs = w.attrs[:0]
	}
}

// beginContent checks that character data may be written now (inside the
// root element) and closes a pending start tag. what names the call for the
// message.
func (w *Writer) beginContent(what string) bool {
	if !w.allow(wrCallContent, what, "", "") {
		return false
	}
	w.closeStartTag()
	return true
}
