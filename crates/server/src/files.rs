//! Files as HTTP answers: what the portal and the API send when a reader
//! downloads a table (`kuajing_registry::downloads` writes the bytes).

use kuajing_registry::downloads::Format;

/// A file as a download: its media type and a `Content-Disposition` naming
/// it `name` (ASCII).
pub fn file_response(format: Format, name: &str, bytes: Vec<u8>) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, format.media_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
