//! The one place that decides who sees what.
//!
//! Every output (pages, feeds, data, exports) asks [`Audience::sees`] about events and
//! [`Audience::sees_internal_notes`] about `::: internal` blocks. There is no second path: if a
//! draft or an internal note reaches a public page, the bug is here.

use crate::model::{Event, Timeline};

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
    pub fn restrict(&self, mut timeline: Timeline) -> Timeline {
        timeline.events.retain(|e| self.sees(e));
        let events = &timeline.events;
        timeline
            .site
            .organisations
            .retain(|o| events.iter().any(|e| e.orgs.contains(&o.key)));
        timeline
    }
}
