//! The cells kubectl's printers give the workload kinds (`pkg/printers/internalversion` in
//! Kubernetes), so `kubectl get pods` against `isctl serve` shows READY, STATUS and RESTARTS
//! as a cluster would. Pure: the recorded object and "now" in, text out.

use jiff::Timestamp;
use serde_json::Value;

use crate::model::meta::parse_time;
use crate::model::{ResourceKind, Workload};
use crate::render::age::{kube_age, kube_duration};

/// The field at `path` under `value`.
fn at<'a>(value: Option<&'a Value>, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value?, |v, key| v.get(key))
}

/// A string field, empty when absent.
fn text<'a>(value: Option<&'a Value>, path: &[&str]) -> &'a str {
    at(value, path).and_then(Value::as_str).unwrap_or_default()
}

/// An integer field, 0 when absent (Go's zero value).
fn number(value: Option<&Value>, path: &[&str]) -> i64 {
    at(value, path).and_then(Value::as_i64).unwrap_or_default()
}

/// An array field, empty when absent.
fn list<'a>(value: Option<&'a Value>, path: &[&str]) -> &'a [Value] {
    at(value, path).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default()
}

/// `translateTimestampSince` of a time field.
fn since(value: Option<&Value>, path: &[&str], now: Timestamp) -> Option<String> {
    let time = at(value, path).and_then(Value::as_str)?;
    Some(kube_age(parse_time(Some(time)), now))
}

/// Whether a condition of `conditions` of this type is `True` (the first of the type decides).
fn condition(conditions: &[Value], kind: &str) -> bool {
    conditions.iter().find(|c| text(Some(c), &["type"]) == kind).is_some_and(|c| text(Some(c), &["status"]) == "True")
}

/// A terminated state's reason, or `PREFIXSignal:N` / `PREFIXExitCode:N` without one.
fn terminated_reason(terminated: &Value, prefix: &str) -> String {
    let reason = text(Some(terminated), &["reason"]);
    if !reason.is_empty() {
        return format!("{prefix}{reason}");
    }
    match number(Some(terminated), &["signal"]) {
        0 => format!("{prefix}ExitCode:{}", number(Some(terminated), &["exitCode"])),
        signal => format!("{prefix}Signal:{signal}"),
    }
}

/// What a Pod's container statuses add up to, as `printPod` counts them.
#[derive(Default)]
struct Tally {
    ready: usize,
    restarts: i64,
    last_restart: Option<Timestamp>,
    sidecar_restarts: i64,
    last_sidecar_restart: Option<Timestamp>,
}

/// When a container last finished, from its `lastState`.
fn finished(c: &Value) -> Option<Timestamp> {
    parse_time(at(Some(c), &["lastState", "terminated", "finishedAt"]).and_then(Value::as_str))
}

/// Walks the init containers as `printPod` does: restarts counted, ready sidecars counted,
/// and the status word of the first init container that holds the Pod back (`Init:...`), if
/// one does.
fn init_containers(spec: Option<&Value>, status: Option<&Value>, tally: &mut Tally) -> Option<String> {
    let init_specs = list(spec, &["initContainers"]);
    let restartable = |name: &str| {
        init_specs.iter().any(|c| text(Some(c), &["name"]) == name && text(Some(c), &["restartPolicy"]) == "Always")
    };
    for (i, c) in list(status, &["initContainerStatuses"]).iter().enumerate() {
        let count = number(Some(c), &["restartCount"]);
        tally.restarts += count;
        tally.last_restart = tally.last_restart.max(finished(c));
        let name = text(Some(c), &["name"]);
        if restartable(name) {
            tally.sidecar_restarts += count;
            tally.last_sidecar_restart = tally.last_sidecar_restart.max(finished(c));
        }
        let terminated = at(Some(c), &["state", "terminated"]);
        let waiting = text(Some(c), &["state", "waiting", "reason"]);
        if terminated.is_some_and(|t| number(Some(t), &["exitCode"]) == 0) {
            continue;
        }
        if restartable(name) && at(Some(c), &["started"]).and_then(Value::as_bool) == Some(true) {
            if at(Some(c), &["ready"]).and_then(Value::as_bool) == Some(true) {
                tally.ready += 1;
            }
            continue;
        }
        return Some(match terminated {
            Some(t) => terminated_reason(t, "Init:"),
            None if !waiting.is_empty() && waiting != "PodInitializing" => format!("Init:{waiting}"),
            None => format!("Init:{i}/{}", init_specs.len()),
        });
    }
    None
}

