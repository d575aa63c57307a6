//! The pages of the site, each from its template.
//!
//! Every event is rendered once as a "card" (the `card.html` template) for each depth of page it
//! appears on; the timeline and organisation pages put those cards together instead of
//! rendering each event again. When the caller remembers them (the preview), cards, event pages and
//! feed entries are also kept between runs, keyed by a hash of everything they are made from.

use super::periods::{self, Budget, Period, PeriodView};
use super::view::{value, DateView, FilterBar, OrgView, PageMeta};
use super::{changes, chart, data, days, feed, sources, Body, FragmentMemo, Rendered};
use crate::audience::Audience;
use crate::diagnostics::Problem;
use crate::i18n;
use crate::markdown;
use crate::model::{Event, Language, Precision, Timeline};
use crate::output::{OutputFile, Sink};
use crate::theme::Theme;
use crate::urls::Page;
use minijinja::{context, Environment, Value};
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::Hasher;
use std::path::PathBuf;

/// Everything the page functions share.
pub struct Pages<'a> {
    pub timeline: &'a Timeline,
    /// The events this audience sees, in timeline order; the other slices run in parallel.
    pub events: &'a [&'a Event],
    pub views: &'a [Value],
    /// Hash of each event's view: what its card and page are made from.
    pub view_hashes: &'a [u64],
    pub bodies: &'a [Rendered],
    /// The intro (the body of `_index.md`), for `timeline.json`.
    pub intro: &'a Body,
    /// What each release changed, oldest first (see `record::history`): the changes page and
    /// `timeline.json`. Empty when nothing was released.
    pub history: &'a [crate::record::Changes],
    pub env: &'a Environment<'static>,
    pub base_url: Option<&'a str>,
    /// Who the pages are for: an internal build writes `robots.txt` and no sitemap.
    pub audience: Audience,
    pub theme: &'a Theme,
    pub memo: Memo<'a>,
    /// Where each page goes as soon as it is made.
    pub sink: &'a Sink<'a>,
}

/// Rendered fragments kept between runs, when the caller remembers them (the preview).
pub struct Memo<'a> {
    pub fragments: FragmentMemo<'a>,
    /// Hash of what every fragment depends on besides its own data: theme files, site
    /// settings, UI words, asset names.
    pub salt: u64,
}

impl Memo<'_> {
    fn render(
        &self,
        parts: &[u64],
        render: impl FnOnce() -> Result<String, Problem>,
    ) -> Result<String, Problem> {
        if !self.fragments.remembers() {
            return render();
        }
        let key = hash_parts(self.salt, parts);
        self.fragments.get_or_make(key, Box::new(render))
    }
}

/// One 64-bit hash of several.
pub fn hash_parts(salt: u64, parts: &[u64]) -> u64 {
    let mut hasher = fnv::FnvHasher::default();
    hasher.write_u64(salt);
    for part in parts {
        hasher.write_u64(*part);
    }
    hasher.finish()
}

/// How many feed entries or data lines are made at a time: enough to keep both cores busy, few
/// enough that a register of 100,000 events is never held whole.
const CHUNK: usize = 512;

/// Distinguishes fragments of different kinds with the same inputs.
const CARD: u64 = 1;
const NESTED_CARD: u64 = 2;
const EVENT_PAGE: u64 = 3;
const FEED_ENTRY: u64 = 4;
const DATA_EVENT: u64 = 5;
const WHOLE_PAGE: u64 = 6;

