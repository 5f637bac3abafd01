package policy

import (
	"strconv"
	"strings"
)

// This file checks the values of Date condition operators the way IAM's legacy parser
// does: a value is an ISO 8601 date or date-time, or a number of seconds since the epoch.
// A value that is neither fails with "The policy failed legacy parsing". The accepted
// forms follow the IAM behaviour recorded in moto's tests: "01T", "2016-12-13t2:00:00.593194+23"
// and "-292275054" pass; "234-13", a one-digit zone hour, ten fractional digits and an
// epoch beyond int64 fail.

// Year bounds of the legacy parser's date type (moto test_iam_policies.py).
const (
	minDateYear = -292275054
	maxDateYear = 292278993
)

// validDate reports whether s is a date IAM accepts in a Date condition.
func validDate(s string) bool {
	if !strings.ContainsAny(s, "tT-") {
		return validEpoch(s)
	}
	s = strings.ToLower(s)
	date, clock, _ := strings.Cut(s, "t")
	return validCalendarDate(date) && validClock(clock)
}

// validEpoch reports whether s is a non-negative number of seconds that fits in int64.
func validEpoch(s string) bool {
	if s == "" || !allDigits(s) {
		return false
	}
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

// validCalendarDate checks [-]year[-month[-day]].
func validCalendarDate(s string) bool {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	yearText, rest, hasMonth := strings.Cut(s, "-")
	year, ok := number(yearText)
	if !ok {
		return false
	}
	if neg {
		year = -year
	}
	if year < minDateYear || year > maxDateYear {
		return false
	}
	if !hasMonth {
		return true
	}
	month, day, hasDay := strings.Cut(rest, "-")
	if !inRange(month, 1, 12, 0) {
		return false
	}
	return !hasDay || inRange(day, 1, 31, 0) // a fourth field fails as a day
}

// validClock checks hour[:minute[:second[.fraction]]] with an optional zone: "z", or a
// sign and a two-digit hour with an optional ":" and two-digit minute.
func validClock(s string) bool {
	if s == "" {
		return true
	}
	if strings.HasSuffix(s, "z") {
		s = s[:len(s)-1]
	} else if i := strings.IndexAny(s, "+-"); i >= 0 {
		if !validZone(s[i+1:]) {
			return false
		}
		s = s[:i]
	}
	hour, rest, hasMinute := strings.Cut(s, ":")
	if !inRange(hour, 0, 23, 0) {
		return false
	}
	if !hasMinute {
		return true
	}
	minute, rest, hasSecond := strings.Cut(rest, ":")
	if !inRange(minute, 0, 59, 0) {
		return false
	}
	if !hasSecond {
		return true
	}
	sec, frac, hasFrac := strings.Cut(rest, ".")
	if !inRange(sec, 0, 59, 0) { // a fourth field fails here
		return false
	}
	return !hasFrac || (len(frac) >= 1 && len(frac) <= 9 && allDigits(frac))
}

func validZone(s string) bool {
	h, m, hasMin := strings.Cut(s, ":")
	if !inRange(h, 0, 23, 2) {
		return false
	}
	return !hasMin || inRange(m, 0, 59, 2)
}

// inRange reports whether s is all digits (exactly width of them, when width > 0) with a
// value in [lo, hi].
func inRange(s string, lo, hi, width int) bool {
	if width > 0 && len(s) != width {
		return false
	}
	v, ok := number(s)
	return ok && v >= lo && v <= hi
}

// number parses a non-empty run of at most 10 digits.
func number(s string) (int, bool) {
	if s == "" || len(s) > 10 || !allDigits(s) {
		return 0, false
	}
	v, err := strconv.Atoi(s)
	return v, err == nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
