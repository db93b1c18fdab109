//! The OpenAPI document against the server that serves it (issue #14,
//! finding 12): a client written from `/api/openapi.json` alone must not be
//! refused for the shape of what it sends.
//!
//! - Statically: every path parameter an operation documents is a `{name}`
//!   of its path and every `{name}` is documented; parameters are in `path`,
//!   `query`, `header` or `cookie`.
//! - For every operation, twice — with the required fields and parameters
//!   only, and with every documented field and parameter — a request is
//!   built from the document (an `example` where the schema has one,
//!   otherwise a type-correct value) and sent with the token of an
//!   enterprise, a warehouse, customs and the zone administration in turn
//!   (whoever is let in answers the body). No answer may be a shape refusal
//!   (400 `BODY_MALFORMED`, 415 `BODY_MEDIA_TYPE`), a route the server does
//!   not have (404 "page", 405), or a server error; a business refusal (404
//!   of a record, 409, 422 with a rule's code) is fine.
//! - A 2xx JSON answer must be documented for its status and match the
//!   documented schema: required properties present, no property the schema
//!   does not declare, types as declared. This is what catches two Rust
//!   types sharing one component name (the document then describes one of
//!   them for both).

use std::collections::BTreeSet;

use kuajing_ceb::sample::Parcel;
use kuajing_core::role::Role;
use kuajing_testkit::dual_backend_tests;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::{Map, Value, json};

use crate::support::{ENTERPRISE, TestApp, json as json_of, send, spawn};

/// An organisation no caller acts for, named by `{code}`: steps taken on it
/// (a suspension, a new user) leave the callers' standing alone.
const BYSTANDER: &str = "2224960099";

/// How much of the document a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fill {
    /// Required fields and parameters only.
    Required,
    /// Every documented field and parameter.
    Everything,
}

/// The OpenAPI document, with the lookups the test needs.
struct Doc(Value);

