package signin

import (
	"container/list"
	"math"
	"net/netip"
	"runtime"
	"sync"
	"time"
)

// Limits configures sign-in throttling. The zero value of a field means its default.
type Limits struct {
	// SourceBurst and SourceEvery are the token bucket of one source address (an IPv6
	// address's /64): at most SourceBurst attempts at once, then one per SourceEvery (default
	// 10, then one per 6 s).
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
	// MaxEntries bounds each in-memory table (sources and identities); beyond it the least
	// recently used source is dropped, and the least recently used identity that is neither
	// locked nor in flight (one without failures first). When every identity is locked or in
	// flight, attempts for new identities are throttled instead (default 10000).
	MaxEntries int
	// MaxInFlight is how many attempts of one identity may be checked at once; more are
	// throttled (default 1), so concurrent guesses cannot outrun the failure count.
	MaxInFlight int
	// MaxHashing bounds the password checks (argon2id, 19 MiB each) running at once on this
	// node (default 2 × GOMAXPROCS); HashWait is how long an attempt may queue for one before
	// it is throttled (default 10 s).
	MaxHashing int
	HashWait   time.Duration
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
	def(&l.MaxInFlight, 1)
	def(&l.MaxHashing, 2*runtime.GOMAXPROCS(0))
	defD(&l.HashWait, 10*time.Second)
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
	inFlight    int
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

// get returns the entry for key, moving it to the front; fresh reports a new entry. A new
// entry needs room: when the table is full, the least recently used entry for which prefer
// is true is dropped, else the least recently used one for which allow is true (nil allows
// any); when none may go, get returns nil.
func (t *table) get(key string, prefer, allow func(*entry) bool) (e *entry, fresh bool) {
	if el, ok := t.m[key]; ok {
		t.ll.MoveToFront(el)
		return el.Value.(*entry), false
	}
	if t.ll.Len() >= t.max {
		victim := t.oldest(prefer)
		if victim == nil {
			victim = t.oldest(allow)
		}
		if victim == nil {
			return nil, false
		}
		t.ll.Remove(victim)
		delete(t.m, victim.Value.(*entry).key)
	}
	e = &entry{key: key}
	t.m[key] = t.ll.PushFront(e)
	return e, true
}

// oldest returns the least recently used element whose entry satisfies ok (nil: any).
func (t *table) oldest(ok func(*entry) bool) *list.Element {
	for el := t.ll.Back(); el != nil; el = el.Prev() {
		if ok == nil || ok(el.Value.(*entry)) {
			return el
		}
	}
	return nil
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

// retryBusy is the wait suggested when an identity already has an attempt in flight, or the
// table has no room: such conditions clear within a password check.
const retryBusy = time.Second

// sourceKey is the bucket of a source address: the address itself, or for IPv6 its /64 (one
// subscriber usually holds a whole /64, so per-address buckets would not limit anyone).
func sourceKey(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	addr = addr.Unmap().WithZone("")
	if addr.Is6() {
		return netip.PrefixFrom(addr, 64).Masked().String()
	}
	return addr.String()
}

// forgotten reports whether an identity's failures are forgotten at now: ForgetAfter after the
// last one, and not while a lockout lasts.
func (th *throttle) forgotten(e *entry, now time.Time) bool {
	return !e.lastFailure.IsZero() && now.Sub(e.lastFailure) >= th.lim.ForgetAfter && !now.Before(e.lockedUntil)
}

// admit decides whether an attempt of identity from source may be checked now. When it may,
// it takes a token from the source's bucket, counts the attempt as in flight for the identity,
// and returns 0; the caller must then call release(identity) when done (after failed or
// succeeded). Otherwise it returns how long the caller should wait before trying again: the
// identity is locked, has MaxInFlight attempts in flight, or is new while the table has no
// room (every identity locked or in flight), or the source's bucket is empty.
func (th *throttle) admit(source, identity string, now time.Time) time.Duration {
	th.mu.Lock()
	defer th.mu.Unlock()
	id := th.identities.peek(identity)
	if id != nil {
		if th.forgotten(id, now) {
			id.failures, id.lastFailure, id.lockedUntil = 0, time.Time{}, time.Time{}
		}
		if now.Before(id.lockedUntil) {
			return id.lockedUntil.Sub(now)
		}
		if id.inFlight >= th.lim.MaxInFlight {
			return retryBusy
		}
	} else if th.identities.ll.Len() >= th.identities.max && th.identities.oldest(th.evictable(now)) == nil {
		return retryBusy
	}
	s, fresh := th.sources.get(sourceKey(source), nil, nil)
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
	if id == nil {
		if id, _ = th.identities.get(identity, th.idle(now), th.evictable(now)); id == nil {
			return retryBusy // checked above; kept for safety
		}
	} else {
		th.identities.get(identity, nil, nil) // most recently used
	}
	s.tokens--
	id.inFlight++
	return 0
}

// idle reports identities whose eviction loses nothing: nothing in flight, and no failures
// (or forgotten ones).
func (th *throttle) idle(now time.Time) func(*entry) bool {
	return func(e *entry) bool {
		return e.inFlight == 0 && (e.failures == 0 || th.forgotten(e, now))
	}
}

// evictable reports identities that may be dropped to make room: not locked (a lockout must
// not be erased by crowding the table) and nothing in flight.
func (th *throttle) evictable(now time.Time) func(*entry) bool {
	return func(e *entry) bool {
		return e.inFlight == 0 && !now.Before(e.lockedUntil)
	}
}

// release ends an attempt admitted for identity. An identity with nothing in flight and no
// failures is dropped.
func (th *throttle) release(identity string) {
	th.mu.Lock()
	defer th.mu.Unlock()
	e := th.identities.peek(identity)
	if e == nil {
		return
	}
	if e.inFlight > 0 {
		e.inFlight--
	}
	if e.inFlight == 0 && e.failures == 0 {
		th.identities.remove(identity)
	}
}

// failed records a failed sign-in of identity and returns the lockout it now has, if any.
func (th *throttle) failed(identity string, now time.Time) time.Duration {
	th.mu.Lock()
	defer th.mu.Unlock()
	// The entry exists while the attempt is in flight; otherwise make room as admit would.
	e, _ := th.identities.get(identity, th.idle(now), th.evictable(now))
	if e == nil {
		return 0
	}
	if th.forgotten(e, now) {
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
	e := th.identities.peek(identity)
	if e == nil {
		return
	}
	if e.inFlight == 0 {
		th.identities.remove(identity)
		return
	}
	e.failures, e.lastFailure, e.lockedUntil = 0, time.Time{}, time.Time{}
}
