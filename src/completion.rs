//! Shell completion, the way kubectl (cobra) does it: the shell script only calls
//! `isctl __complete WORDS...` and offers what it prints, one candidate per line. Which words
//! to offer is decided here, from clap's own description of the command line (subcommands,
//! flags, their values); names of streams, tags and namespaces come from the input the words
//! name (`--from`, or the cluster): `commands/completion.rs` lists them. Pure.
//!
//! A completion runs at a prompt, so what it may read is bounded here, before anything is read:
//! the input is the one the words name (`--from`, `--kubeconfig`, `--context` and the other
//! global flags, read with clap's own description of them), never standard input, files only
//! up to [`FILE_LIMIT`], and a cluster only within [`DEADLINE`].

use std::time::Duration;

use clap::{Args, Command, FromArgMatches};

use crate::cli::GlobalArgs;
use crate::settings::Input;

/// The longest a completion waits for names (a person pressed TAB and waits): kubectl's
/// completion waits for the request timeout; a cluster that has not answered by now offers
/// nothing.
pub const DEADLINE: Duration = Duration::from_secs(3);

/// The largest file (or archive member) a completion reads under `--from`, lower than the 1Gi
/// default of `--max-file-size` (which still applies when smaller). A larger file makes the
/// load fail, as it would the command, and then nothing is offered.
pub const FILE_LIMIT: u64 = 64 << 20;

/// The most bytes one `--from` archive may decompress to during a completion.
pub(crate) const ARCHIVE_LIMIT: u64 = 256 << 20;

/// What to complete the last word with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Want {
    /// These words.
    Words(Vec<String>),
    /// File names (the shell completes them).
    Files,
    /// Image stream names (or `stream:tag` once the word has a `:`), in the namespace.
    Streams,
    /// Names of objects of a `get` kind (the word before the names).
    Objects(String),
    /// Namespaces of the input.
    Namespaces,
}

/// The words typed so far, read against the command line's description.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Typed {
    /// The subcommand path, e.g. `["diff", "mirrors"]`.
    pub path: Vec<String>,
    /// The positional arguments before the last word.
    pub(crate) positionals: Vec<String>,
    /// `--from` values.
    pub from: Vec<String>,
    /// `-n` value.
    pub namespace: Option<String>,
    /// `-A` was typed.
    pub all_namespaces: bool,
    /// The global flags typed (`--kubeconfig`, `--context`, `--from`, ...), each as
    /// `--long=value` or `--long`, for clap to read into [`GlobalArgs`].
    pub global: Vec<String>,
}

/// What `-o` takes in the command at `command`: its formats, then kubectl's templates.
fn output_formats(command: Option<&str>) -> Vec<String> {
    let formats: &[&str] = match command {
        Some("get") => &["table", "wide", "yaml", "json", "name"],
        Some("resolve") => &["table", "wide", "yaml", "json"],
        _ => &["table", "yaml", "json"],
    };
    formats.iter().chain(&["jsonpath=", "jsonpath-as-json=", "custom-columns="]).map(|f| (*f).to_owned()).collect()
}

/// The shell scripts: each hands the words to `isctl __complete` and offers its lines.
pub fn script(shell: &str) -> Option<&'static str> {
    match shell {
        "bash" => Some(BASH),
        "zsh" => Some(ZSH),
        "fish" => Some(FISH),
        _ => None,
    }
}

const BASH: &str = r#"# isctl completion for bash: source <(isctl completion bash)
_isctl() {
    local line="${COMP_LINE:0:COMP_POINT}"
    local -a words
    read -ra words <<< "$line"
    [[ "$line" == *" " ]] && words+=("")
    local cur="${words[${#words[@]}-1]}"
    local out
    out=$("${words[0]}" __complete "${words[@]:1}" 2>/dev/null) || return
    if [[ "$out" == "__files__" ]]; then
        COMPREPLY=($(compgen -f -- "$cur"))
        return
    fi
    local IFS=$'\n'
    COMPREPLY=($(compgen -W "$out" -- "$cur"))
    # bash splits words at ':': offer only what follows the last one.
    if [[ "$cur" == *:* && "$COMP_WORDBREAKS" == *:* ]]; then
        local prefix="${cur%:*}:"
        COMPREPLY=("${COMPREPLY[@]#"$prefix"}")
    fi
}
complete -o default -F _isctl isctl kubectl-isctl
"#;

