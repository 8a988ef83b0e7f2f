package message

import (
	"encoding/xml"
	"strconv"

	"github.com/beevik/etree"
)

// UpgradeHeader returns SOAP 1.2's Upgrade header block (SOAP 1.2 Part 1
// §5.4.7), which a VersionMismatch fault should carry: one
// SupportedEnvelope per version, in order of preference (SOAP 1.2 then
// SOAP 1.1 when none is given; EnvelopeNone is left out). Add it with
// AddCustomHeader to the fault message; it is in the SOAP 1.2 namespace
// in either envelope version, as Appendix A prescribes for SOAP 1.1
// replies.
func UpgradeHeader(supported ...EnvelopeVersion) *etree.Element {
	if len(supported) == 0 {
		supported = []EnvelopeVersion{SOAP12, SOAP11}
	}
	up := etree.NewElement("env:Upgrade")
	up.CreateAttr("xmlns:env", NamespaceSOAP12)
	n := 0
	for _, v := range supported {
		ns := v.Namespace()
		if ns == "" {
			continue
		}
		n++
		p := "v" + strconv.Itoa(n)
		se := up.CreateElement("env:SupportedEnvelope")
		se.CreateAttr("xmlns:"+p, ns)
		se.CreateAttr("qname", p+":Envelope")
	}
	return up
}

// NotUnderstoodHeader returns SOAP 1.2's NotUnderstood header block for
// the header named name (SOAP 1.2 Part 1 §5.4.8): a SOAP 1.2
// MustUnderstand fault may carry one per header it did not understand
// (MustUnderstandError.Headers). SOAP 1.1 has no such header.
func NotUnderstoodHeader(name xml.Name) *etree.Element {
	nu := etree.NewElement("env:NotUnderstood")
	nu.CreateAttr("xmlns:env", NamespaceSOAP12)
	switch name.Space {
	case "":
		nu.CreateAttr("qname", name.Local)
	case NamespaceSOAP12:
		nu.CreateAttr("qname", "env:"+name.Local)
	default:
		nu.CreateAttr("xmlns:h", name.Space)
		nu.CreateAttr("qname", "h:"+name.Local)
	}
	return nu
}
