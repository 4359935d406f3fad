//! `cost dashboard`: the full-screen view of the store, or one view as text (`--snapshot`).

use super::Context;
use crate::error::{Error, Result};
use crate::tui::app::{App, View};
use crate::tui::keymap::Key;
use crate::tui::{self, Loader, ScriptedEvents, TerminalEvents, Timings, views::Theme};
use ratatui::Terminal;
use ratatui::backend::{CrosstermBackend, TestBackend};
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

/// A terminal dashboard: spend, teams, templates, models, cache, budgets, commitments, anomalies, runs
///
/// Views: 1 Overview, 2 Teams (Enter drills into a team: by template, model or tag, deeper
/// with Enter, d for the next breakdown), 3 Templates (cost per call by day with change points,
/// tokens per call, model mix), 4 Models, 5 Cache (d: by team), 6 Budgets, 7 Commitments,
/// 8 Anomalies (Enter opens the team, template or model), 9 Runs (cost per run by template,
/// runaway runs; Enter shows a run's calls). Keys: Tab next view, j/k move, / filter, s sort,
/// o open in its view, [ ] month, r re-read the store, ? help, q quit. The store is opened
/// read-only, so `cost import` can run meanwhile (press r to see its rows). With --watch PATH…
/// the dashboard imports those logs as they grow (as `cost watch` does) and reads the store
/// again after each import. Figures are the ones `cost report`, `budget`, `cache`, `anomalies`, `showback` and `runs` print.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cost dashboard\n  cost dashboard --watch ~/.claude/projects\n  cost dashboard --db team.db --month 2026-10\n  cost dashboard --snapshot budgets --size 100x30\n  cost dashboard --snapshot teams --keys 'enter'"
)]
pub struct Args {
    /// The month to open [default: this month, to date]
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<String>,
    /// Print one view as text and exit (no terminal needed)
    #[arg(long, value_name = "VIEW", value_parser = View::ALL.map(|v| v.name()))]
    pub snapshot: Option<String>,
    /// Size of the --snapshot text, COLUMNSxROWS
    #[arg(long, value_name = "WxH", default_value = "120x40", value_parser = parse_size, requires = "snapshot")]
    pub size: (u16, u16),
    /// Keys to press before the --snapshot is taken, space-separated (j, k, enter, esc, tab,
    /// s, /, [, ], …; e.g. 'j j enter')
    #[arg(long, value_name = "KEYS", value_parser = parse_keys, requires = "snapshot")]
    pub keys: Option<KeyScript>,
    /// Import these log files or directories as they grow, and refresh (with --snapshot:
    /// import them once first)
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub watch: Vec<std::path::PathBuf>,
    /// How often --watch checks the files without a notification
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = super::watch::parse_duration, requires = "watch")]
    pub interval: std::time::Duration,
}

/// The keys of `--keys`, in order.
#[derive(Debug, Clone)]
pub struct KeyScript(pub Vec<Key>);

fn parse_size(s: &str) -> std::result::Result<(u16, u16), String> {
    let bad = || format!("`{s}` is not a size: use COLUMNSxROWS, e.g. 80x24");
    let (w, h) = s.split_once(['x', 'X']).ok_or_else(bad)?;
    let (w, h): (u16, u16) = (
        w.trim().parse().map_err(|_| bad())?,
        h.trim().parse().map_err(|_| bad())?,
    );
    if w < 40 || h < 6 {
        return Err(format!("{w}x{h} is too small: the dashboard needs at least 40x6"));
    }
    if w > 1000 || h > 1000 {
        return Err(format!("{w}x{h} is too large: at most 1000x1000"));
    }
    Ok((w, h))
}

fn parse_keys(s: &str) -> std::result::Result<KeyScript, String> {
    s.split_whitespace()
        .map(|k| {
            Key::parse(k).ok_or_else(|| {
                format!("unknown key `{k}`: use one character, or enter, esc, tab, backtab, up, down, pgup, pgdn, home, end, backspace, space")
            })
        })
        .collect::<std::result::Result<Vec<_>, _>>()
        .map(KeyScript)
}

pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode> {
    let started = Instant::now();
    let today = ctx.today();
    let month = super::month_start(args.month.as_deref(), today)?;
    if month > today {
        return Err(Error::usage_hint(
            format!("{} has not started yet", &month.to_string()[..7]),
            "pick this month or one before it",
        ));
    }
    if ctx.style.format != crate::output::Format::Table {
        return Err(Error::usage_hint(
            "`cost dashboard` draws tables only: --format does not apply",
            "for JSON or CSV use the commands behind each view: `cost report --by team --format json`, `cost budget`, `cost cache`, `cost anomalies`, `cost showback`",
        ));
    }
    let mut follower = match args.watch.as_slice() {
        [] => None,
        paths => Some(super::watch::Follower::new(ctx, paths, None, None)?),
    };
    let mut app = App::new(today, month);
    let mut timings = Timings::new(started);
    // The number of a signal that asked the dashboard to stop (0: none).
    let stop = Arc::new(AtomicUsize::new(0));
    let io = |source: std::io::Error| Error::Io {
        path: "<terminal>".into(),
        source,
    };

    if let Some(view) = &args.snapshot {
        if let Some(f) = follower.as_mut() {
            let store = crate::store::Store::open(&ctx.store_path())?;
            let pass = f.pass(&store, &AtomicBool::new(false))?;
            for n in &pass.notes {
                ctx.hint(&format!("warning: {n}"));
            }
        }
        app.view = View::parse(view).unwrap_or(View::Overview);
        let (w, h) = args.size;
        let mut terminal = Terminal::new(TestBackend::new(w, h)).map_err(io)?;
        let mut events = ScriptedEvents(args.keys.clone().map(|k| k.0).unwrap_or_default().into());
        std::thread::scope(|scope| {
            let loader = Loader::spawn(scope, ctx);
            tui::run_loop(
                &mut terminal,
                &mut app,
                Theme { color: false },
                &mut events,
                &loader,
                &stop,
                &mut timings,
            )
        })
        .map_err(io)?;
        let text = tui::buffer_text(terminal.backend().buffer());
        print!("{text}");
        if let Some(e) = &app.error {
            return Err(Error::usage(e.clone()));
        }
        return Ok(ExitCode::SUCCESS);
    }

    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Error::usage_hint(
            "`cost dashboard` needs a terminal",
            "for text, use `cost dashboard --snapshot overview` (or `cost report`, `cost budget`, …)",
        ));
    }
    for &signal in STOP_SIGNALS {
        signal_hook::flag::register_usize(signal, Arc::clone(&stop), signal as usize).map_err(io)?;
    }
    tui::terminal::install_panic_hook();
    let done = Arc::new(AtomicBool::new(false));
    watchdog(Arc::clone(&stop), Arc::clone(&done));
    tui::terminal::enter().map_err(io)?;
    let guard = tui::terminal::Guard;
    // Notes (an old price table, a store read upgraded) would write over the screen.
    ctx.silence_notes(true);
    // `--color` and NO_COLOR, as for every command (stdout is a terminal here).
    let color = ctx.style.color;
    let background = Background::default();
    let result = (|| {
        let mut terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
        terminal.clear()?;
        std::thread::scope(|scope| {
            let loader = Loader::spawn(scope, ctx);
            if let Some(f) = follower.take() {
                let (refresh, background) = (Arc::clone(&loader.refresh), &background);
                scope.spawn(move || background.follow(ctx, f, args.interval, &refresh));
            }
            let result = tui::run_loop(
                &mut terminal,
                &mut app,
                Theme { color },
                &mut TerminalEvents,
                &loader,
                &stop,
                &mut timings,
            );
            background.quit.store(true, Ordering::Relaxed);
            result
        })
    })();
    done.store(true, Ordering::Relaxed);
    drop(guard);
    ctx.silence_notes(false);
    result.map_err(io)?;
    // What the background import had to say while the screen was the dashboard's.
    let (notes, failed) = background.outcome();
    for n in notes {
        ctx.hint(&format!("warning: {n}"));
    }
    if let Some(e) = failed {
        return Err(e);
    }
    if crate::timing::enabled() {
        eprintln!("{}", timings.summary());
    }
    // Stopped by a signal: the terminal is back; exit as the shell expects (128 + number).
    Ok(match stop.load(Ordering::Relaxed) {
        0 => ExitCode::SUCCESS,
        n => ExitCode::from((128 + n.min(127)) as u8),
    })
}

