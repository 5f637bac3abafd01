package iam

import (
	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	domain "github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

// tagsIn maps a request's tags to the domain's.
func tagsIn(in []api.Tag) []domain.Tag {
	if len(in) == 0 {
		return nil
	}
	out := make([]domain.Tag, len(in))
	for i, t := range in {
		out[i] = domain.Tag{Key: ptr.Value(t.Key), Value: ptr.Value(t.Value)}
	}
	return out
}

// tagsOut maps domain tags to the wire's; nil when there are none, so that the Tags member is
// left out of entities that have no tags, as AWS does.
func tagsOut(in []domain.Tag) []api.Tag {
	if len(in) == 0 {
		return nil
	}
	return tagList(in)
}

// tagList maps domain tags to a wire list that is never nil, for the List*Tags outputs whose
// Tags member is required.
func tagList(in []domain.Tag) []api.Tag {
	out := make([]api.Tag, len(in))
	for i, t := range in {
		out[i] = api.Tag{Key: ptr.Of(t.Key), Value: ptr.Of(t.Value)}
	}
	return out
}

// tagPage maps a page of tags to the outputs of the List*Tags operations.
func tagPage(p domain.Page[domain.Tag]) (tags []api.Tag, truncated *bool, marker *string) {
	truncated, marker = pageOut(p.IsTruncated, p.Marker)
	return tagList(p.Items), truncated, marker
}
