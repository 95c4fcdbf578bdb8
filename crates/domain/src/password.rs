//! The password policy of NIST SP 800-63B-4 for password-only accounts: length is
//! what makes a password strong, so at least 15 characters (a sentence), up to 256
//! accepted, no composition rules, and a blocklist of common passwords and of words
//! an attacker would try first for this service and this person. Length is counted
//! in Unicode code points and the password is checked exactly as typed (no trimming,
//! no normalisation), so what the person typed is what is hashed.

use crate::FieldError;
use crate::Message;

pub const MIN_CHARS: usize = 15;
pub const MAX_CHARS: usize = 256;

/// Words tied to this service: the first guesses of anyone attacking Juri.
const CONTEXT_WORDS: &[&str] = &[
    "bangka",
    "juri",
    "inovasi",
    "bappeda",
    "sungailiat",
    "innovation",
];

/// Commonly used long passwords and passphrases (lower-case, spaces removed). The
/// short classics ("123456", "password") are already refused by the length rule.
const COMMON: &[&str] = &[
    "passwordpassword",
    "password1234567",
    "password12345678",
    "password123456789",
    "passwordpassword1",
    "123456789012345",
    "1234567890123456",
    "12345678901234567890",
    "123123123123123",
    "qwertyuiopasdfg",
    "qwertyuiopasdfgh",
    "qwertyuiopasdfghjkl",
    "qwertyuiopasdfghjklzxcvbnm",
    "1q2w3e4r5t6y7u8i",
    "1qaz2wsx3edc4rfv",
    "1qaz2wsx3edc4rfv5tgb",
    "zaq12wsxcde34rfv",
    "abcdefghijklmnop",
    "abcdefghijklmnopqrstuvwxyz",
    "iloveyouiloveyou",
    "iloveyouforever",
    "letmeinletmein",
    "welcome12345678",
    "administrator123",
    "changeme12345678",
    "correcthorsebatterystaple",
    "thequickbrownfoxjumpsoverthelazydog",
    "trustno1trustno1",
    "mypasswordis123",
    "passw0rdpassw0rd",
    "p@ssw0rdp@ssw0rd",
    "katasandikatasandi",
    "katasandisaya123",
    "katasandirahasia",
    "rahasiarahasia123",
    "sayangkamuselamanya",
    "akusayangkamu123",
    "bismillah12345678",
    "bismillahirrahmanirrahim",
    "alhamdulillah123",
    "indonesiaraya1945",
    "indonesiamerdeka",
    "indonesia1234567",
    "merdeka1945merdeka",
    "asdfghjklasdfghjkl",
    "zxcvbnmzxcvbnm123",
];

/// Who the password is for: their name and email words are blocklisted too.
#[derive(Debug, Clone, Copy, Default)]
pub struct PasswordContext<'a> {
    pub name: Option<&'a str>,
    pub email: Option<&'a str>,
}

/// Check a new password against the policy. On refusal the error says why, in
/// Bahasa Indonesia and English, under the field `password`.
pub fn check(password: &str, ctx: PasswordContext<'_>) -> Result<(), FieldError> {
    let n = password.chars().count();
    if n < MIN_CHARS {
        return Err(FieldError::new(
            "password",
            "password_too_short",
            Message::new("field.password.password_too_short")
                .with("min_chars", MIN_CHARS)
                .with("n", n),
        ));
    }
    if n > MAX_CHARS {
        return Err(FieldError::new(
            "password",
            "password_too_long",
            Message::new("field.password.password_too_long").with("max_chars", MAX_CHARS),
        ));
    }
    let folded: String = password
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if COMMON.contains(&folded.as_str()) || is_repetitive(&folded) || is_sequence(&folded) {
        return Err(FieldError::new(
            "password",
            "password_common",
            Message::new("field.password.password_common"),
        ));
    }
    for word in context_words(ctx) {
        if folded.contains(&word) {
            return Err(FieldError::new(
                "password",
                "password_context_word",
                Message::new("field.password.password_context_word").with("word", word),
            ));
        }
    }
    Ok(())
}

/// The service words plus the person's own: each word of the name and the email's
/// local part, three letters or more.
fn context_words(ctx: PasswordContext<'_>) -> Vec<String> {
    let mut words: Vec<String> = CONTEXT_WORDS.iter().map(|w| (*w).to_owned()).collect();
    let personal = ctx
        .name
        .into_iter()
        .flat_map(|n| n.split(|c: char| !c.is_alphanumeric()))
        .chain(
            ctx.email
                .and_then(|e| e.split('@').next())
                .into_iter()
                .flat_map(|l| l.split(|c: char| !c.is_alphanumeric())),
        )
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 3);
    for w in personal {
        if !words.contains(&w) {
            words.push(w);
        }
    }
    words
}

