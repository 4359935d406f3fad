//! `cost dashboard`: state ([`app`]), the keymap as data ([`keymap`]), the month's figures
//! ([`data`]), drawing ([`views`], one file per view, from the building blocks in
//! [`widgets`]), and here the event loop (generic over ratatui's `Backend`, so tests drive it
//! on a `TestBackend`), the loader thread, and the terminal guard that restores the screen on
//! quit, Ctrl-C, SIGTERM and panic.

pub mod app;
pub mod data;
pub mod keymap;
pub mod views;
pub mod widgets;

use app::{App, Effect, Loaded, update};
use data::Window;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, Instant};

/// What the terminal said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Key(keymap::Key),
    /// The window changed size: draw again.
    Resize,
}

/// Where events come from: the terminal, or a script of keys in tests.
pub trait Events {
    /// The next input within `timeout`, `None` if there was none. `ready` says whether the
    /// month's data has landed (a script waits for it). `Err` ends the loop.
    fn next(&mut self, timeout: Duration, ready: bool) -> std::io::Result<Option<Input>>;
}

/// Frame timings, printed with `COST_TIMINGS=1` (the README's dashboard benchmark).
#[derive(Debug)]
pub struct Timings {
    /// When the command started.
    pub started: Instant,
    /// From start to the first frame that shows the month's figures.
    pub first_data_frame: Option<Duration>,
    pub first_frame: Option<Duration>,
    /// Key press to the frame drawn after it.
    pub key_to_frame: Vec<Duration>,
    /// A month change or refresh (`[`, `]`, `r`) to the frame showing its figures.
    pub reload_to_figures: Vec<Duration>,
    pub rss_after_first: Option<u64>,
}

impl Timings {
    pub fn new(started: Instant) -> Timings {
        Timings {
            started,
            first_data_frame: None,
            first_frame: None,
            key_to_frame: Vec::new(),
            reload_to_figures: Vec::new(),
            rss_after_first: None,
        }
    }

    pub fn summary(&self) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let mut k: Vec<f64> = self.key_to_frame.iter().map(|d| ms(*d)).collect();
        k.sort_by(f64::total_cmp);
        let median = k.get(k.len() / 2).copied().unwrap_or(0.0);
        let max = k.last().copied().unwrap_or(0.0);
        let mut r: Vec<f64> = self.reload_to_figures.iter().map(|d| ms(*d)).collect();
        r.sort_by(f64::total_cmp);
        format!(
            "dashboard timings: first frame {:.1} ms, first frame with figures {:.1} ms, key→frame median {:.2} ms max {:.2} ms over {} keys, month change→figures median {:.1} ms max {:.1} ms over {}, RSS {} MB after the first figures, {} MB at exit",
            self.first_frame.map(ms).unwrap_or(0.0),
            self.first_data_frame.map(ms).unwrap_or(0.0),
            median,
            max,
            k.len(),
            r.get(r.len() / 2).copied().unwrap_or(0.0),
            r.last().copied().unwrap_or(0.0),
            r.len(),
            self.rss_after_first.unwrap_or(0) / 1024,
            rss_kb().unwrap_or(0) / 1024
        )
    }
}

/// Resident memory in KiB (Linux; `None` elsewhere).
pub fn rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs the dashboard until quit: keys become actions through the keymap, `update` changes
/// the state, data requests go to the loader, and a frame is drawn after every change.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    theme: views::Theme,
    events: &mut dyn Events,
    loader: &Loader,
    stop: &AtomicUsize,
    timings: &mut Timings,
) -> std::io::Result<()> {
    let started = timings.started;
    if let Effect::Load(window) = app.start() {
        loader.request(window, app.generation);
    }
    let mut dirty = true;
    let mut pending_key: Option<Instant> = None;
    let mut pending_load: Option<Instant> = None;
    loop {
        while let Ok(msg) = loader.rx.try_recv() {
            app.receive(msg);
            dirty = true;
        }
        // New rows were imported behind the dashboard (`--watch`): read the store again, as `r`.
        if !app.loading() && loader.refresh.swap(false, Ordering::Relaxed) {
            if let Effect::Load(window) = update(app, app::Action::Refresh) {
                loader.request(window, app.generation);
            }
            dirty = true;
        }
        if dirty {
            terminal.draw(|f| views::draw(f, app, theme))?;
            dirty = false;
            let now = started.elapsed();
            timings.first_frame.get_or_insert(now);
            if app.data.is_some() && timings.first_data_frame.is_none() {
                timings.first_data_frame = Some(now);
                timings.rss_after_first = rss_kb();
            }
            if let Some(t) = pending_key.take() {
                timings.key_to_frame.push(t.elapsed());
            }
            if app.data.is_some() {
                if let Some(t) = pending_load.take() {
                    timings.reload_to_figures.push(t.elapsed());
                }
            }
        }
        if app.quit || stop.load(Ordering::Relaxed) != 0 {
            return Ok(());
        }
        // Poll briefly while data is on its way, so it shows as soon as it lands.
        let key = match events.next(
            Duration::from_millis(if app.loading() { 15 } else { 100 }),
            !app.loading(),
        )? {
            None => continue,
            Some(Input::Resize) => {
                dirty = true;
                continue;
            }
            Some(Input::Key(k)) => k,
        };
        let Some(action) = keymap::lookup(app.mode, key) else {
            continue;
        };
        pending_key = Some(Instant::now());
        match update(app, action) {
            Effect::Load(window) => {
                // A month change clears the screen's figures; time until they are back.
                if app.data.is_none() {
                    pending_load = Some(Instant::now());
                }
                loader.request(window, app.generation)
            }
            Effect::LoadRun(window, session) => loader.request_run(window, session),
            Effect::Quit => return Ok(()),
            Effect::None => {}
        }
        dirty = true;
    }
}

