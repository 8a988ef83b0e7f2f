package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/wsgo/wsgo/errors"
)

// passwordSource says where one password comes from, in the order wssend
// looks: a file, a named environment variable, the default environment
// variable, a prompt on the terminal.
type passwordSource struct {
	what       string // "service", "proxy", "WS-Security"
	user       string
	file       string
	env        string
	defaultEnv string
	optional   bool // Kerberos with a keytab or ccache needs none
}

// maxPasswordBytes bounds a password file's first line.
const maxPasswordBytes = 4096

// prompter reads a password from the terminal; tests replace it.
var prompter = promptTerminal

// resolve returns the password, or ok=false when optional and none given.
func (p passwordSource) resolve() (password string, ok bool, err error) {
	switch {
	case p.file != "":
		pw, err := readPasswordFile(p.file)
		return pw, err == nil, err
	case p.env != "":
		pw, set := os.LookupEnv(p.env)
		if !set {
			return "", false, usageErrorf("the %s password variable %s is not set", p.what, p.env)
		}
		return pw, true, nil
	}
	if pw, set := os.LookupEnv(p.defaultEnv); set {
		return pw, true, nil
	}
	if p.optional {
		return "", false, nil
	}
	pw, err := prompter(fmt.Sprintf("%s password for %s: ", p.what, p.user))
	if err != nil {
		return "", false, err
	}
	return pw, true, nil
}

// readPasswordFile returns the first line of a file, without its line end.
func readPasswordFile(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", usageErrorf("cannot read the password file: %v", err)
	}
	defer f.Close()
	line, err := bufio.NewReaderSize(io.LimitReader(f, maxPasswordBytes+2), maxPasswordBytes+2).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", usageErrorf("cannot read the password file %s: %v", name, err)
	}
	line = strings.TrimRight(line, "\r\n")
	if len(line) > maxPasswordBytes {
		return "", usageErrorf("the password file %s has a first line over %d bytes", name, maxPasswordBytes)
	}
	return line, nil
}

// promptTerminal asks on the controlling terminal, without echo.
func promptTerminal(prompt string) (string, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", errors.Errorf(errors.InvalidArgument,
			"no password given and no terminal to ask on: use -password-file, -password-env or $%s (and their -proxy-/-wss- forms)", envPassword)
	}
	defer tty.Close()
	fmt.Fprint(tty, prompt)
	pw, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(tty)
	if err != nil {
		return "", errors.Errorf(errors.InvalidArgument, "reading the password from the terminal: %v", err)
	}
	return string(pw), nil
}
