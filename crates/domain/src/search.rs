//! The catalogue's text search, in memory: every word of a query must occur inside the
//! folded search text of an innovation (see [`crate::award::search_key`]).
//!
//! Search texts and queries are folded to words of letters and digits separated by
//! single spaces, and a query word has no space, so "the word occurs inside the text"
//! is the same as "the word occurs inside one of the text's words". The index keeps
//! each distinct word once with the documents that contain it: a query scans the
//! vocabulary (a few thousand short words), not every text.

use std::collections::BTreeMap;

/// Documents are numbered `0..n` in the order they were given to [`SearchIndex::build`].
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    words: Vec<String>,
    /// For each word, the documents that contain it, ascending.
    postings: Vec<Vec<u32>>,
    docs: u32,
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
        let (words, postings) = map.into_iter().map(|(w, p)| (w.to_owned(), p)).unzip();
        SearchIndex {
            words,
            postings,
            docs,
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
    /// One pass over the vocabulary per word, marking documents in a bit set: no sort,
    /// no allocation per matching word.
    pub fn matching_words<S: AsRef<str>>(&self, words: &[S]) -> Vec<u32> {
        let blocks = usize::try_from(self.docs).unwrap_or(0).div_ceil(64);
        let mut acc: Option<Vec<u64>> = None;
        for q in words {
            let q = q.as_ref();
            let mut bits = vec![0u64; blocks];
            for (w, postings) in self.words.iter().zip(&self.postings) {
                if w.contains(q) {
                    for &d in postings {
                        let d = d as usize;
                        bits[d / 64] |= 1 << (d % 64);
                    }
                }
            }
            let acc = acc.get_or_insert_with(|| vec![u64::MAX; blocks]);
            let mut any = 0u64;
            for (a, b) in acc.iter_mut().zip(&bits) {
                *a &= b;
                any |= *a;
            }
            if any == 0 {
                return Vec::new();
            }
        }
        match acc {
            None => (0..self.docs).collect(),
            Some(bits) => bits
                .iter()
                .enumerate()
                .flat_map(|(block, &b)| {
                    let base = u32::try_from(block * 64).unwrap_or(u32::MAX);
                    (0..64u32)
                        .filter(move |i| b & (1 << i) != 0)
                        .map(move |i| base + i)
                })
                .collect(),
        }
    }
}

/// The most words a catalogue search may have once folded, de-duplicated and with the
/// words found inside another dropped: each word is one pass over the vocabulary.
pub const MAX_QUERY_WORDS: usize = 6;
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
                "Kata pencarian paling banyak 200 karakter.",
                "A search is at most 200 characters.",
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
                "Cari dengan paling banyak 6 kata yang berbeda.",
                "Search with at most 6 different words.",
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
        assert!(SearchQuery::parse("a b c d e f").is_ok());
        match SearchQuery::parse("a b c d e f g") {
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
}
