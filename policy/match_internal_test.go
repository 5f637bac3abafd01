package policy

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestMatchDirectAgreesWithResolve checks the part-by-part matcher against matching the
// resolved pattern, for patterns with variables in every mode.
func TestMatchDirectAgreesWithResolve(t *testing.T) {
	var r Request
	r.Context.Add("aws:username", "alice")
	r.Context.Add("svc:colon", "a:b")
	r.Context.Add("svc:star", "x*")
	r.Context.Add("svc:multi", "a", "b")
	var ec evalCtx
	ec.init(&r)
	patterns := []string{
		"arn:aws:s3:::reports/${aws:username}/*",
		"arn:aws:s3:::reports/${aws:username}",
		"arn:aws:s3:::${svc:colon}/*",
		"arn:aws:s3:::*/${aws:username}",
		"home/${aws:username}/?",
		"${svc:star}",
		"${svc:star}*",
		"${svc:missing}/x",
		"a/${svc:missing, 'dflt'}/*",
		"a/${svc:multi}/*",
		"${aws:username}${*}",
		"x/${svc:missing}",
		"arn:aws:svc:*:${aws:username}:*",
	}
	values := []string{
		"arn:aws:s3:::reports/alice/x", "arn:aws:s3:::reports/alice", "arn:aws:s3:::reports/bob/x",
		"arn:aws:s3:::a:b/x", "arn:aws:s3:::a:b:c/x", "arn:aws:s3:::bucket/alice", "home/alice/1", "home/alice/12",
		"x*", "xy", "x*y", "a/dflt/z", "alice*", "alice", "y/q", "arn:aws:svc:eu:alice:thing:1", "",
	}
	for _, ps := range patterns {
		for _, mode := range []matchMode{modeEqual, modeGlob, modeARN} {
			p := compilePattern(ps, true, 0, mode)
			for _, v := range values {
				m1, r1, done := p.matchDirect(&ec, v, mode)
				if !done {
					continue
				}
				var bb [256]byte
				b, mask, gi, ok := p.resolve(&ec, bb[:0])
				m2, r2 := false, ok
				if ok {
					switch mode {
					case modeEqual:
						m2 = string(b) == v
					default:
						m2 = glob(bytesString(b), mask, v, false, mode == modeARN, gi)
					}
				}
				if m1 != m2 || r1 != r2 {
					t.Errorf("%q mode %d value %q: direct (%v, %v), resolved (%v, %v)", ps, mode, v, m1, r1, m2, r2)
				}
			}
		}
	}
}

// refGlob is a plain recursive wildcard matcher: '*' matches any run, '?' one character.
func refGlob(p, s string) bool {
	if p == "" {
		return s == ""
	}
	switch p[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if refGlob(p[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && refGlob(p[1:], s[1:])
	}
	return s != "" && s[0] == p[0] && refGlob(p[1:], s[1:])
}

// refARN matches ARN segment by segment: the pattern's first segments each match one
// segment of the value, and its last segment (the sixth, or the last of a shorter
// pattern) matches the rest of the value.
func refARN(p, s string) bool {
	ps := strings.SplitN(p, ":", 6)
	ss := strings.SplitN(s, ":", 6)
	k := len(ps)
	if len(ss) < k {
		return false
	}
	for i := 0; i < k-1; i++ {
		if !refGlob(ps[i], ss[i]) {
			return false
		}
	}
	return refGlob(ps[k-1], strings.Join(ss[k-1:], ":"))
}

// TestGlobAgreesWithReference compares glob with the plain matchers on random patterns
// and values over a small alphabet, where colons and wildcards meet often.
func TestGlobAgreesWithReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	word := func(alphabet string, max int) string {
		n := rng.IntN(max + 1)
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	for range 200000 {
		p := word("ab:*?", 12)
		s := word("ab:", 12)
		if got, want := glob(p, nil, s, false, false, scanGlob(p)), refGlob(p, s); got != want {
			t.Fatalf("glob(%q, %q) = %v, want %v", p, s, got, want)
		}
		if got, want := glob(p, nil, s, false, true, scanGlob(p)), refARN(p, s); got != want {
			t.Fatalf("ARN glob(%q, %q) = %v, want %v", p, s, got, want)
		}
		u := word("aAbB:", 12)
		if got, want := glob(p, nil, u, true, false, scanGlob(p)), refGlob(p, strings.ToLower(u)); got != want {
			t.Fatalf("folding glob(%q, %q) = %v, want %v", p, u, got, want)
		}
	}
}

func TestDerivedKeyHashes(t *testing.T) {
	if keyHash("aws:currenttime") != hashCurrentTime || keyHash("aws:epochtime") != hashEpochTime {
		t.Fatal("hashCurrentTime or hashEpochTime is not keyHash of its key")
	}
}
