//! Where webhooks may go (issue #14, finding 9): the platform POSTs to
//! addresses its subscribers choose, so without a check any organisation
//! could make it call hosts inside the zone's network (SSRF): the loopback
//! interface, private networks, the cloud metadata service. By default a
//! target must be a public address, reached over HTTPS.
//!
//! The check happens twice. At subscription, on the URL's host: a literal
//! address, `localhost`, and — if the name resolves — every address it
//! resolves to ([`check_target`]). At delivery, on the address actually
//! connected to: the webhook client resolves names through
//! [`GuardedResolver`], which drops internal addresses (so a name that
//! resolved to a public address at subscription and to `127.0.0.1` later —
//! DNS rebinding — is refused), and literal addresses, which the client
//! does not resolve, are checked before the POST ([`check_delivery`]).
//!
//! `DispatchSettings::allow_private_targets` (`kuajing serve
//! --webhooks-allow-private`) turns the check off, and allows plain HTTP,
//! for tests and closed networks whose receivers have internal addresses.

use std::fmt;
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::error::{Error, Result};

/// How long the subscription check waits for a name to resolve. A name that
/// does not resolve in time is accepted: the delivery checks it again.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(3);

/// An address class webhooks may not reach, with its name for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Internal {
    /// `0.0.0.0/8`, `::`.
    Unspecified,
    /// `127.0.0.0/8`, `::1`.
    Loopback,
    /// RFC 1918 (`10/8`, `172.16/12`, `192.168/16`), unique local
    /// `fc00::/7` and the deprecated site-local `fec0::/10`.
    Private,
    /// `169.254.0.0/16` (the cloud metadata service `169.254.169.254`
    /// among them) and `fe80::/10`.
    LinkLocal,
    /// The shared address space of carrier-grade NAT, `100.64.0.0/10`
    /// (RFC 6598).
    SharedNat,
    /// `224.0.0.0/4`, `ff00::/8`.
    Multicast,
    /// `255.255.255.255`.
    Broadcast,
    /// Reserved and documentation ranges (`240.0.0.0/4`, `192.0.0.0/24`,
    /// `192.0.2.0/24`, `198.18.0.0/15`, `198.51.100.0/24`, `203.0.113.0/24`,
    /// `2001:db8::/32`, `100::/64`, the deprecated IPv4-compatible `::/96`).
    Reserved,
}

impl Internal {
    /// The class in Chinese.
    pub fn label_zh(self) -> &'static str {
        match self {
            Internal::Unspecified => "未指定地址",
            Internal::Loopback => "本机回环地址",
            Internal::Private => "内网地址（RFC 1918 或 fc00::/7）",
            Internal::LinkLocal => "链路本地地址（含云元数据服务 169.254.169.254）",
            Internal::SharedNat => "运营商级 NAT 共享地址（100.64.0.0/10）",
            Internal::Multicast => "组播地址",
            Internal::Broadcast => "广播地址",
            Internal::Reserved => "保留或文档地址",
        }
    }

    /// The class in English.
    pub fn label_en(self) -> &'static str {
        match self {
            Internal::Unspecified => "an unspecified address",
            Internal::Loopback => "a loopback address",
            Internal::Private => "a private address (RFC 1918 or fc00::/7)",
            Internal::LinkLocal => {
                "a link-local address (the cloud metadata service 169.254.169.254 among them)"
            }
            Internal::SharedNat => "a shared carrier-grade NAT address (100.64.0.0/10)",
            Internal::Multicast => "a multicast address",
            Internal::Broadcast => "a broadcast address",
            Internal::Reserved => "a reserved or documentation address",
        }
    }
}

/// The internal class of `ip`, or `None` for a public address. IPv6
/// addresses that carry an IPv4 address (mapped `::ffff:0:0/96`, NAT64
/// `64:ff9b::/96`, 6to4 `2002::/16`) are judged by that address.
pub fn internal(ip: IpAddr) -> Option<Internal> {
    match ip {
        IpAddr::V4(ip) => internal_v4(ip),
        IpAddr::V6(ip) => internal_v6(ip),
    }
}

