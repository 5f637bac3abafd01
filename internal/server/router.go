package server

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/bulwarkhq/bulwark/internal/protocol"
	"github.com/bulwarkhq/bulwark/internal/protocol/awsjson"
	"github.com/bulwarkhq/bulwark/internal/protocol/awsquery"
	"github.com/bulwarkhq/bulwark/internal/protocol/restjson"
	"github.com/bulwarkhq/bulwark/internal/sigv4"
)

// Router picks the service a request is for: by the SigV4 credential scope's service name,
// and, for a request without one (which then fails authentication in the right protocol),
// by X-Amz-Target, by the awsQuery Action, or by the rest-json path.
type Router struct {
	bySigningName map[string]*protocol.Service
	byTarget      map[string]*protocol.Service
	query         []*protocol.Service
	rest          []*protocol.Service
}

// NewRouter indexes the services.
func NewRouter(services []*protocol.Service) *Router {
	r := &Router{bySigningName: map[string]*protocol.Service{}, byTarget: map[string]*protocol.Service{}}
	for _, s := range services {
		r.bySigningName[s.SigningName] = s
		switch s.Protocol {
		case protocol.JSON:
			r.byTarget[s.TargetPrefix] = s
			if i := strings.LastIndexByte(s.TargetPrefix, '.'); i >= 0 {
				r.byTarget[s.TargetPrefix[i+1:]] = s
			}
		case protocol.Query:
			r.query = append(r.query, s)
		case protocol.RESTJSON:
			r.rest = append(r.rest, s)
		}
	}
	return r
}

// Service returns the service the request is for, or nil.
func (rt *Router) Service(r *http.Request) *protocol.Service {
	if sc, ok := sigv4.ParseScope(r); ok {
		return rt.bySigningName[sc.Service]
	}
	if prefix, _, ok := awsjson.Target(r); ok {
		if s := rt.byTarget[prefix]; s != nil {
			return s
		}
	}
	if s := rt.queryService(actionOf(r)); s != nil {
		return s
	}
	if len(rt.query) > 0 && r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		return rt.query[0]
	}
	return nil
}

// queryService returns the awsQuery service with the action, or nil.
func (rt *Router) queryService(action string) *protocol.Service {
	if action == "" {
		return nil
	}
	for _, s := range rt.query {
		if s.Operation(action) != nil {
			return s
		}
	}
	return nil
}

// actionOf peeks at the Action of an unsigned awsQuery request in the URL query.
func actionOf(r *http.Request) string {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return ""
	}
	return q.Get("Action")
}

// NewCodecs returns one codec per protocol over the services.
func NewCodecs(services []*protocol.Service) map[string]protocol.Codec {
	by := map[string][]*protocol.Service{}
	for _, s := range services {
		by[s.Protocol] = append(by[s.Protocol], s)
	}
	return map[string]protocol.Codec{
		protocol.Query:    awsquery.NewCodec(by[protocol.Query]...),
		protocol.JSON:     awsjson.NewCodec(by[protocol.JSON]...),
		protocol.RESTJSON: restjson.NewCodec(by[protocol.RESTJSON]...),
	}
}
