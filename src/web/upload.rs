//! A form that may carry a file: `multipart/form-data` (a browser's file upload) or, for
//! pasted text and scripts, an urlencoded form. Like `CsrfForm`, the whole body is read
//! once (within the app's body limit) and its `csrf` field checked before the handler runs.
//! A file's bytes are kept as sent, so the handler can say exactly why they are not text;
//! the other fields must be UTF-8.

use std::collections::HashMap;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};

use super::csrf::{form_is_utf8, token_is_valid, CSRF_FIELD};
use super::session::{self, CurrentUser};
use super::AppError;

/// A file field of a multipart form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadedFile {
    /// The name the browser gave (no path).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A checked form with its text fields and its file, if one was chosen.
pub struct UploadForm {
    pub fields: HashMap<String, String>,
    pub file: Option<UploadedFile>,
    pub user: Option<CurrentUser>,
}

impl UploadForm {
    pub fn user(&self) -> Result<&CurrentUser, AppError> {
        self.user.as_ref().ok_or(AppError::Unauthorized)
    }

    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

impl FromRequest for UploadForm {
    type Error = actix_web::Error;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let request = request.clone();
        let body = web::Bytes::from_request(&request, payload);
        Box::pin(async move {
            let body = body.await?;
            let content_type = request
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            let mime = content_type.split(';').next().unwrap_or_default().trim();
            let (fields, file) = if mime.eq_ignore_ascii_case("multipart/form-data") {
                read_multipart(&content_type, &body)?
            } else if mime.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
                if !form_is_utf8(&body) {
                    return Err(AppError::BadRequest("the form is not UTF-8 text".into()).into());
                }
                let pairs: Vec<(String, String)> =
                    serde_urlencoded::from_bytes(&body).map_err(|e| {
                        AppError::BadRequest(format!("the form could not be read: {e}"))
                    })?;
                (pairs.into_iter().collect(), None)
            } else {
                return Err(AppError::BadRequest(
                    "this address takes a form (multipart/form-data or urlencoded)".into(),
                )
                .into());
            };
            let user = session::identify(&request).await?;
            let sent = fields.get(CSRF_FIELD).map_or("", String::as_str);
            if !token_is_valid(&request, user.as_ref(), sent)? {
                tracing::info!(path = %request.path(), "refused an upload with a bad CSRF token");
                return Err(AppError::CsrfRejected.into());
            }
            if let Some(user) = &user {
                session::check_password_is_own(&request, user)?;
            }
            Ok(UploadForm { fields, file, user })
        })
    }
}

type Fields = (HashMap<String, String>, Option<UploadedFile>);

fn read_multipart(content_type: &str, body: &[u8]) -> Result<Fields, AppError> {
    let parts = parse_multipart(content_type, body)
        .map_err(|why| AppError::BadRequest(format!("the form could not be read: {why}")))?;
    let mut fields = HashMap::new();
    let mut file = None;
    for part in parts {
        match part.file_name {
            // A file input left empty is sent as a part with an empty name and no bytes.
            Some(name) if !(name.is_empty() && part.data.is_empty()) => {
                file = Some(UploadedFile {
                    name,
                    bytes: part.data,
                })
            }
            Some(_) => {}
            None => {
                let value = String::from_utf8(part.data)
                    .map_err(|_| AppError::BadRequest("the form is not UTF-8 text".into()))?;
                fields.insert(part.name, value);
            }
        }
    }
    Ok((fields, file))
}

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    /// Set for a file field (possibly empty when no file was chosen).
    pub file_name: Option<String>,
    pub data: Vec<u8>,
}

