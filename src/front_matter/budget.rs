//! The YAML budget: what front matter may hold before serde_yaml builds anything from it.
//!
//! serde_yaml has no limit on aliases (a 1 MB file of aliases to one long string became 4.4 GB
//! of memory) and libyaml's time grows with the square of the nesting depth. Front matter needs
//! neither aliases nor deep nesting, so this module reads the YAML as a stream of parser events
//! and refuses an alias, an anchor, or nesting deeper than [`MAX_DEPTH`], before serde_yaml
//! parses it.
//!
//! It reads with **the same parser serde_yaml uses** (`unsafe-libyaml`, libyaml translated to
//! Rust), so there is no text that this check and serde_yaml read differently: an earlier check
//! that guessed the nesting from brackets was fooled by a `#` or `'` inside plain text. The
//! events come one at a time and the check stops at the first refusal, so it costs time in
//! proportion to the text and holds at most one event in memory.
//!
//! This module must never build values, and never let a document through that it did not read
//! to the end: when libyaml reports a syntax error the check stops there, and serde_yaml, reading
//! the same text with the same parser, stops at the same error and reports it.
//!
//! The only `unsafe` code of kroniek is here: libyaml's C-style interface. It follows
//! serde_yaml's own wrapper (`serde_yaml::libyaml::parser`).

use std::mem::MaybeUninit;

/// Deepest nesting of lists and maps allowed in front matter. Real front matter needs three or
/// four levels; serde_yaml itself gives up at 128.
pub const MAX_DEPTH: usize = 64;

/// Why front matter is refused, with the 1-based line and column (in characters) of the YAML
/// text where it happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `*name`: a repetition of an anchored value.
    Alias { line: usize, column: usize },
    /// `&name`: a name given to a value so that an alias can repeat it.
    Anchor { line: usize, column: usize },
    /// A list or map more than [`MAX_DEPTH`] levels deep.
    TooDeep { line: usize, column: usize },
}

/// Reads `yaml` event by event; the first refusal, or `None` when serde_yaml may read it.
pub fn check(yaml: &str) -> Option<Refusal> {
    let mut parser = Parser::new(yaml)?;
    let mut depth = 0usize;
    loop {
        let event = parser.next()?;
        let position = (event.line, event.column);
        let refusal = match event.kind {
            Kind::End => return None,
            Kind::Alias => Some(Refusal::Alias {
                line: position.0,
                column: position.1,
            }),
            Kind::Value { anchored: true, .. } => Some(Refusal::Anchor {
                line: position.0,
                column: position.1,
            }),
            Kind::Value { opens, .. } => {
                if opens {
                    depth += 1;
                }
                (depth > MAX_DEPTH).then_some(Refusal::TooDeep {
                    line: position.0,
                    column: position.1,
                })
            }
            Kind::Close => {
                depth = depth.saturating_sub(1);
                None
            }
            Kind::Other => None,
        };
        if refusal.is_some() {
            return refusal;
        }
    }
}

/// What the check needs to know of one parser event.
struct Event {
    kind: Kind,
    /// 1-based.
    line: usize,
    /// 1-based, in characters.
    column: usize,
}

enum Kind {
    /// A scalar, or the start of a list or map (`opens`).
    Value {
        anchored: bool,
        opens: bool,
    },
    /// The end of a list or map.
    Close,
    Alias,
    /// The end of the stream: everything was read.
    End,
    /// Stream and document starts and ends.
    Other,
}

/// A libyaml parser over a borrowed text. Boxed because libyaml keeps a pointer to the parser
/// inside the parser (its read handler's data), so it must not move.
struct Parser<'a> {
    sys: Box<MaybeUninit<unsafe_libyaml::yaml_parser_t>>,
    failed: bool,
    /// The text libyaml reads from; it must outlive the parser.
    _input: &'a str,
}