impl Doc {
    /// `schema`, its `$ref` followed.
    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let name = reference.trim_start_matches("#/components/schemas/");
                self.resolve(&self.0["components"]["schemas"][name])
            }
            None => schema,
        }
    }

    /// A value the schema describes: its example, else the first of its
    /// enumeration, else a value of its (first non-null) type; objects with
    /// their required properties or, for [`Fill::Everything`], all.
    fn instance(&self, schema: &Value, fill: Fill, depth: usize) -> Value {
        let schema = self.resolve(schema);
        if depth > 8 {
            return Value::Null;
        }
        if let Some(example) = schema.get("example") {
            return example.clone();
        }
        if let Some(first) = schema["examples"].as_array().and_then(|e| e.first()) {
            return first.clone();
        }
        if let Some(first) = schema["enum"]
            .as_array()
            .and_then(|e| e.iter().find(|v| !v.is_null()))
        {
            return first.clone();
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(variant) = schema[key]
                .as_array()
                .and_then(|all| all.iter().find(|v| self.resolve(v)["type"] != "null"))
            {
                return self.instance(variant, fill, depth + 1);
            }
        }
        if let Some(parts) = schema["allOf"].as_array() {
            let mut merged = Map::new();
            for part in parts {
                if let Value::Object(fields) = self.instance(part, fill, depth + 1) {
                    merged.extend(fields);
                }
            }
            return Value::Object(merged);
        }
        match type_of(schema) {
            Some("object") => {
                let required = names(&schema["required"]);
                let mut object = Map::new();
                for (name, property) in schema["properties"].as_object().into_iter().flatten() {
                    if fill == Fill::Everything || required.contains(name.as_str()) {
                        object.insert(name.clone(), self.instance(property, fill, depth + 1));
                    }
                }
                Value::Object(object)
            }
            Some("array") => {
                let at_least_one = schema["minItems"].as_u64().unwrap_or(0) > 0;
                if fill == Fill::Everything || at_least_one {
                    json!([self.instance(&schema["items"], fill, depth + 1)])
                } else {
                    json!([])
                }
            }
            Some("string") => match schema["format"].as_str() {
                Some("date") => json!("2026-01-05"),
                Some("date-time") => json!("2026-01-05T08:00:00Z"),
                _ => json!("test"),
            },
            Some("integer") => json!(schema["minimum"].as_i64().unwrap_or(1).max(1)),
            Some("number") => json!(1),
            Some("boolean") => json!(true),
            _ => json!({}),
        }
    }

    /// What in `value` breaks `schema`, each problem at its path.
    fn check(&self, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
        let schema = self.resolve(schema);
        for key in ["oneOf", "anyOf"] {
            if let Some(variants) = schema[key].as_array() {
                let fits = variants.iter().any(|variant| {
                    let mut found = Vec::new();
                    self.check(variant, value, at, &mut found);
                    found.is_empty()
                });
                if !fits {
                    problems.push(format!("{at}: {value} fits none of the {key} variants"));
                }
                return;
            }
        }
        if let Some(parts) = schema["allOf"].as_array() {
            let merged = self.merged(parts);
            return self.check(&merged, value, at, problems);
        }
        if let Some(allowed) = schema["enum"].as_array()
            && !allowed.contains(value)
        {
            problems.push(format!("{at}: {value} is not one of {allowed:?}"));
            return;
        }
        let types = types_of(schema);
        if types.is_empty() && schema.get("properties").is_none() {
            return;
        }
        if value.is_null() {
            if !types.contains(&"null") {
                problems.push(format!("{at}: null where {types:?} is documented"));
            }
            return;
        }
        let actual = match value {
            Value::Object(_) => "object",
            Value::Array(_) => "array",
            Value::String(_) => "string",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::Null => "null",
        };
        let fits = types.is_empty()
            || types.contains(&actual)
            || (actual == "integer" && types.contains(&"number"));
        if !fits {
            problems.push(format!("{at}: {actual} where {types:?} is documented"));
            return;
        }
        match value {
            Value::Object(fields) => self.check_object(schema, fields, at, problems),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.check(&schema["items"], item, &format!("{at}[{i}]"), problems);
                }
            }
            _ => {}
        }
    }

    fn check_object(
        &self,
        schema: &Value,
        fields: &Map<String, Value>,
        at: &str,
        problems: &mut Vec<String>,
    ) {
        let properties = schema["properties"].as_object();
        for required in names(&schema["required"]) {
            if !fields.contains_key(required) {
                problems.push(format!("{at}.{required}: documented as required, missing"));
            }
        }
        for (name, value) in fields {
            let path = format!("{at}.{name}");
            match (
                properties.and_then(|p| p.get(name)),
                schema.get("additionalProperties"),
            ) {
                (Some(property), _) => self.check(property, value, &path, problems),
                (None, Some(Value::Bool(true))) => {}
                (None, Some(extra @ Value::Object(_))) => self.check(extra, value, &path, problems),
                (None, _) if properties.is_none() => {}
                (None, _) => problems.push(format!("{path}: sent but not documented")),
            }
        }
    }

    /// The parts of an `allOf` as one object schema.
    fn merged(&self, parts: &[Value]) -> Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for part in parts {
            let part = self.resolve(part);
            if let Some(more) = part["properties"].as_object() {
                properties.extend(more.clone());
            }
            required.extend(part["required"].as_array().cloned().unwrap_or_default());
        }
        json!({"type": "object", "properties": properties, "required": required})
    }
}

/// The types a schema allows (`type` as a string or a list).
fn types_of(schema: &Value) -> Vec<&str> {
    match &schema["type"] {
        Value::String(one) => vec![one.as_str()],
        Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The first non-null type.
fn type_of(schema: &Value) -> Option<&str> {
    types_of(schema).into_iter().find(|t| *t != "null")
}

fn names(list: &Value) -> BTreeSet<&str> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// The `{name}`s of a path template.
fn template_names(path: &str) -> BTreeSet<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split('}').next())
        .collect()
}

/// Every documented parameter is where the path says, in a known place.
fn check_parameters(doc: &Doc, problems: &mut Vec<String>) {
    for (path, item) in doc.0["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let parameters = operation["parameters"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let mut in_path = BTreeSet::new();
            for parameter in &parameters {
                let name = parameter["name"].as_str().unwrap_or("");
                match parameter["in"].as_str() {
                    Some("path") => {
                        in_path.insert(name.to_owned());
                        if !template_names(path).contains(name) {
                            problems.push(format!(
                                "{method} {path}: `{name}` documented in the path, which has no {{{name}}}"
                            ));
                        }
                    }
                    Some("query" | "header" | "cookie") => {}
                    other => problems.push(format!("{method} {path}: `{name}` in {other:?}")),
                }
            }
            for name in template_names(path) {
                if !in_path.contains(name) {
                    problems.push(format!("{method} {path}: {{{name}}} is not documented"));
                }
            }
        }
    }
}

