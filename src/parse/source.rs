//! Decoding Python source bytes to text: BOM, PEP 263 coding cookies, NUL bytes.
//!
//! Follows CPython's tokenizer (PEP 263, PEP 3120): UTF-8 unless a coding cookie on line 1, or on
//! line 2 after a comment-only or blank line 1, names another encoding. Line endings are left as
//! they are; `\n`, `\r\n` and a lone `\r` each end a line when a problem's line is counted.

use encoding_rs::{DecoderResult, Encoding};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DecodeError {
    /// 1-based line of the problem (the cookie line, or the first bad byte's line); 0 if unknown.
    pub line: u32,
    pub message: String,
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decode a Python file as CPython would: UTF-8 by default, a UTF-8 BOM stripped, a coding cookie
/// on line 1 or 2 honoured (`latin-1`, `cp1252`, `utf-8-sig`, ...), NUL bytes refused.
pub fn decode_python(bytes: &[u8]) -> Result<String, DecodeError> {
    let (body, has_bom) = match bytes.strip_prefix(UTF8_BOM) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    if let Some(offset) = body.iter().position(|&b| b == 0) {
        return Err(DecodeError {
            line: line_at(body, offset),
            message: "source code cannot contain null bytes".to_string(),
        });
    }
    let Some(cookie) = find_cookie(body) else {
        return decode_utf8(body, false);
    };
    let normal = normal_name(&cookie.name);
    if has_bom && normal != "utf-8" {
        return Err(DecodeError { line: cookie.line, message: format!("encoding problem: {normal} with BOM") });
    }
    match lookup_codec(&normal) {
        Some(Codec::Utf8) => decode_utf8(body, true),
        Some(Codec::Latin1) => Ok(body.iter().map(|&b| char::from(b)).collect()),
        Some(Codec::Ascii) => match body.iter().position(|b| !b.is_ascii()) {
            None => Ok(String::from_utf8(body.to_vec()).expect("ASCII is UTF-8")),
            Some(offset) => Err(DecodeError {
                line: line_at(body, offset),
                message: format!("'{}' codec can't decode byte 0x{:02x}: not in range(128)", cookie.name, body[offset]),
            }),
        },
        Some(Codec::Other(encoding)) => decode_with(encoding, body).map_err(|offset| DecodeError {
            line: line_at(body, offset),
            message: format!("'{}' codec can't decode byte 0x{:02x}", cookie.name, body[offset]),
        }),
        Some(Codec::Unusable) => {
            Err(DecodeError { line: cookie.line, message: format!("encoding problem: {}", cookie.name) })
        }
        None => Err(DecodeError { line: cookie.line, message: format!("unknown encoding: {}", cookie.name) }),
    }
}

/// A coding cookie as written, and its 1-based line.
struct Cookie {
    name: String,
    line: u32,
}

/// The cookie of line 1, or of line 2 when line 1 holds only blanks or a comment (CPython stops
/// looking after the first line with code on it).
fn find_cookie(body: &[u8]) -> Option<Cookie> {
    let mut rest = body;
    for line in 1..=2 {
        let end = rest.iter().position(|&b| b == b'\n' || b == b'\r').unwrap_or(rest.len());
        let text = &rest[..end];
        if let Some(name) = coding_spec(text) {
            return Some(Cookie { name, line });
        }
        let first = text.iter().find(|&&b| !matches!(b, b' ' | b'\t' | b'\x0c'));
        if first.is_some_and(|&b| b != b'#') || end == rest.len() {
            return None;
        }
        let skip = if rest[end] == b'\r' && rest.get(end + 1) == Some(&b'\n') { 2 } else { 1 };
        rest = &rest[end + skip..];
    }
    None
}

/// `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)` on one line, with `\w` ASCII-only as in CPython's
/// `get_coding_spec`.
fn coding_spec(line: &[u8]) -> Option<String> {
    let hash = line.iter().position(|&b| !matches!(b, b' ' | b'\t' | b'\x0c'))?;
    if line[hash] != b'#' {
        return None;
    }
    let mut i = hash + 1;
    while let Some(found) = find(&line[i..], b"coding") {
        let mut t = i + found + b"coding".len();
        i = t;
        if !matches!(line.get(t), Some(b':' | b'=')) {
            continue;
        }
        t += 1;
        while matches!(line.get(t), Some(b' ' | b'\t')) {
            t += 1;
        }
        let begin = t;
        while line.get(t).is_some_and(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')) {
            t += 1;
        }
        if t > begin {
            return Some(String::from_utf8_lossy(&line[begin..t]).into_owned());
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// CPython's `get_normal_name`: `utf-8` and `utf-8-*` become `utf-8`; `latin-1`, `iso-8859-1`,
/// `iso-latin-1` and their `-*` variants become `iso-8859-1`; case and `_` only matter for those.
/// Other names are returned as written.
fn normal_name(name: &str) -> String {
    let folded: String = name.chars().take(12).map(|c| if c == '_' { '-' } else { c.to_ascii_lowercase() }).collect();
    if folded == "utf-8" || folded.starts_with("utf-8-") {
        return "utf-8".to_string();
    }
    let latin1 = ["latin-1", "iso-8859-1", "iso-latin-1"];
    if latin1.iter().any(|l| folded == *l || folded.starts_with(&format!("{l}-"))) {
        return "iso-8859-1".to_string();
    }
    name.to_string()
}

enum Codec {
    Utf8,
    /// True ISO-8859-1: each byte is the code point of the same value.
    Latin1,
    Ascii,
    Other(&'static Encoding),
    /// A known encoding a coding cookie cannot declare (UTF-16), or one with no decoder here.
    Unusable,
}

/// Map a Python codec name to a decoder. Python's own spellings come first; the rest go through
/// the WHATWG labels of `encoding_rs`, which knows most names Python files use (`cp1252`,
/// `euc-jp`, `shift_jis`, `gbk`, `koi8-r`, `iso-8859-15`...).
///
/// WHATWG decodes `latin-1`, `iso-8859-1` and `ascii` as windows-1252, which differs from Python
/// for bytes 0x80 to 0x9F (and accepts all bytes for `ascii`); those names are decoded here as
/// Python does. Other WHATWG supersets are kept (`iso-8859-9` as windows-1254, `euc-kr` as
/// windows-949, `gb2312` as GBK): they decode every byte Python accepts the same way.
fn lookup_codec(name: &str) -> Option<Codec> {
    let key = name.to_ascii_lowercase().replace(['_', ' '], "-");
    let python_alias = match key.as_str() {
        "utf-8" | "utf8" | "u8" | "utf" | "cp65001" => return Some(Codec::Utf8),
        "iso-8859-1" | "iso8859-1" | "8859" | "cp819" | "latin" | "latin1" | "l1" | "iso-ir-100" => {
            return Some(Codec::Latin1)
        }
        "ascii" | "us-ascii" | "us" | "646" | "ansi-x3.4-1968" | "cp367" => return Some(Codec::Ascii),
        "cp932" | "ms932" | "mskanji" | "ms-kanji" => Some(encoding_rs::SHIFT_JIS),
        "cp936" | "ms936" => Some(encoding_rs::GBK),
        "cp949" | "ms949" | "uhc" => Some(encoding_rs::EUC_KR),
        "cp950" | "ms950" => Some(encoding_rs::BIG5),
        "mac-roman" | "macroman" => Some(encoding_rs::MACINTOSH),
        _ => None,
    };
    let encoding = python_alias
        .or_else(|| Encoding::for_label(key.as_bytes()))
        .or_else(|| Encoding::for_label(key.replace('-', "").as_bytes()))?;
    if encoding == encoding_rs::UTF_8 {
        return Some(Codec::Utf8);
    }
    // The cookie itself must be readable as ASCII, so UTF-16 cannot be declared this way;
    // REPLACEMENT stands for encodings `encoding_rs` refuses to decode (ISO-2022-KR, HZ...).
    // ISO-2022-JP keeps ASCII bytes as ASCII outside its escape sequences.
    let usable = encoding.is_ascii_compatible() || encoding == encoding_rs::ISO_2022_JP;
    Some(if usable { Codec::Other(encoding) } else { Codec::Unusable })
}

/// Strict UTF-8. `declared` says whether a cookie asked for it, which changes the message as in
/// CPython.
fn decode_utf8(body: &[u8], declared: bool) -> Result<String, DecodeError> {
    match std::str::from_utf8(body) {
        Ok(text) => Ok(text.to_string()),
        Err(err) => {
            let offset = err.valid_up_to();
            let byte = body[offset];
            let message = if declared {
                format!("'utf-8' codec can't decode byte 0x{byte:02x}")
            } else {
                format!(
                    "Non-UTF-8 code starting with '\\x{byte:02x}', but no encoding declared; \
                     see PEP 263"
                )
            };
            Err(DecodeError { line: line_at(body, offset), message })
        }
    }
}

/// Decode with `encoding`, or return the offset of the first malformed byte.
fn decode_with(encoding: &'static Encoding, body: &[u8]) -> Result<String, usize> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder.max_utf8_buffer_length_without_replacement(body.len()).unwrap_or(body.len());
    let mut out = String::with_capacity(capacity);
    let mut pos = 0;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(&body[pos..], &mut out, true);
        pos += read;
        match result {
            DecoderResult::InputEmpty => return Ok(out),
            DecoderResult::OutputFull => out.reserve(body.len() - pos + 16),
            DecoderResult::Malformed(bad, after) => {
                return Err(pos - usize::from(bad) - usize::from(after));
            }
        }
    }
}

/// 1-based line of byte `offset`: `\n`, `\r\n` and a lone `\r` each end a line.
fn line_at(body: &[u8], offset: usize) -> u32 {
    let before = &body[..offset.min(body.len())];
    let mut line = 1u32;
    for (i, &b) in before.iter().enumerate() {
        let lone_cr = b == b'\r' && body.get(i + 1) != Some(&b'\n');
        if b == b'\n' || lone_cr {
            line = line.saturating_add(1);
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_like_cpython() {
        let cases: &[(&str, &[u8], &str)] = &[
            ("plain ascii", b"x = 1\n", "x = 1\n"),
            ("utf-8 by default", "s = 'é'\n".as_bytes(), "s = 'é'\n"),
            ("bom stripped", b"\xEF\xBB\xBFx = 1\n", "x = 1\n"),
            ("bom with utf-8 cookie", b"\xEF\xBB\xBF# coding: utf-8\n", "# coding: utf-8\n"),
            ("bom with utf-8-sig cookie", b"\xEF\xBB\xBF# coding: utf-8-sig\n", "# coding: utf-8-sig\n"),
            ("latin-1 cookie", b"# -*- coding: latin-1 -*-\ns = '\xE9'\n", "# -*- coding: latin-1 -*-\ns = 'é'\n"),
            ("latin-1 keeps C1 bytes", b"# coding: latin-1\n\x80\x9F", "# coding: latin-1\n\u{80}\u{9F}"),
            ("iso-8859-1 with underscores", b"# coding=ISO_8859_1\n\xE9", "# coding=ISO_8859_1\né"),
            ("cp1252 cookie", b"# coding: cp1252\n\x80", "# coding: cp1252\n€"),
            ("euc_jp cookie", b"# coding: euc_jp\n\xA4\xA2", "# coding: euc_jp\nあ"),
            ("utf8 cookie", "# coding: utf8\né".as_bytes(), "# coding: utf8\né"),
            ("vim modeline", b"# vim: set fileencoding=latin-1 :\n\xE9", "# vim: set fileencoding=latin-1 :\né"),
            (
                "cookie on line 2",
                b"#!/usr/bin/env python\n# coding: latin-1\n\xE9",
                "#!/usr/bin/env python\n# coding: latin-1\né",
            ),
            ("cookie on line 2 after blank", b"\n# coding: latin-1\n\xE9", "\n# coding: latin-1\né"),
            ("cookie after crlf", b"#!python\r\n# coding: latin-1\r\n\xE9", "#!python\r\n# coding: latin-1\r\né"),
            ("cookie after lone cr", b"#!python\r# coding: latin-1\r\xE9", "#!python\r# coding: latin-1\ré"),
            ("empty coding: is skipped", b"# coding: , coding: latin-1\n\xE9", "# coding: , coding: latin-1\né"),
            ("crlf kept", b"a = 1\r\nb = 2\r", "a = 1\r\nb = 2\r"),
            ("empty file", b"", ""),
        ];
        for (name, input, expected) in cases {
            assert_eq!(decode_python(input).as_deref(), Ok(*expected), "{name}");
        }
    }

    #[test]
    fn refuses_like_cpython() {
        let cases: &[(&str, &[u8], u32, &str)] = &[
            ("nul byte", b"x = 1\ny = '\x00'\n", 2, "source code cannot contain null bytes"),
            ("nul byte after crlf", b"x = 1\r\n\r\n\x00", 3, "source code cannot contain null bytes"),
            ("invalid utf-8", b"x = 1\ny = 2\ns = '\xE9'\n", 3, "Non-UTF-8 code starting with '\\xe9'"),
            ("invalid utf-8 after lone cr", b"x = 1\ry = '\xFF'", 2, "Non-UTF-8 code starting with '\\xff'"),
            ("invalid declared utf-8", b"# coding: utf-8\n\n'\xE9'", 3, "'utf-8' codec can't decode byte 0xe9"),
            ("bom and latin-1", b"\xEF\xBB\xBF# coding: latin-1\n", 1, "encoding problem: iso-8859-1 with BOM"),
            ("bom and utf8 spelling", b"\xEF\xBB\xBF\n# coding: utf8\n", 2, "encoding problem: utf8 with BOM"),
            ("unknown encoding", b"# -*- coding: klingon -*-\n", 1, "unknown encoding: klingon"),
            ("unknown on line 2", b"#!/bin/python\n# coding: klingon\n", 2, "unknown encoding: klingon"),
            ("utf-16 cannot be declared", b"# coding: utf-16\n", 1, "encoding problem: utf-16"),
            ("ascii cookie, other byte", b"# coding: ascii\n\n\xE9", 3, "'ascii' codec can't decode byte 0xe9"),
            ("bad shift_jis", b"# coding: shift_jis\n\x81\x20", 2, "'shift_jis' codec can't decode byte 0x81"),
        ];
        for (name, input, line, message) in cases {
            let err = decode_python(input).expect_err(name);
            assert_eq!(err.line, *line, "{name}: {err:?}");
            assert!(err.message.starts_with(message), "{name}: {err:?}");
        }
    }

    #[test]
    fn cookie_only_on_first_two_lines() {
        // Line 1 has code: line 2 is not looked at, so the file stays UTF-8.
        let code_first = b"x = 1\n# coding: latin-1\n\xE9";
        assert_eq!(decode_python(code_first).unwrap_err().line, 3);
        // A cookie on line 3 is ignored.
        let third = b"#\n#\n# coding: latin-1\n\xE9";
        assert_eq!(decode_python(third).unwrap_err().line, 4);
        // A cookie after code on the same line is not a cookie.
        let trailing = b"x = 1  # coding: latin-1\n\xE9";
        assert_eq!(decode_python(trailing).unwrap_err().line, 2);
    }

    #[test]
    fn latin1_decodes_every_byte() {
        let mut input = b"# coding: latin-1\n".to_vec();
        input.extend((1..=255u8).filter(|b| !matches!(b, b'\n' | b'\r')));
        let text = decode_python(&input).unwrap();
        assert_eq!(text.chars().count(), input.len());
    }
}
