//! The screen before the first import: how to fill the store.

use crate::tui::data::Data;
use crate::tui::widgets::{Theme, message};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// The commands that fill the store, with the store's own path in them.
pub fn first_run(buf: &mut Buffer, area: Rect, theme: Theme, data: &Data) {
    let db = &data.store_path;
    message(
        buf,
        area,
        theme,
        &[
            "No usage imported yet.".into(),
            String::new(),
            if data.store_exists {
                format!("The store {db} is empty. Import usage logs into it, then press r:")
            } else {
                format!("There is no store at {db} yet. Import usage logs to create it, then press r:")
            },
            String::new(),
            format!("  cost import --db {db} logs/*.jsonl"),
            "      (OpenAI, Anthropic, LiteLLM, Bedrock, usage APIs, CSV)".into(),
            format!("  cost import --db {db} ~/.claude/projects"),
            "      (Claude Code transcripts)".into(),
            "  cost import --help   lists every source".into(),
            String::new(),
            "Budgets and commitments come from cost.toml: [teams.NAME] and [[commitments]].".into(),
        ],
    );
}