const ZSH: &str = r#"#compdef isctl kubectl-isctl
# isctl completion for zsh: source <(isctl completion zsh)
_isctl() {
    local -a candidates
    local out
    out=$("${words[1]}" __complete "${(@)words[2,CURRENT]}" 2>/dev/null) || return
    if [[ "$out" == "__files__" ]]; then
        _files
        return
    fi
    candidates=("${(@f)out}")
    compadd -- "${candidates[@]}"
}
compdef _isctl isctl kubectl-isctl
"#;

const FISH: &str = r#"# isctl completion for fish: isctl completion fish | source
function __isctl_complete
    set -l words (commandline -opc) (commandline -ct)
    set -l out ($words[1] __complete $words[2..-1] 2>/dev/null)
    if test "$out" = "__files__"
        __fish_complete_path (commandline -ct)
    else
        printf '%s\n' $out
    end
end
complete -c isctl -f -a '(__isctl_complete)'
complete -c kubectl-isctl -f -a '(__isctl_complete)'
"#;

/// Reads the words before the last one against `command`.
pub fn read(command: &Command, words: &[String]) -> Typed {
    let mut typed = Typed::default();
    let mut current = command.clone();
    let mut words = words.iter().peekable();
    while let Some(word) = words.next() {
        if let Some(flag) = word.strip_prefix("--") {
            let (name, inline) = flag.split_once('=').map_or((flag, None), |(n, v)| (n, Some(v.to_owned())));
            let arg = find_long(&current, command, name);
            if arg.is_some_and(takes_value) {
                let value = inline.or_else(|| words.next().cloned()).unwrap_or_default();
                keep_global(&mut typed, command, arg, Some(&value));
                record(&mut typed, name, value);
            } else {
                keep_global(&mut typed, command, arg, None);
                typed.all_namespaces |= name == "all-namespaces";
            }
        } else if let Some(flags) = word.strip_prefix('-').filter(|f| !f.is_empty()) {
            let short = flags.chars().next().unwrap_or_default();
            let arg = find_short(&current, command, short);
            if arg.is_some_and(takes_value) {
                let value = match flags.get(short.len_utf8()..).filter(|v| !v.is_empty()) {
                    Some(inline) => inline.to_owned(),
                    None => words.next().cloned().unwrap_or_default(),
                };
                keep_global(&mut typed, command, arg, Some(&value));
                record(&mut typed, arg.map(|a| a.get_id().as_str()).unwrap_or_default(), value);
            } else {
                keep_global(&mut typed, command, arg, None);
                typed.all_namespaces |= short == 'A';
            }
        } else if let Some(sub) = current.find_subcommand(word).filter(|_| typed.positionals.is_empty()) {
            typed.path.push(sub.get_name().to_owned());
            current = sub.clone();
        } else {
            typed.positionals.push(word.clone());
        }
    }
    typed
}

fn record(typed: &mut Typed, name: &str, value: String) {
    match name {
        "from" => typed.from.push(value),
        "namespace" => typed.namespace = Some(value),
        _ => {}
    }
}

/// Keeps a global flag of `root` (and its value) in the form clap reads back.
fn keep_global(typed: &mut Typed, root: &Command, arg: Option<&clap::Arg>, value: Option<&str>) {
    let Some(arg) = arg else { return };
    let global = root.get_arguments().any(|a| a.get_id() == arg.get_id() && a.is_global_set());
    let Some(long) = arg.get_long().filter(|_| global) else { return };
    typed.global.push(match value {
        Some(value) => format!("--{long}={value}"),
        None => format!("--{long}"),
    });
}

