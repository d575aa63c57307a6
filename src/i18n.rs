//! The words of the user interface, in the languages a site can choose, and the marks that
//! say who a piece of output is for ("INTERN: ", the banner of an internal build).
//!
//! It must never decide who sees what: that is `audience`; this only words what was decided.

use crate::model::Language;
use serde::Serialize;

/// Every UI string the default theme uses. Templates read them as `t.<name>`.
#[derive(Debug, Serialize)]
pub struct Strings {
    /// The public record (`changes/index.html`, `kroniek release`): the page's title, the link
    /// to it on the timeline ("{n}" and "{date}" of the latest release), its parts.
    pub changes: &'static str,
    pub changes_intro: &'static str,
    pub published_as: &'static str,
    pub release_n: &'static str,
    pub unreleased: &'static str,
    pub unreleased_intro: &'static str,
    pub changes_added: &'static str,
    pub changes_changed: &'static str,
    pub changes_withdrawn: &'static str,
    pub changes_renamed: &'static str,
    pub changes_removed: &'static str,
    pub changes_none: &'static str,
    pub changes_too_many: &'static str,
    pub skip_to_content: &'static str,
    pub timeline: &'static str,
    pub sources: &'static str,
    pub all_sources: &'static str,
    pub organisations: &'static str,
    pub filter_label: &'static str,
    pub all: &'static str,
    pub event: &'static str,
    pub events: &'static str,
    pub permalink: &'static str,
    pub permalink_to: &'static str,
    pub key_moment: &'static str,
    pub corrected_on: &'static str,
    pub updated_on: &'static str,
    pub recent_corrections: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub back_to_timeline: &'static str,
    pub back_to_text: &'static str,
    pub cited_by: &'static str,
    pub archived: &'static str,
    /// Before the date a source was read online: "accessed 4 June 2024".
    pub accessed: &'static str,
    /// Before the end of a period shown under its first day: "until Friday 14 June 2024".
    pub until: &'static str,
    pub website: &'static str,
    pub events_of: &'static str,
    pub no_events: &'static str,
    pub tags: &'static str,
    pub draft: &'static str,
    pub internal: &'static str,
    /// After [`internal`](Self::internal) in the banner on every page of an internal build
    /// ("INTERN — niet openbaar"), so that a copy put online by mistake says what it is.
    pub not_for_publication: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub made_with: &'static str,
    pub note: &'static str,
    pub notes: &'static str,
    /// The overview chart's name ("Overzicht: 14 gebeurtenissen, …").
    pub overview: &'static str,
    /// The link that jumps past the overview chart's many links, to the filters.
    pub skip_chart: &'static str,
    /// Legend of the chart's marks.
    pub legend_event: &'static str,
    pub legend_period: &'static str,
    pub legend_coarse: &'static str,
    /// A key moment drawn as a bar (a period, a date without a time) is outlined.
    pub legend_outlined: &'static str,
    /// The chart's edges, where it gathers the events before and after the range it shows.
    pub chart_earlier: &'static str,
    pub chart_later: &'static str,
    /// The name of a mark that stands for several events folded together: "+5: 5 events,
    /// 29 August 2011 – 30 August 2011"; `{count}` is a number. Legend: "+n: events together".
    pub cluster_of: &'static str,
    pub legend_cluster: &'static str,
    /// Legend of the chart of a split timeline, whose bars count events per period.
    pub legend_bins: &'static str,
    /// In that chart, the name of a bar of events without an organisation ("juni 2024: 3
    /// gebeurtenissen zonder organisatie").
    pub without_organisation: &'static str,
    /// The toggle that shows only `major` events.
    pub key_moments_only: &'static str,
    /// What the filter's live region says; `{shown}` and `{total}` are numbers, `{events}` the
    /// plural noun.
    pub shown_of: &'static str,
    pub shown_all: &'static str,
    /// Heading of the list of pages a long timeline is split into ("Per periode").
    pub periods: &'static str,
    /// Under it: "{total} gebeurtenissen, verdeeld over pagina's per jaar of maand."
    pub periods_intro: &'static str,
    /// The search box's label, and what its live region says: `{n}` is a number.
    pub search: &'static str,
    pub search_one: &'static str,
    pub search_many: &'static str,
    pub search_none: &'static str,
    /// The button under the first results: "{n} more".
    pub search_more: &'static str,
    /// When a file of the index could not be loaded.
    pub search_failed: &'static str,
    /// Before the date of the latest event or correction, on the timeline.
    pub last_updated: &'static str,
}

