//! IP addresses and CIDR blocks: `is_valid_ip`, `is_valid_cidr`,
//! `is_any_cidr`, `cidr_contains`, `is_private`.
//!
//! Addresses are parsed with `std::net` (so `010.0.0.1`, with its octal
//! ambiguity, is refused); a block is an address, `/`, and a prefix length.
//! Host bits after the prefix are allowed and ignored (`10.1.2.3/8` is
//! `10.0.0.0/8`), as in Go's `net.ParseCIDR`. A bare address counts as a
//! single-address block where a block is expected. Anything unreadable is
//! `false`.

use super::common::{func, text};
use rhai::{Dynamic, Engine};
use std::net::IpAddr;

/// A network: its first address as an integer (IPv4 in the low 32 bits),
/// prefix length, and whether it is IPv6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Net {
    pub bits: u128,
    pub prefix: u8,
    pub v6: bool,
}

impl Net {
    fn new(addr: IpAddr, prefix: u8) -> Option<Net> {
        let (bits, v6, width) = match addr {
            IpAddr::V4(a) => (u128::from(u32::from(a)), false, 32),
            IpAddr::V6(a) => (u128::from(a), true, 128),
        };
        (prefix <= width).then(|| Net { bits: bits & Net::mask(prefix, width), prefix, v6 })
    }

    fn width(&self) -> u8 {
        if self.v6 {
            128
        } else {
            32
        }
    }

    fn mask(prefix: u8, width: u8) -> u128 {
        if prefix == 0 {
            0
        } else {
            let all = if width == 128 { u128::MAX } else { u128::from(u32::MAX) };
            all & (all << (width - prefix))
        }
    }

    /// Whether every address of `inner` is in `self`.
    pub fn contains(&self, inner: &Net) -> bool {
        self.v6 == inner.v6 && inner.prefix >= self.prefix && inner.bits & Net::mask(self.prefix, self.width()) == self.bits
    }
}

pub fn parse_ip(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    if s.len() > 64 {
        return None;
    }
    s.parse().ok()
}

/// `addr/prefix`; with `bare_ok`, a plain address is a /32 or /128.
pub fn parse_net(s: &str, bare_ok: bool) -> Option<Net> {
    let s = s.trim();
    match s.split_once('/') {
        Some((addr, prefix)) => {
            if prefix.is_empty() || prefix.len() > 3 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Net::new(parse_ip(addr)?, prefix.parse().ok()?)
        }
        None if bare_ok => {
            let addr = parse_ip(s)?;
            Net::new(addr, if addr.is_ipv6() { 128 } else { 32 })
        }
        None => None,
    }
}

/// Private, loopback and link-local ranges: RFC 1918, RFC 4193 (ULA),
/// 127.0.0.0/8, ::1, 169.254.0.0/16, fe80::/10.
const PRIVATE: &[&str] =
    &["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16", "fc00::/7", "::1/128", "fe80::/10"];

pub fn is_private(net: &Net) -> bool {
    PRIVATE.iter().filter_map(|r| parse_net(r, false)).any(|r| r.contains(net))
}

fn net_of(v: &Dynamic, bare_ok: bool) -> Option<Net> {
    parse_net(&text(v)?, bare_ok)
}

pub fn register(engine: &mut Engine) {
    func(
        "is_valid_ip",
        &["s: &str", "bool"],
        "Whether `s` is an IPv4 or IPv6 address (no prefix).\n\
         ```rhai\n\
         is_valid_ip(\"10.0.0.1\") && is_valid_ip(\"fe80::1\") && !is_valid_ip(\"10.0.0.256\") && !is_valid_ip(\"10.0.0.0/8\")\n\
         ```",
    )
    .register_into_engine(engine, |s: Dynamic| text(&s).is_some_and(|s| parse_ip(&s).is_some()));
    func(
        "is_valid_cidr",
        &["s: &str", "bool"],
        "Whether `s` is a CIDR block `address/prefix` (host bits after the prefix are allowed).\n\
         ```rhai\n\
         is_valid_cidr(\"10.0.0.0/8\") && is_valid_cidr(\"2001:db8::/32\") && !is_valid_cidr(\"10.0.0.0/33\") && !is_valid_cidr(\"10.0.0.1\")\n\
         ```",
    )
    .register_into_engine(engine, |s: Dynamic| net_of(&s, false).is_some());
    func(
        "is_any_cidr",
        &["s: &str", "bool"],
        "Whether `s` is a CIDR block with prefix length 0, i.e. every address: `0.0.0.0/0`, `::/0`.\n\
         (Azure's `*` and `Internet` are not CIDRs: test for them separately.)\n\
         ```rhai\n\
         is_any_cidr(\"0.0.0.0/0\") && is_any_cidr(\"::/0\") && !is_any_cidr(\"0.0.0.0/1\") && !is_any_cidr(())\n\
         ```",
    )
    .register_into_engine(engine, |s: Dynamic| net_of(&s, false).is_some_and(|n| n.prefix == 0));
    func(
        "cidr_contains",
        &["cidr: &str", "ip_or_cidr: &str", "bool"],
        "Whether the block `cidr` contains the address or whole block `ip_or_cidr` (same IP version only).\n\
         A bare address as `cidr` is a single-address block.\n\
         ```rhai\n\
         cidr_contains(\"10.0.0.0/8\", \"10.1.2.3\") && cidr_contains(\"10.0.0.0/8\", \"10.1.0.0/16\")\n\
             && !cidr_contains(\"10.0.0.0/16\", \"10.0.0.0/8\") && !cidr_contains(\"::/0\", \"10.0.0.1\")\n\
         ```",
    )
    .register_into_engine(engine, |outer: Dynamic, inner: Dynamic| match (net_of(&outer, true), net_of(&inner, true)) {
        (Some(outer), Some(inner)) => outer.contains(&inner),
        _ => false,
    });
    func(
        "is_private",
        &["ip_or_cidr: &str", "bool"],
        "Whether the address, or every address of the block, is private or local: RFC 1918\n\
         (`10/8`, `172.16/12`, `192.168/16`), RFC 4193 ULA (`fc00::/7`), loopback (`127/8`, `::1`)\n\
         or link-local (`169.254/16`, `fe80::/10`).\n\
         ```rhai\n\
         is_private(\"192.168.1.10\") && is_private(\"10.0.0.0/16\") && is_private(\"fd00::/8\")\n\
             && !is_private(\"8.8.8.8\") && !is_private(\"0.0.0.0/0\") && !is_private(\"172.32.0.1\")\n\
         ```",
    )
    .register_into_engine(engine, |s: Dynamic| net_of(&s, true).is_some_and(|n| is_private(&n)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_math() {
        let any4 = parse_net("0.0.0.0/0", false).unwrap();
        let host = parse_net("255.255.255.255", true).unwrap();
        assert!(any4.contains(&host));
        assert_eq!(parse_net("10.1.2.3/8", false).unwrap(), parse_net("10.0.0.0/8", false).unwrap());
        assert!(parse_net("::/129", false).is_none());
        assert!(parse_net("10.0.0.0/-1", false).is_none());
        assert!(parse_net("10.0.0.0/", false).is_none());
        assert!(parse_net("::/0", false).unwrap().contains(&parse_net("ffff::1", true).unwrap()));
    }
}
