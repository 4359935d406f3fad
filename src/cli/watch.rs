//! `cost watch`: keeps importing logs as they grow, and prints a line per budget, forecast,
//! anomaly or runaway alert, with a heartbeat of today's spend. The importing half
//! ([`Follower`], [`Waker`]) also runs behind `cost dashboard --watch`.

use super::Context;
use crate::analysis::watch::{self, Event};
use crate::error::{Error, Result};
use crate::import::{self, FileSummary, Options, Planned, Progress, Source};
use crate::store::Store;
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Keep importing logs as they grow; print budget, forecast, anomaly and runaway alerts
///
/// Imports the paths (files or directories, as `cost import` reads them) at start, then
/// whatever is written to them: a file that only grew is read from where it ended. Files are
/// watched with the system's file notifications, and checked every --interval anyway. One line
/// per event goes to stdout: a team passing the soft (80 %) or hard (100 %) limit of its
/// budget, its forecast passing the hard limit, a new anomaly (`cost anomalies`, last 30 days),
/// a new runaway run (`cost runs`, this month), and every --heartbeat today's spend and its
/// average per hour. At start the state as it is is reported once; after that, only changes.
/// --format json prints one `cost.watch/v1` object per line. Ctrl-C or SIGTERM stops it
/// (exit 0) with the store as it was after the last complete import; a second one stops it at
/// once.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cost watch ~/.claude/projects\n  cost watch /var/log/gateway/ --interval 1s --format json\n  cost watch logs/ --exec 'curl -s -d @- https://alerts.example/hook'"
)]
pub struct Args {
    /// Log files or directories to follow
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// How often the files are checked without a notification (e.g. 500ms, 2s, 1m)
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = parse_duration)]
    pub interval: Duration,
    /// How often today's spend is printed (0: never)
    #[arg(long, value_name = "DURATION", default_value = "1m", value_parser = parse_duration_or_zero)]
    pub heartbeat: Duration,
    /// A command (run by the shell) for each alert, with the alert as one line of JSON on its
    /// standard input; its output goes to stderr
    #[arg(long, value_name = "CMD")]
    pub exec: Option<String>,
    /// Log source [default: auto, sniffed per file]
    #[arg(long, value_name = "SOURCE", value_parser = super::import::source_names())]
    pub source: Option<String>,
    /// Team for records that name none (after [teams.*] api_keys/projects/tags)
    #[arg(long, value_name = "TEAM")]
    pub team: Option<String>,
    /// Check every --interval only, without file notifications
    #[arg(long)]
    pub poll: bool,
}

/// `500ms`, `2s`, `1m`, `1h` (a bare number is seconds), from 100 ms to a day.
pub fn parse_duration(s: &str) -> std::result::Result<Duration, String> {
    let d = parse_duration_or_zero(s)?;
    if d < Duration::from_millis(100) {
        return Err(format!("`{s}` is too short: at least 100ms"));
    }
    Ok(d)
}

