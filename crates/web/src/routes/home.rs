//! `GET /`: a small page that tells a visitor what runs here and where the public data
//! is, until the web interface (its own issue) replaces it. No script, no inline style,
//! so the strict CSP holds.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

const PAGE: &str = r#"<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Juri — Bangka Innovation Awards</title>
</head>
<body>
<main>
<h1>Juri — Bangka Innovation Awards</h1>
<p>Sistem penjurian inovasi Kabupaten Bangka. Halaman web untuk peserta, juri dan panitia sedang dibangun; sementara itu semua fitur tersedia melalui API JSON.</p>
<p lang="en">The judging system of the Bangka Innovation Awards. The web pages for submitters, judges and organisers are being built; meanwhile everything is available through the JSON API.</p>
<ul>
<li><a href="/api/v1/public/editions">Edisi yang sudah diumumkan / published editions</a></li>
<li><a href="/api/v1/public/innovations">Katalog inovasi / the catalogue of innovations</a></li>
<li><a href="/api/v1/organisations">Daftar OPD / the agencies</a></li>
<li><a href="/healthz">Status layanan / health</a></li>
</ul>
</main>
</body>
</html>
"#;

pub async fn home() -> Response {
    let mut res = PAGE.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    res
}
