package actions

import (
	"iter"
	"strings"
)

// Action is one IAM action, such as iam:CreateUser.
type Action struct {
	// Service is the IAM service prefix, such as "iam".
	Service string
	// Name is the action name in its canonical case, such as "CreateUser".
	Name string
	// AccessLevel is the reference's access level: "Read", "Write", "List", or a combination
	// such as "Tagging, Write".
	AccessLevel string
	// Resources are the resource types the action applies to; none means the action supports
	// only Resource "*".
	Resources []ResourceRef
	// ConditionKeys are the keys the action supports regardless of resource type.
	ConditionKeys []string
	// DependentActions are the other actions (such as "iam:PassRole") the reference says the
	// action also needs, over all its resource types.
	DependentActions []string
}

// String returns the action as a policy names it, such as "iam:CreateUser".
func (a *Action) String() string { return a.Service + ":" + a.Name }

// ResourceRef is a resource type an action applies to.
type ResourceRef struct {
	// Type is the resource type.
	Type *ResourceType
	// Required is true when the reference marks the type with an asterisk: the action always
	// acts on a resource of this type.
	Required bool
	// ConditionKeys are the keys the action supports for this resource type only.
	ConditionKeys []string
}

// ResourceType is a resource type of a service, such as iam's user.
type ResourceType struct {
	// Service is the IAM prefix of the service whose reference lists the type. It is not
	// always the ARN's service: sts's role has an iam ARN.
	Service string
	// Name is the type's name as the reference spells it, such as "user", "publishingDestination"
	// or "CIS Scan Configuration".
	Name string
	// ARNs are the ARN templates, such as arn:${Partition}:iam::${Account}:user/${UserNameWithPath};
	// Bind fills them in.
	ARNs []string
	// ConditionKeys are the keys that apply to every resource of the type, such as
	// aws:ResourceTag/${TagKey}.
	ConditionKeys []string
}

// service maps a served signing name to its IAM prefix (generated as serviceTable).
type service struct {
	signingName, prefix string
}

// Lookup returns the action named like "iam:CreateUser", ignoring ASCII case. It does not
// allocate.
func Lookup(action string) (*Action, bool) {
	i := strings.IndexByte(action, ':')
	if i < 0 {
		return nil, false
	}
	return find(action[:i], action[i+1:])
}

// All yields every action, ordered by service prefix and then name.
func All() iter.Seq[*Action] {
	return func(yield func(*Action) bool) {
		for i := range actionTable {
			if !yield(&actionTable[i]) {
				return
			}
		}
	}
}

// find probes lookupIndex for service:name.
func find(service, name string) (*Action, bool) {
	mask := uint64(len(lookupIndex) - 1)
	for p := hashName(service, name) & mask; ; p = (p + 1) & mask {
		v := lookupIndex[p]
		if v == 0 {
			return nil, false
		}
		a := &actionTable[v-1]
		if (a.Name == name || equalFold(a.Name, name)) && (a.Service == service || equalFold(a.Service, service)) {
			return a, true
		}
	}
}

// The lookup hash: the service prefix and then the action name, each read eight bytes at a
// time with bit 5 of every byte set (so ASCII letters hash the same in either case), each word
// mixed by a multiply and a shift. It only picks a slot; find compares names exactly. The
// generator (internal/actions/gen) computes the same hash to build lookupIndex, and the tests
// look every action up.
const (
	hashSeed = 0x243f6a8885a308d3
	hashMul  = 0x9e3779b97f4a7c15
	caseBits = 0x2020202020202020
)

func hashName(service, name string) uint64 {
	return hashPart(hashPart(hashSeed, service), name)
}

func hashPart(h uint64, s string) uint64 {
	for ; len(s) >= 8; s = s[8:] {
		w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		h = mix(h ^ (w | caseBits))
	}
	var w uint64
	for i := 0; i < len(s); i++ {
		w |= uint64(s[i]|0x20) << (8 * i)
	}
	return mix(h ^ w)
}

func mix(h uint64) uint64 {
	h *= hashMul
	return h ^ h>>32
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// equalFold is strings.EqualFold for ASCII only: IAM action names are ASCII, and Unicode
// folding would let "ſ" (U+017F) match "s".
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}
