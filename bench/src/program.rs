//! A seeded program for `tollgate program`: many systems, each a directory
//! with its own `tollgate.toml` and about `files` inputs, for the
//! program-scale benchmark (`bench/program.sh`).
//!
//! System `i` depends only on the seed and `i`, so the first 100 systems of
//! a 1,000-system program are the 100-system program. Each system mixes the
//! inputs the built-in rules judge: Kubernetes workloads and Services
//! (about 45 % of its files), Terraform (25 %: S3 buckets, security groups,
//! RDS instances), Dockerfiles (10 %), JSON application configs (the rest),
//! one `sshd_config` and one AWS password policy. Half the systems are
//! tidy and half sloppy, so pass rates, heat-map cells and POA&M items
//! vary. Every 100th system (from the 8th) has its own `[rules]` settings,
//! one of four, so several compiled policies are shared; the middle system
//! has a misspelt key in its `tollgate.toml`, so the program has one broken
//! system, as real ones do.

use crate::Rng;
use std::fmt::Write;

const TEAMS: &[&str] = &["payments", "identity", "ledger", "search", "billing", "ops", "edge", "data", "mobile", "risk"];
const APPS: &[&str] = &["api", "worker", "gateway", "scheduler", "web", "exporter", "indexer", "notifier"];
const LEVELS: &[&str] = &["low", "moderate", "high"];

/// `[rules]` settings of the systems that do not use the defaults.
const RULE_VARIANTS: &[&str] = &[
    "[rules]\ndisable = [\"TG-K8S-006\"]\n",
    "[rules]\ndisable = [\"TG-DOCKER-005\", \"TG-K8S-011\"]\n",
    "[rules.severity]\n\"TG-K8S-001\" = \"moderate\"\n",
    "[rules]\nmax_operations = 500000\n",
];

/// The directory of system `i`.
pub fn system_dir(i: usize) -> String {
    format!("sys-{i:04}")
}

/// The files of system `i` of a program of `systems`, as (path relative to
/// the program directory, contents): its `tollgate.toml`, then `files` inputs.
pub fn system_files(seed: u64, i: usize, systems: usize, files: usize) -> Vec<(String, String)> {
    let mut rng = Rng::new(seed, i as u64);
    let dir = system_dir(i);
    let team = TEAMS[i % TEAMS.len()];
    let app = APPS[(i / TEAMS.len()) % APPS.len()];
    let sloppy = rng.chance(0.5);
    let mut out = vec![(format!("{dir}/tollgate.toml"), config(&mut rng, i, systems, team, app))];
    out.push((format!("{dir}/host/etc/ssh/sshd_config"), sshd(&mut rng, sloppy)));
    out.push((format!("{dir}/aws/password-policy.json"), password_policy(&mut rng, sloppy)));
    for j in 2..files.max(2) {
        let roll = rng.below(100);
        let (path, text) = match roll {
            0..=44 => (format!("k8s/{app}-{j}.yaml"), k8s(&mut rng, sloppy, team, app, j)),
            45..=69 => (format!("terraform/{app}-{j}.tf"), terraform(&mut rng, sloppy, &dir, j)),
            70..=79 => (format!("docker/{app}-{j}.Dockerfile"), dockerfile(&mut rng, sloppy)),
            _ => (format!("config/{app}-{j}.json"), app_config(&mut rng, sloppy, team, app)),
        };
        out.push((format!("{dir}/{path}"), text));
    }
    out
}

