package main

import (
	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// channelOptions turns the transport flags into channel options: the
// envelope and addressing versions, the size quota, the proxy, TLS,
// authentication and WS-Security.
func channelOptions(o *options, env message.EnvelopeVersion, addr message.AddressingVersion) ([]channel.Option, error) {
	opts := []channel.Option{
		channel.WithEnvelope(env),
		channel.WithAddressing(addr),
		channel.WithMaxBufferedMessageSize(o.maxSize),
		// A text run (a base64 attachment) may be as long as the message;
		// the other reader limits keep the channel's defaults.
		channel.WithReaderOptions(xmlio.Options{MaxTokenBytes: int(o.maxSize)}),
	}
	switch o.proxy {
	case "env":
		opts = append(opts, channel.WithProxy(channel.ProxyAuto))
	case "none":
		opts = append(opts, channel.WithProxy(channel.ProxyNone))
	default:
		opts = append(opts, channel.WithCustomProxy(o.proxy))
	}
	sec, err := securityOptions(o)
	if err != nil {
		return nil, err
	}
	return append(opts, sec...), nil
}
