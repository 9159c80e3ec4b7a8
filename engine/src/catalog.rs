//! Control catalog facts the engine and reports need.
//!
//! For now: NIST SP 800-53 Rev 5 family names, keyed by the two-letter code.

/// The 20 control families of NIST SP 800-53 Rev 5.
pub const FAMILIES: &[(&str, &str)] = &[
    ("AC", "Access Control"),
    ("AT", "Awareness and Training"),
    ("AU", "Audit and Accountability"),
    ("CA", "Assessment, Authorization, and Monitoring"),
    ("CM", "Configuration Management"),
    ("CP", "Contingency Planning"),
    ("IA", "Identification and Authentication"),
    ("IR", "Incident Response"),
    ("MA", "Maintenance"),
    ("MP", "Media Protection"),
    ("PE", "Physical and Environmental Protection"),
    ("PL", "Planning"),
    ("PM", "Program Management"),
    ("PS", "Personnel Security"),
    ("PT", "PII Processing and Transparency"),
    ("RA", "Risk Assessment"),
    ("SA", "System and Services Acquisition"),
    ("SC", "System and Communications Protection"),
    ("SI", "System and Information Integrity"),
    ("SR", "Supply Chain Risk Management"),
];

/// "Access Control" for "AC"; the code itself when unknown.
pub fn family_name(code: &str) -> &str {
    FAMILIES.iter().find(|(c, _)| *c == code).map_or(code, |(_, n)| n)
}