/// The parts of a `multipart/form-data` body (RFC 7578): each part between boundary lines,
/// with its `Content-Disposition` name and file name.
pub fn parse_multipart(content_type: &str, body: &[u8]) -> Result<Vec<Part>, &'static str> {
    let boundary = content_type
        .split(';')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.trim().trim_matches('"'))
        .filter(|b| !b.is_empty() && b.len() <= 200)
        .ok_or("no multipart boundary")?;
    let delimiter = format!("--{boundary}").into_bytes();
    let mut at = find(body, &delimiter, 0).ok_or("no multipart boundary in the body")?;
    let mut parts = Vec::new();
    loop {
        at += delimiter.len();
        if body[at..].starts_with(b"--") {
            return Ok(parts);
        }
        at += line_end(&body[at..]).ok_or("a boundary line is cut short")?;
        let headers_end = find(body, b"\r\n\r\n", at).ok_or("a part has no end of headers")?;
        let headers = std::str::from_utf8(&body[at..headers_end])
            .map_err(|_| "a part's headers are not UTF-8")?;
        let data_start = headers_end + 4;
        let mut closing = b"\r\n".to_vec();
        closing.extend_from_slice(&delimiter);
        let data_end = find(body, &closing, data_start).ok_or("a part is cut short")?;
        let (name, file_name) = disposition(headers).ok_or("a part has no field name")?;
        parts.push(Part {
            name,
            file_name,
            data: body[data_start..data_end].to_vec(),
        });
        at = data_end + 2;
    }
}

/// The length of the rest of a boundary line, its CRLF included.
fn line_end(rest: &[u8]) -> Option<usize> {
    find(rest, b"\r\n", 0).map(|i| i + 2)
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from > haystack.len() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// `name` and `filename` of a part's `Content-Disposition: form-data` header.
fn disposition(headers: &str) -> Option<(String, Option<String>)> {
    let line = headers.split("\r\n").find(|l| {
        l.split(':')
            .next()
            .is_some_and(|h| h.trim().eq_ignore_ascii_case("content-disposition"))
    })?;
    let value = line.split_once(':')?.1;
    let param = |key: &str| {
        value.split(';').find_map(|p| {
            let (k, v) = p.trim().split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case(key)
                .then(|| v.trim().trim_matches('"').to_string())
        })
    };
    let name = param("name")?;
    // Browsers send the bare name; strip any path another client might add.
    let file_name =
        param("filename").map(|f| f.rsplit(['/', '\\']).next().unwrap_or("").to_string());
    Some((name, file_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPE: &str = "multipart/form-data; boundary=----x42";

    fn body(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, file, data) in parts {
            out.extend_from_slice(b"------x42\r\n");
            let disposition = match file {
                Some(f) => format!("form-data; name=\"{name}\"; filename=\"{f}\""),
                None => format!("form-data; name=\"{name}\""),
            };
            out.extend_from_slice(format!("Content-Disposition: {disposition}\r\n").as_bytes());
            if file.is_some() {
                out.extend_from_slice(b"Content-Type: text/plain\r\n");
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(data);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"------x42--\r\n");
        out
    }

    #[test]
    fn fields_and_files_are_read_from_a_multipart_body() {
        let sent = body(&[
            ("csrf", None, b"token"),
            (
                "file",
                Some("C:\\docs\\ch3.txt"),
                b"First.\r\n\r\nSecond \xff",
            ),
            ("text", None, b""),
        ]);
        let parts = parse_multipart(TYPE, &sent).unwrap();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0].name, "csrf");
        assert_eq!(parts[0].data, b"token");
        assert_eq!(parts[1].file_name.as_deref(), Some("ch3.txt"));
        assert_eq!(parts[1].data, b"First.\r\n\r\nSecond \xff");
        assert_eq!(parts[2].data, b"");
        let (fields, file) = read_multipart(TYPE, &sent).unwrap();
        assert_eq!(fields["csrf"], "token");
        assert_eq!(file.unwrap().name, "ch3.txt");
    }

    #[test]
    fn malformed_bodies_are_refused() {
        assert!(parse_multipart("multipart/form-data", b"").is_err());
        assert!(parse_multipart(TYPE, b"no boundary here").is_err());
        assert!(parse_multipart(
            TYPE,
            b"------x42\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\ncut"
        )
        .is_err());
        let not_utf8 = body(&[("text", None, b"\xff")]);
        assert!(read_multipart(TYPE, &not_utf8).is_err());
        let empty_file = body(&[("file", Some(""), b"")]);
        assert_eq!(read_multipart(TYPE, &empty_file).unwrap().1, None);
    }
}