fn parse_duration_or_zero(s: &str) -> std::result::Result<Duration, String> {
    let t = s.trim();
    let bad = || format!("`{s}` is not a duration: use e.g. 500ms, 2s, 1m or 1h");
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let n: f64 = number.parse().map_err(|_| bad())?;
    let seconds = match unit.trim() {
        "ms" => n / 1000.0,
        "" | "s" => n,
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        _ => return Err(bad()),
    };
    if !seconds.is_finite() || seconds > 86_400.0 {
        return Err(format!("`{s}` is too long: at most a day"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// Imports whatever is new under some paths, pass after pass.
pub struct Follower<'a> {
    ctx: &'a Context,
    paths: Vec<PathBuf>,
    source: Option<&'static dyn Source>,
    team: Option<String>,
    /// Files that are not usage logs or could not be read, as they were then (size, mtime):
    /// not looked at again until they change.
    passed: HashMap<String, (Option<u64>, Option<i64>)>,
    /// Notes given (each once).
    noted: HashSet<String>,
}

/// What one pass imported.
#[derive(Debug, Default)]
pub struct Pass {
    pub files: Vec<FileSummary>,
    /// Stopped part-way (its last transaction rolled back).
    pub interrupted: bool,
    /// Warnings for the person: paths gone, files unreadable, lines rejected.
    pub notes: Vec<String>,
}

impl Pass {
    /// Records stored or changed.
    pub fn changed(&self) -> bool {
        self.files.iter().any(|f| f.counts.imported + f.counts.replaced > 0)
    }
    pub fn imported(&self) -> u64 {
        self.files.iter().map(|f| f.counts.imported).sum()
    }
}

/// Checks the stop flag as an import goes.
struct Stop<'a>(&'a AtomicBool);

impl Progress for Stop<'_> {
    fn start(&self, _: &import::Input, _: &str) {}
    fn advance(&self, _: u64, _: u64) {}
    fn finish(&self) {}
    fn cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

impl<'a> Follower<'a> {
    /// Follows `paths`, which must exist (a directory may be empty for now).
    pub fn new(
        ctx: &'a Context,
        paths: &[PathBuf],
        source: Option<&str>,
        team: Option<String>,
    ) -> Result<Follower<'a>> {
        for p in paths {
            if p.as_os_str() == "-" {
                return Err(Error::usage_hint(
                    "standard input cannot be watched",
                    "pipe it to `cost import -` instead, or write it to a file and watch that",
                ));
            }
            std::fs::metadata(ctx.cwd.join(p)).map_err(|source| Error::Input {
                path: p.clone(),
                source,
            })?;
        }
        Ok(Follower {
            ctx,
            paths: paths.to_vec(),
            source: source.filter(|s| *s != "auto").and_then(import::source_named),
            team,
            passed: HashMap::new(),
            noted: HashSet::new(),
        })
    }

    /// The paths followed, as the file notifications need them.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.paths.iter().map(|p| self.ctx.cwd.join(p)).collect()
    }

    fn note(&mut self, notes: &mut Vec<String>, text: String) {
        if self.noted.insert(text.clone()) {
            notes.push(text);
        }
    }

    /// Imports what is new: files that appeared, and the new lines of files that grew.
    pub fn pass(&mut self, store: &Store, stop: &AtomicBool) -> Result<Pass> {
        let mut notes = Vec::new();
        let claude_only = self.source.is_some_and(|s| s.reads_directories());
        let mut inputs = Vec::new();
        for p in self.paths.clone() {
            match import::expand(std::slice::from_ref(&p), &self.ctx.cwd, claude_only) {
                Ok(found) => inputs.extend(found),
                // A directory with no logs yet is not worth a word; a path gone is, once.
                Err(e) if self.ctx.cwd.join(&p).is_dir() => drop(e),
                Err(e) => self.note(&mut notes, e.to_string()),
            }
        }
        inputs.retain(|i| self.passed.get(&i.display) != Some(&(i.size, i.mtime_ms)));
        let seen: HashMap<String, (Option<u64>, Option<i64>)> = inputs
            .iter()
            .map(|i| (i.display.clone(), (i.size, i.mtime_ms)))
            .collect();
        let plan: Vec<Planned> = inputs
            .into_iter()
            .map(|input| Planned {
                input,
                source: self.source,
                opened: None,
            })
            .collect();
        if plan.is_empty() {
            return Ok(Pass {
                notes,
                ..Pass::default()
            });
        }
        let ctx = self.ctx;
        let opts = Options {
            team: self.team.clone(),
            template: None,
            strict: false,
            dry_run: false,
            at_ms: None,
            attribution: import::AttributionPaths {
                team: ctx.config.attribution.team.clone(),
                template: ctx.config.attribution.template.clone(),
                template_version: ctx.config.attribution.template_version.clone(),
            },
            teams: &ctx.config.teams,
            prices: ctx.prices()?,
            now: watch::stamp(ctx.clock()),
            reread: false,
            update: false,
            user: None,
        };
        let run = import::import_all(store, plan, &opts, &Stop(stop), import::Batching::default())?;
        for path in &run.not_logs {
            if let Some(state) = seen.get(path) {
                self.passed.insert(path.clone(), *state);
            }
        }
        for f in &run.files {
            if let Some(e) = &f.error {
                if let Some(state) = seen.get(&f.path) {
                    self.passed.insert(f.path.clone(), *state);
                }
                self.note(&mut notes, format!("{}: could not be read: {e}", f.path));
            }
            if let Some(r) = f.rejects.first() {
                notes.push(format!(
                    "{}: {} {} rejected (line {}: {})",
                    f.path,
                    f.counts.rejected,
                    if f.counts.rejected == 1 { "line" } else { "lines" },
                    r.line,
                    r.reason
                ));
            }
        }
        Ok(Pass {
            files: run.files,
            interrupted: run.interrupted,
            notes,
        })
    }
}

