//! What both faces — the command line and the dashboard — share: the configuration, prices
//! (loaded on first use), the store's path and "now". No argument parsing and no rendering
//! here, and nothing printed: a note for the person at the terminal goes to the face's
//! [`Notes`] sink (stderr for the CLI, nowhere under the running dashboard).

use crate::config::Config;
use crate::error::{Error, Result};
use crate::output::Style;
use crate::pricing::{PriceTable, imported};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// Where notes for the person at the terminal go (`hint: …`, `warning: …`, `note: …`).
pub type Notes = Box<dyn Fn(&str) + Send + Sync>;

/// What every command and the dashboard share: configuration, prices (loaded on first use),
/// output style, the working directory and "now".
pub struct Context {
    pub config: Config,
    /// The configuration was named by --config / COST_CONFIG (not found by walking up).
    pub config_explicit: bool,
    prices: OnceLock<PriceTable>,
    prices_lock: std::sync::Mutex<()>,
    pub style: Style,
    pub quiet: bool,
    pub cwd: PathBuf,
    pub now: jiff::Timestamp,
    /// "Now" was pinned (`COST_NOW`): commands that run on (`cost watch`) keep it instead of
    /// reading the clock.
    pub now_pinned: bool,
    /// `--db` / `COST_DB`.
    pub db: Option<PathBuf>,
    /// A missing store reads as empty instead of an error (the dashboard's first-run screen).
    pub store_optional: bool,
    /// The note about a store read upgraded in memory was given.
    upgrade_noted: AtomicBool,
    /// Where [`Context::hint`] sends its notes.
    notes: Notes,
    /// Notes are dropped (the dashboard is drawing on the terminal).
    silenced: AtomicBool,
}

impl Context {
    /// A context over `config`, seen from `cwd` at `now`; notes go to `notes`.
    pub fn new(config: Config, style: Style, cwd: PathBuf, now: jiff::Timestamp, notes: Notes) -> Context {
        Context {
            config,
            config_explicit: false,
            prices: OnceLock::new(),
            prices_lock: std::sync::Mutex::new(()),
            quiet: style.quiet,
            style,
            cwd,
            now,
            now_pinned: false,
            db: None,
            store_optional: false,
            upgrade_noted: AtomicBool::new(false),
            notes,
            silenced: AtomicBool::new(false),
        }
    }

    /// Drops notes while `on` (the dashboard draws on the terminal notes would go to).
    pub fn silence_notes(&self, on: bool) {
        self.silenced.store(on, Ordering::Relaxed);
    }

    /// Gives a note to the sink, unless notes are silenced.
    fn note(&self, text: &str) {
        if !self.silenced.load(Ordering::Relaxed) {
            (self.notes)(text);
        }
    }

    pub fn prices(&self) -> Result<&PriceTable> {
        if let Some(table) = self.prices.get() {
            return Ok(table);
        }
        // One thread loads; another asking meanwhile waits rather than loading twice.
        let _loading = self.prices_lock.lock();
        if let Some(table) = self.prices.get() {
            return Ok(table);
        }
        // The snapshot, imported tables (`cost pricing import`) and cost.toml's [prices].
        let table = crate::timing::time(crate::timing::Phase::Prices, || {
            PriceTable::load_installed(&self.config.prices)
        })?;
        self.age_hint(&table);
        Ok(self.prices.get_or_init(|| table))
    }

    /// Once a day: the newest price table is more than 90 days old.
    fn age_hint(&self, table: &PriceTable) {
        if self.quiet {
            return;
        }
        let Ok(as_of) = table.as_of.parse::<jiff::civil::Date>() else {
            return;
        };
        if let Some(text) = imported::age_hint(&imported::data_dir(), as_of, self.today()) {
            self.note(&text);
        }
    }

    /// The time now: the clock, or the pinned `COST_NOW`.
    pub fn clock(&self) -> jiff::Timestamp {
        if self.now_pinned {
            self.now
        } else {
            jiff::Timestamp::now()
        }
    }

    /// Today's date (UTC), for effective-dated prices.
    pub fn today(&self) -> jiff::civil::Date {
        self.now.to_zoned(jiff::tz::TimeZone::UTC).date()
    }

    /// The store: `--db`/`COST_DB`, else `[store] path` (relative to cost.toml, `~` expanded),
    /// else the XDG data directory.
    pub fn store_path(&self) -> PathBuf {
        let expand = |p: &Path| -> PathBuf {
            match p.to_str().and_then(|s| s.strip_prefix("~/")) {
                Some(rest) => std::env::var_os("HOME")
                    .map(PathBuf::from)
                    .unwrap_or_default()
                    .join(rest),
                None => p.to_path_buf(),
            }
        };
        match (&self.db, &self.config.store_path) {
            (Some(db), _) => self.cwd.join(expand(db)),
            (None, Some(p)) => self.config.root.join(expand(p)),
            (None, None) => crate::store::default_path(),
        }
    }

    /// Opens the store read-only for a report. A missing store is an error (exit 2), except
    /// for the dashboard, which shows how to start (`None`).
    pub fn read_store(&self) -> Result<Option<crate::store::Store>> {
        let path = self.store_path();
        let store = crate::store::Store::open_read_only(&path)?;
        match &store {
            None if !self.store_optional => {
                return Err(Error::Store {
                    message: format!("no store at {}", path.display()),
                    hint: "run `cost import` first: it creates the store (e.g. `cost import logs/*.jsonl`); \
                           or check --db, COST_DB or [store] path in cost.toml"
                        .into(),
                    path,
                });
            }
            Some(s) => {
                if let Some(v) = s.upgraded_from() {
                    if !self.upgrade_noted.swap(true, Ordering::Relaxed) {
                        self.hint(&format!(
                            "note: {} has schema version {v} (this cost uses {}): read upgraded in memory, the file is unchanged; the next `cost import` upgrades it on disk",
                            path.display(),
                            crate::store::schema::VERSION
                        ));
                    }
                }
            }
            None => {}
        }
        Ok(store)
    }

    /// A note for the person at the terminal (silenced by `-q`).
    pub fn hint(&self, text: &str) {
        if !self.quiet {
            self.note(text);
        }
    }

    /// Shows a path relative to the working directory, else to the project root (the
    /// directory of cost.toml), else as it is.
    pub fn show_path(&self, path: &Path) -> String {
        self.config.show_path(&self.cwd, path)
    }
}

/// `COST_NOW`: an RFC 3339 time, or a date (the start of that day, UTC).
pub fn parse_now(s: &str) -> Result<jiff::Timestamp> {
    let s = s.trim();
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Ok(t);
    }
    if let Ok(d) = s.parse::<jiff::civil::Date>() {
        if let Ok(z) = d.to_zoned(jiff::tz::TimeZone::UTC) {
            return Ok(z.timestamp());
        }
    }
    Err(Error::usage_hint(
        format!("COST_NOW=`{s}` is neither an RFC 3339 time nor a date"),
        "e.g. COST_NOW=2026-09-30 (the start of that day, UTC) or COST_NOW=2026-09-30T12:00:00Z",
    ))
}

/// The first day of `--month YYYY-MM`, or of this month.
pub fn month_start(month: Option<&str>, today: jiff::civil::Date) -> Result<jiff::civil::Date> {
    match month {
        None => Ok(today.first_of_month()),
        Some(m) => format!("{}-01", m.trim()).parse::<jiff::civil::Date>().map_err(|_| {
            Error::usage_hint(
                format!("--month `{m}` is not a month"),
                "use YYYY-MM, e.g. --month 2026-10",
            )
        }),
    }
}
