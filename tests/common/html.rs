//! Reading built HTML in tests: selectors and an element's text as a reader sees it.

use scraper::{ElementRef, Selector};

/// The selector `css`; a typo in a test's selector fails with the selector named.
pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"))
}

/// All text of an element with runs of white space made one space, trimmed.
pub fn squashed(element: ElementRef) -> String {
    let text: String = element.text().collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
