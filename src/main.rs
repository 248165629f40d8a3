//! The `isctl` binary: parse the command line, run, exit with the status the run decided.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use isctl::cli::Cli;
use isctl::printer::Printer;
use isctl::settings::Environment;
use isctl::verify::auth::AuthLookup;

fn main() -> ExitCode {
    // `__complete` takes the words of a half-typed line as they stand: clap must not read the
    // global flags among them (`--kubeconfig`, `--from` before the command) as its own.
    let mut args = std::env::args_os().skip(1);
    if args.next().is_some_and(|first| first == "__complete") {
        let words: Vec<String> = args.map(|w| w.to_string_lossy().into_owned()).collect();
        return ExitCode::from(isctl::commands::completion::candidates(&words, Printer::stdio(0)).code());
    }
    let cli = Cli::parse();
    let env = environment();
    let printer = Printer::stdio(cli.global.verbose);
    ExitCode::from(isctl::commands::main(&cli, &env, printer, jiff::Timestamp::now).code())
}

/// Reads the process's surroundings (terminals, their width, the variables isctl honours): the
/// only place they are read, so the library below stays pure.
fn environment() -> Environment {
    use std::io::IsTerminal;
    let stdout_terminal = std::io::stdout().is_terminal();
    let stderr_terminal = std::io::stderr().is_terminal();
    let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    Environment {
        stdout_terminal,
        stderr_terminal,
        terminal_width: (stdout_terminal || stderr_terminal)
            .then(|| crossterm::terminal::size().ok().map(|(w, _)| w as usize))
            .flatten(),
        columns: std::env::var("COLUMNS").ok(),
        isctl_columns: std::env::var("ISCTL_COLUMNS").ok(),
        no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        locale: ["LC_ALL", "LC_CTYPE", "LANG"].map(|name| std::env::var(name).ok()),
        auth: AuthLookup {
            flag: None,
            env_file: set("REGISTRY_AUTH_FILE"),
            runtime_dir: set("XDG_RUNTIME_DIR"),
            config_home: set("XDG_CONFIG_HOME"),
            docker_config: set("DOCKER_CONFIG"),
            home: set("HOME"),
            // The owner of /proc/self is the process's user: its id without a libc call.
            uid: std::fs::metadata("/proc/self").ok().map(|m| std::os::unix::fs::MetadataExt::uid(&m)),
        },
    }
}
