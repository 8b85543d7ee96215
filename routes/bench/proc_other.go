//go:build !linux

package bench

import (
	"errors"
	"syscall"
)

// errNoProc is returned where /proc is not available.
var errNoProc = errors.New("bench: process memory is only measured on Linux")

func childProcAttr() *syscall.SysProcAttr { return nil }

func readProcMemory(int) (rss, hwm int64, err error) { return 0, 0, errNoProc }
