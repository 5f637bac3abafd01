package signin

import (
	"container/list"
	"math"
	"sync"
	"time"
)

// Limits configures sign-in throttling. The zero value of a field means its default.
type Limits struct {
	// SourceBurst and SourceEvery are the token bucket of one source address: at most
	// SourceBurst attempts at once, then one per SourceEvery (default 10, then one per 6 s).
	SourceBurst int
	SourceEvery time.Duration
	// FreeFailures is how many consecutive failed sign-ins one identity (root email, or
	// account and user name, known or not) may have before it is locked out (default 5).
	// Each later failure doubles the lockout, from LockoutBase (default 30 s) up to
	// LockoutMax (default 15 min).
	FreeFailures int
	LockoutBase  time.Duration
	LockoutMax   time.Duration
	// ForgetAfter is how long after its last failure an identity's count is forgotten
	// (default 15 min).
	ForgetAfter time.Duration
	// MaxEntries bounds each in-memory table (sources and identities); the least recently
	// used entry is dropped beyond it (default 10000).
	MaxEntries int
}

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defD := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.SourceBurst, 10)
	defD(&l.SourceEvery, 6*time.Second)
	def(&l.FreeFailures, 5)
	defD(&l.LockoutBase, 30*time.Second)
	defD(&l.LockoutMax, 15*time.Minute)
	defD(&l.ForgetAfter, 15*time.Minute)
	def(&l.MaxEntries, 10000)
	return l
}

// entry is one source's bucket or one identity's failure record.
type entry struct {
	key string
	// token bucket (sources)
	tokens float64
	filled time.Time
	// failures (identities)
	failures    int
	lastFailure time.Time
	lockedUntil time.Time
}

// table is a bounded LRU map of entries.
type table struct {
	max int
	ll  *list.List
	m   map[string]*list.Element
}

func newTable(max int) *table {
	return &table{max: max, ll: list.New(), m: map[string]*list.Element{}}
}

// get returns the entry for key, creating it (and evicting the least recently used entry when
// full) if needed; fresh reports a new entry.
func (t *table) get(key string) (e *entry, fresh bool) {
	if el, ok := t.m[key]; ok {
		t.ll.MoveToFront(el)
		return el.Value.(*entry), false
	}
	if t.ll.Len() >= t.max {
		old := t.ll.Back()
		t.ll.Remove(old)
		delete(t.m, old.Value.(*entry).key)
	}
	e = &entry{key: key}
	t.m[key] = t.ll.PushFront(e)
	return e, true
}

func (t *table) peek(key string) *entry {
	if el, ok := t.m[key]; ok {
		return el.Value.(*entry)
	}
	return nil
}

func (t *table) remove(key string) {
	if el, ok := t.m[key]; ok {
		t.ll.Remove(el)
		delete(t.m, key)
	}
}

// throttle holds the sign-in limits of this process. It is in memory on purpose: it needs no
// write per attempt and forgets nothing important on restart. Each node of a cluster keeps its
// own, so a cluster of n nodes allows up to n times the rate.
type throttle struct {
	lim Limits

	mu         sync.Mutex
	sources    *table
	identities *table
}

func newThrottle(lim Limits) *throttle {
	lim = lim.withDefaults()
	return &throttle{lim: lim, sources: newTable(lim.MaxEntries), identities: newTable(lim.MaxEntries)}
}

// admit takes one token from the source's bucket and checks the identity's lockout. It
// returns 0, or how long the caller should wait before trying again.
func (th *throttle) admit(source, identity string, now time.Time) time.Duration {
	th.mu.Lock()
	defer th.mu.Unlock()
	if id := th.identities.peek(identity); id != nil {
		if now.Sub(id.lastFailure) >= th.lim.ForgetAfter && !now.Before(id.lockedUntil) {
			th.identities.remove(identity)
		} else if now.Before(id.lockedUntil) {
			return id.lockedUntil.Sub(now)
		}
	}
	s, fresh := th.sources.get(source)
	burst := float64(th.lim.SourceBurst)
	if fresh {
		s.tokens, s.filled = burst, now
	} else if el := now.Sub(s.filled); el > 0 {
		s.tokens = math.Min(burst, s.tokens+float64(el)/float64(th.lim.SourceEvery))
		s.filled = now
	}
	if s.tokens < 1 {
		return time.Duration((1 - s.tokens) * float64(th.lim.SourceEvery))
	}
	s.tokens--
	return 0
}

// failed records a failed sign-in of identity and returns the lockout it now has, if any.
func (th *throttle) failed(identity string, now time.Time) time.Duration {
	th.mu.Lock()
	defer th.mu.Unlock()
	e, _ := th.identities.get(identity)
	if !e.lastFailure.IsZero() && now.Sub(e.lastFailure) >= th.lim.ForgetAfter {
		e.failures = 0
	}
	e.failures++
	e.lastFailure = now
	if over := e.failures - th.lim.FreeFailures; over > 0 {
		d := th.lim.LockoutBase
		for i := 1; i < over && d < th.lim.LockoutMax; i++ {
			d *= 2
		}
		d = min(d, th.lim.LockoutMax)
		e.lockedUntil = now.Add(d)
		return d
	}
	return 0
}

// succeeded clears identity's failures.
func (th *throttle) succeeded(identity string) {
	th.mu.Lock()
	defer th.mu.Unlock()
	th.identities.remove(identity)
}