fn internal_v4(ip: Ipv4Addr) -> Option<Internal> {
    let [a, b, c, _] = ip.octets();
    let class = if a == 0 {
        Internal::Unspecified
    } else if ip.is_loopback() {
        Internal::Loopback
    } else if ip.is_private() {
        Internal::Private
    } else if ip.is_link_local() {
        Internal::LinkLocal
    } else if a == 100 && b & 0xc0 == 64 {
        Internal::SharedNat
    } else if ip.is_broadcast() {
        Internal::Broadcast
    } else if ip.is_multicast() {
        Internal::Multicast
    } else if a >= 240
        || (a, b, c) == (192, 0, 0)
        || (a, b, c) == (192, 0, 2)
        || (a, b & 0xfe) == (198, 18)
        || (a, b, c) == (198, 51, 100)
        || (a, b, c) == (203, 0, 113)
    {
        Internal::Reserved
    } else {
        return None;
    };
    Some(class)
}

fn internal_v6(ip: Ipv6Addr) -> Option<Internal> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return internal_v4(v4);
    }
    let s = ip.segments();
    let embedded = |hi: u16, lo: u16| {
        let [a, b] = hi.to_be_bytes();
        let [c, d] = lo.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    let class = if ip.is_unspecified() {
        Internal::Unspecified
    } else if ip.is_loopback() {
        Internal::Loopback
    } else if s[..6] == [0; 6] {
        Internal::Reserved
    } else if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return internal_v4(embedded(s[6], s[7]));
    } else if s[0] == 0x2002 {
        return internal_v4(embedded(s[1], s[2]));
    } else if s[0] & 0xfe00 == 0xfc00 || s[0] & 0xffc0 == 0xfec0 {
        Internal::Private
    } else if s[0] & 0xffc0 == 0xfe80 {
        Internal::LinkLocal
    } else if s[0] & 0xff00 == 0xff00 {
        Internal::Multicast
    } else if (s[0], s[1]) == (0x2001, 0x0db8) || s[..4] == [0x0100, 0, 0, 0] {
        Internal::Reserved
    } else {
        return None;
    };
    Some(class)
}

/// A name lookup's answer.
pub type LookupFuture = Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>>;

/// How webhook host names are looked up: the system's resolver by
/// default; tests inject their own (a name that resolves to loopback).
#[derive(Clone)]
pub struct HostLookup(Arc<dyn Fn(&str) -> LookupFuture + Send + Sync>);

impl HostLookup {
    /// A lookup that answers with `resolve(name)`.
    pub fn new(resolve: impl Fn(&str) -> LookupFuture + Send + Sync + 'static) -> Self {
        HostLookup(Arc::new(resolve))
    }

    /// The system's resolver (getaddrinfo, on the blocking pool).
    pub fn system() -> Self {
        HostLookup::new(|name| {
            let name = name.to_owned();
            Box::pin(async move {
                let found = tokio::net::lookup_host((name.as_str(), 0)).await?;
                Ok(found.map(|address| address.ip()).collect())
            })
        })
    }

    /// The addresses of `name`.
    pub async fn lookup(&self, name: &str) -> std::io::Result<Vec<IpAddr>> {
        (self.0)(name).await
    }
}

impl Default for HostLookup {
    fn default() -> Self {
        HostLookup::system()
    }
}

impl fmt::Debug for HostLookup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HostLookup")
    }
}

/// A target refused at delivery: the host and what its address is.
#[derive(Debug, thiserror::Error)]
#[error("webhook host {host} resolves only to internal addresses ({address} is {what})", what = .class.label_en())]
pub struct Refused {
    /// The host name or address of the URL.
    pub host: String,
    /// The address refused.
    pub address: IpAddr,
    /// Its class.
    pub class: Internal,
}

/// The resolver of the webhook client: looks names up and keeps only the
/// addresses webhooks may reach (all of them when private targets are
/// allowed), so the connection goes to an address checked at delivery
/// time. A name with no such address fails the delivery with [`Refused`].
#[derive(Debug, Clone)]
pub struct GuardedResolver {
    /// Where names are looked up.
    pub lookup: HostLookup,
    /// Whether internal addresses are allowed.
    pub allow_private: bool,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let guard = self.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found = guard.lookup.lookup(&host).await?;
            let mut refused = None;
            let mut allowed = Vec::new();
            for ip in found {
                match internal(ip) {
                    Some(class) if !guard.allow_private => refused = Some((ip, class)),
                    _ => allowed.push(SocketAddr::new(ip, 0)),
                }
            }
            match (allowed.is_empty(), refused) {
                (true, Some((address, class))) => Err(Box::new(Refused {
                    host,
                    address,
                    class,
                })
                    as Box<dyn std::error::Error + Send + Sync>),
                _ => Ok(Box::new(allowed.into_iter()) as reqwest::dns::Addrs),
            }
        })
    }
}

