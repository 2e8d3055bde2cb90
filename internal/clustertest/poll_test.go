package clustertest

import (
	"errors"
	"testing"
	"time"
)

func TestPollErrReturnsOnceTheCheckPasses(t *testing.T) {
	calls := 0
	err := PollErr(time.Second, time.Millisecond, func() error {
		calls++
		if calls < 3 {
			return errors.New("not yet")
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Fatalf("err %v after %d calls, want nil after 3", err, calls)
	}
}

func TestPollErrReportsTheLastErrorAtTheDeadline(t *testing.T) {
	calls := 0
	err := PollErr(20*time.Millisecond, time.Millisecond, func() error {
		calls++
		return errors.New("still down")
	})
	if err == nil || err.Error() != "still down" || calls < 2 {
		t.Fatalf("err %v after %d calls, want the check's error after several", err, calls)
	}
}
