package storage_test

import (
	"context"
	"errors"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/storage"
)

func put(key, value string, rev int64) storage.Event {
	return storage.Event{Type: storage.EventPut, KV: storage.KV{Key: key, Value: []byte(value), ModRevision: rev}}
}

// drain reads ch until it is closed and returns what it read.
func drain(ch <-chan storage.Event) []storage.Event {
	var out []storage.Event
	for ev := range ch {
		out = append(out, ev)
	}
	return out
}

func TestFanoutPrefixAndOrder(t *testing.T) {
	f := storage.NewFanout(16)
	ctx, cancel := context.WithCancel(context.Background())
	a, err := f.Subscribe(ctx, "a/")
	if err != nil {
		t.Fatal(err)
	}
	all, err := f.Subscribe(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	f.Publish([]storage.Event{put("a/1", "x", 1), put("a0", "y", 1)})
	f.Publish([]storage.Event{put("b", "z", 2), put("a/2", "w", 3)})
	cancel()

	tests := []struct {
		name string
		ch   <-chan storage.Event
		want []string
	}{
		{"prefix a/", a, []string{"a/1", "a/2"}},
		{"everything", all, []string{"a/1", "a0", "b", "a/2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := drain(tt.ch)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d events, want %d: %+v", len(got), len(tt.want), got)
			}
			for i, ev := range got {
				if ev.KV.Key != tt.want[i] {
					t.Errorf("event %d: key %q, want %q", i, ev.KV.Key, tt.want[i])
				}
			}
		})
	}
}

func TestFanoutValuesAreCopies(t *testing.T) {
	f := storage.NewFanout(4)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c1, _ := f.Subscribe(ctx, "")
	c2, _ := f.Subscribe(ctx, "")
	src := []storage.Event{put("k", "value", 1)}
	f.Publish(src)
	e1, e2 := <-c1, <-c2
	e1.KV.Value[0] = 'X'
	if string(e2.KV.Value) != "value" || string(src[0].KV.Value) != "value" {
		t.Fatalf("mutating one watcher's value leaked: e2=%q src=%q", e2.KV.Value, src[0].KV.Value)
	}
}

func TestFanoutOverflowDropsWatcher(t *testing.T) {
	f := storage.NewFanout(2)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	slow, _ := f.Subscribe(ctx, "")
	fast, _ := f.Subscribe(ctx, "")
	for i := range 5 {
		f.Publish([]storage.Event{put("k", "v", int64(i+1))})
		// fast keeps up, so it sees every event even though slow overflows.
		if ev, ok := <-fast; !ok || ev.KV.ModRevision != int64(i+1) {
			t.Fatalf("fast watcher: event %+v ok=%v, want revision %d", ev, ok, i+1)
		}
	}
	// slow never read: it got its buffer's worth, then its channel was closed.
	if evs := drain(slow); len(evs) != 2 {
		t.Fatalf("slow watcher got %d events before being dropped, want 2", len(evs))
	}
	if ctx.Err() != nil {
		t.Fatal("context ended; the close must come from the overflow")
	}
}

func TestFanoutClose(t *testing.T) {
	f := storage.NewFanout(1)
	ch, err := f.Subscribe(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if evs := drain(ch); len(evs) != 0 {
		t.Fatalf("got %d events after close", len(evs))
	}
	if _, err := f.Subscribe(context.Background(), ""); !errors.Is(err, storage.ErrClosed) {
		t.Fatalf("Subscribe after Close: %v, want ErrClosed", err)
	}
	f.Publish([]storage.Event{put("k", "v", 1)}) // must not panic on closed channels
}

func TestFanoutEndedContext(t *testing.T) {
	f := storage.NewFanout(1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.Subscribe(ctx, ""); !errors.Is(err, context.Canceled) {
		t.Fatalf("Subscribe with ended ctx: %v, want context.Canceled", err)
	}
}
