//! Which `Host` a request may name: the preview's own address, and nothing else.
//!
//! Listening on loopback is not enough. A web page elsewhere can point its own DNS name at
//! 127.0.0.1 (DNS rebinding); the browser then sends the page's requests to the preview with
//! `Host: that-name`, and lets the page read the answers, drafts and internal content
//! included. A name the preview does not know is therefore refused before anything else is
//! looked at. This module must never allow a host name other than `localhost`: an IP literal
//! cannot be rebound, a name can.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The `Host` values the preview answers: `127.0.0.1:PORT`, `localhost:PORT`, `[::1]:PORT` and
/// the bound address with its port (any spelling of these IP literals, any case).
#[derive(Debug, Clone)]
pub struct Hosts {
    bind: IpAddr,
    port: u16,
}

impl Hosts {
    pub fn new(bind: IpAddr, port: u16) -> Hosts {
        Hosts { bind, port }
    }

    /// Whether `value` (a `Host` header, or the authority of an absolute request target) names
    /// the preview.
    pub fn allows(&self, value: &str) -> bool {
        let Some((name, port)) = split(value) else {
            return false;
        };
        // Browsers leave out the port only when it is the scheme's default.
        let port_ok = match port {
            Some(port) => port == self.port,
            None => self.port == 80,
        };
        if !port_ok {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        match parse_ip(name) {
            Some(ip) => {
                ip == IpAddr::V4(Ipv4Addr::LOCALHOST)
                    || ip == IpAddr::V6(Ipv6Addr::LOCALHOST)
                    || ip == self.bind
                    // Bound to every interface (`--bind 0.0.0.0`), the machine's own addresses
                    // are not known here; any IP literal is safe from rebinding, so any is
                    // allowed, with the preview's port. Names other than localhost still are not.
                    || self.bind.is_unspecified()
            }
            None => false,
        }
    }
}

/// `name` and the port of `name:port`, `[v6]:port`, `name` or `[v6]`; `None` when malformed.
fn split(value: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = if let Some(rest) = value.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':')?),
        };
        (inside, port)
    } else {
        match value.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (value, None),
        }
    };
    let port = match port {
        // A port is digits only: `+80` and `0x50` are no ports.
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => Some(p.parse().ok()?),
        Some(_) => return None,
        None => None,
    };
    if name.is_empty() {
        return None;
    }
    Some((name, port))
}

/// An IPv4 literal in its dotted form or an IPv6 literal (from inside the brackets).
fn parse_ip(name: &str) -> Option<IpAddr> {
    name.parse::<IpAddr>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback(port: u16) -> Hosts {
        Hosts::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port)
    }

    #[test]
    fn the_preview_answers_its_own_names() {
        let hosts = loopback(4000);
        for ok in [
            "127.0.0.1:4000",
            "localhost:4000",
            "LocalHost:4000",
            "[::1]:4000",
            "[0:0:0:0:0:0:0:1]:4000",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
    }

    #[test]
    fn every_other_host_is_refused() {
        let hosts = loopback(4000);
        for refused in [
            "evil.example",
            "evil.example:4000",
            "127.0.0.1.evil.example:4000",
            "localhost.evil.example:4000",
            "localhost.:4000",
            "127.0.0.1",
            "localhost",
            "127.0.0.1:4001",
            "127.0.0.1:+4000",
            "127.0.0.1:",
            "127.0.0.1:99999",
            "user@127.0.0.1:4000",
            "[::1]4000",
            "[::1",
            ":4000",
            "",
            "10.0.0.1:4000",
            "0.0.0.0:4000",
        ] {
            assert!(!hosts.allows(refused), "{refused:?}");
        }
    }

    #[test]
    fn the_default_port_may_be_left_out() {
        let hosts = loopback(80);
        assert!(hosts.allows("localhost"));
        assert!(hosts.allows("127.0.0.1"));
        assert!(hosts.allows("[::1]"));
        assert!(!hosts.allows("evil.example"));
    }

    #[test]
    fn a_bind_address_is_allowed_and_every_interface_allows_ip_literals_only() {
        let lan = Hosts::new("192.0.2.7".parse().unwrap(), 4000);
        assert!(lan.allows("192.0.2.7:4000"));
        assert!(lan.allows("localhost:4000"));
        assert!(!lan.allows("192.0.2.8:4000"));
        let every = Hosts::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 4000);
        assert!(every.allows("192.0.2.8:4000"));
        assert!(every.allows("[2001:db8::1]:4000"));
        assert!(!every.allows("192.0.2.8:4001"));
        assert!(!every.allows("evil.example:4000"));
        assert!(!every.allows("my-laptop.local:4000"));
    }
}