/// `--watch`: the import loop behind the dashboard, and what it could not show on screen.
#[derive(Default)]
struct Background {
    quit: AtomicBool,
    notes: std::sync::Mutex<Vec<String>>,
    failed: std::sync::Mutex<Option<Error>>,
}

impl Background {
    /// Imports what is new, again and again until `quit`, asking the dashboard to read the
    /// store again after each import that stored something.
    fn follow(
        &self,
        ctx: &crate::app::Context,
        mut f: super::watch::Follower,
        interval: std::time::Duration,
        refresh: &AtomicBool,
    ) {
        let db = ctx.store_path();
        let mut run = || -> Result<()> {
            let store = crate::store::Store::open(&db)?;
            let (waker, _) = super::watch::Waker::new(&f.paths(), &db, false);
            while !self.quit.load(Ordering::Relaxed) {
                let pass = f.pass(&store, &self.quit)?;
                if let Ok(mut n) = self.notes.lock() {
                    n.extend(pass.notes.iter().cloned());
                }
                if pass.changed() {
                    refresh.store(true, Ordering::Relaxed);
                }
                waker.wait(interval, &self.quit);
            }
            Ok(())
        };
        if let Err(e) = run()
            && let Ok(mut failed) = self.failed.lock()
        {
            *failed = Some(e);
        }
    }

    fn outcome(&self) -> (Vec<String>, Option<Error>) {
        (
            self.notes
                .lock()
                .map(|mut n| std::mem::take(&mut *n))
                .unwrap_or_default(),
            self.failed.lock().ok().and_then(|mut f| f.take()),
        )
    }
}

/// The signals that end the dashboard, each exiting with 128 + its number.
#[cfg(unix)]
const STOP_SIGNALS: &[std::ffi::c_int] = &[
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
];
/// Windows has no SIGHUP: a closed console ends the process itself.
#[cfg(not(unix))]
const STOP_SIGNALS: &[std::ffi::c_int] = &[signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT];

/// The number exited with (128 + it) when the terminal vanished: SIGHUP's, which is 1 where
/// the signal does not exist.
#[cfg(unix)]
const HANGUP: usize = signal_hook::consts::SIGHUP as usize;
#[cfg(not(unix))]
const HANGUP: usize = 1;

/// Makes sure the dashboard ends when its terminal does. A signal normally stops the event
/// loop within 100 ms; but when the terminal is closed under it (a killed tmux, a dropped SSH
/// session) the terminal library can spin on end-of-file without returning. So: once a signal
/// has been left unanswered for a second, or stdin is no longer a terminal, restore what can be
/// restored and exit with 128 + the signal (SIGHUP when the terminal vanished).
fn watchdog(stop: Arc<AtomicUsize>, done: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        let mut waited = 0;
        loop {
            std::thread::sleep(std::time::Duration::from_millis(250));
            if done.load(Ordering::Relaxed) {
                return;
            }
            let signal = stop.load(Ordering::Relaxed);
            let gone = !std::io::stdin().is_terminal();
            if signal != 0 {
                waited += 1;
            }
            if gone || waited >= 4 {
                crate::tui::terminal::restore();
                let n = if signal != 0 { signal } else { HANGUP };
                std::process::exit(128 + n.min(127) as i32);
            }
        }
    });
}