/// The URL's host as an address, if it is a literal one.
fn literal(url: &reqwest::Url) -> Option<IpAddr> {
    url.host_str()?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()
}

/// Whether `host` is the loopback name `localhost` or one under it
/// (RFC 6761 §6.3: always the loopback interface).
fn is_localhost(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    host == "localhost" || host.ends_with(".localhost")
}

/// The check at delivery of what the client does not resolve: a literal
/// address in the URL. Names are checked by [`GuardedResolver`].
pub fn check_delivery(url: &reqwest::Url, allow_private: bool) -> std::result::Result<(), Refused> {
    if allow_private {
        return Ok(());
    }
    let host = url.host_str().unwrap_or("");
    let address = match literal(url) {
        Some(ip) => ip,
        None if is_localhost(host) => IpAddr::V4(Ipv4Addr::LOCALHOST),
        None => return Ok(()),
    };
    match internal(address) {
        Some(class) => Err(Refused {
            host: host.to_owned(),
            address,
            class,
        }),
        None => Ok(()),
    }
}

/// Checks a webhook URL at subscription: at most 500 characters; `https://`
/// (plain `http://` only where private targets are allowed); and unless
/// they are allowed, a host that is neither an internal address, nor
/// `localhost`, nor a name that resolves to an internal address. A name
/// that does not resolve (yet) is accepted: the delivery checks it again.
pub async fn check_target(
    url: &str,
    allow_private: bool,
    lookup: &HostLookup,
) -> Result<reqwest::Url> {
    let refuse = |why_zh: &str, why_en: &str| {
        Error::invalid(
            "url",
            "WEBHOOK_URL",
            format!("推送地址“{url}”{why_zh}"),
            format!("webhook URL '{url}' {why_en}"),
        )
    };
    if url.chars().count() > 500 {
        return Err(refuse(
            "过长（最多 500 个字符）",
            "is too long (at most 500 characters)",
        ));
    }
    let parsed =
        reqwest::Url::parse(url).map_err(|_| refuse("不是有效的网址", "is not a valid URL"))?;
    match parsed.scheme() {
        "https" => {}
        "http" if allow_private => {}
        _ => {
            return Err(refuse(
                "必须使用 https",
                "must use https (plain http only where the operator allows private targets: --webhooks-allow-private)",
            ));
        }
    }
    let host = parsed.host_str().unwrap_or("").to_owned();
    if host.is_empty() {
        return Err(refuse("没有主机名", "has no host"));
    }
    if allow_private {
        return Ok(parsed);
    }
    if let Err(refused) = check_delivery(&parsed, false) {
        return Err(internal_target(url, &refused));
    }
    if literal(&parsed).is_some() {
        return Ok(parsed);
    }
    let found = tokio::time::timeout(LOOKUP_TIMEOUT, lookup.lookup(&host)).await;
    if let Ok(Ok(addresses)) = found
        && let Some((address, class)) = addresses
            .into_iter()
            .find_map(|ip| internal(ip).map(|class| (ip, class)))
    {
        let refused = Refused {
            host,
            address,
            class,
        };
        return Err(internal_target(url, &refused));
    }
    Ok(parsed)
}

