//! `gen-corpus`: writes a seeded, deterministic benchmark corpus.
//!
//! ```text
//! gen-corpus --out DIR --files N [--seed S]
//! ```
//!
//! About 70% of the files are Kubernetes YAML (Deployments, StatefulSets,
//! DaemonSets, Jobs, CronJobs, Pods and Services; a quarter of them are
//! multi-document files that add a Service and sometimes a ConfigMap), and
//! about 30% are application configs, half JSON and half YAML. Each file is
//! 40–150 lines and randomly compliant or not: securityContext settings,
//! image tags and registries, resource limits, probes, host namespaces,
//! hostPath volumes, literal secrets, TLS and logging settings all vary.
//!
//! File `i` depends only on the seed and `i`, so the first 2,000 files of a
//! 10,000-file corpus are the 2,000-file corpus of the same seed. `DIR` must
//! not exist or be empty.

use serde_json::{json, Map, Value};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use tollgate_bench::{Args, Rng};

const TEAMS: &[&str] = &[
    "payments",
    "search",
    "identity",
    "checkout",
    "catalog",
    "billing",
    "platform",
    "data",
    "ml",
    "edge",
    "notifications",
    "reporting",
    "ledger",
    "inventory",
    "shipping",
    "support",
];
const APPS: &[&str] = &[
    "api",
    "worker",
    "gateway",
    "web",
    "scheduler",
    "indexer",
    "exporter",
    "consumer",
    "frontend",
    "admin",
    "sync",
    "cache",
    "proxy",
    "auth",
];
const NAMESPACES: &[&str] = &["prod", "staging", "dev", "batch", "monitoring", "default"];
const GOOD_REGISTRIES: &[&str] = &["registry.tollgate.example", "gcr.io/tollgate-prod", "123456789012.dkr.ecr.us-east-1.amazonaws.com"];
const BAD_REGISTRIES: &[&str] = &["docker.io/library", "quay.io/someone", "ghcr.io/random-user"];
const ENV_VARS: &[(&str, &str)] = &[
    ("LOG_LEVEL", "info"),
    ("PORT", "8080"),
    ("REGION", "eu-west-1"),
    ("FEATURE_FLAGS", "checkout-v2,fast-search"),
    ("CACHE_TTL", "300"),
    ("UPSTREAM_URL", "http://upstream.internal:8080"),
    ("MAX_CONNECTIONS", "256"),
    ("TIMEOUT_SECONDS", "30"),
    ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.monitoring:4317"),
    ("WORKERS", "4"),
];
const SECRET_ENV_NAMES: &[&str] = &["DB_PASSWORD", "API_TOKEN", "AWS_SECRET_ACCESS_KEY", "SESSION_SECRET", "SMTP_PASSWORD"];

