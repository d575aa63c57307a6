//! The one place that decides who sees what.
//!
//! Every output (pages, feeds, data, exports) asks [`Audience::sees`] about events and
//! [`Audience::sees_internal_notes`] about `::: internal` blocks. There is no second path: if a
//! draft or an internal note reaches a public page, the bug is here. Internal output also never
//! names the public site's address (see [`Audience::restrict`]).

use crate::model::{Event, Timeline};

/// Why `kroniek build` and `kroniek export` refuse `--base-url` for internal readers (see
/// [`Audience::restrict`]).
pub const NO_BASE_URL_FOR_INTERNAL: &str = "--base-url cannot be used with --audience internal: \
internal output names no address of its own (no canonical links, no sitemap, feed ids \
`urn:kroniek:…`), so that it is never taken for the published site";

/// Who the output is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reader {
    /// The public: no internal events, no internal notes.
    #[default]
    Public,
    /// The organisation itself: internal events and notes, marked as internal.
    Internal,
}

/// A reader plus whether drafts are shown (in `serve`, or with `--drafts`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Audience {
    pub reader: Reader,
    pub drafts: bool,
}

impl Audience {
    pub const PUBLIC: Audience = Audience {
        reader: Reader::Public,
        drafts: false,
    };

    /// Whether this audience may see the event at all.
    pub fn sees(&self, event: &Event) -> bool {
        (self.drafts || !event.draft) && (self.reader == Reader::Internal || !event.internal)
    }

    /// Whether `::: internal` blocks are kept (and marked) rather than removed.
    pub fn sees_internal_notes(&self) -> bool {
        self.reader == Reader::Internal
    }

    /// The timeline as this audience sees it: only the events it [`sees`](Self::sees), and
    /// only the organisations that have one of them. An organisation named by internal or
    /// draft events alone would otherwise give itself away in public output: a filter button,
    /// a page, a chart lane, a CSS class, an entry in `timeline.json`.
    ///
    /// For internal readers also without the site's `base_url`: that is the public site's
    /// address, and internal output must not present its pages as living there (canonical
    /// links, `og:url`, `sitemap.xml`, the feed's ids and links, absolute links in exports).
    pub fn restrict(&self, mut timeline: Timeline) -> Timeline {
        if self.reader == Reader::Internal {
            timeline.site.base_url = None;
        }
        timeline.events.retain(|e| self.sees(e));
        let events = &timeline.events;
        timeline
            .site
            .organisations
            .retain(|o| events.iter().any(|e| e.orgs.contains(&o.key)));
        timeline
    }
}
