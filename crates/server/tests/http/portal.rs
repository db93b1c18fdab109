//! The web portal, as a browser without JavaScript uses it: pages in Chinese
//! by default, the language switch, refusals as pages, and filing an
//! organisation through the form.

use kuajing_testkit::{TestDatabase, dual_backend_tests};
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{ENTERPRISE, TestApp, ZONE_ADMIN, hidden_csrf, html, location, spawn, uscc};

/// The enterprise's user and the administration's.
const CLERK: &str = "li.na";
const ADMIN: &str = "admin.wang";
/// The organisation filed through the form.
const FILED: &str = "2224960088";

/// A server with the enterprise and the administration, each with a user.
async fn start(db: &TestDatabase) -> (TestApp, String) {
    let app = spawn(db).await;
    let admin_token = app.zone_admin().await;
    app.add_user(ZONE_ADMIN, ADMIN).await;
    app.file(ENTERPRISE, &["ebp", "ebc"]).await;
    app.add_user(ENTERPRISE, CLERK).await;
    (app, admin_token)
}

fn html_lang(tag: &str) -> String {
    format!(r#"<html lang="{tag}">"#)
}

dual_backend_tests! {
    async fn pages_are_in_chinese_until_english_is_chosen(db: TestDatabase) {
        let (app, _) = start(&db).await;
        let browser = app.signed_in(CLERK).await;
        let home = browser.page("/home").await;
        assert!(home.contains(&html_lang("zh-CN")), "{home}");
        assert!(home.contains(&format!("珲春测试机构{ENTERPRISE}")), "own organisation missing");

        let switch = browser.get("/lang/en?next=/home").await;
        assert_eq!(switch.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&switch), "/home");
        assert_eq!(browser.cookie("kj_lang").as_deref(), Some("en"));
        let home = browser.page("/home").await;
        assert!(home.contains(&html_lang("en")), "{home}");
        assert!(!home.contains(&html_lang("zh-CN")));
    }

    /// Issue #17: the sign-in page leads a buyer, who has no account, to
    /// the quota look-up.
    async fn the_sign_in_page_links_the_buyers_quota_look_up(db: TestDatabase) {
        let (app, _) = start(&db).await;
        let page = app.browser().page("/login").await;
        assert!(page.contains(r#"id="quota-link""#) && page.contains(r#"href="/quota""#), "{page}");
        assert!(page.contains(r#"id="forgotten-password""#), "{page}");
    }

    /// Issue #17: a help page with the glossary, open before signing in,
    /// in each language with the Chinese term beside; every signed-in menu
    /// offers it.
    async fn the_help_page_explains_statuses_fields_and_codes(db: TestDatabase) {
        let (app, _) = start(&db).await;
        let visitor = app.browser();
        let sign_in = visitor.page("/login").await;
        assert!(sign_in.contains(r#"href="/help""#), "{sign_in}");
        let chinese = visitor.page("/help").await;
        for expected in ["订购人证件号码", "buyerIdNumber", "人工审核", "保税电商"] {
            assert!(chinese.contains(expected), "{expected}: {chinese}");
        }
        visitor.get("/lang/ru").await;
        let russian = visitor.page("/help").await;
        for expected in ["Глоссарий полей", "Номер документа покупателя", "lang=\"zh-CN\">订购人证件号码", "Выпущено"] {
            assert!(russian.contains(expected), "{expected}: {russian}");
        }
        let clerk = app.signed_in(CLERK).await;
        assert!(clerk.page("/home").await.contains(r#"href="/help""#));
    }

    /// Issue #17: code fields are searchable lists fed by the reference
    /// tables, named in the reader's language.
    async fn the_commodity_form_offers_codes_by_name(db: TestDatabase) {
        let (app, _) = start(&db).await;
        let clerk = app.signed_in(CLERK).await;
        clerk.get("/lang/en").await;
        let form = clerk.page("/filings/commodities/new").await;
        for expected in [r#"list="codes-country""#, r#"list="codes-unit""#, r#"list="codes-currency""#, r#"<option value="344" label="Russia">"#, r#"<option value="035" label="kilogram">"#] {
            assert!(form.contains(expected), "{expected}: {form}");
        }
    }

    /// Issue #17: a form's refusal reads in the reader's language — Russian
    /// too — and names the field by its label, not its key.
    async fn form_errors_read_in_russian_and_name_the_field(db: TestDatabase) {
        let (app, _) = start(&db).await;
        let clerk = app.signed_in(CLERK).await;
        clerk.get("/lang/ru").await;
        let csrf = clerk.csrf().await;
        let form = [("csrf", csrf.as_str()), ("item_no", "bad item!"), ("name", "x"), ("hs_code", "0409000000"), ("origin_country", "344"), ("unit1", "035"), ("reference_price", "10"), ("currency", "142")];
        let page = html(clerk.post_form("/filings/commodities", &form).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(page.contains("номер товара «bad item!» должен состоять из 1–50 латинских букв"), "{page}");
        clerk.get("/lang/zh-CN").await;
        let form = [("csrf", csrf.as_str()), ("item_no", "GOOD-1"), ("name", ""), ("hs_code", "0409000000"), ("origin_country", "344"), ("unit1", "035"), ("reference_price", "10"), ("currency", "142")];
        let page = html(clerk.post_form("/filings/commodities", &form).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(page.contains("名称 不能为空"), "{page}");
        assert!(!page.contains("name 不能为空"), "no field key: {page}");
    }

    /// Issue #17: a form reports every refusal at once — a summary at the
    /// top linking to each field, and the message at the field — and the
    /// API lists them all in `errors`.
    async fn a_form_reports_all_its_errors_at_once(db: TestDatabase) {
        let (app, _) = start(&db).await;
        let clerk = app.signed_in(CLERK).await;
        clerk.get("/lang/en").await;
        let csrf = clerk.csrf().await;
        let form = [("csrf", csrf.as_str()), ("item_no", "bad item!"), ("name", ""), ("hs_code", "0409000000"), ("origin_country", "999"), ("unit1", "035"), ("reference_price", "-1"), ("currency", "142")];
        let page = html(clerk.post_form("/filings/commodities", &form).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        let summary = page.split("id=\"form-error\"").nth(1).unwrap_or_default().split("</div>").next().unwrap_or_default();
        for field in ["#item_no", "#name", "#reference_price"] {
            assert!(summary.contains(field), "{field} in the summary: {page}");
        }
        assert!(summary.contains("(3)") || summary.contains("(4)"), "{summary}");
        for field in ["item_no", "name", "reference_price"] {
            assert!(page.contains(&format!("id=\"{field}-error\"")) && page.contains(&format!("aria-describedby=\"{field}-error\"")), "{field}: {page}");
        }

        let (_, token) = app.issue_token(ENTERPRISE).await;
        let body = json!({"item_no": "bad item!", "name": "", "hs_code": "0409000000", "origin_country": "142", "unit1": "035", "reference_price": "-1", "currency": "142"});
        let response = app.post_json(&token, "/api/filings/commodities", &body).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let refusal: serde_json::Value = response.json().await.unwrap();
        let fields: Vec<&str> = refusal["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
        assert_eq!(fields, ["item_no", "name", "reference_price"], "{refusal}");
        assert_eq!(refusal["field"], "item_no", "the first stays on top: {refusal}");
    }

    /// Issue #17: the directory searches, sorts by any column (kept in the
    /// address, marked with aria-sort) and downloads what it shows.
    async fn the_directory_searches_sorts_and_downloads(db: TestDatabase) {
        let (app, _) = start(&db).await;
        app.file("2224960077", &["logistics"]).await;
        let admin = app.signed_in(ADMIN).await;
        let page = admin.page("/organisations?sort=code&dir=desc").await;
        let first = page.find("/organisations/2224960077\"").unwrap();
        let second = page.find(&format!("/organisations/{ENTERPRISE}\"")).unwrap();
        assert!(first < second, "descending by code: {page}");
        assert!(page.contains("aria-sort=\"descending\"") && page.contains("sort=code&#38;dir=asc"), "{page}");
        let found = admin.page("/organisations?q=2224960077").await;
        assert!(found.contains("/organisations/2224960077\"") && !found.contains(&format!("/organisations/{ENTERPRISE}\"")), "{found}");
        let csv = admin.get("/organisations?q=2224960077&format=csv").await;
        assert_eq!(csv.status(), StatusCode::OK);
        assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        let text = csv.text().await.unwrap();
        assert!(text.contains("2224960077") && !text.contains(ENTERPRISE), "{text}");
        let bad = admin.get("/organisations?format=pdf").await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }

    async fn an_enterprise_may_not_open_the_filing_form(db: TestDatabase) {
        let (app, _) = start(&db).await;
        let browser = app.signed_in(CLERK).await;
        let page = html(browser.get("/organisations/new").await, StatusCode::FORBIDDEN).await;
        assert!(page.contains("ACCESS_DENIED") && page.contains("无权访问"), "{page}");
        let other = browser.get(&format!("/organisations/{ZONE_ADMIN}")).await;
        let other = html(other, StatusCode::FORBIDDEN).await;
        assert!(other.contains("ACCESS_DENIED"), "{other}");
    }

    async fn the_administration_files_an_organisation_through_the_form(db: TestDatabase) {
        let (app, admin_token) = start(&db).await;
        let browser = app.signed_in(ADMIN).await;
        let form = browser.page("/organisations/new").await;
        let csrf = hidden_csrf(&form);
        let uscc = uscc("MA0Y1K2P");
        let fields = [
            ("csrf", csrf.as_str()),
            ("customs_code", FILED),
            ("name", "珲春新设国际物流有限公司"),
            ("uscc", uscc.as_str()),
            ("roles", "logistics"),
            ("roles", "warehouse"),
            ("contact_name", "王芳"),
            ("contact_phone", "0433-7512345"),
        ];
        let filed = browser.post_form("/organisations", &fields).await;
        assert_eq!(filed.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&filed), format!("/organisations/{FILED}?saved=1"));

        let shown = browser.page(&location(&filed)).await;
        assert!(shown.contains("珲春新设国际物流有限公司") && shown.contains(&uscc), "{shown}");
        let missing = browser.get("/organisations/2224960001%00").await;
        assert!(html(missing, StatusCode::NOT_FOUND).await.contains("NOT_FOUND"));
        let directory = browser.page("/organisations").await;
        assert!(directory.contains(FILED), "{directory}");
        let org = app.get_json(&admin_token, &format!("/api/organisations/{FILED}")).await;
        assert_eq!(org["roles"], json!(["logistics", "warehouse"]));
        assert_eq!(org["status"], "active");

        let again = browser.post_form("/organisations", &fields).await;
        let page = html(again, StatusCode::CONFLICT).await;
        assert!(page.contains(r#"aria-invalid="true""#), "the field is not marked");

        // Every refusal at once (issue #17).
        let csrf = hidden_csrf(&page);
        let wrong = [("csrf", csrf.as_str()), ("customs_code", "12"), ("name", ""), ("roles", "logistics"), ("contact_phone", "call me")];
        let page = html(browser.post_form("/organisations", &wrong).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(page.contains("请更正以下问题 (3)"), "{page}");
        for field in ["customs_code", "name", "contact_phone"] {
            assert!(page.contains(&format!("href=\"#{field}\"")) && page.contains(&format!("id=\"{field}-error\"")), "{field}: {page}");
        }
    }
    async fn the_administration_reads_and_filters_the_trail_in_the_portal(db: TestDatabase) {
        let (app, _) = start(&db).await;
        let clerk = app.signed_in(CLERK).await;
        let refused = html(clerk.get("/audit").await, StatusCode::FORBIDDEN).await;
        assert!(refused.contains("ACCESS_DENIED"), "{refused}");

        let admin = app.signed_in(ADMIN).await;
        let page = admin.page("/audit?action=sign_in&outcome=success").await;
        assert!(page.contains("审计日志") && page.contains(CLERK) && page.contains(ADMIN), "{page}");
        assert!(!page.contains(">audit.read<"), "the filter keeps other actions out");
        let denied = admin.page("/audit?outcome=denied").await;
        assert!(denied.contains(">audit.read<") && denied.contains(CLERK), "{denied}");
        // Actions are named in business language, the key beside (issue #17).
        assert!(denied.contains("查看审计日志<br>"), "{denied}");
        assert!(page.contains("登录<br>"), "{page}");
        let bad = html(admin.get("/audit?from=yesterday").await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(bad.contains("yesterday"), "{bad}");

        // The filtered trail downloads as it is filtered (issue #17).
        assert!(denied.contains("/audit/download/csv?outcome=denied"), "{denied}");
        let csv = admin.get("/audit/download/csv?outcome=denied").await;
        assert_eq!(csv.status(), StatusCode::OK);
        let text = csv.text().await.unwrap();
        assert!(text.contains("audit.read") && text.contains(CLERK) && !text.contains("sign_in"), "{text}");
        let xlsx = admin.get("/audit/download/xlsx").await;
        assert_eq!(xlsx.status(), StatusCode::OK);
        assert_eq!(clerk.get("/audit/download/csv").await.status(), StatusCode::FORBIDDEN);
    }
}

/// The links of a page's main navigation.
fn menu(page: &str) -> Vec<String> {
    let Some((_, nav)) = page.split_once(r#"<nav class="main-nav""#) else {
        return Vec::new();
    };
    let nav = nav.split("</nav>").next().unwrap_or("");
    nav.split(r#"href=""#)
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

dual_backend_tests! {
    /// Finding 11 of issue #14: the zone administration reads trade but
    /// takes no customs decision. Every page of its menu still renders; the
    /// clearance page shows the officers' queue and board, without the
    /// watch-list form (customs' decision).
    async fn every_page_of_the_administrations_menu_renders(db: TestDatabase) {
        let (app, _) = start(&db).await;
        let browser = app.signed_in(ADMIN).await;
        let links = menu(&browser.page("/home").await);
        for expected in ["/clearance", "/bonded", "/repair", "/exports", "/purchase-records", "/audit"] {
            assert!(links.iter().any(|l| l == expected), "{expected} missing from {links:?}");
        }
        for link in &links {
            let response = browser.get(link).await;
            assert_eq!(response.status(), StatusCode::OK, "{link}");
        }
        // Suspending an organisation asks first (issue #17).
        let organisation = browser.page(&format!("/organisations/{ENTERPRISE}")).await;
        let status = organisation.split("/status\"").nth(1).unwrap_or_default();
        let asks = status.find("<details class=\"confirm\">");
        assert!(asks.is_some() && asks < status.find("type=\"submit\""), "{organisation}");
        let clearance = browser.page("/clearance").await;
        assert!(clearance.contains("/clearance/board"), "{clearance}");
        assert!(!clearance.contains("/clearance/watch-list"), "no watch-list form: {clearance}");
        assert_eq!(browser.get("/clearance/board").await.status(), StatusCode::OK);
    }
}

dual_backend_tests! {
    /// Issue #17: a menu shows only what its role may open. Tax, forex,
    /// commerce and the other agencies saw 通关 / Clearance and were refused.
    /// Signed in as each role in turn, every link of the menu opens.
    async fn every_roles_menu_leads_only_to_pages_it_may_open(db: TestDatabase) {
        // One address signs in as every role: more than the sign-in burst.
        let config = kuajing_server::ServerConfig { sign_in_burst: 100, ..crate::support::config() };
        let app = crate::support::spawn_with(&db, config).await;
        app.zone_admin().await;
        for (n, role) in kuajing_core::role::Role::ALL.iter().enumerate() {
            let code = format!("22249700{n:02}");
            app.file(&code, &[role.as_str()]).await;
            let login = format!("user.{}", role.as_str());
            app.add_user(&code, &login).await;
            let browser = app.signed_in(&login).await;
            let links = menu(&browser.page("/home").await);
            assert!(!links.is_empty(), "{role}: no menu");
            for link in &links {
                let status = browser.get(link).await.status();
                assert_eq!(status, StatusCode::OK, "{role}: {link}");
            }
        }
    }
}

dual_backend_tests! {
    /// Issue #17: the zone administration resets a user's password in the
    /// portal (no e-mail needed). The old password and every session end;
    /// the reset is audited; an enterprise cannot reset, and a login is
    /// found only under its own organisation.
    async fn the_administration_resets_a_users_password(db: TestDatabase) {
        let (app, admin_token) = start(&db).await;
        let clerk = app.signed_in(CLERK).await;
        let admin = app.signed_in(ADMIN).await;
        let page = admin.page(&format!("/organisations/{ENTERPRISE}")).await;
        let action = format!("/organisations/{ENTERPRISE}/users/{CLERK}/password");
        assert!(page.contains(&action), "{page}");
        let csrf = hidden_csrf(&page);
        const NEW: &str = "a-new-password-2026";

        // Not across organisations: the login is the enterprise's.
        let wrong = admin.post_form(&format!("/organisations/{ZONE_ADMIN}/users/{CLERK}/password"), &[("csrf", &csrf), ("password", NEW)]).await;
        assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
        // Nor with a password the rules refuse.
        let short = admin.post_form(&action, &[("csrf", &csrf), ("password", "short")]).await;
        assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);

        let done = admin.post_form(&action, &[("csrf", &csrf), ("password", NEW)]).await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        assert_ne!(clerk.get("/home").await.status(), StatusCode::OK, "the old session ended");
        let old = app.browser().sign_in(CLERK, crate::support::PASSWORD).await;
        assert_ne!(old.status(), StatusCode::SEE_OTHER, "the old password no longer signs in");
        let fresh = app.browser();
        let new = fresh.sign_in(CLERK, NEW).await;
        assert_eq!(new.status(), StatusCode::SEE_OTHER, "the new one does");
        let audit = app.get_json(&admin_token, "/api/audit?action=user.reset_password").await;
        let entries = audit["entries"].as_array().unwrap();
        assert!(entries.iter().any(|e| e["target"] == CLERK && e["outcome"] == "success"), "{audit}");
        assert!(!audit.to_string().contains(NEW), "the password is never recorded");

        // The enterprise's own user may not reset passwords.
        let csrf = fresh.csrf().await;
        let refused = fresh.post_form(&action, &[("csrf", &csrf), ("password", "another-password-1")]).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        let audit = app.get_json(&admin_token, "/api/audit?action=user.reset_password&outcome=denied").await;
        assert!(audit["entries"].as_array().is_some_and(|e| !e.is_empty()), "refused for want of the right, and audited: {audit}");
    }
}
