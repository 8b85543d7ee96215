//go:build !linux

package bench

import "syscall"

func childProcAttr() *syscall.SysProcAttr { return nil }

func readProcMemory(int) (rss, hwm int64, err error) { return 0, 0, errNoProc }
