//! Juri's words. One catalogue per language (`id`: Bahasa Indonesia, the default;
//! `en`: English), each a table of key → text. Pages ask for a key (`t("nav.sign_in")`),
//! errors and mail arrive as a [`Message`] (a key and its `{name}` parameters) from
//! `juri-domain` and `juri-persistence`, which hold no prose of their own.
//!
//! Every key is in both tables with the same parameters, and every key the code names
//! exists (the tests below check both), so a missing text is a failing test, not a page
//! that shows a key.

mod en;
mod id;
pub mod mail;
pub mod time;

pub use juri_domain::{Language, Message};
use std::collections::HashMap;
use std::sync::LazyLock;

pub use en::EN;
pub use id::ID;

static TABLES: LazyLock<[HashMap<&'static str, &'static str>; 2]> =
    LazyLock::new(|| [ID.iter().copied().collect(), EN.iter().copied().collect()]);

fn table(lang: Language) -> &'static HashMap<&'static str, &'static str> {
    match lang {
        Language::Id => &TABLES[0],
        Language::En => &TABLES[1],
    }
}

/// The text of `key` in `lang`; the key itself if the catalogue lacks it (the tests
/// keep that from happening).
pub fn text(lang: Language, key: &str) -> &'static str {
    match table(lang).get(key) {
        Some(t) => t,
        None => table(Language::Id)
            .get_key_value(key)
            .or_else(|| table(Language::En).get_key_value(key))
            .map(|(k, _)| *k)
            .unwrap_or("?"),
    }
}

/// Is `key` in the catalogue?
pub fn has(key: &str) -> bool {
    table(Language::Id).contains_key(key)
}

/// `template` with each `{name}` replaced by its value; a name without a value is
/// left as it is (a test checks that none is).
pub fn fill(template: &str, params: &[(&str, String)]) -> String {
    if params.is_empty() || !template.contains('{') {
        return template.to_owned();
    }
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            params
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `message` in `lang`.
pub fn render(lang: Language, message: &Message) -> String {
    fill(text(lang, message.key), &message.params)
}

/// One line of an import's report: where, and what is wrong there.
pub fn row_error(lang: Language, e: &juri_domain::import::RowError) -> String {
    fill(
        text(lang, "import.row"),
        &[
            ("line", e.line.to_string()),
            ("column", e.column.clone()),
            ("message", render(lang, &e.message)),
        ],
    )
}

/// The `{name}` parameters a text refers to.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                    names.push(name);
                }
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    names.sort_unstable();
    names.dedup();
    names
}

#[cfg(test)]
mod tests;
