module github.com/wsgo/wsgo

go 1.26.0

require (
	github.com/Azure/go-ntlmssp v0.1.1
	github.com/beevik/etree v1.8.1
	github.com/google/go-cmp v0.7.0
	github.com/hooklift/gowsdl v0.5.1-0.20240801015259-2a06cec86c50
	github.com/icholy/digest v1.2.0
	github.com/jcmturner/gofork v1.7.6
	github.com/jcmturner/gokrb5/v8 v8.4.4
	github.com/russellhaering/goxmldsig v1.6.1
	go.uber.org/goleak v1.3.0
	golang.org/x/crypto v0.58.0
	golang.org/x/term v0.47.0
)

require (
	github.com/hashicorp/go-uuid v1.0.3 // indirect
	github.com/jcmturner/aescts/v2 v2.0.0 // indirect
	github.com/jcmturner/dnsutils/v2 v2.0.0 // indirect
	github.com/jcmturner/goidentity/v6 v6.0.1 // indirect
	github.com/jcmturner/rpc/v2 v2.0.3 // indirect
	golang.org/x/net v0.62.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
)
