//! Fuzz target `front_matter`: the checks are in `tests/harness/mod.rs`, shared with
//! `tests/regressions.rs`, which replays the inputs that once broke kroniek.
#![no_main]

#[path = "../../tests/harness/mod.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::front_matter(data));