/// Walks the containers as `printPod` does (last first): restarts and ready ones counted, and
/// the status word the last of them sets; `running` when a ready one runs.
fn containers(status: Option<&Value>, tally: &mut Tally, reason: &mut String) -> bool {
    tally.restarts = tally.sidecar_restarts;
    tally.last_restart = tally.last_sidecar_restart;
    let mut running = false;
    for c in list(status, &["containerStatuses"]).iter().rev() {
        tally.restarts += number(Some(c), &["restartCount"]);
        tally.last_restart = tally.last_restart.max(finished(c));
        let waiting = text(Some(c), &["state", "waiting", "reason"]);
        let terminated = at(Some(c), &["state", "terminated"]);
        if !waiting.is_empty() {
            *reason = waiting.to_owned();
        } else if let Some(t) = terminated {
            *reason = terminated_reason(t, "");
        } else if at(Some(c), &["ready"]).and_then(Value::as_bool) == Some(true)
            && at(Some(c), &["state", "running"]).is_some()
        {
            running = true;
            tally.ready += 1;
        }
    }
    running
}

/// A Pod's row as kubectl's `printPod` computes it: NAME READY STATUS RESTARTS AGE, then IP,
/// NODE, NOMINATED NODE and READINESS GATES for `-o wide`.
pub(crate) fn pod(pod: &Workload, now: Timestamp) -> (Vec<String>, Vec<String>) {
    let (spec, status) = (pod.spec.as_ref(), pod.status.as_ref());
    let phase = text(status, &["phase"]);
    let mut reason = match text(status, &["reason"]) {
        "" => phase.to_owned(),
        given => given.to_owned(),
    };
    let conditions = list(status, &["conditions"]);
    if conditions
        .iter()
        .any(|c| text(Some(c), &["type"]) == "PodScheduled" && text(Some(c), &["reason"]) == "SchedulingGated")
    {
        reason = "SchedulingGated".into();
    }
    let init_specs = list(spec, &["initContainers"]);
    let total = list(spec, &["containers"]).len()
        + init_specs.iter().filter(|c| text(Some(c), &["restartPolicy"]) == "Always").count();
    let mut tally = Tally::default();
    let initializing = match init_containers(spec, status, &mut tally) {
        Some(init) => {
            reason = init;
            true
        }
        None => false,
    };
    // The containers count once the init containers are done (a running one makes "Completed"
    // from an earlier container Running or NotReady).
    let examine_containers = !initializing || condition(conditions, "Initialized");
    if examine_containers && containers(status, &mut tally, &mut reason) && reason == "Completed" {
        reason = if condition(conditions, "Ready") { "Running" } else { "NotReady" }.into();
    }
    if pod.metadata.extra.contains_key("deletionTimestamp") {
        if text(status, &["reason"]) == "NodeLost" {
            reason = "Unknown".into();
        } else if phase != "Succeeded" && phase != "Failed" {
            reason = "Terminating".into();
        }
    }
    let restarts = match tally.last_restart {
        Some(when) if tally.restarts != 0 => format!("{} ({} ago)", tally.restarts, kube_age(Some(when), now)),
        _ => tally.restarts.to_string(),
    };
    let age = kube_age(parse_time(pod.metadata.creation_timestamp.as_deref()), now);
    let cells = vec![pod.metadata.name().to_owned(), format!("{}/{total}", tally.ready), reason, restarts, age];
    (cells, pod_wide(spec, status))
}

/// A Pod's `-o wide` cells: IP, NODE, NOMINATED NODE, READINESS GATES.
fn pod_wide(spec: Option<&Value>, status: Option<&Value>) -> Vec<String> {
    let conditions = list(status, &["conditions"]);
    let or_none = |s: &str| if s.is_empty() { "<none>".to_owned() } else { s.to_owned() };
    let gates = list(spec, &["readinessGates"]);
    let gates = match gates.len() {
        0 => "<none>".to_owned(),
        n => {
            let met = gates.iter().filter(|g| condition(conditions, text(Some(g), &["conditionType"]))).count();
            format!("{met}/{n}")
        }
    };
    let ip = list(status, &["podIPs"]).first().map(|ip| text(Some(ip), &["ip"])).unwrap_or_default();
    vec![or_none(ip), or_none(text(spec, &["nodeName"])), or_none(text(status, &["nominatedNodeName"])), gates]
}

