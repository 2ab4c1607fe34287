//! Flipt's list paging: `limit`, `offset`, `pageToken` in; `nextPageToken`, `totalCount` out.
//!
//! A page token is standard base64 (with padding) of the compact JSON `{"key":"<k>","offset":<n>}`;
//! only `offset` is read back, `key` is informational.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Where a page starts and how many items it holds (`None` = all remaining items).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub offset: u64,
    pub limit: Option<u64>,
}

#[derive(Serialize, Deserialize, Default)]
struct Token {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    key: String,
    #[serde(default, skip_serializing_if = "is_zero")]
    offset: i64,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

impl Page {
    /// Resolves the request's paging fields. `require_limit` applies Flipt's check for flags,
    /// segments and rules: `limit` must be set when `offset` or `pageToken` is.
    pub fn from_request(
        limit: i32,
        offset: i32,
        page_token: &str,
        require_limit: bool,
    ) -> Result<Self> {
        if require_limit && limit == 0 && (offset > 0 || !page_token.is_empty()) {
            return Err(Error::invalid(
                "limit must be set when offset or pageToken is set",
            ));
        }
        if limit < 0 {
            return Err(Error::invalid_field(
                "limit",
                "must be greater than or equal to 0",
            ));
        }
        if offset < 0 {
            return Err(Error::invalid_field(
                "offset",
                "must be greater than or equal to 0",
            ));
        }
        let start = if page_token.is_empty() {
            offset as u64
        } else {
            decode_token(page_token)?
        };
        Ok(Page {
            offset: start,
            limit: (limit > 0).then_some(limit as u64),
        })
    }

    /// How many rows to fetch: one more than the page so we know whether another page follows.
    pub fn fetch_limit(&self) -> Option<u64> {
        self.limit.map(|l| l + 1)
    }

    /// Trims the fetched rows to the page and returns the next page token (`""` on the last page).
    /// `key_of` names the first item of the next page (informational in the token).
    pub fn finish<T>(&self, mut rows: Vec<T>, key_of: impl Fn(&T) -> String) -> (Vec<T>, String) {
        match self.limit {
            Some(limit) if rows.len() as u64 > limit => {
                let next_key = key_of(&rows[limit as usize]);
                rows.truncate(limit as usize);
                (rows, encode_token(&next_key, self.offset + limit))
            }
            _ => (rows, String::new()),
        }
    }
}

/// Encodes a page token.
pub fn encode_token(key: &str, offset: u64) -> String {
    let token = Token {
        key: key.to_owned(),
        offset: offset as i64,
    };
    let json = serde_json::to_vec(&token).unwrap_or_default();
    STANDARD.encode(json)
}

fn decode_token(raw: &str) -> Result<u64> {
    let invalid = || Error::invalid(format!("pageToken is not valid: {raw:?}"));
    let bytes = STANDARD.decode(raw).map_err(|_| invalid())?;
    let token: Token = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    u64::try_from(token.offset).map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_matches_flipt_encoding() {
        assert_eq!(
            encode_token("flag_c", 2),
            "eyJrZXkiOiJmbGFnX2MiLCJvZmZzZXQiOjJ9"
        );
    }

    #[test]
    fn token_round_trips() {
        let page = Page::from_request(2, 0, &encode_token("x", 4), true).unwrap();
        assert_eq!(
            page,
            Page {
                offset: 4,
                limit: Some(2)
            }
        );
    }

    #[test]
    fn invalid_token_quotes_input() {
        let err = Page::from_request(1, 0, "Hello World", true).unwrap_err();
        assert_eq!(err.to_string(), "pageToken is not valid: \"Hello World\"");
    }

    #[test]
    fn token_without_limit_rejected_when_required() {
        let err = Page::from_request(0, 0, "abc", true).unwrap_err();
        assert_eq!(
            err.to_string(),
            "limit must be set when offset or pageToken is set"
        );
        assert!(Page::from_request(0, 0, &encode_token("", 3), false).is_ok());
    }

    #[test]
    fn finish_sets_next_token_only_when_more_rows() {
        let page = Page::from_request(2, 0, "", true).unwrap();
        let (rows, next) = page.finish(vec!["a", "b", "c"], |s| s.to_string());
        assert_eq!(rows, vec!["a", "b"]);
        assert_eq!(next, encode_token("c", 2));
        let (rows, next) = page.finish(vec!["a", "b"], |s| s.to_string());
        assert_eq!(rows.len(), 2);
        assert_eq!(next, "");
    }
}