impl Pages<'_> {
    fn language(&self) -> Language {
        self.timeline.site.language
    }

    /// Every generated file: pages, feed, data, sitemap (or, internal, `robots.txt`), each
    /// handed to the sink when done.
    ///
    /// In three rounds, so that what each round needs in memory is dropped before the next:
    /// the timeline (with its cards) beside the event pages; the pages two folders deep
    /// (organisations, the timeline's periods) with their cards; then the whole-site files.
    pub fn all(&self) -> Result<(), Vec<Problem>> {
        let everyone: Vec<usize> = (0..self.events.len()).collect();
        let mut problems = Problems::default();

        // The cards of the lists two folders deep come first: their sizes decide how the lists
        // are split, which every page's links depend on.
        let started = std::time::Instant::now();
        let cards = self.cards("../../", NESTED_CARD);
        let weights = Weights::of(self.events, cards.as_deref().unwrap_or_default());
        let budget = |weights| Budget {
            page_size: self.timeline.site.page_size,
            bytes: periods::PAGE_BYTES,
            weights,
        };
        let periods = periods::split_within(self.events, &everyone, &budget(&weights.timeline));
        let lists = self.org_lists(&everyone, &budget(&weights.list));
        crate::timing::timing("render: cards and splits", started);

        let started = std::time::Instant::now();
        problems.extend(self.timeline_and_events(periods.as_deref()));
        crate::timing::timing("render: timeline and event pages", started);

        let started = std::time::Instant::now();
        match cards {
            Ok(cards) => problems.extend(self.lists(&lists, periods.as_deref(), &cards)),
            Err(problem) => problems.add(Err(problem)),
        }
        crate::timing::timing("render: organisation and period pages", started);

        let started = std::time::Instant::now();
        problems.extend(self.whole_site(periods.as_deref(), &lists));
        crate::timing::timing("render: feed, data and the rest", started);
        problems.into_result()
    }

    /// Round one: the timeline page, and beside it every event's page.
    fn timeline_and_events(&self, periods: Option<&[Period]>) -> Vec<Result<(), Problem>> {
        let places = self.places(periods);
        let (index, mut results) = rayon::join(
            || match periods {
                None => self
                    .cards("", CARD)
                    .and_then(|cards| self.index(Some(&cards), None, &places)),
                Some(periods) => self.index(None, Some(periods), &places),
            },
            || {
                (0..self.events.len())
                    .into_par_iter()
                    .map(|i| self.event(i, &places[i]))
                    .collect::<Vec<_>>()
            },
        );
        results.push(index);
        results
    }

    /// Each organisation's events, and its periods when they do not fit on one page.
    fn org_lists<'s>(&'s self, everyone: &[usize], budget: &Budget) -> Vec<OrgList<'s>> {
        self.timeline
            .site
            .organisations
            .iter()
            .map(|org| {
                let mine: Vec<usize> = everyone
                    .iter()
                    .copied()
                    .filter(|&i| self.events[i].orgs.contains(&org.key))
                    .collect();
                let periods = periods::split_within(self.events, &mine, budget);
                OrgList {
                    key: &org.key,
                    mine,
                    periods,
                }
            })
            .collect()
    }

    /// Round two: the lists two folders deep, from the same `cards`: every organisation's
    /// page (and its periods), and the timeline's periods.
    fn lists(
        &self,
        lists: &[OrgList],
        periods: Option<&[Period]>,
        cards: &[Value],
    ) -> Vec<Result<(), Problem>> {
        type Job<'j> = Box<dyn Fn() -> Result<(), Problem> + Sync + 'j>;
        // The timeline's filters, which every period's filter bar offers.
        let site_bar = FilterBar::of(&self.timeline.site.organisations, self.events);
        let site_bar = &site_bar;
        let mut jobs: Vec<Job> = Vec::new();
        for list in lists {
            jobs.push(Box::new(move || self.organisation(list, None, cards)));
            for i in 0..list.periods.as_ref().map_or(0, Vec::len) {
                jobs.push(Box::new(move || self.organisation(list, Some(i), cards)));
            }
        }
        let periods = periods.unwrap_or_default();
        for i in 0..periods.len() {
            jobs.push(Box::new(move || self.period(periods, i, site_bar, cards)));
        }
        jobs.par_iter().map(|job| job()).collect()
    }

    /// Round three: the feed and the data (each written chunk by chunk, each chunk in
    /// parallel), beside them the sources, the sitemap and the 404 page.
    fn whole_site(
        &self,
        periods: Option<&[Period]>,
        lists: &[OrgList],
    ) -> Vec<Result<(), Problem>> {
        let (mut big, small) = rayon::join(
            || vec![self.feeds(lists), self.data()],
            || {
                let sources = self.sources(periods);
                let pages = sources.as_ref().map_or(&[][..], Vec::as_slice);
                if self.audience.sees_internal_notes() {
                    self.robots();
                } else {
                    self.sitemap(periods, lists, pages);
                }
                vec![sources.map(|_| ()), self.not_found(), self.changes()]
            },
        );
        big.extend(small);
        big
    }

    /// For each event, the page of the timeline that shows it: `index.html`, or the page of its
    /// period when the timeline is split.
    fn places(&self, periods: Option<&[Period]>) -> Vec<String> {
        let periods = periods.unwrap_or_default();
        periods::index_by_event(periods, self.events.len())
            .into_iter()
            .map(|p| match p {
                Some(p) => Page::Period(periods[p].key.clone()).path(),
                None => Page::Timeline.path(),
            })
            .collect()
    }

    /// Each event as it appears in lists, for pages `root` below the site root.
    fn cards(&self, root: &str, kind: u64) -> Result<Vec<Value>, Problem> {
        let template = self
            .env
            .get_template("card.html")
            .map_err(|e| self.theme.problem(&e))?;
        self.views
            .par_iter()
            .zip(self.view_hashes.par_iter())
            .map(|(view, hash)| {
                self.memo
                    .render(&[kind, *hash], || {
                        template
                            .render(context! { event => view, root })
                            .map_err(|e| self.theme.problem(&e))
                    })
                    .map(Value::from)
            })
            .collect()
    }

    /// Renders `template` to the file of `page`, straight into the sink.
    fn page(&self, template: &str, page: &Page, meta: PageMeta, ctx: Value) -> Result<(), Problem> {
        let template = self
            .env
            .get_template(template)
            .map_err(|e| self.theme.problem(&e))?;
        self.sink.put_with(&page.path(), |out| {
            template
                .render_captured_to(context! { page => value(&meta), ..ctx }, out)
                .map(|_| ())
                .map_err(|e| self.theme.problem(&e))
        })
    }

    /// Renders `template` to a string, for pages that are kept between runs.
    fn render(&self, template: &str, meta: PageMeta, ctx: Value) -> Result<String, Problem> {
        self.env
            .get_template(template)
            .and_then(|t| t.render(context! { page => value(&meta), ..ctx }))
            .map_err(|e| self.theme.problem(&e))
    }

    /// Hands a finished file to the sink.
    fn put(&self, page: &Page, bytes: Vec<u8>) {
        self.sink.put(OutputFile::Made {
            path: PathBuf::from(page.path()),
            bytes,
        });
    }

    fn meta(
        &self,
        page: &Page,
        title: String,
        description: Option<String>,
        kind: &'static str,
    ) -> PageMeta {
        PageMeta {
            root: page.root(),
            canonical: self.base_url.map(|base| format!("{base}{}", page.pretty())),
            title,
            description,
            kind,
        }
    }

    /// The timeline: every event under its day, or, when split, the list of its periods.
    fn index(
        &self,
        cards: Option<&[Value]>,
        periods: Option<&[Period]>,
        places: &[String],
    ) -> Result<(), Problem> {
        let site = &self.timeline.site;
        let meta = self.meta(
            &Page::Timeline,
            site.title.clone(),
            site.description.clone(),
            "website",
        );
        let all: Vec<usize> = (0..self.events.len()).collect();
        // Where each event is shown: on this page, or on the page of its period.
        let page_of: HashMap<&str, &str> = self
            .events
            .iter()
            .zip(places)
            .filter(|(_, place)| *place != "index.html")
            .map(|(e, place)| (e.slug.as_str(), place.as_str()))
            .collect();
        let href = |e: &Event| {
            let page = page_of.get(e.slug.as_str()).copied().unwrap_or("");
            format!("{page}#{}", e.slug)
        };
        let corrections = days::recent_corrections(self.events, self.language(), &|e| href(e));
        let days = cards.map(|cards| days::group(self.events, cards, &all, self.language()));
        // Marks link to the events' places, so the chart is a map of the timeline. Split, it
        // has a bar per organisation and period instead, linking to the period's page filtered
        // to the organisation (timeline.js reads `?org=`): a mark per event would make
        // index.html as big as the pages the split avoids.
        let started = std::time::Instant::now();
        let (chart, legend) = match periods {
            None => {
                let chart = chart::overview(self.timeline, self.events, &|e: &Event| href(e));
                (chart.svg, Some(chart.legend))
            }
            Some(periods) => {
                let link = |org: Option<&str>, period: &Period| match org {
                    Some(org) => format!("{}?org={org}", Page::Period(period.key.clone()).path()),
                    None => Page::Period(period.key.clone()).path(),
                };
                // A bar per organisation and month (or year), not per part of a month.
                let groups = periods::groups(periods);
                let svg = chart::overview_by_period(self.timeline, self.events, &groups, &link);
                (svg, None)
            }
        };
        crate::timing::timing("render: chart", started);
        let periods = periods.map(|periods| {
            periods::nav(periods, None, self.language(), |key| {
                Page::Period(key.to_string()).path()
            })
        });
        self.page(
            "index.html",
            &Page::Timeline,
            meta,
            context! {
                days => value(days),
                periods => value(periods),
                corrections => value(corrections),
                chart => Value::from_safe_string(chart),
                legend => value(legend),
                last_updated => value(last_updated(self.events).map(|d| DateView::of(d, self.language()))),
                latest_release => value(changes::latest(self.timeline)),
            },
        )
    }

    /// One period of a split timeline: `timeline/<key>/index.html`, two folders deep like the
    /// organisation pages, so that both use the same cards.
    /// `site_bar` has the timeline's filters, which every period's bar offers.
    fn period(
        &self,
        periods: &[Period],
        i: usize,
        site_bar: &FilterBar,
        cards: &[Value],
    ) -> Result<(), Problem> {
        let period = &periods[i];
        let page = Page::Period(period.key.clone());
        let label = period.label(self.language());
        let meta = self.meta(&page, label.clone(), None, "website");
        let href = |key: &str| format!("../{key}/index.html");
        let list = periods::nav(periods, Some(i), self.language(), href);
        let pager = periods::pager(periods, i, self.language(), href);
        let mine: Vec<&Event> = period.members.iter().map(|&j| self.events[j]).collect();
        // Every organisation and tag of the timeline, counted on this page: a filter carried from
        // the page before is known here too.
        let bar = site_bar.within(&self.timeline.site.organisations, &mine);
        let days = days::group(self.events, cards, &period.members, self.language());
        // The period's own events, each mark linking to its card on this page: at most
        // `page_size` of them, unless a month is bigger (it is never split).
        let chart = chart::overview(self.timeline, &mine, &|e: &Event| format!("#{}", e.slug));
        self.page(
            "period.html",
            &page,
            meta,
            context! {
                period => value(PeriodPage { key: &period.key, label }),
                periods => value(list),
                pager => value(pager),
                bar => value(bar),
                days => value(days),
                chart => Value::from_safe_string(chart.svg),
                legend => value(chart.legend),
            },
        )
    }

    /// An event's own page; `place` is the timeline page that shows it, for the link back.
    fn event(&self, i: usize, place: &str) -> Result<(), Problem> {
        let event = self.events[i];
        let page = Page::Event(event.slug.clone());
        let previous = i.checked_sub(1);
        let next = (i + 1 < self.events.len()).then_some(i + 1);
        let hash_of = |j: Option<usize>| j.map_or(0, |j| self.view_hashes[j]);
        let html = self.memo.render(
            &[
                EVENT_PAGE,
                self.view_hashes[i],
                hash_of(previous),
                hash_of(next),
                crate::front_matter::hash_text(place),
            ],
            || {
                let description = summary(&self.bodies[i].list.html, 200);
                let meta = self.meta(&page, event.title.clone(), description, "article");
                let previous = previous.map(|p| &self.views[p]);
                let next = next.map(|n| &self.views[n]);
                self.render(
                    "event.html",
                    meta,
                    context! { event => &self.views[i], previous, next, on_timeline => place },
                )
            },
        )?;
        self.put(&page, html.into_bytes());
        Ok(())
    }

    /// An organisation's page (`orgs/<key>/index.html`) or, when its list is split, the page of
    /// one of its periods (`orgs/<key>/<period>.html`).
    fn organisation(
        &self,
        list: &OrgList,
        period: Option<usize>,
        cards: &[Value],
    ) -> Result<(), Problem> {
        let org = self
            .timeline
            .organisation(list.key)
            .expect("organisation from the site's own list");
        let shown = period.and_then(|i| Some(&list.periods.as_ref()?[i]));
        let page = match shown {
            Some(p) => Page::OrganisationPeriod(org.key.clone(), p.key.clone()),
            None => Page::Organisation(org.key.clone()),
        };
        let label = shown.map(|p| p.label(self.language()));
        let title = match &label {
            Some(label) => format!("{}: {label}", org.name),
            None => org.name.clone(),
        };
        let meta = self.meta(&page, title, None, "website");
        let href = |key: &str| format!("{key}.html");
        let (periods, pager) = match (&list.periods, period) {
            (Some(periods), Some(i)) => (
                Some(periods::nav(periods, Some(i), self.language(), href)),
                Some(periods::pager(periods, i, self.language(), href)),
            ),
            (Some(periods), None) => (
                Some(periods::nav(periods, None, self.language(), href)),
                None,
            ),
            (None, _) => (None, None),
        };
        let members = match (shown, &list.periods) {
            (Some(p), _) => Some(&p.members),
            (None, None) => Some(&list.mine),
            (None, Some(_)) => None,
        };
        let days = members.map(|m| days::group(self.events, cards, m, self.language()));
        self.page(
            "org.html",
            &page,
            meta,
            context! {
                org => value(OrgView::of(org, list.mine.len())),
                period => value(shown.zip(label).map(|(p, label)| PeriodPage { key: &p.key, label })),
                periods => value(periods),
                pager => value(pager),
                days => value(days),
            },
        )
    }

    /// The sources page; when the timeline is split, one page per period (`sources/<key>.html`,
    /// the sources its events cite first) and `sources/index.html` lists them.
    /// Returns the keys of the period pages, for the sitemap.
    fn sources(&self, periods: Option<&[Period]>) -> Result<Vec<String>, Problem> {
        let list = sources::distinct(self.events, self.bodies, self.language());
        let Some(periods) = periods else {
            self.sources_page(&Page::Sources, None, &[], 1, list)?;
            return Ok(Vec::new());
        };
        let groups = sources::by_period(list, periods, self.events.len());
        let nav: Vec<PeriodView> = groups
            .iter()
            .map(|g| PeriodView {
                key: g.period.key.clone(),
                label: g.period.label(self.language()),
                count: g.entries.len(),
                href: format!("{}.html", g.period.key),
                current: false,
            })
            .collect();
        self.sources_page(&Page::Sources, None, &nav, 1, Vec::new())?;
        for group in groups {
            let key = &group.period.key;
            let nav: Vec<PeriodView> = nav
                .iter()
                .map(|p| PeriodView {
                    current: &p.key == key,
                    ..p.clone()
                })
                .collect();
            let page = Page::Source(key.clone());
            self.sources_page(&page, Some(group.period), &nav, group.start, group.entries)?;
        }
        Ok(nav.into_iter().map(|p| p.key).collect())
    }

    /// One page of sources: `list` numbered from `start`, or only `periods` (the index of a
    /// split list).
    fn sources_page(
        &self,
        page: &Page,
        period: Option<&Period>,
        periods: &[PeriodView],
        start: usize,
        list: Vec<sources::SourceEntry>,
    ) -> Result<(), Problem> {
        let t = i18n::strings(self.language());
        let label = period.map(|p| p.label(self.language()));
        let title = match &label {
            Some(label) => format!("{}: {label}", t.sources),
            None => t.sources.to_string(),
        };
        let meta = self.meta(page, title, None, "website");
        let period = period
            .zip(label)
            .map(|(p, label)| PeriodPage { key: &p.key, label });
        let ctx = context! {
            sources => value(list),
            start,
            period => value(period),
            periods => value(periods),
        };
        let hash = super::hash_json(&ctx);
        let html = self.memo.render(
            &[
                WHOLE_PAGE,
                hash,
                crate::front_matter::hash_text(&page.path()),
            ],
            || self.render("sources.html", meta, ctx),
        )?;
        self.put(page, html.into_bytes());
        Ok(())
    }

    /// `changes/index.html`, when there is a release.
    fn changes(&self) -> Result<(), Problem> {
        if self.timeline.releases.is_empty() {
            return Ok(());
        }
        let t = i18n::strings(self.language());
        let meta = self.meta(&Page::Changes, t.changes.to_string(), None, "website");
        let releases = changes::views(self.history, self.events, self.timeline);
        self.page(
            "changes.html",
            &Page::Changes,
            meta,
            context! { releases => value(releases) },
        )
    }

    fn not_found(&self) -> Result<(), Problem> {
        let t = i18n::strings(self.language());
        let mut meta = self.meta(
            &Page::NotFound,
            t.not_found_title.to_string(),
            None,
            "website",
        );
        // 404.html is served for any missing path, so relative links would break below the
        // root: use the site's path from `base_url` when it is known.
        if let Some(base) = self.base_url {
            meta.root = base_path(base);
        }
        meta.canonical = None;
        self.page("404.html", &Page::NotFound, meta, context! {})
    }

    /// `feed.xml` and every organisation's `orgs/<key>/feed.xml`.
    fn feeds(&self, lists: &[OrgList]) -> Result<(), Problem> {
        let everyone: Vec<usize> = (0..self.events.len()).collect();
        self.feed(feed::Scope::Site, &everyone)?;
        for list in lists {
            let org = self
                .timeline
                .organisation(list.key)
                .expect("organisation from the site's own list");
            self.feed(feed::Scope::Organisation(org), &list.mine)?;
        }
        Ok(())
    }

    /// One feed of the latest of `members`, written in chunks of [`CHUNK`] entries, each chunk
    /// rendered in parallel.
    fn feed(&self, scope: feed::Scope, members: &[usize]) -> Result<(), Problem> {
        let entry = self
            .env
            .get_template("feed-entry.html")
            .map_err(|e| self.theme.problem(&e))?;
        let template = self
            .env
            .get_template("feed.xml")
            .map_err(|e| self.theme.problem(&e))?;
        // Links in the content are relative to the entry's page (`xml:base`) when there is an
        // address, else to the feed: the site's is at the root, an organisation's two deep.
        let nested = self.base_url.is_some() || matches!(scope, feed::Scope::Organisation(_));
        let content = |i: usize| {
            // Escaped here, once, for `<content type="html">`; the feed template prints it as
            // it is.
            self.memo.render(
                &[FEED_ENTRY, self.view_hashes[i], u64::from(nested)],
                || {
                    entry
                        .render(context! { event => &self.views[i], nested })
                        .map(|html| markdown::escape(&html))
                        .map_err(|e| self.theme.problem(&e))
                },
            )
        };
        let part = |out: &mut dyn std::io::Write, ctx: Value| {
            template
                .render_captured_to(ctx, out)
                .map(|_| ())
                .map_err(|e| self.theme.problem(&e))
        };
        let latest = feed::latest(self.events, members, self.timeline.site.feed_entries);
        let held: Vec<&Event> = latest.iter().map(|&i| self.events[i]).collect();
        self.sink.put_with(&scope.page().path(), |out| {
            let head = feed::feed(self.timeline, &held, scope, self.base_url, self.audience);
            part(out, context! { part => "head", feed => value(head) })?;
            for chunk in latest.chunks(CHUNK) {
                let entries = chunk
                    .par_iter()
                    .map(|&i| {
                        let html = content(i)?;
                        Ok(feed::entry(
                            self.timeline,
                            self.events[i],
                            html,
                            scope,
                            self.base_url,
                            self.audience,
                        ))
                    })
                    .collect::<Result<Vec<_>, Problem>>()?;
                part(
                    out,
                    context! { part => "entries", entries => value(entries) },
                )?;
            }
            part(out, context! { part => "tail" })
        })
    }

    /// `timeline.json`, written in chunks of [`CHUNK`] events, each chunk made in parallel.
    fn data(&self) -> Result<(), Problem> {
        let line = |i: usize| {
            let event = self.events[i];
            let path = crate::front_matter::hash_text(&event.doc.file.to_string_lossy());
            self.memo.render(&[DATA_EVENT, event.doc.hash, path], || {
                Ok(data::event_json(event, &self.bodies[i]))
            })
        };
        let header = data::header(
            self.timeline,
            self.events,
            self.intro,
            self.base_url,
            self.audience,
            self.history,
        );
        let mut failed = None;
        // A failure to write is kept by the sink and reported at the end of the build.
        let _ = self.sink.put_with(&Page::Data.path(), |out| {
            data::write_head(&header, out)?;
            for start in (0..self.events.len()).step_by(CHUNK) {
                let end = (start + CHUNK).min(self.events.len());
                let lines: Vec<String> = match (start..end).into_par_iter().map(line).collect() {
                    Ok(lines) => lines,
                    Err(problem) => {
                        failed = Some(problem);
                        return Ok(());
                    }
                };
                data::write_events(&lines, start == 0, out)?;
            }
            data::write_tail(self.events.is_empty(), out)
        });
        failed.map_or(Ok(()), Err)
    }

    /// `robots.txt` of an internal build: keep every crawler out of all of it, pages and
    /// copied files alike (a PDF has no `<meta name="robots">`), in case it is put online by
    /// mistake. Public builds write none: the site's owner decides, with `content/robots.txt`.
    fn robots(&self) {
        self.put(&Page::Robots, INTERNAL_ROBOTS.as_bytes().to_vec());
    }

    /// `sitemap.xml` needs absolute URLs, so it is written only when `base_url` is known, and
    /// never for internal readers, whose pages must not be announced to search engines.
    fn sitemap(&self, periods: Option<&[Period]>, lists: &[OrgList], sources: &[String]) {
        let Some(base) = self.base_url else {
            return;
        };
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        let mut url = |path: &str, lastmod: Option<String>| {
            xml.push_str("  <url><loc>");
            xml.push_str(&markdown::escape(&format!("{base}{path}")));
            xml.push_str("</loc>");
            if let Some(date) = lastmod {
                xml.push_str("<lastmod>");
                xml.push_str(&date);
                xml.push_str("</lastmod>");
            }
            xml.push_str("</url>\n");
        };
        url("", None);
        for event in self.events {
            let changed = event.updated.as_ref().unwrap_or(&event.date);
            let lastmod = (changed.precision >= Precision::Day).then(|| changed.day().to_string());
            url(&Page::Event(event.slug.clone()).pretty(), lastmod);
        }
        for period in periods.unwrap_or_default() {
            url(&Page::Period(period.key.clone()).pretty(), None);
        }
        for list in lists {
            url(&Page::Organisation(list.key.to_string()).pretty(), None);
            for period in list.periods.as_deref().unwrap_or_default() {
                let page = Page::OrganisationPeriod(list.key.to_string(), period.key.clone());
                url(&page.pretty(), None);
            }
        }
        url(&Page::Sources.pretty(), None);
        if !self.timeline.releases.is_empty() {
            url(&Page::Changes.pretty(), None);
        }
        for key in sources {
            url(&Page::Source(key.clone()).pretty(), None);
        }
        xml.push_str("</urlset>\n");
        self.put(&Page::Sitemap, xml.into_bytes());
    }
}

