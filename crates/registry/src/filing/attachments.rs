//! Files attached to filings: a business licence and other documents for an
//! enterprise, a photo for a commodity. The type is read from the content
//! (never trusted from the name or the upload's header), the size is
//! bounded, and the SHA-256 is kept with the file.

use kuajing_core::access::Action;
use kuajing_core::filing::FilingKind;
use kuajing_core::sharing::Visibility;
use kuajing_core::timestamp::Timestamp;
use kuajing_store::Store;
use kuajing_store::audit::Outcome;
use kuajing_store::filings::{self, Attachment, Filing};
use sha2::{Digest, Sha256};

use crate::actor::{Actor, record};
use crate::error::{Error, Result};
use crate::filing::record::AttachmentRef;

/// What an attachment is for, and what it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Business licence (营业执照) of an enterprise: PDF or image.
    BusinessLicence,
    /// Another document of an enterprise: PDF or image.
    Other,
    /// Photo of a commodity: image.
    Photo,
}

impl Purpose {
    /// Parses the API name.
    pub fn parse(text: &str) -> Result<Purpose> {
        match text {
            "business_licence" => Ok(Purpose::BusinessLicence),
            "other" => Ok(Purpose::Other),
            "photo" => Ok(Purpose::Photo),
            _ => Err(Error::invalid(
                "purpose",
                "ATTACHMENT_PURPOSE",
                format!("未知附件用途“{text}”，应为 business_licence、other 或 photo"),
                format!(
                    "unknown attachment purpose '{text}'; use business_licence, other or photo"
                ),
            )),
        }
    }

    /// The API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::BusinessLicence => "business_licence",
            Purpose::Other => "other",
            Purpose::Photo => "photo",
        }
    }

    /// The largest file accepted, in bytes.
    pub fn max_bytes(self) -> usize {
        match self {
            Purpose::BusinessLicence | Purpose::Other => 5 * 1024 * 1024,
            Purpose::Photo => 2 * 1024 * 1024,
        }
    }

    /// The media types accepted.
    pub fn media_types(self) -> &'static [&'static str] {
        match self {
            Purpose::BusinessLicence | Purpose::Other => {
                &["application/pdf", "image/jpeg", "image/png"]
            }
            Purpose::Photo => &["image/jpeg", "image/png", "image/webp"],
        }
    }

    fn kind(self) -> FilingKind {
        match self {
            Purpose::Photo => FilingKind::Commodity,
            Purpose::BusinessLicence | Purpose::Other => FilingKind::Enterprise,
        }
    }
}

/// The media type of `bytes` from their first bytes (magic numbers).
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// A file name as it may be stored and offered back: the last path
/// component, printable, at most 200 characters.
fn clean_name(name: &str) -> Result<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    if base.is_empty()
        || base.chars().count() > 200
        || kuajing_core::text::first_hidden(base).is_some()
        || base.contains('"')
    {
        return Err(Error::invalid(
            "file",
            "ATTACHMENT_NAME",
            format!("文件名“{}”无效", base.chars().take(50).collect::<String>()),
            format!(
                "file name '{}' is not acceptable",
                base.chars().take(50).collect::<String>()
            ),
        ));
    }
    Ok(base.to_owned())
}

/// Checks a file for `purpose`; returns its media type.
pub fn check(purpose: Purpose, bytes: &[u8]) -> Result<&'static str> {
    if bytes.len() > purpose.max_bytes() {
        return Err(Error::invalid(
            "file",
            "ATTACHMENT_TOO_LARGE",
            format!(
                "附件为 {} 字节，超过 {} 字节的上限",
                bytes.len(),
                purpose.max_bytes()
            ),
            format!(
                "the file has {} bytes, over the limit of {}",
                bytes.len(),
                purpose.max_bytes()
            ),
        ));
    }
    match sniff(bytes).filter(|t| purpose.media_types().contains(t)) {
        Some(media_type) => Ok(media_type),
        None => Err(Error::invalid(
            "file",
            "ATTACHMENT_TYPE",
            format!(
                "{}附件只接受 {}",
                purpose.as_str(),
                purpose.media_types().join("、")
            ),
            format!(
                "a {} attachment must be one of {}; the content is not",
                purpose.as_str(),
                purpose.media_types().join(", ")
            ),
        )),
    }
}