/// What the loader is asked for: a month, or one run's calls in a month.
enum Request {
    Month(Window, u64),
    Run(Window, String),
}

/// The loader: a thread that reads months from the store and sends them back in two parts
/// (spend first, then the slower analyses), so the first frame never waits for the rest; and
/// a run's calls when one is opened.
pub struct Loader {
    tx: Sender<Request>,
    pub rx: Receiver<Loaded>,
    /// Set from outside (`cost dashboard --watch`, after an import): read the store again.
    pub refresh: Arc<AtomicBool>,
}

impl Loader {
    pub fn request(&self, window: Window, generation: u64) {
        let _ = self.tx.send(Request::Month(window, generation));
    }

    pub fn request_run(&self, window: Window, session: String) {
        let _ = self.tx.send(Request::Run(window, session));
    }
}

impl Loader {
    /// Serves requests on a scoped thread until the loader is dropped.
    pub fn spawn<'s>(scope: &'s std::thread::Scope<'s, '_>, ctx: &'s crate::app::Context) -> Loader {
        let (tx, requests) = std::sync::mpsc::channel::<Request>();
        let (answers, rx) = std::sync::mpsc::channel();
        let serve = move || {
            while let Ok(first) = requests.recv() {
                // Only the newest month matters (a burst of `[` presses), and the newest run.
                let (mut month, mut run) = (None, None);
                for job in std::iter::once(first).chain(requests.try_iter()) {
                    match job {
                        Request::Month(w, g) => month = Some((w, g)),
                        Request::Run(w, s) => run = Some((w, s)),
                    }
                }
                if let Some((window, generation)) = month
                    && !serve_month(ctx, window, generation, &answers)
                {
                    return;
                }
                if let Some((window, session)) = run {
                    let calls = guarded(|| data::load_run(ctx, window, &session)).map_err(|e| message(&e));
                    let msg = Loaded::Run { window, session, calls };
                    if answers.send(msg).is_err() {
                        return;
                    }
                }
            }
        };
        std::thread::Builder::new()
            .name(LOADER_THREAD.into())
            .spawn_scoped(scope, serve)
            .expect("the dashboard cannot start a thread");
        Loader {
            tx,
            rx,
            refresh: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// An error as the screen shows it, with its hint.
fn message(e: &crate::error::Error) -> String {
    match e.hint() {
        Some(h) => format!("{e} ({h})"),
        None => e.to_string(),
    }
}

/// Reads a month and sends it in its two parts; `false` when the dashboard is gone.
fn serve_month(ctx: &crate::app::Context, window: Window, generation: u64, answers: &Sender<Loaded>) -> bool {
    let failed = |e: crate::error::Error| Loaded::Failed {
        generation,
        message: message(&e),
    };
    let msg = match guarded(|| data::load_core(ctx, window)) {
        Ok((core, empty_store)) => Loaded::Core {
            generation,
            core: Box::new(core),
            empty_store,
            store_exists: ctx.store_path().exists(),
            store_path: ctx.show_path(&ctx.store_path()),
        },
        Err(e) => failed(e),
    };
    let ok = matches!(msg, Loaded::Core { .. });
    if answers.send(msg).is_err() {
        return false;
    }
    if ok {
        let msg = match guarded(|| data::load_analyses(ctx, window)) {
            Ok(a) => Loaded::Analyses {
                generation,
                analyses: Box::new(a),
            },
            Err(e) => failed(e),
        };
        if answers.send(msg).is_err() {
            return false;
        }
    }
    true
}

/// The loader thread's name: the panic hook leaves the screen alone for it (its panics are
/// caught and shown on screen as an error instead).
pub const LOADER_THREAD: &str = "cost-loader";

/// Runs a load, turning a panic into an error the screen can show.
fn guarded<T>(f: impl FnOnce() -> crate::error::Result<T>) -> crate::error::Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Err(crate::error::Error::usage_hint(
            format!("internal error while reading the store: {what}"),
            "this is a bug in cost: please report it with the command you ran",
        ))
    })
}