/// The refusal of a URL whose host is (or resolves to) an internal address.
fn internal_target(url: &str, refused: &Refused) -> Error {
    let Refused {
        host,
        address,
        class,
    } = refused;
    let resolved_zh = if host.trim_matches(['[', ']']) == address.to_string() {
        String::new()
    } else {
        format!("（{host} 解析为 {address}）")
    };
    let resolved_en = if host.trim_matches(['[', ']']) == address.to_string() {
        String::new()
    } else {
        format!(" ({host} resolves to {address})")
    };
    Error::invalid(
        "url",
        "WEBHOOK_TARGET_INTERNAL",
        format!(
            "推送地址“{url}”指向{}{resolved_zh}；推送只发往公网地址（测试或封闭网络由运维人员以 --webhooks-allow-private 放行）",
            class.label_zh()
        ),
        format!(
            "webhook URL '{url}' points to {}{resolved_en}; webhooks go to public addresses only (the operator's --webhooks-allow-private allows others, for tests and closed networks)",
            class.label_en()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(text: &str) -> Option<Internal> {
        internal(text.parse().unwrap())
    }

    #[test]
    fn internal_addresses_are_named_by_class() {
        let cases = [
            ("127.0.0.1", Some(Internal::Loopback)),
            ("127.8.9.10", Some(Internal::Loopback)),
            ("::1", Some(Internal::Loopback)),
            ("0.0.0.0", Some(Internal::Unspecified)),
            ("0.1.2.3", Some(Internal::Unspecified)),
            ("::", Some(Internal::Unspecified)),
            ("10.1.2.3", Some(Internal::Private)),
            ("172.16.0.1", Some(Internal::Private)),
            ("172.31.255.255", Some(Internal::Private)),
            ("192.168.1.1", Some(Internal::Private)),
            ("fc00::1", Some(Internal::Private)),
            ("fd12:3456::1", Some(Internal::Private)),
            ("169.254.169.254", Some(Internal::LinkLocal)),
            ("fe80::1", Some(Internal::LinkLocal)),
            ("100.64.0.1", Some(Internal::SharedNat)),
            ("100.127.255.254", Some(Internal::SharedNat)),
            ("224.0.0.1", Some(Internal::Multicast)),
            ("ff02::1", Some(Internal::Multicast)),
            ("255.255.255.255", Some(Internal::Broadcast)),
            ("240.0.0.1", Some(Internal::Reserved)),
            ("192.0.2.10", Some(Internal::Reserved)),
            ("2001:db8::1", Some(Internal::Reserved)),
            // IPv6 carrying an internal IPv4 address.
            ("::ffff:127.0.0.1", Some(Internal::Loopback)),
            ("::ffff:169.254.169.254", Some(Internal::LinkLocal)),
            ("::ffff:10.0.0.1", Some(Internal::Private)),
            ("64:ff9b::a00:1", Some(Internal::Private)),
            ("2002:7f00:1::", Some(Internal::Loopback)),
            ("::127.0.0.1", Some(Internal::Reserved)),
            // Public addresses, and neighbours of the ranges.
            ("8.8.8.8", None),
            ("172.32.0.1", None),
            ("100.128.0.1", None),
            ("169.255.0.1", None),
            ("11.0.0.1", None),
            ("::ffff:8.8.8.8", None),
            ("2400:3200::1", None),
            ("64:ff9b::808:808", None),
        ];
        for (address, expected) in cases {
            assert_eq!(class(address), expected, "{address}");
        }
    }

    fn no_lookup() -> HostLookup {
        HostLookup::new(|_| Box::pin(async { Err(std::io::Error::other("no DNS in this test")) }))
    }

    fn resolving_to(address: &'static str) -> HostLookup {
        HostLookup::new(move |_| {
            Box::pin(async move {
                Ok(vec![
                    address.parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
                ])
            })
        })
    }

    async fn refusal(url: &str, lookup: &HostLookup) -> (String, String) {
        match check_target(url, false, lookup).await {
            Err(Error::Invalid {
                field,
                code,
                message_en,
                ..
            }) => {
                assert_eq!(field, "url");
                (code.to_owned(), message_en)
            }
            other => panic!("{url}: {other:?}"),
        }
    }

    #[tokio::test]
    async fn internal_targets_are_refused_at_subscription_naming_the_address() {
        let none = no_lookup();
        for (url, class) in [
            ("https://127.0.0.1:9000/hook", "a loopback address"),
            ("https://[::1]/hook", "a loopback address"),
            ("https://localhost/hook", "a loopback address"),
            ("https://api.localhost./hook", "a loopback address"),
            ("https://10.0.0.8/hook", "a private address"),
            (
                "https://169.254.169.254/latest/meta-data",
                "a link-local address",
            ),
            ("https://[::ffff:169.254.169.254]/", "a link-local address"),
            ("https://100.64.1.1/", "a shared carrier-grade NAT address"),
            ("https://0x7f.1/hook", "a loopback address"),
            ("https://2130706433/hook", "a loopback address"),
            ("https://[fe80::1]/hook", "a link-local address"),
            ("https://[fd00::5]/hook", "a private address"),
            ("https://0.0.0.0/hook", "an unspecified address"),
            ("https://224.0.0.1/hook", "a multicast address"),
        ] {
            let (code, message) = refusal(url, &none).await;
            assert_eq!(code, "WEBHOOK_TARGET_INTERNAL", "{url}");
            assert!(message.contains(class), "{url}: {message}");
        }
        let (code, message) =
            refusal("https://hooks.example.cn/x", &resolving_to("192.168.3.4")).await;
        assert_eq!(code, "WEBHOOK_TARGET_INTERNAL");
        assert!(
            message.contains("hooks.example.cn resolves to 192.168.3.4"),
            "{message}"
        );
    }

    #[tokio::test]
    async fn https_is_required_unless_private_targets_are_allowed() {
        let none = no_lookup();
        for url in [
            "http://forex.example.gov.cn/hook",
            "ftp://127.0.0.1/hook",
            "not a url",
        ] {
            assert_eq!(refusal(url, &none).await.0, "WEBHOOK_URL", "{url}");
        }
        let public = resolving_to("203.119.26.1");
        assert!(
            check_target("https://forex.example.gov.cn/hook", false, &public)
                .await
                .is_ok()
        );
        // A name that does not resolve (yet) is checked at delivery.
        assert!(
            check_target("https://forex.example.gov.cn/hook", false, &none)
                .await
                .is_ok()
        );
        for url in [
            "http://127.0.0.1:9000/hook",
            "http://localhost/hook",
            "https://10.0.0.8/",
        ] {
            assert!(check_target(url, true, &none).await.is_ok(), "{url}");
        }
        assert_eq!(
            check_target("ftp://127.0.0.1/hook", true, &none)
                .await
                .err()
                .map(|e| e.field().map(str::to_owned)),
            Some(Some("url".to_owned()))
        );
    }

    #[tokio::test]
    async fn the_resolver_drops_internal_addresses_at_delivery() {
        use reqwest::dns::Resolve;
        let mixed = HostLookup::new(|_| {
            Box::pin(async {
                Ok(vec![
                    IpAddr::from([127, 0, 0, 1]),
                    IpAddr::from([203, 119, 26, 1]),
                ])
            })
        });
        let guard = GuardedResolver {
            lookup: mixed,
            allow_private: false,
        };
        let name: reqwest::dns::Name = "rebind.example".parse().unwrap();
        let kept: Vec<SocketAddr> = guard.resolve(name).await.unwrap().collect();
        assert_eq!(kept, [SocketAddr::from(([203, 119, 26, 1], 0))]);

        let guard = GuardedResolver {
            lookup: resolving_to("127.0.0.1"),
            allow_private: false,
        };
        let name: reqwest::dns::Name = "rebind.example".parse().unwrap();
        let refused = guard
            .resolve(name)
            .await
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            refused.contains("rebind.example")
                && refused.contains("127.0.0.1 is a loopback address"),
            "{refused}"
        );

        let open = GuardedResolver {
            lookup: resolving_to("127.0.0.1"),
            allow_private: true,
        };
        let name: reqwest::dns::Name = "rebind.example".parse().unwrap();
        assert_eq!(open.resolve(name).await.unwrap().count(), 1);
    }

    #[test]
    fn literal_targets_are_checked_before_the_post() {
        let url = |text: &str| reqwest::Url::parse(text).unwrap();
        assert!(check_delivery(&url("http://127.0.0.1:8080/hook"), false).is_err());
        assert!(check_delivery(&url("http://[::1]/hook"), false).is_err());
        assert!(check_delivery(&url("http://localhost/hook"), false).is_err());
        assert!(check_delivery(&url("https://8.8.8.8/hook"), false).is_ok());
        assert!(check_delivery(&url("https://forex.example.gov.cn/hook"), false).is_ok());
        assert!(check_delivery(&url("http://127.0.0.1:8080/hook"), true).is_ok());
    }
}