/// Wakes the loop when a followed file changes, or when the interval is up.
pub struct Waker {
    rx: mpsc::Receiver<()>,
    _watcher: Option<notify::RecommendedWatcher>,
}

impl Waker {
    /// Notifications for `paths` (directories recursively; a file through its directory, so
    /// a rotated file is seen too), ignoring the store's own files under `store`. Without
    /// notifications (`poll`, or none to be had) the loop checks every interval; the second
    /// value says why, when notifications were wanted but are not there.
    pub fn new(paths: &[PathBuf], store: &Path, poll: bool) -> (Waker, Option<String>) {
        let (tx, rx) = mpsc::channel();
        if poll {
            return (Waker { rx, _watcher: None }, None);
        }
        let own = store.display().to_string();
        let handler = move |event: notify::Result<notify::Event>| {
            if let Ok(e) = event {
                let ours = !e.paths.is_empty() && e.paths.iter().all(|p| p.display().to_string().starts_with(&own));
                if !ours && !e.kind.is_access() {
                    let _ = tx.send(());
                }
            }
        };
        let mut watcher = match notify::recommended_watcher(handler) {
            Ok(w) => w,
            Err(e) => {
                return (
                    Waker { rx, _watcher: None },
                    Some(format!("no file notifications ({e})")),
                );
            }
        };
        use notify::Watcher as _;
        for p in paths {
            let (target, mode) = if p.is_dir() {
                (p.clone(), notify::RecursiveMode::Recursive)
            } else {
                (
                    p.parent()
                        .filter(|d| !d.as_os_str().is_empty())
                        .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
                    notify::RecursiveMode::NonRecursive,
                )
            };
            if let Err(e) = watcher.watch(&target, mode) {
                return (
                    Waker { rx, _watcher: None },
                    Some(format!("no file notifications for {} ({e})", target.display())),
                );
            }
        }
        (
            Waker {
                rx,
                _watcher: Some(watcher),
            },
            None,
        )
    }

    /// Returns when a followed file changed (after a short pause that lets a burst of writes
    /// land), when `interval` is up, or soon after `stop` is set.
    pub fn wait(&self, interval: Duration, stop: &AtomicBool) {
        let deadline = Instant::now() + interval;
        loop {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            let slice = left.min(Duration::from_millis(100));
            match self.rx.recv_timeout(slice) {
                Ok(()) => {
                    std::thread::sleep(Duration::from_millis(50));
                    while self.rx.try_recv().is_ok() {}
                    return;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                // No notifications: wait the interval out.
                Err(mpsc::RecvTimeoutError::Disconnected) => std::thread::sleep(slice),
            }
        }
    }
}

/// The signals that stop `cost watch` (a second one ends it at once, exit 130).
#[cfg(unix)]
const STOP_SIGNALS: &[std::ffi::c_int] = &[
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
];
#[cfg(not(unix))]
const STOP_SIGNALS: &[std::ffi::c_int] = &[signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM];

/// A command started for an alert.
struct Running {
    child: std::process::Child,
    kind: &'static str,
}

pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode> {
    let json = match ctx.style.format {
        crate::output::Format::Table => false,
        crate::output::Format::Json => true,
        _ => {
            return Err(Error::usage_hint(
                "`cost watch` prints lines of text, or JSON lines with --format json",
                "use --format json for alerting pipelines",
            ));
        }
    };
    let mut follower = Follower::new(ctx, &args.paths, args.source.as_deref(), args.team.clone())?;
    let db = ctx.store_path();
    let store = Store::open(&db)?;
    let io = |source: std::io::Error| Error::Io {
        path: "<signals>".into(),
        source,
    };
    let stop = Arc::new(AtomicBool::new(false));
    for &signal in STOP_SIGNALS {
        signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&stop)).map_err(io)?;
        signal_hook::flag::register(signal, Arc::clone(&stop)).map_err(io)?;
    }
    let (waker, why) = Waker::new(&follower.paths(), &db, args.poll);
    if let Some(why) = why {
        ctx.hint(&format!("note: {why}: checking every {:?}", args.interval));
    }
    ctx.hint(&format!(
        "watching {} into {}; Ctrl-C stops",
        args.paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        db.display()
    ));
    let mut alerts = watch::Watcher::default();
    let mut last_beat: Option<Instant> = None;
    let mut last_day = None;
    let mut running: Vec<Running> = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let pass = follower.pass(&store, &stop)?;
        if pass.interrupted {
            break;
        }
        for n in &pass.notes {
            ctx.hint(&format!("warning: {n}"));
        }
        if ctx.style.verbose && pass.imported() > 0 {
            ctx.hint(&format!(
                "imported {} records from {} files",
                pass.imported(),
                pass.files.iter().filter(|f| f.counts.imported > 0).count()
            ));
        }
        let now = ctx.clock();
        let day = watch::stamp(now)[..10].to_string();
        let changed = last_day.is_none() || pass.changed() || last_day.as_ref() != Some(&day);
        let beat = !args.heartbeat.is_zero() && last_beat.is_none_or(|t| t.elapsed() >= args.heartbeat);
        if changed || beat {
            let params = watch::Params {
                now,
                days_per_month: ctx.config.days_per_month.to_f64(),
            };
            let snap = watch::snapshot(&store, &ctx.config, &params)?;
            let mut events = if changed { alerts.alerts(&snap, now) } else { Vec::new() };
            if beat {
                events.push(watch::heartbeat(&snap, now));
                last_beat = Some(Instant::now());
            }
            for e in &events {
                print(e, json)?;
                if let (true, Some(cmd)) = (e.is_alert(), &args.exec) {
                    match exec(cmd, e) {
                        Ok(child) => running.push(Running { child, kind: e.kind() }),
                        Err(err) => ctx.hint(&format!("warning: --exec could not start `{cmd}`: {err}")),
                    }
                }
            }
        }
        last_day = Some(day);
        reap(ctx, &mut running, false);
        waker.wait(args.interval, &stop);
    }
    // Commands started for the last alerts get a moment to finish.
    let until = Instant::now() + Duration::from_secs(5);
    while !running.is_empty() && Instant::now() < until {
        reap(ctx, &mut running, false);
        std::thread::sleep(Duration::from_millis(50));
    }
    reap(ctx, &mut running, true);
    Ok(ExitCode::SUCCESS)
}

