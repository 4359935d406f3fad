//! The reader side of an import: one file opened, sniffed, parsed, priced and sent to the
//! writer as items, on one of the reader threads.

use super::*;

/// The earlier import of `input` to continue from, when the file only grew since: its row, its
/// source, and where it ended.
pub(super) fn grew(input: &Input, before: ImportedFile) -> Option<(i64, &'static dyn Source, ResumeMark)> {
    let mark = before.mark?;
    let source = source_named(&before.source)?;
    let path = input.path.as_ref()?;
    resume::still_grows_from(path, input.size?, &mark).then_some((before.id, source, mark))
}

/// Reads one file on the reader thread, sending its items in batches (all the items read
/// before an error too). Returns what it learnt, and `false` if the writer hung up.
///
/// Where a plain file's reader starts: at byte `offset`, after `line` lines. Line numbers
/// continue from there, and a last line without its line end that does not read as a record is
/// left for the next import. When the reader goes to the file's end (`to_end`: not a part
/// that another follows), the end of its last complete line is marked for the next import.
#[derive(Debug, Clone, Copy)]
struct Track {
    offset: u64,
    line: u64,
    to_end: bool,
}

fn read_file(
    input: &Input,
    mut reader: Reader,
    source: &'static dyn Source,
    opts: &Options,
    pricer: &mut Pricer,
    sender: &std::sync::mpsc::SyncSender<Msg>,
    track: Option<Track>,
) -> (FileEnd, bool) {
    let display_path = PathBuf::from(&input.display);
    let mut ctx = FileCtx {
        path: &display_path,
        fallback_time_ms: opts.at_ms.or(input.mtime_ms),
        attribution: &opts.attribution,
        warnings: BTreeMap::new(),
    };
    let mut batch: Vec<Item> = Vec::with_capacity(BATCH);
    let mut used_fallback = false;
    let mut open = true;
    let mut repaired = 0u64;
    let mut held: Option<u64> = None;
    let (base_offset, base_line) = track.map_or((0, 0), |t| (t.offset, t.line));
    let mut tracked = resume::Tracked::new(&mut reader);
    let position = tracked.position.clone();
    lenient::take_repairs();
    let mut emit = |mut p: Parsed| -> bool {
        if track.is_some() {
            p.line += base_line;
            // The last line, still being written: not a reject yet.
            if position.get().in_unfinished_line() && matches!(p.outcome, Outcome::Rejected(_)) {
                held = Some(p.line);
                lenient::take_repairs();
                return true;
            }
        }
        // The line was parsed on this thread just before it is emitted.
        let repairs = lenient::take_repairs();
        if repairs > 0 && matches!(p.outcome, Outcome::Record(_)) {
            repaired += 1;
        }
        let item = match p.outcome {
            Outcome::Record(rec) => match check_counts(&rec) {
                Ok(()) => {
                    used_fallback |= source.name() == "anthropic-messages";
                    let row = prepare(*rec, source.name(), p.line, pricer, opts);
                    match check_cost(&row) {
                        Ok(()) => Item::Row(Box::new(row)),
                        Err(reason) => Item::Rejected {
                            line: p.line,
                            reason,
                            excerpt: None,
                        },
                    }
                }
                Err(reason) => Item::Rejected {
                    line: p.line,
                    reason,
                    excerpt: None,
                },
            },
            Outcome::Skipped(_) => Item::Skipped,
            // Excerpts and reasons quote the line: no secret or prompt text may reach the store.
            Outcome::Rejected(reason) => Item::Rejected {
                line: p.line,
                reason: scrub::text(&reason),
                excerpt: p.excerpt.as_deref().map(scrub::text),
            },
        };
        batch.push(item);
        if batch.len() >= BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            if sender.send(Msg::Items(full)).is_err() {
                open = false;
                return false;
            }
        }
        true
    };
    let result = source.read(&mut tracked, &mut ctx, &mut emit);
    if open && !batch.is_empty() {
        open = sender.send(Msg::Items(batch)).is_ok();
    }
    let pos = position.get();
    let mark = match (track, &input.path, &result) {
        (Some(t), Some(path), Ok(())) if t.to_end && base_offset + pos.line_end > 0 => {
            let offset = base_offset + pos.line_end;
            resume::fingerprint(path, offset).ok().map(|hash| ResumeMark {
                offset,
                line: base_line + pos.newlines,
                hash,
            })
        }
        _ => None,
    };
    let end = FileEnd {
        warnings: ctx.warnings,
        used_fallback,
        repaired,
        error: result.err(),
        mark,
        newlines: pos.newlines,
        held,
    };
    (end, open)
}

