//! The two languages Juri speaks: Bahasa Indonesia (the default) and English.

/// A reader's language: of a page (the `lang` cookie), an API answer
/// (`Accept-Language`) or a user's mail (their setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    #[default]
    Id,
    En,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Id, Language::En];

    /// `en` is English; anything else, Bahasa Indonesia.
    pub fn parse(s: &str) -> Language {
        if s.trim().eq_ignore_ascii_case("en") {
            Language::En
        } else {
            Language::Id
        }
    }

    /// The first of `id`/`en` an `Accept-Language` value names by weight (`en-GB`
    /// counts as `en`); Bahasa Indonesia when it names neither.
    pub fn from_accept_language(header: &str) -> Language {
        let mut best: Option<(f32, Language)> = None;
        for part in header.split(',') {
            let mut bits = part.split(';');
            let tag = bits.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = bits
                .filter_map(|b| b.trim().strip_prefix("q="))
                .find_map(|v| v.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            let lang = match primary {
                "en" => Language::En,
                "id" | "in" => Language::Id,
                _ => continue,
            };
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }

    pub fn code(self) -> &'static str {
        match self {
            Language::Id => "id",
            Language::En => "en",
        }
    }

    pub fn other(self) -> Language {
        match self {
            Language::Id => Language::En,
            Language::En => Language::Id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_weightiest_of_ours() {
        assert_eq!(Language::from_accept_language("en"), Language::En);
        assert_eq!(
            Language::from_accept_language("en-GB,en;q=0.9"),
            Language::En
        );
        assert_eq!(
            Language::from_accept_language("id-ID,en;q=0.5"),
            Language::Id
        );
        assert_eq!(
            Language::from_accept_language("fr, en;q=0.3, id;q=0.8"),
            Language::Id
        );
        assert_eq!(Language::from_accept_language("fr, en;q=0.3"), Language::En);
        assert_eq!(Language::from_accept_language("en;q=0"), Language::Id);
        assert_eq!(Language::from_accept_language("de"), Language::Id);
        assert_eq!(Language::from_accept_language(""), Language::Id);
    }

    #[test]
    fn anything_but_en_is_indonesian() {
        assert_eq!(Language::parse(" EN "), Language::En);
        assert_eq!(Language::parse("fr"), Language::Id);
        assert_eq!(Language::En.other(), Language::Id);
    }
}