impl<'a> Parser<'a> {
    /// `None` when libyaml cannot allocate its buffers.
    fn new(input: &'a str) -> Option<Parser<'a>> {
        let mut sys = Box::new(MaybeUninit::<unsafe_libyaml::yaml_parser_t>::uninit());
        let parser = sys.as_mut_ptr();
        // SAFETY: `parser` points to memory owned by the box, which stays where it is for the
        // parser's life; `yaml_parser_initialize` zeroes it before use. The input pointer and
        // length describe `input`, which the lifetime `'a` keeps alive and unchanged while the
        // parser exists. On failure libyaml has freed what it allocated.
        unsafe {
            if unsafe_libyaml::yaml_parser_initialize(parser).fail {
                return None;
            }
            unsafe_libyaml::yaml_parser_set_encoding(parser, unsafe_libyaml::YAML_UTF8_ENCODING);
            unsafe_libyaml::yaml_parser_set_input_string(
                parser,
                input.as_ptr(),
                input.len() as u64,
            );
        }
        Some(Parser {
            sys,
            failed: false,
            _input: input,
        })
    }

    /// The next event; `None` after a syntax error (serde_yaml will report it).
    fn next(&mut self) -> Option<Event> {
        if self.failed {
            return None;
        }
        let parser = self.sys.as_mut_ptr();
        let mut raw = MaybeUninit::<unsafe_libyaml::yaml_event_t>::uninit();
        let raw = raw.as_mut_ptr();
        // SAFETY: the parser was initialised in `new` and has not failed (libyaml must not be
        // called again after a failure). On success `yaml_parser_parse` fills the event, whose
        // union is read only in the member its `type_` names, and `yaml_event_delete` frees it
        // once; nothing of it is kept.
        unsafe {
            if unsafe_libyaml::yaml_parser_parse(parser, raw).fail {
                self.failed = true;
                return None;
            }
            let event = &*raw;
            let kind = match event.type_ {
                unsafe_libyaml::YAML_STREAM_END_EVENT => Kind::End,
                unsafe_libyaml::YAML_ALIAS_EVENT => Kind::Alias,
                unsafe_libyaml::YAML_SCALAR_EVENT => Kind::Value {
                    anchored: !event.data.scalar.anchor.is_null(),
                    opens: false,
                },
                unsafe_libyaml::YAML_SEQUENCE_START_EVENT => Kind::Value {
                    anchored: !event.data.sequence_start.anchor.is_null(),
                    opens: true,
                },
                unsafe_libyaml::YAML_MAPPING_START_EVENT => Kind::Value {
                    anchored: !event.data.mapping_start.anchor.is_null(),
                    opens: true,
                },
                unsafe_libyaml::YAML_SEQUENCE_END_EVENT
                | unsafe_libyaml::YAML_MAPPING_END_EVENT => Kind::Close,
                _ => Kind::Other,
            };
            let line = event.start_mark.line as usize + 1;
            let column = event.start_mark.column as usize + 1;
            unsafe_libyaml::yaml_event_delete(raw);
            Some(Event { kind, line, column })
        }
    }
}

impl Drop for Parser<'_> {
    fn drop(&mut self) {
        // SAFETY: the parser was initialised in `new` (a failed initialisation never makes a
        // `Parser`), and is deleted once, here.
        unsafe { unsafe_libyaml::yaml_parser_delete(self.sys.as_mut_ptr()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn plain_front_matter_passes() {
        let yaml = "title: \"Q&A *with* the CISO\"\ndate: 2024-06-04\norgs: [a, b]\n\
                    sources:\n  - title: A & B\n    url: https://x.nl/?a=1&b=*\ntags: [\"&x\"]\n";
        assert_eq!(check(yaml), None);
        assert_eq!(check(""), None);
        assert_eq!(check("a: 5 * 3\nb: Tom & Jerry\n"), None);
    }

    #[test]
    fn aliases_and_anchors_are_refused_where_they_are() {
        assert_eq!(
            check("a: &x long\nb: [*x]\n"),
            Some(Refusal::Anchor { line: 1, column: 4 })
        );
        // An alias to nothing is still an alias (serde_yaml would say "unknown anchor").
        assert_eq!(
            check("title: ok\nb: *x\n"),
            Some(Refusal::Alias { line: 2, column: 4 })
        );
        // `&amp Co` is an anchor named `amp`: the title would silently be "Co".
        assert_eq!(
            check("title: &amp Co\n"),
            Some(Refusal::Anchor { line: 1, column: 8 })
        );
        assert!(matches!(
            check("m: &m {a: 1}\n"),
            Some(Refusal::Anchor { .. })
        ));
        assert!(matches!(check("s: &s [1]\n"), Some(Refusal::Anchor { .. })));
    }

    #[test]
    fn nesting_is_counted_as_libyaml_reads_it() {
        let deep = |open: &str| format!("a: {}1\n", open.repeat(MAX_DEPTH));
        // The top-level map is one level: 63 more fit, 64 do not.
        assert_eq!(check(&format!("a: {}1\n", "[".repeat(MAX_DEPTH - 1))), None);
        assert_eq!(
            check(&deep("[")),
            Some(Refusal::TooDeep {
                line: 1,
                column: 4 + MAX_DEPTH - 1
            })
        );
        // Comments and quotes inside plain text fooled the bracket count this replaces.
        for open in ["[a#b, ", "[don't, ", "{k: ", "[\"]\", "] {
            assert!(
                matches!(check(&deep(open)), Some(Refusal::TooDeep { .. })),
                "{open}"
            );
        }
        // Block nesting counts too.
        let mut block = String::new();
        for level in 0..=MAX_DEPTH {
            block.push_str(&" ".repeat(level));
            block.push_str("k:\n");
        }
        assert!(matches!(check(&block), Some(Refusal::TooDeep { .. })));
    }

    #[test]
    fn syntax_errors_are_left_to_serde_yaml() {
        assert_eq!(check("title: \"open\n"), None);
        assert_eq!(check("a: [1, 2\n"), None);
    }

    #[test]
    fn absurd_nesting_is_refused_in_linear_time() {
        // 50,000 brackets took libyaml 5 s; the check stops at the 64th. (Generous bound: this
        // is a guard against the quadratic case, not a benchmark.)
        for open in ["[", "{a: ", "[a#b, ", "[don't, "] {
            let yaml = format!("a: {}\n", open.repeat(200_000));
            let started = Instant::now();
            assert!(matches!(check(&yaml), Some(Refusal::TooDeep { .. })));
            assert!(started.elapsed().as_secs() < 5, "{open}");
        }
    }
}
