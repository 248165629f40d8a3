//! `isctl completion bash` loads in bash and completes from the input the command line names;
//! `isctl man` prints a manual page.

use crate::common::isctl;

/// Runs the bash completion function for `line` (the cursor at its end) and returns the
/// candidates it offers.
fn complete_in_bash(line: &str) -> Vec<String> {
    let binary = std::path::Path::new(env!("CARGO_BIN_EXE_isctl"));
    let path = format!("{}:/usr/bin:/bin", binary.parent().unwrap().display());
    let script = r#"source <(isctl completion bash) || exit 9
COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}
_isctl
printf '%s\n' "${COMPREPLY[@]}""#;
    let out = std::process::Command::new("bash")
        .args(["-c", script, "bash", line])
        .env_clear()
        .env("PATH", path)
        .env("ISCTL_NOW", crate::common::NOW)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("bash runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

#[test]
fn bash_completes_commands_flags_and_names_from_the_input() {
    assert_eq!(complete_in_bash("isctl res"), ["resolve"]);
    assert_eq!(complete_in_bash("isctl resolve -n openshift --from fixtures/must-gather c"), ["cli"]);
    assert_eq!(
        complete_in_bash("isctl resolve -n openshift --from fixtures/must-gather "),
        ["cli", "must-gather", "tools"]
    );
    // bash splits words at ':', so the tag is what is offered after it.
    assert_eq!(complete_in_bash("isctl describe istag --from fixtures/must-gather -n openshift cli:l"), ["latest"]);
    assert_eq!(complete_in_bash("isctl get is -A --from fixtures/must-gather t"), ["tools"]);
    assert_eq!(complete_in_bash("isctl resolve --from fixtures/must-gather -n "), ["demo", "openshift"]);
    assert_eq!(complete_in_bash("isctl resolve --verify-c"), ["--verify-cache"]);
    // -o offers what each command takes: `name` is get's alone.
    assert_eq!(complete_in_bash("isctl get is -o n"), ["name"]);
    assert_eq!(complete_in_bash("isctl resolve -o n"), Vec::<String>::new());
    assert_eq!(complete_in_bash("isctl resolve -o w"), ["wide"]);
    assert_eq!(complete_in_bash("isctl check -o w"), Vec::<String>::new());
    // --from completes file names.
    assert!(complete_in_bash("isctl resolve --from fixtures/must").contains(&"fixtures/must-gather".to_owned()));
}

#[test]
fn every_shell_gets_a_script_and_the_manual_renders() {
    for shell in ["bash", "zsh", "fish"] {
        let out = isctl().args(["completion", shell]).output().unwrap();
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("__complete"), "{shell}");
    }
    let out = isctl().args(["completion", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let man = isctl().arg("man").output().unwrap();
    let text = String::from_utf8_lossy(&man.stdout);
    assert!(man.status.success() && text.contains(".TH isctl 1") && text.contains("resolve"), "{text}");
    // Every page the main one points at (isctl-resolve(1), ...) is written, with every flag.
    let dir = tempfile::tempdir().unwrap();
    let out = isctl().args(["man", "--dir"]).arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let named = text.split("isctl\\-").skip(1).filter_map(|rest| rest.split_once("(1)").map(|(name, _)| name));
    for named in named.filter(|name| !name.contains(' ')) {
        let page = dir.path().join(format!("isctl-{}.1", named.replace("\\-", "-")));
        assert!(page.exists(), "{} is written", page.display());
    }
    let resolve = std::fs::read_to_string(dir.path().join("isctl-resolve.1")).unwrap();
    assert!(resolve.contains("\\-\\-current") && resolve.contains("\\-\\-verify"), "every flag");
    assert!(dir.path().join("isctl-diff-mirrors.1").exists(), "nested subcommands get pages");
    let out = isctl().args(["man", "--dir", "/nonexistent/isctl-man"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("error: cannot write the manual page /nonexistent/isctl-man/"), "{stderr}");
}

#[test]
fn kubectl_runs_isctl_as_a_plugin() {
    // kubectl runs `kubectl-isctl` from PATH for `kubectl isctl ...`.
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_isctl"), dir.path().join("kubectl-isctl")).unwrap();
    let path = format!("{}:{}", dir.path().display(), std::env::var("PATH").unwrap_or_default());
    let kubectl = std::process::Command::new("kubectl")
        .args(["isctl", "get", "is", "-n", "openshift", "-o", "name", "--from", "fixtures/must-gather"])
        .env("PATH", path)
        .env("KUBECONFIG", dir.path().join("none"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("kubectl runs");
    let plugin = String::from_utf8_lossy(&kubectl.stdout);
    let direct = isctl()
        .args(["get", "is", "-n", "openshift", "-o", "name", "--from", "fixtures/must-gather"])
        .output()
        .unwrap();
    assert!(kubectl.status.success(), "{}", String::from_utf8_lossy(&kubectl.stderr));
    assert_eq!(plugin, String::from_utf8_lossy(&direct.stdout));
}
