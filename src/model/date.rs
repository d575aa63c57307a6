//! Dates as authors write them: with the precision they know.
//!
//! "juni 2024" is not "1 juni 2024 00:00". An [`EventDate`] keeps the precision it was written
//! with, the instant its period starts (for sorting), and shows itself at that precision in the
//! site's language and time zone.

use chrono::{
    DateTime, Datelike, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
    Timelike, Utc,
};
use chrono_tz::Tz;
use std::cmp::Ordering;

use super::Language;

/// How much of a date was given. Ordered from coarse to fine: a coarser date sorts before the
/// finer dates inside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Year,
    Month,
    Day,
    Minute,
    Second,
}

/// A date or date-time with its precision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventDate {
    pub precision: Precision,
    /// When the period starts, as an instant. For a day, local midnight in the site's zone.
    pub start: DateTime<Utc>,
    /// The same start in the site's zone: what readers see.
    pub local: NaiveDateTime,
    /// The offset from UTC in the site's zone at `start`, for machine-readable output.
    pub offset: FixedOffset,
}

/// Why a date could not be read. The messages are shown to authors as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error(
        "expected a date like `2024-06-04`, `2024-06`, `2024` or `2024-06-04T14:30`, found `{0}`"
    )]
    Format(String),
    #[error("`{0}` is not a date in the calendar")]
    NoSuchDate(String),
    #[error("`{0}` is not a time of day (hours 00–23, minutes and seconds 00–59)")]
    NoSuchTime(String),
    #[error("`{0}` has a time-zone offset but no time")]
    OffsetWithoutTime(String),
    #[error("`{0}` does not exist in {1}: the clocks skip that hour (daylight saving time)")]
    DstGap(String, Tz),
    #[error("`{text}` falls outside the years 0000–9999 in {zones}", text = .0, zones = zones(.1))]
    OutOfRange(String, Tz),
}

impl EventDate {
    /// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or an RFC 3339 date-time with optional seconds
    /// and offset. A date-time without offset is local time in `tz`. A local time that occurs
    /// twice (autumn DST change) resolves to the earlier one; `ambiguous` reports that.
    pub fn parse(text: &str, tz: Tz) -> Result<(EventDate, bool), DateError> {
        let text = text.trim();
        let format_error = || DateError::Format(text.to_string());
        let (date_part, time_part) = match text.find(['T', 't', ' ']) {
            Some(i) => (&text[..i], Some(&text[i + 1..])),
            None => (text, None),
        };
        // A trailing offset on a date alone ("2024-06-04Z", "2024-06-04+02:00").
        if time_part.is_none() && date_part.len() > 10 && date_part.is_char_boundary(10) {
            let rest = &date_part[10..];
            if rest == "Z" || rest == "z" || rest.starts_with(['+', '-']) {
                return Err(DateError::OffsetWithoutTime(text.to_string()));
            }
        }
        let fields: Vec<&str> = date_part.split('-').collect();
        if fields.is_empty()
            || fields.len() > 3
            || fields[0].len() != 4
            || fields[1..].iter().any(|f| f.len() != 2)
            || fields
                .iter()
                .any(|f| !f.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(format_error());
        }
        let number = |s: &str| s.parse::<u32>().map_err(|_| format_error());
        let year = number(fields[0])? as i32;
        let month = fields.get(1).map(|m| number(m)).transpose()?.unwrap_or(1);
        let day = fields.get(2).map(|d| number(d)).transpose()?.unwrap_or(1);
        let date = NaiveDate::from_ymd_opt(year, month, day)
            .ok_or_else(|| DateError::NoSuchDate(text.to_string()))?;
        let precision = match (fields.len(), time_part) {
            (1, None) => Precision::Year,
            (2, None) => Precision::Month,
            (3, None) => Precision::Day,
            (3, Some(_)) => Precision::Minute,
            _ => return Err(format_error()),
        };
        let Some(time_text) = time_part else {
            let midnight = date.and_time(NaiveTime::MIN);
            let start = resolve_local(tz, midnight)
                .or_else(|| resolve_local(tz, midnight + chrono::Duration::hours(1)))
                .ok_or_else(|| DateError::DstGap(text.to_string(), tz))?
                .0;
            return Ok((EventDate::from_instant(precision, start, tz), false));
        };
        let (clock, offset) = split_offset(time_text).ok_or_else(format_error)?;
        let (time, precision) = parse_clock(clock, text)?;
        let local = date.and_time(time);
        let (start, ambiguous) = match offset {
            Some(offset) => match offset.from_local_datetime(&local) {
                LocalResult::Single(t) => (t.with_timezone(&Utc), false),
                _ => return Err(format_error()),
            },
            None => {
                resolve_local(tz, local).ok_or_else(|| DateError::DstGap(text.to_string(), tz))?
            }
        };
        let date = EventDate::from_instant(precision, start, tz);
        // An offset can move a time at the very edge of the calendar into year 10000 (or -1)
        // in the site's zone, or in UTC (where local mean time is written, see `rfc3339`),
        // which no four-digit form can show or read back. Found by fuzzing.
        let years = 0..=9999;
        if !years.contains(&date.local.year()) || !years.contains(&date.start.year()) {
            return Err(DateError::OutOfRange(text.to_string(), tz));
        }
        Ok((date, ambiguous))
    }

