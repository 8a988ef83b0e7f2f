package xmlio

import "testing"

func TestReaderDepth(t *testing.T) {
	r := NewReader([]byte("<a>x<b><!--c--></b>y</a>"), &Options{ReportComments: true})
	want := []struct {
		kind  Kind
		depth int
	}{
		{StartElement, 1}, {Text, 2}, {StartElement, 2}, {Comment, 3},
		{EndElement, 2}, {Text, 2}, {EndElement, 1}, {EOF, 0},
	}
	for i, w := range want {
		k, err := r.Next()
		if err != nil {
			t.Fatalf("node %d: %v", i, err)
		}
		if k != w.kind || r.Depth() != w.depth {
			t.Errorf("node %d: %v at depth %d, want %v at depth %d", i, k, r.Depth(), w.kind, w.depth)
		}
	}
}
