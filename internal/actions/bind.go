package actions

import "strings"

// Bind fills in an ARN template such as arn:${Partition}:iam::${Account}:user/${UserNameWithPath}:
// every ${Name} (Name being one or more ASCII letters, digits or underscores) is replaced by
// vars(Name), and the rest of the template, including literal "*" such as Artifact's
// agreement/*, is kept. Values are inserted as they are, never re-scanned. Bind returns false
// when vars does not resolve a variable or the template is malformed (a "${" without a name
// and a closing "}"). A template without variables is returned as it is, without allocating.
func Bind(template string, vars func(name string) (string, bool)) (string, bool) {
	i := strings.Index(template, "${")
	if i < 0 {
		return template, true
	}
	var b strings.Builder
	b.Grow(len(template) + 32)
	for i >= 0 {
		name, ok := varName(template[i+2:])
		if !ok {
			return "", false
		}
		v, ok := vars(name)
		if !ok {
			return "", false
		}
		b.WriteString(template[:i])
		b.WriteString(v)
		template = template[i+2+len(name)+1:]
		i = strings.Index(template, "${")
	}
	b.WriteString(template)
	return b.String(), true
}

// varName returns the name at the start of s, which must be followed by "}".
func varName(s string) (string, bool) {
	n := 0
	for n < len(s) && isNameByte(s[n]) {
		n++
	}
	if n == 0 || n == len(s) || s[n] != '}' {
		return "", false
	}
	return s[:n], true
}

func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}
