//! The language walk (issue #17): signed in as every demo role
//! (`kuajing::demo::USERS`), in Chinese,
//! English and Russian, a real browser follows every link the portal offers
//! and reads each page's text. It fails on a text of the wrong script for
//! the page's language (Chinese on an English page, English on a Russian
//! one, an English word on a Chinese one), on an untranslated key
//! (`organisation.read_personal`, `within_limits`), and on an error page
//! reached from a link.
//!
//! What the platform shows as recorded — names of organisations and goods,
//! codes, the Chinese term beside a translation — is marked on the page
//! (`lang`, `translate="no"`, `.code`) and is not read as the page's own
//! words.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::{Duration, Instant};

use fantoccini::Locator;

use super::browser::{click, demo_browser, fill, sign_out};
use super::*;

/// Pages read per login and language: every page shape the menu leads to
/// fits well within it (a shape is a path with its identifiers blanked).
const PAGES_PER_WALK: usize = 40;

/// The page's own words and where it links, read in the page: text nodes
/// and the labels people read (`aria-label`, `placeholder`, `title`,
/// buttons' values), outside what is marked as recorded data.
const READ_PAGE: &str = r#"
const recorded = '[lang]:not(html), [translate="no"], code, .code, script, style, datalist, .secret';
const texts = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const text = node.textContent.trim();
  if (text && !node.parentElement.closest(recorded)) texts.push(text);
}
for (const el of document.querySelectorAll('[aria-label], [placeholder], [title], input[type=submit]')) {
  if (el.closest(recorded)) continue;
  for (const name of ['aria-label', 'placeholder', 'title']) {
    const value = el.getAttribute(name);
    if (value) texts.push(value.trim());
  }
  if (el.matches('input[type=submit]') && el.value) texts.push(el.value.trim());
}
const links = [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));
const error = document.querySelector('main .notice-error .code');
return { lang: document.documentElement.lang, texts, links, error: error ? error.textContent : null };
"#;

/// A text that breaks the language rule, and why.
fn violation(lang: &str, text: &str) -> Option<&'static str> {
    let han = text.chars().any(is_han);
    let cyrillic = text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
    let latin_words: Vec<&str> = text
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3)
        .collect();
    if untranslated_key(text) {
        return Some("an untranslated key");
    }
    match lang {
        "en" if han => Some("Chinese on an English page"),
        "en" if cyrillic => Some("Russian on an English page"),
        "ru" if han => Some("Chinese on a Russian page"),
        "ru" if !cyrillic && latin_words.len() >= 2 => Some("English on a Russian page"),
        "zh-CN" if cyrillic => Some("Russian on a Chinese page"),
        "zh-CN"
            if !han
                && latin_words
                    .iter()
                    .any(|w| w.len() >= 4 && w.chars().all(|c| c.is_ascii_lowercase())) =>
        {
            Some("English on a Chinese page")
        }
        _ => None,
    }
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// A catalogue key or a code-like word shown to people:
/// `organisation.read_personal`, `within_limits`, `within-limits`.
fn untranslated_key(text: &str) -> bool {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| "()[]:,.;«»\"'".contains(c)))
        .any(|w| {
            let parts: Vec<&str> = w.split(['_', '.']).collect();
            parts.len() >= 2
                && parts
                    .iter()
                    .all(|p| p.len() >= 2 && p.chars().all(|c| c.is_ascii_lowercase()))
        })
}

/// The path with identifiers blanked, so that a walk reads one page of each
/// shape (one list, not every list).
fn shape(path: &str) -> String {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let segments: Vec<String> = path
        .split('/')
        .map(|s| {
            if s.chars().any(|c| c.is_ascii_digit()) && s.len() >= 6 {
                "*".to_owned()
            } else {
                s.to_owned()
            }
        })
        .collect();
    let keys: BTreeSet<&str> = query
        .split('&')
        .filter_map(|p| p.split('=').next())
        .filter(|k| !k.is_empty() && *k != "offset" && *k != "before")
        .collect();
    format!(
        "{}?{}",
        segments.join("/"),
        keys.into_iter().collect::<Vec<_>>().join("&")
    )
}

/// Whether the walk follows `href`: a page of the portal, not a download,
/// an API call, the language switch or signing out.
fn follow(href: &str) -> Option<String> {
    let href = href.split('#').next()?;
    if !href.starts_with('/') || href.starts_with("//") {
        return None;
    }
    let skip = ["/lang/", "/static/", "/api/", "/logout", "/login"];
    if skip.iter().any(|s| href.starts_with(s))
        || href.contains("format=")
        || href.contains("/download")
        || href.contains("show=personal")
        || href.ends_with(".csv")
        || href.ends_with(".xlsx")
    {
        return None;
    }
    Some(href.to_owned())
}

