//! The catalogue's text search, in memory: every word of a query must occur inside the
//! folded search text of an innovation (see [`crate::award::search_key`]).
//!
//! Search texts and queries are folded to words of letters and digits separated by
//! single spaces, and a query word has no space, so "the word occurs inside the text"
//! is the same as "the word occurs inside one of the text's words". The index keeps
//! each distinct word once with the documents that contain it: a query scans the
//! vocabulary (a few thousand short words), not every text.

use crate::Message;
use std::collections::{BTreeMap, HashMap};

/// Documents are numbered `0..n` in the order they were given to [`SearchIndex::build`].
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    words: Vec<String>,
    /// For each word, the documents that contain it, ascending.
    postings: Vec<Vec<u32>>,
    docs: u32,
    /// Every one- and two-letter string found inside a word, with the documents that
    /// hold it, as a bit set. A short query word is found inside most of the vocabulary,
    /// so scanning for it and marking the postings of all those words was the costly
    /// case (a search of six single letters cost 8.5 ordinary searches); this way it is
    /// one look-up. Memory: at most a few thousand bit sets of `docs` bits.
    grams: HashMap<String, Vec<u64>>,
}

/// The distinct one- and two-character strings inside `word`.
fn grams_of(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut out: Vec<String> = chars.iter().map(char::to_string).collect();
    out.extend(chars.windows(2).map(|w| w.iter().collect::<String>()));
    out.sort_unstable();
    out.dedup();
    out
}

/// The distinct three- to five-character strings inside `word`.
fn trigrams_of(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut out: Vec<String> = (3..=HEAVY_UP_TO)
        .flat_map(|n| chars.windows(n).map(|w| w.iter().collect::<String>()))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Strings of three letters up to this many get a precomputed set when they are heavy.
const HEAVY_UP_TO: usize = 5;

fn mark(set: &mut [u64], docs: &[u32]) {
    for &d in docs {
        let d = d as usize;
        if let Some(block) = set.get_mut(d / 64) {
            *block |= 1 << (d % 64);
        }
    }
}

impl SearchIndex {
    /// Index folded texts (as made by `search_key`).
    pub fn build<'a>(texts: impl IntoIterator<Item = &'a str>) -> SearchIndex {
        let mut map: BTreeMap<&'a str, Vec<u32>> = BTreeMap::new();
        let mut docs = 0u32;
        for (i, text) in texts.into_iter().enumerate() {
            let doc = u32::try_from(i).unwrap_or(u32::MAX);
            docs = doc.saturating_add(1);
            for w in text.split(' ').filter(|w| !w.is_empty()) {
                let list = map.entry(w).or_default();
                if list.last() != Some(&doc) {
                    list.push(doc);
                }
            }
        }
        let (words, postings): (Vec<String>, Vec<Vec<u32>>) =
            map.into_iter().map(|(w, p)| (w.to_owned(), p)).unzip();
        let blocks = usize::try_from(docs).unwrap_or(0).div_ceil(64);
        let mut grams: HashMap<String, Vec<u64>> = HashMap::new();
        // Strings of three to five letters whose words hold many postings: marking those
        // was the cost of a common one ("ang", "kan"). Few can be heavy (each document
        // holds a few hundred), so their sets stay small.
        let mut weight: HashMap<String, usize> = HashMap::new();
        for (w, p) in words.iter().zip(&postings) {
            for g in grams_of(w) {
                mark(grams.entry(g).or_insert_with(|| vec![0; blocks]), p);
            }
            for t in trigrams_of(w) {
                *weight.entry(t).or_default() += p.len();
            }
        }
        let heavy = (usize::try_from(docs).unwrap_or(0) / 8).max(64);
        weight.retain(|_, n| *n >= heavy);
        for (w, p) in words.iter().zip(&postings) {
            for t in trigrams_of(w) {
                if weight.contains_key(&t) {
                    mark(grams.entry(t).or_insert_with(|| vec![0; blocks]), p);
                }
            }
        }
        SearchIndex {
            words,
            postings,
            docs,
            grams,
        }
    }

    /// The documents containing every word of `query` (folded), ascending. An empty
    /// query matches every document.
    pub fn matching(&self, query: &str) -> Vec<u32> {
        let mut words: Vec<&str> = query.split(' ').filter(|w| !w.is_empty()).collect();
        words.sort_unstable();
        words.dedup();
        self.matching_words(&words)
    }

    /// The documents containing every one of `words` (folded, no spaces), ascending.
    /// One pass over the vocabulary for all the words together, marking documents in a
    /// bit set per word: no sort, no allocation per matching vocabulary word.
    pub fn matching_words<S: AsRef<str>>(&self, words: &[S]) -> Vec<u32> {
        if words.is_empty() {
            return (0..self.docs).collect();
        }
        let blocks = usize::try_from(self.docs).unwrap_or(0).div_ceil(64);
        let none = vec![0u64; blocks];
        // Short (and heavy three-letter) words from the precomputed sets; the others by
        // one pass over the vocabulary for all of them together.
        let (short, long): (Vec<&str>, Vec<&str>) =
            words.iter().map(AsRef::as_ref).partition(|q| {
                let n = q.chars().count();
                n <= 2 || (n <= HEAVY_UP_TO && self.grams.contains_key(*q))
            });
        let mut bits: Vec<Vec<u64>> = vec![vec![0u64; blocks]; long.len()];
        if !long.is_empty() {
            for (w, postings) in self.words.iter().zip(&self.postings) {
                for (k, q) in long.iter().enumerate() {
                    if w.contains(q) {
                        mark(&mut bits[k], postings);
                    }
                }
            }
        }
        let sets = bits
            .iter()
            .chain(short.iter().map(|q| self.grams.get(*q).unwrap_or(&none)));
        let mut acc = vec![u64::MAX; blocks];
        for set in sets {
            for (a, b) in acc.iter_mut().zip(set) {
                *a &= b;
            }
        }
        acc.iter()
            .enumerate()
            .flat_map(|(block, &b)| {
                let base = u32::try_from(block * 64).unwrap_or(u32::MAX);
                (0..64u32)
                    .filter(move |i| b & (1 << i) != 0)
                    .map(move |i| base + i)
            })
            .collect()
    }
}

