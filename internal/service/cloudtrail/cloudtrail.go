// Package cloudtrail serves the CloudTrail API over Bulwark's own audit trail: LookupEvents
// finds the events the request pipeline recorded.
package cloudtrail

import (
	"context"
	"fmt"

	api "github.com/bulwarkhq/bulwark/internal/api/cloudtrail"
	"github.com/bulwarkhq/bulwark/internal/audit"
	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

// Service implements the CloudTrail operations Bulwark builds.
type Service struct {
	trail *audit.Store
}

// New returns the service over the audit trail.
func New(trail *audit.Store) *Service { return &Service{trail: trail} }

var _ api.LookupEventsHandler = (*Service)(nil)

// LookupEvents implements CloudTrail LookupEvents for the caller's account and Region.
func (s *Service) LookupEvents(ctx context.Context, in *api.LookupEventsInput) (*api.LookupEventsOutput, error) {
	req := caller.FromContext(ctx)
	if req == nil {
		return nil, fmt.Errorf("cloudtrail: no caller in context")
	}
	q := audit.LookupQuery{
		Account:       req.Principal.Account,
		Region:        req.Region,
		StartTime:     ptr.Value(in.StartTime),
		EndTime:       ptr.Value(in.EndTime),
		EventCategory: ptr.Value(in.EventCategory),
		MaxResults:    in.MaxResults,
		NextToken:     ptr.Value(in.NextToken),
	}
	for _, a := range in.LookupAttributes {
		q.LookupAttributes = append(q.LookupAttributes, audit.LookupAttribute{Key: ptr.Value(a.AttributeKey), Value: ptr.Value(a.AttributeValue)})
	}
	res, err := s.trail.Lookup(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &api.LookupEventsOutput{Events: make([]api.Event, 0, len(res.Events))}
	if res.NextToken != "" {
		out.NextToken = ptr.Of(res.NextToken)
	}
	for _, e := range res.Events {
		ev := api.Event{
			EventId: ptr.Of(e.EventID), EventName: ptr.Of(e.EventName), ReadOnly: ptr.Of(e.ReadOnly),
			EventTime: ptr.Of(e.EventTime), EventSource: ptr.Of(e.EventSource),
			CloudTrailEvent: ptr.Of(e.CloudTrailEvent),
		}
		if e.AccessKeyID != "" {
			ev.AccessKeyId = ptr.Of(e.AccessKeyID)
		}
		if e.Username != "" {
			ev.Username = ptr.Of(e.Username)
		}
		for _, r := range e.Resources {
			ev.Resources = append(ev.Resources, api.Resource{ResourceType: ptr.Of(r.ResourceType), ResourceName: ptr.Of(r.ResourceName)})
		}
		out.Events = append(out.Events, ev)
	}
	return out, nil
}
