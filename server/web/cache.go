package web

import (
	"container/list"
	"sync"
)

// threadCache keeps the encoded JSON of recently read threads, plain and
// gzipped, so that a read of a popular thread is a map lookup and a write.
// Entries are invalidated on every write to their thread; the cache holds at
// most maxBytes of bodies and drops the least recently read first.
type threadCache struct {
	mu       sync.Mutex
	maxBytes int
	bytes    int
	entries  map[string]*list.Element
	lru      *list.List // front = most recently used; values are *cached
	// gen counts the invalidations of each key. A reader that missed notes
	// the generation before it reads the database and stores its result
	// only if no write invalidated the key meanwhile; without this a slow
	// reader could put back a thread as it was before a new comment.
	gen map[string]uint64
	// flights are the rebuilds under way: after a write, the first reader
	// of a thread rebuilds it and the others wait for that result, rather
	// than all of them reading and encoding the same thread at once.
	flights map[string]*flight
}

// flight is one rebuild of a thread, and its result.
type flight struct {
	gen  uint64
	done chan struct{}
	val  *cached
	err  error
}

// cached is one encoded thread.
type cached struct {
	key  string
	etag string
	body []byte
	gz   []byte
}

func (e *cached) size() int { return len(e.key) + len(e.etag) + len(e.body) + len(e.gz) + 64 }

func newThreadCache(maxBytes int) *threadCache {
	return &threadCache{maxBytes: maxBytes, entries: map[string]*list.Element{}, lru: list.New(),
		gen: map[string]uint64{}, flights: map[string]*flight{}}
}

// load returns the entry of key, calling fill to build it when it is
// missing; concurrent loads of one key share a single fill. A fill that
// started before the key's latest invalidation is not shared with readers
// that came after it: they start their own.
func (c *threadCache) load(key string, fill func() (*cached, error)) (*cached, error) {
	c.mu.Lock()
	if el, ok := c.entries[key]; ok {
		c.lru.MoveToFront(el)
		c.mu.Unlock()
		return el.Value.(*cached), nil
	}
	gen := c.gen[key]
	if f, ok := c.flights[key]; ok && f.gen == gen {
		c.mu.Unlock()
		<-f.done
		return f.val, f.err
	}
	f := &flight{gen: gen, done: make(chan struct{})}
	c.flights[key] = f
	c.mu.Unlock()

	f.val, f.err = fill()
	if f.err == nil {
		c.put(f.val, gen)
	}
	c.mu.Lock()
	if c.flights[key] == f {
		delete(c.flights, key)
	}
	c.mu.Unlock()
	close(f.done)
	return f.val, f.err
}

// put stores e unless key was invalidated since get returned gen.
func (c *threadCache) put(e *cached, gen uint64) {
	if e.size() > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen[e.key] != gen {
		return
	}
	if el, ok := c.entries[e.key]; ok {
		c.remove(el)
	}
	c.entries[e.key] = c.lru.PushFront(e)
	c.bytes += e.size()
	for c.bytes > c.maxBytes {
		c.remove(c.lru.Back())
	}
}

// invalidate drops key, and makes any read that started before it unable to
// store what it read.
func (c *threadCache) invalidate(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen[key]++
	if el, ok := c.entries[key]; ok {
		c.remove(el)
	}
}

// clear drops every entry, and makes every read in flight unable to store
// what it read.
func (c *threadCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for key := range c.entries {
		c.gen[key]++
	}
	for key := range c.flights {
		c.gen[key]++
	}
	for c.lru.Len() > 0 {
		c.remove(c.lru.Back())
	}
}

func (c *threadCache) remove(el *list.Element) {
	e := c.lru.Remove(el).(*cached)
	delete(c.entries, e.key)
	c.bytes -= e.size()
}