/// Reads planned file `index` on a reader thread and sends what it found to the writer, in
/// order: `Start`, `Items`…, `End`, or `Failed` or `NotALog` alone. `false` if the writer hung up.
pub(super) fn read_one(
    index: usize,
    planned: Planned,
    before: Option<ImportedFile>,
    opts: &Options,
    pricer: &mut Pricer,
    sender: &std::sync::mpsc::SyncSender<Msg>,
    counter: &Arc<AtomicU64>,
) -> bool {
    let Planned { input, source, opened } = planned;
    // A file that only grew is read from the end of its last complete line.
    if let Some((id, grown, mark)) = before.and_then(|f| grew(&input, f))
        && let Some(path) = &input.path
    {
        let reader = match resume::open_at(path, mark.offset, counter.clone()) {
            Ok(r) => r,
            Err(error) => {
                return sender.send(Msg::Failed { index, error }).is_ok();
            }
        };
        let start = Msg::Start {
            index,
            source: grown,
            resumed: Some((id, mark.line)),
        };
        if sender.send(start).is_err() {
            return false;
        }
        let track = Some(Track {
            offset: mark.offset,
            line: mark.line,
            to_end: true,
        });
        let (end, open) = read_file(&input, reader, grown, opts, pricer, sender, track);
        return sender.send(Msg::End(end)).is_ok() && open;
    }
    let (head, reader, damaged) = match opened {
        Some(o) => (None, o.reader, o.damaged),
        None => match open_inner(&input, counter.clone()) {
            Ok((head, reader, damaged)) => (Some(head), reader, damaged),
            Err(error) => {
                return sender.send(Msg::Failed { index, error }).is_ok();
            }
        },
    };
    let source = match (source, &head) {
        (Some(s), _) => s,
        (None, Some(h)) => match sniff(Path::new(&input.display), h) {
            Some(s) => s,
            // Damaged before a whole line could be read: a failure, not another
            // kind of file.
            None if damaged => {
                let error = std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "damaged before its first complete line",
                );
                return sender.send(Msg::Failed { index, error }).is_ok();
            }
            None => return sender.send(Msg::NotALog { index }).is_ok(),
        },
        (None, None) => unreachable!("an opened input comes with its source"),
    };
    if sender
        .send(Msg::Start {
            index,
            source,
            resumed: None,
        })
        .is_err()
    {
        return false;
    }
    // Plain files of line sources are followed line by line, so a later import can
    // read on from where this one ended (standard input, stays unmarked).
    let track = match (&input.path, head.is_some() && source.resumable()) {
        (Some(path), true) => resume::probe(path).ok().filter(|p| p.plain).map(|p| Track {
            offset: if p.bom { 3 } else { 0 },
            line: 0,
            to_end: true,
        }),
        _ => None,
    };
    let (end, open) = read_file(&input, reader, source, opts, pricer, sender, track);
    sender.send(Msg::End(end)).is_ok() && open
}

/// Held by each reader thread: the last one to stop, however it stops (a panic too), tells
/// the writer, so it never waits for a file nobody reads.
pub(super) struct LastOut<'a> {
    pub(super) alive: &'a std::sync::atomic::AtomicUsize,
    pub(super) window: &'a Window,
}

impl Drop for LastOut<'_> {
    fn drop(&mut self) {
        if self.alive.fetch_sub(1, Ordering::AcqRel) == 1 {
            let mut state = self.window.lock();
            state.readers_done = true;
            self.window.moved.notify_all();
        }
    }
}

/// How many files past the one being written a reader thread may read.
const LOOKAHEAD: usize = 16;

/// Hands files from the reader threads to the writer: the file the writer is at (readers keep
/// within [`LOOKAHEAD`] of it), and the channels of the files read since, made as a reader takes
/// its file (a channel per planned file up front cost a Claude Code tree of 14,000 files 30 MB).
#[derive(Default)]
pub(super) struct Window {
    state: std::sync::Mutex<WindowState>,
    moved: std::sync::Condvar,
}

#[derive(Default)]
pub(super) struct WindowState {
    writing: usize,
    ready: std::collections::HashMap<usize, std::sync::mpsc::Receiver<Msg>>,
    readers_done: bool,
}

