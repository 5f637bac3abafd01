package audit

// HoldWriter keeps the batcher from starting a writer, so that events recorded meanwhile
// queue up; the returned function lets the writer run. Tests use it to shape batches; no
// Record may run while HoldWriter waits for the previous writer to exit.
func (s *Store) HoldWriter() (release func()) {
	s.writers.Wait()
	s.mu.Lock()
	s.running = true
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.running = false
		if len(s.queue) > 0 {
			s.running = true
			s.writers.Add(1)
			go s.writer()
		}
	}
}

// Queued returns how many events wait for the writer.
func (s *Store) Queued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, g := range s.queue {
		n += len(g.events)
	}
	return n
}

// MaxBatchSpan is the widest time span of one stored batch, in nanoseconds.
const MaxBatchSpan = maxBatchSpan
