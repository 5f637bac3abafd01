package iam

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/bulwarkhq/bulwark/internal/storage"
)

// PageInput is the Marker/MaxItems pair of every IAM List operation. MaxItems 0 means the
// default (100); it must otherwise be 1..1000 ("maxItemsType"). Marker is the Marker of the
// previous page, "" for the first.
type PageInput struct {
	Marker   string
	MaxItems int
}

// Page is one page of a listing. When IsTruncated is set, pass Marker back for the next page.
type Page[T any] struct {
	Items       []T
	IsTruncated bool
	Marker      string
}

// errInvalidMarker is AWS's answer to a marker it did not issue (recorded from AWS).
func errInvalidMarker() error { return validationError("Invalid Marker.") }

// cursor is a decoded marker: the index of the key range (a listing may walk several in turn)
// and the key suffix, within that range, of the last item returned.
type cursor struct {
	part  int
	after string
}

func (p PageInput) check() (limit int, cur cursor, err error) {
	limit = p.MaxItems
	if limit == 0 {
		limit = defaultMaxItems
	}
	var c checks
	c.intRange("maxItems", limit, 1, maxMaxItems)
	if err := c.err(); err != nil {
		return 0, cursor{}, err
	}
	if p.Marker == "" {
		return limit, cursor{}, nil
	}
	if length(p.Marker) > maxMarker {
		return 0, cursor{}, errInvalidMarker()
	}
	raw, err := base64.RawURLEncoding.DecodeString(p.Marker)
	if err != nil {
		return 0, cursor{}, errInvalidMarker()
	}
	i := strings.IndexByte(string(raw), '|')
	if i < 0 {
		return 0, cursor{}, errInvalidMarker()
	}
	part, err := strconv.Atoi(string(raw[:i]))
	if err != nil || part < 0 {
		return 0, cursor{}, errInvalidMarker()
	}
	return limit, cursor{part: part, after: string(raw[i+1:])}, nil
}

func (c cursor) encode() string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(c.part) + "|" + c.after))
}

// scan lists keys under each prefix in turn, starting after the cursor in in.Marker. decode
// turns a KV into an item, or skips it (ok=false) when a filter rejects it. It stops after
// limit items and looks ahead for one more accepted item to decide IsTruncated, as AWS does.
func scan[T any](ctx context.Context, b storage.Backend, prefixes []string, in PageInput,
	decode func(part int, kv storage.KV) (item T, ok bool, err error)) (Page[T], error) {
	limit, cur, err := in.check()
	if err != nil {
		return Page[T]{}, err
	}
	if cur.part >= len(prefixes) {
		return Page[T]{}, errInvalidMarker()
	}
	var out Page[T]
	batch := min(max(limit+1, 100), maxMaxItems)
	var last cursor
	for part := cur.part; part < len(prefixes); part++ {
		prefix := prefixes[part]
		after := ""
		if part == cur.part && cur.after != "" {
			after = prefix + cur.after
		}
		for {
			pg, err := b.Range(ctx, prefix, after, batch)
			if err != nil {
				return Page[T]{}, fmt.Errorf("range %s: %w", prefix, err)
			}
			for _, kv := range pg.KVs {
				after = kv.Key
				item, ok, err := decode(part, kv)
				if err != nil {
					return Page[T]{}, err
				}
				if !ok {
					continue
				}
				if len(out.Items) == limit {
					out.IsTruncated = true
					out.Marker = last.encode()
					return out, nil
				}
				out.Items = append(out.Items, item)
				last = cursor{part: part, after: strings.TrimPrefix(kv.Key, prefix)}
			}
			if !pg.More || len(pg.KVs) == 0 {
				break
			}
		}
	}
	return out, nil
}

// pageSlice pages an in-memory list that is sorted by key (strictly increasing).
func pageSlice[T any](items []T, key func(T) string, in PageInput) (Page[T], error) {
	limit, cur, err := in.check()
	if err != nil {
		return Page[T]{}, err
	}
	if cur.part != 0 {
		return Page[T]{}, errInvalidMarker()
	}
	start := 0
	if in.Marker != "" {
		for start < len(items) && key(items[start]) <= cur.after {
			start++
		}
	}
	var out Page[T]
	end := min(start+limit, len(items))
	out.Items = append(out.Items, items[start:end]...)
	if end < len(items) {
		out.IsTruncated = true
		out.Marker = cursor{after: key(items[end-1])}.encode()
	}
	return out, nil
}

// pageOrdered pages a list in its given order; the marker is the position of the last item.
func pageOrdered[T any](items []T, in PageInput) (Page[T], error) {
	type indexed struct {
		key  string
		item T
	}
	keyed := make([]indexed, len(items))
	for i, it := range items {
		keyed[i] = indexed{key: fmt.Sprintf("%06d", i), item: it}
	}
	p, err := pageSlice(keyed, func(x indexed) string { return x.key }, in)
	if err != nil {
		return Page[T]{}, err
	}
	out := Page[T]{IsTruncated: p.IsTruncated, Marker: p.Marker, Items: make([]T, 0, len(p.Items))}
	for _, x := range p.Items {
		out.Items = append(out.Items, x.item)
	}
	return out, nil
}