impl Window {
    fn lock(&self) -> std::sync::MutexGuard<'_, WindowState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A reader's channel for file `index`, once the file is within reach of the writer;
    /// `None` if the import stops first.
    pub(super) fn claim(
        &self,
        index: usize,
        stop: &std::sync::atomic::AtomicBool,
    ) -> Option<std::sync::mpsc::SyncSender<Msg>> {
        let mut state = self.lock();
        while index >= state.writing + LOOKAHEAD && !stop.load(Ordering::Relaxed) {
            state = self.moved.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        if stop.load(Ordering::Relaxed) {
            return None;
        }
        let (sender, receiver) = std::sync::mpsc::sync_channel(4);
        state.ready.insert(index, receiver);
        self.moved.notify_all();
        Some(sender)
    }

    /// The writer starts on file `index`: its channel, once a reader has taken the file
    /// (`None` when every reader has stopped without it).
    pub(super) fn next(&self, index: usize) -> Option<std::sync::mpsc::Receiver<Msg>> {
        let mut state = self.lock();
        state.writing = index;
        self.moved.notify_all();
        loop {
            if let Some(r) = state.ready.remove(&index) {
                return Some(r);
            }
            if state.readers_done {
                return None;
            }
            state = self.moved.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// Held by the writer: however it stops, the readers waiting for it are told to stop too.
pub(super) struct Release<'a> {
    pub(super) window: &'a Window,
    pub(super) stop: &'a std::sync::atomic::AtomicBool,
}

impl Drop for Release<'_> {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // The channels of files read ahead hang up too, so no reader waits to send to them.
        self.window.lock().ready.clear();
        self.window.moved.notify_all();
    }
}

/// How many reader threads: one core is the writer's, the others read (on 2 cores, a second
/// reader only competed with the writer: the same wall time for 40 % more memory on a Claude
/// Code tree). `COST_IMPORT_READERS` sets the number, for tests and benchmarks.
pub(super) fn readers() -> usize {
    std::env::var("COST_IMPORT_READERS")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
        .map(|n| n.clamp(1, 64))
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .saturating_sub(1)
                .clamp(1, 8)
        })
}

/// A plain file of a line source at least twice this long is read in parts of about this
/// size when there are several readers (`COST_IMPORT_PART_BYTES` sets it, for tests: 4 KiB
/// at the least).
pub(super) fn part_bytes() -> u64 {
    std::env::var("COST_IMPORT_PART_BYTES")
        .ok()
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(16 * 1024 * 1024)
        .max(4096)
}

/// What one reader thread takes at a time.
pub(super) enum Unit {
    /// Planned file `index`, read whole.
    File {
        index: usize,
        planned: Box<Planned>,
        before: Option<ImportedFile>,
    },
    /// One part of planned file `index`, split at line ends.
    Part {
        index: usize,
        source: &'static dyn Source,
        part: Part,
    },
}

/// Bytes `start..end` of a file, the `k`th of its parts; `last` ends the file. Every part
/// reads the file as it was opened when it was split.
pub(super) struct Part {
    k: usize,
    start: u64,
    end: u64,
    last: bool,
    file: Arc<std::fs::File>,
}

/// The reader threads' work, in plan order: every file whole, except — when there are
/// several readers — a large plain file of a source whose lines stand alone (the ones a grown
/// file can be read on from), read from its start: that one is split into parts at line
/// starts, so one file is parsed on every core while the writer still writes its lines in
/// order, in the file's one transaction.
pub(super) fn units(
    plan: Vec<Planned>,
    earlier: Vec<Option<ImportedFile>>,
    readers: usize,
    part_bytes: u64,
) -> Vec<Unit> {
    let mut units = Vec::with_capacity(plan.len());
    for (index, (planned, before)) in plan.into_iter().zip(earlier).enumerate() {
        let split = match (&planned.input.path, planned.input.size) {
            (Some(path), Some(size))
                if readers > 1 && before.is_none() && planned.opened.is_none() && size >= 2 * part_bytes =>
            {
                split(&planned, path, size, part_bytes)
            }
            _ => None,
        };
        match split {
            Some((source, file, points)) => {
                let parts = points.len() - 1;
                for k in 0..parts {
                    let part = Part {
                        k,
                        start: points[k],
                        end: points[k + 1],
                        last: k + 1 == parts,
                        file: file.clone(),
                    };
                    units.push(Unit::Part { index, source, part });
                }
            }
            None => units.push(Unit::File {
                index,
                planned: Box::new(planned),
                before,
            }),
        }
    }
    units
}

