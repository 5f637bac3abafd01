package policy

import (
	"net/netip"
	"strconv"
	"strings"
)

// This file parses typed condition values, in policies (once, at compile time) and in
// requests (when a context value was given as text). None of the parsers allocates on
// valid input.

// dateVal is an instant: seconds since the Unix epoch and nanoseconds. It covers the
// years IAM accepts (see minDateYear), which time.Time's Unix nanoseconds do not.
type dateVal struct {
	sec  int64
	nsec int32
}

func (a dateVal) compare(b dateVal) int {
	switch {
	case a.sec < b.sec:
		return -1
	case a.sec > b.sec:
		return 1
	case a.nsec < b.nsec:
		return -1
	case a.nsec > b.nsec:
		return 1
	}
	return 0
}

// parseDate reads a date as IAM does: an ISO 8601 date or date-time
// ([-]Y[-M[-D]][Thh[:mm[:ss[.f]]][Z|±hh[:mm]]]) or, when the text has no "T" and no "-",
// a number of seconds since the epoch. A date-time without a zone is UTC.
func parseDate(s string) (dateVal, bool) {
	if !strings.ContainsAny(s, "tT-") {
		if !validEpoch(s) {
			return dateVal{}, false
		}
		n, err := strconv.ParseInt(s, 10, 64)
		return dateVal{sec: n}, err == nil
	}
	// validDate lower-cases its argument; do it here, on the stack, to not allocate.
	var lower [64]byte
	if len(s) > len(lower) {
		return dateVal{}, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	s = bytesString(lower[:len(s)])
	date, clock, _ := strings.Cut(s, "t")
	if !validCalendarDate(date) || !validClock(clock) {
		return dateVal{}, false
	}
	neg := strings.HasPrefix(date, "-")
	if neg {
		date = date[1:]
	}
	yText, rest, _ := strings.Cut(date, "-")
	mText, dText, _ := strings.Cut(rest, "-")
	y, _ := number(yText)
	year := int64(y)
	if neg {
		year = -year
	}
	month, day := int64(1), int64(1)
	if mText != "" {
		m, _ := number(mText)
		month = int64(m)
	}
	if dText != "" {
		d, _ := number(dText)
		day = int64(d)
	}
	sec := daysFromCivil(year, month, day) * 86400
	var nsec int32
	if clock != "" {
		zone := int64(0)
		switch last := clock[len(clock)-1]; {
		case last == 'z':
			clock = clock[:len(clock)-1]
		default:
			if i := strings.IndexAny(clock, "+-"); i >= 0 {
				zh, zm, _ := strings.Cut(clock[i+1:], ":")
				h, _ := number(zh)
				m := 0
				if zm != "" {
					m, _ = number(zm)
				}
				zone = int64(h*3600 + m*60)
				if clock[i] == '-' {
					zone = -zone
				}
				clock = clock[:i]
			}
		}
		hText, rest, _ := strings.Cut(clock, ":")
		minText, rest, _ := strings.Cut(rest, ":")
		sText, frac, _ := strings.Cut(rest, ".")
		h, _ := number(hText)
		mi, ss := 0, 0
		if minText != "" {
			mi, _ = number(minText)
		}
		if sText != "" {
			ss, _ = number(sText)
		}
		sec += int64(h*3600+mi*60+ss) - zone
		if frac != "" {
			f, _ := number(frac)
			for i := len(frac); i < 9; i++ {
				f *= 10
			}
			nsec = int32(f)
		}
	}
	return dateVal{sec: sec, nsec: nsec}, true
}

// daysFromCivil returns the days since 1970-01-01 of a proleptic Gregorian date
// (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// parseNumber reads a decimal number: an optional sign, digits with an optional
// fraction, and an optional exponent.
func parseNumber(s string) (float64, bool) {
	if !numberSyntax(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

func numberSyntax(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i, digits = i+1, digits+1
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, exp = i+1, exp+1
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

// parseBool reads "true" or "false" in any case.
func parseBool(s string) (bool, bool) {
	switch {
	case strings.EqualFold(s, "true"):
		return true, true
	case strings.EqualFold(s, "false"):
		return false, true
	}
	return false, false
}

// parsePrefix reads an IpAddress value: a CIDR block or a single address, IPv4 or IPv6.
func parsePrefix(s string) (netip.Prefix, bool) {
	if strings.IndexByte(s, '/') >= 0 {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		if p.Addr().Is4In6() {
			bits := p.Bits() - 96
			if bits < 0 {
				return netip.Prefix{}, false
			}
			p = netip.PrefixFrom(p.Addr().Unmap(), bits)
		}
		return p.Masked(), true
	}
	a, ok := parseAddr(s)
	if !ok {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, a.BitLen()), true
}

// parseAddr reads an IP address, IPv4-mapped IPv6 addresses as IPv4. It checks the
// characters first, so that text that is plainly not an address costs no error value.
func parseAddr(s string) (netip.Addr, bool) {
	if s == "" || len(s) > 64 {
		return netip.Addr{}, false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F', c == '.', c == ':':
		default:
			return netip.Addr{}, false
		}
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// The typed forms of a context value: the one it was given as, or its text parsed.

func (v *ctxValue) asNumber() (float64, bool) {
	if v.flags&hasNum != 0 {
		return v.num, true
	}
	if v.flags&hasDate != 0 && v.flags&lazyText != 0 {
		return float64(v.date.sec), true
	}
	return parseNumber(v.text)
}

func (v *ctxValue) asDate() (dateVal, bool) {
	if v.flags&hasDate != 0 {
		return v.date, true
	}
	if v.flags&hasNum != 0 {
		return dateVal{sec: int64(v.num)}, true
	}
	return parseDate(v.text)
}

func (v *ctxValue) asIP() (netip.Addr, bool) {
	if v.flags&hasIP != 0 {
		return v.ip.Unmap(), true
	}
	return parseAddr(v.text)
}

func (v *ctxValue) asBool() (bool, bool) {
	if v.flags&hasBool != 0 {
		return v.b, true
	}
	return parseBool(v.text)
}