pub const NL: Strings = Strings {
    changes: "Wijzigingen",
    changes_intro: "Elke versie van deze tijdlijn zoals die is gepubliceerd, met wat er sinds de vorige versie is toegevoegd, gewijzigd, ingetrokken of verplaatst.",
    published_as: "Gepubliceerd als versie {n} van {date}",
    release_n: "Versie {n}",
    unreleased: "Nog niet in een versie",
    unreleased_intro: "Wijzigingen sinds de laatste versie, die nog niet als versie zijn vastgelegd.",
    changes_added: "Toegevoegd",
    changes_changed: "Gewijzigd",
    changes_withdrawn: "Ingetrokken",
    changes_renamed: "Nieuw adres",
    changes_removed: "Verdwenen zonder intrekking",
    changes_none: "Geen wijzigingen in gebeurtenissen.",
    changes_too_many: "{n} gebeurtenissen: te veel om hier op te sommen; timeline.json noemt ze allemaal.",
    periods: "Per periode",
    periods_intro: "{total} gebeurtenissen, per jaar of maand op een eigen pagina.",
    skip_to_content: "Naar de inhoud",
    timeline: "Tijdlijn",
    sources: "Bronnen",
    all_sources: "Alle bronnen",
    organisations: "Organisaties",
    filter_label: "Toon gebeurtenissen van",
    all: "Alle",
    event: "gebeurtenis",
    events: "gebeurtenissen",
    permalink: "Permalink",
    permalink_to: "Permalink naar",
    key_moment: "Kernmoment",
    corrected_on: "Gecorrigeerd op",
    updated_on: "Bijgewerkt op",
    recent_corrections: "Correcties",
    previous: "Vorige gebeurtenis",
    next: "Volgende gebeurtenis",
    back_to_timeline: "Terug naar de tijdlijn",
    back_to_text: "Terug naar de tekst",
    cited_by: "Aangehaald bij",
    archived: "gearchiveerde versie",
    accessed: "geraadpleegd op",
    until: "tot en met",
    website: "Website",
    events_of: "Gebeurtenissen van",
    no_events: "Geen gebeurtenissen.",
    tags: "Labels",
    draft: "CONCEPT",
    internal: "INTERN",
    not_for_publication: "niet openbaar",
    not_found_title: "Pagina niet gevonden",
    not_found_text: "Deze pagina bestaat niet (meer).",
    made_with: "Gemaakt met kroniek",
    note: "noot",
    notes: "Noten",
    overview: "Overzicht",
    skip_chart: "Sla het overzicht over",
    legend_event: "gebeurtenis",
    legend_period: "periode",
    legend_coarse: "dag, maand of jaar zonder tijdstip",
    legend_outlined: "omlijnd: kernmoment",
    chart_earlier: "eerder",
    chart_later: "later",
    cluster_of: "{count} gebeurtenissen samen",
    legend_cluster: "gebeurtenissen samen",
    legend_bins: "gebeurtenissen per organisatie en periode: hoe hoger, hoe meer",
    without_organisation: "zonder organisatie",
    key_moments_only: "Alleen kernmomenten",
    shown_of: "{shown} van {total} {events}",
    shown_all: "Alle {total} {events}",
    search: "Zoeken",
    search_one: "1 resultaat",
    search_many: "{n} resultaten",
    search_none: "Geen resultaten",
    search_more: "Nog {n} tonen",
    search_failed: "Zoeken lukt nu niet: de zoekindex kon niet worden geladen.",
    last_updated: "Laatst bijgewerkt",
};

