//! The 无票免税 purchase record in the portal (issue #7; policy-rules.md
//! §2.4): the exporter records a purchase (refusals shown on the page with
//! the form as it was filled), sees the month's records with their total,
//! filters by export list, and downloads the file for the tax office (CSV
//! or XLSX); the tax office and customs read every exporter's. The same use
//! cases as `/api/purchase-records` (`kuajing_export::purchase_records`).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kuajing_core::money::{from_fen, to_fen};
use kuajing_core::timestamp::Timestamp;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::error::HttpError;
use crate::extract::FormBody;
use crate::files::file_response;
use crate::portal::context::{Ctx, Page, PortalError, Section, render};
use crate::state::AppState;
use kuajing_export::purchase_records::{
    self as purchases, PurchaseInput, PurchaseQuery, PurchaseView,
};
use kuajing_registry::downloads::Format;

#[derive(Template)]
#[template(path = "purchase_records.html")]
struct RecordPage {
    page: Page,
    month: String,
    invt_no: String,
    records: Vec<PurchaseView>,
    total: String,
    records_own: bool,
    form: FormValues,
    csv: String,
    xlsx: String,
    done: Option<String>,
    error: Option<String>,
}

/// The form's fields as last sent (kept after a refusal).
#[derive(Default)]
struct FormValues {
    purchase_date: String,
    goods_name: String,
    unit: String,
    quantity: String,
    unit_price: String,
    amount: String,
    seller: String,
    invt_nos: String,
}

/// The page's filters (empty month: this month).
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    month: Option<String>,
    invt_no: Option<String>,
    format: Option<String>,
}

/// `GET /purchase-records`: the month's records (this month unless
/// another is chosen), optionally of one export list.
pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<PageQuery>,
) -> Result<Response, PortalError> {
    let shown = Shown::of(query);
    record_page(
        &state,
        &ctx,
        shown,
        StatusCode::OK,
        FormValues::default(),
        None,
        None,
    )
    .await
}

/// `GET /purchase-records/export?format=csv|xlsx`: the file for the tax
/// office, the same filters as the page.
pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<PageQuery>,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let format =
        Format::parse(query.format.as_deref().unwrap_or("csv")).map_err(|e| ctx.fail(e))?;
    let shown = Shown::of(query);
    let records = purchases::list(state.store(), actor, &shown.query())
        .await
        .map_err(|e| ctx.fail(e))?;
    let bytes = purchases::file(&records, format).map_err(|e| ctx.fail(e))?;
    let name = format!("purchase-records-{}.{}", shown.month, format.extension());
    Ok(file_response(format, &name, bytes))
}

/// `POST /purchase-records`: the exporter records a purchase; on success
/// the month of the purchase, otherwise the form again with the refusal.
pub async fn record(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormBody,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    ctx.check_csrf(&form)?;
    let values = FormValues {
        purchase_date: form.text("purchase_date").to_owned(),
        goods_name: form.text("goods_name").to_owned(),
        unit: form.text("unit").to_owned(),
        quantity: form.text("quantity").to_owned(),
        unit_price: form.text("unit_price").to_owned(),
        amount: form.text("amount").to_owned(),
        seller: form.text("seller").to_owned(),
        invt_nos: form.text("invt_nos").to_owned(),
    };
    let input = PurchaseInput {
        purchase_date: values.purchase_date.clone(),
        goods_name: values.goods_name.clone(),
        unit: values.unit.clone(),
        quantity: values.quantity.clone(),
        unit_price: values.unit_price.clone(),
        amount: values.amount.clone(),
        seller: values.seller.clone(),
        invt_nos: values
            .invt_nos
            .split([',', '，', ' ', '\n'])
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
            .collect(),
    };
    match purchases::record(state.store(), actor, &input).await {
        Ok(saved) => {
            let t = ctx.lang.texts();
            let message = format!(
                "{}: {} {} × {} = {}",
                t.purchase_recorded,
                saved.goods_name,
                saved.quantity,
                saved.unit_price,
                saved.amount
            );
            let shown = Shown {
                month: saved.purchase_date.get(..7).unwrap_or_default().to_owned(),
                invt_no: String::new(),
            };
            record_page(
                &state,
                &ctx,
                shown,
                StatusCode::OK,
                FormValues::default(),
                Some(message),
                None,
            )
            .await
        }
        Err(e) if e.is_correctable() => {
            let message = ctx.message(&e);
            let shown = Shown::of(PageQuery::default());
            record_page(&state, &ctx, shown, e.status(), values, None, Some(message)).await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

/// The month and list the page shows.
struct Shown {
    month: String,
    invt_no: String,
}

impl Shown {
    fn of(query: PageQuery) -> Shown {
        let month = query
            .month
            .map(|m| m.trim().to_owned())
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| {
                let today = Timestamp::now().in_china().date();
                format!("{:04}-{:02}", today.year(), u8::from(today.month()))
            });
        Shown {
            month,
            invt_no: query.invt_no.unwrap_or_default().trim().to_owned(),
        }
    }

    fn query(&self) -> PurchaseQuery {
        PurchaseQuery {
            month: Some(self.month.clone()),
            invt_no: Some(self.invt_no.clone()).filter(|n| !n.is_empty()),
            format: None,
        }
    }

    fn link(&self, format: &str) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("format", format)
            .append_pair("month", &self.month);
        if !self.invt_no.is_empty() {
            query.append_pair("invt_no", &self.invt_no);
        }
        format!("/purchase-records/export?{}", query.finish())
    }
}

async fn record_page(
    state: &AppState,
    ctx: &Ctx,
    shown: Shown,
    status: StatusCode,
    form: FormValues,
    done: Option<String>,
    error: Option<String>,
) -> Result<Response, PortalError> {
    let actor = ctx.member()?;
    let records = purchases::list(state.store(), actor, &shown.query())
        .await
        .map_err(|e| ctx.fail(e))?;
    let total_fen: i64 = records
        .iter()
        .filter_map(|r| r.amount.parse::<Decimal>().ok().and_then(to_fen))
        .sum();
    let page = RecordPage {
        page: ctx.page(Section::Purchases),
        csv: shown.link("csv"),
        xlsx: shown.link("xlsx"),
        month: shown.month,
        invt_no: shown.invt_no,
        total: from_fen(total_fen).to_string(),
        records,
        records_own: purchases::records(actor),
        form,
        done,
        error,
    };
    Ok(render(status, &page))
}
