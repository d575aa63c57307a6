//! A limit on how deeply a body may nest (quotes in quotes, lists in lists, emphasis in
//! emphasis), the same for the site, `check` and every export.
//!
//! comrak parses and prints any depth without recursion, but our own writers (the MediaWiki
//! export) walk the tree recursively: 17,500 nested `>` overflowed the stack and aborted the
//! export of a site that built. Nesting deeper than [`MAX_NESTING`] is an error at the line and
//! column where it goes too deep, and the tree is cut there, so that no later step ever sees a
//! deeper tree. This module must never recurse itself, nor leave a tree deeper than the limit.

use super::parse::position_in_file;
use super::Input;
use crate::diagnostics::Problem;
use comrak::nodes::AstNode;

/// The deepest a node may sit below the document, text included: the text of a paragraph in
/// 98 nested quotes is at 100 (quote 1 to 98, the paragraph at 99).
/// No real chronology comes near it; a recursive writer at this depth uses a few hundred kB of
/// stack at most.
pub const MAX_NESTING: usize = 100;

/// Reports the first node deeper than [`MAX_NESTING`] (when `report`) and removes every such
/// node from the tree. Returns whether anything was removed.
pub(super) fn limit_nesting<'a>(
    root: &'a AstNode<'a>,
    input: &Input,
    added: usize,
    report: bool,
    problems: &mut Vec<Problem>,
) -> bool {
    // An explicit stack of (node, depth): the walk itself must not recurse.
    let mut stack = vec![(root, 0usize)];
    let mut too_deep = Vec::new();
    while let Some((node, depth)) = stack.pop() {
        for child in node.children() {
            if depth + 1 > MAX_NESTING {
                too_deep.push(child);
            } else {
                stack.push((child, depth + 1));
            }
        }
    }
    let Some(first) = too_deep
        .iter()
        .min_by_key(|n| {
            let start = n.data().sourcepos.start;
            (start.line, start.column)
        })
        .copied()
    else {
        return false;
    };
    if report {
        let lines: Vec<&str> = input.doc.body_text().split('\n').collect();
        let (line, column) = position_in_file(input, &lines, added, first.data().sourcepos.start);
        problems.push(
            input
                .doc
                .error(
                    (line, column, 1),
                    "too-deep",
                    format!("Markdown nested more than {MAX_NESTING} levels deep"),
                )
                .with_label("nested too deeply from here")
                .with_hint("nest quotes, lists and emphasis less deeply"),
        );
    }
    for node in too_deep {
        node.detach();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::super::test_support::run;
    use super::MAX_NESTING;

    #[test]
    fn nesting_deeper_than_the_limit_is_an_error_where_it_goes_too_deep() {
        let (body, problems) = run(
            &format!("Intro.\n\n{}deep\n", "> ".repeat(17_500)),
            &[],
            false,
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        let p = &problems[0];
        assert_eq!(
            (p.code, p.line, p.column, p.message.as_str()),
            // The 101st `>`.
            (
                "too-deep",
                6,
                2 * MAX_NESTING + 1,
                "Markdown nested more than 100 levels deep"
            )
        );
        assert!(body.html.matches("<blockquote>").count() <= MAX_NESTING);
    }

    #[test]
    fn nesting_up_to_the_limit_is_fine() {
        let (body, problems) = run(
            &format!("{}deep\n", "> ".repeat(MAX_NESTING - 2)),
            &[],
            false,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert!(body.html.contains("deep"));
    }
}
