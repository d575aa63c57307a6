//! kroniek: a static site generator for incident chronologies.
//!
//! One pipeline, [`pipeline::run`], in stages of one module each:
//!
//! 1. [`load`]: walk `content/`, read files, split front matter from Markdown;
//! 2. [`model`]: typed events, organisations and sources, validated against each other;
//! 3. [`audience`]: the [`audience::View`] of one reader, the one place that decides who sees what;
//! 4. [`render`]: the view's Markdown bodies, the link check, then pages (or an [`export`]);
//! 5. [`output`] and [`write`]: each file to a sink; on disk, replacing the output all at once.
//!
//! `build`, `check`, `serve` and `export` all call [`pipeline::run`]. Problems with the content
//! are [`diagnostics::Problem`]s, collected across the whole run.

// A `Problem` carries everything needed to print it (file, position, quoted line, hint), so it
// is large; it travels only on the cold path of bad input, where its size costs nothing.
#![allow(clippy::result_large_err)]

pub mod audience;
pub mod authoring;
pub mod cache;
pub mod cli;
pub mod diagnostics;
pub mod error;
pub mod export;
pub mod front_matter;
pub mod i18n;
pub mod import;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod record;
pub mod render;
pub mod serve;
pub mod theme;
pub mod timing;
pub mod urls;
pub mod write;

pub use error::Failure;
pub use pipeline::{build, check, compile, export, render_site};
pub use pipeline::{BuildOptions, BuildReport, RenderedSite};
