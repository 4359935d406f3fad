fn main() -> std::process::ExitCode {
    match cost::cli::run(std::env::args_os()) {
        Ok(code) => code,
        Err(err) => cost::cli::report_error(&err),
    }
}
