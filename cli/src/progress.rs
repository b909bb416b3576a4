//! Progress on stderr for long jobs (indicatif): a bar by bytes for reading a journal or a
//! commands file, a spinner for work whose size is not known ahead. Shown only when stderr is a
//! terminal, and cleared when the job ends, so that logs and pipes see none of it.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar over `total` bytes, labelled `label` (Chinese, then English).
pub fn bytes(label: &str, total: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{msg} [{bar:30}] {percent:>3}%  {binary_bytes}/{binary_total_bytes}  {eta}",
    )
    .map(|s| s.progress_chars("#>-"));
    // The template is a constant: a fault in it would show at the first test run. Keep the
    // default style rather than fail a user's import over a progress bar.
    if let Ok(style) = style {
        bar.set_style(style);
    }
    bar.set_message(label.to_string());
    bar
}

/// A spinner for work of unknown size, labelled `label`; it turns on its own until finished.
pub fn spinner(label: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}  {elapsed}") {
        bar.set_style(style);
    }
    bar.set_message(label.to_string());
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}
