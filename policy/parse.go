package policy

import (
	"fmt"
	"slices"
	"unicode/utf8"
)

// The longest policy text Parse reads: IAM's and STS's model maximum, and for
// Organizations (which has no such parameter rule of its own here) a bound far over its
// quota.
const (
	maxIAMText  = 131072
	maxOrgsText = 1000000
)

// stage orders the checks as AWS makes them. IAM reports only the first failure, so a
// document with several faults must yield the same message AWS gives; the order follows
// the IAM behaviour recorded in moto's tests (getmoto/moto,
// tests/test_iam/test_iam_policies.py), where the checks run in this sequence.
type stage uint8

const (
	stageCharacters     stage = iota // text IAM does not accept at all
	stageSyntax                      // JSON and grammar: "Syntax errors in policy."
	stageVersion                     // managed policies need 2012-10-17
	stageKind                        // elements the kind forbids or requires (Principal, Resource)
	stageLegacy                      // "The policy failed legacy parsing"
	stageSid                         // Sid characters and uniqueness
	stageActions                     // "Policy statement must contain actions."
	stageResources                   // "Policy statement must contain resources."
	stageResourceValue               // resource ARN format
	stageActionValue                 // action format
	stagePrincipalValue              // principal identifiers
)

// Parse reads doc as a policy of the given kind and validates it as AWS does when the
// policy is written. On success it returns the syntax tree. Otherwise it returns
// ValidationErrors (every failure found, the one AWS reports first), or a *SizeError when
// the document is valid but over the limit named in the options, or when an SCP or RCP
// is too long to read at all.
func Parse(doc string, kind Kind, opts ...Option) (*Document, error) {
	if !kind.valid() {
		return nil, fmt.Errorf("policy: parse: unknown kind %d", kind)
	}
	cfg := config{partition: defaultPartition}
	for _, o := range opts {
		o(&cfg)
	}
	p := parser{cfg: cfg, kind: kind, doc: &Document{Kind: kind, Text: doc}}
	if err := p.checkLength(doc); err != nil {
		return nil, err
	}
	p.checkCharacters(doc)
	tree, jerr := readJSON(doc)
	if jerr != nil {
		msg := msgSyntax
		if kind == KindTrust {
			msg = msgTrustInvalidJSON
		}
		p.tree = tree
		p.failAt(stageSyntax, p.at(jerr.off), msg, "invalid JSON: "+jerr.detail)
		return nil, p.result()
	}
	p.tree = tree
	for _, off := range tree.dups {
		p.syntax(p.at(off), "element repeated in the same object")
	}
	p.build()
	p.validate()
	if len(p.errs) > 0 {
		return nil, p.result()
	}
	if cfg.limit != 0 {
		subject := ""
		if cfg.limit == LimitSessionPolicy {
			subject = doc
		}
		if err := cfg.limit.Check(cfg.limit.Measure(doc), cfg.max, subject); err != nil {
			return nil, err
		}
	}
	return p.doc, nil
}

// parser carries one Parse call: the configuration, the JSON tree, the document being
// built and the failures found.
type parser struct {
	cfg  config
	kind Kind
	tree jsonTree
	doc  *Document
	errs ValidationErrors
}

// result orders the failures as AWS checks them.
func (p *parser) result() error {
	slices.SortStableFunc(p.errs, func(a, b *ValidationError) int {
		if a.stage != b.stage {
			return int(a.stage) - int(b.stage)
		}
		return a.off - b.off
	})
	return p.errs
}

// failAt records a failure. Organizations answers every fault in an SCP or RCP with one
// message, so the kind decides the code and may replace the message.
func (p *parser) failAt(st stage, pos Pos, msg, detail string) {
	code := CodeMalformedPolicyDocument
	switch {
	case st == stageCharacters:
		code = CodeValidationError
	case p.kind.organizations():
		code, msg = CodeOrgsMalformedPolicyDocument, msgOrgs
	}
	p.errs = append(p.errs, &ValidationError{
		Code: code, Message: msg, Detail: detail,
		Line: pos.Line, Column: pos.Column, stage: st, off: pos.Offset,
	})
}

// syntax records a grammar failure: "Syntax errors in policy."
func (p *parser) syntax(pos Pos, detail string) {
	p.failAt(stageSyntax, pos, msgSyntax, detail)
}

// warn records something IAM accepts but Access Analyzer reports.
func (p *parser) warn(pos Pos, msg string) {
	p.doc.Warnings = append(p.doc.Warnings, Warning{Message: msg, Line: pos.Line, Column: pos.Column})
}

// checkLength applies the maximum length of the API parameter that carries a policy:
// 131,072 characters in IAM and STS (policyDocumentType, a ValidationError). An SCP or
// RCP that long is far over its 5,120-character quota, and Organizations answers with
// its size error. Longer text is not read at all. An AWS managed IAM policy is never sent
// through that parameter, and some are longer (AWSSupportServiceRolePolicy).
func (p *parser) checkLength(doc string) error {
	if p.cfg.awsManaged && !p.kind.organizations() {
		return nil
	}
	max := maxIAMText
	if p.kind.organizations() {
		max = maxOrgsText
	}
	if len(doc) <= max {
		return nil
	}
	size := utf8.RuneCountInString(doc)
	if size <= max {
		return nil
	}
	if p.kind.organizations() {
		limit := LimitSCP
		if p.kind == KindRCP {
			limit = LimitRCP
		}
		return limit.Check(size, limit.Max(), "")
	}
	p.failAt(stageCharacters, Pos{Line: 1, Column: 1}, msgTooLong, fmt.Sprintf("the document is longer than %d characters", max))
	return p.result()
}

// checkCharacters applies the IAM and STS parameter pattern: policy documents may hold
// only tab, line feed, carriage return and U+0020 through U+00FF (see msgCharacters).
// Organizations does not restrict the characters of an SCP or RCP.
func (p *parser) checkCharacters(doc string) {
	if p.kind.organizations() {
		return
	}
	if len(doc) == 0 {
		p.failAt(stageCharacters, Pos{Line: 1, Column: 1}, msgEmpty, "the document is empty")
		return
	}
	line, lineStart := 1, 0
	for i := 0; i < len(doc); {
		b := doc[i]
		switch {
		case b == '\n':
			i++
			line, lineStart = line+1, i
		case b >= 0x20 && b < 0x80, b == '\t', b == '\r':
			i++
		case (b == 0xC2 || b == 0xC3) && i+1 < len(doc) && doc[i+1] >= 0x80 && doc[i+1] <= 0xBF:
			i += 2 // U+0080 through U+00FF
		default: // a control character, a rune above U+00FF, or a byte that is not UTF-8
			r, _ := utf8.DecodeRuneInString(doc[i:])
			p.charFail(line, lineStart, i, r)
			return
		}
	}
}

func (p *parser) charFail(line, lineStart, off int, r rune) {
	pos := Pos{Offset: off, Line: line, Column: off - lineStart + 1}
	p.failAt(stageCharacters, pos, msgCharacters, fmt.Sprintf("character %U is not allowed in a policy document", r))
}
