package iam_test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	api "github.com/bulwarkhq/bulwark/internal/api/sts"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/internal/iam"
	stssvc "github.com/bulwarkhq/bulwark/internal/service/sts"
	"github.com/bulwarkhq/bulwark/internal/sessiontoken"
	"github.com/bulwarkhq/bulwark/internal/totp"
)

// enabledDevice enables a new virtual MFA device for userName ("" is root) and returns its
// serial, its seed and the first time at which a fresh code can be accepted.
func (f *fixture) enabledDevice(userName, name string) (string, []byte, time.Time) {
	f.t.Helper()
	d, seed := f.device("", name)
	c1, c2 := f.pair(seed)
	f.ok(f.svc.EnableMFADevice(f.ctx, acct, userName, d.SerialNumber, c1, c2))
	return d.SerialNumber, seed, f.clock.Now().Add(totp.Period)
}

// wrongCode returns a well-formed code that no step within VerifyMFA's window of at accepts.
func wrongCode(seed []byte, at time.Time) string {
	valid := map[string]bool{}
	for i := -2; i <= 2; i++ {
		valid[totp.Generate(seed, at.Add(time.Duration(i)*totp.Period))] = true
	}
	for _, c := range []string{"000000", "111111", "222222", "333333", "444444", "555555"} {
		if !valid[c] {
			return c
		}
	}
	panic("unreachable")
}

type mfaTry struct {
	after time.Duration // since the previous attempt
	code  string        // "right", "wrong" or "bad" (malformed)
	want  string        // "ok", "invalid" (refused after a check) or "locked"
}

func tries(n int, after time.Duration, code, want string) []mfaTry {
	out := make([]mfaTry, n)
	for i := range out {
		out[i] = mfaTry{code: code, want: want}
	}
	if n > 0 {
		out[0].after = after
	}
	return out
}

func seq(parts ...[]mfaTry) []mfaTry {
	var out []mfaTry
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// TestVerifyMFALockout runs sequences of codes against a device of an IAM user and of the
// root user, with the time of each attempt injected.
func TestVerifyMFALockout(t *testing.T) {
	const s = time.Second
	cases := []struct {
		name  string
		tries []mfaTry
	}{
		{"four failures are free", seq(tries(4, 0, "wrong", "invalid"), tries(1, 0, "right", "ok"))},
		{"the fifth failure locks for 30s; a correct code is refused while locked", seq(
			tries(5, 0, "wrong", "invalid"),
			tries(1, 0, "right", "locked"),
			tries(1, 29*s, "right", "locked"),
			tries(1, 1*s, "right", "ok"))},
		{"malformed codes count", seq(tries(5, 0, "bad", "invalid"), tries(1, 0, "right", "locked"))},
		{"attempts while locked are not counted", seq(
			tries(5, 0, "wrong", "invalid"),
			tries(20, 1*s, "wrong", "locked"),
			tries(1, 29*s, "right", "ok"))},
		{"success resets the count", seq(
			tries(4, 0, "wrong", "invalid"),
			tries(1, 0, "right", "ok"),
			tries(4, 30*s, "wrong", "invalid"),
			tries(1, 0, "right", "ok"))},
		{"each further failure doubles the lockout", seq(
			tries(5, 0, "wrong", "invalid"),    // locked 30s
			tries(1, 30*s, "wrong", "invalid"), // locked 60s
			tries(1, 59*s, "right", "locked"),
			tries(1, 1*s, "wrong", "invalid"), // locked 120s
			tries(1, 119*s, "right", "locked"),
			tries(1, 1*s, "right", "ok"))},
		{"the lockout is capped at 15 minutes", seq(
			tries(5, 0, "wrong", "invalid"),     // 30s
			tries(1, 30*s, "wrong", "invalid"),  // 60s
			tries(1, 60*s, "wrong", "invalid"),  // 120s
			tries(1, 120*s, "wrong", "invalid"), // 240s
			tries(1, 240*s, "wrong", "invalid"), // 480s
			tries(1, 480*s, "wrong", "invalid"), // 900s, not 960s
			tries(1, 900*s, "wrong", "invalid"), // 900s again
			tries(1, 899*s, "right", "locked"),
			tries(1, 1*s, "right", "ok"))},
		{"failures are forgotten after 15 quiet minutes", seq(
			tries(4, 0, "wrong", "invalid"),
			tries(4, 15*time.Minute, "wrong", "invalid"),
			tries(1, 0, "right", "ok"))},
		{"the quiet period starts when the lockout ends", seq(
			tries(5, 0, "wrong", "invalid"),                     // locked 30s
			tries(1, 30*s+15*time.Minute-s, "wrong", "invalid"), // 6th: locked 60s
			tries(1, 0, "right", "locked"),
			tries(1, 60*s+15*time.Minute, "wrong", "invalid"), // forgotten: the 1st again
			tries(1, 0, "right", "ok"))},
	}
	for _, tc := range cases {
		for _, owner := range []string{"ann", ""} {
			who := "user"
			if owner == "" {
				who = "root"
			}
			t.Run(tc.name+"/"+who, func(t *testing.T) {
				f := newFixture(t)
				if owner != "" {
					f.user(owner)
				}
				serial, seed, at := f.enabledDevice(owner, "dev")
				start := at
				for i, tr := range tc.tries {
					at = at.Add(tr.after)
					code := map[string]string{"right": totp.Generate(seed, at), "wrong": wrongCode(seed, at), "bad": "12a456"}[tr.code]
					err := f.svc.VerifyMFA(f.ctx, acct, serial, code, at)
					got := "ok"
					switch {
					case err == nil:
					case errors.Is(err, iam.ErrMFALocked):
						got = "locked"
					default:
						got = "invalid"
					}
					if got != tr.want {
						t.Fatalf("attempt %d (%s code at +%v): %s (%v), want %s", i+1, tr.code, at.Sub(start), got, err, tr.want)
					}
					if err != nil {
						// Locked or not, the client sees exactly the answer to a wrong code.
						wantErr(t, err, invalidCode, 403, "Authentication code for device is not valid.")
					}
					if tr.want == "ok" {
						at = at.Add(totp.Period) // the step is spent
					}
				}
			})
		}
	}
}

// TestVerifyMFALockoutConcurrent races many wrong codes: every one is counted until the
// device locks (so it locks after exactly five, for 30 s), and the rest are refused unchecked.
func TestVerifyMFALockoutConcurrent(t *testing.T) {
	f := newFixture(t)
	f.user("ann")
	serial, seed, at := f.enabledDevice("ann", "dev")
	wrong := wrongCode(seed, at)
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- f.svc.VerifyMFA(f.ctx, acct, serial, wrong, at)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		wantErr(t, err, invalidCode, 403, "")
	}
	if err := f.svc.VerifyMFA(f.ctx, acct, serial, totp.Generate(seed, at), at.Add(29*time.Second)); !errors.Is(err, iam.ErrMFALocked) {
		t.Fatalf("a correct code after 32 concurrent wrong ones: %v, want the lockout", err)
	}
	// Five failures lock for 30 s; six or more counted would lock for longer.
	later := at.Add(30 * time.Second)
	f.ok(f.svc.VerifyMFA(f.ctx, acct, serial, totp.Generate(seed, later), later))
}

