//! Identity: which item a weakness is, which asset a resource is, and the
//! deterministic UUIDs the OSCAL ledger gives them.
//!
//! - A weakness is `(system id, rule id)`: one item per failing rule per
//!   system, whatever resources and files it fails on.
//! - An asset is `(resource kind, resource id)`, never the file path, so
//!   moving a resource to another file, or renaming the file, keeps it.
//!   Renaming the resource itself is a different asset.
//!
//! Every UUID is a version 5 UUID (SHA-1, RFC 4122 §4.3) of those parts in a
//! fixed Tollgate namespace, so the same ledger written twice is byte for
//! byte the same and `git diff` shows only what changed.

use uuid::Uuid;

/// The Tollgate POA&M namespace (itself a v5 UUID of `https://tollgate.dev/ns/poam`
/// in the RFC 4122 URL namespace).
pub fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://tollgate.dev/ns/poam")
}

/// The v5 UUID of `parts`, joined with a separator that cannot occur in ids.
pub fn uuid_of(parts: &[&str]) -> String {
    Uuid::new_v5(&namespace(), parts.join("\u{1f}").as_bytes()).to_string()
}

pub fn ledger_uuid(system: &str) -> String {
    uuid_of(&["ledger", system])
}

pub fn tool_uuid() -> String {
    uuid_of(&["component", "tollgate"])
}

/// The UUID of the poam-item of weakness `(system, rule)`. Its risk,
/// observation, remediations, tasks and log entries derive from it.
pub fn item_uuid(system: &str, rule: &str) -> String {
    uuid_of(&["poam-item", system, rule])
}

/// A part of an item: `risk`, `observation`, `recommendation`, `plan`, ...
pub fn item_part_uuid(system: &str, rule: &str, part: &str) -> String {
    uuid_of(&["poam-item", system, rule, part])
}

/// The inventory item of asset `(kind, id)` in `system`.
pub fn asset_uuid(system: &str, kind: &str, id: &str) -> String {
    uuid_of(&["asset", system, kind, id])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_stable_version_5() {
        let a = item_uuid("PAY-01", "TG-K8S-001");
        assert_eq!(a, item_uuid("PAY-01", "TG-K8S-001"));
        assert_ne!(a, item_uuid("PAY-02", "TG-K8S-001"));
        assert_eq!(a.as_bytes()[14], b'5');
        // Parts cannot run together: ("a", "bc") is not ("ab", "c").
        assert_ne!(uuid_of(&["a", "bc"]), uuid_of(&["ab", "c"]));
        // Pinned (and checked against Python's uuid.uuid5): changing the
        // namespace or the scheme would renumber every ledger.
        assert_eq!(namespace().to_string(), "8ca6b6c9-a289-5d33-b669-9a262c145a60");
        assert_eq!(ledger_uuid("PAY-01"), "a0253a5d-4409-5e7a-940f-b58fcd5b628e");
    }
}