/// The most words a catalogue search may have once folded, de-duplicated and with the
/// words found inside another dropped. A word of three letters or more is looked for in
/// every word of the vocabulary and marks the documents of each it is found in: four
/// of the commonest such strings cost about 4 ordinary searches (`benches/search.rs`).
pub const MAX_QUERY_WORDS: usize = 4;
/// The longest query, in characters as typed (checked before folding).
pub const MAX_QUERY_CHARS: usize = 200;

/// A checked catalogue search: folded words, distinct, none inside another (a text that
/// holds "posyandu" holds "pos"), longest (most selective) first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchQuery {
    words: Vec<String>,
}

impl SearchQuery {
    /// Check a query as typed. Too long, or too many distinct words, is a 422 naming
    /// `q`: never silently cut, so what is searched is what was asked.
    pub fn parse(raw: &str) -> Result<SearchQuery, crate::Error> {
        if raw.chars().count() > MAX_QUERY_CHARS {
            return Err(crate::Error::invalid(
                "q",
                "too_long",
                Message::new("field.search.too_long"),
            ));
        }
        let folded = crate::award::search_key(raw);
        let mut words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        words.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        words.dedup();
        let mut kept: Vec<&str> = Vec::new();
        for w in words {
            if !kept.iter().any(|k| k.contains(w)) {
                kept.push(w);
            }
        }
        if kept.len() > MAX_QUERY_WORDS {
            return Err(crate::Error::invalid(
                "q",
                "too_many_words",
                Message::new("field.search.too_many_words"),
            ));
        }
        Ok(SearchQuery {
            words: kept.into_iter().map(str::to_owned).collect(),
        })
    }

