pub mod diagnostics;
pub mod front_matter;
pub mod load;
pub mod model;
pub mod audience;
pub mod markdown;
