//! The client-side snapshot document as kept and served over HTTP: rendered once per
//! namespace version and accept-version gate, straight into a gzip stream, and kept
//! compressed.
//!
//! A namespace of 10,000 flags renders to about 10 MiB of JSON but well under 1 MiB of gzip,
//! so the compressed form is what stays in memory. Clients sending `Accept-Encoding: gzip` get
//! those bytes as they are (`Content-Encoding: gzip`); the others get them decompressed while
//! the response is written, a chunk at a time, with the same `Content-Length` as before.
//! Documents up to [`IDENTITY_LIMIT`] bytes are also kept uncompressed, so small namespaces
//! (the common case) cost no decompression per request.
//!
//! Rendering serializes the document flag by flag (`Snapshot::client_document_lazy`) through
//! a buffer into the compressor: the whole message and the whole JSON text never exist at
//! once, which keeps the transient peak of a large render small.

use std::io::{self, BufWriter, Read, Write};
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::{BodySize, MessageBody};
use bytes::{Buf, Bytes};
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use serde::Serialize;

/// Documents of at most this many bytes are kept uncompressed as well as compressed.
pub const IDENTITY_LIMIT: usize = 64 * 1024;

/// Size of the chunks a compressed document is decompressed in.
const CHUNK: usize = 64 * 1024;

/// A rendered document: its gzip form, and its JSON text when small.
#[derive(Debug)]
pub struct Document {
    /// Empty only for [`Document::text`] documents.
    gzip: Bytes,
    identity: Option<Bytes>,
    /// Length of the JSON text.
    len: u64,
}

impl Document {
    /// Serializes `value` as protobuf JSON into a compressed document, keeping the text as
    /// well when it is at most `identity_limit` bytes.
    pub fn render<T: Serialize + ?Sized>(value: &T, identity_limit: usize) -> io::Result<Self> {
        let mut sink = Sink {
            gzip: GzEncoder::new(Vec::new(), Compression::default()),
            copy: Some(Vec::new()),
            limit: identity_limit,
            len: 0,
        };
        {
            let mut buffered = BufWriter::with_capacity(CHUNK, &mut sink);
            flipt_proto::json::to_writer(&mut buffered, value).map_err(io::Error::other)?;
            buffered.flush()?;
        }
        let Sink {
            gzip, copy, len, ..
        } = sink;
        let mut gzip = gzip.finish()?;
        gzip.shrink_to_fit();
        Ok(Document {
            gzip: Bytes::from(gzip),
            identity: copy.map(|mut c| {
                c.shrink_to_fit();
                Bytes::from(c)
            }),
            len: len as u64,
        })
    }

    /// A document kept only as `text` (no gzip form), for when rendering failed.
    pub fn text(text: Bytes) -> Self {
        Document {
            gzip: Bytes::new(),
            len: text.len() as u64,
            identity: Some(text),
        }
    }

    /// The gzip-compressed document (a complete gzip member), if it has one.
    pub fn gzip(&self) -> Option<Bytes> {
        (!self.gzip.is_empty()).then(|| self.gzip.clone())
    }

    /// The length of the JSON text.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the JSON text is empty (never, for a rendered message).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether the JSON text is kept uncompressed as well.
    pub fn keeps_identity(&self) -> bool {
        self.identity.is_some()
    }

    /// The JSON text as a response body: the kept text, or the compressed bytes decompressed
    /// while they are written.
    pub fn identity_body(&self) -> IdentityBody {
        match &self.identity {
            Some(text) => IdentityBody::Kept(text.clone()),
            None => IdentityBody::Gunzip(Gunzip {
                decoder: GzDecoder::new(self.gzip.clone().reader()),
                remaining: self.len,
            }),
        }
    }
}

