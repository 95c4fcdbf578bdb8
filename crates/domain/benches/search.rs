//! The catalogue search's worst case against ordinary searches (issue 16): a query of
//! the most distinct words allowed, each one letter found inside nearly every word of
//! the vocabulary, against one or two words of the vocabulary. A benchmark, not a test:
//! it prints figures (recorded in docs/performance.md). Run with
//! `cargo bench -p juri-domain --bench search`.

#![expect(
    clippy::print_stdout,
    reason = "a benchmark reports its figures on stdout"
)]

use juri_domain::award::search_key;
use juri_domain::search::{MAX_QUERY_WORDS, SearchIndex, SearchQuery};
use std::time::{Duration, Instant};

/// Marsaglia's xorshift64, seeded: the same texts every run.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }
}

/// A vocabulary of Indonesian-looking words (two to four syllables).
fn vocabulary(rng: &mut XorShift, n: usize) -> Vec<String> {
    const SYLLABLES: [&str; 30] = [
        "ba", "ka", "ng", "la", "da", "pe", "ma", "si", "ta", "ra", "an", "en", "in", "ku", "sa",
        "wa", "ja", "ri", "mu", "po", "tu", "ha", "ge", "lo", "be", "di", "ya", "nu", "ke", "se",
    ];
    (0..n)
        .map(|_| {
            let len = 2 + rng.below(3);
            (0..len)
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect()
        })
        .collect()
}

fn time(index: &SearchIndex, queries: &[SearchQuery]) -> Duration {
    let started = Instant::now();
    let mut found = 0usize;
    for q in queries {
        found += index.matching_words(q.words()).len();
    }
    std::hint::black_box(found);
    started.elapsed()
}

fn main() {
    let mut rng = XorShift(0x6a75_7269_2016);
    let vocab = vocabulary(&mut rng, 20_000);
    for docs in [10_000usize, 50_000] {
        // A title and a summary of an innovation: some 40 words each.
        let texts: Vec<String> = (0..docs)
            .map(|_| {
                let words: Vec<&str> = (0..40)
                    .map(|_| vocab[rng.below(vocab.len())].as_str())
                    .collect();
                search_key(&words.join(" "))
            })
            .collect();
        let index = SearchIndex::build(texts.iter().map(String::as_str));
        let n = 300;
        let ordinary: Vec<SearchQuery> = (0..n)
            .map(|i| {
                let mut q = vocab[rng.below(vocab.len())].clone();
                if i % 2 == 0 {
                    q.push(' ');
                    q.push_str(&vocab[rng.below(vocab.len())]);
                }
                SearchQuery::parse(&q).unwrap_or_default()
            })
            .collect();
        // The most common one-, two- and three-letter strings of the vocabulary: each
        // found inside as many words as any string of its length.
        let mut counts: std::collections::HashMap<String, usize> = Default::default();
        for w in &vocab {
            let chars: Vec<char> = w.chars().collect();
            for n in 1..=6 {
                let mut seen: Vec<String> = chars.windows(n).map(|g| g.iter().collect()).collect();
                seen.sort_unstable();
                seen.dedup();
                for g in seen {
                    *counts.entry(g).or_default() += 1;
                }
            }
        }
        time(&index, &ordinary);
        let best = |qs: &[SearchQuery]| (0..3).map(|_| time(&index, qs)).min().unwrap_or_default();
        let o = best(&ordinary);
        let per = |d: Duration| d.as_secs_f64() * 1000.0 / n as f64;
        println!(
            "{docs} innovations: ordinary (one or two words) {:.3} ms a query",
            per(o)
        );
        for len in 1..=6 {
            let mut common: Vec<(&String, &usize)> = counts
                .iter()
                .filter(|(g, _)| g.chars().count() == len)
                .collect();
            common.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let top: Vec<&str> = common
                .iter()
                .take(MAX_QUERY_WORDS + 4)
                .map(|(g, _)| g.as_str())
                .collect();
            let worst: Vec<SearchQuery> = (0..n)
                .map(|i| {
                    let q: Vec<&str> = (0..MAX_QUERY_WORDS)
                        .map(|k| top[(i + k) % top.len()])
                        .collect();
                    SearchQuery::parse(&q.join(" ")).unwrap_or_default()
                })
                .collect();
            let w = best(&worst);
            println!(
                "  worst, {MAX_QUERY_WORDS} of the commonest {len}-letter strings ({}): {:.3} ms a query, ratio {:.2}",
                top[..MAX_QUERY_WORDS].join(" "),
                per(w),
                w.as_secs_f64() / o.as_secs_f64().max(1e-12)
            );
        }
    }
}
