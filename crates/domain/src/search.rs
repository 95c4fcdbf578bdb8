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
        let mut result: Option<Vec<u32>> = None;
        for q in query.split(' ').filter(|w| !w.is_empty()) {
            let mut hits: Vec<u32> = self
                .words
                .iter()
                .zip(&self.postings)
                .filter(|(w, _)| w.contains(q))
                .flat_map(|(_, p)| p.iter().copied())
                .collect();
            hits.sort_unstable();
            hits.dedup();
            result = Some(match result {
                None => hits,
                Some(prev) => intersect(&prev, &hits),
            });
            if result.as_ref().is_some_and(Vec::is_empty) {
                break;
            }
        }
        result.unwrap_or_else(|| (0..self.docs).collect())
    }
}

fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
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
}
