//! The keymap is data: the same table maps key presses to actions, renders the footer, and
//! renders the `?` overlay, so the help can never disagree with what the keys do.

use super::app::{Action, Mode, View};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// A key, as the keymap names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Backspace,
}

impl Key {
    pub fn from_event(ev: &KeyEvent) -> Option<Key> {
        if ev.kind == KeyEventKind::Release {
            return None;
        }
        Some(match ev.code {
            KeyCode::Char(c) if ev.modifiers.contains(KeyModifiers::CONTROL) => Key::Ctrl(c.to_ascii_lowercase()),
            KeyCode::Char(c) => Key::Char(c),
            KeyCode::Enter => Key::Enter,
            KeyCode::Esc => Key::Esc,
            KeyCode::Tab => Key::Tab,
            KeyCode::BackTab => Key::BackTab,
            KeyCode::Up => Key::Up,
            KeyCode::Down => Key::Down,
            KeyCode::PageUp => Key::PageUp,
            KeyCode::PageDown => Key::PageDown,
            KeyCode::Home => Key::Home,
            KeyCode::End => Key::End,
            KeyCode::Backspace => Key::Backspace,
            _ => return None,
        })
    }

    /// Reads a key name as `--keys` takes them: one character, or enter, esc, tab,
    /// backtab, up, down, pgup, pgdn, home, end, backspace, space, ctrl-c.
    pub fn parse(name: &str) -> Option<Key> {
        let mut chars = name.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return Some(Key::Char(c));
        }
        Some(match name.to_ascii_lowercase().as_str() {
            "enter" => Key::Enter,
            "esc" => Key::Esc,
            "tab" => Key::Tab,
            "backtab" => Key::BackTab,
            "up" => Key::Up,
            "down" => Key::Down,
            "pgup" => Key::PageUp,
            "pgdn" => Key::PageDown,
            "home" => Key::Home,
            "end" => Key::End,
            "backspace" => Key::Backspace,
            "space" => Key::Char(' '),
            other => match other.strip_prefix("ctrl-") {
                Some(c) if c.chars().count() == 1 => Key::Ctrl(c.chars().next()?),
                _ => return None,
            },
        })
    }
}

/// One line of the keymap: the keys, what the help calls them, the action, and whether the
/// footer shows it.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [Key],
    pub shown: &'static str,
    pub help: &'static str,
    pub action: Action,
    pub footer: bool,
}

const fn b(keys: &'static [Key], shown: &'static str, help: &'static str, action: Action, footer: bool) -> Binding {
    Binding {
        keys,
        shown,
        help,
        action,
        footer,
    }
}

/// The keys of the normal mode, in the order the help lists them.
pub const NORMAL: &[Binding] = &[
    b(
        &[Key::Char('1')],
        "1-9",
        "show a view (Overview … Runs)",
        Action::Show(View::Overview),
        true,
    ),
    b(&[Key::Char('2')], "1-9", "", Action::Show(View::Teams), false),
    b(&[Key::Char('3')], "1-9", "", Action::Show(View::Templates), false),
    b(&[Key::Char('4')], "1-9", "", Action::Show(View::Models), false),
    b(&[Key::Char('5')], "1-9", "", Action::Show(View::Cache), false),
    b(&[Key::Char('6')], "1-9", "", Action::Show(View::Budgets), false),
    b(&[Key::Char('7')], "1-9", "", Action::Show(View::Commitments), false),
    b(&[Key::Char('8')], "1-9", "", Action::Show(View::Anomalies), false),
    b(&[Key::Char('9')], "1-9", "", Action::Show(View::Runs), false),
    b(&[Key::Tab], "Tab", "next view", Action::NextView, false),
    b(&[Key::BackTab], "S-Tab", "previous view", Action::PrevView, false),
    b(
        &[Key::Char('j'), Key::Down],
        "j/k",
        "move down / up",
        Action::Down,
        true,
    ),
    b(&[Key::Char('k'), Key::Up], "j/k", "", Action::Up, false),
    b(
        &[Key::PageDown, Key::Ctrl('d')],
        "PgDn/PgUp",
        "a page down / up",
        Action::PageDown,
        false,
    ),
    b(&[Key::PageUp, Key::Ctrl('u')], "PgDn/PgUp", "", Action::PageUp, false),
    b(
        &[Key::Char('g'), Key::Home],
        "g/G",
        "first / last row",
        Action::Top,
        false,
    ),
    b(&[Key::Char('G'), Key::End], "g/G", "", Action::Bottom, false),
    b(
        &[Key::Enter],
        "Enter",
        "drill in: a team (then template, model, tag), a run, an anomaly",
        Action::Enter,
        true,
    ),
    b(
        &[Key::Char('d')],
        "d",
        "next breakdown: by template, model or tag; Cache by team",
        Action::NextDim,
        false,
    ),
    b(
        &[Key::Char('o')],
        "o",
        "open the template or model (a run's template) in its view",
        Action::Open,
        false,
    ),
    b(
        &[Key::Esc],
        "Esc",
        "back out of a drill-down or a run, clear the filter, close help",
        Action::Back,
        true,
    ),
    b(
        &[Key::Char('/')],
        "/",
        "filter the list (Enter keeps it, Esc clears it)",
        Action::StartFilter,
        true,
    ),
    b(&[Key::Char('s')], "s", "cycle the sort order", Action::Sort, true),
    b(
        &[Key::Char('[')],
        "[ ]",
        "previous / next month",
        Action::PrevPeriod,
        true,
    ),
    b(&[Key::Char(']')], "[ ]", "", Action::NextPeriod, false),
    b(
        &[Key::Char('r')],
        "r",
        "read the store again (after a `cost import`)",
        Action::Refresh,
        true,
    ),
    b(&[Key::Char('?')], "?", "this help", Action::Help, true),
    b(
        &[Key::Char('q'), Key::Ctrl('c')],
        "q",
        "quit (also Ctrl-C)",
        Action::Quit,
        true,
    ),
];