/// The input the typed words name, bounded for a prompt; `None` when they name none that
/// completion may read (only `--from -`, or flags that do not parse). Standard input is never
/// part of it; files are read within [`FILE_LIMIT`] and `ARCHIVE_LIMIT` (or the smaller limits
/// typed); one request to a cluster waits at most [`DEADLINE`].
pub fn input(typed: &Typed) -> Option<Input> {
    let parser = GlobalArgs::augment_args(Command::new("isctl").no_binary_name(true));
    let matches = parser.try_get_matches_from(&typed.global).ok()?;
    let global = GlobalArgs::from_arg_matches(&matches).ok()?;
    let (input, _) = crate::settings::input(&global).ok()?;
    Some(match input {
        Input::Files(paths, mut limits) => {
            let paths: Vec<_> = paths.into_iter().filter(|p| p.as_os_str() != "-").collect();
            if paths.is_empty() {
                return None;
            }
            limits.file = limits.file.min(FILE_LIMIT);
            limits.archive = limits.archive.min(ARCHIVE_LIMIT);
            Input::Files(paths, limits)
        }
        Input::Cluster(mut options) => {
            options.request_timeout = Some(options.request_timeout.map_or(DEADLINE, |t| t.min(DEADLINE)));
            Input::Cluster(options)
        }
    })
}

fn takes_value(arg: &clap::Arg) -> bool {
    matches!(arg.get_action(), clap::ArgAction::Set | clap::ArgAction::Append)
}

fn find_long<'a>(current: &'a Command, root: &'a Command, name: &str) -> Option<&'a clap::Arg> {
    current.get_arguments().chain(root.get_arguments()).find(|a| a.get_long() == Some(name))
}

fn find_short<'a>(current: &'a Command, root: &'a Command, short: char) -> Option<&'a clap::Arg> {
    current.get_arguments().chain(root.get_arguments()).find(|a| a.get_short() == Some(short))
}