    pub fn words(&self) -> &[String] {
        &self.words
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::award::search_key;
    use proptest::prelude::*;

    /// The rule the index must give the same answer as: every query word is a
    /// substring of the text.
    fn naive(texts: &[String], query: &str) -> Vec<u32> {
        texts
            .iter()
            .enumerate()
            .filter(|(_, t)| {
                query
                    .split(' ')
                    .filter(|w| !w.is_empty())
                    .all(|w| t.contains(w))
            })
            .map(|(i, _)| u32::try_from(i).unwrap_or(u32::MAX))
            .collect()
    }

    #[test]
    fn finds_words_inside_words_accents_and_case_folded() {
        let texts: Vec<String> = [
            "Bank Sampah Digital Sungailiat",
            "Posyandu Remaja",
            "Kebun Lada Organik di Belinyu",
            "Pengelolaan sampah pasar",
        ]
        .iter()
        .map(|t| search_key(t))
        .collect();
        let index = SearchIndex::build(texts.iter().map(String::as_str));
        assert_eq!(index.matching(&search_key("SAMPAH")), vec![0, 3]);
        assert_eq!(index.matching(&search_key("ampa")), vec![0, 3]);
        assert_eq!(index.matching(&search_key("sampah pasar")), vec![3]);
        assert_eq!(index.matching(&search_key("Lâda bélinyu")), vec![2]);
        assert_eq!(
            index.matching(&search_key("lada remaja")),
            Vec::<u32>::new()
        );
        assert_eq!(index.matching(""), vec![0, 1, 2, 3]);
    }

    proptest! {
        #[test]
        fn the_index_answers_as_substring_search_does(
            texts in prop::collection::vec("[abc ]{0,12}", 0..12),
            query in "[abc ]{0,5}",
        ) {
            let texts: Vec<String> = texts.iter().map(|t| search_key(t)).collect();
            let query = search_key(&query);
            let index = SearchIndex::build(texts.iter().map(String::as_str));
            prop_assert_eq!(index.matching(&query), naive(&texts, &query));
        }
    }

    #[test]
    fn a_query_is_bounded_and_its_repeated_or_contained_words_dropped() {
        let many_a = vec!["a"; 5_000].join(" ");
        assert_eq!(
            SearchQuery::parse(&many_a[..199]).map(|q| q.words().to_vec()),
            Ok(vec!["a".to_owned()])
        );
        assert!(SearchQuery::parse(&many_a).is_err(), "over 200 characters");
        let q = SearchQuery::parse("Pos posyandu POSYANDU sampah amp").expect("valid");
        assert_eq!(q.words(), ["posyandu", "sampah"]);
        assert!(SearchQuery::parse("a b c d").is_ok());
        match SearchQuery::parse("a b c d e") {
            Err(crate::Error::Invalid(errors)) => {
                assert_eq!(errors[0].field, "q");
                assert_eq!(errors[0].code, "too_many_words");
            }
            other => panic!("{other:?}"),
        }
        assert!(SearchQuery::parse("  ").expect("valid").is_empty());
    }

    proptest! {
        #[test]
        fn dropping_contained_words_changes_no_answer(
            texts in prop::collection::vec("[abc ]{0,12}", 0..12),
            query in "[abc ]{0,9}",
        ) {
            let texts: Vec<String> = texts.iter().map(|t| search_key(t)).collect();
            let index = SearchIndex::build(texts.iter().map(String::as_str));
            let q = SearchQuery::parse(&query).expect("short queries of 3 letters are valid");
            prop_assert_eq!(index.matching_words(q.words()), naive(&texts, &search_key(&query)));
        }
    }

    #[test]
    fn heavy_strings_from_their_sets_answer_as_the_scan_does() {
        // Enough documents that common strings pass the weight for a precomputed set.
        let words = [
            "bangka", "pangkal", "sungai", "kangkung", "ladang", "batang", "sampah",
        ];
        let texts: Vec<String> = (0..400usize)
            .map(|i| {
                let a = words[i % words.len()];
                let b = words[(i / 3) % words.len()];
                search_key(&format!("{a} {b} nomor{}", i % 17))
            })
            .collect();
        let index = SearchIndex::build(texts.iter().map(String::as_str));
        assert!(
            index.grams.contains_key("ang"),
            "a heavy three-letter string"
        );
        assert!(
            index.grams.contains_key("angk"),
            "a heavy four-letter string"
        );
        for q in [
            "ang",
            "angk",
            "ngkal",
            "ang sam",
            "kung ladang",
            "nomor1",
            "zzz",
            "a n",
        ] {
            let parsed = SearchQuery::parse(q).expect("valid");
            assert_eq!(
                index.matching_words(parsed.words()),
                naive(&texts, &search_key(q)),
                "{q}"
            );
        }
    }
}