// TestVerifyMFALockoutClearedByResync: two consecutive codes prove possession and clear it.
func TestVerifyMFALockoutClearedByResync(t *testing.T) {
	f := newFixture(t)
	f.user("ann")
	serial, seed, at := f.enabledDevice("ann", "dev")
	for range 5 {
		wantErr(t, f.svc.VerifyMFA(f.ctx, acct, serial, wrongCode(seed, at), at), invalidCode, 403, "")
	}
	f.clock.Advance(2 * totp.Period)
	c1, c2 := f.pair(seed)
	f.ok(f.svc.ResyncMFADevice(f.ctx, acct, "ann", serial, c1, c2))
	later := f.clock.Now().Add(totp.Period)
	f.ok(f.svc.VerifyMFA(f.ctx, acct, serial, totp.Generate(seed, later), later))
}

// TestSTSMFALockout checks the STS answer: a correct TokenCode on a locked device gets the
// very answer of a wrong code.
func TestSTSMFALockout(t *testing.T) {
	f := newFixture(t)
	u := f.user("ann")
	serial, seed, at := f.enabledDevice("ann", "dev")
	sealer, err := sessiontoken.NewSealer(bytes.Repeat([]byte{7}, sessiontoken.KeySize))
	f.ok(err)
	svc := stssvc.New(f.svc, sealer, func() time.Time { return at })
	ctx := caller.NewContext(context.Background(), &caller.Request{Region: "us-east-1", Principal: caller.Principal{
		Kind: caller.IAMUser, Account: acct, ARN: u.ARN, ID: u.UserID, UserName: "ann", AccessKeyID: "AKIAEXAMPLEEXAMPLE00"}})
	get := func(code string) error {
		_, err := svc.GetSessionToken(ctx, &api.GetSessionTokenInput{SerialNumber: ptr(serial), TokenCode: ptr(code)})
		return err
	}
	var first *awserr.Error
	for i := range 5 {
		err := get(wrongCode(seed, at))
		var ae *awserr.Error
		if !errors.As(err, &ae) || ae.Code != "AccessDenied" {
			t.Fatalf("wrong code %d: %v", i+1, err)
		}
		first = ae
	}
	err = get(totp.Generate(seed, at))
	var ae *awserr.Error
	if !errors.As(err, &ae) || ae.Code != first.Code || ae.Message != first.Message || ae.Status != first.Status {
		t.Fatalf("correct code while locked: %v; wrong code: %v", err, first)
	}
}

// TestConsoleMFALockoutIsLoggable: console sign-in sees the same InvalidAuthenticationCode
// for a locked device, with ErrMFALocked as its cause so that the lockout can be logged.
func TestConsoleMFALockoutIsLoggable(t *testing.T) {
	f := newFixture(t)
	f.user("ann")
	serial, seed, at := f.enabledDevice("ann", "dev")
	id := iam.ConsoleIdentity{Account: acct, UserName: "ann", MFASerials: []string{serial}}
	for range 5 {
		err := f.svc.VerifyConsoleMFA(f.ctx, id, "", wrongCode(seed, at), at)
		if errors.Is(err, iam.ErrMFALocked) {
			t.Fatal("locked before five refused codes")
		}
	}
	err := f.svc.VerifyConsoleMFA(f.ctx, id, "", totp.Generate(seed, at), at)
	wantErr(t, err, invalidCode, 403, "")
	if !errors.Is(err, iam.ErrMFALocked) {
		t.Fatalf("a locked device's refusal does not say so to the caller's logs: %v", err)
	}
}
