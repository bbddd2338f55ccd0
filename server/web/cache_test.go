package web

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestThreadCacheLoadSharesOneFill(t *testing.T) {
	c := newThreadCache(1 << 20)
	var fills atomic.Int32
	release := make(chan struct{})
	fill := func() (*cached, error) {
		fills.Add(1)
		<-release
		return &cached{key: "k", body: []byte("v1")}, nil
	}
	var wg sync.WaitGroup
	results := make(chan string, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e, err := c.load("k", fill)
			if err != nil {
				t.Error(err)
				return
			}
			results <- string(e.body)
		}()
	}
	time.Sleep(50 * time.Millisecond) // let the readers pile up behind the first
	close(release)
	wg.Wait()
	close(results)
	for r := range results {
		if r != "v1" {
			t.Errorf("reader got %q", r)
		}
	}
	if n := fills.Load(); n != 1 {
		t.Errorf("%d fills for 50 concurrent readers, want 1", n)
	}
}

// TestThreadCacheInvalidateDuringFill checks that a rebuild that started
// before a write neither serves readers who came after the write nor puts
// its stale result in the cache.
func TestThreadCacheInvalidateDuringFill(t *testing.T) {
	c := newThreadCache(1 << 20)
	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan *cached)
	go func() {
		e, _ := c.load("k", func() (*cached, error) {
			close(started)
			<-release
			return &cached{key: "k", body: []byte("old")}, nil
		})
		done <- e
	}()
	<-started
	c.invalidate("k") // a comment is written while the old thread is being read
	fresh, err := c.load("k", func() (*cached, error) { return &cached{key: "k", body: []byte("new")}, nil })
	if err != nil || string(fresh.body) != "new" {
		t.Fatalf("reader after the write got %q, %v", fresh.body, err)
	}
	close(release)
	if old := <-done; string(old.body) != "old" {
		t.Errorf("the earlier reader got %q", old.body)
	}
	again, _ := c.load("k", func() (*cached, error) { t.Error("refilled although cached"); return nil, nil })
	if string(again.body) != "new" {
		t.Errorf("cache holds %q after the stale fill finished, want new", again.body)
	}
}

func TestThreadCacheEvictsLeastRecentlyUsed(t *testing.T) {
	e := func(k string) *cached { return &cached{key: k, body: make([]byte, 400)} }
	c := newThreadCache(3 * e("a").size())
	for _, k := range []string{"a", "b", "c"} {
		c.load(k, func() (*cached, error) { return e(k), nil })
	}
	c.load("a", nil) // a is now the most recently used
	c.load("d", func() (*cached, error) { return e("d"), nil })
	if _, ok := c.entries["b"]; ok {
		t.Error("b, the least recently used, was kept")
	}
	for _, k := range []string{"a", "c", "d"} {
		if _, ok := c.entries[k]; !ok {
			t.Errorf("%s was evicted", k)
		}
	}
	if c.bytes > c.maxBytes {
		t.Errorf("cache holds %d bytes, limit %d", c.bytes, c.maxBytes)
	}
}