/// The keys while a filter is typed (any other character is added to it).
pub const FILTER: &[Binding] = &[
    b(&[Key::Enter], "Enter", "keep the filter", Action::FilterApply, true),
    b(&[Key::Esc], "Esc", "clear the filter", Action::FilterCancel, true),
    b(
        &[Key::Backspace],
        "Backspace",
        "delete a character",
        Action::FilterBackspace,
        false,
    ),
    b(&[Key::Ctrl('c')], "Ctrl-C", "quit", Action::Quit, false),
];

/// The keys while the help is open (everything else closes it).
pub const HELP: &[Binding] = &[
    b(&[Key::Char('q'), Key::Ctrl('c')], "q", "quit", Action::Quit, true),
    b(&[Key::Char('?'), Key::Esc], "?/Esc", "close help", Action::Help, true),
];

pub fn bindings(mode: Mode) -> &'static [Binding] {
    match mode {
        Mode::Normal => NORMAL,
        Mode::Filter => FILTER,
        Mode::Help => HELP,
    }
}

/// The action for a key in a mode.
pub fn lookup(mode: Mode, key: Key) -> Option<Action> {
    if let Some(b) = bindings(mode).iter().find(|b| b.keys.contains(&key)) {
        return Some(b.action);
    }
    match (mode, key) {
        (Mode::Filter, Key::Char(c)) => Some(Action::FilterChar(c)),
        (Mode::Help, _) => Some(Action::Help),
        _ => None,
    }
}

/// `(keys, what they do)` pairs for the footer, in keymap order, each shown once.
pub fn footer(mode: Mode) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for b in bindings(mode).iter().filter(|b| b.footer) {
        if out.iter().all(|(s, _)| *s != b.shown) {
            out.push((b.shown, short(b)));
        }
    }
    out
}

/// The footer's one-word name for a binding.
fn short(b: &Binding) -> &'static str {
    match b.action {
        Action::Show(_) => "views",
        Action::Down => "move",
        Action::Enter => "drill",
        Action::Back => "back",
        Action::StartFilter => "filter",
        Action::Sort => "sort",
        Action::PrevPeriod => "month",
        Action::Refresh => "refresh",
        Action::Help => "help",
        Action::Quit => "quit",
        Action::FilterApply => "keep",
        Action::FilterCancel => "clear",
        _ => b.help,
    }
}

/// `(keys, help)` lines for the `?` overlay: every binding with help text.
pub fn help_lines() -> Vec<(&'static str, &'static str)> {
    NORMAL
        .iter()
        .filter(|b| !b.help.is_empty())
        .map(|b| (b.shown, b.help))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_actions_by_mode() {
        assert_eq!(lookup(Mode::Normal, Key::Char('j')), Some(Action::Down));
        assert_eq!(lookup(Mode::Normal, Key::Down), Some(Action::Down));
        assert_eq!(
            lookup(Mode::Normal, Key::Char('3')),
            Some(Action::Show(View::Templates))
        );
        assert_eq!(lookup(Mode::Normal, Key::Ctrl('c')), Some(Action::Quit));
        assert_eq!(lookup(Mode::Normal, Key::Char('x')), None);
        // Typing a filter: letters are text, not commands.
        assert_eq!(lookup(Mode::Filter, Key::Char('j')), Some(Action::FilterChar('j')));
        assert_eq!(lookup(Mode::Filter, Key::Char('q')), Some(Action::FilterChar('q')));
        assert_eq!(lookup(Mode::Filter, Key::Esc), Some(Action::FilterCancel));
        // Help: q still quits, anything else closes it.
        assert_eq!(lookup(Mode::Help, Key::Char('q')), Some(Action::Quit));
        assert_eq!(lookup(Mode::Help, Key::Char('j')), Some(Action::Help));
    }

    #[test]
    fn no_key_is_bound_twice_in_a_mode() {
        for mode in [Mode::Normal, Mode::Filter, Mode::Help] {
            let mut seen = Vec::new();
            for b in bindings(mode) {
                for k in b.keys {
                    assert!(!seen.contains(k), "{k:?} bound twice in {mode:?}");
                    seen.push(*k);
                }
            }
        }
    }

    #[test]
    fn the_footer_and_help_come_from_the_keymap() {
        let footer = footer(Mode::Normal);
        assert_eq!(footer.first(), Some(&("1-9", "views")));
        assert_eq!(footer.last(), Some(&("q", "quit")));
        assert!(footer.contains(&("/", "filter")) && footer.contains(&("[ ]", "month")));
        let help = help_lines();
        assert_eq!(help.len(), 16, "one line per described binding");
        assert!(help.contains(&("s", "cycle the sort order")));
        // The `?` box at 80 columns leaves 64 for a line's words: none is cut.
        for (keys, text) in &help {
            let w = crate::tui::widgets::columns(text);
            assert!(w <= 64, "`{keys}`: {w} columns, more than the 64 of an 80-column help");
        }
    }

    #[test]
    fn key_names_parse() {
        assert_eq!(Key::parse("j"), Some(Key::Char('j')));
        assert_eq!(Key::parse("enter"), Some(Key::Enter));
        assert_eq!(Key::parse("ctrl-c"), Some(Key::Ctrl('c')));
        assert_eq!(Key::parse("space"), Some(Key::Char(' ')));
        assert_eq!(Key::parse("bogus"), None);
    }
}