/// What to offer for the last word, `last`, after the words read into `typed`, with the word
/// before it (`previous`) deciding when it is a flag that takes a value.
pub fn want(command: &Command, typed: &Typed, previous: Option<&str>, last: &str) -> Want {
    let mut current = command.clone();
    for name in &typed.path {
        if let Some(sub) = current.find_subcommand(name) {
            current = sub.clone();
        }
    }
    // The value of a flag.
    if let Some(flag) = previous.filter(|p| p.starts_with('-') && !p.contains('=')) {
        let arg = match flag.strip_prefix("--") {
            Some(long) => find_long(&current, command, long),
            None => flag.chars().nth(1).and_then(|c| find_short(&current, command, c)),
        };
        if let Some(arg) = arg.filter(|a| takes_value(a)) {
            return match arg.get_id().as_str() {
                "from" | "kubeconfig" | "images" | "proposed" | "to" | "registry_ca" | "registry_config"
                | "verify_cache" | "junit" | "baseline" => Want::Files,
                "namespace" | "workload_namespace" => Want::Namespaces,
                // -o takes templates too: its values are not an enum. Each command offers its
                // own formats (`name` is get's alone, `wide` get's and resolve's).
                "output" => Want::Words(output_formats(typed.path.first().map(String::as_str))),
                _ => Want::Words(arg.get_possible_values().iter().map(|v| v.get_name().to_owned()).collect()),
            };
        }
    }
    if last.starts_with('-') {
        let flags = current
            .get_arguments()
            .chain(command.get_arguments().filter(|a| a.is_global_set()))
            .filter(|a| !a.is_hide_set())
            .filter_map(|a| a.get_long().map(|l| format!("--{l}")));
        return Want::Words(flags.collect());
    }
    let subcommands: Vec<String> =
        current.get_subcommands().filter(|s| !s.is_hide_set()).map(|s| s.get_name().to_owned()).collect();
    if !subcommands.is_empty() && typed.positionals.is_empty() {
        return Want::Words(subcommands);
    }
    match typed.path.first().map(String::as_str) {
        Some("get") if typed.positionals.is_empty() => Want::Words(
            [
                "images",
                "imagestreams",
                "imagestreamtags",
                "icsp",
                "idms",
                "itms",
                "images.config.openshift.io",
                "clusterimagepolicies",
                "imagepolicies",
            ]
            .map(str::to_owned)
            .to_vec(),
        ),
        Some("get") => Want::Objects(typed.positionals[0].clone()),
        Some("describe") if typed.positionals.is_empty() => Want::Words(vec!["is".into(), "istag".into()]),
        Some("describe" | "resolve" | "check" | "diff" | "consumers") => Want::Streams,
        Some("completion") => Want::Words(vec!["bash".into(), "zsh".into(), "fish".into()]),
        _ => Want::Words(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn complete(line: &str) -> Want {
        let command = crate::cli::Cli::command();
        let mut words: Vec<String> = line.split(' ').map(str::to_owned).collect();
        let last = words.pop().unwrap_or_default();
        let typed = read(&command, &words);
        want(&command, &typed, words.last().map(String::as_str), &last)
    }

    #[test]
    fn the_last_word_gets_what_its_place_takes() {
        let words = |w: &[&str]| Want::Words(w.iter().map(|s| s.to_string()).collect());
        assert!(matches!(complete("re"), Want::Words(w) if w.contains(&"resolve".to_owned())));
        assert_eq!(complete("resolve -n openshift --from x c"), Want::Streams);
        assert_eq!(complete("resolve --from "), Want::Files);
        assert_eq!(complete("resolve -n "), Want::Namespaces);
        assert_eq!(complete("consumers --from x c"), Want::Streams);
        assert_eq!(complete("consumers --workload-namespace "), Want::Namespaces);
        assert!(matches!(complete("get is -o "), Want::Words(w) if w.contains(&"jsonpath=".to_owned())));
        assert_eq!(complete("get is -n openshift "), Want::Objects("is".into()));
        assert_eq!(complete("describe "), words(&["is", "istag"]));
        assert!(matches!(complete("diff "), Want::Words(w) if w == ["mirrors", "streams"]));
        assert!(
            matches!(complete("resolve --"), Want::Words(w) if w.contains(&"--verify".to_owned()) && w.contains(&"--from".to_owned()))
        );
        assert!(matches!(complete("resolve -o "), Want::Words(w) if w.contains(&"yaml".to_owned())));
        let typed = read(
            &crate::cli::Cli::command(),
            &["get".into(), "is".into(), "-n".into(), "ns".into(), "--from=a".into(), "-A".into()],
        );
        assert_eq!(
            (typed.namespace.as_deref(), typed.from, typed.all_namespaces),
            (Some("ns"), vec!["a".to_owned()], true)
        );
    }

    fn input_of(line: &str) -> Option<Input> {
        let words: Vec<String> = line.split(' ').map(str::to_owned).collect();
        input(&read(&crate::cli::Cli::command(), &words))
    }

    #[test]
    fn item_02_standard_input_is_never_an_input_and_files_are_read_within_a_prompt_limit() {
        assert!(input_of("get is --from -").is_none());
        assert!(input_of("get is --from=- -n x").is_none());
        let Some(Input::Files(paths, limits)) = input_of("--from - get --from a is") else { panic!() };
        assert_eq!(paths, [std::path::PathBuf::from("a")]);
        assert_eq!((limits.file, limits.archive), (FILE_LIMIT, ARCHIVE_LIMIT));
        let Some(Input::Files(_, limits)) = input_of("get is --from a --max-file-size 1Ki --max-archive-size=2Ki")
        else {
            panic!()
        };
        assert_eq!((limits.file, limits.archive), (1024, 2048));
    }

    #[test]
    fn item_02_a_cluster_is_asked_within_the_deadline() {
        for (line, wanted) in [
            ("get is", DEADLINE),
            ("get is --request-timeout 0", DEADLINE),
            ("get is --request-timeout 1h", DEADLINE),
            ("get is --request-timeout=500ms", Duration::from_millis(500)),
        ] {
            let Some(Input::Cluster(options)) = input_of(line) else { panic!("{line}") };
            assert_eq!(options.request_timeout, Some(wanted), "{line}");
        }
        // Flags that do not parse name no input.
        assert!(input_of("get is --request-timeout soon").is_none());
    }

    #[test]
    fn item_03_the_connection_flags_on_the_line_are_the_ones_used() {
        let line = "--kubeconfig k get --context=c is -n ns --insecure-skip-tls-verify --chunk-size 7 \
                    --max-response-size 1Mi -v";
        let Some(Input::Cluster(options)) = input_of(line) else { panic!() };
        assert_eq!(options.kubeconfig, Some(std::path::PathBuf::from("k")));
        assert_eq!(options.context.as_deref(), Some("c"));
        assert!(options.insecure_skip_tls_verify);
        assert_eq!((options.chunk_size, options.max_response_size), (7, 1 << 20));
    }
}