fn config(rng: &mut Rng, i: usize, systems: usize, team: &str, app: &str) -> String {
    let name_key = if i == systems / 2 { "nme" } else { "name" };
    let mut s = format!(
        "[system]\n{name_key} = \"{} {app} {i}\"\nid = \"SYS-{i:04}\"\ncategorization = \"{}\"\nowner = \"{team} team\"\nisso = \"ISSO {}\"\n",
        capital(team),
        rng.pick(LEVELS),
        i % 37
    );
    if rng.chance(0.3) {
        s.push_str("\n[poam]\nexposure = \"internet\"\n");
    }
    if i % 100 == 7 {
        s.push('\n');
        s.push_str(RULE_VARIANTS[(i / 100) % RULE_VARIANTS.len()]);
    }
    s
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// `good` in a tidy system most of the time; in a sloppy one, half the time.
fn choose<'a>(rng: &mut Rng, sloppy: bool, good: &'a str, bad: &'a str) -> &'a str {
    if rng.chance(if sloppy { 0.5 } else { 0.92 }) {
        good
    } else {
        bad
    }
}

fn k8s(rng: &mut Rng, sloppy: bool, team: &str, app: &str, j: usize) -> String {
    let name = format!("{app}-{j}");
    let ns = rng.pick(&["prod", "staging", "batch"]);
    let image = choose(rng, sloppy, "registry.tollgate.example/apps", "docker.io/library");
    let tag = choose(rng, sloppy, "1.4.2", "latest");
    let mut y = format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: {ns}\n  labels:\n    app: {name}\n    team: {team}\n\
         spec:\n  replicas: {}\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n\
         \x20   spec:\n      automountServiceAccountToken: {}\n      containers:\n        - name: {app}\n          image: {image}/{app}:{tag}\n\
         \x20         ports:\n            - containerPort: 8080\n",
        rng.range(1, 6),
        choose(rng, sloppy, "false", "true"),
    );
    y.push_str("          securityContext:\n");
    let _ = writeln!(y, "            privileged: {}", choose(rng, sloppy, "false", "true"));
    let _ = writeln!(y, "            allowPrivilegeEscalation: {}", choose(rng, sloppy, "false", "true"));
    let _ = writeln!(y, "            runAsNonRoot: {}", choose(rng, sloppy, "true", "false"));
    let _ = writeln!(y, "            readOnlyRootFilesystem: {}", choose(rng, sloppy, "true", "false"));
    let _ = writeln!(y, "            capabilities:\n              drop: [\"{}\"]", choose(rng, sloppy, "ALL", "NET_RAW"));
    if choose(rng, sloppy, "y", "n") == "y" {
        y.push_str("            seccompProfile:\n              type: RuntimeDefault\n");
        y.push_str("          resources:\n            limits:\n              cpu: 500m\n              memory: 256Mi\n");
        y.push_str("          livenessProbe:\n            httpGet:\n              path: /healthz\n              port: 8080\n");
        y.push_str("          readinessProbe:\n            httpGet:\n              path: /ready\n              port: 8080\n");
    }
    if rng.chance(if sloppy { 0.3 } else { 0.05 }) {
        y.push_str("          env:\n            - name: DB_PASSWORD\n              value: hunter2\n");
    }
    if rng.chance(0.4) {
        let kind = choose(rng, sloppy, "ClusterIP", "LoadBalancer");
        let _ = write!(
            y,
            "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  type: {kind}\n  selector:\n    app: {name}\n\
             \x20 ports:\n    - port: 443\n      targetPort: 8080\n"
        );
    }
    y
}

fn terraform(rng: &mut Rng, sloppy: bool, dir: &str, j: usize) -> String {
    match rng.below(3) {
        0 => {
            let mut t = format!("resource \"aws_s3_bucket\" \"data_{j}\" {{\n  bucket = \"{dir}-data-{j}\"\n  tags = {{\n    system = \"{dir}\"\n  }}\n}}\n");
            if choose(rng, sloppy, "y", "n") == "y" {
                let _ = write!(
                    t,
                    "\nresource \"aws_s3_bucket_server_side_encryption_configuration\" \"data_{j}\" {{\n  bucket = aws_s3_bucket.data_{j}.id\n\
                     \x20 rule {{\n    apply_server_side_encryption_by_default {{\n      sse_algorithm = \"aws:kms\"\n    }}\n  }}\n}}\n"
                );
            }
            if choose(rng, sloppy, "y", "n") == "y" {
                let _ = write!(
                    t,
                    "\nresource \"aws_s3_bucket_public_access_block\" \"data_{j}\" {{\n  bucket = aws_s3_bucket.data_{j}.id\n\
                     \x20 block_public_acls = true\n  block_public_policy = true\n  ignore_public_acls = true\n  restrict_public_buckets = true\n}}\n"
                );
            }
            t
        }
        1 => {
            let cidr = choose(rng, sloppy, "10.0.0.0/8", "0.0.0.0/0");
            let port = choose(rng, sloppy, "443", "22");
            format!(
                "resource \"aws_security_group\" \"app_{j}\" {{\n  name = \"{dir}-app-{j}\"\n  description = \"application traffic\"\n\n\
                 \x20 ingress {{\n    from_port = {port}\n    to_port = {port}\n    protocol = \"tcp\"\n    cidr_blocks = [\"{cidr}\"]\n  }}\n\n\
                 \x20 egress {{\n    from_port = 443\n    to_port = 443\n    protocol = \"tcp\"\n    cidr_blocks = [\"10.0.0.0/8\"]\n  }}\n}}\n"
            )
        }
        _ => format!(
            "resource \"aws_db_instance\" \"db_{j}\" {{\n  identifier = \"{dir}-db-{j}\"\n  engine = \"postgres\"\n  engine_version = \"16.3\"\n\
             \x20 instance_class = \"db.t3.medium\"\n  allocated_storage = 50\n  storage_encrypted = {}\n  publicly_accessible = {}\n\
             \x20 backup_retention_period = {}\n  deletion_protection = {}\n}}\n",
            choose(rng, sloppy, "true", "false"),
            choose(rng, sloppy, "false", "true"),
            choose(rng, sloppy, "14", "0"),
            choose(rng, sloppy, "true", "false"),
        ),
    }
}