/// The source of a large file, the file opened, and where it splits (two parts or more, none
/// empty), if it can be read in parts; else the file is read whole, and any error is found
/// then.
fn split(
    planned: &Planned,
    path: &Path,
    size: u64,
    part_bytes: u64,
) -> Option<(&'static dyn Source, Arc<std::fs::File>, Vec<u64>)> {
    let file = std::fs::File::open(path).ok()?;
    // Changed since it was planned: read whole, as found.
    if file.metadata().ok()?.len() != size {
        return None;
    }
    let probe = resume::probe_file(&file).ok().filter(|p| p.plain)?;
    let source = match planned.source {
        Some(s) => s,
        None => {
            let (head, _, damaged) = open_inner(&planned.input, Arc::new(AtomicU64::new(0))).ok()?;
            if damaged {
                return None;
            }
            sniff(Path::new(&planned.input.display), &head)?
        }
    };
    if !source.resumable() {
        return None;
    }
    let first = if probe.bom { 3 } else { 0 };
    let mut points = resume::split_points(&file, first, size, size.div_ceil(part_bytes)).ok()?;
    // No empty parts: the last part is the one that holds the last line, so the mark and an
    // unfinished last line are its.
    points.dedup();
    (points.len() > 2).then_some((source, Arc::new(file), points))
}