pub(crate) async fn sign_in_with_patience(
    client: &fantoccini::Client,
    served: &Served,
    login: &str,
) {
    let started = Instant::now();
    loop {
        client.goto(&served.url("/login")).await.unwrap();
        if on_home(client).await {
            return;
        }
        fill(client, "#login", login).await;
        fill(client, "#password", kuajing::demo::DEMO_PASSWORD).await;
        click(client, "button[type=submit]").await;
        let submitted = Instant::now();
        while submitted.elapsed() < Duration::from_secs(10) {
            if on_home(client).await {
                return;
            }
            if client
                .find(Locator::Css("main .notice-error"))
                .await
                .is_ok()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // One address signs in seventeen times: past the sign-in burst,
        // each attempt waits for the allowance to refill.
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "{login} could not sign in"
        );
        tokio::time::sleep(Duration::from_secs(3)).await;
    }
}

async fn on_home(client: &fantoccini::Client) -> bool {
    client.current_url().await.unwrap().path() == "/home"
        && client.find(Locator::Css("#org-heading")).await.is_ok()
}

/// Walks the portal from `/home` in `lang`: (pages read, problems found).
async fn walk(
    client: &fantoccini::Client,
    served: &Served,
    login: &str,
    lang: &str,
) -> (usize, Vec<String>) {
    client
        .goto(&served.url(&format!("/lang/{lang}?next=/home")))
        .await
        .unwrap();
    let mut queue = VecDeque::from(["/home".to_owned(), "/help".to_owned()]);
    let mut seen_shapes = BTreeSet::new();
    let mut problems = Vec::new();
    let mut read = 0;
    while let Some(path) = queue.pop_front() {
        if read >= PAGES_PER_WALK || !seen_shapes.insert(shape(&path)) {
            continue;
        }
        client.goto(&served.url(&path)).await.unwrap();
        let page = client.execute(READ_PAGE, vec![]).await.unwrap();
        read += 1;
        let expected_lang = if lang == "zh-CN" { "zh-CN" } else { lang };
        if page["lang"] != expected_lang {
            problems.push(format!(
                "{login} {lang} {path}: the page is in {}",
                page["lang"]
            ));
        }
        if let Some(code) = page["error"].as_str() {
            problems.push(format!(
                "{login} {lang} {path}: a link led to an error page {code}"
            ));
        }
        for text in page["texts"].as_array().into_iter().flatten() {
            let text = text.as_str().unwrap_or_default();
            if let Some(why) = violation(lang, text) {
                problems.push(format!("{login} {lang} {path}: {why}: {text:?}"));
            }
        }
        for href in page["links"].as_array().into_iter().flatten() {
            if let Some(next) = href.as_str().and_then(follow) {
                queue.push_back(next);
            }
        }
    }
    (read, problems)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_of_every_role_speaks_the_readers_language() {
    let demo = demo_browser().await;
    let (client, served) = (&demo.client, &demo.served);

    let mut problems = Vec::new();
    let mut pages: BTreeMap<&str, usize> = BTreeMap::new();
    for login in kuajing::demo::USERS.iter().map(|user| user.login) {
        sign_out(client).await;
        sign_in_with_patience(client, served, login).await;
        for lang in ["zh-CN", "en", "ru"] {
            let (read, found) = walk(client, served, login, lang).await;
            *pages.entry(lang).or_default() += read;
            problems.extend(found);
        }
    }
    demo.client.clone().close().await.unwrap();
    let total: usize = pages.values().sum();
    assert!(
        total > 17 * 3 * 5,
        "the walk read only {total} pages: {pages:?}"
    );
    // Problems are reported once per text, with every place it was seen.
    let mut by_text: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for problem in problems {
        let (place, what) = problem.split_once(": ").unwrap_or(("", &problem));
        by_text
            .entry(what.to_owned())
            .or_default()
            .push(place.to_owned());
    }
    let report: Vec<String> = by_text
        .iter()
        .map(|(what, places)| {
            format!(
                "{what}\n    at {} (and {} more)",
                places[0],
                places.len() - 1
            )
        })
        .collect();
    assert!(
        report.is_empty(),
        "{} problems over {total} pages:\n{}",
        report.len(),
        report.join("\n")
    );
}

#[cfg(test)]
mod rules {
    use super::*;

    #[test]
    fn the_language_rules_catch_what_the_walk_is_for() {
        assert!(violation("en", "放行").is_some());
        assert!(violation("en", "Released").is_none());
        assert!(violation("ru", "Rules engine").is_some());
        assert!(violation("ru", "Выпущено (800)").is_none());
        assert!(violation("ru", "ISO").is_none());
        assert!(violation("zh-CN", "exited").is_some());
        assert!(violation("zh-CN", "放行 (800)").is_none());
        assert!(violation("zh-CN", "USCC").is_none());
        assert!(violation("zh-CN", "organisation.read_personal").is_some());
        assert!(violation("en", "within_limits").is_some());
        assert_eq!(
            shape("/clearance/lists/0193a1b2-77?x=1&offset=20"),
            "/clearance/lists/*?x"
        );
        assert_eq!(follow("/filings?format=csv"), None);
        assert_eq!(follow("/filings#top").as_deref(), Some("/filings"));
    }
}
