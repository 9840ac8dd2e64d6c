//! The text report of an analysis, rendered from `zopa_app::report::Report`
//! (the JSON form lives in the application layer).

pub mod text;

pub use zopa_app::report::Report;
