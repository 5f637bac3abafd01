package policy

// This file evaluates condition keys. The rules, with their sources in the IAM User
// Guide ("IAM JSON policy elements: Condition operators", "Multivalued context keys"):
//
//   - Several keys, and several operator blocks, are ANDed; several values of one key
//     are ORed. For a negated operator (StringNotEquals, NotIpAddress, ArnNotLike, ...)
//     the request value must match none of the values: they behave like AND.
//   - A key missing from the request (or present with no values): a positive operator
//     is false, a negated one is true, ...IfExists is true, ForAllValues: is true and
//     ForAnyValue: is false. Null tests presence: "true" means absent.
//   - ForAllValues: is true when every request value satisfies the operator;
//     ForAnyValue: when at least one does. Without a set operator, a key with several
//     request values is true for a positive operator when one of them matches, and for a
//     negated operator when none does.
//   - A request value that is not a value of the operator's type (a number that does not
//     parse, say) satisfies neither a positive nor a negated operator. A policy value
//     whose variable has no value matches nothing, so a negated operator holds for it:
//     "Inverted condition operators like StringNotEquals or StringNotLike do match
//     against a null value" (IAM User Guide, "Policy variables with no value").

// eval evaluates one condition key against the request.
func (c *cCond) eval(ec *evalCtx) bool {
	vals, found := ec.lookup(c.key, c.hash)
	present := found && len(vals) > 0
	if c.op == OpNull {
		for i := range c.vals {
			if cv := &c.vals[i]; cv.ok && cv.b == !present {
				return true
			}
		}
		return false
	}
	if !present {
		if c.ifExists {
			return true
		}
		switch c.q {
		case ForAllValues:
			return true
		case ForAnyValue:
			return false
		}
		return c.neg
	}
	all := c.q == ForAllValues || (c.q == NoQualifier && c.neg)
	for i := range vals {
		ok := c.one(ec, &vals[i])
		if all && !ok {
			return false
		}
		if !all && ok {
			return true
		}
	}
	return all
}

// one reports whether one request value satisfies the operator.
func (c *cCond) one(ec *evalCtx, v *ctxValue) bool {
	m, valid := c.positive(ec, v)
	if c.neg {
		return valid && !m
	}
	return m
}

// positive reports whether the request value matches one of the policy values under the
// positive operator; valid is false when the request value is not of the operator's
// type.
func (c *cCond) positive(ec *evalCtx, v *ctxValue) (matched, valid bool) {
	switch c.pos {
	case OpStringEquals, OpStringEqualsIgnoreCase, OpStringLike, OpArnEquals, OpArnLike:
		mode := c.mode
		s := v.str()
		for i := range c.vals {
			if m, _ := c.vals[i].pat.match(ec, s, mode); m {
				return true, true
			}
		}
		return false, true
	case OpNumericEquals, OpNumericLessThan, OpNumericLessThanEquals, OpNumericGreaterThan, OpNumericGreaterThanEquals:
		n, ok := v.asNumber()
		if !ok {
			return false, false
		}
		for i := range c.vals {
			if cv := &c.vals[i]; cv.ok && compareHolds(c.pos-OpNumericEquals, cmpFloat(n, cv.num)) {
				return true, true
			}
		}
		return false, true
	case OpDateEquals, OpDateLessThan, OpDateLessThanEquals, OpDateGreaterThan, OpDateGreaterThanEquals:
		d, ok := v.asDate()
		if !ok {
			return false, false
		}
		for i := range c.vals {
			if cv := &c.vals[i]; cv.ok && compareHolds(c.pos-OpDateEquals, d.compare(cv.date)) {
				return true, true
			}
		}
		return false, true
	case OpBool:
		b, ok := v.asBool()
		if !ok {
			return false, false
		}
		for i := range c.vals {
			if cv := &c.vals[i]; cv.ok && cv.b == b {
				return true, true
			}
		}
		return false, true
	case OpBinaryEquals:
		s := v.str()
		for i := range c.vals {
			if cv := &c.vals[i]; cv.ok && cv.bin == s {
				return true, true
			}
		}
		return false, true
	case OpIPAddress:
		a, ok := v.asIP()
		if !ok {
			return false, false
		}
		for i := range c.vals {
			if cv := &c.vals[i]; cv.ok && cv.pfx.Contains(a) {
				return true, true
			}
		}
		return false, true
	}
	return false, false
}

// compareHolds applies a comparison, given as its offset from the Equals operator of its
// family (Equals, NotEquals, LessThan, LessThanEquals, GreaterThan, GreaterThanEquals),
// to the result of comparing the request value with the policy value.
func compareHolds(rel Op, cmp int) bool {
	if cmp == 2 {
		return false
	}
	switch rel {
	case 0:
		return cmp == 0
	case 2:
		return cmp < 0
	case 3:
		return cmp <= 0
	case 4:
		return cmp > 0
	case 5:
		return cmp >= 0
	}
	return false
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case a == b:
		return 0
	}
	return 2 // NaN: no relation holds
}
