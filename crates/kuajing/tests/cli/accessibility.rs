//! The accessibility check (issue #17): signed in as the demo's main roles,
//! every page of each role's menu, at desktop width and at a 390 px phone's,
//! is checked by axe-core in the real browser; no serious or critical
//! violation may remain. Each page is also kept as a screenshot
//! (`target/screenshots/`, the CI run's artefacts) for people to look at.
//!
//! axe-core is a test-only tool from the npm registry
//! (`tests/accessibility/package.json`; `.ci/run` installs it with
//! `npm ci`); nothing of it is shipped.

use std::path::PathBuf;

use fantoccini::Locator;

use super::browser::{demo_browser, screenshot, sign_out};
use super::language_walk::sign_in_with_patience;

/// The roles whose paths are checked: an enterprise, its platform, the
/// warehouse, customs, another agency and the zone administration.
const LOGINS: [&str; 6] = ["ebc", "ebp", "warehouse", "customs", "tax", "zone-admin"];

/// Desktop and phone widths.
const WIDTHS: [(&str, u32, u32); 2] = [("desktop", 1280, 900), ("phone", 390, 844)];

fn axe_source() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/accessibility/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "the accessibility check needs axe-core: npm ci --prefix tests/accessibility (.ci/run does); not found at {}",
            path.display()
        )
    })
}

/// Runs axe on the page; its serious and critical violations, each as
/// "rule (impact): help — targets".
const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ['violations'] }).then(result => done(
  result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; ')}`)
)).catch(e => done(['axe failed: ' + e]));
"#;

/// The menu's links on the current page.
async fn menu(client: &fantoccini::Client) -> Vec<String> {
    let links = client
        .execute(
            "return [...document.querySelectorAll('.main-nav a')].map(a => a.getAttribute('href'))",
            vec![],
        )
        .await
        .unwrap();
    links
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l.as_str().map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_main_page_passes_the_accessibility_check_at_desktop_and_phone_width() {
    let axe = axe_source();
    let demo = demo_browser().await;
    let (client, served) = (&demo.client, &demo.served);

    let mut problems = Vec::new();
    let mut checked = 0;
    for login in LOGINS {
        sign_out(client).await;
        client.set_window_size(1280, 900).await.unwrap();
        sign_in_with_patience(client, served, login).await;
        let mut pages = vec!["/home".to_owned()];
        pages.extend(menu(client).await.into_iter().filter(|p| p != "/home"));
        for (width_name, width, height) in WIDTHS {
            client.set_window_size(width, height).await.unwrap();
            for path in &pages {
                client.goto(&served.url(path)).await.unwrap();
                client
                    .wait()
                    .for_element(Locator::Css("main"))
                    .await
                    .unwrap();
                client.execute(&axe, vec![]).await.unwrap();
                let found = client.execute_async(RUN_AXE, vec![]).await.unwrap();
                checked += 1;
                for violation in found.as_array().into_iter().flatten() {
                    problems.push(format!(
                        "{login} {width_name} {path}: {}",
                        violation.as_str().unwrap_or_default()
                    ));
                }
                let name = format!(
                    "{login}-{}-{width_name}",
                    path.trim_start_matches('/')
                        .replace(['/', '?', '&', '='], "_")
                );
                screenshot(client, &name).await;
            }
        }
    }
    demo.client.clone().close().await.unwrap();
    assert!(
        checked >= LOGINS.len() * 2 * 3,
        "only {checked} pages checked"
    );
    assert!(
        problems.is_empty(),
        "{} serious or critical accessibility violations over {checked} pages:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