/// When the chronology last changed: its latest event or correction (`updated` included), so
/// that the same content always says the same; never the time of the build.
fn last_updated<'e>(events: &[&'e Event]) -> Option<&'e crate::model::EventDate> {
    events
        .iter()
        .flat_map(|e| std::iter::once(&e.date).chain(e.updated.as_ref()))
        .max()
}

/// The whole of an internal build's `robots.txt`.
const INTERNAL_ROBOTS: &str =
    "# An internal build of kroniek: not for publication.\nUser-agent: *\nDisallow: /\n";

/// What each event is estimated to weigh on a list page, in bytes: what the lists are split by.
struct Weights {
    /// On the timeline's pages: its card, its share of a day heading and its marks in the
    /// page's chart.
    timeline: Vec<usize>,
    /// On an organisation's pages, which have no chart.
    list: Vec<usize>,
}

/// A day heading (`<section>`, `<h2>`, `<time>`), counted for every event: an upper bound.
const DAY_HEADING: usize = 220;

impl Weights {
    /// From the cards as rendered (none, when the card template failed: then only `page_size`
    /// splits).
    fn of(events: &[&Event], cards: &[Value]) -> Weights {
        let list: Vec<usize> = cards
            .iter()
            .map(|card| card.as_str().map_or(0, str::len) + DAY_HEADING)
            .collect();
        let timeline = list
            .iter()
            .zip(events)
            .map(|(bytes, event)| bytes + chart_marks(event))
            .collect();
        Weights { timeline, list }
    }
}

