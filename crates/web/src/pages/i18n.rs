//! The interface's words: one catalogue per language, Bahasa Indonesia first (the
//! default) and English. A page picks its language from the `lang` cookie that the
//! switch in the header sets. Every key exists in both catalogues (a test checks it,
//! and that every key a template asks for exists).

use crate::pages::session::{LANG_COOKIE, cookie_value};
use axum::http::HeaderMap;
use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    /// `en` is English; anything else is the default, Bahasa Indonesia.
    pub fn parse(s: &str) -> Lang {
        if s.trim().eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Id
        }
    }

    pub fn from_headers(headers: &HeaderMap) -> Lang {
        cookie_value(headers, LANG_COOKIE)
            .map(|v| Lang::parse(&v))
            .unwrap_or_default()
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Id => Lang::En,
            Lang::En => Lang::Id,
        }
    }
}

/// The text of `key` in `lang`; the key itself if the catalogue lacks it (a test
/// keeps that from happening).
pub fn text(lang: Lang, key: &str) -> &'static str {
    static TABLES: LazyLock<[HashMap<&'static str, &'static str>; 2]> =
        LazyLock::new(|| [ID.iter().copied().collect(), EN.iter().copied().collect()]);
    let table = match lang {
        Lang::Id => &TABLES[0],
        Lang::En => &TABLES[1],
    };
    match table.get(key) {
        Some(t) => t,
        None => {
            tracing::warn!(key, lang = lang.code(), "missing text");
            // Leak-free fallback: the key is shown as it is.
            ID.iter()
                .chain(EN.iter())
                .find(|(k, _)| *k == key)
                .map(|(k, _)| *k)
                .unwrap_or("?")
        }
    }
}

