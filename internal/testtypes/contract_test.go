package testtypes_test

import (
	"encoding/xml"
	"os"
	"slices"
	"testing"
)

// contract is the part of a WSDL the interop tests depend on, read with
// encoding/xml so both SOAP binding extensions are visible (gowsdl's model only
// has the SOAP 1.1 one).
type contract struct {
	TargetNamespace string `xml:"targetNamespace,attr"`
	Bindings        []struct {
		Name   string `xml:"name,attr"`
		Soap11 *struct {
			Transport string `xml:"transport,attr"`
		} `xml:"http://schemas.xmlsoap.org/wsdl/soap/ binding"`
		Soap12 *struct {
			Transport string `xml:"transport,attr"`
		} `xml:"http://schemas.xmlsoap.org/wsdl/soap12/ binding"`
		Ops []struct {
			Name     string `xml:"name,attr"`
			Action11 struct {
				Action string `xml:"soapAction,attr"`
			} `xml:"http://schemas.xmlsoap.org/wsdl/soap/ operation"`
			Action12 struct {
				Action string `xml:"soapAction,attr"`
			} `xml:"http://schemas.xmlsoap.org/wsdl/soap12/ operation"`
		} `xml:"http://schemas.xmlsoap.org/wsdl/ operation"`
	} `xml:"http://schemas.xmlsoap.org/wsdl/ binding"`
	Ports []struct {
		Name      string `xml:"name,attr"`
		Address11 struct {
			Location string `xml:"location,attr"`
		} `xml:"http://schemas.xmlsoap.org/wsdl/soap/ address"`
		Address12 struct {
			Location string `xml:"location,attr"`
		} `xml:"http://schemas.xmlsoap.org/wsdl/soap12/ address"`
	} `xml:"http://schemas.xmlsoap.org/wsdl/ service>port"`
}

func readContract(t *testing.T, path string) contract {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var c contract
	if err := xml.Unmarshal(b, &c); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return c
}

// TestCalcContract pins the interop contract every test peer implements: the
// namespace, one SOAP 1.1 and one SOAP 1.2 binding with the agreed SOAPActions,
// and a port per binding at the agreed addresses.
func TestCalcContract(t *testing.T) {
	c := readContract(t, "wsdl/calc.wsdl")
	if c.TargetNamespace != "http://example.com/calc" {
		t.Errorf("targetNamespace = %q", c.TargetNamespace)
	}
	wantActions := map[string]string{
		"Add":  "http://example.com/calc/Add",
		"Echo": "http://example.com/calc/Echo",
	}
	var saw11, saw12 bool
	for _, b := range c.Bindings {
		is11, is12 := b.Soap11 != nil, b.Soap12 != nil
		if is11 == is12 {
			t.Errorf("binding %s: want exactly one of soap:binding and soap12:binding", b.Name)
			continue
		}
		saw11, saw12 = saw11 || is11, saw12 || is12
		var names []string
		for _, op := range b.Ops {
			names = append(names, op.Name)
			action := op.Action11.Action
			if is12 {
				action = op.Action12.Action
			}
			if action != wantActions[op.Name] {
				t.Errorf("binding %s, operation %s: soapAction = %q, want %q", b.Name, op.Name, action, wantActions[op.Name])
			}
		}
		slices.Sort(names)
		if !slices.Equal(names, []string{"Add", "Echo"}) {
			t.Errorf("binding %s: operations %v, want [Add Echo]", b.Name, names)
		}
	}
	if !saw11 || !saw12 {
		t.Errorf("bindings: SOAP 1.1 present %v, SOAP 1.2 present %v; want both", saw11, saw12)
	}
	var addrs []string
	for _, p := range c.Ports {
		addrs = append(addrs, p.Address11.Location+p.Address12.Location)
	}
	slices.Sort(addrs)
	want := []string{"http://localhost:8080/calc/soap11", "http://localhost:8080/calc/soap12"}
	if !slices.Equal(addrs, want) {
		t.Errorf("port addresses %v, want %v", addrs, want)
	}
}

// TestOrdersSOAPActions checks that every orders operation has a SOAP 1.1
// binding operation with an action, as the generated client relies on.
func TestOrdersSOAPActions(t *testing.T) {
	c := readContract(t, "wsdl/orders.wsdl")
	if len(c.Bindings) != 1 || c.Bindings[0].Soap11 == nil {
		t.Fatalf("want one SOAP 1.1 binding, got %d bindings", len(c.Bindings))
	}
	var names []string
	for _, op := range c.Bindings[0].Ops {
		names = append(names, op.Name)
		if want := "http://example.com/orders/" + op.Name; op.Action11.Action != want {
			t.Errorf("operation %s: soapAction %q, want %q", op.Name, op.Action11.Action, want)
		}
	}
	slices.Sort(names)
	if want := []string{"CancelOrder", "GetOrder", "PlaceOrder"}; !slices.Equal(names, want) {
		t.Errorf("operations %v, want %v", names, want)
	}
}
