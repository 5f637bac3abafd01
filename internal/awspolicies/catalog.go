package awspolicies

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed" // the catalogue data
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/bulwarkhq/bulwark/internal/iam"
)

//go:embed policies.jsonl.gz
var data string

// Catalog is the AWS managed policy catalogue of the embedded data. Its methods may be
// called concurrently; the data is decoded once per process, on the first call, so starting
// a server costs nothing.
type Catalog struct{}

var _ iam.AWSPolicyCatalog = (*Catalog)(nil)

// New returns the catalogue.
func New() *Catalog { return &Catalog{} }

// decoded decodes the embedded data the first time it is called and returns the same index
// after that. The data is generated and checked by this package's tests, so failing to
// decode it is a build defect and panics.
var decoded = sync.OnceValue(func() *index {
	ix, err := decode(strings.NewReader(data))
	if err != nil {
		panic(fmt.Sprintf("awspolicies: embedded data: %v", err))
	}
	return ix
})

// index is the decoded catalogue. It is never modified after decode; the methods hand out
// copies.
type index struct {
	policies []iam.AWSManagedPolicy // sorted by path, then name
	versions []iam.PolicyVersion    // versions[i] is policies[i]'s default version
	byKey    map[string]int         // path + "\x00" + name -> position
}

// line is one policy of the data file. A line is this object in JSON, a tab, and the policy
// document (compact JSON, so it holds no tab), which is taken as it is.
type line struct {
	Path             string    `json:"Path"`
	Name             string    `json:"Name"`
	PolicyID         string    `json:"PolicyId"`
	DefaultVersionID string    `json:"DefaultVersionId"`
	CreateDate       time.Time `json:"CreateDate"`
	UpdateDate       time.Time `json:"UpdateDate"`
}

func decode(r io.Reader) (*index, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	ix := &index{
		policies: make([]iam.AWSManagedPolicy, 0, policyCount),
		versions: make([]iam.PolicyVersion, 0, policyCount),
		byKey:    make(map[string]int, policyCount),
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		meta, doc, ok := bytes.Cut(sc.Bytes(), []byte{'\t'})
		var l line
		if err := json.Unmarshal(meta, &l); err != nil || !ok || len(doc) == 0 || doc[0] != '{' {
			return nil, fmt.Errorf("line %d: not a policy (%v)", len(ix.policies)+1, err)
		}
		key := l.Path + "\x00" + l.Name
		if _, dup := ix.byKey[key]; dup {
			return nil, fmt.Errorf("line %d: %s%s appears twice", len(ix.policies)+1, l.Path, l.Name)
		}
		ix.byKey[key] = len(ix.policies)
		ix.policies = append(ix.policies, iam.AWSManagedPolicy{
			Name: l.Name, Path: l.Path, ID: l.PolicyID,
			CreateDate: l.CreateDate, UpdateDate: l.UpdateDate, DefaultVersionID: l.DefaultVersionID,
		})
		// AWS managed policies always have their newest version as the default, and a
		// policy's UpdateDate is when its newest version was created.
		ix.versions = append(ix.versions, iam.PolicyVersion{
			Document: string(doc), VersionID: l.DefaultVersionID,
			IsDefaultVersion: true, CreateDate: l.UpdateDate,
		})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if err := zr.Close(); err != nil {
		return nil, err
	}
	if len(ix.policies) != policyCount {
		return nil, fmt.Errorf("%d policies, want %d", len(ix.policies), policyCount)
	}
	return ix, nil
}

// AWSPolicy returns the AWS managed policy with the path ("/", "/job-function/", ...) and
// name, with its default version.
func (c *Catalog) AWSPolicy(path, name string) (iam.AWSManagedPolicy, bool) {
	ix := decoded()
	i, ok := ix.byKey[path+"\x00"+name]
	if !ok {
		return iam.AWSManagedPolicy{}, false
	}
	p := ix.policies[i]
	p.Versions = []iam.PolicyVersion{ix.versions[i]}
	return p, true
}

// AWSPolicies returns every AWS managed policy, sorted by path and then name, each with its
// default version. The slice is the caller's.
func (c *Catalog) AWSPolicies() []iam.AWSManagedPolicy {
	ix := decoded()
	out := make([]iam.AWSManagedPolicy, len(ix.policies))
	versions := make([]iam.PolicyVersion, len(ix.versions))
	copy(out, ix.policies)
	copy(versions, ix.versions)
	for i := range out {
		out[i].Versions = versions[i : i+1 : i+1]
	}
	return out
}

// Len returns the number of policies in the catalogue without decoding it.
func (c *Catalog) Len() int { return policyCount }