/// Bahasa Indonesia.
pub const ID: &[(&str, &str)] = &[
    ("nav.skip", "Langsung ke isi"),
    ("nav.label", "Menu utama"),
    ("nav.catalogue", "Katalog inovasi"),
    ("nav.winners", "Pemenang"),
    ("nav.my_entries", "Inovasi saya"),
    ("nav.sign_in", "Masuk"),
    ("nav.sign_up", "Daftar"),
    ("nav.sign_out", "Keluar"),
    ("nav.other_language", "English"),
    (
        "footer.about",
        "Juri — sistem penjurian Bangka Innovation Awards, Bappeda Kabupaten Bangka. Waktu ditampilkan dalam UTC (WIB = UTC+7).",
    ),
    ("footer.api", "Data terbuka (API JSON)"),
    ("home.title", "Beranda"),
    ("home.heading", "Bangka Innovation Awards"),
    (
        "home.intro",
        "Inovasi OPD, pelajar dan masyarakat Kabupaten Bangka: diajukan, dinilai dewan juri, dan diumumkan agar dikenal dan dipakai warga.",
    ),
    ("home.current", "Edisi berjalan"),
    ("home.opens", "Pengajuan dibuka:"),
    ("home.closes", "Batas pengajuan:"),
    (
        "home.then",
        "Lalu seleksi administrasi, penilaian juri, dan pengumuman pemenang.",
    ),
    ("home.take_part", "Ajukan inovasi Anda"),
    ("home.no_current", "Belum ada edisi yang dibuka."),
    ("home.latest_winners", "Pemenang terbaru"),
    ("home.no_winners", "Belum ada pemenang yang diumumkan."),
    ("home.browse", "Jelajahi katalog inovasi"),
    ("phase.set_up", "Persiapan"),
    ("phase.open", "Pengajuan dibuka"),
    ("phase.screening", "Seleksi administrasi"),
    ("phase.judging", "Penilaian juri"),
    ("phase.decided", "Pemenang ditetapkan"),
    ("phase.published", "Diumumkan"),
    ("winners.title", "Pemenang"),
    ("winners.caption", "Pemenang per kategori peserta"),
    ("winners.award", "Penghargaan"),
    ("winners.score", "Nilai"),
    ("catalogue.title", "Katalog inovasi"),
    (
        "catalogue.intro",
        "Semua inovasi yang lolos seleksi dan disetujui untuk dipublikasikan, dari setiap edisi yang sudah diumumkan.",
    ),
    ("catalogue.search", "Cari judul atau ringkasan"),
    ("catalogue.year", "Tahun"),
    ("catalogue.any", "Semua"),
    ("catalogue.submit", "Cari"),
    ("catalogue.found", "inovasi ditemukan"),
    ("catalogue.pages", "Halaman hasil"),
    ("catalogue.prev", "Sebelumnya"),
    ("catalogue.next", "Berikutnya"),
    ("catalogue.page", "Halaman"),
    ("innovation.title", "Inovasi"),
    ("innovation.edition", "Edisi"),
    ("innovation.field", "Bidang"),
    ("innovation.track", "Kategori peserta"),
    ("innovation.organisation", "Instansi"),
    ("innovation.started_on", "Mulai diterapkan"),
    ("innovation.team", "Tim"),
    ("innovation.video", "Tonton video"),
    ("innovation.back", "Kembali ke katalog"),
    ("entry.summary", "Ringkasan"),
    ("entry.problem", "Masalah"),
    ("entry.solution", "Solusi"),
    ("entry.how_it_works", "Cara kerja"),
    ("entry.impact", "Dampak"),
    ("entry.cost", "Biaya"),
    ("entry.replicability", "Kemungkinan direplikasi"),
    ("entry.sustainability", "Keberlanjutan"),
    ("entry.stakeholders", "Pemangku kepentingan"),
    ("entry.video_url", "Tautan video (opsional)"),
    (
        "entry.consent",
        "Saya setuju inovasi ini ditampilkan di katalog publik bila lolos seleksi.",
    ),
    (
        "entry.draft_intro",
        "Simpan sebagai draf kapan saja; kirim setelah semua isian wajib lengkap, sebelum batas waktu.",
    ),
    ("entry.save_draft", "Simpan draf"),
    ("entry.saved", "Draf tersimpan."),
    (
        "entry.submitted",
        "Inovasi terkirim. Panitia akan memeriksanya setelah batas waktu.",
    ),
    ("entry.attachment_added", "Lampiran terunggah."),
    ("entry.attachments", "Lampiran"),
    ("entry.no_attachments", "Belum ada lampiran."),
    ("entry.remove", "Hapus"),
    ("entry.file", "Berkas (PDF, JPEG atau PNG)"),
    (
        "entry.file_hint",
        "Misalnya proposal dalam PDF atau foto kegiatan. Ukuran paling besar 20 MiB.",
    ),
    ("entry.choose_file", "Pilih berkas untuk diunggah."),
    ("entry.upload", "Unggah"),
    ("entry.edit", "Ubah isi"),
    ("entry.content", "Isi inovasi"),
    ("entry.submit", "Kirim inovasi"),
    ("entry.screening_reason", "Catatan seleksi:"),
    ("field.title", "Judul"),
    ("field.email", "Email"),
    ("field.name", "Nama lengkap"),
    ("field.password", "Kata sandi"),
    ("field.organisation", "Instansi (untuk peserta OPD)"),
    ("field.none", "— tidak ada —"),
    ("field.choose", "— pilih —"),
    ("kind.citizen", "Masyarakat umum"),
    ("kind.student", "Pelajar"),
    ("kind.opd", "Perangkat daerah (OPD)"),
    ("sign_in.title", "Masuk"),
    ("sign_in.submit", "Masuk"),
    ("sign_in.failed", "Email atau kata sandi salah."),
    ("sign_in.no_account", "Belum punya akun?"),
    (
        "sign_in.password_set",
        "Kata sandi tersimpan. Silakan masuk.",
    ),
    ("sign_up.title", "Daftar sebagai peserta"),
    (
        "sign_up.intro",
        "Untuk OPD, pelajar dan masyarakat yang ingin mengajukan inovasi.",
    ),
    (
        "sign_up.password_hint",
        "Paling sedikit 15 karakter; sebuah kalimat mudah diingat dan sulit ditebak.",
    ),
    ("sign_up.kind", "Saya mendaftar sebagai"),
    ("sign_up.submit", "Daftar"),
    (
        "sign_up.email_taken",
        "Email ini sudah terdaftar. Silakan masuk.",
    ),
    ("invitation.title", "Buat kata sandi"),
    (
        "invitation.intro",
        "Anda diundang sebagai juri atau panitia. Buat kata sandi untuk akun Anda.",
    ),
    ("invitation.submit", "Simpan kata sandi"),
    (
        "invitation.invalid",
        "Tautan undangan ini tidak berlaku lagi. Mintalah tautan baru kepada panitia.",
    ),
    ("mine.title", "Inovasi saya"),
    ("mine.new", "Inovasi baru"),
    ("mine.none", "Anda belum mengajukan inovasi."),
    (
        "mine.caption",
        "Inovasi Anda, dengan status dan langkah berikutnya",
    ),
    ("mine.status", "Status"),
    ("mine.next", "Langkah berikutnya"),
    ("mine.back", "← Inovasi saya"),
    ("status.draft", "Draf"),
    ("status.submitted", "Terkirim"),
    ("status.eligible", "Lolos seleksi"),
    ("status.ineligible", "Tidak lolos seleksi"),
    ("status.in_judging", "Dinilai juri"),
    ("status.winner", "Pemenang"),
    ("status.not_awarded", "Tidak menang"),
    ("status.withdrawn", "Ditarik"),
    (
        "next.draft",
        "Lengkapi isian dan lampiran, lalu kirim sebelum batas waktu.",
    ),
    (
        "next.submitted",
        "Masih bisa diubah sampai batas waktu; setelah itu panitia memeriksa kelengkapannya.",
    ),
    (
        "next.eligible",
        "Lolos seleksi administrasi: menunggu penilaian juri.",
    ),
    (
        "next.ineligible",
        "Tidak lolos seleksi administrasi; baca catatan panitia.",
    ),
    ("next.in_judging", "Sedang dinilai dewan juri."),
    ("next.winner", "Selamat! Inovasi Anda termasuk pemenang."),
    (
        "next.not_awarded",
        "Penjurian selesai. Terima kasih atas partisipasi Anda.",
    ),
    ("next.withdrawn", "Anda telah menarik inovasi ini."),
    ("confirm.title", "Kirim inovasi?"),
    (
        "confirm.body",
        "Setelah dikirim, inovasi masih bisa diubah sampai batas waktu:",
    ),
    ("confirm.yes", "Ya, kirim"),
    ("confirm.no", "Batal"),
    ("error.title", "Terjadi masalah"),
    ("error.home", "Ke beranda"),
    ("error.not_found", "Halaman atau data ini tidak ditemukan."),
    (
        "error.forbidden",
        "Peran Anda tidak boleh membuka halaman ini.",
    ),
    ("error.unauthenticated", "Silakan masuk terlebih dahulu."),
    (
        "error.conflict",
        "Tindakan ini tidak dapat dilakukan pada tahap sekarang.",
    ),
    ("error.invalid", "Isian tidak valid."),
    (
        "error.too_many",
        "Terlalu banyak percobaan. Coba lagi beberapa menit lagi.",
    ),
    (
        "error.upload_type",
        "Hanya PDF, JPEG atau PNG (dinilai dari isi berkas).",
    ),
    ("error.too_large", "Berkas terlalu besar."),
    (
        "error.unavailable",
        "Layanan sedang tidak tersedia; coba lagi sebentar.",
    ),
    ("error.internal", "Terjadi kesalahan di server."),
    (
        "error.csrf",
        "Permintaan ini tidak berasal dari halaman Juri dan ditolak.",
    ),
    ("nav.assignments", "Penilaian saya"),
    ("judge.title", "Penilaian saya"),
    ("judge.done", "lembar penilaian terkirim"),
    (
        "judge.none",
        "Belum ada inovasi yang ditugaskan kepada Anda.",
    ),
    ("judge.caption", "Inovasi yang harus Anda nilai"),
    ("judge.round", "Babak"),
    ("judge.back", "← Penilaian saya"),
    ("sheet.not_started", "Belum dimulai"),
    ("sheet.draft", "Draf"),
    ("sheet.submitted", "Terkirim"),
    ("sheet.saved", "Draf penilaian tersimpan."),
    ("sheet.sent", "Lembar penilaian terkirim. Terima kasih."),
    ("sheet.title", "Lembar penilaian"),
    ("sheet.entry", "Isi inovasi dan lampiran"),
    ("sheet.weight", "bobot"),
    ("sheet.score", "Nilai"),
    ("sheet.comment", "Catatan untuk kriteria ini (opsional)"),
    ("sheet.overall", "Catatan umum (opsional)"),
    ("sheet.total", "Nilai tertimbang:"),
    ("sheet.submit", "Kirim penilaian"),
    ("sheet.confirm_title", "Kirim lembar penilaian?"),
    (
        "sheet.confirm_body",
        "Setelah dikirim, nilai tidak dapat diubah lagi kecuali panitia membukanya kembali.",
    ),
    ("conflict.title", "Saya punya konflik kepentingan"),
    (
        "conflict.intro",
        "Bila Anda terkait dengan inovasi ini, nyatakan di sini: Anda dibebaskan dari penilaiannya dan panitia menugaskan juri lain.",
    ),
    ("conflict.kind", "Jenis hubungan"),
    ("conflict.institutional", "Satu instansi"),
    ("conflict.family", "Keluarga"),
    ("conflict.collaborator", "Rekan kerja atau anggota tim"),
    ("conflict.supervisor", "Atasan atau bawahan"),
    ("conflict.other", "Lainnya"),
    ("conflict.reason", "Penjelasan singkat"),
    ("conflict.submit", "Nyatakan konflik"),
    (
        "conflict.recorded",
        "Konflik kepentingan tercatat; inovasi itu tidak lagi Anda nilai.",
    ),
];

