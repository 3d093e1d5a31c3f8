//! [`Str`]: a JSON string's value that shares the input text instead of copying it.
//!
//! A large policy is mostly strings (ARNs, keys); one allocation per string doubled the
//! input in memory, and the typed model copied each once more. A string without escapes is
//! a slice of the text it was read from, so it is kept as a reference-counted handle on
//! that text and a range: no allocation, and cloning it into the model is a counter bump.
//! Escaped strings (rare) and strings built elsewhere own their text in the same form.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// `len` of a [`Str`] that is the whole of its text (so owned strings of any length fit).
const WHOLE: u32 = u32::MAX;

/// An immutable string, either a range of a shared input text or a text of its own.
///
/// It reads as a `&str` (through `Deref`) and compares, hashes and prints as one.
///
/// ```
/// use policy_check::source::Str;
/// let s = Str::from("GET");
/// assert_eq!(s, "GET");
/// assert_eq!(s.len(), 3);
/// assert_eq!(s.to_ascii_lowercase(), "get");
/// ```
#[derive(Clone)]
pub struct Str {
    text: Arc<String>,
    start: u32,
    len: u32,
}

impl Str {
    /// The bytes `start..start + len` of `text`, which must lie on character boundaries;
    /// `None` when the range is out of bounds, not on boundaries, or past 4 GiB.
    pub(crate) fn slice(text: &Arc<String>, start: usize, len: usize) -> Option<Str> {
        text.get(start..start.checked_add(len)?)?;
        let (Ok(start), Ok(len)) = (u32::try_from(start), u32::try_from(len)) else {
            return None;
        };
        (len != WHOLE).then(|| Str {
            text: Arc::clone(text),
            start,
            len,
        })
    }

    /// The string as a `&str`.
    pub fn as_str(&self) -> &str {
        if self.len == WHOLE {
            &self.text
        } else {
            let start = self.start as usize;
            // In bounds and on boundaries: checked when the range was made, and the text
            // never changes (it is behind an `Arc` nobody can mutate).
            &self.text[start..start + self.len as usize]
        }
    }
}

impl From<String> for Str {
    fn from(s: String) -> Str {
        Str {
            text: Arc::new(s),
            start: 0,
            len: WHOLE,
        }
    }
}

impl From<&str> for Str {
    fn from(s: &str) -> Str {
        Str::from(s.to_string())
    }
}

impl From<Str> for String {
    fn from(s: Str) -> String {
        s.as_str().to_string()
    }
}

impl Deref for Str {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Str {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Str {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Str {
    fn eq(&self, other: &Str) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Str {}

impl PartialEq<str> for Str {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Str {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Str {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Str> for str {
    fn eq(&self, other: &Str) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Str> for &str {
    fn eq(&self, other: &Str) -> bool {
        *self == other.as_str()
    }
}

impl PartialOrd for Str {
    fn partial_cmp(&self, other: &Str) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Str {
    fn cmp(&self, other: &Str) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Str {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl serde::Serialize for Str {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slice_reads_its_range_and_refuses_bad_ranges() {
        let text = Arc::new("{\"é\": \"abc\"}".to_string());
        assert_eq!(Str::slice(&text, 8, 3).unwrap(), "abc");
        assert!(Str::slice(&text, 3, 1).is_none(), "inside a character");
        assert!(Str::slice(&text, 10, 9).is_none(), "past the end");
        assert!(Str::slice(&text, usize::MAX, 2).is_none(), "overflow");
    }

    #[test]
    fn it_is_two_words() {
        assert_eq!(std::mem::size_of::<Str>(), 16);
    }
}
