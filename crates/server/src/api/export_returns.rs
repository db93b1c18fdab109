//! `/api/exports/returns`: the export returns (出口退货, issue #7;
//! policy-rules.md §7.2) exporters and officers read. The requests and
//! tally details themselves arrive through `POST /api/ceb` (CEB213,
//! CEB215).

use axum::Json;
use axum::extract::State;

use crate::error::{ErrorBody, WebResult as Result};
use crate::state::AppState;
use kuajing_export::return_views::{self as export_returns, ExportReturnView};
use kuajing_registry::actor::Actor;

/// The export returns the caller may read (an enterprise those it sent or
/// is the e-commerce enterprise of, customs all), newest first, with the
/// list number, lines, state and tax consequence with its basis.
#[utoipa::path(get, path = "/api/exports/returns", tag = "exports",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<ExportReturnView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn returns(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Vec<ExportReturnView>>> {
    Ok(Json(
        export_returns::list_returns(state.store(), &actor).await?,
    ))
}