/// The row of a controller kind (Deployment, StatefulSet, DaemonSet, ReplicaSet,
/// ReplicationController, Job, CronJob) as kubectl prints it.
pub(crate) fn controller(kind: ResourceKind, w: &Workload, now: Timestamp) -> Vec<String> {
    let (spec, status) = (w.spec.as_ref(), w.status.as_ref());
    let name = w.metadata.name().to_owned();
    let age = kube_age(parse_time(w.metadata.creation_timestamp.as_deref()), now);
    // The server defaults spec.replicas to 1.
    let desired = at(spec, &["replicas"]).and_then(Value::as_i64).unwrap_or(1);
    let n = |path: &[&str]| number(status, path).to_string();
    match kind {
        ResourceKind::Deployment => {
            vec![
                name,
                format!("{}/{desired}", n(&["readyReplicas"])),
                n(&["updatedReplicas"]),
                n(&["availableReplicas"]),
                age,
            ]
        }
        ResourceKind::StatefulSet => vec![name, format!("{}/{desired}", n(&["readyReplicas"])), age],
        ResourceKind::DaemonSet => daemon_set(name, spec, status, age),
        ResourceKind::ReplicaSet | ResourceKind::ReplicationController => {
            vec![name, desired.to_string(), n(&["replicas"]), n(&["readyReplicas"]), age]
        }
        ResourceKind::Job => job(w, now, name, age),
        ResourceKind::CronJob => {
            let zone = at(spec, &["timeZone"]).and_then(Value::as_str).unwrap_or("<none>").to_owned();
            let suspend = match at(spec, &["suspend"]).and_then(Value::as_bool) {
                Some(true) => "True",
                Some(false) => "False",
                None => "<unset>",
            };
            let active = list(status, &["active"]).len().to_string();
            let last = since(status, &["lastScheduleTime"], now).unwrap_or_else(|| "<none>".into());
            vec![name, text(spec, &["schedule"]).to_owned(), zone, suspend.to_owned(), active, last, age]
        }
        _ => vec![name, age],
    }
}

/// A DaemonSet's row: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE.
fn daemon_set(name: String, spec: Option<&Value>, status: Option<&Value>, age: String) -> Vec<String> {
    let selector = at(spec, &["template", "spec", "nodeSelector"]).and_then(Value::as_object);
    let mut pairs: Vec<String> =
        selector.into_iter().flatten().map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default())).collect();
    pairs.sort();
    let selector = if pairs.is_empty() { "<none>".to_owned() } else { pairs.join(",") };
    let numbers = [
        "desiredNumberScheduled",
        "currentNumberScheduled",
        "numberReady",
        "updatedNumberScheduled",
        "numberAvailable",
    ];
    std::iter::once(name)
        .chain(numbers.iter().map(|f| number(status, &[f]).to_string()))
        .chain([selector, age])
        .collect()
}

/// A Job's row: NAME STATUS COMPLETIONS DURATION AGE.
fn job(w: &Workload, now: Timestamp, name: String, age: String) -> Vec<String> {
    let (spec, status) = (w.spec.as_ref(), w.status.as_ref());
    let succeeded = number(status, &["succeeded"]);
    let completions = match at(spec, &["completions"]).and_then(Value::as_i64) {
        Some(c) => format!("{succeeded}/{c}"),
        None => match number(spec, &["parallelism"]) {
            p if p > 1 => format!("{succeeded}/1 of {p}"),
            _ => format!("{succeeded}/1"),
        },
    };
    let start = parse_time(at(status, &["startTime"]).and_then(Value::as_str));
    let end = parse_time(at(status, &["completionTime"]).and_then(Value::as_str));
    let duration = match (start, end) {
        (None, _) => String::new(),
        (Some(s), None) => kube_duration(now.duration_since(s)),
        (Some(s), Some(e)) => kube_duration(e.duration_since(s)),
    };
    let conditions = list(status, &["conditions"]);
    let state = if condition(conditions, "Complete") {
        "Complete"
    } else if condition(conditions, "Failed") {
        "Failed"
    } else if w.metadata.extra.contains_key("deletionTimestamp") {
        "Terminating"
    } else if condition(conditions, "Suspended") {
        "Suspended"
    } else if condition(conditions, "FailureTarget") {
        "FailureTarget"
    } else {
        "Running"
    };
    vec![name, state.to_owned(), completions, duration, age]
}
