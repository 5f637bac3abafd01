package actions

// override is an API operation whose action is not the one named like the operation. The
// reference data carries no operation-to-action mapping, so these come from the services' API
// documentation; a test walks every generated operation and keeps the list honest.
type override struct {
	signingName, operation string
	// actions are what the operation is authorized against, "" padded; the first is the
	// primary one that ForOperation returns. An array, so the table is a value.
	actions [maxActions]string
}

// maxActions is the most actions one operation is authorized against.
const maxActions = 2

// overrides returns the operations whose actions differ from their names. A function rather
// than a package variable, so the table cannot be modified.
func overrides() [2]override {
	return [...]override{
		// ReEncrypt decrypts under one key and encrypts under another; AWS authorizes it as
		// kms:ReEncryptFrom on the source key and kms:ReEncryptTo on the destination key.
		// There is no kms:ReEncrypt action (policies may write kms:ReEncrypt*).
		{"kms", "ReEncrypt", [maxActions]string{"kms:ReEncryptFrom", "kms:ReEncryptTo"}},
		// "Access to the ListInsightsMetricData API operation is linked to the
		// cloudtrail:LookupEvents action" (CloudTrail API reference). Newer API versions add
		// a TrailName parameter that also needs cloudtrail:ListInsightsData on the trail; the
		// pinned model (2013-11-01 in aws-sdk 2.1693.0) has no such parameter.
		{"cloudtrail", "ListInsightsMetricData", [maxActions]string{"cloudtrail:LookupEvents"}},
	}
}

// ForOperation returns the action an API operation needs: the service is named by its SigV4
// signing name ("iam", "kms") and the operation as the API model spells it ("CreateUser").
// Usually that is the service's IAM prefix and the operation's name; for an operation that
// needs several actions (kms:ReEncrypt) it returns the first, and OperationActions returns all
// of them. ForOperation does not check that the operation exists: ("iam", "PassRole") returns
// iam:PassRole. It does not allocate.
func ForOperation(signingName, operation string) (*Action, bool) {
	prefix, ok := prefixOf(signingName)
	if !ok {
		return nil, false
	}
	if a, ok := find(prefix, operation); ok {
		return a, true
	}
	// Overrides are consulted second: an overridden operation has no action of its own name
	// (TestOverrides keeps that true), so the common case pays nothing for them.
	if o, ok := overrideOf(signingName, operation); ok {
		return Lookup(o.actions[0])
	}
	return nil, false
}

// OperationActions returns every action an API operation is authorized against, in the
// order the authorization should check them, or false when one of them is unknown. It
// allocates; build operation tables with it once, not per request.
func OperationActions(signingName, operation string) ([]*Action, bool) {
	o, ok := overrideOf(signingName, operation)
	if !ok {
		a, ok := ForOperation(signingName, operation)
		if !ok {
			return nil, false
		}
		return []*Action{a}, true
	}
	out := make([]*Action, 0, len(o.actions))
	for _, name := range o.actions {
		if name == "" {
			break
		}
		a, ok := Lookup(name)
		if !ok {
			return nil, false
		}
		out = append(out, a)
	}
	return out, true
}

// overrideOf returns the override of an operation.
func overrideOf(signingName, operation string) (override, bool) {
	for _, o := range overrides() {
		if o.signingName == signingName && o.operation == operation {
			return o, true
		}
	}
	return override{}, false
}

// PermissionFree reports whether AWS performs the operation without consulting any policy,
// even though the reference lists an action of the same name. AWS documents two:
// sts:GetCallerIdentity ("If an administrator attaches a policy to your identity that
// explicitly denies access to the sts:GetCallerIdentity action, you can still perform this
// operation") and sts:GetSessionToken ("You can include the GetSessionToken action in your
// policies, but it has no effect"). Authorization should let an authenticated caller run them
// regardless of policies.
func PermissionFree(signingName, operation string) bool {
	return signingName == "sts" && (operation == "GetCallerIdentity" || operation == "GetSessionToken")
}

// prefixOf returns the IAM prefix of a served signing name.
func prefixOf(signingName string) (string, bool) {
	for _, s := range serviceTable {
		if s.signingName == signingName {
			return s.prefix, true
		}
	}
	return "", false
}