/// A short unit repeated ("abcabcabc...", "aaaa..."): long, but no stronger than its unit.
fn is_repetitive(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    (1..=4)
        .any(|unit| n >= unit * 3 && chars.iter().enumerate().all(|(i, c)| *c == chars[i % unit]))
}

/// A run of consecutive characters ("abcdefgh...", "9876543...").
fn is_sequence(s: &str) -> bool {
    let codes: Vec<i64> = s.chars().map(|c| i64::from(u32::from(c))).collect();
    if codes.len() < 2 {
        return false;
    }
    let step = codes[1] - codes[0];
    step.abs() == 1 && codes.windows(2).all(|w| w[1] - w[0] == step)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: PasswordContext<'static> = PasswordContext {
        name: None,
        email: None,
    };

    fn code(pw: &str, ctx: PasswordContext<'_>) -> Option<&'static str> {
        check(pw, ctx).err().map(|e| e.code)
    }

    #[test]
    fn fourteen_characters_are_too_short_and_fifteen_are_enough() {
        assert_eq!(code("lada putih kam", NONE), Some("password_too_short"));
        assert_eq!(code("lada putih kami", NONE), None);
    }

    #[test]
    fn sixty_four_characters_are_accepted_and_the_cap_is_256() {
        let long = "pantai matras pagi hari ".repeat(3);
        let sixty_four: String = long.chars().take(64).collect();
        assert_eq!(sixty_four.chars().count(), 64);
        assert_eq!(code(&sixty_four, NONE), None);
        let cap: String = "kebun lada di belakang rumah nenek "
            .repeat(8)
            .chars()
            .take(256)
            .collect();
        assert_eq!(code(&cap, NONE), None);
        let over = format!("{cap}x");
        assert_eq!(code(&over, NONE), Some("password_too_long"));
    }

    #[test]
    fn length_is_counted_in_code_points_not_bytes() {
        // 15 emoji are 60 bytes but 15 characters: accepted.
        let emoji = "🌴🐟🌊🦀🍍🌺🐢🌞🥥🐚🏝🚤🎣🌧🦜";
        assert_eq!(emoji.chars().count(), 15);
        assert_eq!(code(emoji, NONE), None);
        // 14 two-byte letters are 28 bytes but 14 characters: refused.
        assert_eq!(
            code(&"é".repeat(7).repeat(2), NONE),
            Some("password_too_short")
        );
    }

    #[test]
    fn no_composition_rules() {
        // All lower-case letters and spaces: fine.
        assert_eq!(code("kapal nelayan pulang sore", NONE), None);
    }

    #[test]
    fn common_passwords_are_refused_whatever_the_case_and_spacing() {
        assert_eq!(code("PasswordPassword", NONE), Some("password_common"));
        assert_eq!(
            code("correct horse battery staple", NONE),
            Some("password_common")
        );
        assert_eq!(code("123456789012345", NONE), Some("password_common"));
    }

    #[test]
    fn repeated_units_and_runs_are_refused() {
        assert_eq!(code("aaaaaaaaaaaaaaa", NONE), Some("password_common"));
        assert_eq!(code("abcabcabcabcabcabc", NONE), Some("password_common"));
        assert_eq!(code("abcdefghijklmnopq", NONE), Some("password_common"));
        assert_eq!(code("zyxwvutsrqponmlk", NONE), Some("password_common"));
    }

    #[test]
    fn service_words_are_blocklisted() {
        assert_eq!(
            code("saya cinta pulau bangka", NONE),
            Some("password_context_word")
        );
        assert_eq!(
            code("para JURI yang terhormat", NONE),
            Some("password_context_word")
        );
        assert_eq!(
            code("inovasi daerah terbaik 2025", NONE),
            Some("password_context_word")
        );
    }

    #[test]
    fn the_users_own_name_and_email_are_blocklisted() {
        let ctx = PasswordContext {
            name: Some("Siti Aminah"),
            email: Some("rahmat.hidayat@example.id"),
        };
        assert_eq!(
            code("aminah suka makan kerupuk", ctx),
            Some("password_context_word")
        );
        assert_eq!(
            code("hidayat pergi ke pasar ikan", ctx),
            Some("password_context_word")
        );
        assert_eq!(code("kapal nelayan pulang sore", ctx), None);
    }

    #[test]
    fn checked_exactly_as_typed() {
        // Leading and trailing spaces count toward the length: 13 letters + 2 spaces.
        assert_eq!(code(" kapalnelayanx ", NONE), None);
        assert_eq!(code("kapalnelayanx", NONE), Some("password_too_short"));
    }
}
