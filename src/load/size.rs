//! How big one content file may be: the `max_file_size` setting of `_index.md`, and reading a
//! file no further than that.
//!
//! A content file is read whole into memory and then parsed, rendered and quoted in messages;
//! a 1 GB file took 24 s, 4.2 GB of memory and printed 3 GB of errors. Real events are a few
//! kilobytes, so a file above the limit is refused before it is read. This module never reads
//! more than the limit and one byte of any file, even one that grows while it is read.

use crate::diagnostics::Problem;
use std::io::Read;
use std::path::Path;

/// The limit when `_index.md` does not set `max_file_size`.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * KB * KB;

const KB: u64 = 1000;
const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;

/// Reads `max_file_size: 50 MB` (units B, kB/KB, MB, GB and KiB, MiB, GiB; a bare number is
/// bytes). The error says what was wrong, for the model to show at the setting.
pub fn parse_size(written: &str) -> Result<u64, String> {
    let written = written.trim();
    let split = written
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(written.len());
    let (number, unit) = written.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("`{written}` is not a size"))?;
    let unit = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => KB,
        "mb" => KB * KB,
        "gb" => KB * KB * KB,
        "kib" => KIB,
        "mib" => MIB,
        "gib" => MIB * KIB,
        other => return Err(format!("unknown unit `{other}` in `{written}`")),
    };
    let bytes = number * unit as f64;
    if !(1.0..=u64::MAX as f64).contains(&bytes) {
        return Err(format!("`{written}` is not a size above zero"));
    }
    Ok(bytes as u64)
}

/// A size for people: `1.2 GB`, `512 kB`, `75 bytes` (decimal units, as file managers show).
pub fn show_size(bytes: u64) -> String {
    let units = [("GB", KB * KB * KB), ("MB", KB * KB), ("kB", KB)];
    for (unit, size) in units {
        if bytes >= size {
            let value = bytes as f64 / size as f64;
            let value = format!("{value:.1}");
            return format!("{} {unit}", value.trim_end_matches(".0"));
        }
    }
    format!("{bytes} bytes")
}

/// The file's bytes, or an error when it is bigger than `limit` (checked before reading, and
/// again while reading, for a file that grows).
pub fn read_limited(path: &Path, relative: &Path, limit: u64) -> Result<Vec<u8>, Problem> {
    let unreadable = |e: std::io::Error| {
        Problem::file_error(relative, "unreadable", format!("cannot read: {e}"))
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    if size > limit {
        return Err(too_big(relative, size, limit));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > limit {
        return Err(too_big(relative, bytes.len() as u64, limit));
    }
    Ok(bytes)
}

fn too_big(relative: &Path, size: u64, limit: u64) -> Problem {
    let (mut shown, mut limit_shown) = (show_size(size), show_size(limit));
    if shown == limit_shown {
        (shown, limit_shown) = (format!("{size} bytes"), format!("{limit} bytes"));
    }
    Problem::file_error(
        relative,
        "file-too-big",
        format!("the file is {shown}, above the limit of {limit_shown} for one content file"),
    )
    .with_hint(format!(
        "split it into several events, or raise the limit in content/_index.md: `max_file_size: {}`",
        show_size(size.saturating_mul(2))
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_read_in_common_units() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("50 MB"), Ok(50_000_000));
        assert_eq!(parse_size("1.5GB"), Ok(1_500_000_000));
        assert_eq!(parse_size("10 MiB"), Ok(10 * 1024 * 1024));
        assert_eq!(parse_size("64kb"), Ok(64_000));
        assert_eq!(
            parse_size("ten MB"),
            Err("`ten MB` is not a size".to_string())
        );
        assert_eq!(
            parse_size("5 pages"),
            Err("unknown unit `pages` in `5 pages`".to_string())
        );
        assert_eq!(
            parse_size("0"),
            Err("`0` is not a size above zero".to_string())
        );
    }

    #[test]
    fn sizes_are_shown_in_decimal_units() {
        assert_eq!(show_size(75), "75 bytes");
        assert_eq!(show_size(10 * 1024 * 1024), "10.5 MB");
        assert_eq!(show_size(1_000_000_000), "1 GB");
        assert_eq!(show_size(512_000), "512 kB");
    }

    #[test]
    fn a_file_above_the_limit_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "x".repeat(2_000)).unwrap();
        let relative = Path::new("content/a.md");
        assert_eq!(read_limited(&path, relative, 2_000).unwrap().len(), 2_000);
        let err = read_limited(&path, relative, 1_999).unwrap_err();
        assert_eq!(err.code, "file-too-big");
        assert_eq!(
            err.message,
            "the file is 2000 bytes, above the limit of 1999 bytes for one content file"
        );
        assert_eq!(
            err.hint.as_deref(),
            Some("split it into several events, or raise the limit in content/_index.md: `max_file_size: 4 kB`")
        );
    }
}