/// The callers, the values of the path parameters that name real records,
/// and the bystander `{code}` names.
struct World {
    tokens: Vec<(&'static str, String)>,
    order_no: String,
}

impl World {
    async fn new(app: &TestApp) -> World {
        let enterprise = app
            .member(
                ENTERPRISE,
                &["ebp", "ebc", "payment", "logistics", "declarer"],
            )
            .await;
        let warehouse = app.stocked_book("10").await;
        let order = json!({"origin": "abroad", "customer_name": "客户", "goods_name": "笔记本电脑",
            "hs_code": "8471300000", "unit": "001", "quantity": "2", "currency": "142",
            "declared_value": "8000", "received_on": "2026-01-05"});
        let order = app
            .post_json(&warehouse, "/api/repair/orders", &order)
            .await;
        let order = json_of(order, StatusCode::CREATED).await;
        app.file(BYSTANDER, &["ebc"]).await;
        World {
            tokens: vec![
                ("enterprise", enterprise),
                ("warehouse", warehouse),
                ("customs", app.agency(Role::Customs).await),
                ("zone-admin", app.zone_admin().await),
            ],
            order_no: order["order_no"]
                .as_str()
                .expect("an order number")
                .to_owned(),
        }
    }

    /// The value of path parameter `name` of `path`.
    fn path_value(&self, path: &str, name: &str, generated: Value) -> String {
        match name {
            "code" => BYSTANDER.to_owned(),
            "ems_no" => Parcel::BOOK.to_owned(),
            "hs_code" => "0409000000".to_owned(),
            "period" => "2026-01".to_owned(),
            "order_no" => self.order_no.clone(),
            "kind" if path.starts_with("/api/reference/import") => "unit".to_owned(),
            "kind" => "country".to_owned(),
            _ => match generated {
                Value::String(text) => text,
                other => other.to_string(),
            },
        }
    }
}

/// One request built from the document.
struct Call {
    method: Method,
    url: String,
    content_type: Option<String>,
    body: Vec<u8>,
    /// Whether the body is JSON built from a schema (others are bytes of
    /// the media type, whose content the document does not describe).
    described: bool,
}

fn build(app: &TestApp, doc: &Doc, world: &World, path: &str, method: &str, fill: Fill) -> Call {
    let operation = &doc.0["paths"][path][method];
    let mut concrete = path.to_owned();
    let mut query = Vec::new();
    for parameter in operation["parameters"].as_array().into_iter().flatten() {
        let name = parameter["name"].as_str().unwrap_or("");
        let value = doc.instance(&parameter["schema"], fill, 0);
        match parameter["in"].as_str() {
            Some("path") => {
                let value = world.path_value(path, name, value);
                concrete = concrete.replace(&format!("{{{name}}}"), &value);
            }
            Some("query") if fill == Fill::Everything || parameter["required"] == true => {
                let value = match value {
                    Value::String(text) => text,
                    other => other.to_string(),
                };
                query.push((name.to_owned(), value));
            }
            _ => {}
        }
    }
    let mut url = app.url(&concrete);
    if !query.is_empty() {
        let encoded = serde_urlencoded::to_string(&query).expect("a query");
        url = format!("{url}?{encoded}");
    }
    let (content_type, body, described) = match operation["requestBody"]["content"].as_object() {
        None => (None, Vec::new(), false),
        Some(content) => {
            let (media, described) = content.iter().next().expect("a media type");
            match media.as_str() {
                "application/json" => {
                    let value = doc.instance(&described["schema"], fill, 0);
                    let bytes = serde_json::to_vec(&value).expect("JSON");
                    (Some(media.clone()), bytes, true)
                }
                "multipart/form-data" => {
                    let (content_type, bytes) =
                        crate::support::multipart(&[], b"not the expected file\n");
                    (Some(content_type), bytes, false)
                }
                other => (
                    Some(other.to_owned()),
                    b"not the expected content\n".to_vec(),
                    false,
                ),
            }
        }
    };
    Call {
        method: method.to_uppercase().parse().expect("a method"),
        url,
        content_type,
        body,
        described,
    }
}

/// An answer: status, media type, body (JSON, else null), caller.
type Answer = (StatusCode, String, Value, &'static str);

/// The answers to `call` from every caller.
async fn answers(app: &TestApp, world: &World, call: &Call) -> Vec<Answer> {
    let mut all = Vec::new();
    for (who, token) in &world.tokens {
        let mut request = app
            .client
            .request(call.method.clone(), &call.url)
            .bearer_auth(token);
        if let Some(content_type) = &call.content_type {
            request = request
                .header(CONTENT_TYPE, content_type)
                .body(call.body.clone());
        }
        let response = send(request).await;
        let status = response.status();
        let media = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let bytes = response.bytes().await.expect("a body");
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        all.push((status, media, body, *who));
    }
    all
}

/// What is wrong with the answer to a documented request, if anything.
fn judge(
    doc: &Doc,
    cell: &str,
    operation: &Value,
    call: &Call,
    (status, media, body, who): &Answer,
) -> Vec<String> {
    let cell = format!("{cell} as {who}");
    let code = body["code"].as_str().unwrap_or("");
    let shape = match (*status, code) {
        (StatusCode::BAD_REQUEST, "BODY_MALFORMED") => Some("refused for its shape"),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, _) => Some("refused for its media type"),
        (StatusCode::METHOD_NOT_ALLOWED, _) => Some("method not routed"),
        (StatusCode::UNAUTHORIZED, _) => Some("not authenticated"),
        (StatusCode::NOT_FOUND, "NOT_FOUND")
            if body["message_en"]
                .as_str()
                .is_some_and(|m| m.starts_with("page '")) =>
        {
            Some("path not routed")
        }
        (s, _) if s.is_server_error() => Some("a server error"),
        _ => None,
    };
    if let Some(what) = shape {
        let sent = String::from_utf8_lossy(&call.body);
        let described = if call.described {
            ""
        } else {
            " (bytes of the media type)"
        };
        return vec![format!(
            "{cell}: {what}: {status} {body}; sent {sent}{described}"
        )];
    }
    if !status.is_success() || !media.starts_with("application/json") {
        return Vec::new();
    }
    let Some(documented) = operation["responses"][status.as_str()]
        .as_object()
        .or_else(|| operation["responses"]["default"].as_object())
    else {
        return vec![format!(
            "{cell}: answered {status}, which is not documented"
        )];
    };
    let Some(schema) = documented
        .get("content")
        .and_then(|c| c.get("application/json"))
        .map(|c| &c["schema"])
    else {
        return vec![format!("{cell}: a JSON answer where none is documented")];
    };
    let mut problems = Vec::new();
    doc.check(schema, body, "answer", &mut problems);
    problems
        .into_iter()
        .map(|p| format!("{cell}: {p}"))
        .collect()
}

dual_backend_tests! {
    async fn every_documented_request_is_accepted_as_documented(db: TestDatabase) {
        let app = spawn(&db).await;
        let doc = json_of(send(app.client.get(app.url("/api/openapi.json"))).await, StatusCode::OK).await;
        let doc = Doc(doc);
        let mut problems = Vec::new();
        check_parameters(&doc, &mut problems);
        let world = World::new(&app).await;
        let mut calls = 0;
        let mut checked_answers = 0;
        for (path, item) in doc.0["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("operations") {
                for fill in [Fill::Required, Fill::Everything] {
                    let call = build(&app, &doc, &world, path, method, fill);
                    let cell = format!("{} {path} ({fill:?}) {}", method.to_uppercase(), call.url);
                    for answered in answers(&app, &world, &call).await {
                        checked_answers += usize::from(answered.0.is_success() && answered.1.starts_with("application/json"));
                        problems.extend(judge(&doc, &cell, operation, &call, &answered));
                    }
                    calls += 1;
                }
            }
        }
        assert!(calls > 150, "only {calls} calls");
        assert!(checked_answers > 60, "only {checked_answers} answers checked against their schema");
        assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
    }
}
