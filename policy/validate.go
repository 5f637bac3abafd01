package policy

import (
	"fmt"
	"unicode/utf8"
)

// validate runs the checks that follow the grammar, each recording its failures under its
// stage (see stage). A document that breaks the grammar gets no further checks: AWS would
// report the grammar failure, and the later checks would only repeat it.
func (p *parser) validate() {
	for _, e := range p.errs {
		if e.stage <= stageSyntax {
			return
		}
	}
	p.checkVersion()
	for i := range p.doc.Statements {
		p.checkStatementKind(&p.doc.Statements[i])
	}
	p.checkLegacy()
	p.checkSids()
	for i := range p.doc.Statements {
		p.checkPresence(&p.doc.Statements[i])
	}
	p.checkResources()
	for i := range p.doc.Statements {
		s := &p.doc.Statements[i]
		for _, v := range s.Action.Values {
			if msg := actionFormat(v.Text); msg != "" {
				p.failAt(stageActionValue, v.Pos, msg, "invalid action "+quote(v.Text))
			}
		}
		p.checkPrincipalValues(s)
	}
	p.checkVariables()
}

// checkVersion: a managed policy, a permissions boundary, an SCP and an RCP need
// "Version": "2012-10-17".
func (p *parser) checkVersion() {
	if !p.cfg.managed && !p.kind.requiresVersion2012() {
		return
	}
	if p.doc.Version == Version2012 {
		return
	}
	pos := p.doc.VersionPos
	if !pos.IsValid() {
		pos = p.at(p.node(0).off)
	}
	p.failAt(stageVersion, pos, msgVersion2012, fmt.Sprintf("%s policies need \"Version\": %q", p.kindName(), Version2012))
}

func (p *parser) kindName() string {
	if p.cfg.managed && p.kind == KindIdentity {
		return "managed"
	}
	return p.kind.String()
}

// checkStatementKind applies what the kind forbids or requires of Principal, NotPrincipal,
// Resource, NotResource, NotAction and Effect.
func (p *parser) checkStatementKind(s *Statement) {
	pr := &s.Principal
	switch p.kind.principalRule() {
	case principalForbidden:
		if pr.Present() {
			p.failAt(stageKind, pr.Pos, msgPrincipalNotAllowed, fmt.Sprintf("%s policies cannot name a principal", p.kindName()))
		}
	case principalRequired:
		switch {
		case !pr.Present():
			p.failAt(stageKind, s.Pos, msgMissingPrincipal, "a resource-based policy statement needs Principal or NotPrincipal")
		case pr.Not && s.Effect == Allow:
			// IAM User Guide, "AWS JSON policy elements: NotPrincipal": "NotPrincipal must
			// be used with "Effect":"Deny". Using it with "Effect":"Allow" is not
			// supported." The message is inferred.
			p.failAt(stageKind, pr.Pos, msgInvalidPrincipal, "NotPrincipal can only be used with Deny")
		}
	case principalOnly:
		switch {
		case pr.Not && p.kind == KindTrust:
			p.failAt(stageKind, pr.Pos, fmt.Sprintf(fmtProhibitedField, "NotPrincipal"), "role trust policies do not support NotPrincipal")
		case pr.Not:
			p.failAt(stageKind, pr.Pos, msgOrgs, "an RCP cannot use NotPrincipal")
		case !pr.Present() || (!pr.Wildcard && principalCount(pr) == 0):
			if p.kind == KindTrust {
				p.failAt(stageKind, s.Pos, msgTrustNoPrincipals, "a role trust policy statement needs a principal")
			} else {
				p.failAt(stageKind, s.Pos, msgOrgs, `an RCP statement needs "Principal": "*"`)
			}
		case p.kind == KindRCP && !everyone(pr):
			// Organizations User Guide, "RCP syntax": the Principal element of an RCP
			// must be "*"; conditions narrow it.
			p.failAt(stageKind, pr.Pos, msgOrgs, `an RCP's Principal must be "*"`)
		}
	}
	if p.kind.resourceRule() == resourceForbidden && s.Resource.Present() {
		name := "Resource"
		if s.Resource.Not {
			name = "NotResource"
		}
		p.failAt(stageKind, s.Resource.Pos, fmt.Sprintf(fmtProhibitedField, name), "a role trust policy applies to its role and names no resource")
	}
	if p.kind == KindRCP && !p.cfg.awsManaged {
		// Organizations User Guide, "RCP syntax": Allow is supported only in the AWS
		// managed RCPFullAWSAccess, and the element table has no NotAction.
		if s.Effect == Allow {
			p.failAt(stageKind, s.EffectPos, msgOrgs, "an RCP can only deny")
		}
		if s.Action.Not {
			p.failAt(stageKind, s.Action.Pos, msgOrgs, "an RCP cannot use NotAction")
		}
	}
}

func principalCount(pr *Principal) int {
	n := 0
	for _, e := range pr.Entries {
		n += len(e.Values)
	}
	return n
}

