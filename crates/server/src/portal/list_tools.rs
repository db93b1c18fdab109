//! What every list page offers besides its filters: column sorting and a
//! download of what is shown, both kept in the address (`sort`, `dir`,
//! `format`) so that a sorted, filtered list can be bookmarked, shared and
//! downloaded as it is seen.

use axum::response::Response;
use kuajing_registry::downloads::{Format, write_table};
use serde::Deserialize;

use crate::files::file_response;
use crate::portal::context::{Ctx, PortalError};

/// A list as the file `name.csv` or `name.xlsx` (`format` as the address
/// gave it): a header row of `columns`, then `body`.
pub fn download(
    ctx: &Ctx,
    format: &str,
    name: &str,
    columns: &[&str],
    body: &[Vec<String>],
) -> Result<Response, PortalError> {
    let format = Format::parse(format).map_err(|e| ctx.fail(e))?;
    let columns: Vec<String> = columns.iter().map(|c| (*c).to_owned()).collect();
    let bytes = write_table(format, name, &columns, body).map_err(|e| ctx.fail(e))?;
    Ok(file_response(
        format,
        &format!("{name}.{}", format.extension()),
        bytes,
    ))
}

/// The sorting and download asked for in the address.
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    /// The column to sort by (its key).
    pub sort: Option<String>,
    /// `asc` or `desc`.
    pub dir: Option<String>,
    /// `csv` or `xlsx`: the list as a file instead of a page.
    pub format: Option<String>,
}

/// A sortable column's header: its label, the address that sorts by it
/// (the other way if it is the current one), and its `aria-sort`.
pub struct SortHeader {
    /// The column's name.
    pub label: &'static str,
    /// The address sorting by it.
    pub href: String,
    /// `ascending`, `descending` or `none`.
    pub aria_sort: &'static str,
    /// ▲, ▼ or nothing, beside the label.
    pub arrow: &'static str,
}

impl ListParams {
    /// The column sorted by, if it is one of `keys`.
    pub fn sorted_by<'a>(&self, keys: &[&'a str]) -> Option<&'a str> {
        let sort = self.sort.as_deref()?;
        keys.iter().copied().find(|k| *k == sort)
    }

    /// Whether the sort is descending.
    pub fn descending(&self) -> bool {
        self.dir.as_deref() == Some("desc")
    }

    /// The headers of `columns` (key, label), each linking to `path` with
    /// the page's other parameters `kept` and the sort it stands for.
    pub fn headers(
        &self,
        path: &str,
        kept: &[(&str, String)],
        columns: &[(&'static str, &'static str)],
    ) -> Vec<SortHeader> {
        let keys: Vec<&str> = columns.iter().map(|c| c.0).collect();
        let current = self.sorted_by(&keys);
        columns
            .iter()
            .map(|&(key, label)| {
                let this = current == Some(key);
                let dir = if this && !self.descending() {
                    "desc"
                } else {
                    "asc"
                };
                let mut params: Vec<(&str, String)> = kept
                    .iter()
                    .filter(|(_, v)| !v.is_empty())
                    .cloned()
                    .collect();
                params.push(("sort", key.to_owned()));
                params.push(("dir", dir.to_owned()));
                let (aria_sort, arrow) = match (this, self.descending()) {
                    (false, _) => ("none", ""),
                    (true, false) => ("ascending", " ▲"),
                    (true, true) => ("descending", " ▼"),
                };
                SortHeader {
                    label,
                    href: address(path, &params),
                    aria_sort,
                    arrow,
                }
            })
            .collect()
    }

    /// The address of the list as a file of `format`, with the page's
    /// parameters `kept` and its sort.
    pub fn download_href(&self, path: &str, kept: &[(&str, String)], format: &str) -> String {
        let mut params: Vec<(&str, String)> = kept
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .cloned()
            .collect();
        if let Some(sort) = &self.sort {
            params.push(("sort", sort.clone()));
        }
        if let Some(dir) = &self.dir {
            params.push(("dir", dir.clone()));
        }
        params.push(("format", format.to_owned()));
        address(path, &params)
    }
}

/// `path?k=v&…`, each value percent-encoded.
fn address(path: &str, params: &[(&str, String)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (key, value) in params {
        query.append_pair(key, value);
    }
    format!("{path}?{}", query.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_sorts_by_its_column_and_turns_the_current_one_round() {
        let params = ListParams {
            sort: Some("name".to_owned()),
            dir: None,
            format: None,
        };
        let kept = [("q", "珲春".to_owned()), ("role", String::new())];
        let headers = params.headers(
            "/organisations",
            &kept,
            &[("code", "Code"), ("name", "Name")],
        );
        assert_eq!(
            headers[0].href,
            "/organisations?q=%E7%8F%B2%E6%98%A5&sort=code&dir=asc"
        );
        assert_eq!(
            (headers[0].aria_sort, headers[1].aria_sort),
            ("none", "ascending")
        );
        assert!(headers[1].href.ends_with("sort=name&dir=desc"));
        assert_eq!(
            params.download_href("/organisations", &kept, "csv"),
            "/organisations?q=%E7%8F%B2%E6%98%A5&sort=name&format=csv"
        );
        let hostile = ListParams {
            sort: Some("name; DROP".to_owned()),
            ..Default::default()
        };
        assert_eq!(hostile.sorted_by(&["code", "name"]), None);
    }
}