/// The bytes of an event's marks in a chart: one per lane it is in (its organisations, or the
/// lane of events without one), each a link to it with its date, title and organisations.
fn chart_marks(event: &Event) -> usize {
    let lanes = event.orgs.len().max(1);
    let mark = 180 + event.slug.len() + event.title.len() + 16 * event.orgs.len();
    lanes * mark
}

/// The events of one organisation, and its periods when they do not fit on one page.
struct OrgList<'a> {
    key: &'a str,
    mine: Vec<usize>,
    periods: Option<Vec<Period>>,
}

/// The period a page shows.
#[derive(serde::Serialize)]
struct PeriodPage<'a> {
    key: &'a str,
    label: String,
}

/// Problems of pages rendered side by side, each once.
#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, result: Result<(), Problem>) {
        if let Err(problem) = result {
            if !self.0.contains(&problem) {
                self.0.push(problem);
            }
        }
    }

    fn extend(&mut self, results: Vec<Result<(), Problem>>) {
        results.into_iter().for_each(|r| self.add(r));
    }

    fn into_result(self) -> Result<(), Vec<Problem>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

/// `https://example.org/webex/` -> `/webex/`.
fn base_path(base: &str) -> String {
    let after_scheme = base.split_once("://").map_or(base, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}

/// The first paragraph of rendered HTML as plain text (note markers left out), at most `max`
/// characters, cut at a word: the page description for search engines and link previews.
fn summary(html: &str, max: usize) -> Option<String> {
    let start = html.find("<p>")? + 3;
    let end = html[start..].find("</p>").map_or(html.len(), |e| start + e);
    let paragraph = &html[start..end];
    let mut text = String::new();
    let mut rest = paragraph;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let tag_end = rest[open..].find('>').map_or(rest.len(), |e| open + e + 1);
        let tag = &rest[open..tag_end];
        rest = &rest[tag_end..];
        if tag.starts_with("<sup class=\"note-ref\"") {
            rest = rest.find("</sup>").map_or("", |e| &rest[e + 6..]);
        }
    }
    text.push_str(rest);
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.is_empty() {
        return None;
    }
    if flat.chars().count() <= max {
        return Some(flat);
    }
    let cut: String = flat.chars().take(max).collect();
    Some(match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(base_path("https://example.org/webex/"), "/webex/");
        assert_eq!(base_path("https://example.org/"), "/");
    }

    #[test]
    fn summaries_are_plain_text_cut_at_words() {
        assert_eq!(summary("<p>een twee drie</p>", 8).as_deref(), Some("een…"));
        let html = "<h4>x</h4><p><strong>kort</strong> &amp; <a href=\"u\">goed</a><sup class=\"note-ref\"><a href=\"#a\">1</a></sup>.</p>";
        assert_eq!(summary(html, 80).as_deref(), Some("kort & goed."));
        assert_eq!(summary("<ul><li>x</li></ul>", 80), None);
    }
}