// everyone reports whether the principal is "*" or {"AWS": "*"}.
func everyone(pr *Principal) bool {
	if pr.Wildcard {
		return true
	}
	if len(pr.Entries) != 1 || pr.Entries[0].Type != PrincipalAWS {
		return false
	}
	for _, v := range pr.Entries[0].Values {
		if v.Text != "*" {
			return false
		}
	}
	return len(pr.Entries[0].Values) > 0
}

// checkLegacy applies the legacy parser's tests of Date condition values. (Its test of
// Effect is in build; its test of resources is in checkResources, because IAM skips it
// once a resource has failed the format check.)
func (p *parser) checkLegacy() {
	for si := range p.doc.Statements {
		for _, c := range p.doc.Statements[si].Conditions {
			if !c.Operator.Op.isDate() {
				continue
			}
			for _, k := range c.Keys {
				for _, v := range k.Values {
					if !validDate(v.Text) {
						p.failAt(stageLegacy, v.Pos, msgLegacy, fmt.Sprintf("%s value %s is not a date", c.Operator.Name, quote(v.Text)))
					}
				}
			}
		}
	}
}

// checkSids: Sids must be unique within a document (empty ones excepted), and IAM
// policies allow only [0-9A-Za-z] in them.
func (p *parser) checkSids() {
	seen := make(map[string]struct{}, len(p.doc.Statements))
	for i := range p.doc.Statements {
		s := &p.doc.Statements[i]
		if s.Sid == "" {
			continue
		}
		if p.kind.alphanumericSid() && !isAlnum(s.Sid) {
			p.failAt(stageSid, s.SidPos, msgSidAlphanumeric, fmt.Sprintf("Sid %s has a character outside [0-9A-Za-z]", quote(s.Sid)))
		}
		if _, dup := seen[s.Sid]; dup {
			p.failAt(stageSid, s.SidPos, msgSidUnique, fmt.Sprintf("Sid %s is used twice", quote(s.Sid)))
		}
		seen[s.Sid] = struct{}{}
	}
}

// checkPresence: every statement needs actions, and resources unless its kind allows
// none; an empty array counts as missing.
func (p *parser) checkPresence(s *Statement) {
	if len(s.Action.Values) == 0 {
		pos := s.Action.Pos
		if !pos.IsValid() {
			pos = s.Pos
		}
		p.failAt(stageActions, pos, msgNoActions, "the statement has no Action or NotAction values")
	}
	rule := p.kind.resourceRule()
	if rule == resourceRequired || (rule == resourceOptional && s.Resource.Present()) {
		if len(s.Resource.Values) == 0 {
			pos := s.Resource.Pos
			if !pos.IsValid() {
				pos = s.Pos
			}
			p.failAt(stageResources, pos, msgNoResources, "the statement has no Resource or NotResource values")
		}
	}
}

// checkResources applies the format check to every resource and, as IAM does, the legacy
// parser's test to the resources of each statement until a format check has failed.
func (p *parser) checkResources() {
	formatFailed := false
	for si := range p.doc.Statements {
		vals := p.doc.Statements[si].Resource.Values
		for _, v := range vals {
			if msg := resourceFormat(v.Text, p.cfg.partition); msg != "" {
				p.failAt(stageResourceValue, v.Pos, msg, "invalid resource "+quote(v.Text))
				formatFailed = true
			}
		}
		if formatFailed {
			continue
		}
		for _, v := range vals {
			if !resourceLegacyOK(v.Text) {
				p.failAt(stageLegacy, v.Pos, msgLegacy, "resource "+quote(v.Text)+" is not a complete ARN")
			}
		}
	}
}

// checkPrincipalValues checks principal identifiers in role trust and resource-based
// policies.
func (p *parser) checkPrincipalValues(s *Statement) {
	pr := &s.Principal
	if !pr.Present() || p.kind.principalRule() == principalForbidden || p.kind == KindRCP {
		return
	}
	if pr.Wildcard {
		if p.kind == KindTrust {
			p.failAt(stagePrincipalValue, pr.Pos, msgTrustStar, `a role trust policy cannot use "Principal": "*"; use {"AWS": "*"}`)
		}
		return
	}
	for _, e := range pr.Entries {
		for _, v := range e.Values {
			if validPrincipal(e.Type, v.Text, p.cfg.partition, p.kind) {
				continue
			}
			detail := fmt.Sprintf("%s principal %s is not well-formed", e.Type, quote(v.Text))
			if p.kind == KindTrust {
				p.failAt(stagePrincipalValue, v.Pos, fmt.Sprintf(fmtTrustInvalidPrincipal, trustTypeName(e.Type), v.Text), detail)
			} else {
				p.failAt(stagePrincipalValue, v.Pos, msgInvalidPrincipal, detail)
			}
		}
	}
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		default:
			return false
		}
	}
	return true
}

// quote quotes s for a detail message, shortening long values.
func quote(s string) string {
	const max = 80
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max]) + "..."
	}
	return fmt.Sprintf("%q", s)
}