/// Renders one screen to text (for `--snapshot`, the README and tests): the buffer's rows
/// with trailing blanks trimmed.
pub fn buffer_text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut line = String::new();
        let mut skip = 0;
        for x in area.left()..area.right() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buf[(x, y)].symbol();
            line.push_str(symbol);
            skip = unicode_width(symbol).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn unicode_width(s: &str) -> usize {
    use ratatui::text::Span;
    Span::raw(s).width().max(1)
}

/// Renders a view at a size after replaying `keys`, with all of the month's data loaded.
pub fn snapshot(app: &mut App, width: u16, height: u16) -> String {
    let area = Rect::new(0, 0, width, height);
    let mut buf = Buffer::empty(area);
    views::render(app, views::Theme { color: false }, area, &mut buf);
    buffer_text(&buf)
}

/// Puts the terminal into the dashboard's mode and back, whatever way the dashboard ends.
pub mod terminal {
    use crossterm::{cursor, execute, terminal};
    use std::io::Write;

    pub fn enter() -> std::io::Result<()> {
        terminal::enable_raw_mode()?;
        execute!(std::io::stdout(), terminal::EnterAlternateScreen, cursor::Hide)
    }

    /// Safe to call more than once.
    pub fn restore() {
        let _ = terminal::disable_raw_mode();
        let mut out = std::io::stdout();
        let _ = execute!(out, terminal::LeaveAlternateScreen, cursor::Show);
        let _ = out.flush();
    }

    /// Restores the terminal before a panic message is printed.
    pub fn install_panic_hook() {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // The loader's panics are caught and shown in the dashboard; any other panic
            // ends it, so the terminal comes back first.
            if std::thread::current().name() == Some(super::LOADER_THREAD) {
                return;
            }
            restore();
            previous(info);
        }));
    }

    /// Restores on drop (an error or early return from the loop).
    pub struct Guard;

    impl Drop for Guard {
        fn drop(&mut self) {
            restore();
        }
    }
}

/// Keys from the real terminal.
pub struct TerminalEvents;

impl Events for TerminalEvents {
    fn next(&mut self, timeout: Duration, _ready: bool) -> std::io::Result<Option<Input>> {
        use crossterm::event::{self, Event};
        if !event::poll(timeout)? {
            return Ok(None);
        }
        match event::read()? {
            Event::Key(k) => Ok(keymap::Key::from_event(&k).map(Input::Key)),
            Event::Resize(..) => Ok(Some(Input::Resize)),
            _ => Ok(None),
        }
    }
}

/// A fixed list of keys, each sent once the data has landed, then Ctrl-C, which quits in every
/// mode (a script may end with the filter prompt open) (tests, `--keys`).
pub struct ScriptedEvents(pub std::collections::VecDeque<keymap::Key>);

impl Events for ScriptedEvents {
    fn next(&mut self, timeout: Duration, ready: bool) -> std::io::Result<Option<Input>> {
        if !ready {
            std::thread::sleep(timeout);
            return Ok(None);
        }
        Ok(Some(Input::Key(self.0.pop_front().unwrap_or(keymap::Key::Ctrl('c')))))
    }
}

#[cfg(test)]
mod tests {
    use super::app::{Action, View, update};

    /// Every view, drill-down and overlay draws at every size from 40×6 up without a panic,
    /// and never writes past the edge.
    #[test]
    fn every_view_draws_at_every_size() {
        let mut app = super::app::tests::app();
        for keys in [
            vec![],
            vec![Action::Show(View::Teams), Action::Enter],
            vec![Action::Help],
        ] {
            for k in keys {
                update(&mut app, k);
            }
            for view in View::ALL {
                if app.drill.is_none() {
                    app.view = view;
                }
                for w in [40, 41, 55, 64, 80, 100, 120, 160, 200] {
                    for h in [6, 7, 8, 10, 11, 12, 14, 15, 18, 24, 30, 48] {
                        let text = super::snapshot(&mut app, w, h);
                        assert_eq!(text.lines().count(), h as usize, "{view:?} {w}x{h}");
                        let footer = text.lines().last().unwrap_or_default();
                        assert!(
                            footer.ends_with("quit") || footer.contains("help"),
                            "{view:?} {w}x{h}: the footer is drawn over:\n{text}"
                        );
                        assert!(
                            text.lines()
                                .all(|l| unicode_width::UnicodeWidthStr::width(l) <= w as usize),
                            "{view:?} {w}x{h}"
                        );
                    }
                }
            }
        }
        // Below the minimum: a message, not a crash.
        assert!(super::snapshot(&mut app, 30, 5).contains("too small"));
    }
}