    fn from_instant(precision: Precision, start: DateTime<Utc>, tz: Tz) -> EventDate {
        let zoned = start.with_timezone(&tz);
        EventDate {
            precision,
            start,
            local: zoned.naive_local(),
            offset: zoned.offset().fix(),
        }
    }

    /// The calendar day this date falls on in the site's zone (the first day of a month or
    /// year).
    pub fn day(&self) -> NaiveDate {
        self.local.date()
    }

    /// True when a time of day was given.
    pub fn has_time(&self) -> bool {
        self.precision >= Precision::Minute
    }

    /// Machine-readable form for `<time datetime>` and data: as precise as the date itself.
    pub fn iso(&self) -> String {
        match self.precision {
            Precision::Year => format!("{:04}", self.local.year()),
            Precision::Month => format!("{:04}-{:02}", self.local.year(), self.local.month()),
            Precision::Day => self.local.format("%Y-%m-%d").to_string(),
            _ if !self.offset_in_minutes() => self.rfc3339(),
            Precision::Minute => self.zoned().format("%Y-%m-%dT%H:%M%:z").to_string(),
            Precision::Second => self.zoned().format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        }
    }

    /// Full RFC 3339 instant of the start, for feeds and sitemaps.
    pub fn rfc3339(&self) -> String {
        if !self.offset_in_minutes() {
            return self.start.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        }
        self.zoned().format("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }

    /// Whether the zone's offset is whole minutes, as RFC 3339 and HTML write offsets. Local
    /// mean time before a zone was standardised is not (St. John's was −03:30:52 until 1935):
    /// the offset rounded to minutes named another instant, so such times are written in UTC,
    /// to the second. Found by the property tests.
    fn offset_in_minutes(&self) -> bool {
        self.offset.local_minus_utc() % 60 == 0
    }

    fn zoned(&self) -> DateTime<FixedOffset> {
        self.start.with_timezone(&self.offset)
    }

    /// The date part for people, at this date's precision: "2024", "juni 2024",
    /// "dinsdag 4 juni 2024".
    pub fn date_text(&self, language: Language) -> String {
        let locale = language.locale();
        let format = match self.precision {
            Precision::Year => "%Y",
            Precision::Month => "%B %Y",
            _ => "%A %-d %B %Y",
        };
        self.local
            .date()
            .format_localized(format, locale)
            .to_string()
    }

    /// The short date for people: "4 juni 2024", "juni 2024".
    pub fn short_date_text(&self, language: Language) -> String {
        let format = match self.precision {
            Precision::Year => "%Y",
            Precision::Month => "%B %Y",
            _ => "%-d %B %Y",
        };
        self.local
            .date()
            .format_localized(format, language.locale())
            .to_string()
    }

    /// The time of day ("14:30"), when one was given.
    pub fn time_text(&self) -> Option<String> {
        match self.precision {
            Precision::Minute => Some(self.local.format("%H:%M").to_string()),
            Precision::Second => Some(self.local.format("%H:%M:%S").to_string()),
            _ => None,
        }
    }

    /// Orders by start instant, then coarser before finer: "juni 2024" comes before
    /// "1 juni 2024", which comes before "1 juni 2024 00:00".
    pub fn sort_key(&self) -> (DateTime<Utc>, Precision) {
        (self.start, self.precision)
    }
}

impl PartialOrd for EventDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for EventDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

/// "Europe/Amsterdam or in UTC"; "UTC" alone for UTC.
fn zones(tz: &Tz) -> String {
    if *tz == Tz::UTC {
        "UTC".to_string()
    } else {
        format!("{tz} or in UTC")
    }
}

/// Splits "14:30+02:00" into the clock and its offset.
fn split_offset(time: &str) -> Option<(&str, Option<FixedOffset>)> {
    if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        return Some((clock, Some(FixedOffset::east_opt(0)?)));
    }
    match time.rfind(['+', '-']) {
        Some(i) => {
            let (clock, offset) = time.split_at(i);
            let sign = if offset.starts_with('-') { -1 } else { 1 };
            let (h, m) = offset[1..].split_once(':')?;
            if h.len() != 2 || m.len() != 2 {
                return None;
            }
            let seconds = h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60;
            Some((clock, Some(FixedOffset::east_opt(sign * seconds)?)))
        }
        None => Some((time, None)),
    }
}

fn parse_clock(clock: &str, text: &str) -> Result<(NaiveTime, Precision), DateError> {
    let parts: Vec<&str> = clock.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.len() != 2 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(DateError::Format(text.to_string()));
    }
    let n = |i: usize| parts.get(i).map_or(0, |p| p.parse::<u32>().unwrap_or(99));
    let precision = if parts.len() == 3 {
        Precision::Second
    } else {
        Precision::Minute
    };
    NaiveTime::from_hms_opt(n(0), n(1), n(2))
        .filter(|t| t.nanosecond() == 0)
        .map(|t| (t, precision))
        .ok_or_else(|| DateError::NoSuchTime(text.to_string()))
}

