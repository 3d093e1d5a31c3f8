//! An ordered parallel map over a slice: `lint` and `test` run one file per item on every
//! core and print in input order. Hand-written (std scoped threads, an atomic cursor)
//! because it is twenty lines and rayon would add a dependency tree to a lean library.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Maps `f` over `items` on up to `available_parallelism` threads, keeping input order.
/// Small inputs (`< min_chunk` items per worker) run on the calling thread.
pub(crate) fn map_ordered<T: Sync, R: Send>(
    items: &[T],
    min_chunk: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let most = items.len().div_ceil(min_chunk.max(1));
    if most <= 1 {
        // Before asking for the core count: that reads cgroup files, a tenth of a
        // millisecond of a one-fixture `test`.
        return items.iter().map(&f).collect();
    }
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(most));
    if workers <= 1 {
        return items.iter().map(&f).collect();
    }
    let next = AtomicUsize::new(0);
    let parts: Vec<Vec<(usize, R)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        mine.push((i, f(item)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            // A worker only panics if `f` does; re-raise it on the caller's thread.
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut all: Vec<(usize, R)> = parts.into_iter().flatten().collect();
    all.sort_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_order_on_many_items() {
        let items: Vec<usize> = (0..1000).collect();
        let out = super::map_ordered(&items, 8, |i| i * 2);
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
    }
}