pub const EN: Strings = Strings {
    changes: "Changes",
    changes_intro: "Every release of this timeline as it was published, with what was added, changed, withdrawn or moved since the release before.",
    published_as: "Published as release {n} of {date}",
    release_n: "Release {n}",
    unreleased: "Not yet in a release",
    unreleased_intro: "Changes since the latest release that have not been recorded as a release yet.",
    changes_added: "Added",
    changes_changed: "Changed",
    changes_withdrawn: "Withdrawn",
    changes_renamed: "New address",
    changes_removed: "Gone without a withdrawal",
    changes_none: "No changes to events.",
    changes_too_many: "{n} events: too many to list here; timeline.json lists them all.",
    periods: "By period",
    periods_intro: "{total} events, on a page per year or month.",
    skip_to_content: "Skip to content",
    timeline: "Timeline",
    sources: "Sources",
    all_sources: "All sources",
    organisations: "Organisations",
    filter_label: "Show events of",
    all: "All",
    event: "event",
    events: "events",
    permalink: "Permalink",
    permalink_to: "Permalink to",
    key_moment: "Key moment",
    corrected_on: "Corrected on",
    updated_on: "Updated on",
    recent_corrections: "Corrections",
    previous: "Previous event",
    next: "Next event",
    back_to_timeline: "Back to the timeline",
    back_to_text: "Back to the text",
    cited_by: "Cited by",
    archived: "archived copy",
    accessed: "accessed",
    until: "until",
    website: "Website",
    events_of: "Events of",
    no_events: "No events.",
    tags: "Tags",
    draft: "DRAFT",
    internal: "INTERNAL",
    not_for_publication: "not for publication",
    not_found_title: "Page not found",
    not_found_text: "This page does not exist.",
    made_with: "Made with kroniek",
    note: "note",
    notes: "Notes",
    overview: "Overview",
    skip_chart: "Skip the overview",
    legend_event: "event",
    legend_period: "period",
    legend_coarse: "day, month or year without a time",
    legend_outlined: "outlined: key moment",
    chart_earlier: "earlier",
    chart_later: "later",
    cluster_of: "{count} events together",
    legend_cluster: "events together",
    legend_bins: "events per organisation and period: the taller, the more",
    without_organisation: "without an organisation",
    key_moments_only: "Key moments only",
    shown_of: "{shown} of {total} {events}",
    shown_all: "All {total} {events}",
    search: "Search",
    search_one: "1 result",
    search_many: "{n} results",
    search_none: "No results",
    search_more: "Show {n} more",
    search_failed: "Search is not available: its index could not be loaded.",
    last_updated: "Last updated",
};

pub fn strings(language: Language) -> &'static Strings {
    match language {
        Language::Nl => &NL,
        Language::En => &EN,
    }
}

/// The marks of an event that not every reader may see, as a prefix for its name where it
/// appears without the page's badges (feed entries, chart marks): "DRAFT, INTERNAL: ", or
/// `""` for a published public event.
pub fn audience_marks(draft: bool, internal: bool, language: Language) -> String {
    let t = strings(language);
    let marks: Vec<&str> = [(draft, t.draft), (internal, t.internal)]
        .into_iter()
        .filter_map(|(on, mark)| on.then_some(mark))
        .collect();
    if marks.is_empty() {
        String::new()
    } else {
        format!("{}: ", marks.join(", "))
    }
}

/// The title of a whole output (an export's title line, the `title` of `timeline.json`, the
/// feed's title) for readers of internal output: "INTERN: Kwetsbaarheden in Cisco Webex". A
/// file passed on without its context still says that it is not for publication. Public
/// output keeps the title as it is.
pub fn output_title(title: &str, internal: bool, language: Language) -> String {
    format!("{}{title}", audience_marks(false, internal, language))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_output_titles_say_so_in_the_site_language() {
        assert_eq!(output_title("Webex", false, Language::Nl), "Webex");
        assert_eq!(output_title("Webex", true, Language::Nl), "INTERN: Webex");
        assert_eq!(output_title("Webex", true, Language::En), "INTERNAL: Webex");
    }
}
