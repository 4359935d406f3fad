// No `unwrap()` outside tests: an error reaches the person as a typed error with a hint.
#![cfg_attr(not(test), deny(clippy::unwrap_used))]
/// See Cargo.toml: records cross from the import's reader thread to its writer.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    match cost::cli::run(std::env::args_os()) {
        Ok(code) => code,
        Err(err) => cost::cli::report_error(&err),
    }
}