fn main() {
    if let Err(e) = run() {
        eprintln!("gen-corpus: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let args = Args::parse(&["out", "files", "seed"])?;
    let out: PathBuf = args.get::<String>("out", None)?.into();
    let files: usize = args.get("files", None)?;
    let seed: u64 = args.get("seed", Some(42))?;
    if out.exists() && std::fs::read_dir(&out).map_err(|e| e.to_string())?.next().is_some() {
        return Err(format!("{} exists and is not empty; remove it first", out.display()));
    }
    let mut stats = Stats::default();
    for i in 0..files {
        let mut rng = Rng::new(seed, i as u64);
        let (rel, text) = generate(&mut rng, i, &mut stats);
        write(&out.join(rel), &text)?;
    }
    eprintln!(
        "gen-corpus: wrote {files} files ({} k8s, {} json, {} yaml configs; {} k8s documents; {} lines, {:.1} MiB) to {}",
        stats.k8s_files,
        stats.json_files,
        stats.yaml_configs,
        stats.k8s_docs,
        stats.lines,
        stats.bytes as f64 / (1024.0 * 1024.0),
        out.display()
    );
    Ok(())
}

#[derive(Default)]
struct Stats {
    k8s_files: usize,
    k8s_docs: usize,
    json_files: usize,
    yaml_configs: usize,
    lines: usize,
    bytes: usize,
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// One file: its path relative to the corpus root and its text.
fn generate(rng: &mut Rng, i: usize, stats: &mut Stats) -> (String, String) {
    let team = rng.pick(TEAMS);
    let app = rng.pick(APPS);
    let (rel, text) = if rng.chance(0.70) {
        stats.k8s_files += 1;
        let mut y = Yaml::default();
        let docs = k8s_file(rng, &mut y, team, app, i);
        stats.k8s_docs += docs;
        (format!("k8s/{team}/{app}-{i:05}.yaml"), y.out)
    } else if rng.chance(0.5) {
        stats.json_files += 1;
        let cfg = config(rng, team, app);
        let text = serde_json::to_string_pretty(&cfg).expect("serialisable") + "\n";
        (format!("config/{team}/{app}-{i:05}.json"), text)
    } else {
        stats.yaml_configs += 1;
        let cfg = config(rng, team, app);
        let mut y = Yaml::default();
        y.line(0, &format!("# {app} configuration ({team})"));
        y.value(0, &cfg);
        (format!("config/{team}/{app}-{i:05}.yaml"), y.out)
    };
    stats.lines += text.lines().count();
    stats.bytes += text.len();
    (rel, text)
}

// ---------------------------------------------------------------------------
// Kubernetes manifests
// ---------------------------------------------------------------------------

/// How likely each insecure setting is in this file: most files are mostly
/// compliant, some are sloppy.
struct Risk(f64);

impl Risk {
    fn bad(&self, rng: &mut Rng) -> bool {
        rng.chance(self.0)
    }
}

/// Writes one Kubernetes file into `y` and returns the number of documents.
fn k8s_file(rng: &mut Rng, y: &mut Yaml, team: &str, app: &str, i: usize) -> usize {
    let risk = Risk(if rng.chance(0.5) { 0.04 } else { 0.35 });
    let ns = rng.pick(NAMESPACES);
    let name = format!("{app}-{}", i % 997);
    let kind = rng.pick(&[
        "Deployment",
        "Deployment",
        "Deployment",
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "CronJob",
        "CronJob",
        "Pod",
        "Pod",
        "Service",
    ]);
    if kind == "Service" {
        service(rng, y, &risk, team, &name, ns, true);
        return 1;
    }
    let multi = kind != "Pod" && rng.chance(0.25);
    if multi && rng.chance(0.4) {
        y.line(0, "---");
    }
    // Keep multi-document files within ~150 lines: one container each.
    workload(rng, y, &risk, kind, team, &name, ns, if multi { 1 } else { 2 });
    let mut docs = 1;
    if multi {
        y.line(0, "---");
        service(rng, y, &risk, team, &name, ns, false);
        docs += 1;
        if rng.chance(0.5) {
            y.line(0, "---");
            config_map(rng, y, team, &name, ns);
            docs += 1;
        }
    }
    docs
}

fn metadata(rng: &mut Rng, y: &mut Yaml, team: &str, name: &str, ns: &str, risk: &Risk, extra_annotation: Option<(&str, &str)>) {
    y.line(0, "metadata:");
    y.kv(2, "name", name);
    y.kv(2, "namespace", ns);
    y.line(2, "labels:");
    if !risk.bad(rng) {
        y.kv(4, "app.kubernetes.io/name", name);
    }
    y.kv(4, "app.kubernetes.io/part-of", team);
    if !risk.bad(rng) {
        y.kv(4, "owner", &format!("team-{team}"));
    }
    y.kv(4, "tier", rng.pick(&["backend", "frontend", "batch", "infra"]));
    let annotated = rng.chance(0.5);
    if annotated || extra_annotation.is_some() {
        y.line(2, "annotations:");
    }
    if annotated {
        y.kv(4, "tollgate.example/reviewed-by", &format!("{team}-lead"));
        y.kv(4, "deployment.kubernetes.io/revision", &format!("\"{}\"", rng.range(1, 40)));
    }
    if let Some((k, v)) = extra_annotation {
        y.kv(4, k, v);
    }
}

#[allow(clippy::too_many_arguments)]
fn workload(rng: &mut Rng, y: &mut Yaml, risk: &Risk, kind: &str, team: &str, name: &str, ns: &str, max_containers: usize) {
    let api = match kind {
        "Pod" => "v1",
        "Job" | "CronJob" => "batch/v1",
        _ => "apps/v1",
    };
    y.kv(0, "apiVersion", api);
    y.kv(0, "kind", kind);
    metadata(rng, y, team, name, ns, risk, None);
    y.line(0, "spec:");
    let pod_indent = match kind {
        "Pod" => 2,
        "CronJob" => {
            y.kv(2, "schedule", &format!("\"{} {} * * *\"", rng.range(0, 59), rng.range(0, 23)));
            y.kv(2, "concurrencyPolicy", "Forbid");
            y.kv(2, "successfulJobsHistoryLimit", "3");
            y.line(2, "jobTemplate:");
            y.line(4, "spec:");
            y.kv(6, "backoffLimit", &rng.range(0, 6).to_string());
            y.line(6, "template:");
            y.line(8, "metadata:");
            y.line(10, "labels:");
            y.kv(12, "app.kubernetes.io/name", name);
            y.line(8, "spec:");
            10
        }
        _ => {
            match kind {
                "Job" => {
                    y.kv(2, "backoffLimit", &rng.range(0, 6).to_string());
                    y.kv(2, "ttlSecondsAfterFinished", "3600");
                }
                "DaemonSet" => {}
                _ => {
                    y.kv(2, "replicas", &rng.range(1, 12).to_string());
                    if kind == "StatefulSet" {
                        y.kv(2, "serviceName", name);
                    }
                    y.kv(2, "revisionHistoryLimit", "5");
                }
            }
            if kind != "Job" {
                y.line(2, "selector:");
                y.line(4, "matchLabels:");
                y.kv(6, "app.kubernetes.io/name", name);
            }
            y.line(2, "template:");
            y.line(4, "metadata:");
            y.line(6, "labels:");
            y.kv(8, "app.kubernetes.io/name", name);
            y.line(4, "spec:");
            6
        }
    };
    pod_spec(rng, y, risk, pod_indent, kind, name, max_containers);
}

#[allow(clippy::too_many_arguments)]
fn pod_spec(rng: &mut Rng, y: &mut Yaml, risk: &Risk, ind: usize, kind: &str, name: &str, max_containers: usize) {
    y.kv(ind, "serviceAccountName", name);
    y.kv(ind, "automountServiceAccountToken", if risk.bad(rng) { "true" } else { "false" });
    if matches!(kind, "Job" | "CronJob") {
        y.kv(ind, "restartPolicy", "OnFailure");
    }
    if risk.bad(rng) {
        y.kv(ind, "hostNetwork", "true");
    }
    if risk.bad(rng) {
        y.kv(ind, rng.pick(&["hostPID", "hostIPC"]), "true");
    }
    let pod_non_root = !risk.bad(rng);
    y.line(ind, "securityContext:");
    if pod_non_root {
        y.kv(ind + 2, "runAsNonRoot", "true");
        y.kv(ind + 2, "runAsUser", &rng.range(1000, 65000).to_string());
    }
    y.kv(ind + 2, "fsGroup", "2000");
    if !risk.bad(rng) {
        y.line(ind + 2, "seccompProfile:");
        y.kv(ind + 4, "type", "RuntimeDefault");
    }
    let init = rng.chance(0.2);
    if init {
        y.line(ind, "initContainers:");
        container(rng, y, risk, ind + 2, "init-migrate", pod_non_root, true);
    }
    y.line(ind, "containers:");
    let n = if !init && max_containers > 1 && rng.chance(0.3) { 2 } else { 1 };
    for c in 0..n {
        let cname = if c == 0 { "app".to_string() } else { rng.pick(&["sidecar-proxy", "log-shipper", "metrics"]).to_string() };
        container(rng, y, risk, ind + 2, &cname, pod_non_root, false);
    }
    y.line(ind, "volumes:");
    y.line(ind + 2, "- name: tmp");
    y.line(ind + 4, "emptyDir: {}");
    y.line(ind + 2, "- name: config");
    y.line(ind + 4, "configMap:");
    y.kv(ind + 6, "name", &format!("{name}-config"));
    if risk.bad(rng) {
        y.line(ind + 2, "- name: host");
        y.line(ind + 4, "hostPath:");
        y.kv(ind + 6, "path", rng.pick(&["/var/run/docker.sock", "/etc", "/var/log"]));
    }
    if rng.chance(0.3) {
        y.line(ind, "tolerations:");
        y.line(ind + 2, "- key: dedicated");
        y.kv(ind + 4, "operator", "Equal");
        y.kv(ind + 4, "value", "batch");
        y.kv(ind + 4, "effect", "NoSchedule");
    }
}

fn image(rng: &mut Rng, risk: &Risk, name: &str) -> String {
    let registry = if risk.bad(rng) { rng.pick(BAD_REGISTRIES) } else { rng.pick(GOOD_REGISTRIES) };
    let r = rng.below(10);
    let tag = if risk.bad(rng) && r < 5 {
        if r < 3 {
            ":latest".to_string()
        } else {
            String::new()
        }
    } else if r < 2 {
        format!("@sha256:{:016x}{:016x}{:016x}{:016x}", rng.next_u64(), rng.next_u64(), rng.next_u64(), rng.next_u64())
    } else {
        format!(":{}.{}.{}", rng.range(0, 4), rng.range(0, 30), rng.range(0, 12))
    };
    format!("{registry}/{name}{tag}")
}

fn container(rng: &mut Rng, y: &mut Yaml, risk: &Risk, ind: usize, name: &str, pod_non_root: bool, init: bool) {
    y.line(ind, &format!("- name: {name}"));
    let i = ind + 2;
    y.kv(i, "image", &image(rng, risk, name));
    y.kv(i, "imagePullPolicy", rng.pick(&["IfNotPresent", "Always"]));
    if init {
        y.line(i, "command: [\"/bin/migrate\", \"--to=latest\"]");
    } else {
        y.line(i, &format!("args: [\"--port=8080\", \"--log-format=json\", \"--workers={}\"]", rng.range(1, 16)));
        y.line(i, "ports:");
        for (pname, port) in [("http", 8080), ("metrics", 9090)].iter().take(rng.range(1, 2) as usize) {
            y.line(i + 2, &format!("- name: {pname}"));
            y.kv(i + 4, "containerPort", &port.to_string());
            y.kv(i + 4, "protocol", "TCP");
        }
    }
    y.line(i, "env:");
    let first = rng.below(ENV_VARS.len());
    for k in 0..rng.range(1, 4) as usize {
        let (env, value) = ENV_VARS[(first + k) % ENV_VARS.len()];
        y.line(i + 2, &format!("- name: {env}"));
        y.kv(i + 4, "value", &format!("\"{value}\""));
    }
    let first = rng.below(SECRET_ENV_NAMES.len());
    for k in 0..rng.range(0, 2) as usize {
        let env = SECRET_ENV_NAMES[(first + k) % SECRET_ENV_NAMES.len()];
        y.line(i + 2, &format!("- name: {env}"));
        if risk.bad(rng) {
            y.kv(i + 4, "value", &format!("\"s3cr3t-{:08x}\"", rng.next_u64() as u32));
        } else {
            y.line(i + 4, "valueFrom:");
            y.line(i + 6, "secretKeyRef:");
            y.kv(i + 8, "name", &format!("{name}-secrets"));
            y.kv(i + 8, "key", &env.to_ascii_lowercase());
        }
    }
    if !risk.bad(rng) {
        y.line(i, "resources:");
        y.line(i + 2, "requests:");
        y.kv(i + 4, "cpu", &format!("{}m", rng.range(1, 10) * 50));
        y.kv(i + 4, "memory", &format!("{}Mi", rng.range(1, 8) * 64));
        if !risk.bad(rng) {
            y.line(i + 2, "limits:");
            y.kv(i + 4, "cpu", &format!("{}m", rng.range(2, 20) * 100));
            if !risk.bad(rng) {
                y.kv(i + 4, "memory", &format!("{}Mi", rng.range(2, 16) * 128));
            }
        }
    }
    if !init {
        for probe in ["livenessProbe", "readinessProbe"] {
            if risk.bad(rng) {
                continue;
            }
            y.line(i, &format!("{probe}:"));
            y.line(i + 2, "httpGet:");
            y.kv(i + 4, "path", if probe == "livenessProbe" { "/healthz" } else { "/ready" });
            y.kv(i + 4, "port", "http");
            y.kv(i + 2, "initialDelaySeconds", &rng.range(0, 30).to_string());
            y.kv(i + 2, "periodSeconds", "10");
        }
    }
    y.line(i, "securityContext:");
    if risk.bad(rng) {
        y.kv(i + 2, "privileged", "true");
    }
    y.kv(i + 2, "allowPrivilegeEscalation", if risk.bad(rng) { "true" } else { "false" });
    y.kv(i + 2, "readOnlyRootFilesystem", if risk.bad(rng) { "false" } else { "true" });
    if !pod_non_root && !risk.bad(rng) {
        y.kv(i + 2, "runAsNonRoot", "true");
    }
    y.line(i + 2, "capabilities:");
    if risk.bad(rng) {
        y.line(i + 4, &format!("add: [\"{}\"]", rng.pick(&["NET_ADMIN", "SYS_ADMIN", "SYS_PTRACE", "NET_BIND_SERVICE"])));
    } else {
        y.line(i + 4, "drop: [\"ALL\"]");
    }
    y.line(i, "volumeMounts:");
    y.line(i + 2, "- name: tmp");
    y.kv(i + 4, "mountPath", "/tmp");
    y.line(i + 2, "- name: config");
    y.kv(i + 4, "mountPath", "/etc/app");
    y.kv(i + 4, "readOnly", "true");
}

fn service(rng: &mut Rng, y: &mut Yaml, risk: &Risk, team: &str, name: &str, ns: &str, standalone: bool) {
    y.kv(0, "apiVersion", "v1");
    y.kv(0, "kind", "Service");
    let exposed = risk.bad(rng);
    let internal = exposed && rng.chance(0.5);
    metadata(rng, y, team, name, ns, risk, internal.then_some(("networking.gke.io/load-balancer-type", "Internal")));
    y.line(0, "spec:");
    y.kv(2, "type", if exposed { rng.pick(&["LoadBalancer", "NodePort"]) } else { "ClusterIP" });
    y.line(2, "selector:");
    y.kv(4, "app.kubernetes.io/name", name);
    y.line(2, "ports:");
    let ports = if standalone { rng.range(4, 6) } else { rng.range(1, 2) };
    for p in 0..ports {
        let pname = ["http", "metrics", "grpc", "admin", "debug", "health"][p as usize];
        y.line(2, &format!("- name: {pname}"));
        y.kv(4, "port", &(80 + p * 1000).to_string());
        y.kv(4, "targetPort", &(8080 + p).to_string());
        y.kv(4, "protocol", "TCP");
    }
    if standalone {
        y.kv(2, "sessionAffinity", "None");
        y.kv(2, "publishNotReadyAddresses", "false");
        y.line(2, "ipFamilies:");
        y.line(4, "- IPv4");
        y.kv(2, "ipFamilyPolicy", "SingleStack");
        y.kv(2, "internalTrafficPolicy", "Cluster");
    }
}

fn config_map(rng: &mut Rng, y: &mut Yaml, team: &str, name: &str, ns: &str) {
    y.kv(0, "apiVersion", "v1");
    y.kv(0, "kind", "ConfigMap");
    y.line(0, "metadata:");
    y.kv(2, "name", &format!("{name}-config"));
    y.kv(2, "namespace", ns);
    y.line(2, "labels:");
    y.kv(4, "app.kubernetes.io/part-of", team);
    y.line(0, "data:");
    y.kv(2, "LOG_LEVEL", rng.pick(&["info", "debug", "warn"]));
    y.kv(2, "CACHE_TTL", &format!("\"{}\"", rng.range(10, 3600)));
    y.line(2, "app.properties: |");
    for k in 0..rng.range(2, 6) {
        y.line(4, &format!("setting.{k}=value-{}", rng.range(0, 1000)));
    }
}

// ---------------------------------------------------------------------------
// Application configs (JSON and YAML)
// ---------------------------------------------------------------------------

/// Three in four configs are service configs; the rest are job schedules,
/// which most config rules do not find anything to judge in.
fn config(rng: &mut Rng, team: &str, app: &str) -> Value {
    if rng.chance(0.75) {
        app_config(rng, team, app)
    } else {
        schedule_config(rng, team, app)
    }
}

fn schedule_config(rng: &mut Rng, team: &str, app: &str) -> Value {
    let jobs: Vec<Value> = (0..rng.range(3, 8))
        .map(|k| {
            json!({
                "name": format!("{app}-job-{k}"),
                "schedule": format!("{} {} * * {}", rng.range(0, 59), rng.range(0, 23), rng.range(0, 6)),
                "command": ["/usr/local/bin/run", format!("--task={}", rng.pick(&["compact", "export", "reindex", "rollup"]))],
                "timeout_s": rng.range(60, 7200),
                "notify": { "on_failure": format!("#{team}-alerts"), "on_success": false },
            })
        })
        .collect();
    json!({
        "scheduler": { "name": format!("{team}-{app}-scheduler"), "timezone": "UTC", "max_parallel": rng.range(1, 8) },
        "logging": { "level": rng.pick(&["info", "warn", "debug"]), "format": "text" },
        "jobs": jobs,
    })
}

fn app_config(rng: &mut Rng, team: &str, app: &str) -> Value {
    let bad = if rng.chance(0.5) { 0.05 } else { 0.35 };
    let mut cfg = Map::new();
    cfg.insert("service".into(), json!(format!("{team}-{app}")));
    cfg.insert("version".into(), json!(format!("{}.{}.{}", rng.range(0, 4), rng.range(0, 20), rng.range(0, 9))));
    cfg.insert("environment".into(), json!(rng.pick(&["production", "staging", "development"])));
    cfg.insert("debug".into(), json!(rng.chance(bad)));

    let mut tls = Map::new();
    tls.insert("enabled".into(), json!(!rng.chance(bad)));
    tls.insert("min_version".into(), json!(if rng.chance(bad) { rng.pick(&["1.0", "1.1"]) } else { rng.pick(&["1.2", "1.3"]) }));
    tls.insert("cert_file".into(), json!(format!("/etc/{app}/tls/tls.crt")));
    tls.insert("key_file".into(), json!(format!("/etc/{app}/tls/tls.key")));
    if rng.chance(0.5) {
        tls.insert("ciphers".into(), json!(["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]));
    }
    cfg.insert(
        "server".into(),
        json!({
            "host": "0.0.0.0",
            "port": rng.range(1024, 9999),
            "read_timeout_ms": rng.range(1, 30) * 1000,
            "write_timeout_ms": rng.range(1, 30) * 1000,
            "max_body_bytes": rng.range(1, 64) * 1_048_576,
            "tls": Value::Object(tls),
        }),
    );

    let db_password = if rng.chance(bad) { format!("hunter{}", rng.range(0, 9999)) } else { "${DB_PASSWORD}".to_string() };
    let sslmode = if rng.chance(bad) { rng.pick(&["disable", "allow", "prefer"]) } else { rng.pick(&["require", "verify-full"]) };
    cfg.insert(
        "database".into(),
        json!({
            "driver": "postgres",
            "url": format!("postgres://{app}-db.{team}.svc:5432/{app}?sslmode={sslmode}"),
            "user": format!("{app}_rw"),
            "password": db_password,
            "pool": { "min": rng.range(1, 4), "max": rng.range(5, 50), "idle_timeout_s": 300 },
        }),
    );

    let mut logging = Map::new();
    logging.insert("level".into(), json!(if rng.chance(bad) { "debug" } else { rng.pick(&["info", "warn"]) }));
    logging.insert("format".into(), json!("json"));
    logging.insert("outputs".into(), json!(["stdout", format!("file:///var/log/{app}/{app}.log")]));
    if !rng.chance(bad) {
        logging.insert("audit".into(), json!({ "enabled": !rng.chance(bad), "retention_days": if rng.chance(bad) { 30 } else { rng.pick(&[90, 180, 365]) }, "sink": "siem" }));
    }
    cfg.insert("logging".into(), Value::Object(logging));

    let mut integrations = Map::new();
    for name in ["payments", "email", "analytics", "storage"].iter().take(rng.range(1, 4) as usize) {
        let secret = if rng.chance(bad) {
            json!(format!("sk_live_{:012x}", rng.next_u64() >> 16))
        } else {
            json!(format!("vault:secret/{team}/{name}"))
        };
        integrations.insert(
            (*name).to_string(),
            json!({
                "endpoint": format!("https://{name}.internal.example/v1"),
                "api_key": secret,
                "timeout_ms": rng.range(100, 5000),
                "retries": rng.range(0, 5),
            }),
        );
    }
    cfg.insert("integrations".into(), Value::Object(integrations));

    let routes: Vec<Value> = (0..rng.range(0, 6))
        .map(|k| {
            json!({
                "path": format!("/api/v{}/{}", rng.range(1, 3), rng.pick(&["orders", "users", "items", "reports", "search", "events"])),
                "methods": ["GET", "POST"],
                "auth": if rng.chance(bad) { "none" } else { "oidc" },
                "rate_limit_per_min": rng.range(60, 6000),
                "priority": k,
            })
        })
        .collect();
    cfg.insert("routes".into(), Value::Array(routes));

    let mut features = Map::new();
    for k in 0..rng.range(2, 8) {
        features.insert(format!("feature_{k}"), json!(rng.chance(0.5)));
    }
    cfg.insert("features".into(), Value::Object(features));
    cfg.insert("cache".into(), json!({ "backend": rng.pick(&["redis", "memcached", "memory"]), "ttl_s": rng.range(10, 3600), "max_entries": rng.range(1000, 100000) }));
    Value::Object(cfg)
}

// ---------------------------------------------------------------------------
// A minimal YAML writer
// ---------------------------------------------------------------------------

#[derive(Default)]
struct Yaml {
    out: String,
}

impl Yaml {
    fn line(&mut self, indent: usize, text: &str) {
        let _ = writeln!(self.out, "{:indent$}{text}", "");
    }

    fn kv(&mut self, indent: usize, key: &str, value: &str) {
        let _ = writeln!(self.out, "{:indent$}{key}: {value}", "");
    }

    /// Writes the members of an object (or the items of an array) at `indent`.
    fn value(&mut self, indent: usize, v: &Value) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    match v {
                        Value::Object(m) if !m.is_empty() => {
                            self.line(indent, &format!("{k}:"));
                            self.value(indent + 2, v);
                        }
                        Value::Array(a) if !a.is_empty() => {
                            self.line(indent, &format!("{k}:"));
                            self.value(indent + 2, v);
                        }
                        _ => self.kv(indent, k, &scalar(v)),
                    }
                }
            }
            Value::Array(items) => {
                for item in items {
                    match item {
                        Value::Object(m) if !m.is_empty() => {
                            // First member on the dash line, the rest indented under it.
                            let mut first = true;
                            for (k, v) in m {
                                let prefix = if first { "- " } else { "  " };
                                first = false;
                                match v {
                                    Value::Object(inner) if !inner.is_empty() => {
                                        self.line(indent, &format!("{prefix}{k}:"));
                                        self.value(indent + 4, v);
                                    }
                                    Value::Array(inner) if !inner.is_empty() => {
                                        self.line(indent, &format!("{prefix}{k}:"));
                                        self.value(indent + 4, v);
                                    }
                                    _ => self.line(indent, &format!("{prefix}{k}: {}", scalar(v))),
                                }
                            }
                        }
                        _ => self.line(indent, &format!("- {}", scalar(item))),
                    }
                }
            }
            other => self.line(indent, &scalar(other)),
        }
    }
}

/// A scalar in YAML flow syntax; strings are quoted unless plainly safe.
fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => {
            let plain = !s.is_empty()
                && s.chars().all(|c| c.is_ascii_alphanumeric() || "_-./".contains(c))
                && s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/')
                && !matches!(s.to_ascii_lowercase().as_str(), "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "~");
            if plain {
                s.clone()
            } else {
                Value::String(s.clone()).to_string()
            }
        }
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
        other => other.to_string(),
    }
}
