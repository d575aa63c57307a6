//! The single-file HTML export: the whole chronology in one page with its CSS inline, no
//! scripts and no requests elsewhere, for wikis that accept HTML and for e-mail. Rendered by the
//! theme's `export.html`, so a site can restyle it like any page.

use super::Export;
use crate::diagnostics::Problem;
use crate::render;

pub fn document(export: &Export) -> Result<String, Vec<Problem>> {
    render::single_page(export.view, export.base_url, export.site)
}