/// Reads one part of a split file on a reader thread. Part 0 starts the file for the writer;
/// each part sends its items, numbered from its own first line, then `Part` — or `End`, the
/// last. `false` if the writer hung up.
#[allow(clippy::too_many_arguments)]
pub(super) fn read_part(
    index: usize,
    input: &Input,
    source: &'static dyn Source,
    part: &Part,
    opts: &Options,
    pricer: &mut Pricer,
    sender: &std::sync::mpsc::SyncSender<Msg>,
    counter: &Arc<AtomicU64>,
) -> bool {
    let ends = |end: FileEnd| if part.last { Msg::End(end) } else { Msg::Part(end) };
    let reader = resume::open_part(part.file.clone(), part.start, part.end, counter.clone());
    if part.k == 0 {
        let start = Msg::Start {
            index,
            source,
            resumed: None,
        };
        if sender.send(start).is_err() {
            return false;
        }
    }
    // Lines numbered from the part's own first; only the last part marks where the file ends.
    let track = Track {
        offset: part.start,
        line: 0,
        to_end: part.last,
    };
    let (end, open) = read_file(input, reader, source, opts, pricer, sender, Some(track));
    sender.send(ends(end)).is_ok() && open
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(path: &Path) -> Planned {
        Planned {
            input: Input::file(path.to_path_buf(), path.display().to_string()),
            source: None,
            opened: None,
        }
    }

    const LINE: &str = r#"{"timestamp":"2026-09-01T08:00:00Z","request_id":"r1","provider":"openai","response":{"model":"gpt-4o","usage":{"prompt_tokens":10,"completion_tokens":2}}}"#;

    /// Every split point is where a line starts (after the byte-order mark, or just after a
    /// line end), the points never go back, and the parts cover the file exactly; a line longer
    /// than a part leaves the parts inside it empty instead of cutting it.
    #[test]
    fn split_points_fall_on_line_starts_and_cover_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        let mut text = b"\xEF\xBB\xBF".to_vec();
        for i in 0..200 {
            let pad = if i == 77 { "x".repeat(5000) } else { "y".repeat(i % 13) };
            text.extend_from_slice(format!("{{\"n\":{i},\"pad\":\"{pad}\"}}\n").as_bytes());
        }
        text.extend_from_slice(b"{\"last\":true}"); // no line end
        std::fs::write(&path, &text).unwrap();
        let size = text.len() as u64;
        for parts in [1, 2, 7, 64, 900] {
            let points = resume::split_points(&std::fs::File::open(&path).unwrap(), 3, size, parts).unwrap();
            assert_eq!(points.len() as u64, parts + 1);
            assert_eq!((points[0], points[parts as usize]), (3, size));
            for w in points.windows(2) {
                assert!(w[0] <= w[1], "{points:?}");
            }
            for p in &points[1..parts as usize] {
                assert!(*p == size || text[*p as usize - 1] == b'\n', "{p} is not a line start");
            }
        }
        // 900 parts of ~16 bytes: the 5 KB line spans hundreds of them, which come out empty.
        let points = resume::split_points(&std::fs::File::open(&path).unwrap(), 3, size, 900).unwrap();
        let empty = points.windows(2).filter(|w| w[0] == w[1]).count();
        assert!(empty > 250, "{empty}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        /// Any bytes, any number of parts: the parts are in order, cover the file from its
        /// first line to its end, and each starts a line, so reading them one after another
        /// yields exactly the file's lines.
        #[test]
        fn split_points_cut_any_file_into_its_lines(
            body in proptest::collection::vec(proptest::prop_oneof![
                proptest::prelude::Just(b'\n'), proptest::prelude::Just(b'\r'), proptest::prelude::Just(b'x'),
                proptest::prelude::any::<u8>()], 0..3000),
            bom in proptest::prelude::any::<bool>(),
            parts in 1u64..40,
        ) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("f");
            let mut text = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
            text.extend_from_slice(&body);
            std::fs::write(&path, &text).unwrap();
            let first = if bom { 3 } else { 0 };
            let size = text.len() as u64;
            let points = resume::split_points(&std::fs::File::open(&path).unwrap(), first, size, parts).unwrap();
            proptest::prop_assert_eq!(points.len() as u64, parts + 1);
            proptest::prop_assert_eq!(points[0], first);
            proptest::prop_assert_eq!(*points.last().unwrap(), size);
            let mut lines = Vec::new();
            for w in points.windows(2) {
                proptest::prop_assert!(w[0] <= w[1]);
                proptest::prop_assert!(w[0] == first || w[0] == size || text[w[0] as usize - 1] == b'\n');
                let part = &text[w[0] as usize..w[1] as usize];
                // A part ends at a line end, or the file's end.
                proptest::prop_assert!(w[1] == size || part.is_empty() || part.ends_with(b"\n"));
                lines.extend(part.split_inclusive(|b| *b == b'\n').map(<[u8]>::to_vec));
            }
            let whole: Vec<Vec<u8>> = text[first as usize..].split_inclusive(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
            proptest::prop_assert_eq!(lines, whole);
        }
    }

    /// A log rotated away while its parts are being read (renamed, and a new file written at
    /// its path) is still read whole from the file that was split.
    #[test]
    fn the_parts_of_a_file_rotated_away_mid_import_read_the_file_that_was_split() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gw.jsonl");
        let text = format!("{LINE}\n").repeat(100);
        std::fs::write(&path, &text).unwrap();
        let units = units(vec![planned(&path)], vec![None], 3, 4000);
        assert_eq!(units.len(), 4);
        std::fs::rename(&path, dir.path().join("gw.jsonl.1")).unwrap();
        std::fs::write(&path, "{}\n").unwrap();
        let mut read = Vec::new();
        for unit in units {
            let Unit::Part { part, .. } = unit else {
                panic!("a part")
            };
            let mut reader = resume::open_part(part.file, part.start, part.end, Arc::new(AtomicU64::new(0)));
            reader.read_to_end(&mut read).unwrap();
        }
        assert_eq!(String::from_utf8(read).unwrap(), text);
    }

    /// With several readers a large plain envelope file becomes parts of about the part size;
    /// with one reader, a gzip file, or a file under two parts, it stays whole.
    #[test]
    fn only_large_plain_line_files_are_split_and_only_for_several_readers() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.jsonl");
        std::fs::write(&big, format!("{LINE}\n").repeat(100)).unwrap(); // 100 × 154 bytes
        let gz = dir.path().join("big.jsonl.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut enc, format!("{LINE}\n").repeat(100).as_bytes()).unwrap();
        std::fs::write(&gz, enc.finish().unwrap()).unwrap();
        let shape = |path: &Path, readers: usize, part: u64| -> Vec<(usize, u64, u64, bool)> {
            units(vec![planned(path)], vec![None], readers, part)
                .into_iter()
                .map(|u| match u {
                    Unit::File { index, .. } => (index, 0, 0, true),
                    Unit::Part { index, part, source } => {
                        assert_eq!(source.name(), "envelope");
                        (index, part.start, part.end, part.last)
                    }
                })
                .collect()
        };
        let size = 100 * (LINE.len() as u64 + 1);
        // 15,500 bytes in parts of 4,000: four parts, each ending at a line end.
        let parts = shape(&big, 3, 4000);
        assert_eq!(parts.len(), 4, "{parts:?}");
        assert_eq!(parts[0].1, 0);
        assert_eq!(parts[3].2, size);
        assert!(parts[3].3 && !parts[0].3);
        for (_, start, end, _) in &parts {
            assert_eq!(start % (LINE.len() as u64 + 1), 0);
            assert!(end > start);
        }
        assert_eq!(shape(&big, 1, 4000), vec![(0, 0, 0, true)]);
        assert_eq!(shape(&big, 3, size / 2 + 1), vec![(0, 0, 0, true)]);
        assert_eq!(shape(&gz, 3, 100), vec![(0, 0, 0, true)]);
    }
}
