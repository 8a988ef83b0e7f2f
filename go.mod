module github.com/wsgo/wsgo

go 1.26

require (
	github.com/beevik/etree v1.8.1
	github.com/google/go-cmp v0.7.0
	github.com/hooklift/gowsdl v0.5.1-0.20240801015259-2a06cec86c50
	go.uber.org/goleak v1.3.0
)