/// Writes an event to stdout: `TIME  KIND  message`, or its JSON.
fn print(e: &Event, json: bool) -> Result<()> {
    let line = if json {
        serde_json::to_string(e).map_err(|err| Error::Io {
            path: "<stdout>".into(),
            source: std::io::Error::other(err),
        })?
    } else {
        crate::output::watch_line(e)
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "{line}")
        .and_then(|_| out.flush())
        .map_err(|source| Error::Io {
            path: "<stdout>".into(),
            source,
        })
}

/// Starts `cmd` in the shell with the alert as JSON on its stdin.
fn exec(cmd: &str, e: &Event) -> std::io::Result<std::process::Child> {
    #[cfg(unix)]
    let mut command = {
        let mut c = std::process::Command::new("sh");
        c.arg("-c").arg(cmd);
        c
    };
    #[cfg(not(unix))]
    let mut command = {
        let mut c = std::process::Command::new("cmd");
        c.arg("/C").arg(cmd);
        c
    };
    let mut child = command
        .env("COST_WATCH_EVENT", e.kind())
        .stdin(std::process::Stdio::piped())
        .stdout(std::io::stderr())
        .spawn()?;
    let line = serde_json::to_string(e).map_err(std::io::Error::other)? + "\n";
    if let Some(mut stdin) = child.stdin.take() {
        // A command that does not read its input is not an error.
        let _ = stdin.write_all(line.as_bytes());
    }
    Ok(child)
}

/// Collects finished `--exec` commands, warning about failures; `all`: stop waiting for the
/// rest (they are left running).
fn reap(ctx: &Context, running: &mut Vec<Running>, all: bool) {
    running.retain_mut(|r| match r.child.try_wait() {
        Ok(Some(status)) => {
            if !status.success() {
                ctx.hint(&format!(
                    "warning: the --exec command for a {} alert exited with {status}",
                    r.kind
                ));
            }
            false
        }
        Ok(None) => !all,
        Err(_) => false,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("1.5m"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("3"), Ok(Duration::from_secs(3)));
        assert_eq!(parse_duration_or_zero("0"), Ok(Duration::ZERO));
        assert_eq!(
            parse_duration("50ms"),
            Err("`50ms` is too short: at least 100ms".to_string())
        );
        assert_eq!(
            parse_duration("2 weeks"),
            Err("`2 weeks` is not a duration: use e.g. 500ms, 2s, 1m or 1h".to_string())
        );
        assert_eq!(
            parse_duration("25h"),
            Err("`25h` is too long: at most a day".to_string())
        );
    }
}
