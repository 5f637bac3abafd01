package policy

// This file holds the syntax tree Parse returns. It stays close to the text: every
// element keeps the position it was written at, values keep the JSON type they were
// written as, and the document keeps its original text, because IAM returns a policy
// exactly as it was written.

// Version is the policy language version named by the Version element.
type Version string

// The two policy language versions IAM knows.
// Source: IAM User Guide, "IAM JSON policy elements: Version".
const (
	// Version2012 is the current language; policy variables need it.
	Version2012 Version = "2012-10-17"
	// Version2008 is the earlier language, where ${...} is literal text. A document
	// without a Version element is read as this version.
	Version2008 Version = "2008-10-17"
)

// Document is a parsed policy document.
type Document struct {
	// Kind is the kind of policy the document was validated as.
	Kind Kind
	// Text is the document exactly as written.
	Text string
	// Version is the Version element's value, or "" when the element is absent.
	Version Version
	// VersionPos is where the Version element was written; zero when absent.
	VersionPos Pos
	// ID is the Id element's value; IDPos is zero when the element is absent.
	ID    string
	IDPos Pos
	// Statements holds the statements in document order. A document whose Statement
	// element is a single object has one statement.
	Statements []Statement
	// Warnings lists what IAM accepts but IAM Access Analyzer would report, such as a
	// policy variable that cannot take effect.
	Warnings []Warning
}

// EffectiveVersion is the language version the document is evaluated under: its Version
// element, or Version2008 when it has none.
func (d *Document) EffectiveVersion() Version {
	if d.Version == "" {
		return Version2008
	}
	return d.Version
}

// Effect is a statement's Effect.
type Effect uint8

// The two effects. Their spelling in a policy is case-sensitive.
const (
	Allow Effect = iota + 1
	Deny
)

// String returns "Allow" or "Deny".
func (e Effect) String() string {
	switch e {
	case Allow:
		return "Allow"
	case Deny:
		return "Deny"
	}
	return "Effect(?)"
}

// Statement is one statement of a policy.
type Statement struct {
	// Pos is where the statement's opening brace was written.
	Pos Pos
	// Sid is the statement ID; SidPos is zero when the element is absent.
	Sid    string
	SidPos Pos
	// Effect is Allow or Deny.
	Effect    Effect
	EffectPos Pos
	// Principal is the Principal or NotPrincipal element (see Principal.Not).
	Principal Principal
	// Action is the Action or NotAction element (see List.Not).
	Action List
	// Resource is the Resource or NotResource element (see List.Not).
	Resource List
	// Conditions holds the Condition element's operator blocks in document order;
	// ConditionPos is zero when the element is absent.
	Conditions   []Condition
	ConditionPos Pos
}

// List is an Action, NotAction, Resource or NotResource element: one string, or an
// array of strings.
type List struct {
	// Not is true for NotAction and NotResource.
	Not bool
	// Pos is where the element's name was written; zero when the element is absent.
	Pos Pos
	// Values holds the strings in document order.
	Values []Value
	// Array is true when the values were written as a JSON array.
	Array bool
}

// Present reports whether the statement contains the element.
func (l *List) Present() bool { return l.Pos.IsValid() }

// Value is one string in an Action, Resource or Principal element.
type Value struct {
	Text string
	Pos  Pos
	// Vars is true when Text holds a policy variable that takes effect: a well-formed
	// ${...} in an element and a language version that support variables.
	Vars bool
}

// Principal is a Principal or NotPrincipal element.
type Principal struct {
	// Not is true for NotPrincipal.
	Not bool
	// Pos is where the element's name was written; zero when the element is absent.
	Pos Pos
	// Wildcard is true when the element was written as the string "*".
	Wildcard bool
	// Entries holds the principal map ({"AWS": ..., "Service": ...}) in document order.
	Entries []PrincipalEntry
}

// Present reports whether the statement contains the element.
func (p *Principal) Present() bool { return p.Pos.IsValid() }

// PrincipalType is a key of the principal map.
type PrincipalType uint8

// The principal types. Source: IAM User Guide, "Grammar of the IAM JSON policy language"
// (<principal_map_entry>).
const (
	PrincipalAWS PrincipalType = iota + 1
	PrincipalService
	PrincipalFederated
	PrincipalCanonicalUser
)

// String returns the key as written in a policy.
func (t PrincipalType) String() string {
	switch t {
	case PrincipalAWS:
		return "AWS"
	case PrincipalService:
		return "Service"
	case PrincipalFederated:
		return "Federated"
	case PrincipalCanonicalUser:
		return "CanonicalUser"
	}
	return "PrincipalType(?)"
}

// principalTypeOf returns the type named by a principal map key; the keys are
// case-sensitive.
func principalTypeOf(key string) (PrincipalType, bool) {
	switch key {
	case "AWS":
		return PrincipalAWS, true
	case "Service":
		return PrincipalService, true
	case "Federated":
		return PrincipalFederated, true
	case "CanonicalUser":
		return PrincipalCanonicalUser, true
	}
	return 0, false
}

// PrincipalEntry is one entry of a principal map.
type PrincipalEntry struct {
	Type PrincipalType
	// Pos is where the key was written.
	Pos Pos
	// Values holds the identifiers in document order.
	Values []Value
	// Array is true when the values were written as a JSON array.
	Array bool
}

// Condition is one operator block of a Condition element, such as
// "StringEquals": {"aws:username": "alice"}.
type Condition struct {
	Operator Operator
	// Pos is where the operator name was written.
	Pos Pos
	// Keys holds the condition keys in document order.
	Keys []ConditionKey
}

// ConditionKey is one condition key of an operator block with its values.
type ConditionKey struct {
	// Name is the key as written; AWS compares key names case-insensitively.
	Name string
	Pos  Pos
	// Values holds the values in document order; it may be empty.
	Values []ConditionValue
	// Array is true when the values were written as a JSON array.
	Array bool
}

// ValueType is the JSON type a condition value was written as.
type ValueType uint8

// The JSON types a condition value can take. Source: IAM User Guide, "Grammar of the
// IAM JSON policy language": quotation marks are optional for numbers and Booleans.
const (
	StringValue ValueType = iota + 1
	NumberValue
	BoolValue
)

// String returns "string", "number" or "bool".
func (t ValueType) String() string {
	switch t {
	case StringValue:
		return "string"
	case NumberValue:
		return "number"
	case BoolValue:
		return "bool"
	}
	return "ValueType(?)"
}

// ConditionValue is one value of a condition key.
type ConditionValue struct {
	// Text is the string, the number literal as written, or "true"/"false".
	Text string
	// Type is the JSON type the value was written as.
	Type ValueType
	Pos  Pos
	// Vars is true when Text holds a policy variable that takes effect (see Value.Vars).
	Vars bool
}

// Warning is something IAM accepts but that will not work as the author may expect. The
// messages are IAM Access Analyzer's (IAM User Guide, "IAM Access Analyzer policy check
// reference").
type Warning struct {
	Message string
	Line    int
	Column  int
}
