package policy

import "strings"

// Op is one of the 27 base condition operators.
// Source: IAM User Guide, "IAM JSON policy elements: Condition operators".
type Op uint8

// The base condition operators. OpUnknown stands for a name IAM does not know; IAM
// accepts such a name only when its block is empty.
const (
	OpUnknown Op = iota
	OpStringEquals
	OpStringNotEquals
	OpStringEqualsIgnoreCase
	OpStringNotEqualsIgnoreCase
	OpStringLike
	OpStringNotLike
	OpNumericEquals
	OpNumericNotEquals
	OpNumericLessThan
	OpNumericLessThanEquals
	OpNumericGreaterThan
	OpNumericGreaterThanEquals
	OpDateEquals
	OpDateNotEquals
	OpDateLessThan
	OpDateLessThanEquals
	OpDateGreaterThan
	OpDateGreaterThanEquals
	OpBool
	OpBinaryEquals
	OpIPAddress
	OpNotIPAddress
	OpArnEquals
	OpArnLike
	OpArnNotEquals
	OpArnNotLike
	OpNull
	opCount
)

// opNames is indexed by Op.
var opNames = [opCount]string{
	OpUnknown:                   "",
	OpStringEquals:              "StringEquals",
	OpStringNotEquals:           "StringNotEquals",
	OpStringEqualsIgnoreCase:    "StringEqualsIgnoreCase",
	OpStringNotEqualsIgnoreCase: "StringNotEqualsIgnoreCase",
	OpStringLike:                "StringLike",
	OpStringNotLike:             "StringNotLike",
	OpNumericEquals:             "NumericEquals",
	OpNumericNotEquals:          "NumericNotEquals",
	OpNumericLessThan:           "NumericLessThan",
	OpNumericLessThanEquals:     "NumericLessThanEquals",
	OpNumericGreaterThan:        "NumericGreaterThan",
	OpNumericGreaterThanEquals:  "NumericGreaterThanEquals",
	OpDateEquals:                "DateEquals",
	OpDateNotEquals:             "DateNotEquals",
	OpDateLessThan:              "DateLessThan",
	OpDateLessThanEquals:        "DateLessThanEquals",
	OpDateGreaterThan:           "DateGreaterThan",
	OpDateGreaterThanEquals:     "DateGreaterThanEquals",
	OpBool:                      "Bool",
	OpBinaryEquals:              "BinaryEquals",
	OpIPAddress:                 "IpAddress",
	OpNotIPAddress:              "NotIpAddress",
	OpArnEquals:                 "ArnEquals",
	OpArnLike:                   "ArnLike",
	OpArnNotEquals:              "ArnNotEquals",
	OpArnNotLike:                "ArnNotLike",
	OpNull:                      "Null",
}

// String returns the operator's name as written in a policy.
func (o Op) String() string {
	if o < opCount && o != OpUnknown {
		return opNames[o]
	}
	return "Op(?)"
}

// isDate reports whether o compares dates.
func (o Op) isDate() bool { return o >= OpDateEquals && o <= OpDateGreaterThanEquals }

// takesVariables reports whether policy variables work in o's values: only the string
// and ARN operators take them. Source: IAM User Guide, "IAM policy elements: Variables
// and tags" ("Where you can use policy variables").
func (o Op) takesVariables() bool {
	return (o >= OpStringEquals && o <= OpStringNotLike) || (o >= OpArnEquals && o <= OpArnNotLike)
}

// opByName returns the base operator with the given name; names are case-sensitive.
func opByName(name string) Op {
	for o := OpStringEquals; o < opCount; o++ {
		if opNames[o] == name {
			return o
		}
	}
	return OpUnknown
}

// Qualifier is the set operator prefix of a condition operator.
type Qualifier uint8

// The set operator prefixes.
const (
	// NoQualifier means the operator has no prefix.
	NoQualifier Qualifier = iota
	// ForAllValues is the "ForAllValues:" prefix.
	ForAllValues
	// ForAnyValue is the "ForAnyValue:" prefix.
	ForAnyValue
)

// String returns the prefix without its colon, or "" for NoQualifier.
func (q Qualifier) String() string {
	switch q {
	case ForAllValues:
		return "ForAllValues"
	case ForAnyValue:
		return "ForAnyValue"
	}
	return ""
}

// Operator is a condition operator as written: a base operator with an optional set
// prefix and an optional IfExists suffix, such as "ForAnyValue:StringLikeIfExists".
type Operator struct {
	// Name is the operator exactly as written.
	Name string
	// Op is the base operator; OpUnknown for a name IAM does not know.
	Op Op
	// Qualifier is the ForAllValues:/ForAnyValue: prefix.
	Qualifier Qualifier
	// IfExists is true when the name ends in IfExists.
	IfExists bool
}

// parseOperator splits a condition operator name. Every base operator takes the prefixes
// and, except Null, the IfExists suffix. Source: IAM User Guide, "IAM JSON policy
// elements: Condition operators" ("...IfExists condition operators": "You can add
// IfExists to the end of any condition operator name except the Null condition").
func parseOperator(name string) Operator {
	op := Operator{Name: name}
	rest := name
	switch {
	case strings.HasPrefix(rest, "ForAllValues:"):
		op.Qualifier, rest = ForAllValues, rest[len("ForAllValues:"):]
	case strings.HasPrefix(rest, "ForAnyValue:"):
		op.Qualifier, rest = ForAnyValue, rest[len("ForAnyValue:"):]
	}
	if base := opByName(rest); base != OpUnknown {
		op.Op = base
		return op
	}
	if base, ok := strings.CutSuffix(rest, "IfExists"); ok {
		if o := opByName(base); o != OpUnknown && o != OpNull {
			op.Op, op.IfExists = o, true
		}
	}
	return op
}