/// A local time in `tz` as an instant; `None` in a DST gap, the earlier instant (and `true`)
/// when the local time happens twice.
fn resolve_local(tz: Tz, local: NaiveDateTime) -> Option<(DateTime<Utc>, bool)> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Some((t.with_timezone(&Utc), false)),
        LocalResult::Ambiguous(earliest, _) => Some((earliest.with_timezone(&Utc), true)),
        LocalResult::None => None,
    }
}

trait FixOffset {
    fn fix(&self) -> FixedOffset;
}

impl FixOffset for chrono_tz::TzOffset {
    fn fix(&self) -> FixedOffset {
        chrono::Offset::fix(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AMS: Tz = chrono_tz::Europe::Amsterdam;

    fn parse(text: &str) -> EventDate {
        EventDate::parse(text, AMS).unwrap().0
    }

    #[test]
    fn keeps_precision_and_shows_it() {
        assert_eq!(parse("2024-06").date_text(Language::Nl), "juni 2024");
        assert_eq!(
            parse("2024-06-04").date_text(Language::Nl),
            "dinsdag 4 juni 2024"
        );
        assert_eq!(
            parse("2024-06-04").date_text(Language::En),
            "Tuesday 4 June 2024"
        );
        assert_eq!(parse("2024").date_text(Language::En), "2024");
        assert_eq!(
            parse("2024-06-04T14:30").time_text().as_deref(),
            Some("14:30")
        );
        assert_eq!(parse("2024-06-04T14:30").iso(), "2024-06-04T14:30+02:00");
        assert_eq!(parse("2024-06").iso(), "2024-06");
    }

    #[test]
    fn offsets_convert_to_the_site_zone() {
        let d = parse("2024-06-04T22:30:00Z");
        assert_eq!(d.day().to_string(), "2024-06-05");
        assert_eq!(d.time_text().as_deref(), Some("00:30:00"));
        assert_eq!(parse("2024-06-04T14:30+02:00"), parse("2024-06-04T14:30"));
    }

    #[test]
    fn coarse_dates_sort_first() {
        let mut dates = [
            parse("2024-06-01T00:00"),
            parse("2024-06-01"),
            parse("2024-06"),
            parse("2024"),
        ];
        dates.sort();
        let precisions: Vec<_> = dates.iter().map(|d| d.precision).collect();
        assert_eq!(
            precisions,
            [
                Precision::Year,
                Precision::Month,
                Precision::Day,
                Precision::Minute
            ]
        );
    }

    #[test]
    fn rejects_dates_that_do_not_exist() {
        let err = |t: &str| EventDate::parse(t, AMS).unwrap_err();
        assert!(matches!(err("2024-02-30"), DateError::NoSuchDate(_)));
        assert!(matches!(err("2024-06-04T24:00"), DateError::NoSuchTime(_)));
        assert!(matches!(
            err("2024-06-04+02:00"),
            DateError::OffsetWithoutTime(_)
        ));
        assert!(matches!(err("2024-03-31T02:30"), DateError::DstGap(..)));
        assert!(matches!(err("4 juni"), DateError::Format(_)));
        assert!(matches!(err("2024-6-4"), DateError::Format(_)));
        assert!(matches!(err(""), DateError::Format(_)));
        assert!(matches!(err("2024-06-04T"), DateError::Format(_)));
        assert!(matches!(
            err("9999-12-31T23:59:59-23:59"),
            DateError::OutOfRange(..)
        ));
        assert!(matches!(
            err("0000-01-01T00:30+01:00"),
            DateError::OutOfRange(..)
        ));
    }

    #[test]
    fn local_mean_time_is_written_in_utc() {
        let tz = chrono_tz::America::St_Johns;
        let d = EventDate::parse("1900-01-01T00:00", tz).unwrap().0;
        assert_eq!(d.offset.local_minus_utc(), -(3 * 3600 + 30 * 60 + 52));
        assert_eq!(d.iso(), "1900-01-01T03:30:52Z");
        assert_eq!(d.rfc3339(), "1900-01-01T03:30:52Z");
        assert_eq!(EventDate::parse(&d.iso(), tz).unwrap().0.start, d.start);
        assert_eq!(
            d.time_text().as_deref(),
            Some("00:00"),
            "people see the local time"
        );
    }

    #[test]
    fn ambiguous_local_times_take_the_earlier() {
        let (d, ambiguous) = EventDate::parse("2024-10-27T02:30", AMS).unwrap();
        assert!(ambiguous);
        assert_eq!(d.iso(), "2024-10-27T02:30+02:00");
    }
}