fn dockerfile(rng: &mut Rng, sloppy: bool) -> String {
    let base = choose(rng, sloppy, "gcr.io/distroless/static-debian12:nonroot", "ubuntu:latest");
    let mut d = format!("FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app ./cmd/app\n\nFROM {base}\n");
    if base.starts_with("ubuntu") {
        d.push_str("RUN apt-get update && apt-get install -y curl sudo\n");
    }
    d.push_str("COPY --from=build /out/app /app\n");
    if choose(rng, sloppy, "y", "n") == "y" {
        d.push_str("USER 65532:65532\nHEALTHCHECK CMD [\"/app\", \"health\"]\n");
    }
    let _ = writeln!(d, "EXPOSE {}\nENTRYPOINT [\"/app\"]", choose(rng, sloppy, "8080", "22"));
    d
}

fn sshd(rng: &mut Rng, sloppy: bool) -> String {
    let mut s = String::from("# Managed by configuration management.\nPort 22\n");
    for (key, good, bad) in [
        ("PermitRootLogin", "no", "yes"),
        ("PasswordAuthentication", "no", "yes"),
        ("X11Forwarding", "no", "yes"),
        ("MaxAuthTries", "4", "10"),
        ("ClientAliveInterval", "300", "0"),
        ("LogLevel", "VERBOSE", "QUIET"),
        ("UsePAM", "yes", "no"),
    ] {
        let _ = writeln!(s, "{key} {}", choose(rng, sloppy, good, bad));
    }
    s.push_str("Ciphers aes256-gcm@openssh.com,aes128-gcm@openssh.com\nBanner /etc/issue.net\n");
    s
}

fn password_policy(rng: &mut Rng, sloppy: bool) -> String {
    format!(
        "{{\n  \"PasswordPolicy\": {{\n    \"MinimumPasswordLength\": {},\n    \"RequireSymbols\": {},\n    \"RequireNumbers\": true,\n\
         \x20   \"RequireUppercaseCharacters\": true,\n    \"RequireLowercaseCharacters\": true,\n    \"AllowUsersToChangePassword\": true,\n\
         \x20   \"MaxPasswordAge\": 90,\n    \"PasswordReusePrevention\": {}\n  }}\n}}\n",
        choose(rng, sloppy, "14", "8"),
        choose(rng, sloppy, "true", "false"),
        choose(rng, sloppy, "24", "3"),
    )
}

fn app_config(rng: &mut Rng, sloppy: bool, team: &str, app: &str) -> String {
    format!(
        "{{\n  \"service\": \"{team}-{app}\",\n  \"environment\": \"{}\",\n  \"listen\": {{ \"port\": 8443, \"tls\": {} }},\n\
         \x20 \"database\": {{ \"host\": \"db.internal\", \"port\": 5432, \"sslmode\": \"{}\" }},\n  \"log_level\": \"{}\",\n\
         \x20 \"features\": [\"audit\", \"metrics\", \"tracing\"],\n  \"timeouts\": {{ \"read_ms\": {}, \"write_ms\": 5000 }}\n}}\n",
        rng.pick(&["production", "staging"]),
        choose(rng, sloppy, "true", "false"),
        choose(rng, sloppy, "verify-full", "disable"),
        choose(rng, sloppy, "info", "debug"),
        rng.range(500, 5000),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn systems_are_seeded_and_independent() {
        let a = system_files(42, 3, 1000, 50);
        assert_eq!(a, system_files(42, 3, 10, 50), "system 3 does not depend on the program's size");
        assert_ne!(a, system_files(43, 3, 1000, 50));
        assert_eq!(a.len(), 51, "tollgate.toml and 50 inputs");
        assert!(a[0].1.contains("id = \"SYS-0003\"") && a[0].1.contains("isso = "));
        assert!(system_files(42, 500, 1000, 50)[0].1.contains("nme = "), "the middle system is broken");
        assert!(system_files(42, 107, 1000, 50)[0].1.contains("[rules]"), "some systems have their own rules");
    }
}