/// English.
pub const EN: &[(&str, &str)] = &[
    ("nav.skip", "Skip to content"),
    ("nav.label", "Main menu"),
    ("nav.catalogue", "Innovation catalogue"),
    ("nav.winners", "Winners"),
    ("nav.my_entries", "My entries"),
    ("nav.sign_in", "Sign in"),
    ("nav.sign_up", "Sign up"),
    ("nav.sign_out", "Sign out"),
    ("nav.other_language", "Bahasa Indonesia"),
    (
        "footer.about",
        "Juri — the judging system of the Bangka Innovation Awards, Bappeda of Kabupaten Bangka. Times are shown in UTC (WIB = UTC+7).",
    ),
    ("footer.api", "Open data (JSON API)"),
    ("home.title", "Home"),
    ("home.heading", "Bangka Innovation Awards"),
    (
        "home.intro",
        "Innovations of Bangka's agencies, students and citizens: submitted, judged by a panel, and published so that people know and use them.",
    ),
    ("home.current", "Current edition"),
    ("home.opens", "Submissions open:"),
    ("home.closes", "Deadline:"),
    (
        "home.then",
        "Then administrative screening, judging and the announcement of the winners.",
    ),
    ("home.take_part", "Submit your innovation"),
    ("home.no_current", "No edition has opened yet."),
    ("home.latest_winners", "Latest winners"),
    ("home.no_winners", "No winners have been published yet."),
    ("home.browse", "Browse the innovation catalogue"),
    ("phase.set_up", "Being set up"),
    ("phase.open", "Open for submissions"),
    ("phase.screening", "Administrative screening"),
    ("phase.judging", "Judging"),
    ("phase.decided", "Winners decided"),
    ("phase.published", "Published"),
    ("winners.title", "Winners"),
    ("winners.caption", "Winners per track"),
    ("winners.award", "Award"),
    ("winners.score", "Score"),
    ("catalogue.title", "Innovation catalogue"),
    (
        "catalogue.intro",
        "Every innovation that passed screening and whose submitter agreed to publication, from every published edition.",
    ),
    ("catalogue.search", "Search titles and summaries"),
    ("catalogue.year", "Year"),
    ("catalogue.any", "Any"),
    ("catalogue.submit", "Search"),
    ("catalogue.found", "innovations found"),
    ("catalogue.pages", "Result pages"),
    ("catalogue.prev", "Previous"),
    ("catalogue.next", "Next"),
    ("catalogue.page", "Page"),
    ("innovation.title", "Innovation"),
    ("innovation.edition", "Edition"),
    ("innovation.field", "Field"),
    ("innovation.track", "Track"),
    ("innovation.organisation", "Agency"),
    ("innovation.started_on", "In use since"),
    ("innovation.team", "Team"),
    ("innovation.video", "Watch the video"),
    ("innovation.back", "Back to the catalogue"),
    ("entry.summary", "Summary"),
    ("entry.problem", "Problem"),
    ("entry.solution", "Solution"),
    ("entry.how_it_works", "How it works"),
    ("entry.impact", "Impact"),
    ("entry.cost", "Cost"),
    ("entry.replicability", "Replicability"),
    ("entry.sustainability", "Sustainability"),
    ("entry.stakeholders", "Stakeholders"),
    ("entry.video_url", "Video link (optional)"),
    (
        "entry.consent",
        "I agree that this innovation is shown in the public catalogue if it passes screening.",
    ),
    (
        "entry.draft_intro",
        "Save a draft at any time; submit once every required field is filled in, before the deadline.",
    ),
    ("entry.save_draft", "Save draft"),
    ("entry.saved", "Draft saved."),
    (
        "entry.submitted",
        "Entry submitted. The organisers will screen it after the deadline.",
    ),
    ("entry.attachment_added", "Attachment uploaded."),
    ("entry.attachments", "Attachments"),
    ("entry.no_attachments", "No attachments yet."),
    ("entry.remove", "Remove"),
    ("entry.file", "File (PDF, JPEG or PNG)"),
    (
        "entry.file_hint",
        "For example the proposal as a PDF, or photos. At most 20 MiB.",
    ),
    ("entry.choose_file", "Choose a file to upload."),
    ("entry.upload", "Upload"),
    ("entry.edit", "Edit the content"),
    ("entry.content", "The entry"),
    ("entry.submit", "Submit the entry"),
    ("entry.screening_reason", "Screening note:"),
    ("field.title", "Title"),
    ("field.email", "Email"),
    ("field.name", "Full name"),
    ("field.password", "Password"),
    ("field.organisation", "Agency (for OPD submitters)"),
    ("field.none", "— none —"),
    ("field.choose", "— choose —"),
    ("kind.citizen", "Member of the public"),
    ("kind.student", "Student"),
    ("kind.opd", "Government agency (OPD)"),
    ("sign_in.title", "Sign in"),
    ("sign_in.submit", "Sign in"),
    ("sign_in.failed", "Wrong email or password."),
    ("sign_in.no_account", "No account yet?"),
    ("sign_in.password_set", "Password saved. Please sign in."),
    ("sign_up.title", "Sign up as a submitter"),
    (
        "sign_up.intro",
        "For agencies, students and citizens who want to submit an innovation.",
    ),
    (
        "sign_up.password_hint",
        "At least 15 characters; a sentence is easy to remember and hard to guess.",
    ),
    ("sign_up.kind", "I am signing up as"),
    ("sign_up.submit", "Sign up"),
    (
        "sign_up.email_taken",
        "This email is already registered. Please sign in.",
    ),
    ("invitation.title", "Set your password"),
    (
        "invitation.intro",
        "You were invited as a judge or organiser. Choose a password for your account.",
    ),
    ("invitation.submit", "Save the password"),
    (
        "invitation.invalid",
        "This invitation link no longer works. Ask the organisers for a new one.",
    ),
    ("mine.title", "My entries"),
    ("mine.new", "New entry"),
    ("mine.none", "You have not entered an innovation yet."),
    (
        "mine.caption",
        "Your entries, with their status and the next step",
    ),
    ("mine.status", "Status"),
    ("mine.next", "Next step"),
    ("mine.back", "← My entries"),
    ("status.draft", "Draft"),
    ("status.submitted", "Submitted"),
    ("status.eligible", "Passed screening"),
    ("status.ineligible", "Did not pass screening"),
    ("status.in_judging", "Being judged"),
    ("status.winner", "Winner"),
    ("status.not_awarded", "Not awarded"),
    ("status.withdrawn", "Withdrawn"),
    (
        "next.draft",
        "Complete the fields and attachments, then submit before the deadline.",
    ),
    (
        "next.submitted",
        "You may still change it until the deadline; then the organisers screen it.",
    ),
    (
        "next.eligible",
        "Passed administrative screening: waiting for the judges.",
    ),
    (
        "next.ineligible",
        "Did not pass administrative screening; read the organisers' note.",
    ),
    ("next.in_judging", "The panel is judging it."),
    (
        "next.winner",
        "Congratulations! Your innovation is among the winners.",
    ),
    (
        "next.not_awarded",
        "Judging is over. Thank you for taking part.",
    ),
    ("next.withdrawn", "You withdrew this entry."),
    ("confirm.title", "Submit the entry?"),
    (
        "confirm.body",
        "Once submitted, the entry can still be changed until the deadline:",
    ),
    ("confirm.yes", "Yes, submit"),
    ("confirm.no", "Cancel"),
    ("error.title", "Something went wrong"),
    ("error.home", "Go to the home page"),
    ("error.not_found", "This page or item was not found."),
    ("error.forbidden", "Your role may not open this page."),
    ("error.unauthenticated", "Please sign in first."),
    (
        "error.conflict",
        "This cannot be done at the current stage.",
    ),
    ("error.invalid", "The input is not valid."),
    (
        "error.too_many",
        "Too many attempts. Try again in a few minutes.",
    ),
    (
        "error.upload_type",
        "Only PDF, JPEG or PNG (judged by the file's content).",
    ),
    ("error.too_large", "The file is too large."),
    (
        "error.unavailable",
        "Temporarily unavailable; retry shortly.",
    ),
    ("error.internal", "Something went wrong on our side."),
    (
        "error.csrf",
        "This request did not come from a Juri page and was refused.",
    ),
    ("nav.assignments", "My assignments"),
    ("judge.title", "My assignments"),
    ("judge.done", "score sheets submitted"),
    ("judge.none", "No entries have been assigned to you yet."),
    ("judge.caption", "The entries you are to score"),
    ("judge.round", "Round"),
    ("judge.back", "← My assignments"),
    ("sheet.not_started", "Not started"),
    ("sheet.draft", "Draft"),
    ("sheet.submitted", "Submitted"),
    ("sheet.saved", "Draft scores saved."),
    ("sheet.sent", "Score sheet submitted. Thank you."),
    ("sheet.title", "Score sheet"),
    ("sheet.entry", "The entry and its attachments"),
    ("sheet.weight", "weight"),
    ("sheet.score", "Score"),
    ("sheet.comment", "Note on this criterion (optional)"),
    ("sheet.overall", "Overall note (optional)"),
    ("sheet.total", "Weighted total:"),
    ("sheet.submit", "Submit the scores"),
    ("sheet.confirm_title", "Submit the score sheet?"),
    (
        "sheet.confirm_body",
        "Once submitted, the scores cannot change unless the organisers reopen the sheet.",
    ),
    ("conflict.title", "I have a conflict of interest"),
    (
        "conflict.intro",
        "If you are connected to this entry, say so here: you are released from scoring it and another judge is assigned.",
    ),
    ("conflict.kind", "Kind of connection"),
    ("conflict.institutional", "Same agency"),
    ("conflict.family", "Family"),
    ("conflict.collaborator", "Colleague or team member"),
    ("conflict.supervisor", "Superior or subordinate"),
    ("conflict.other", "Other"),
    ("conflict.reason", "A short explanation"),
    ("conflict.submit", "Declare the conflict"),
    (
        "conflict.recorded",
        "Conflict of interest recorded; you no longer score that entry.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(t: &[(&str, &str)]) -> BTreeSet<String> {
        t.iter().map(|(k, _)| (*k).to_owned()).collect()
    }

    #[test]
    fn both_catalogues_have_the_same_keys_once_each() {
        assert_eq!(keys(ID), keys(EN));
        assert_eq!(keys(ID).len(), ID.len(), "a key is twice in ID");
        assert_eq!(keys(EN).len(), EN.len(), "a key is twice in EN");
    }

    #[test]
    fn every_key_a_template_or_page_asks_for_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sources = Vec::new();
        for dir in ["templates", "src/pages"] {
            for f in std::fs::read_dir(root.join(dir))
                .into_iter()
                .flatten()
                .flatten()
            {
                sources.push(std::fs::read_to_string(f.path()).unwrap_or_default());
            }
        }
        let known = keys(ID);
        let mut missing = Vec::new();
        for s in &sources {
            for part in s.split("t(\"").skip(1) {
                if let Some(key) = part.split('"').next()
                    && key.contains('.')
                    && !known.contains(key)
                {
                    missing.push(key.to_owned());
                }
            }
        }
        assert!(missing.is_empty(), "missing texts: {missing:?}");
    }

    #[test]
    fn the_default_is_indonesian() {
        assert_eq!(Lang::parse("fr"), Lang::Id);
        assert_eq!(Lang::parse("EN"), Lang::En);
        assert_eq!(text(Lang::Id, "nav.sign_in"), "Masuk");
        assert_eq!(text(Lang::En, "nav.sign_in"), "Sign in");
    }
}