/// Where rendering writes: the compressor, plus a copy of the text while it stays small.
struct Sink {
    gzip: GzEncoder<Vec<u8>>,
    copy: Option<Vec<u8>>,
    limit: usize,
    len: usize,
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.gzip.write_all(buf)?;
        self.len += buf.len();
        if self.len > self.limit {
            self.copy = None;
        } else if let Some(copy) = &mut self.copy {
            copy.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The uncompressed body of a document response.
pub enum IdentityBody {
    /// The kept JSON text.
    Kept(Bytes),
    /// The compressed bytes, decompressed chunk by chunk.
    Gunzip(Gunzip),
}

impl MessageBody for IdentityBody {
    type Error = io::Error;

    fn size(&self) -> BodySize {
        match self {
            IdentityBody::Kept(text) => BodySize::Sized(text.len() as u64),
            IdentityBody::Gunzip(g) => BodySize::Sized(g.remaining),
        }
    }

    fn poll_next(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        match self.get_mut() {
            IdentityBody::Kept(text) if text.is_empty() => Poll::Ready(None),
            IdentityBody::Kept(text) => Poll::Ready(Some(Ok(std::mem::take(text)))),
            IdentityBody::Gunzip(g) => Poll::Ready(g.next_chunk().transpose()),
        }
    }

    fn try_into_bytes(self) -> Result<Bytes, Self> {
        match self {
            IdentityBody::Kept(text) => Ok(text),
            other => Err(other),
        }
    }
}

/// Decompresses a kept gzip document in chunks of at most [`CHUNK`] bytes.
pub struct Gunzip {
    decoder: GzDecoder<bytes::buf::Reader<Bytes>>,
    /// Bytes of text still to come.
    remaining: u64,
}

impl Gunzip {
    fn next_chunk(&mut self) -> io::Result<Option<Bytes>> {
        if self.remaining == 0 {
            return Ok(None);
        }
        let want = CHUNK.min(usize::try_from(self.remaining).unwrap_or(CHUNK));
        let mut chunk = vec![0u8; want];
        let mut filled = 0;
        while filled < want {
            match self.decoder.read(&mut chunk[filled..])? {
                0 => break,
                n => filled += n,
            }
        }
        if filled == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "snapshot document shorter than its length",
            ));
        }
        chunk.truncate(filled);
        self.remaining -= filled as u64;
        Ok(Some(Bytes::from(chunk)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::to_bytes;

    fn text(n: usize) -> serde_json::Value {
        let flags: Vec<_> = (0..n)
            .map(|i| serde_json::json!({"key": format!("flag-{i:05}"), "enabled": i % 2 == 0}))
            .collect();
        serde_json::json!({"namespace": {"key": "default"}, "flags": flags})
    }

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        GzDecoder::new(bytes).read_to_end(&mut out).unwrap();
        out
    }

    #[actix_web::test]
    async fn small_documents_keep_their_text() {
        let value = text(3);
        let expected = flipt_proto::json::to_vec(&value).unwrap();
        let doc = Document::render(&value, IDENTITY_LIMIT).unwrap();
        assert!(doc.keeps_identity());
        assert_eq!(doc.len(), expected.len() as u64);
        assert_eq!(gunzip(&doc.gzip().unwrap()), expected);
        let body = doc.identity_body();
        assert_eq!(body.size(), BodySize::Sized(expected.len() as u64));
        assert_eq!(to_bytes(body).await.unwrap(), expected);
    }

    #[actix_web::test]
    async fn large_documents_are_decompressed_in_chunks() {
        let value = text(20_000);
        let expected = flipt_proto::json::to_vec(&value).unwrap();
        assert!(expected.len() > 4 * CHUNK);
        let doc = Document::render(&value, IDENTITY_LIMIT).unwrap();
        assert!(!doc.keeps_identity());
        assert!(doc.gzip().unwrap().len() < expected.len() / 4, "compresses");
        assert_eq!(gunzip(&doc.gzip().unwrap()), expected);
        let mut body = doc.identity_body();
        assert_eq!(body.size(), BodySize::Sized(expected.len() as u64));
        let mut out = Vec::new();
        let mut chunks = 0;
        while let Some(chunk) =
            futures::future::poll_fn(|cx| Pin::new(&mut body).poll_next(cx)).await
        {
            let chunk = chunk.unwrap();
            assert!(!chunk.is_empty() && chunk.len() <= CHUNK);
            out.extend_from_slice(&chunk);
            chunks += 1;
        }
        assert_eq!(out, expected);
        assert_eq!(chunks, expected.len().div_ceil(CHUNK));
    }

    #[test]
    fn the_limit_is_inclusive() {
        let value = text(10);
        let len = flipt_proto::json::to_vec(&value).unwrap().len();
        assert!(Document::render(&value, len).unwrap().keeps_identity());
        assert!(!Document::render(&value, len - 1).unwrap().keeps_identity());
    }
}