/// Stores a file on the actor's own filing and refers to it from the
/// filing's data (a new draft version if the latest was sent or approved).
pub async fn upload(
    store: &Store,
    actor: &Actor,
    filing_id: &str,
    purpose: Purpose,
    file_name: &str,
    bytes: &[u8],
) -> Result<(Filing, AttachmentRef)> {
    let mut conn = store.reader().await?;
    let filing = filings::find(&mut conn, filing_id)
        .await?
        .ok_or_else(|| not_found(filing_id))?;
    drop(conn);
    if super::visibility_of(actor, &filing) == Visibility::None {
        return Err(not_found(filing_id));
    }
    // Who may upload is settled before what was sent is judged.
    actor
        .authorize(
            store,
            Action::File,
            &filing.owner_code,
            "filing.attach",
            filing_id,
        )
        .await?;
    let media_type = check(purpose, bytes)?;
    let file_name = clean_name(file_name)?;
    if filing.kind != purpose.kind() {
        return Err(Error::invalid(
            "purpose",
            "ATTACHMENT_PURPOSE",
            format!(
                "{}备案不能上传{}附件",
                filing.kind.as_str(),
                purpose.as_str()
            ),
            format!(
                "a {} filing takes no {} attachment",
                filing.kind.as_str(),
                purpose.as_str()
            ),
        ));
    }
    let attachment = Attachment {
        id: uuid::Uuid::now_v7().to_string(),
        filing_id: filing.id.clone(),
        purpose: purpose.as_str().to_owned(),
        file_name,
        media_type: media_type.to_owned(),
        size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
        sha256: hex::encode(Sha256::digest(bytes)),
        uploaded_by: actor.name.clone(),
        uploaded_at: Timestamp::now(),
    };
    let reference = AttachmentRef {
        id: attachment.id.clone(),
        purpose: attachment.purpose.clone(),
        file_name: attachment.file_name.clone(),
        media_type: attachment.media_type.clone(),
        size_bytes: attachment.size_bytes,
        sha256: attachment.sha256.clone(),
    };
    let mut tx = store.begin().await?;
    let filing = filings::find_for_update(&mut tx, filing_id)
        .await?
        .ok_or_else(|| not_found(filing_id))?;
    filings::insert_attachment(&mut tx, &attachment, bytes).await?;
    let filing = super::attach(&mut tx, actor, &filing, reference.clone()).await?;
    let detail = format!(
        "{} {} bytes sha256 {}",
        attachment.media_type, attachment.size_bytes, attachment.sha256
    );
    actor
        .commit(tx, "filing.attach", Some(&attachment.id), Some(&detail))
        .await?;
    Ok((filing, reference))
}

/// An attachment's content, for whoever may see it on its filing.
pub async fn download(store: &Store, actor: &Actor, id: &str) -> Result<(Attachment, Vec<u8>)> {
    let mut conn = store.reader().await?;
    let found = filings::attachment(&mut conn, id).await?;
    let Some((attachment, content)) = found else {
        return Err(not_found(id));
    };
    let filing = filings::find(&mut conn, &attachment.filing_id)
        .await?
        .ok_or_else(|| not_found(id))?;
    drop(conn);
    let field = match filing.kind {
        FilingKind::Enterprise => "attachments",
        FilingKind::Commodity => "photo",
    };
    // The filing's own rule (`read`): the sharing policy, and a draft never
    // sent is its owner's alone.
    let seen = super::visibility_of(actor, &filing);
    if seen == Visibility::None || !seen.shows(field) {
        record(
            store,
            &actor.entry("attachment.read", Some(id), Outcome::Denied, None),
        )
        .await?;
        return Err(not_found(id));
    }
    record(
        store,
        &actor.entry(
            "attachment.read",
            Some(id),
            Outcome::Success,
            Some(&filing.id),
        ),
    )
    .await?;
    Ok((attachment, content))
}

fn not_found(id: &str) -> Error {
    Error::NotFound {
        what: "attachment",
        key: id.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_decides_the_type() {
        assert_eq!(sniff(b"%PDF-1.7 ..."), Some("application/pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"MZ\x90\0"), None);
        assert!(
            check(Purpose::Photo, b"%PDF-1.7").is_err(),
            "a PDF is not a photo"
        );
        assert!(check(Purpose::BusinessLicence, b"%PDF-1.7").is_ok());
        let big = vec![0xFFu8; Purpose::Photo.max_bytes() + 1];
        let Err(Error::Invalid { code, .. }) = check(Purpose::Photo, &big) else {
            panic!()
        };
        assert_eq!(code, "ATTACHMENT_TOO_LARGE");
    }

    #[test]
    fn names_lose_their_paths() {
        assert_eq!(
            clean_name("C:\\docs\\营业执照.pdf").unwrap(),
            "营业执照.pdf"
        );
        assert_eq!(clean_name("../../etc/passwd").unwrap(), "passwd");
        assert!(clean_name("a\nb.pdf").is_err());
        assert!(clean_name("/").is_err());
    }
}
